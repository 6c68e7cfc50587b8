//! Sources and citations: `sources.yaml` is loaded and checked, `cite` renders numbered,
//! accessible references per page, `page.sources` lists them, `sources()` and `source(id=…)`
//! list every page and anchor that cites a source, and source texts are never published.
//! Every mistake is reported at its line, and the previous output stays as it was.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;
mod toolkit_support;

use common::site::{attrs, texts, tree};
use toolkit_support::{fails_keeping_output, has_lines, site};

#[test]
fn citations_are_numbered_per_page_in_order_of_first_citation() {
    let site = site("basic");
    site.build().success();
    let html = site.html("story/index.html");
    assert_eq!(
        attrs(&html, "sup.cite a", "id"),
        ["cite-1", "cite-2", "cite-3", "cite-4", "cite-5"]
    );
    assert_eq!(
        attrs(&html, "sup.cite a", "href"),
        [
            "#source-1",
            "#source-2",
            "#source-1",
            "#source-1",
            "#source-1"
        ]
    );
    assert_eq!(
        texts(&html, "sup.cite a"),
        ["[1]", "[2]", "[1]", "[1]", "[1]"]
    );
    assert_eq!(
        attrs(&html, "sup.cite a", "aria-label")[..2],
        [
            "Source 1: Statement on the harbour talks, first paragraph",
            "Source 2: Evening report"
        ]
    );
    // page.sources: by number, each with the anchors of its citations and their locators.
    assert_eq!(
        attrs(&html, "ol.sources li", "id"),
        ["source-1", "source-2"]
    );
    assert_eq!(
        texts(&html, "ol.sources li"),
        [
            "1. Statement on the harbour talks, Harbour Office: first paragraph cited cited first paragraph",
            "2. Evening report, Coast Radio: cited"
        ]
    );
    assert_eq!(
        attrs(&html, "ol.sources li a", "href"),
        ["#cite-1", "#cite-3", "#cite-4", "#cite-5", "#cite-2"]
    );
}

#[test]
fn the_sources_page_lists_every_source_with_the_pages_and_anchors_citing_it() {
    let site = site("basic");
    site.build().success();
    let html = site.html("sources/index.html");
    assert_eq!(
        attrs(&html, "ul.all-sources li", "id"),
        ["src-statement", "src-report"]
    );
    assert_eq!(
        attrs(&html, "#src-statement a", "href"),
        [
            "../story/",
            "../story/#cite-1",
            "../story/#cite-3",
            "../story/#cite-4",
            "../story/#cite-5"
        ]
    );
    assert_eq!(
        attrs(&html, "#src-report a", "href"),
        ["../story/", "../story/#cite-2"]
    );
    assert_eq!(texts(&html, "p.one"), ["Evening report cited 1 times"]);
}

#[test]
fn source_texts_are_never_published() {
    let site = site("basic");
    let outside = tempfile::tempdir().unwrap();
    let text = outside.path().join("statement.txt");
    std::fs::copy(site.path("sources/statement.txt"), &text).unwrap();
    site.remove("sources/statement.txt");
    let yaml = site
        .read("sources.yaml")
        .replace("sources/statement.txt", &text.display().to_string());
    site.write("sources.yaml", yaml);
    // The text outside the site folder is read: the quotations are verified, nothing is said.
    let run = site.build().success();
    assert!(!run.stderr.contains("not verified"), "{}", run.stderr);
    for (path, bytes) in tree(&site.public()) {
        let name = path.to_string_lossy();
        assert!(
            !name.contains("statement") && !name.ends_with(".txt") || name == "robots.txt",
            "{name} is published"
        );
        assert!(
            !String::from_utf8_lossy(&bytes).contains("harbour master added"),
            "{name} holds the source's text"
        );
    }
}

