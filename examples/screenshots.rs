//! Screenshots of the shipped site's overview page for the README, taken with the tests' headless
//! Chromium (`tests/common/browser.rs`, which drives it with puppeteer-core from `tests/tools/`).
//!
//! Usage: `cargo run --example screenshots -- PUBLIC_DIR` after building the site into
//! PUBLIC_DIR; `scripts/screenshot.sh` does both. Writes `docs/screenshot-light.png` and
//! `docs/screenshot-dark.png` (1280x900; the dark one with `prefers-color-scheme: dark` emulated).

// A benchmark/tool program: a failure should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)]
#[path = "../tests/common/browser.rs"]
mod browser;

use browser::{file_url, find_chromium, Browser};
use std::path::{Path, PathBuf};
use std::time::Duration;

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 900;

fn main() -> Result<(), String> {
    let public = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .ok_or("usage: screenshots PUBLIC_DIR")?;
    let overview = public.join("index.html");
    if !overview.is_file() {
        return Err(format!(
            "{} does not exist: build the site first",
            overview.display()
        ));
    }
    let chromium =
        find_chromium().ok_or("Chromium not found: install chromium or set DOSSIER_CHROMIUM")?;
    let browser = Browser::launch_with(&chromium)?;
    let page = browser.new_page()?;
    page.set_viewport(WIDTH, HEIGHT)?;
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    for (dark, name) in [
        (false, "screenshot-light.png"),
        (true, "screenshot-dark.png"),
    ] {
        // Emulate before loading, so no CSS transition is caught half-way.
        page.emulate_dark(dark)?;
        page.goto(&file_url(&overview))?;
        page.eval("document.fonts.ready.then(() => true)")?;
        std::thread::sleep(Duration::from_millis(300));
        let path = docs.join(name);
        page.screenshot_png(&path, false)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
