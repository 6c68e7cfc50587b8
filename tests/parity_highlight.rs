//! Syntax highlighting at build time: fenced blocks in a language syntect knows get one class per
//! token kind (no inline styles, no JavaScript), unknown languages and indented blocks stay plain,
//! and two builds are byte-identical.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{attrs, copy_tree, texts, tree, TestSite};
use std::path::Path;

/// The `parity/code` fixture with the shipped theme.
fn themed() -> TestSite {
    let site = TestSite::fixture("parity/code");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["templates", "static"] {
        copy_tree(&repo.join(part), &site.path(part));
    }
    site
}

#[test]
fn fenced_blocks_are_highlighted_with_classes() {
    let site = themed();
    site.build().success();
    let page = site.html("examples/index.html");
    assert_eq!(
        attrs(&page, "pre.highlight > code", "class"),
        [
            "language-rust",
            "language-python",
            "language-yaml",
            "language-json",
            "language-sh"
        ]
    );
    assert_eq!(
        texts(&page, "code.language-rust .hl-keyword"),
        ["fn", "i64", "i64", "let", "=", "+"]
    );
    assert_eq!(texts(&page, "code.language-rust .hl-name"), ["add_one"]);
    assert_eq!(texts(&page, "code.language-rust .hl-string"), ["\"sum\""]);
    assert_eq!(
        texts(&page, "code.language-json .hl-constant"),
        ["42", "true"]
    );
    // The code reads as it was written.
    assert_eq!(
        texts(&page, "code.language-sh"),
        ["dossier build --drafts && echo \"done\""]
    );
    let html = site.read("public/examples/index.html");
    assert!(!html.contains("style=\""), "no inline styles");
    // The only script element is the theme's JSON-LD data block, which is not JavaScript.
    assert!(
        page.select(
            &scraper::Selector::parse(r#"script:not([type="application/ld+json"])"#).unwrap()
        )
        .next()
        .is_none(),
        "no JavaScript"
    );
}

#[test]
fn unknown_languages_and_indented_blocks_stay_plain() {
    let site = themed();
    site.build().success();
    let html = site.read("public/examples/index.html");
    assert!(html.contains("<pre><code class=\"language-klingon\">Qapla'\n</code></pre>"));
    assert!(html.contains("<pre><code>indented code stays plain\n</code></pre>"));
}

#[test]
fn the_theme_colours_every_token_class_in_light_and_dark() {
    let css =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("static/reading.css"))
            .unwrap();
    for class in [
        "hl-comment",
        "hl-keyword",
        "hl-string",
        "hl-constant",
        "hl-name",
    ] {
        assert!(
            css.contains(&format!(".highlight .{class} {{ color: var(--")),
            "{class}"
        );
    }
}

#[test]
fn highlighted_builds_are_byte_identical() {
    let site = themed();
    site.build().success();
    let first = tree(&site.public());
    site.build().success();
    assert_eq!(tree(&site.public()), first);
}
