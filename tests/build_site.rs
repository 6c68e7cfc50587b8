//! What a successful build produces: pages at pretty URLs, the template context (nav,
//! breadcrumbs, prev/next, toc, backlinks, shortcode uses), Markdown features, copied files,
//! aliases and the extra files. Checked on the parsed HTML.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{attrs, texts, TestSite};

fn built() -> TestSite {
    let site = TestSite::fixture("basic");
    site.build().success();
    site
}

#[test]
fn pages_land_at_pretty_urls_with_their_files() {
    let site = built();
    for file in [
        "index.html",
        "background/index.html",
        "later/index.html",
        "people/index.html",
        "people/amy/index.html",
        "people/amy/photo.svg",
        "people/robert/index.html",
        "img/map.svg",
        "style.css",
        "404.html",
        "robots.txt",
        "old-background/index.html",
        ".dossier-output",
    ] {
        assert!(site.public().join(file).is_file(), "{file} is missing");
    }
    assert!(!site.public().join("draft").exists(), "drafts are left out");
    assert!(
        !site.public().join("sitemap.xml").exists(),
        "no sitemap without base_url"
    );
}

#[test]
fn summary_line_counts_pages_sections_and_files() {
    // Home and `notes/` are sections, `about` and `notes/one` pages, two static files.
    let template =
        "<!DOCTYPE html><html lang=\"en\"><title>{{ page.title }}</title>{{ page.content | safe }}";
    let site = TestSite::empty()
        .file("site.yaml", "title: Counted\n")
        .file(
            "content/_index.md",
            "---\ntitle: Home\n---\n[About](@/about.md)\n",
        )
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n[Notes](@/notes/_index.md)\n",
        )
        .file(
            "content/notes/_index.md",
            "---\ntitle: Notes\n---\n[One](@/notes/one.md)\n",
        )
        .file(
            "content/notes/one.md",
            "---\ntitle: One\n---\n[Home](@/_index.md)\n",
        )
        .file("templates/index.html", template)
        .file("templates/section.html", template)
        .file("templates/page.html", template)
        .file("static/a.txt", "a")
        .file("static/b.txt", "b");
    let run = site.build().success();
    let line = run.stdout.lines().last().unwrap();
    assert!(
        line.starts_with("Built 2 pages, 2 sections, 2 files copied in "),
        "{line}"
    );
    assert!(line.ends_with(" ms → public"), "{line}");
}

#[test]
fn drafts_are_built_on_request() {
    let site = TestSite::fixture("basic");
    site.run(&["build", "--drafts"]).success();
    let html = site.html("draft/index.html");
    assert_eq!(texts(&html, "h1"), ["Unfinished"]);
}

#[test]
fn nav_marks_the_current_entry_and_follows_reading_order() {
    let site = built();
    let html = site.html("people/robert/index.html");
    assert_eq!(
        texts(&html, "#nav a"),
        ["Home", "Background", "Who", "Later"]
    );
    assert_eq!(attrs(&html, "#nav a.active", "href"), ["../"]);
    assert!(attrs(&html, "#nav a[aria-current]", "href").is_empty());
    let people = site.html("people/index.html");
    assert_eq!(attrs(&people, "#nav a[aria-current]", "href"), ["./"]);
}

#[test]
fn link_title_names_a_page_in_navigation_but_not_in_its_heading() {
    let site = built();
    let people = site.html("people/index.html");
    assert_eq!(texts(&people, "h1"), ["People"]);
    assert_eq!(texts(&people, "title"), ["People — Basic fixture"]);
    assert_eq!(texts(&people, "#nav a[aria-current]"), ["Who"]);
}

#[test]
fn prev_and_next_walk_the_site_depth_first() {
    let site = built();
    let order = [
        ("index.html", None, Some("Background")),
        ("background/index.html", Some("Home"), Some("Who")),
        ("people/index.html", Some("Background"), Some("Amy")),
        ("people/amy/index.html", Some("Who"), Some("Bob")),
        ("people/robert/index.html", Some("Amy"), Some("Later")),
        ("later/index.html", Some("Bob"), None),
    ];
    for (file, prev, next) in order {
        let html = site.html(file);
        assert_eq!(
            texts(&html, "#prev").first().map(String::as_str),
            prev,
            "{file}"
        );
        assert_eq!(
            texts(&html, "#next").first().map(String::as_str),
            next,
            "{file}"
        );
    }
}

#[test]
fn breadcrumbs_lead_from_home_to_the_section() {
    let site = built();
    let html = site.html("people/amy/index.html");
    assert_eq!(texts(&html, "#breadcrumbs a"), ["Home", "Who"]);
    assert_eq!(attrs(&html, "#breadcrumbs a", "href"), ["../../", "../"]);
    assert!(texts(&site.html("index.html"), "#breadcrumbs a").is_empty());
}

#[test]
fn markdown_features_and_heading_anchors() {
    let site = built();
    let html = site.html("background/index.html");
    assert_eq!(
        attrs(&html, "main h2", "id"),
        ["first-heading", "first-heading-1"]
    );
    assert_eq!(attrs(&html, "main h3", "id"), ["a-sub-heading"]);
    assert_eq!(
        attrs(&html, "h2 a.anchor", "href"),
        ["#first-heading", "#first-heading-1"]
    );
    assert_eq!(
        texts(&html, "#toc > ul > li > a"),
        ["First heading", "First heading"]
    );
    assert_eq!(texts(&html, "#toc ul ul a"), ["A sub heading"]);
    assert_eq!(texts(&html, "main table td"), ["1", "2"]);
    assert!(!texts(&html, ".footnote-definition").is_empty());
    assert!(texts(&html, "main p")
        .iter()
        .any(|t| t.contains("\u{201c}smart quotes\u{201d}")));
}

