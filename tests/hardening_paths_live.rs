//! The same refusal of symlinks out of the site while `dossier watch` and `dossier serve` run:
//! a symlinked folder made during a session fails the rebuild with the located error, nothing
//! from it is copied or served, and the previous output stays as it was. Files whose names hold
//! reserved characters are served at their percent-encoded URLs.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::serve::wait_until;
use common::site::{tree, TestSite};
use std::os::unix::fs::symlink;

const FIXTURE: &str = "hardening/paths";

/// A folder outside the site with a secret in it.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
    dir
}

fn refusal(folder: &str, target: &std::path::Path) -> String {
    format!(
        "{folder}/leak: error: this symlink points to `{}`, outside the site's content/ and static/ folders",
        target.display()
    )
}

#[test]
fn watch_refuses_a_symlinked_folder_made_while_it_runs() {
    let site = TestSite::fixture(FIXTURE);
    let secret = outside();
    let watcher = site.watch();
    let before = tree(&site.path("public"));
    symlink(secret.path(), site.path("content/leak")).unwrap();
    let expected = refusal("content", secret.path());
    wait_until("the refusal", || {
        watcher.stderr().lines().any(|l| l.ends_with(&expected))
    });
    watcher.wait_for_rebuilds(1);
    assert!(!site.path("public/leak").exists());
    assert_eq!(tree(&site.path("public")), before);
}

#[test]
fn serve_never_serves_files_from_a_symlinked_folder() {
    let site = TestSite::fixture(FIXTURE);
    let secret = outside();
    let server = site.serve(&[]);
    assert_eq!(server.get("/").status, 200);
    symlink(secret.path(), site.path("static/leak")).unwrap();
    let expected = refusal("static", secret.path());
    wait_until("the refusal", || {
        server.stderr().lines().any(|l| l.ends_with(&expected))
    });
    wait_until("an idle server", || server.status()["busy"] == false);
    let reply = server.get("/leak/secret.txt");
    assert_eq!(reply.status, 404);
    assert!(!reply.text().contains("secret"));
}

#[test]
fn serve_finds_files_with_reserved_characters_at_their_encoded_urls() {
    let site = TestSite::fixture(FIXTURE);
    site.write("content/100%.txt", "percent");
    site.write("content/a#b.txt", "hash");
    site.write("content/what?.txt", "query");
    site.write("content/Ünï code.txt", "unicode");
    let server = site.serve(&[]);
    for (url, body) in [
        ("/100%25.txt", "percent"),
        ("/a%23b.txt", "hash"),
        ("/what%3F.txt", "query"),
        ("/%C3%9Cn%C3%AF%20code.txt", "unicode"),
    ] {
        let reply = server.get(url);
        assert_eq!((reply.status, reply.text().as_str()), (200, body), "{url}");
    }
    assert_eq!(
        server.get("/a").status,
        404,
        "`#` is never a path separator"
    );
}
