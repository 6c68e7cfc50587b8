//! Footnotes that work: references in shortcode bodies, notes in reference order with back-links,
//! ids apart from headings, undefined references (errors) and unused definitions (warnings); and
//! duplicate ids on a finished page, wherever they come from.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{attrs, copy_tree, texts, tree, TestSite};
use std::path::Path;

/// The fixture `tests/fixtures/toolkit/<case>` with the shipped theme.
fn toolkit_site(case: &str) -> TestSite {
    let site = TestSite::fixture(&format!("toolkit/{case}"));
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["templates", "static"] {
        copy_tree(&repo.join(part), &site.path(part));
    }
    site
}

/// Panics unless every line of `expected` is a whole line of `stderr`, in order.
fn assert_lines(stderr: &str, expected: &[&str]) {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut from = 0;
    for want in expected {
        let Some(i) = lines[from..].iter().position(|l| l == want) else {
            panic!("stderr lacks the line {want:?} (after line {from}):\n{stderr}");
        };
        from += i + 1;
    }
}

const NOTES: &str = "content/notes.md";

#[test]
fn references_in_shortcode_bodies_work_and_notes_follow_the_reference_order() {
    let site = toolkit_site("footnotes");
    let run = site.build().success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let html = site.html("notes/index.html");
    assert_eq!(
        texts(&html, ".content sup.footnote-ref a"),
        ["1", "2", "1", "3"]
    );
    assert_eq!(
        attrs(&html, ".content sup.footnote-ref a", "id"),
        ["fnref:first", "fnref:cost", "fnref:first-2", "fnref:cw"]
    );
    assert_eq!(
        attrs(&html, ".content sup.footnote-ref a", "href"),
        ["#fn:first", "#fn:cost", "#fn:first", "#fn:cw"]
    );
    assert_eq!(
        attrs(&html, ".findings sup.footnote-ref a", "aria-label"),
        ["Note 3"]
    );
    let notes = "section.footnotes[aria-label=\"Notes\"] > ol > li";
    assert_eq!(attrs(&html, notes, "id"), ["fn:first", "fn:cost", "fn:cw"]);
    assert_eq!(
        texts(&html, &format!("{notes} p")),
        [
            "As announced by both offices. ↩",
            "Estimates differ. ↩",
            "Confirmed by both sides. ↩"
        ]
    );
    assert_eq!(
        attrs(&html, &format!("{notes} a.footnote-backref"), "href"),
        ["#fnref:first", "#fnref:cost", "#fnref:cw"]
    );
    assert_eq!(
        attrs(&html, &format!("{notes} a.footnote-backref"), "aria-label"),
        [
            "Back to reference 1",
            "Back to reference 2",
            "Back to reference 3"
        ]
    );
    let page = site.read("public/notes/index.html");
    assert!(!page.contains("[^"), "a reference was left as text");
}

#[test]
fn footnote_ids_never_collide_with_heading_ids() {
    let site = toolkit_site("footnotes");
    site.build().success();
    let html = site.html("notes/index.html");
    assert_eq!(attrs(&html, ".content h2[id=\"cost\"]", "id"), ["cost"]);
    assert_eq!(attrs(&html, "[id=\"cost\"]", "id").len(), 1);
    assert_eq!(attrs(&html, "[id=\"fn:cost\"]", "id").len(), 1);
}

#[test]
fn an_undefined_reference_is_an_error_at_its_line_with_a_did_you_mean() {
    let site = toolkit_site("footnotes");
    site.build().success();
    let before = tree(&site.public());
    let text = site
        .read(NOTES)
        .replace("paid once.[^first]", "paid once.[^frist]");
    site.write(NOTES, text);
    let run = site.build().user_error();
    assert_lines(
        &run.stderr,
        &[
            "content/notes.md:9:55: error: footnote `[^frist]` is not defined",
            "  = help: did you mean `[^first]`?",
            "build failed: 1 error; the output folder was left as it was",
        ],
    );
    assert_eq!(tree(&site.public()), before);
}

#[test]
fn an_unreferenced_definition_is_a_warning_at_its_line() {
    let site = toolkit_site("footnotes");
    let text = site.read(NOTES) + "[^spare]: Never referred to.\n";
    site.write(NOTES, text);
    let run = site.build().success();
    assert_lines(
        &run.stderr,
        &[
            "content/notes.md:18:1: warning: footnote `[^spare]` is never referred to",
            "  = help: refer to it with `[^spare]` in the text, or remove it",
        ],
    );
    let html = site.html("notes/index.html");
    assert_eq!(
        attrs(&html, "section.footnotes li", "id"),
        ["fn:first", "fn:cost", "fn:cw"]
    );
}

#[test]
fn a_definition_written_twice_is_an_error() {
    let site = toolkit_site("footnotes");
    site.build().success();
    let before = tree(&site.public());
    let text = site.read(NOTES) + "[^cost]: Again.\n";
    site.write(NOTES, text);
    let run = site.build().user_error();
    assert_eq!(tree(&site.public()), before);
    assert_lines(
        &run.stderr,
        &[
            "content/notes.md:18:1: error: footnote `[^cost]` is defined twice",
            "  = help: remove one of the two definitions, or give it another label",
        ],
    );
}

