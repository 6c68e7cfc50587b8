//! The built-in 404 page (a theme without `templates/404.html`) links the theme's stylesheets
//! that the site has: `reading.css` first, then `style.css`, as the shipped theme splits them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{attrs, TestSite};

/// The stylesheets the built `404.html` links.
fn linked(site: &TestSite) -> Vec<String> {
    attrs(&site.html("404.html"), "link[rel=stylesheet]", "href")
}

#[test]
fn the_builtin_404_page_links_both_shipped_stylesheets_in_order() {
    let site = TestSite::fixture("parity/not-found");
    assert!(!site.path("templates/404.html").exists());
    site.build().success();
    assert_eq!(linked(&site), ["reading.css", "style.css"]);

    site.run(&["build", "--base-url", "https://example.org/story/"])
        .success();
    assert_eq!(
        linked(&site),
        [
            "https://example.org/story/reading.css",
            "https://example.org/story/style.css"
        ]
    );
}

#[test]
fn the_builtin_404_page_links_only_the_stylesheets_present() {
    let site = TestSite::fixture("parity/not-found");
    site.remove("static/reading.css");
    site.build().success();
    assert_eq!(linked(&site), ["style.css"]);

    let site = TestSite::fixture("parity/not-found");
    site.remove("static/style.css");
    site.build().success();
    assert_eq!(linked(&site), ["reading.css"]);

    site.remove("static/reading.css");
    site.build().success();
    assert!(linked(&site).is_empty());
}