#[test]
fn internal_and_relative_links_become_page_relative_urls() {
    let site = built();
    let home = site.html("index.html");
    let hrefs = attrs(&home, "main a", "href");
    assert!(hrefs.contains(&"background/".to_owned()), "{hrefs:?}");
    assert!(
        hrefs.contains(&"background/#first-heading".to_owned()),
        "{hrefs:?}"
    );
    let background = site.html("background/index.html");
    assert_eq!(attrs(&background, "main p img", "src"), ["../img/map.svg"]);
    assert!(attrs(&background, "main a", "href").contains(&"../people/robert/".to_owned()));
    let amy = site.html("people/amy/index.html");
    assert_eq!(attrs(&amy, "main p img", "src"), ["photo.svg"]);
    assert_eq!(
        attrs(&amy, "link[rel=stylesheet]", "href"),
        ["../../style.css"]
    );
}

#[test]
fn shortcodes_render_with_arguments_body_and_ids() {
    let site = built();
    let home = site.html("index.html");
    assert_eq!(attrs(&home, "aside.note", "class"), ["note note-info"]);
    assert_eq!(attrs(&home, "aside.note", "id"), ["note-1"]);
    assert_eq!(texts(&home, "aside.note strong"), ["note"]);
    let background = site.html("background/index.html");
    assert_eq!(attrs(&background, "figure img", "src"), ["../img/map.svg"]);
    assert_eq!(texts(&background, "figure figcaption"), ["Map of the area"]);
}

#[test]
fn shortcode_uses_and_backlinks_reach_other_pages() {
    let site = built();
    let amy = site.html("people/amy/index.html");
    assert_eq!(
        texts(&amy, "#quotes li"),
        ["Amy: I was *there*.", "Later: Later is better."]
    );
    assert_eq!(
        attrs(&amy, "#quotes a", "href"),
        ["./#quote-1", "../../later/#quote-1"]
    );
    // Bob links to Amy in Markdown; Later quotes her through a shortcode that links to her.
    assert_eq!(texts(&amy, "#backlinks a"), ["Bob", "Later"]);
    let bob = site.html("people/robert/index.html");
    assert_eq!(texts(&bob, "#backlinks a"), ["Background"]);
}

#[test]
fn aliases_redirect_to_the_page() {
    let site = built();
    let html = site.html("old-background/index.html");
    assert_eq!(
        attrs(&html, "meta[http-equiv=refresh]", "content"),
        ["0; url=../background/"]
    );
    assert_eq!(attrs(&html, "a", "href"), ["../background/"]);
}

#[test]
fn base_url_gives_canonical_links_and_a_sitemap_but_links_stay_relative() {
    let site = TestSite::fixture("basic");
    let config = site.read("site.yaml") + "base_url: https://example.org/explainer\n";
    site.write("site.yaml", config);
    site.build().success();
    let html = site.html("background/index.html");
    assert_eq!(
        attrs(&html, "link[rel=canonical]", "href"),
        ["https://example.org/explainer/background/"]
    );
    assert_eq!(
        attrs(&html, "link[rel=stylesheet]", "href"),
        ["../style.css"]
    );
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/explainer/people/robert/</loc>"));
    assert_eq!(sitemap.matches("<url>").count(), 6);
    assert!(site
        .read("public/robots.txt")
        .contains("Sitemap: https://example.org/explainer/sitemap.xml"));
    let not_found = site.html("404.html");
    assert_eq!(
        attrs(&not_found, "link[rel=stylesheet]", "href"),
        ["https://example.org/explainer/style.css"]
    );
}

#[test]
fn base_url_can_be_given_on_the_command_line() {
    let site = TestSite::fixture("basic");
    site.run(&["build", "--base-url", "https://example.net/story/"])
        .success();
    let html = site.html("later/index.html");
    assert_eq!(
        attrs(&html, "link[rel=canonical]", "href"),
        ["https://example.net/story/later/"]
    );
    assert!(site.public().join("sitemap.xml").is_file());
    let run = site
        .run(&["build", "--base-url", "example.net"])
        .user_error();
    run.expect_stderr("error: --base-url `example.net` is not an absolute http(s) URL");
    insta::assert_snapshot!("relative_base_url", run.diagnostics());
}

#[test]
fn not_found_page_uses_the_site_template() {
    let site = built();
    let html = site.html("404.html");
    assert_eq!(texts(&html, "h1"), ["Page not found"]);
    assert_eq!(attrs(&html, "main a", "href"), ["./"]);
}

#[test]
fn bom_crlf_and_a_later_rebuild_that_removes_a_page() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/later.md",
        "\u{feff}---\r\ntitle: Later\r\nweight: 30\r\n---\r\nCRLF body\r\n",
    );
    site.build().success();
    assert_eq!(
        texts(&site.html("later/index.html"), "main p"),
        ["CRLF body"]
    );
    site.write("content/later.md", "---\ntitle: Later\n---\n");
    site.remove("content/background.md");
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\nNo more background.\n",
    );
    site.write(
        "templates/base.html",
        site.read("templates/base.html")
            .replace("{{ url(path='@/background.md#first-heading') }}", "/"),
    );
    site.build().success();
    assert!(
        !site.public().join("background").exists(),
        "a deleted page does not keep shipping"
    );
}