#[test]
fn identical_ids_written_by_a_shortcode_fail_build_and_check() {
    let site = toolkit_site("footnotes");
    site.build().success();
    let before = tree(&site.public());
    site.write(
        "templates/shortcodes/box.html",
        "<div id=\"box\" class=\"box\">{{ body_html | safe }}</div>\n",
    );
    let text = site.read(NOTES)
        + "\n{% box() %}one{% end %}\n\n{% box() %}two{% end %}\n\n{% box() %}three{% end %}\n";
    site.write(NOTES, text);
    for command in ["build", "check"] {
        let run = site.run(&[command]).user_error();
        assert_lines(
            &run.stderr,
            &[
                "content/notes.md:19:1: error: the id `box` appears 3 times on this page: \
                 shortcode `box` at line 19, shortcode `box` at line 21, shortcode `box` at line 23",
                "  = help: an id must be unique on its page: give a heading its own with \
                 `{#other-id}`, or change what the shortcode or template writes",
            ],
        );
    }
    assert_eq!(tree(&site.public()), before);
}

#[test]
fn a_heading_whose_id_a_template_also_writes_is_an_error() {
    let site = toolkit_site("footnotes");
    site.build().success();
    let before = tree(&site.public());
    let text = site.read(NOTES) + "\n## Main\n";
    site.write(NOTES, text);
    let run = site.build().user_error();
    assert_lines(
        &run.stderr,
        &[
            "content/notes.md:19:1: error: the id `main` appears 2 times on this page: \
             a heading at line 19, templates/page.html (or a template it uses)",
        ],
    );
    assert_eq!(tree(&site.public()), before);
}

#[test]
fn a_heading_with_a_footnote_id_written_as_its_own_is_an_error() {
    let site = toolkit_site("footnotes");
    site.build().success();
    let before = tree(&site.public());
    let text = site.read(NOTES) + "\n## Costs {#fn:cost}\n";
    site.write(NOTES, text);
    let run = site.build().user_error();
    assert_eq!(tree(&site.public()), before);
    assert_lines(
        &run.stderr,
        &[
            "content/notes.md:19:1: error: the id `fn:cost` appears 2 times on this page: \
           a heading at line 19, a footnote at line 15",
        ],
    );
}

#[test]
fn problems_inside_shortcode_bodies_are_reported_at_their_lines() {
    let site = toolkit_site("footnotes");
    site.build().success();
    let before = tree(&site.public());
    let text = site.read(NOTES).replace(
        "- The meeting took place.[^cw]\n",
        "- The meeting took place.[^wc]\n\n[^inner]: Defined inside, never used.\n",
    );
    site.write(NOTES, text);
    let run = site.build().user_error();
    assert_lines(
        &run.stderr,
        &[
            "content/notes.md:12:26: error: footnote `[^wc]` is not defined",
            "  = help: define it on a line of its own: `[^wc]: the note`",
            "content/notes.md:14:1: warning: footnote `[^inner]` is never referred to",
            "content/notes.md:19:1: warning: footnote `[^cw]` is never referred to",
            "build failed: 1 error; the output folder was left as it was",
        ],
    );
    assert_eq!(tree(&site.public()), before);
}

#[test]
fn a_definition_inside_a_shortcode_body_serves_the_whole_page() {
    let site = toolkit_site("footnotes");
    let text = site
        .read(NOTES)
        .replace("[^cw]: Confirmed by both sides.\n", "")
        .replace(
            "{% end %}",
            "\n[^cw]: Confirmed by both sides, inside the block.\n{% end %}\n\nSee also.[^cw]",
        );
    site.write(NOTES, text);
    let run = site.build().success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let html = site.html("notes/index.html");
    assert_eq!(
        attrs(&html, "sup.footnote-ref a", "id"),
        [
            "fnref:first",
            "fnref:cost",
            "fnref:first-2",
            "fnref:cw",
            "fnref:cw-2"
        ]
    );
    assert_eq!(
        texts(&html, "section.footnotes li#fn\\:cw p"),
        ["Confirmed by both sides, inside the block. ↩"]
    );
}

#[test]
fn an_id_a_template_writes_twice_is_an_error_on_the_template() {
    let site = toolkit_site("footnotes");
    site.build().success();
    let before = tree(&site.public());
    let template = site.read("templates/page.html").replace(
        "{{ m::body(page=page) }}",
        "{{ m::body(page=page) }}\n<p id=\"main\">Again.</p>",
    );
    site.write("templates/page.html", template);
    let run = site.build().user_error();
    assert_lines(
        &run.stderr,
        &[
            "templates/page.html: error: the id `main` appears 2 times on content/notes.md: \
             templates/page.html (or a template it uses) 2 times",
            "build failed: 1 error; the output folder was left as it was",
        ],
    );
    assert_eq!(tree(&site.public()), before);
}

#[test]
fn a_citation_inside_a_note_keeps_its_anchor() {
    let site = toolkit_site("footnotes")
        .file("sources.yaml", "- id: a\n  title: A source\n")
        .file(
            "content/cited.md",
            "---\ntitle: Cited\n---\nText with a note.[^n]\n\n\
             [^n]: The note cites.{{ cite(source=\"a\", at=\"p. 1\") }}\n",
        );
    site.build().success();
    let page = site.html("cited/index.html");
    assert_eq!(
        attrs(&page, "section.footnotes sup.cite a", "id"),
        ["cite-1"]
    );
    assert_eq!(attrs(&page, "section.page-sources a", "href"), ["#cite-1"]);
}
