//! Checks a rebuild skips when what they read is unchanged: the output claims are checked again
//! only when something that claims an output file changed, so a clash an edit makes is still
//! reported, exactly as a clean build reports it, and fixing it builds again; backlinks are kept
//! while no body's links change, and follow an edit that adds or removes a link; the sitemap
//! and the feed are kept while every page's place and front matter read the same.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::site::{change_of, clean_files, rebuilt_files, TestSite};
use dossier::site::{build, Silent};
use dossier::watch::{RebuildOutcome, Rebuilder};

#[test]
fn a_clash_made_by_an_edit_after_clear_claims_is_reported_as_a_clean_build_reports_it() {
    let site = TestSite::fixture("serve/converge");
    let mut rebuilder = Rebuilder::new(site.options(), None);
    rebuilt_files(rebuilder.rebuild(&Silent));
    // A body edit: the claims read as before.
    let alice = site.read("content/alice.md");
    site.write("content/alice.md", format!("{alice}\nAlice, edited.\n"));
    assert_eq!(
        rebuilt_files(rebuilder.rebuild_after(&change_of(&["content/alice.md"]), &Silent)),
        clean_files(&site)
    );
    // Now alice takes bob's address.
    let clashing = alice.replacen("---\n", "---\nslug: bob\n", 1);
    site.write("content/alice.md", &clashing);
    let RebuildOutcome::Failed(errors) =
        rebuilder.rebuild_after(&change_of(&["content/alice.md"]), &Silent)
    else {
        panic!("the clash was not reported");
    };
    let clean_errors = build(&site.options(), &Silent).unwrap_err();
    assert_eq!(errors.to_string(), clean_errors.to_string());
    let error = errors.iter().next().unwrap();
    assert_eq!(
        (error.location(), error.message.as_str()),
        (
            "content/bob.md:1:1".to_owned(),
            "two pages have the slug `bob`: this one and content/alice.md"
        )
    );
    // Fixed again: the site builds, as a clean build does.
    site.write("content/alice.md", &alice);
    assert_eq!(
        rebuilt_files(rebuilder.rebuild_after(&change_of(&["content/alice.md"]), &Silent)),
        clean_files(&site)
    );
}

/// The backlinks list on `page`'s output, as the fixture's template writes it.
fn backlinks_of(files: &[(String, Vec<u8>)], page: &str) -> String {
    let html = &files.iter().find(|f| f.0 == page).unwrap().1;
    let html = String::from_utf8_lossy(html);
    html.split("<ul class=\"backlinks\">")
        .nth(1)
        .map_or(String::new(), |rest| {
            rest.split("</ul>").next().unwrap().to_owned()
        })
}

#[test]
fn kept_backlinks_follow_a_body_edit_that_adds_or_removes_a_link() {
    let site = TestSite::fixture("serve/converge");
    let mut rebuilder = Rebuilder::new(site.options(), None);
    let first = rebuilt_files(rebuilder.rebuild(&Silent));
    assert!(!backlinks_of(&first, "alice/index.html").contains("Bob"));
    let bob = site.read("content/bob.md");
    // A body edit that keeps bob's links: the backlinks are kept, and equal a clean build's.
    site.write("content/bob.md", format!("{bob}\nBob, edited.\n"));
    let kept = rebuilt_files(rebuilder.rebuild_after(&change_of(&["content/bob.md"]), &Silent));
    assert_eq!(kept, clean_files(&site));
    // Bob now links to Alice: Alice's backlinks name Bob.
    site.write(
        "content/bob.md",
        format!("{bob}\nBob knows [Alice](@/alice.md).\n"),
    );
    let linked = rebuilt_files(rebuilder.rebuild_after(&change_of(&["content/bob.md"]), &Silent));
    assert!(backlinks_of(&linked, "alice/index.html").contains("Bob"));
    assert_eq!(linked, clean_files(&site));
    // And no longer.
    site.write("content/bob.md", &bob);
    let unlinked = rebuilt_files(rebuilder.rebuild_after(&change_of(&["content/bob.md"]), &Silent));
    assert!(!backlinks_of(&unlinked, "alice/index.html").contains("Bob"));
    assert_eq!(unlinked, clean_files(&site));
}

fn file_text(files: &[(String, Vec<u8>)], name: &str) -> String {
    String::from_utf8_lossy(&files.iter().find(|f| f.0 == name).unwrap().1).into_owned()
}

#[test]
fn kept_sitemap_and_feed_follow_a_title_a_date_and_the_settings() {
    let site = TestSite::fixture("serve/converge");
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{config}base_url: https://example.org/\n"),
    );
    let mut rebuilder = Rebuilder::new(site.options(), None);
    rebuilt_files(rebuilder.rebuild(&Silent));
    let alice = site.read("content/alice.md");
    // A body edit: both files are kept, as a clean build makes them.
    site.write("content/alice.md", format!("{alice}\nAlice, edited.\n"));
    let edited = rebuilt_files(rebuilder.rebuild_after(&change_of(&["content/alice.md"]), &Silent));
    assert_eq!(edited, clean_files(&site));
    // A new title and a date: the feed names the title, the sitemap gives the date.
    let dated = alice.replacen("title: Alice", "title: Alice Renamed\ndate: 2024-05-06", 1);
    site.write("content/alice.md", &dated);
    let renamed =
        rebuilt_files(rebuilder.rebuild_after(&change_of(&["content/alice.md"]), &Silent));
    assert!(file_text(&renamed, "atom.xml").contains("<title>Alice Renamed</title>"));
    assert!(file_text(&renamed, "sitemap.xml").contains("<lastmod>2024-05-06</lastmod>"));
    assert_eq!(renamed, clean_files(&site));
    // Another base URL: both files move with it.
    site.write(
        "site.yaml",
        format!("{config}base_url: https://example.net/\n"),
    );
    let moved = rebuilt_files(rebuilder.rebuild_after(&change_of(&["site.yaml"]), &Silent));
    assert!(file_text(&moved, "sitemap.xml").contains("https://example.net/alice/"));
    assert!(file_text(&moved, "atom.xml").contains("https://example.net/alice/"));
    assert_eq!(moved, clean_files(&site));
}
