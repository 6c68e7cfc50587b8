#!/usr/bin/env bash
# Saves docs/screenshot-light.png and docs/screenshot-dark.png: the shipped site's overview page
# at 1280x900, in the light and the dark colour scheme.
#
# It builds the shipped site with dossier into a temporary folder, then runs examples/screenshots.rs,
# which drives headless Chromium with puppeteer-core (tests/common/browser.rs and
# tests/tools/browser.js) and emulates `prefers-color-scheme: dark` for the dark shot.
#
# Needs Chromium (`apt-get install chromium`, or point DOSSIER_CHROMIUM at a Chrome binary), node
# and `npm ci --prefix tests/tools`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --release -- build --output "$out/public"
cargo run --release --example screenshots -- "$out/public"
