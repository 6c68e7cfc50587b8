//! The shipped theme's print stylesheet works on paper: Chromium prints the one-page version
//! with each chapter starting on a new sheet, so the PDF has at least one page per chapter;
//! without that rule the same short chapters share a sheet.
//!
//! Needs Chromium (see `tests/common/browser.rs`); without it the test prints `skipped: ...`
//! and passes, unless `CI` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::browser::{file_url, require_browser};
use common::site::{texts, TestSite};
use std::path::Path;
use std::process::Command;

/// The number of pages of the PDF Chromium prints of `page`.
fn printed_pages(chromium: &Path, page: &Path, scratch: &Path) -> usize {
    let pdf = scratch.join("printed.pdf");
    let profile = tempfile::tempdir().unwrap();
    let status = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(file_url(page))
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let bytes = std::fs::read(&pdf).unwrap();
    // Every page of a PDF is an object of `/Type /Page` (the page tree's nodes are `/Pages`).
    let text = String::from_utf8_lossy(&bytes);
    text.match_indices("/Type /Page")
        .filter(|(at, found)| !text[at + found.len()..].starts_with('s'))
        .count()
}

#[test]
fn each_chapter_starts_a_new_sheet_when_printed() {
    let Some(chromium) = require_browser() else {
        return;
    };
    let site = TestSite::fixture_with_shipped_theme("parity/print");
    site.build().success();
    let print = site.public().join("print/index.html");
    let chapters = texts(&site.html("print/index.html"), ".chapter-title").len();
    assert_eq!(chapters, 3);
    let pages = printed_pages(&chromium, &print, site.scratch());
    assert!(pages >= chapters, "{pages} pages for {chapters} chapters");

    // Without the rule that starts each chapter on a new sheet, the short chapters share one.
    let css = site.read("static/reading.css");
    let rule = "  .print-chapter + .print-chapter { break-before: page; }\n";
    assert!(css.contains(rule));
    site.write("static/reading.css", css.replace(rule, ""));
    site.build().success();
    let together = printed_pages(&chromium, &print, site.scratch());
    assert!(together < chapters, "{together} pages without the rule");
}
