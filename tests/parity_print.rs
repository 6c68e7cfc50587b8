//! The one-page version (`/print/`, the shipped theme's `print.html`): every page in reading
//! order, every id of a page's body prefixed with its chapter's anchor (no id twice, though two
//! pages share heading and footnote names), links to pages and headings turned into in-page
//! anchors, the sources of every page listed once with the citations renumbered to match; only
//! the reading stylesheet; `print_page: false` turns it off; a page at `print/` is an error at
//! that page; and the page follows edits in incremental builds.
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
    // One list of sources for the whole page, in the order of first citation.
    assert_eq!(
        attrs(&print, ".page-sources li", "id"),
        ["source-1", "source-2"]
    );
    assert_eq!(
        texts(&print, ".page-sources cite"),
        ["The harbour report", "Minutes of the harbour board"]
    );
    // Landmarks of two chapters never share a name (axe's landmark-unique).
    assert_eq!(
        attrs(&print, ".footnotes", "aria-label"),
        ["Notes — The harbour", "Notes — Amy Ng"]
    );
    assert_eq!(
        attrs(&print, ".page-sources", "aria-labelledby"),
        ["print-sources"]
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
            "#source-1",
            // People: Amy's page.
            "#page-people-amy",
            // Amy: her two citations around her footnote, her own heading, the home page.
            "#source-2",
            "#page-people-amy--fn:why",
            "#source-1",
            "#page-people-amy--background",
            "#page-home",
        ]
    );
    // One page holding them all leaves out what is there for one page at a time: the links
    // back from a source to each citation (and so the citations' ids), the `#` beside
    // headings, the citations' long names.
    assert!(attrs(&print, ".page-sources .cited-at a", "href").is_empty());
    assert!(attrs(&print, ".content sup.cite a", "id").is_empty());
    assert!(attrs(&print, ".content .anchor", "href").is_empty());
    assert!(attrs(&print, ".content sup.cite a", "aria-label").is_empty());
    // Amy cites the minutes first, so they are her [1]; on the print page the report, cited
    // first on the home page, is [1] and the minutes [2], and her citations say so.
    assert_eq!(
        attrs(&print, ".content sup.cite a", "href"),
        ["#source-1", "#source-2", "#source-1"]
    );
    assert_eq!(texts(&print, ".content sup.cite a"), ["[1]", "[2]", "[1]"]);
    // Every in-page link leads to an id of the page.
    let ids: BTreeSet<String> = attrs(&print, "[id]", "id").into_iter().collect();
    for href in attrs(&print, "a[href^='#']", "href") {
        assert!(ids.contains(&href[1..]), "{href} leads nowhere");
    }
    // The pages themselves are unchanged.
    let amy = site.html("people/amy/index.html");
    assert_eq!(
        attrs(&amy, ".content h2", "id"),
        ["background", "inspection"]
    );
    assert_eq!(texts(&amy, "sup.cite a"), ["[1]", "[2]"]);
    assert_eq!(attrs(&amy, "sup.cite a", "id"), ["cite-1", "cite-2"]);
}

#[test]
fn a_template_that_links_back_to_the_citations_keeps_their_ids() {
    let site = site();
    let template = site.read("templates/print.html");
    site.write(
        "templates/print.html",
        template.replace("cited_at=false", "cited_at=true"),
    );
    site.build().success();
    let print = site.html("print/index.html");
    let back = attrs(&print, ".page-sources .cited-at a", "href");
    assert_eq!(
        back,
        [
            "#page-home--cite-1",
            "#page-people-amy--cite-2",
            "#page-people-amy--cite-1"
        ]
    );
    let ids = attrs(&print, ".content sup.cite a", "id");
    assert_eq!(
        ids,
        [
            "page-home--cite-1",
            "page-people-amy--cite-1",
            "page-people-amy--cite-2"
        ]
    );
}

#[test]
fn the_print_page_links_only_the_reading_stylesheet() {
    let site = site();
    site.build().success();
    assert_eq!(
        attrs(
            &site.html("print/index.html"),
            "link[rel=stylesheet]",
            "href"
        ),
        ["../reading.css"]
    );
    assert_eq!(
        attrs(&site.html("index.html"), "link[rel=stylesheet]", "href"),
        ["reading.css", "style.css"]
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
