//! Tags and lists across the site: a page per tag at `/tags/<slug>/` and an index at `/tags/`
//! (the shipped theme's `tag.html` and `tags.html`), tag links on pages, one tag spelt two ways
//! (a warning at the second spelling), a tag without a slug and a page at `tags/` (errors at
//! their source), no tag pages without the templates, `pages(…)` over a section tree, and an
//! added tag showing up in an incremental rebuild and under `dossier watch`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::serve::Dossier;
use common::site::{attrs, texts, TestSite};
use dossier::site::{build, build_with_cache, BuildCache, Silent};

/// The `parity/tags` fixture with the shipped theme.
fn site() -> TestSite {
    TestSite::fixture_with_shipped_theme("parity/tags")
}

const FAILED: &str = "\nbuild failed: 1 error; the output folder was left as it was\n";

#[test]
fn every_tag_gets_a_page_and_the_index_lists_them_by_slug() {
    let site = site();
    site.build().success();
    let index = site.html("tags/index.html");
    assert_eq!(texts(&index, "h1"), ["Tags"]);
    assert_eq!(
        texts(&index, ".tag-index a"),
        ["Éclat & Co", "Foreign Policy", "Harbour"]
    );
    assert_eq!(
        attrs(&index, ".tag-index a", "href"),
        ["eclat-co/", "foreign-policy/", "harbour/"]
    );
    let policy = site.html("tags/foreign-policy/index.html");
    assert_eq!(texts(&policy, "h1"), ["Tagged “Foreign Policy”"]);
    assert_eq!(
        texts(&policy, "title"),
        ["Tagged “Foreign Policy” — Harbour"]
    );
    // In reading order: the story (weight 1) before the people section (weight 2).
    assert_eq!(texts(&policy, ".card h3"), ["The story", "Amy Ng"]);
    assert_eq!(
        attrs(&policy, ".card h3 a", "href"),
        ["../../story/", "../../people/amy/"]
    );
    assert_eq!(
        attrs(&policy, ".breadcrumbs a", "href"),
        ["../../", "../"],
        "Home › Tags"
    );
    let slugged = site.html("tags/eclat-co/index.html");
    assert_eq!(texts(&slugged, ".card h3"), ["Bo Li"]);
    let amy = site.html("people/amy/index.html");
    assert_eq!(texts(&amy, ".tag-links a"), ["Harbour", "Foreign Policy"]);
    assert_eq!(
        attrs(&amy, ".tag-links a", "href"),
        ["../../tags/harbour/", "../../tags/foreign-policy/"]
    );
    assert_eq!(
        attrs(&amy, ".site-footer a", "href"),
        ["../../", "../../tags/", "../../print/"]
    );
}

#[test]
fn tag_pages_are_in_the_sitemap() {
    let site = site().file(
        "site.yaml",
        "title: Harbour\nbase_url: https://example.org/h/\n",
    );
    site.build().success();
    let sitemap = site.read("public/sitemap.xml");
    let tags: Vec<&str> = sitemap.lines().filter(|l| l.contains("/tags/")).collect();
    assert_eq!(
        tags,
        [
            "  <url><loc>https://example.org/h/tags/</loc></url>",
            "  <url><loc>https://example.org/h/tags/eclat-co/</loc></url>",
            "  <url><loc>https://example.org/h/tags/foreign-policy/</loc></url>",
            "  <url><loc>https://example.org/h/tags/harbour/</loc></url>",
        ]
    );
}

#[test]
fn one_tag_spelt_two_ways_is_one_tag_with_a_warning_at_the_second_spelling() {
    let site = site();
    let bo = site.read("content/people/staff/bo.md");
    site.write(
        "content/people/staff/bo.md",
        bo.replace("[\"Harbour\",", "[\"harbour\","),
    );
    let run = site.build().success();
    assert_eq!(
        run.stderr,
        "content/people/staff/bo.md:4:9: warning: the tag `harbour` is the tag `Harbour` written another way: both are shown as `Harbour` at /tags/harbour/\n  |\n4 | tags: [\"harbour\", \"Éclat & Co\"]\n  |         ^\n  = help: write `Harbour` on every page\n"
    );
    let harbour = site.html("tags/harbour/index.html");
    assert_eq!(texts(&harbour, "h1"), ["Tagged “Harbour”"]);
    assert_eq!(texts(&harbour, ".card h3"), ["Amy Ng", "Bo Li"]);
    // Each page links the tag as it writes it, to the one page.
    let bo = site.html("people/staff/bo/index.html");
    assert_eq!(texts(&bo, ".tag-links a")[0], "harbour");
    assert_eq!(
        attrs(&bo, ".tag-links a", "href")[0],
        "../../../tags/harbour/"
    );
}

