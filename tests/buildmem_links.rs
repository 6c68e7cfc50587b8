//! A one-off `dossier build` checks each page's links as the page is written, and keeps of the
//! page only its anchors and the links it could not settle then (a fragment on another page, a
//! file made later or not at all). What it reports is exactly what the in-memory build (the one
//! `serve` uses, which keeps every page's scan until the end) reports, and a failed build leaves
//! the previous output as it was.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::TestSite;
use dossier::output::Collected;
use dossier::site::{build, build_into, Silent};

const BOB: &str = "---
title: \"Bob\"
weight: 2
slug: robert
template: person.html
---
Bob knows [Amy](@/people/amy/index.md).

## The plan

Bob's plan.
";

/// Links of every kind: sound ones settled as the page is written, sound ones settled at the
/// end (another page's anchor, the feed written after the pages), and broken ones of both.
const LATER: &str = "---
title: \"Later\"
weight: 30
---
What happens later. Back to [the start](@/_index.md).

## Our plan

Read [Bob's plan](@/people/bob.md#the-plan) and [our plan](#our-plan), or [the feed](/atom.xml).

Not [Bob's plna](@/people/bob.md#the-plna), nor [ours](#our-plna), nor [the style](/style.cs).
";

fn site() -> TestSite {
    let site = TestSite::fixture("basic");
    site.write("content/people/bob.md", BOB);
    site
}

#[test]
fn links_settled_as_pages_are_written_and_at_the_end_report_every_broken_one_at_its_line() {
    let site = site();
    site.fails_with(
        &[("content/later.md", LATER)],
        "content/later.md:11:5: error: broken link: `/people/robert/#the-plna`: the page has no anchor `#the-plna`
   |
11 | Not [Bob's plna](@/people/bob.md#the-plna), nor [ours](#our-plna), nor [the style](/style.cs).
   |     ^
  = help: did you mean `#the-plan`?

content/later.md:11:49: error: broken link: `/later/#our-plna`: the page has no anchor `#our-plna`
   |
11 | Not [Bob's plna](@/people/bob.md#the-plna), nor [ours](#our-plna), nor [the style](/style.cs).
   |                                                 ^
  = help: did you mean `#our-plan`?

content/later.md:11:72: error: broken link: `/style.cs` does not exist in the output
   |
11 | Not [Bob's plna](@/people/bob.md#the-plna), nor [ours](#our-plna), nor [the style](/style.cs).
   |                                                                        ^
  = help: link to a page with `@/path.md`, to a heading with `#id`, or to a file in static/ with `/name`

build failed: 3 errors; the output folder was left as it was
",
    );
}

#[test]
fn a_one_off_build_reports_what_the_in_memory_build_reports() {
    let site = site();
    site.write("content/later.md", LATER);
    let kept = build(&site.options(), &Silent).unwrap_err();
    let streamed = build_into(&site.options(), &Silent, &Collected::default()).unwrap_err();
    assert_eq!(streamed, kept);
    assert_eq!(streamed.error_count(), 3);
}

#[test]
fn links_settled_only_at_the_end_are_sound_when_they_land() {
    let site = site();
    let sound = LATER.split("\n\nNot").next().unwrap();
    site.write("content/later.md", format!("{sound}\n"));
    site.build().success();
    let streamed = build_into(&site.options(), &Silent, &Collected::default());
    assert!(streamed.is_ok(), "{streamed:?}");
}
