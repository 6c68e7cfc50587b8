//! `atom.xml`, read back with a real Atom parser (`atom_syndication`): every entry has an id, a
//! title, an updated stamp and a link; dated entries come first, newest first; undated pages
//! follow in reading order; ids and links are absolute with `base_url` and stable `urn:uuid:`
//! ids with links relative to the feed without it; every page points to the feed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use atom_syndication::Feed;
use common::site::{attrs, copy_tree, tree, TestSite};
use std::collections::BTreeSet;
use std::path::Path;

fn themed() -> TestSite {
    let site = TestSite::fixture("toolkit/dates");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["templates", "static"] {
        copy_tree(&repo.join(part), &site.path(part));
    }
    site
}

fn feed(site: &TestSite) -> Feed {
    site.read("public/atom.xml")
        .parse::<Feed>()
        .expect("atom.xml is an Atom feed")
}

/// (title, updated, link) of every entry, in order.
fn entries(feed: &Feed) -> Vec<(String, String, String)> {
    feed.entries()
        .iter()
        .map(|e| {
            let links: Vec<_> = e
                .links()
                .iter()
                .filter(|l| l.rel() == "alternate")
                .collect();
            assert_eq!(links.len(), 1, "{}", e.title().value);
            (
                e.title().value.clone(),
                e.updated().to_rfc3339(),
                links[0].href().to_owned(),
            )
        })
        .collect()
}

const EXPECTED: [(&str, &str, &str); 9] = [
    // `updated: 2026-11-29` moves the page's own entry to the top.
    (
        "Why the harbour closed",
        "2026-11-29T00:00:00+00:00",
        "closure/",
    ),
    (
        "Update: Why the harbour closed",
        "2026-11-28T15:45:00+00:00",
        "closure/",
    ),
    ("What it costs", "2026-11-25T18:30:00+00:00", "costs/"),
    (
        "Correction: What it costs",
        "2026-11-25T18:30:00+00:00",
        "costs/",
    ),
    (
        "Update: Why the harbour closed",
        "2026-11-22T00:00:00+00:00",
        "closure/",
    ),
    (
        "Correction: Why the harbour closed",
        "2026-11-21T00:00:00+00:00",
        "closure/",
    ),
    (
        "The harbour closure, explained",
        "2026-11-20T00:00:00+00:00",
        "./",
    ),
    // Undated pages, in reading order, stamped with the newest date of the feed.
    ("Background", "2026-11-29T00:00:00+00:00", "background/"),
    ("What changed", "2026-11-29T00:00:00+00:00", "changes/"),
];

#[test]
fn the_feed_parses_and_every_entry_has_an_id_title_stamp_and_link() {
    let site = themed();
    site.build().success();
    let feed = feed(&site);
    assert_eq!(feed.title().value, "The harbour closure");
    assert_eq!(feed.updated().to_rfc3339(), "2026-11-29T00:00:00+00:00");
    assert_eq!(feed.authors()[0].name(), "City desk");
    let got = entries(&feed);
    let expected: Vec<(String, String, String)> = EXPECTED
        .iter()
        .map(|(t, u, l)| ((*t).to_owned(), (*u).to_owned(), (*l).to_owned()))
        .collect();
    assert_eq!(got, expected);
    // Without base_url: stable urn:uuid ids, all different, none equal to the feed's.
    let ids: BTreeSet<&str> = feed
        .entries()
        .iter()
        .map(atom_syndication::Entry::id)
        .collect();
    assert_eq!(ids.len(), EXPECTED.len());
    assert!(!ids.contains(feed.id()));
    for id in ids.iter().chain([&feed.id()]) {
        let uuid = id.strip_prefix("urn:uuid:").expect(id);
        assert_eq!(uuid.len(), 36, "{id}");
    }
    // Links are relative to the feed, at the site root: each names a built page.
    let public = site.public();
    for (_, _, link) in &got {
        let page = public
            .join(link.trim_start_matches("./"))
            .join("index.html");
        assert!(page.is_file(), "{link} names no page");
    }
    // Published dates and summaries.
    let closure = &feed.entries()[0];
    assert_eq!(
        closure.published().unwrap().to_rfc3339(),
        "2026-11-20T08:00:00+00:00"
    );
    let correction = &feed.entries()[3];
    assert_eq!(
        correction.summary().unwrap().value,
        "The repair estimate is €12 million, not €21 million (a figure transposed by <mistake> & not by design)."
    );
    assert_eq!(correction.categories()[0].term(), "correction");
    assert_eq!(feed.entries()[7].published(), None);
}

