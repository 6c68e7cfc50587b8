//! A one-off `dossier build` holds as little as it can between a page's body and its page: the
//! body's parts are set aside (one shared empty body stands in unless the site's indexes read
//! it), its links are kept as the pages they name (backlinks are found from those), the pages'
//! front matter texts are let go of during the body pass, and the feed and the sitemap are made
//! first, at their exact size. None of it changes a byte: the output equals the in-memory build
//! (the one `serve` uses, which keeps every body whole), backlinks, warnings and feed included.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{tree, TestSite};
use dossier::output::MARKER;
use dossier::site::{build, Silent};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Links to Bob from two pages (one twice, one to itself too), a link to a file that is not a
/// page, dated changes for the feed, a footnote never referenced (a warning: that body is kept
/// for the site's indexes) and text the feed and the sitemap escape.
const PAGES: [(&str, &str); 3] = [
    (
        "content/people/carl.md",
        "---
title: \"Carl & <Co>\"
date: 2026-01-02
description: \"Carl's \\\"plan\\\" & more\"
updates:
  - date: 2026-02-03
    note: \"Added <the> plan\"
corrections:
  - date: 2026-02-04
    note: \"Bob's name\"
---
Carl knows [Bob](@/people/bob.md) and [Bob again](@/people/bob.md), and [himself](@/people/carl.md).
",
    ),
    (
        "content/people/dora.md",
        "---
title: \"Dora\"
---
Dora knows [Bob](@/people/bob.md), [Carl](@/people/carl.md) and [the map](/img/map.svg).

A note[^1].

[^2]: Never referenced.

[^1]: Referenced.
",
    ),
    (
        "content/people/eve.md",
        "---
title: \"Eve\"
date: 2026-03-01T10:30:00+02:00
template: person.html
---
Nobody links to Eve; she links to [Dora](@/people/dora.md).
",
    ),
];

fn site(base_url: bool) -> TestSite {
    let site = TestSite::fixture("basic");
    for (path, text) in PAGES {
        site.write(path, text);
    }
    if base_url {
        let config = site.read("site.yaml");
        site.write(
            "site.yaml",
            format!("{config}base_url: \"https://example.org/docs/\"\n"),
        );
    }
    site
}

/// The in-memory build's files.
fn in_memory(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let options = dossier::site::BuildOptions {
        root: root.to_path_buf(),
        drafts: false,
        report_orphans: false,
        overrides: Default::default(),
    };
    let built = build(&options, &Silent).unwrap();
    (built.files.iter())
        .map(|(name, source)| {
            (
                PathBuf::from(name.as_str()),
                source.read().unwrap().into_owned(),
            )
        })
        .collect()
}

fn assert_one_off_equals_in_memory(site: &TestSite) {
    let run = site.build().success();
    run.expect_stderr(
        "content/people/dora.md:8:1: warning: footnote `[^2]` is never referred to\n",
    );
    let mut written = tree(&site.public());
    assert!(written.remove(Path::new(MARKER)).is_some(), "no marker");
    let expected = in_memory(site.root());
    let names = |t: &BTreeMap<PathBuf, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&written), names(&expected));
    for (name, bytes) in &expected {
        assert!(written[name] == *bytes, "{} differs", name.display());
    }
}

#[test]
fn a_one_off_build_with_parked_bodies_equals_the_in_memory_build() {
    assert_one_off_equals_in_memory(&site(false));
}

#[test]
fn its_feed_and_sitemap_with_a_base_url_equal_the_in_memory_build() {
    let site = site(true);
    assert_one_off_equals_in_memory(&site);
    let feed = site.read("public/atom.xml");
    assert!(
        feed.contains("<title>Carl &amp; &lt;Co&gt;</title>"),
        "{feed}"
    );
    assert!(feed.contains("<title>Correction: Carl &amp; &lt;Co&gt;</title>"));
    assert!(feed.ends_with("</entry>\n</feed>\n"), "{feed}");
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/docs/people/carl/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn backlinks_found_in_the_body_pass_name_each_linking_page_once_in_reading_order() {
    let site = site(false);
    site.build().success();
    let bob = site.texts("people/robert/index.html", "#backlinks li");
    assert_eq!(bob, ["Background", "Carl & <Co>", "Dora"]);
    let eve = site.texts("people/eve/index.html", "#backlinks li");
    assert!(eve.is_empty(), "{eve:?}");
}
