//! Screenshots of the shipped site's overview page for the docs, taken with the project's own
//! headless-Chromium client (`tests/common/browser.rs`).
//!
//! Does nothing unless `DOSSIER_SCREENSHOTS=1`; then it builds the shipped site with the real
//! binary and writes `docs/screenshot-light.png` and `docs/screenshot-dark.png` (1280x900, the
//! dark one with `prefers-color-scheme: dark` emulated). Run it with `scripts/screenshot.sh`.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::browser::{self, file_url, require_tool, Browser};

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");
const WIDTH: u32 = 1280;
const HEIGHT: u32 = 900;

#[test]
fn screenshots_of_the_overview_page() {
    if std::env::var("DOSSIER_SCREENSHOTS").as_deref() != Ok("1") {
        eprintln!("skipped: set DOSSIER_SCREENSHOTS=1 to write docs/screenshot-*.png");
        return;
    }
    let Some(chromium) = browser::find_chromium() else {
        require_tool("Chromium (set DOSSIER_CHROMIUM or install chromium)", false);
        return;
    };

    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--root", MANIFEST_DIR, "--output"])
        .arg(&out)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the dossier binary");
    assert!(
        output.status.success(),
        "dossier build failed with {}\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    let overview = out.join("index.html");
    assert!(overview.is_file(), "the build wrote no index.html");

    let browser = Browser::launch_with(&chromium).unwrap_or_else(|e| panic!("{e}"));
    let page = browser.new_page().expect("open a tab");
    page.set_viewport(WIDTH, HEIGHT).expect("set viewport");
    let docs = Path::new(MANIFEST_DIR).join("docs");
    for (dark, name) in [
        (false, "screenshot-light.png"),
        (true, "screenshot-dark.png"),
    ] {
        // Emulate before loading, so no CSS transition is caught half-way.
        page.emulate_dark(dark).expect("emulate colour scheme");
        page.goto(&file_url(&overview))
            .expect("load the overview page");
        page.eval("document.fonts.ready.then(() => true)")
            .expect("wait for fonts");
        // Let any entrance animation finish.
        std::thread::sleep(Duration::from_millis(300));
        let path = docs.join(name);
        page.screenshot_png(&path, false)
            .unwrap_or_else(|e| panic!("screenshot {}: {e}", path.display()));
        eprintln!("wrote {}", path.display());
    }
}