#[test]
fn with_a_base_url_ids_and_links_are_absolute() {
    let site = themed();
    site.run(&["build", "--base-url", "https://example.org/harbour"])
        .success();
    let feed = feed(&site);
    assert_eq!(feed.id(), "https://example.org/harbour/atom.xml");
    let links: Vec<(&str, &str)> = feed.links().iter().map(|l| (l.rel(), l.href())).collect();
    assert_eq!(
        links,
        [
            ("self", "https://example.org/harbour/atom.xml"),
            ("alternate", "https://example.org/harbour/")
        ]
    );
    let ids: Vec<&str> = feed
        .entries()
        .iter()
        .map(atom_syndication::Entry::id)
        .collect();
    assert_eq!(
        ids,
        [
            "https://example.org/harbour/closure/",
            "https://example.org/harbour/closure/#update-2026-11-28T15:45:00Z",
            "https://example.org/harbour/costs/",
            "https://example.org/harbour/costs/#correction-2026-11-25T18:30:00Z",
            "https://example.org/harbour/closure/#update-2026-11-22T00:00:00Z",
            "https://example.org/harbour/closure/#correction-2026-11-21T00:00:00Z",
            "https://example.org/harbour/",
            "https://example.org/harbour/background/",
            "https://example.org/harbour/changes/",
        ]
    );
    let links: Vec<String> = entries(&feed).into_iter().map(|(_, _, l)| l).collect();
    assert_eq!(links[0], "https://example.org/harbour/closure/");
    assert_eq!(links[6], "https://example.org/harbour/");
}

#[test]
fn the_feed_is_deterministic_and_ids_do_not_depend_on_the_order() {
    let site = themed();
    site.build().success();
    let first = site.read("public/atom.xml");
    site.build().success();
    assert_eq!(site.read("public/atom.xml"), first);
    let id_of = |feed: &Feed, title: &str| {
        feed.entries()
            .iter()
            .find(|e| e.title().value == title)
            .unwrap()
            .id()
            .to_owned()
    };
    let before = id_of(&feed(&site), "Background");
    // A new dated page changes the order, not the ids.
    site.write(
        "content/later.md",
        "---\ntitle: Later\ndate: 2026-12-01\n---\nSee [why it closed](@/closure.md).\n",
    );
    site.build().success();
    let after = feed(&site);
    assert_eq!(after.entries()[0].title().value, "Later");
    assert_eq!(id_of(&after, "Background"), before);
}

#[test]
fn two_changes_on_the_same_day_get_different_ids() {
    let site = themed();
    site.write(
        "content/background.md",
        "---\ntitle: Background\nupdates:\n  - {date: 2026-11-23, note: One.}\n  - {date: 2026-11-23, note: Two.}\n---\nSee [why it closed](@/closure.md).\n",
    );
    site.run(&["build", "--base-url", "https://example.org/"])
        .success();
    let ids: Vec<String> = feed(&site)
        .entries()
        .iter()
        .filter(|e| e.title().value == "Update: Background")
        .map(|e| e.id().to_owned())
        .collect();
    assert_eq!(
        ids,
        [
            "https://example.org/background/#update-2026-11-23T00:00:00Z",
            "https://example.org/background/#update-2026-11-23T00:00:00Z-2",
        ]
    );
}

#[test]
fn every_page_of_the_shipped_theme_points_to_the_feed() {
    let site = themed();
    site.build().success();
    for (path, _) in tree(&site.public()) {
        let path = path.to_string_lossy().replace('\\', "/");
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let html = site.html(&path);
        let hrefs = attrs(
            &html,
            "head link[rel=alternate][type='application/atom+xml']",
            "href",
        );
        let depth = path.matches('/').count();
        assert_eq!(
            hrefs,
            [format!("{}atom.xml", "../".repeat(depth))],
            "{path}"
        );
    }
}

#[test]
fn the_shipped_explainer_has_a_valid_feed_of_undated_pages() {
    let site = TestSite::fixture(".");
    site.build().success();
    let feed = feed(&site);
    assert!(!feed.entries().is_empty());
    // Its pages have no dates (its one source gives none): all undated, at the epoch.
    for entry in feed.entries() {
        assert_eq!(
            entry.updated().to_rfc3339(),
            "1970-01-01T00:00:00+00:00",
            "{}",
            entry.title().value
        );
        assert!(!entry.id().is_empty() && !entry.title().value.is_empty());
        assert_eq!(entry.links().len(), 1);
    }
    assert_eq!(feed.entries()[0].links()[0].href(), "./");
}
