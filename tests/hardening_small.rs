//! Smaller holes: `dossier new` quotes titles so they parse back and never writes through a
//! symbolic link; `base_url` must be a plain URL (it ends up in attributes); a NUL in Markdown
//! becomes U+FFFD.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{texts, tree, TestSite};

#[test]
fn new_quotes_titles_that_yaml_would_misread() {
    for (title, line) in [
        ("C:\\temp\\", "title: \"C:\\\\temp\\\\\""),
        (
            "say \"hi\": now # not a comment",
            "title: \"say \\\"hi\\\": now # not a comment\"",
        ),
        ("tab\there", "title: \"tab\\u0009here\""),
    ] {
        let site = TestSite::fixture("basic");
        site.run(&["new", "--title", title, "notes/win"]).success();
        let text = site.read("content/notes/win.md");
        assert_eq!(text.lines().nth(1), Some(line), "{text}");
        site.build().success();
        let html = site.html("notes/win/index.html");
        assert_eq!(texts(&html, "h1"), [title.trim()], "{title}");
    }
}

#[test]
fn new_never_writes_through_a_symbolic_link() {
    let site = TestSite::fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    // A dangling link to a file outside the site, and a folder linked to outside it.
    std::os::unix::fs::symlink(outside.path().join("evil.md"), site.path("content/evil.md"))
        .unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("content/linked")).unwrap();
    for (path, message) in [
        ("evil", "content/evil.md: error: content/evil.md is a symbolic link; dossier does not create pages through links"),
        ("linked/page", "content/linked/page.md: error: content/linked is a symbolic link; dossier does not create pages through links"),
    ] {
        let run = site.run(&["new", path]).user_error();
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(
            lines[..2],
            [message, "  = help: remove the link or choose a path without one"]
        );
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0, "{path}");
    }
}

#[test]
fn base_url_must_be_a_plain_url() {
    for (value, problem) in [
        (
            "https://e.org/\\\"><b>",
            "contains `\"`, which URLs do not allow; percent-encode it",
        ),
        (
            "https://e.org/a b/",
            "contains the character U+0020, which URLs do not allow; percent-encode it",
        ),
        (
            "https://e.org/<x>/",
            "contains `<`, which URLs do not allow; percent-encode it",
        ),
        (
            "https://e.org/x?y=1",
            "has a query or fragment (`?`); a base URL is the address of a folder",
        ),
        ("https:///x/", "has no host name"),
        ("javascript:alert(1)", "is not an absolute http(s) URL"),
    ] {
        let site = TestSite::fixture("basic");
        site.build().success();
        let before = tree(&site.public());
        let yaml = site.read("site.yaml");
        site.write("site.yaml", format!("{yaml}base_url: \"{value}\"\n"));
        let run = site.build().user_error();
        let shown = value.replace("\\\"", "\"");
        let line = yaml.lines().count() + 1;
        assert_eq!(
            run.stderr.lines().next().unwrap(),
            format!("site.yaml:{line}:1: error: base_url `{shown}` {problem}"),
        );
        assert!(run.stderr.contains("  = help: write a plain absolute URL like `https://example.org/explainer/` (percent-encode anything else), or leave it out: internal links never need it"));
        assert_eq!(tree(&site.public()), before, "{value}");
    }
}

#[test]
fn base_url_on_the_command_line_is_checked_too() {
    let site = TestSite::fixture("basic");
    let run = site
        .run(&["build", "--base-url", "https://e.org/\"onmouseover=\"x"])
        .user_error();
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "error: --base-url `https://e.org/\"onmouseover=\"x` contains `\"`, which URLs do not allow; percent-encode it"
    );
}

#[test]
fn a_valid_base_url_reaches_the_not_found_page_intact() {
    let site = TestSite::fixture("basic");
    let yaml = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{yaml}base_url: \"https://e.org/a%20b/x;y=1/\"\n"),
    );
    site.build().success();
    let page = site.read("public/404.html");
    assert!(page.contains("href=\"https://e.org/a%20b/x;y=1/"), "{page}");
}

#[test]
fn a_nul_in_markdown_becomes_the_replacement_character() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/later.md",
        "---\ntitle: \"Later\"\n---\n# J\0K\n\nA\0B and `c\0d` and <span title=\"e\0f\">g</span>\n\n```\nh\0i\n```\n",
    );
    site.build().success();
    let html = site.read("public/later/index.html");
    assert!(!html.contains('\0'), "a NUL reached the page");
    for expected in [
        "A\u{FFFD}B",
        "<code>c\u{FFFD}d</code>",
        "e\u{FFFD}f",
        "h\u{FFFD}i",
    ] {
        assert!(html.contains(expected), "{expected}: {html}");
    }
}