#[test]
fn a_tag_without_a_letter_or_digit_is_an_error_at_its_line() {
    site().fails_with(
        &[(
            "content/story.md",
            "---\ntitle: \"The story\"\nweight: 1\ntags:\n  - \"!!!\"\n---\nText.\n",
        )],
        &format!("content/story.md:5:6: error: the tag `!!!` gives an empty URL segment\n  |\n5 |   - \"!!!\"\n  |      ^\n  = help: use letters or digits in the tag\n{FAILED}"),
    );
}

#[test]
fn a_content_page_at_tags_is_an_error_at_that_page() {
    site().fails_with(
        &[("content/tags.md", "---\ntitle: \"Our tags\"\n---\n")],
        &format!("content/tags.md:1:1: error: this page would write `tags/index.html`, which dossier's tag index writes too\n  |\n1 | ---\n  | ^\n  = help: rename one of the files, or set a different `slug:` in its front matter\n{FAILED}"),
    );
    site().fails_with(
        &[("content/tags/harbour.md", "---\ntitle: \"Harbour notes\"\n---\n")],
        &format!("content/tags/harbour.md:1:1: error: this page would write `tags/harbour/index.html`, which dossier's page for the tag `Harbour` writes too\n  |\n1 | ---\n  | ^\n  = help: rename one of the files, or set a different `slug:` in its front matter\n{FAILED}"),
    );
}

#[test]
fn a_section_at_tags_is_an_error_at_that_section() {
    site().fails_with(
        &[(
            "content/tags/_index.md",
            "---\ntitle: \"Tag notes\"\n---\n",
        )],
        &format!("content/tags/_index.md:1:1: error: this section would write `tags/index.html`, which dossier's tag index writes too\n  |\n1 | ---\n  | ^\n  = help: rename one of the files, or set a different `slug:` in its front matter\n{FAILED}"),
    );
}

#[test]
fn without_the_templates_there_are_no_tag_pages_and_no_tag_links() {
    let site = site();
    site.remove("templates/tag.html");
    site.remove("templates/tags.html");
    site.build().success();
    assert!(!site.path("public/tags").exists());
    let amy = site.html("people/amy/index.html");
    assert!(texts(&amy, ".tag-links a").is_empty());
    assert_eq!(
        attrs(&amy, ".site-footer a", "href"),
        ["../../", "../../print/"]
    );
    // With `tag.html` alone: tag pages, but no index (and no link to one).
    let site = self::site();
    site.remove("templates/tags.html");
    site.build().success();
    assert!(site.path("public/tags/harbour/index.html").is_file());
    assert!(!site.path("public/tags/index.html").exists());
    let harbour = site.html("tags/harbour/index.html");
    assert_eq!(attrs(&harbour, ".breadcrumbs a", "href"), ["../../"]);
}

/// A page whose template prints `pages(…)` with the given arguments, one title per item.
fn listing(site: &TestSite, args: &str) -> Vec<String> {
    site.write(
        "templates/list.html",
        format!(
            "{{% extends \"base.html\" %}}{{% block content %}}<ul class=\"found\">{{% for p in pages({args}) %}}<li>{{{{ p.title }}}}</li>{{% endfor %}}</ul>{{% endblock content %}}"
        ),
    );
    site.write(
        "content/list.md",
        "---\ntitle: \"List\"\nweight: 9\ntemplate: list.html\n---\n",
    );
    site.build().success();
    site.texts("list/index.html", ".found li")
}

