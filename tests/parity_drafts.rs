//! Drafts that can be linked: a link to a page marked `draft: true` is plain text with a warning
//! naming `--drafts` in a normal build, and a link with `--drafts`; `check --drafts` then counts it
//! and does not call the draft an orphan.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{attrs, TestSite};

const WARNING: &str = "content/_index.md:6:23: warning: `@/outlook.md#next` links to a draft, so it is shown as plain text
  |
6 | What comes next is in [the outlook](@/outlook.md#next).
  |                       ^
  = help: build with `--drafts` to include the draft and link to it
";

#[test]
fn a_link_to_a_draft_is_plain_text_with_a_warning() {
    let site = TestSite::fixture("parity/drafts");
    let run = site.build().success();
    assert_eq!(run.stderr, WARNING);
    let home = site.read("public/index.html");
    assert!(
        home.contains("<p>What comes next is in the outlook.</p>"),
        "{home}"
    );
    assert_eq!(
        attrs(&site.html("index.html"), "main a", "href"),
        ["background/"]
    );
    assert!(!site.path("public/outlook").exists());
    // `check` passes too, with the same warning.
    let run = site.run(&["check"]).success();
    assert_eq!(run.stderr, WARNING);
}

#[test]
fn with_drafts_the_link_is_a_link_and_the_draft_is_no_orphan() {
    let site = TestSite::fixture("parity/drafts");
    let run = site.run(&["build", "--drafts"]).success();
    assert_eq!(run.stderr, "");
    assert_eq!(
        attrs(&site.html("index.html"), "main a", "href"),
        ["background/", "outlook/#next"]
    );
    let run = site.run(&["check", "--drafts"]).success();
    assert_eq!(run.stderr, "");
}

#[test]
fn a_link_to_a_page_that_does_not_exist_is_still_an_error() {
    let site = TestSite::fixture("parity/drafts");
    site.remove("content/outlook.md");
    let run = site.build().user_error();
    assert_eq!(
        run.stderr,
        "content/_index.md:6:23: error: broken link `@/outlook.md#next`: there is no content/outlook.md
  |
6 | What comes next is in [the outlook](@/outlook.md#next).
  |                       ^
  = help: an `@/` link names a Markdown file by its path under content/, like `@/background.md`

build failed: 1 error; the output folder was left as it was
"
    );
}
