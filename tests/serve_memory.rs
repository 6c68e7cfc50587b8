//! The dev server holds the site compactly: every page it serves is held LZ4-packed, in the one
//! allocation the build cache keeps (never a second copy, even after a build that renders a page
//! again to the same bytes), and the cache's kept bodies are packed too. Measured by counting
//! the bytes held, against the size of the output they stand for.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::site::{change_of, clean_files, rebuilt_files, TestSite};
use dossier::serve::ServerState;
use dossier::site::Silent;
use dossier::watch::{RebuildOutcome, Rebuilder};

const NOTES: usize = 20;

/// A page whose body is a few kilobytes of ordinary prose.
fn note(i: usize) -> String {
    let paragraph = format!(
        "Note {i} says what the meeting decided about the budget, the schedule and who \
         writes the minutes; the next meeting reads them aloud before anything else.\n\n"
    );
    format!("---\ntitle: Note {i}\n---\n\n{}", paragraph.repeat(40))
}

fn site() -> TestSite {
    let site = TestSite::fixture("serve/converge");
    for i in 0..NOTES {
        site.write(&format!("content/note-{i}.md"), note(i));
    }
    site
}

/// What the served site and the cache hold, checked against the output they stand for.
fn assert_held_once_and_packed(state: &ServerState, rebuilder: &Rebuilder) {
    let served = state.site();
    let cache = rebuilder.cache();
    let output = rebuilder.last();
    let html: usize = (output.files.iter())
        .filter(|(name, _)| name.ends_with(".html"))
        .map(|(_, file)| file.bytes().len())
        .sum();
    let all: usize = output.files.values().map(|file| file.bytes().len()).sum();
    // Packed: the prose of the notes packs to far less than a third.
    assert!(
        served.held_bytes() * 3 < all,
        "served site holds {} bytes for {all} bytes of output",
        served.held_bytes()
    );
    assert!(
        cache.held_page_bytes() * 3 < html,
        "the cache holds {} bytes of pages for {html} bytes of HTML",
        cache.held_page_bytes()
    );
    let notes_html: usize = (0..NOTES)
        .map(|i| {
            output.files[format!("note-{i}/index.html").as_str()]
                .bytes()
                .len()
        })
        .sum();
    assert!(
        cache.held_body_bytes() * 3 < notes_html,
        "the cache holds {} bytes of bodies beside {notes_html} bytes of their pages",
        cache.held_body_bytes()
    );
    // Once: the page the server sends is the allocation the cache keeps, not a copy.
    for (source, output) in (0..NOTES)
        .map(|i| (format!("note-{i}.md"), format!("note-{i}/index.html")))
        .chain([("alice.md".into(), "alice/index.html".into())])
    {
        let kept = cache.kept_page(&source).expect(&source);
        let sent = &served.files[output.as_str()];
        assert!(sent.file().shares(kept), "{output} is held twice");
        assert!(output_of(rebuilder, &output).shares(kept), "{output}");
    }
}

fn output_of<'a>(rebuilder: &'a Rebuilder, name: &str) -> &'a dossier::output::FileBytes {
    &rebuilder.last().files[name]
}

#[test]
fn served_pages_are_held_packed_and_once() {
    let site = site();
    let state = ServerState::default();
    let mut rebuilder = Rebuilder::new(site.options(), None);
    let outcome = rebuilder.rebuild(&Silent);
    assert!(matches!(outcome, RebuildOutcome::Built(_)));
    state.finished(&outcome);
    assert_held_once_and_packed(&state, &rebuilder);
    // What is sent is the page as built, with the live-reload tag.
    let sent = state.site().files["note-3/index.html"].body();
    let sent = String::from_utf8(sent.to_vec()).unwrap();
    assert!(
        sent.contains("Note 3 says what the meeting decided"),
        "{sent}"
    );
    assert!(sent.contains("/__dossier/live.js"), "{sent}");

    // A template change that changes no output: every page is rendered again, to the same
    // bytes; the served site moves to the new allocations and lets go of the old ones.
    let page = site.read("templates/page.html") + "{# the same output #}\n";
    site.write("templates/page.html", page);
    let outcome = rebuilder.rebuild_after(&change_of(&["templates/page.html"]), &Silent);
    let RebuildOutcome::Built(rebuilt) = &outcome else {
        panic!("the rebuild failed");
    };
    assert!(
        rebuilt.report.pages_rendered > NOTES,
        "{:?}",
        rebuilt.report
    );
    assert!(rebuilt.diff.is_empty(), "{:?}", rebuilt.diff);
    state.finished(&outcome);
    assert_held_once_and_packed(&state, &rebuilder);
    assert_eq!(rebuilt_files(outcome), clean_files(&site));

    // An edit: the edited page is sent as it now reads, still held once.
    let edited = note(5) + "\nEdited at the end.\n";
    site.write("content/note-5.md", edited);
    let outcome = rebuilder.rebuild_after(&change_of(&["content/note-5.md"]), &Silent);
    state.finished(&outcome);
    assert_held_once_and_packed(&state, &rebuilder);
    let sent = state.site().files["note-5/index.html"].body();
    assert!(String::from_utf8_lossy(&sent).contains("Edited at the end."));
    assert_eq!(rebuilt_files(outcome), clean_files(&site));
}