#[test]
fn a_text_under_a_published_folder_is_an_error() {
    let site = site("basic");
    let run = fails_keeping_output(&site, |s| {
        let yaml = s
            .read("sources.yaml")
            .replace("text: sources/statement.txt", "text: static/statement.txt");
        s.write("sources.yaml", yaml);
    });
    has_lines(
        &run,
        &[
            "sources.yaml:8:3: error: the text of source `statement` is under a published folder: static/statement.txt",
            "  |",
            "8 |   text: static/statement.txt",
            "  |   ^",
            "  = help: keep source texts outside content/ and static/ (for example in sources/), so they are never published",
        ],
    );
}

#[test]
fn an_unknown_source_in_a_citation_is_an_error_at_its_line_with_a_suggestion() {
    let site = site("basic");
    let run = fails_keeping_output(&site, |s| {
        let story = s
            .read("content/story.md")
            .replace("cite(source=\"report\")", "cite(source=\"reprot\")");
        s.write("content/story.md", story);
    });
    has_lines(
        &run,
        &[
            "content/story.md:7:109: error: unknown source `reprot`",
            "  |",
            "7 | The talks took place at the harbour.{{ cite(source=\"statement\", at=\"first paragraph\") }} Radio covered them.{{ cite(source=\"reprot\") }}",
        ],
    );
    has_lines(
        &run,
        &["  = help: did you mean `report`? Sources are listed in sources.yaml"],
    );
}

#[test]
fn a_citation_without_a_source_is_an_error() {
    let site = site("basic");
    let run = fails_keeping_output(&site, |s| {
        let story = s
            .read("content/story.md")
            .replace("cite(source=\"report\")", "cite(at=\"p. 2\")");
        s.write("content/story.md", story);
    });
    has_lines(
        &run,
        &["content/story.md:7:109: error: `cite` needs a `source`"],
    );
    has_lines(
        &run,
        &["  = help: name the id of an entry of sources.yaml: {{ cite(source=\"article\", at=\"…\") }}"],
    );
}

#[test]
fn unknown_keys_duplicate_ids_and_impossible_dates_are_errors_at_their_lines() {
    let site = site("basic");
    let run = fails_keeping_output(&site, |s| {
        let yaml = s
            .read("sources.yaml")
            .replace("published: 2025-08-15", "published: 2026-02-30")
            + "- id: statement\n  title: \"Again\"\n";
        s.write("sources.yaml", yaml);
    });
    has_lines(
        &run,
        &[
            "sources.yaml:5:3: error: `2026-02-30` is not a real date",
            "  |",
            "5 |   published: 2026-02-30",
            "  |   ^",
            "  = help: write a date as YYYY-MM-DD (2025-08-15) or an RFC 3339 date-time with an offset (2025-08-15T10:30:00-08:00)",
        ],
    );
    has_lines(
        &run,
        &[
            "sources.yaml:12:3: error: the source id `statement` is used twice",
            "   |",
            "12 | - id: statement",
            "   |   ^",
            "  = help: give each source its own id",
        ],
    );
    has_lines(
        &run,
        &["build failed: 2 errors; the output folder was left as it was"],
    );

    let site = toolkit_support::site("basic");
    let run = fails_keeping_output(&site, |s| {
        s.write("sources.yaml", "- id: a\n  title: A\n  publishr: B\n");
    });
    has_lines(
        &run,
        &[
            "sources.yaml:3:3: error: unknown field `publishr`",
            "  |",
            "3 |   publishr: B",
            "  |   ^",
            "  = help: did you mean `publisher`? Valid keys: id, title, publisher, url, published, accessed, archive_url, note, text",
        ],
    );
}

#[test]
fn a_quote_template_that_leaves_the_citation_out_makes_no_citation() {
    let site = site("basic");
    site.write(
        "templates/shortcodes/quote.html",
        "<blockquote id=\"{{ id }}\">{{ body_html | safe }}</blockquote>",
    );
    site.build().success();
    let html = site.html("story/index.html");
    assert_eq!(
        attrs(&html, "sup.cite a", "id"),
        ["cite-1", "cite-2", "cite-3"]
    );
    assert_eq!(
        attrs(&html, "ol.sources li a", "href"),
        ["#cite-1", "#cite-3", "#cite-2"]
    );
}
