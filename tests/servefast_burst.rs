//! The dev server starts a rebuild as soon as the first events of a change are in, and a build
//! that more events of the same burst overtake is abandoned: never published, the site built
//! again, so the burst still gives one published rebuild, and it equals a clean build. Driven
//! through `watch::burst::settle` with scripted events, so no timing is involved.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{change_of, clean_files, rebuilt_files, TestSite};
use dossier::site::Silent;
use dossier::watch::burst::{settle, Events};
use dossier::watch::{Change, RebuildOutcome, Rebuilder};
use std::sync::Arc;
use std::time::Duration;

const NOTE: &str = "content/notes/first.md";

fn note(body: &str) -> String {
    format!("---\ntitle: First note\nweight: 1\n---\n{body}\n")
}

/// A burst that goes on while the first build runs: the first time it is asked, the note is
/// saved again; after that the file system is quiet.
struct SavedAgain<'a> {
    site: &'a TestSite,
    asked: usize,
}

impl Events for SavedAgain<'_> {
    fn more(&mut self, change: &mut Change, _wait: Duration) -> Option<bool> {
        self.asked += 1;
        if self.asked > 1 {
            return Some(false);
        }
        self.site.write(NOTE, note("Saved again."));
        change.paths.insert(NOTE.into());
        Some(true)
    }
}

#[test]
fn a_build_the_burst_overtakes_is_never_published() {
    let site = TestSite::fixture("serve/basic");
    let mut rebuilder = Rebuilder::new(site.options(), None);
    let RebuildOutcome::Built(first) = rebuilder.rebuild(&Silent) else {
        panic!("the first build failed");
    };
    site.write(NOTE, note("Saved once."));
    let mut builds = 0;
    let mut events = SavedAgain {
        site: &site,
        asked: 0,
    };
    let settled = settle(&mut events, change_of(&[NOTE]), |change| {
        let attempt = rebuilder.attempt_after(change, &Silent);
        // Until it is published, the last build is still the first one.
        assert!(Arc::ptr_eq(rebuilder.last(), &first.snapshot));
        builds += 1;
        attempt
    })
    .unwrap();
    // Two builds ran: the first read the first save, the burst overtook it, the second did not.
    assert_eq!(builds, 2);
    assert_eq!(settled.abandoned, 1);
    assert_eq!(settled.change, change_of(&[NOTE]));
    let outcome = rebuilder.publish(settled.outcome);
    let RebuildOutcome::Built(rebuilt) = &outcome else {
        panic!("the rebuild failed");
    };
    assert!(Arc::ptr_eq(rebuilder.last(), &rebuilt.snapshot));
    // Its diff is against the last published build, the abandoned one never was.
    assert!(rebuilt
        .diff
        .changed
        .iter()
        .any(|p| p.as_str() == "notes/first/index.html"));
    let files = rebuilt_files(outcome);
    let (_, page) = files
        .iter()
        .find(|(name, _)| name == "notes/first/index.html")
        .unwrap();
    let page = String::from_utf8_lossy(page);
    assert!(page.contains("Saved again."), "{page}");
    assert!(!page.contains("Saved once."));
    assert_eq!(files, clean_files(&site));
}

/// Events that never come: the file system is quiet.
struct Quiet;

impl Events for Quiet {
    fn more(&mut self, _change: &mut Change, _wait: Duration) -> Option<bool> {
        Some(false)
    }
}

#[test]
fn a_quiet_change_is_built_once_and_published() {
    let site = TestSite::fixture("serve/basic");
    let mut rebuilder = Rebuilder::new(site.options(), None);
    assert!(matches!(
        rebuilder.rebuild(&Silent),
        RebuildOutcome::Built(_)
    ));
    site.write(NOTE, note("Saved once."));
    let mut builds = 0;
    let settled = settle(&mut Quiet, change_of(&[NOTE]), |change| {
        builds += 1;
        rebuilder.attempt_after(change, &Silent)
    })
    .unwrap();
    assert_eq!((builds, settled.abandoned), (1, 0));
    let files = rebuilt_files(rebuilder.publish(settled.outcome));
    assert_eq!(files, clean_files(&site));
}
