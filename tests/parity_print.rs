//! The one-page version (`/print/`, the shipped theme's `print.html`): every page in reading
//! order, every id of a page's body prefixed with its chapter's anchor (no id twice, though two
//! pages share heading and footnote names), links to pages and headings turned into in-page
//! anchors, sources listed per chapter; `print_page: false` turns it off; a page at `print/` is
//! an error at that page; and the page follows edits in incremental builds.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{attrs, texts, TestSite};
use dossier::site::{build, build_with_cache, BuildCache, Silent};
use std::collections::BTreeSet;

/// The `parity/print` fixture with the shipped theme.
fn site() -> TestSite {
    TestSite::fixture_with_shipped_theme("parity/print")
}

#[test]
fn every_page_is_a_chapter_in_reading_order() {
    let site = site();
    site.build().success();
    let print = site.html("print/index.html");
    assert_eq!(texts(&print, "h1"), ["Harbour"]);
    assert_eq!(texts(&print, "title"), ["One-page version — Harbour"]);
    assert_eq!(
        texts(&print, ".chapter-title"),
        ["The harbour", "People", "Amy Ng"]
    );
    assert_eq!(
        attrs(&print, ".chapter-title", "id"),
        ["page-home", "page-people", "page-people-amy"]
    );
    assert_eq!(
        attrs(&print, ".toc a", "href"),
        ["#page-home", "#page-people", "#page-people-amy"]
    );
}

#[test]
fn ids_are_prefixed_per_page_and_never_repeat() {
    let site = site();
    site.build().success();
    let print = site.html("print/index.html");
    // Both pages have a "Background" heading, a footnote `why` and a first citation.
    assert_eq!(
        attrs(&print, ".content h2", "id"),
        [
            "page-home--background",
            "page-people-amy--background",
            "page-people-amy--inspection"
        ]
    );
    assert_eq!(
        attrs(&print, ".footnote-definition", "id"),
        ["page-home--fn:why", "page-people-amy--fn:why"]
    );
    assert_eq!(
        attrs(&print, ".page-sources li", "id"),
        ["page-home--source-1", "page-people-amy--source-1"]
    );
    // Landmarks of two chapters never share a name (axe's landmark-unique).
    assert_eq!(
        attrs(&print, ".footnotes", "aria-label"),
        ["Notes — The harbour", "Notes — Amy Ng"]
    );
    assert_eq!(
        attrs(&print, ".page-sources", "aria-labelledby"),
        [
            "page-home--sources page-home",
            "page-people-amy--sources page-people-amy"
        ]
    );
    let ids = attrs(&print, "[id]", "id");
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "an id is repeated: {ids:?}");
}

#[test]
fn links_become_in_page_anchors() {
    let site = site();
    site.build().success();
    let print = site.html("print/index.html");
    let links = attrs(&print, ".content p a:not(.footnote-backref)", "href");
    assert_eq!(
        links,
        [
            // The home page: a footnote, a heading on Amy's page, the People section, a citation.
            "#page-home--fn:why",
            "#page-people-amy--inspection",
            "#page-people",
            "#page-home--source-1",
            // People: Amy's page.
            "#page-people-amy",
            // Amy: her footnote and citation, her own heading, the home page.
            "#page-people-amy--fn:why",
            "#page-people-amy--source-1",
            "#page-people-amy--background",
            "#page-home",
        ]
    );
    // One page holding them all leaves out what is there for one page at a time: the links
    // back from a source to each citation, the `#` beside headings, the citations' long names.
    assert!(attrs(&print, ".page-sources .cited-at a", "href").is_empty());
    assert!(attrs(&print, ".content .anchor", "href").is_empty());
    assert!(attrs(&print, ".content sup.cite a", "aria-label").is_empty());
    assert_eq!(
        attrs(&print, ".content sup.cite a", "href"),
        ["#page-home--source-1", "#page-people-amy--source-1"]
    );
    // The pages themselves are unchanged.
    let amy = site.html("people/amy/index.html");
    assert_eq!(
        attrs(&amy, ".content h2", "id"),
        ["background", "inspection"]
    );
}

#[test]
fn the_theme_links_the_print_page_and_print_page_false_turns_it_off() {
    let site = site();
    site.build().success();
    let home = site.html("index.html");
    assert_eq!(
        texts(&home, ".site-footer a"),
        ["Home", "The whole explainer on one page"]
    );
    assert_eq!(attrs(&home, ".site-footer a", "href")[1], "print/");
    site.write(
        "site.yaml",
        "title: \"Harbour\"\nlanguage: en\nprint_page: false\n",
    );
    site.build().success();
    assert!(!site.path("public/print").exists());
    let home = site.html("index.html");
    assert_eq!(texts(&home, ".site-footer a"), ["Home"]);
}

#[test]
fn without_print_html_there_is_no_print_page() {
    let site = site();
    site.remove("templates/print.html");
    site.build().success();
    assert!(!site.path("public/print").exists());
    assert_eq!(site.texts("index.html", ".site-footer a"), ["Home"]);
}

#[test]
fn a_content_page_at_print_is_an_error_at_that_page() {
    site().fails_with(
        &[("content/print.md", "---\ntitle: \"Print\"\n---\n")],
        "content/print.md:1:1: error: this page would write `print/index.html`, which dossier's print page writes too\n  |\n1 | ---\n  | ^\n  = help: rename one of the files, or set a different `slug:` in its front matter\n\nbuild failed: 1 error; the output folder was left as it was\n",
    );
}

#[test]
fn a_print_template_repeating_a_chapter_id_is_an_error_in_the_template() {
    let site = site();
    let template = site.read("templates/print.html");
    site.fails_with(
        &[(
            "templates/print.html",
            &template.replace("<h1>", "<h1 id=\"page-people\">"),
        )],
        "templates/print.html: error: the print page writes the id `page-people` more than once\n  = help: give the template's own elements ids that do not start with `page-`\n\nbuild failed: 1 error; the output folder was left as it was\n",
    );
}

#[test]
fn incremental_builds_after_edits_equal_clean_builds() {
    let site = site();
    let options = site.options();
    let files = common::site::built_files;
    let mut cache = BuildCache::default();
    build_with_cache(&options, &mut cache, &Silent).unwrap();
    let amy = site
        .read("content/people/amy.md")
        .replace("ten years", "twelve years");
    let steps = [
        ("content/people/amy.md", amy.clone()),
        (
            "content/people/bo.md",
            "---\ntitle: \"Bo Li\"\nweight: 2\n---\nBo Li ran the harbour.\n".to_owned(),
        ),
        (
            "content/people/amy.md",
            amy.replace("weight: 1", "weight: 3"),
        ),
    ];
    for (step, (path, text)) in steps.iter().enumerate() {
        site.write(path, text);
        let incremental = build_with_cache(&options, &mut cache, &Silent).unwrap();
        let clean = build(&options, &Silent).unwrap();
        assert_eq!(files(&incremental), files(&clean), "step {step}");
    }
    let last = build_with_cache(&options, &mut cache, &Silent).unwrap();
    let print = String::from_utf8(
        last.files
            .get("print/index.html")
            .unwrap()
            .read()
            .unwrap()
            .into_owned(),
    )
    .unwrap();
    let bo = print.find("id=\"page-people-bo\"").unwrap();
    let amy = print.find("id=\"page-people-amy\"").unwrap();
    assert!(bo < amy, "Bo (weight 2) comes before Amy (weight 3)");
    assert!(print.contains("inspected the harbour for twelve years"));
}
