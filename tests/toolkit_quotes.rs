//! Verified quotes: a `quote` with a `source` whose text is present must be in that text, word
//! for word, up to whitespace, typographic quotes and dashes, elisions, bracketed insertions and
//! the case of a first letter. A misquote fails the build at the quotation's line, shows the
//! closest passage and names the first word that differs; the previous output stays as it was.
//! With the text absent, the build says once, in one line, how many quotations went unchecked.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;
mod toolkit_support;

use toolkit_support::{fails_keeping_output, has_lines, site};

fn replace_in(site: &common::site::TestSite, path: &str, from: &str, to: &str) {
    let text = site.read(path);
    assert!(text.contains(from), "{path} lacks {from:?}");
    site.write(path, text.replace(from, to));
}

#[test]
fn typographic_variants_elisions_brackets_and_first_letter_case_pass() {
    let site = site("basic");
    site.write(
        "content/variants.md",
        "---\ntitle: Variants\nweight: 9\n---\n\
         Back to [the story](@/story.md).\n\n\
         {% quote(source=\"statement\", who=\"a\") %}We don\u{2019}t know yet \u{2014} it is early.{% end %}\n\n\
         {% quote(source=\"statement\", who=\"b\") %}\u{201C}We don't know yet -- it is   early.\u{201D}{% end %}\n\n\
         {% quote(source=\"statement\", who=\"c\") %}the harbour master added that ... more would follow.{% end %}\n\n\
         {% quote(source=\"statement\", who=\"d\") %}We don't know yet \u{2026} Nobody expected a final agreement.{% end %}\n\n\
         {% quote(source=\"statement\", who=\"e\") %}[The harbour talks] were very constructive{% end %}\n\n\
         {% quote(source=\"statement\", who=\"f\") %}[T]he talks were very constructive{% end %}\n\n\
         {% quote(source=\"statement\", who=\"g\") %}The talks were *very constructive*{% end %}\n\n\
         {% quote(source=\"statement\", who=\"h\") %}nobody expected a final agreement.{% end %}\n",
    );
    let run = site.build().success();
    assert!(!run.stderr.contains("not verified"), "{}", run.stderr);
    assert!(site.public().join("variants/index.html").is_file());
}

#[test]
fn one_changed_word_fails_at_the_quotation_with_the_closest_passage() {
    let site = site("basic");
    let run = fails_keeping_output(&site, |s| {
        replace_in(
            s,
            "content/story.md",
            "We don't know yet - it is early.",
            "We don't know now - it is early.",
        );
    });
    has_lines(
        &run,
        &[
            "content/story.md:9:1: error: the quotation differs from source `statement` at “now”: the source has “yet”",
            "  |",
            "9 | {% quote(source=\"statement\", who=\"mayor\") %}We don't know now - it is early.{% end %}",
            "  | ^",
            "  = help: the closest passage (sources/statement.txt:1) reads: “The mayor said: “We don’t know yet — it is early.” Later, the harbour master added that the talks were very constructive…”",
        ],
    );
    has_lines(
        &run,
        &["build failed: 1 error; the output folder was left as it was"],
    );
}

#[test]
fn a_sentence_stitched_from_two_places_fails() {
    let site = site("basic");
    let run = fails_keeping_output(&site, |s| {
        replace_in(
            s,
            "content/story.md",
            "very constructive … more would follow",
            "very constructive. Nobody expected a final agreement",
        );
    });
    has_lines(
        &run,
        &[
            "content/story.md:11:32: error: the quotation differs from source `statement` at “constructive.”: the source has “follow.”",
            "   |",
            "11 | The harbour master called them {% quote(source=\"statement\", who=\"master\", inline=true) %}very constructive. Nobody expected a final agreement{% end %}.",
            "   |                                ^",
            "  = help: the closest passage (sources/statement.txt:2) reads: “…were very constructive and that more would follow. Nobody expected a final agreement.”",
        ],
    );
}

#[test]
fn elided_pieces_out_of_order_fail() {
    let site = site("basic");
    let run = fails_keeping_output(&site, |s| {
        replace_in(
            s,
            "content/story.md",
            "very constructive … more would follow",
            "more would follow … very constructive",
        );
    });
    has_lines(
        &run,
        &["content/story.md:11:32: error: the quotation differs from source `statement`: its words are there, but not in this order"],
    );
}

#[test]
fn a_quote_naming_an_unknown_source_is_an_error_with_a_suggestion() {
    let site = site("basic");
    let run = fails_keeping_output(&site, |s| {
        replace_in(
            s,
            "content/story.md",
            "quote(source=\"statement\", who=\"mayor\")",
            "quote(source=\"statment\", who=\"mayor\")",
        );
    });
    has_lines(
        &run,
        &["content/story.md:9:1: error: unknown source `statment`"],
    );
    has_lines(
        &run,
        &["  = help: did you mean `statement`? Sources are listed in sources.yaml"],
    );
}

#[test]
fn an_absent_text_is_said_once_in_one_line_and_is_not_an_error() {
    let site = site("basic");
    site.remove("sources/statement.txt");
    // A misquote cannot be caught without the text: the build goes on and says so.
    replace_in(
        &site,
        "content/story.md",
        "We don't know yet",
        "We don't know now",
    );
    let run = site.build().success();
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("not verified"))
        .collect();
    assert_eq!(
        lines,
        ["sources.yaml: warning: 2 quotations were not verified: the text of source `statement` (sources/statement.txt) is absent"],
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("help"), "{}", run.stderr);
}

#[test]
fn a_restored_text_is_read_again_by_the_same_build_process() {
    // `dossier build` twice: the second sees the text again and catches the misquote.
    let site = site("basic");
    let text = site.read("sources/statement.txt");
    site.remove("sources/statement.txt");
    replace_in(
        &site,
        "content/story.md",
        "We don't know yet",
        "We don't know now",
    );
    site.build().success();
    site.write("sources/statement.txt", text);
    site.build().user_error();
}
