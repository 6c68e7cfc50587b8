//! A rebuild told which files changed (as the dev server's watcher tells it) looks only at those:
//! it reuses the last listing of `content/` instead of walking it and checking every file, and
//! still makes byte for byte what a clean build makes. Changes that alter the listing (a file
//! created, removed or renamed) or a lost track of events make it walk as before.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::site::{change_of, clean_files, rebuilt_files, TestSite};
use dossier::site::Silent;
use dossier::watch::{Change, RebuildOutcome, Rebuilder};

/// The files of the rebuild after `change`, as (output path, bytes).
fn rebuilt(rebuilder: &mut Rebuilder, change: &Change) -> Vec<(String, Vec<u8>)> {
    rebuilt_files(rebuilder.rebuild_after(change, &Silent))
}

fn started(site: &TestSite) -> Rebuilder {
    let mut rebuilder = Rebuilder::new(site.options(), None);
    assert!(matches!(
        rebuilder.rebuild(&Silent),
        RebuildOutcome::Built(_)
    ));
    rebuilder
}

#[test]
fn named_edits_equal_a_clean_build() {
    let site = TestSite::fixture("serve/converge");
    let mut rebuilder = started(&site);
    let alice = site.read("content/alice.md") + "\nAlice, edited.\n";
    site.write("content/alice.md", alice);
    let files = rebuilt(&mut rebuilder, &change_of(&["content/alice.md"]));
    assert!(
        String::from_utf8_lossy(&files.iter().find(|f| f.0 == "alice/index.html").unwrap().1)
            .contains("Alice, edited.")
    );
    assert_eq!(files, clean_files(&site));
    // An atomic save (a new file renamed over the old one) and a template edit at once.
    let bob = site.read("content/bob.md") + "\nBob, saved atomically.\n";
    site.write("content/.bob.md.tmp", &bob);
    std::fs::rename(
        site.path("content/.bob.md.tmp"),
        site.path("content/bob.md"),
    )
    .unwrap();
    let page = site.read("templates/page.html") + "\n";
    site.write("templates/page.html", page);
    let files = rebuilt(
        &mut rebuilder,
        &change_of(&["content/bob.md", "templates/page.html"]),
    );
    assert_eq!(files, clean_files(&site));
}

#[test]
fn only_the_named_files_are_looked_at_again() {
    let site = TestSite::fixture("serve/converge");
    let mut rebuilder = started(&site);
    let alice = site.read("content/alice.md") + "\nNamed.\n";
    let bob = site.read("content/bob.md") + "\nNot named.\n";
    site.write("content/alice.md", alice);
    site.write("content/bob.md", bob);
    let files = rebuilt(&mut rebuilder, &change_of(&["content/alice.md"]));
    let page = |files: &[(String, Vec<u8>)], name: &str| {
        String::from_utf8_lossy(&files.iter().find(|f| f.0 == name).unwrap().1).into_owned()
    };
    assert!(page(&files, "alice/index.html").contains("Named."));
    assert!(!page(&files, "bob/index.html").contains("Not named."));
    // A rebuild that is not told what changed looks at every file.
    let files = match rebuilder.rebuild(&Silent) {
        RebuildOutcome::Built(r) => r
            .snapshot
            .files
            .iter()
            .map(|(n, b)| (n.to_string(), b.to_vec()))
            .collect::<Vec<_>>(),
        RebuildOutcome::Failed(d) => panic!("{d:?}"),
    };
    assert!(page(&files, "bob/index.html").contains("Not named."));
    assert_eq!(files, clean_files(&site));
}

#[test]
fn created_removed_and_lost_track_changes_walk_the_folder() {
    let site = TestSite::fixture("serve/converge");
    let mut rebuilder = started(&site);
    site.write("content/carol.md", "---\ntitle: Carol\n---\nNew.\n");
    let files = rebuilt(&mut rebuilder, &change_of(&["content/carol.md"]));
    assert!(files.iter().any(|f| f.0 == "carol/index.html"));
    assert_eq!(files, clean_files(&site));
    site.remove("content/carol.md");
    let files = rebuilt(&mut rebuilder, &change_of(&["content/carol.md"]));
    assert!(!files.iter().any(|f| f.0 == "carol/index.html"));
    assert_eq!(files, clean_files(&site));
    // Events were lost: whatever the change names, every file is looked at.
    let bob = site.read("content/bob.md") + "\nChanged unseen.\n";
    site.write("content/bob.md", bob);
    let lost = Change {
        paths: Default::default(),
        rescan: true,
    };
    let files = rebuilt(&mut rebuilder, &lost);
    assert_eq!(files, clean_files(&site));
}
