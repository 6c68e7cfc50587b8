//! A one-off `dossier build` sets aside, with each body's HTML, everything only that body's page
//! reads (its excerpt, table of contents, where each id comes from, its links as written) and
//! reads it all back when the page is rendered. The pages come out as the in-memory build (the
//! one `serve` uses, which packs nothing) makes them, and a mistake found after the page is
//! written (an id written twice, a broken link) is placed where the in-memory build places it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{clean_files, tree, TestSite};
use dossier::output::{Collected, MARKER};
use dossier::site::{build, build_into, Silent};
use std::path::Path;

/// Nested headings (a table of contents two levels deep), an excerpt, a footnote and a
/// shortcode: every part of a body that is packed.
const PLAN: &str = "---
title: \"The plan\"
weight: 40
---
Before the break.[^n]

<!-- more -->

## First step

{% quote(who=\"amy\") %}Start small.{% end %}

### Details

See [the start](@/_index.md) and [details](#details).

## Second step

Then [the rest](@/later.md).

[^n]: A note.
";

#[test]
fn pages_whose_bodies_were_packed_are_the_in_memory_builds_pages() {
    let site = TestSite::fixture("basic");
    site.write("content/plan.md", PLAN);
    site.build().success();
    let mut streamed = tree(&site.public());
    assert!(streamed.remove(Path::new(MARKER)).is_some(), "no marker");
    let expected = clean_files(&site);
    assert_eq!(streamed.len(), expected.len());
    for (name, bytes) in &expected {
        assert!(streamed[Path::new(name)] == *bytes, "{name} differs");
    }
    let toc = site.texts("plan/index.html", "nav#toc a");
    assert_eq!(toc, ["First step", "Details", "Second step"]);
}

#[test]
fn an_id_written_twice_is_placed_at_the_heading_that_wrote_it() {
    let site = TestSite::fixture("basic");
    // The theme's table of contents is `<nav id="toc">`.
    let clash = PLAN.replace("## Second step", "## Toc");
    site.fails_with(
        &[("content/plan.md", &clash)],
        "content/plan.md:17:1: error: the id `toc` appears 2 times on this page: a heading at \
line 17, templates/page.html (or a template it uses)
   |
17 | ## Toc
   | ^
  = help: an id must be unique on its page: give a heading its own with `{#other-id}`, or \
change what the shortcode or template writes

build failed: 1 error; the output folder was left as it was
",
    );
    let kept = build(&site.options(), &Silent).unwrap_err();
    let streamed = build_into(&site.options(), &Silent, &Collected::default()).unwrap_err();
    assert_eq!(streamed, kept);
    assert_eq!(streamed.error_count(), 1);
}
