//! Papercuts a Zola or Hugo user trips on in the first hour: `dossier new` titles and front
//! matter, `language` and `baseURL` in `site.yaml`, `--output` on commands that write nothing, a
//! folder without `_index.md` in the navigation, the built-in 404 page and alias pages with
//! `base_url`, and the orphan hint's Markdown link.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{attrs, texts, tree, TestSite};

fn site() -> TestSite {
    TestSite::fixture("parity/papercuts")
}

/// Builds `site`, changes `site.yaml`, and checks the build fails with exactly `expected` and
/// leaves the output as it was.
fn config_fails_with(site: &TestSite, yaml: &str, expected: &str) {
    site.build().success();
    let before = tree(&site.public());
    site.write("site.yaml", yaml);
    let run = site.build().user_error();
    assert_eq!(run.stderr, expected, "stderr was:\n{}", run.stderr);
    assert_eq!(tree(&site.public()), before, "the output changed");
}

#[test]
fn new_titles_sections_and_bundles_after_their_folder_and_writes_no_empty_description() {
    let site = site();
    for (path, written) in [
        ("people/_index.md", "content/people/_index.md"),
        ("reports/y2k/index.md", "content/reports/y2k/index.md"),
        ("the-talks", "content/the-talks.md"),
    ] {
        let run = site.run(&["new", path]).success();
        assert_eq!(run.stdout, format!("Created {written}\n"));
    }
    assert_eq!(
        site.read("content/people/_index.md"),
        "---\ntitle: \"People\"\n---\nWrite the page here. Link other pages with [their title](@/_index.md).\n"
    );
    assert!(site
        .read("content/reports/y2k/index.md")
        .starts_with("---\ntitle: \"Y2k\"\n---\n"));
    assert!(site
        .read("content/the-talks.md")
        .starts_with("---\ntitle: \"The talks\"\n---\n"));
    // The new pages build, and none of them has an empty meta description.
    site.build().success();
    let page = site.html("people/index.html");
    assert_eq!(texts(&page, "title"), ["People"]);
    assert!(!site.read("content/the-talks.md").contains("description"));
}

#[test]
fn a_language_name_is_not_a_language_tag() {
    config_fails_with(
        &site(),
        "title: \"Papercuts\"\nlanguage: english\n",
        "site.yaml:2:1: error: `english` is not a language tag\n  |\n2 | language: english\n  | ^\n  = help: did you mean `en`? Use a BCP 47 tag like `en`, `en-GB` or `fr`\n\nbuild failed: 1 error; the output folder was left as it was\n",
    );
}

#[test]
fn hugo_spelling_of_base_url_gets_a_suggestion() {
    config_fails_with(
        &site(),
        "title: \"Papercuts\"\nbaseURL: https://example.org/\n",
        "site.yaml:2:1: error: unknown field `baseURL`\n  |\n2 | baseURL: https://example.org/\n  | ^\n  = help: did you mean `base_url`? Valid keys: title, description, language, author, base_url, browse_from_disk, link_mentions, share_cards, print_page, highlight_code, extra\n\nbuild failed: 1 error; the output folder was left as it was\n",
    );
}

#[test]
fn check_and_serve_refuse_an_output_folder_they_would_ignore() {
    let site = site();
    site.build().success();
    let before = tree(&site.public());
    for command in ["check", "serve"] {
        let run = site.run(&[command, "--output", "elsewhere"]).user_error();
        assert_eq!(
            run.stderr,
            format!(
                "error: `dossier {command}` writes no output folder, so `--output elsewhere` would do nothing\n  = help: leave out --output, or run `dossier build --output DIR` to write the site there\n\n{}",
                if command == "check" { "check failed: 1 error\n" } else { "" }
            )
        );
        assert!(!site.path("elsewhere").exists());
    }
    assert_eq!(tree(&site.public()), before);
    // `build` and `watch` honour it.
    site.run(&["build", "--output", "elsewhere"]).success();
    assert!(site.path("elsewhere/index.html").is_file());
}

#[test]
fn a_page_in_a_folder_without_index_is_not_a_top_level_part() {
    let site = site();
    site.build().success();
    let home = site.html("index.html");
    assert_eq!(
        texts(&home, "nav a"),
        ["Home", "Timeline", "What we know"],
        "nasa/report.md joins the home section but is no part of its own"
    );
    // It is still built and reachable through the text.
    assert_eq!(
        texts(&site.html("nasa/report/index.html"), "title"),
        ["The report"]
    );
}

#[test]
fn the_builtin_404_page_has_the_stylesheet_and_honours_base_url() {
    let site = site();
    site.build().success();
    let page = site.html("404.html");
    assert_eq!(attrs(&page, "link[rel=stylesheet]", "href"), ["style.css"]);
    assert_eq!(attrs(&page, "main a", "href"), ["./"]);

    site.run(&["build", "--base-url", "https://example.org/story/"])
        .success();
    let page = site.html("404.html");
    assert_eq!(
        attrs(&page, "link[rel=stylesheet]", "href"),
        ["https://example.org/story/style.css"]
    );
    assert_eq!(
        attrs(&page, "main a", "href"),
        ["https://example.org/story/"]
    );

    // Without static/style.css there is nothing to link.
    site.remove("static/style.css");
    let base = site.read("templates/base.html");
    site.write(
        "templates/base.html",
        base.replace("<link rel=\"stylesheet\" href=\"/style.css\">\n", ""),
    );
    site.build().success();
    assert!(attrs(&site.html("404.html"), "link[rel=stylesheet]", "href").is_empty());
}

#[test]
fn alias_pages_have_an_absolute_canonical_link_when_base_url_is_set() {
    let site = site();
    site.build().success();
    let alias = site.html("old-timeline/index.html");
    assert_eq!(
        attrs(&alias, "link[rel=canonical]", "href"),
        ["../timeline/"]
    );
    site.run(&["build", "--base-url", "https://example.org/story"])
        .success();
    let alias = site.html("old-timeline/index.html");
    assert_eq!(
        attrs(&alias, "link[rel=canonical]", "href"),
        ["https://example.org/story/timeline/"]
    );
    // The redirect itself stays relative, so the site works from any address.
    assert_eq!(attrs(&alias, "a", "href"), ["../timeline/"]);
}

#[test]
fn the_orphan_hint_is_a_markdown_link_that_works_when_pasted() {
    let site = site();
    site.build().success();
    let before = tree(&site.public());
    let run = site.run(&["check"]).user_error();
    let hint = "[What we know](<@/What we know.md>)";
    assert_eq!(
        run.stderr,
        format!("content/What we know.md: error: no other page's text links to this page\n  = help: link to it from a related page: `{hint}`\n\ncheck failed: 1 error\n")
    );
    assert_eq!(tree(&site.public()), before);
    // Pasting the suggestion into a page makes the check pass.
    let timeline = site.read("content/timeline.md");
    site.write("content/timeline.md", format!("{timeline}\nAnd {hint}.\n"));
    site.run(&["check"]).success();
    site.build().success();
    assert_eq!(
        attrs(&site.html("timeline/index.html"), "main a", "href"),
        ["../", "../nasa/report/", "../what-we-know/"]
    );
}
