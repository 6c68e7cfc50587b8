//! Sharing: absolute URLs for templates (`absolute(path=…)`, `url(…, absolute=true)`,
//! `asset(…, absolute=true)`), and the shipped theme's Open Graph, Twitter-card and JSON-LD tags
//! (`NewsArticle` for pages, `Person` for person pages).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{attrs, texts, tree, TestSite};
use serde_json::{json, Value};

/// The sharing fixture with the shipped theme's templates and static files copied in.
fn themed() -> TestSite {
    TestSite::fixture_with_shipped_theme("parity/sharing")
}

/// The JSON-LD of a built page, parsed.
fn json_ld(site: &TestSite, page: &str) -> Value {
    let html = site.html(page);
    let blocks = texts(&html, r#"script[type="application/ld+json"]"#);
    assert_eq!(blocks.len(), 1, "{page}: one JSON-LD block");
    serde_json::from_str(&blocks[0]).unwrap()
}

#[test]
fn absolute_urls_join_base_url_and_path_with_one_slash() {
    let site = themed();
    site.build().success();
    let story = site.html("story/index.html");
    assert_eq!(
        attrs(&story, ".share a", "href"),
        [
            "https://example.org/news/story/",
            "https://example.org/news/logo.svg",
            "https://example.org/news/participants/amy/",
        ]
    );
}

#[test]
fn an_absolute_url_without_base_url_is_a_located_error_and_keeps_the_output() {
    let site = themed();
    site.build().success();
    let before = tree(&site.public());
    let settings = site.read("site.yaml").replace("base_url:", "# base_url:");
    site.write("site.yaml", settings);
    let run = site.build().user_error();
    assert_eq!(
        run.stderr,
        "\
content/story.md:9:1: error: shortcode `share` failed: `url` makes an absolute URL, which needs `base_url` in site.yaml (or --base-url); guard it with {% if site.base_url %} (templates/shortcodes/share.html:1:30)
  |
9 | {{ share() }}
  | ^
  = help: see the Tera documentation for the syntax: https://keats.github.io/tera/docs/

build failed: 1 error; the output folder was left as it was
"
    );
    assert!(tree(&site.public()) == before, "the output was changed");
}

#[test]
fn pages_carry_open_graph_and_twitter_tags_with_absolute_urls() {
    let site = themed();
    site.build().success();
    let story = site.html("story/index.html");
    let meta = |property: &str| {
        attrs(
            &story,
            &format!(r#"meta[property="{property}"]"#),
            "content",
        )
    };
    assert_eq!(meta("og:title"), [r#"Why </script> breaks <b>pages</b>"#]);
    assert_eq!(meta("og:type"), ["article"]);
    assert_eq!(meta("og:url"), ["https://example.org/news/story/"]);
    assert_eq!(
        meta("og:description"),
        [r#"A story with "quotes" & markup in its title."#]
    );
    assert_eq!(
        attrs(&story, r#"meta[name="twitter:card"]"#, "content"),
        ["summary"]
    );
}

#[test]
fn pages_describe_themselves_as_news_articles_and_people_as_persons() {
    let site = themed();
    site.build().success();
    assert_eq!(
        json_ld(&site, "story/index.html"),
        json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": "Why </script> breaks <b>pages</b>",
            "description": "A story with \"quotes\" & markup in its title.",
            "datePublished": "2026-03-01",
            "dateModified": "2026-03-02",
            "author": {"@type": "Organization", "name": "The desk"},
            "url": "https://example.org/news/story/",
            "mainEntityOfPage": "https://example.org/news/story/",
            "publisher": {"@type": "Organization", "name": "Sharing fixture"},
            "inLanguage": "en",
        })
    );
    assert_eq!(
        json_ld(&site, "participants/amy/index.html"),
        json!({
            "@context": "https://schema.org",
            "@type": "Person",
            "name": "Amy Example",
            "description": "The person the story is about.",
            "jobTitle": "Harbour master",
            "url": "https://example.org/news/participants/amy/",
        })
    );
    let missing = site.html("404.html");
    assert!(texts(&missing, "script").is_empty(), "404.html has JSON-LD");
}

#[test]
fn no_value_can_close_the_json_ld_element() {
    let site = themed();
    site.build().success();
    let raw = site.read("public/story/index.html");
    let start = raw.find(r#"<script type="application/ld+json">"#).unwrap();
    let block = &raw[start..];
    let end = block.find("</script>").unwrap();
    assert!(
        block[..end].contains(r"Why \u003c/script> breaks \u003cb>pages\u003c/b>"),
        "{}",
        &block[..end]
    );
}
