//! A file replaced with one of the same size and time stamp (`cp -p`, `rsync -t`, `tar x`) is
//! seen by `serve` and `watch`: what they serve and write equals a clean build.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::serve::as_built;
use common::site::{tree, TestSite};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// An hour ago: old enough that the time stamp is trusted.
fn an_hour_ago() -> SystemTime {
    SystemTime::now() - Duration::from_secs(3600)
}

fn set_time(path: &Path, time: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

/// `rsync -t`/`tar x`: a new file renamed over the old one, keeping its time stamp.
fn replace_by_rename(site: &TestSite, rel: &str, text: &str, time: SystemTime) {
    let temp = site.path(&format!("{rel}.tmp~"));
    std::fs::write(&temp, text).unwrap();
    set_time(&temp, time);
    std::fs::rename(&temp, site.path(rel)).unwrap();
}

/// `cp -p`: the same file overwritten in place, its time stamp set back.
fn replace_in_place(site: &TestSite, rel: &str, text: &str, time: SystemTime) {
    std::fs::write(site.path(rel), text).unwrap();
    set_time(&site.path(rel), time);
}

const NOTE_A: &str = "---\ntitle: First note\nweight: 1\n---\nAlpha text. ![A dot](pic.png)\n";
const NOTE_B: &str = "---\ntitle: First note\nweight: 1\n---\nOmega text. ![A dot](pic.png)\n";

#[test]
fn serve_sees_same_size_same_time_replacements() {
    let site = TestSite::fixture("serve/basic");
    let time = an_hour_ago();
    site.write("static/notes.txt", "version A\n");
    set_time(&site.path("static/notes.txt"), time);
    site.write("content/notes/first.md", NOTE_A);
    set_time(&site.path("content/notes/first.md"), time);
    let server = site.serve(&[]);
    assert_eq!(server.get("/notes.txt").text(), "version A\n");
    // Let the server read every file again (its stamps are now old, hence trusted).
    server.settle(&site, "one");

    replace_by_rename(&site, "static/notes.txt", "version B\n", time);
    replace_in_place(&site, "content/notes/first.md", NOTE_B, time);
    server.settle(&site, "two");
    assert_eq!(server.get("/notes.txt").text(), "version B\n");

    let out = site.scratch().join("clean");
    site.build_into(&out).success();
    for name in ["notes.txt", "notes/first/index.html"] {
        let path = format!("/{}", name.trim_end_matches("index.html"));
        let served = as_built(name, &server.get(&path).body);
        assert_eq!(served, std::fs::read(out.join(name)).unwrap(), "{name}");
    }
    assert!(
        String::from_utf8_lossy(&std::fs::read(out.join("notes/first/index.html")).unwrap())
            .contains("Omega text.")
    );

    replace_in_place(&site, "static/notes.txt", "version C\n", time);
    server.settle(&site, "three");
    assert_eq!(server.get("/notes.txt").text(), "version C\n");
}

#[test]
fn watch_writes_same_size_same_time_replacements() {
    let site = TestSite::fixture("serve/basic");
    let time = an_hour_ago();
    site.write("static/notes.txt", "version A\n");
    set_time(&site.path("static/notes.txt"), time);
    site.write("content/notes/first.md", NOTE_A);
    set_time(&site.path("content/notes/first.md"), time);
    let watcher = site.watch();
    let rebuilds = watcher.rebuilds();
    site.write("static/zz.txt", "1");
    watcher.wait_for_rebuilds(rebuilds + 1);

    let rebuilds = watcher.rebuilds();
    replace_by_rename(&site, "static/notes.txt", "version B\n", time);
    replace_in_place(&site, "content/notes/first.md", NOTE_B, time);
    watcher.wait_for_rebuilds(rebuilds + 1);
    std::thread::sleep(Duration::from_millis(500));
    let rebuilds = watcher.rebuilds();
    site.write("static/zz.txt", "2");
    watcher.wait_for_rebuilds(rebuilds + 1);

    let out = site.scratch().join("clean");
    site.build_into(&out).success();
    let (written, clean) = (tree(&site.path("public")), tree(&out));
    let differing: Vec<_> = clean
        .keys()
        .chain(written.keys())
        .filter(|name| written.get(*name) != clean.get(*name))
        .collect();
    assert!(
        differing.is_empty(),
        "differs from a clean build: {differing:?}"
    );
    assert_eq!(site.read("public/notes.txt"), "version B\n");
}
