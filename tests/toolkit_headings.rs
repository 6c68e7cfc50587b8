//! A page with 100,000 headings builds: numbering headings and checking anchors are linear
//! (they were quadratic: 118 s at 100k). No timing is asserted; the test must simply finish.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{copy_tree, TestSite};
use std::fmt::Write as _;
use std::path::Path;

const HEADINGS: usize = 100_000;

#[test]
fn a_page_with_100k_headings_builds_with_every_anchor_checked() {
    let site = TestSite::fixture("toolkit/footnotes");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["templates", "static"] {
        copy_tree(&repo.join(part), &site.path(part));
    }
    let mut text = String::from("---\ntitle: \"Many\"\n---\nSee [the home page](@/_index.md).\n\n");
    for i in 0..HEADINGS {
        // Every heading has the same text, so each id needs the numbering of all before it.
        writeln!(text, "## Part\n\nBack to [part {i}](#{}).\n", part_id(i)).unwrap();
    }
    site.write("content/many.md", &text);
    site.build().success();
    let page = site.read("public/many/index.html");
    for i in [0, 1, HEADINGS / 2, HEADINGS - 1] {
        let id = part_id(i);
        assert!(page.contains(&format!("<h2 id=\"{id}\">Part")), "{id}");
    }
    assert_eq!(page.matches("<h2 id=\"part").count(), HEADINGS);

    // One broken anchor among them is still found.
    site.write("content/many.md", text + "[nowhere](#part-100000)\n");
    let run = site.build().user_error();
    assert!(
        run.stderr
            .contains("broken link: `/many/#part-100000`: the page has no anchor `#part-100000`"),
        "{}",
        run.stderr
    );
}

fn part_id(i: usize) -> String {
    if i == 0 {
        "part".to_owned()
    } else {
        format!("part-{i}")
    }
}
