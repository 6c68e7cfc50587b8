//! What the dev server holds between builds, counted in bytes from public accessors and
//! compared with what the same things take held plainly: the Markdown texts (only each page's
//! front matter, the body read again when it renders), the kept bodies (what only their page
//! reads packed with their HTML, set aside on disk unless the print page reads them all), the
//! pages' scanned links (one string per page, not one per
//! link) and the generated pages (packed like every other page). And that a message placed in
//! a body the cache kept still lands on its line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::site::{change_of, clean_files, rebuilt_files, TestSite};
use dossier::output::FileBytes;
use dossier::serve::{plain_text, ServerState};
use dossier::site::Silent;
use dossier::watch::{RebuildOutcome, Rebuilder};

const NOTES: usize = 20;

/// A page with a table of contents and a few kilobytes of prose.
fn note(i: usize) -> String {
    let paragraph = format!(
        "Note {i} records who spoke, what was agreed and what is left for the next \
         meeting, with the figures read out at the end.\n\n"
    );
    let sections: String = (0..4)
        .map(|s| format!("## Part {s}\n\n{}", paragraph.repeat(8)))
        .collect();
    format!("---\ntitle: Note {i}\n---\n\n{sections}")
}

fn site() -> TestSite {
    let site = TestSite::fixture("serve/converge");
    for i in 0..NOTES {
        site.write(&format!("content/note-{i}.md"), note(i));
    }
    site
}

fn built(rebuilder: &mut Rebuilder, state: &ServerState, paths: Option<&[&str]>) {
    let outcome = match paths {
        Some(paths) => rebuilder.rebuild_after(&change_of(paths), &Silent),
        None => rebuilder.rebuild(&Silent),
    };
    if let RebuildOutcome::Failed(d) = &outcome {
        panic!("the build failed:\n{}", plain_text(d));
    }
    state.finished(&outcome);
}

