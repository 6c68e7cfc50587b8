//! Reader aids: GitHub alerts as accessible callouts, definition lists, and the theme's
//! "What we know" / "What we don't know" blocks.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{attrs, copy_tree, texts, TestSite};
use std::path::Path;

fn reader_aids_site() -> TestSite {
    let site = TestSite::fixture("toolkit/reader-aids");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["templates", "static"] {
        copy_tree(&repo.join(part), &site.path(part));
    }
    site.build().success();
    site
}

#[test]
fn github_alerts_become_callouts_with_a_visible_title() {
    let site = reader_aids_site();
    let html = site.html("aids/index.html");
    assert_eq!(
        attrs(&html, ".content aside.callout", "class"),
        [
            "callout callout-note",
            "callout callout-tip",
            "callout callout-important",
            "callout callout-warning",
            "callout callout-caution"
        ]
    );
    assert_eq!(attrs(&html, ".content aside.callout", "role"), ["note"; 5]);
    assert_eq!(
        texts(&html, "aside.callout > p.callout-title:first-child"),
        ["Note", "Tip", "Important", "Warning", "Caution"]
    );
    assert_eq!(
        texts(&html, "aside.callout-warning > p:not(.callout-title)"),
        ["Early reports gave the wrong venue."]
    );
    // The marker is gone, and an ordinary quotation stays one.
    assert!(!site.read("public/aids/index.html").contains("[!"));
    assert_eq!(
        texts(&html, ".content > blockquote p"),
        ["An ordinary quotation stays a quotation."]
    );
    // A footnote inside a callout is numbered with the rest.
    assert_eq!(texts(&html, "aside.callout-caution sup a"), ["2"]);
}

#[test]
fn definition_lists_render_as_dl() {
    let site = reader_aids_site();
    let html = site.html("aids/index.html");
    assert_eq!(
        texts(&html, ".content dl > dt"),
        ["Delegation-level talks", "Readout"]
    );
    assert_eq!(
        texts(&html, ".content dl > dd"),
        [
            "Talks between the full delegations, after the leaders met alone.",
            "A government\u{2019}s own account of a meeting."
        ]
    );
}

#[test]
fn known_and_unknown_blocks_have_labelled_headings() {
    let site = reader_aids_site();
    let html = site.html("aids/index.html");
    assert_eq!(
        attrs(&html, "section.findings", "class"),
        [
            "findings findings-known",
            "findings findings-unknown",
            "findings findings-unknown"
        ]
    );
    assert_eq!(
        texts(&html, "section.findings > h2.findings-title"),
        ["What we know", "What we don't know", "Still open"]
    );
    assert_eq!(
        attrs(&html, "section.findings", "aria-labelledby"),
        ["known-1-title", "unknown-1-title", "unknown-2-title"]
    );
    assert_eq!(
        attrs(&html, "section.findings > h2", "id"),
        ["known-1-title", "unknown-1-title", "unknown-2-title"]
    );
    assert_eq!(
        texts(&html, "section.findings-known li"),
        [
            "The meeting lasted about three hours.1",
            "Both sides called it constructive."
        ]
    );
}

#[test]
fn the_theme_styles_every_reader_aid_in_light_and_dark() {
    let css =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("static/reading.css"))
            .unwrap();
    for selector in [
        ".callout {",
        ".callout-tip {",
        ".callout-warning {",
        ".findings {",
        ".findings-unknown {",
        ".footnotes {",
        ".footnote-backref {",
        "dt {",
        "dd {",
    ] {
        assert!(css.contains(selector), "reading.css lacks `{selector}`");
    }
    let dark = css.split("prefers-color-scheme: dark").nth(1).unwrap();
    assert!(dark.contains("--tip:") && dark.contains("--warn:"));
}

#[test]
fn the_starter_uses_callouts_footnotes_and_known_unknown_blocks() {
    let site = TestSite::fixture("toolkit/reader-aids");
    site.run(&["init", "--bare", "starter"]).success();
    let run = site.run(&["check", "--root", "starter"]).success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    site.run(&["build", "--root", "starter"]).success();
    let html = scraper::Html::parse_document(&site.read("starter/public/background/index.html"));
    assert_eq!(texts(&html, "aside.callout-note .callout-title"), ["Note"]);
    assert_eq!(
        texts(&html, "section.findings > h2"),
        ["What we know", "What we don't know"]
    );
    assert_eq!(attrs(&html, "section.footnotes li", "id"), ["fn:source"]);
    assert_eq!(
        attrs(&html, "sup.footnote-ref a", "href"),
        ["#fn:source", "#fn:source"]
    );
    assert_eq!(texts(&html, "dl dt"), ["Explainer"]);
}