#[test]
fn pages_lists_the_site_or_a_section_tree_in_the_order_asked() {
    let site = site();
    assert_eq!(listing(&site, ""), ["The story", "Amy Ng", "Bo Li", "List"]);
    assert_eq!(listing(&site, "section=\"people\""), ["Amy Ng"]);
    assert_eq!(
        listing(&site, "section=\"people\", recursive=true"),
        ["Amy Ng", "Bo Li"]
    );
    assert_eq!(
        listing(&site, "section=\"people\", recursive=true, sections=true"),
        ["Amy Ng", "Staff", "Bo Li"]
    );
    assert_eq!(
        listing(&site, "sort_by=\"title\", limit=3"),
        ["Amy Ng", "Bo Li", "List"]
    );
    assert_eq!(
        listing(&site, "section=\"people/staff/_index.md\""),
        ["Bo Li"]
    );
}

#[test]
fn pages_with_an_unknown_section_is_an_error_at_the_template_line() {
    let site = site();
    listing(&site, "");
    site.fails_with(
        &[(
            "templates/list.html",
            "{% extends \"base.html\" %}{% block content %}\n{% for p in pages(section=\"peple\") %}{{ p.title }}{% endfor %}{% endblock content %}",
        )],
        &format!("templates/list.html:2:13: error: `pages`: there is no section `peple` (a folder with an _index.md in content/); did you mean `people`?\n  |\n2 | {{% for p in pages(section=\"peple\") %}}{{{{ p.title }}}}{{% endfor %}}{{% endblock content %}}\n  |             ^\n  = help: see the Tera documentation for the syntax: https://keats.github.io/tera/docs/\n{FAILED}"),
    );
}

#[test]
fn incremental_builds_after_tag_edits_equal_clean_builds() {
    let site = site();
    let options = site.options();
    let mut cache = BuildCache::default();
    build_with_cache(&options, &mut cache, &Silent).unwrap();
    let story = site.read("content/story.md");
    let steps = [
        ("content/story.md", story.replace("[\"Foreign Policy\"]", "[\"Foreign Policy\", \"Harbour\"]")),
        ("content/story.md", story.replace("[\"Foreign Policy\"]", "[\"Ports\"]")),
        ("templates/list.html", "{% extends \"base.html\" %}{% block content %}{% for p in pages(section=\"people\", recursive=true) %}<p>{{ p.title }}</p>{% endfor %}{% endblock content %}".to_owned()),
        ("content/list.md", "---\ntitle: \"List\"\ntemplate: list.html\n---\n".to_owned()),
        ("content/people/staff/cy.md", "---\ntitle: \"Cy Oh\"\ntags: [\"Ports\"]\n---\n".to_owned()),
        ("content/people/staff/cy.md", "---\ntitle: \"Cy Oh-Lee\"\ntags: [\"ports\"]\n---\n".to_owned()),
    ];
    for (step, (path, text)) in steps.iter().enumerate() {
        site.write(path, text);
        let incremental = build_with_cache(&options, &mut cache, &Silent).unwrap();
        let clean = build(&options, &Silent).unwrap();
        assert_eq!(
            common::site::built_files(&incremental),
            common::site::built_files(&clean),
            "step {step}"
        );
    }
    let last = build_with_cache(&options, &mut cache, &Silent).unwrap();
    let read = |name: &str| {
        String::from_utf8(last.files.get(name).unwrap().read().unwrap().into_owned()).unwrap()
    };
    assert!(last.files.get("tags/harbour/index.html").is_some());
    assert!(read("tags/ports/index.html").contains("../../people/staff/cy/"));
    assert!(read("list/index.html").contains("<p>Cy Oh-Lee</p>"));
}

#[test]
fn watch_writes_the_page_of_a_tag_added_to_a_page() {
    let site = site();
    site.build().success();
    assert!(!site.path("public/tags/ports/index.html").exists());
    let watcher = Dossier::watch(site.root());
    let story = site.read("content/story.md");
    site.write(
        "content/story.md",
        story.replace("[\"Foreign Policy\"]", "[\"Foreign Policy\", \"Ports\"]"),
    );
    watcher.wait_for_rebuilds(1);
    let ports = site.html("tags/ports/index.html");
    assert_eq!(texts(&ports, ".card h3"), ["The story"]);
    let index = site.html("tags/index.html");
    assert_eq!(
        texts(&index, ".tag-index a"),
        ["Éclat & Co", "Foreign Policy", "Harbour", "Ports"]
    );
}