/// The bytes of every Markdown file of the site, as on disk.
fn markdown_bytes(site: &TestSite) -> usize {
    walk(&site.path("content"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| std::fs::metadata(p).unwrap().len() as usize)
        .sum()
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// The texts the cache holds are the front matters: a small part of the Markdown files.
fn assert_texts_not_held(site: &TestSite, rebuilder: &Rebuilder) {
    let held = rebuilder.cache().held_text_bytes();
    let on_disk = markdown_bytes(site);
    let front_matters = NOTES * "---\ntitle: Note 10\n---\n".len();
    assert!(held > 0, "the front matters are held");
    assert!(
        held * 10 < on_disk,
        "{held} bytes of text held for {on_disk} bytes of Markdown"
    );
    let notes_held = held.saturating_sub(front_matters);
    assert!(
        notes_held * 10 < on_disk,
        "beyond the notes' front matters: {notes_held}"
    );
}

#[test]
fn texts_are_held_as_front_matter_and_read_again_to_render() {
    let site = site();
    let state = ServerState::default();
    let mut rebuilder = Rebuilder::new(site.options(), None);
    built(&mut rebuilder, &state, None);
    assert_texts_not_held(&site, &rebuilder);

    // An edit of a body: read again, rendered, served; the text is let go of again.
    site.write("content/note-4.md", note(4) + "\nAdded at the end.\n");
    built(&mut rebuilder, &state, Some(&["content/note-4.md"]));
    let sent = state.site().files["note-4/index.html"].body();
    assert!(String::from_utf8_lossy(&sent).contains("Added at the end."));
    assert_texts_not_held(&site, &rebuilder);
    assert_eq!(rebuilder.cache().report().bodies_rendered, 1);

    // A template change renders every body again from the files.
    let page = site.read("templates/page.html") + "{# again #}\n";
    site.write("templates/page.html", page);
    let outcome = rebuilder.rebuild_after(&change_of(&["templates/page.html"]), &Silent);
    assert!(rebuilder.cache().report().bodies_rendered > NOTES);
    state.finished(&outcome);
    assert_texts_not_held(&site, &rebuilder);
    assert_eq!(rebuilt_files(outcome), clean_files(&site));
}

#[test]
fn kept_bodies_pack_what_only_their_page_reads() {
    let site = site();
    let state = ServerState::default();
    let mut rebuilder = Rebuilder::new(site.options(), None);
    built(&mut rebuilder, &state, None);
    let cache = rebuilder.cache();
    assert_eq!(cache.bodies_with_plain_parts(), 0);
    let notes_html: usize = (0..NOTES)
        .map(|i| {
            state.site().files[format!("note-{i}/index.html").as_str()]
                .body()
                .len()
        })
        .sum();
    assert!(
        cache.held_body_bytes() * 3 < notes_html,
        "{} bytes held for the bodies of {notes_html} bytes of pages",
        cache.held_body_bytes()
    );
    // A page rendered again from a kept body (its neighbour's title changed) has its table
    // of contents: what was packed unpacks.
    let neighbour = note(6).replace("title: Note 6", "title: Note six");
    site.write("content/note-6.md", neighbour);
    let outcome = rebuilder.rebuild_after(&change_of(&["content/note-6.md"]), &Silent);
    let rendered = rebuilder.cache().rendered().to_vec();
    assert!(rendered.len() > 1, "{rendered:?}");
    state.finished(&outcome);
    assert_eq!(rebuilt_files(outcome), clean_files(&site));
    assert_eq!(rebuilder.cache().bodies_with_plain_parts(), 0);
    assert_eq!(rebuilder.cache().held_body_bytes(), 0);
}

#[test]
fn scanned_links_are_held_as_one_string_per_page() {
    let site = site();
    let state = ServerState::default();
    let mut rebuilder = Rebuilder::new(site.options(), None);
    built(&mut rebuilder, &state, None);
    // Every internal link of every page, as the check reads them.
    let served = state.site();
    let mut links = 0;
    let mut link_bytes = 0;
    for (name, file) in &served.files {
        if !name.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(file.file().to_vec()).unwrap();
        let how = dossier::links::html::Rewrite {
            output: name,
            relativize: false,
            base: None,
            index_links: false,
        };
        let scan = dossier::links::html::rewrite(&html, how).1;
        links += scan.links.len();
        link_bytes += scan.links.iter().map(str::len).sum::<usize>();
    }
    assert!(links > 10 * NOTES, "{links} links");
    let held = rebuilder.cache().held_scan_bytes();
    // Held plainly, each link would be a `String` (three words) with its own allocation.
    let plain = links * std::mem::size_of::<String>() + link_bytes;
    assert!(
        held * 2 < plain,
        "{held} bytes held for {links} links ({plain} plain)"
    );
}

#[test]
fn generated_pages_are_held_packed() {
    let site = TestSite::fixture_with_shipped_theme("parity/tags");
    let state = ServerState::default();
    let mut rebuilder = Rebuilder::new(site.options(), None);
    built(&mut rebuilder, &state, None);
    // The print page reads every body: they are kept packed in memory.
    let notes_html: usize = ["story/index.html", "people/amy/index.html"]
        .iter()
        .map(|name| state.site().files[*name].body().len())
        .sum();
    let held = rebuilder.cache().held_body_bytes();
    assert!(held > 0 && held < notes_html, "{held}");
    let snapshot = rebuilder.last();
    let generated = [
        "tags/index.html",
        "print/index.html",
        "404.html",
        "atom.xml",
    ];
    for name in generated {
        let file = &snapshot.files[name];
        assert!(matches!(file, FileBytes::Packed(_)), "{name} is held plain");
        assert!(file.held().len() < file.bytes().len(), "{name}");
        assert!(
            state.site().files[name].file().shares(file),
            "{name} held twice"
        );
    }
    let tag_pages = (snapshot.files.iter())
        .filter(|(name, _)| name.starts_with("tags/") && name.ends_with(".html"))
        .count();
    assert!(tag_pages > 2, "{tag_pages}");
    for (name, file) in &snapshot.files {
        let text = name.ends_with(".html") || name.ends_with(".xml");
        assert_eq!(matches!(file, FileBytes::Packed(_)), text, "{name}");
    }
    // Sent as built, with the live-reload tag.
    let sent = String::from_utf8(state.site().files["tags/index.html"].body().to_vec()).unwrap();
    assert!(sent.contains("/__dossier/live.js"), "{sent}");
    let clean = clean_files(&site);
    let (_, index) = clean.iter().find(|(n, _)| n == "tags/index.html").unwrap();
    assert_eq!(snapshot.files["tags/index.html"].to_vec(), *index);
}

#[test]
fn a_message_in_a_kept_body_is_placed_at_its_line() {
    let site = site();
    site.write(
        "content/note-2.md",
        note(2) + "\nSee [the first part](@/note-3.md#part-0) of the next note.\n",
    );
    let state = ServerState::default();
    let mut rebuilder = Rebuilder::new(site.options(), None);
    built(&mut rebuilder, &state, None);
    let before = rebuilder.last().clone();
    // The heading note-2 links to is renamed: note-2's body is kept, its text not held.
    site.write(
        "content/note-3.md",
        note(3).replace("## Part 0", "## Part zero"),
    );
    let outcome = rebuilder.rebuild_after(&change_of(&["content/note-3.md"]), &Silent);
    let RebuildOutcome::Failed(diagnostics) = &outcome else {
        panic!("the broken anchor was not found");
    };
    let line = note(2).lines().count() + 2;
    assert_eq!(
        plain_text(diagnostics),
        format!(
            "content/note-2.md:{line}:5: error: broken link: `/note-3/#part-0`: the page has no \
             anchor `#part-0`\n   |\n{line} | See [the first part](@/note-3.md#part-0) of the \
             next note.\n   |     ^\n  = help: did you mean `#part-3`?\n\n"
        )
    );
    state.finished(&outcome);
    assert!(std::sync::Arc::ptr_eq(rebuilder.last(), &before));
}
