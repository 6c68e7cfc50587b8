//! Files a site reads stay the site's own: a symlink under `static/` may not lead into
//! `content/` (it would publish the Markdown sources), and a symlink under `templates/` may not
//! lead out of `templates/` (a template can put any file it reads into a page). Each refusal is
//! an error at the symlink, and the previous output is left as it was.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{tree, TestSite};
use std::os::unix::fs::symlink;

/// Builds `site`, applies `change`, and checks that the next build fails with exactly `expected`
/// as its standard error and leaves the output as it was.
fn refused_after(site: &TestSite, change: impl FnOnce(&TestSite), expected: &str) {
    site.build().success();
    let before = tree(&site.public());
    change(site);
    let run = site.build().user_error();
    assert_eq!(run.stderr, expected);
    assert_eq!(tree(&site.public()), before, "the output changed");
}

fn failed(errors: usize) -> String {
    let noun = if errors == 1 { "error" } else { "errors" };
    format!("build failed: {errors} {noun}; the output folder was left as it was\n")
}

#[test]
fn a_symlink_from_static_into_content_is_refused() {
    let site = TestSite::fixture("basic");
    refused_after(
        &site,
        |site| {
            symlink("../content", site.path("static/pages")).unwrap();
            symlink("../content/later.md", site.path("static/later.md")).unwrap();
        },
        &format!(
            "static/later.md: error: this symlink points to `../content/later.md`, inside content/: files under static/ are published as they are, so it would publish the site's Markdown sources
  = help: link from content/ to static/ instead, or copy the files you want published into static/

static/pages: error: this symlink points to `../content`, inside content/: files under static/ are published as they are, so it would publish the site's Markdown sources
  = help: link from content/ to static/ instead, or copy the files you want published into static/

{}",
            failed(2)
        ),
    );
    assert!(!site.public().join("pages").exists());
    assert!(!site.public().join("later.md").exists());
}

#[test]
fn a_symlink_within_static_is_still_followed() {
    let site = TestSite::fixture("basic").file("static/files/note.txt", "note");
    symlink("files", site.path("static/mirror")).unwrap();
    site.build().success();
    assert_eq!(site.read("public/mirror/note.txt"), "note");
}

#[test]
fn a_template_symlink_leading_out_of_templates_is_refused() {
    let site = TestSite::fixture("basic").file("../secret.html", "<p>secret</p>");
    let secret = site.path("../secret.html");
    refused_after(
        &site,
        |site| {
            symlink(&secret, site.path("templates/secret.html")).unwrap();
            symlink("../content", site.path("templates/sources")).unwrap();
        },
        &format!(
            "templates/secret.html: error: this symlink points to `{}`, outside the site's templates/ folder
  = help: copy the template into templates/ instead; dossier reads templates only from there, so nothing from elsewhere ends up in a page

templates/sources: error: this symlink points to `../content`, outside the site's templates/ folder
  = help: copy the template into templates/ instead; dossier reads templates only from there, so nothing from elsewhere ends up in a page

{}",
            secret.display(),
            failed(2)
        ),
    );
}

#[test]
fn a_template_symlink_within_templates_is_still_followed() {
    let site = TestSite::fixture("basic");
    symlink("page.html", site.path("templates/article.html")).unwrap();
    site.write(
        "content/later.md",
        site.read("content/later.md")
            .replacen("---\n", "---\ntemplate: article.html\n", 1),
    );
    site.build().success();
    assert!(site.public().join("later/index.html").is_file());
}
