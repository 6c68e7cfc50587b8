#!/usr/bin/env bash
# Saves docs/screenshot-light.png and docs/screenshot-dark.png: the shipped site's overview page
# at 1280x900, in the light and the dark colour scheme.
#
# How: this runs the integration test tests/screenshots.rs with DOSSIER_SCREENSHOTS=1. That test
# builds the shipped site with the real `dossier` binary into a temporary folder and drives
# headless Chromium through the project's own DevTools client (tests/common/browser.rs), emulating
# `prefers-color-scheme: dark` for the dark shot (the same emulation the accessibility tests use).
#
# Needs Chromium (`apt-get install chromium`, or point DOSSIER_CHROMIUM at a Chrome binary).
set -euo pipefail
cd "$(dirname "$0")/.."
DOSSIER_SCREENSHOTS=1 cargo test --test screenshots -- --nocapture
ls -l docs/screenshot-light.png docs/screenshot-dark.png
