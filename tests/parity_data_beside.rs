//! `load_data(path=…, beside=page.path)`: a data file in the page's folder in `content/` (a
//! page bundle's `list.csv`), found by the rule of `paths::generated::beside`; a file that does
//! not parse is an error at its own line when a template reads it (and only then); a missing
//! one is an error in the template naming the nearest file; an edit re-renders the page.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::serve::Dossier;
use common::site::{texts, TestSite};
use dossier::site::{build, build_with_cache, BuildCache, Silent};

const LIST: &str = "{% extends \"base.html\" %}{% block main %}\n<ul>{% for p in load_data(path=\"list.csv\", beside=page.path) %}<li>{{ p.name }}, {{ p.role }}</li>{% endfor %}</ul>{% endblock main %}";

/// A site whose page bundle `content/people/index.md` reads `content/people/list.csv`.
fn site() -> TestSite {
    TestSite::empty()
        .file("site.yaml", "title: \"Beside\"\nlanguage: en\n")
        .file(
            "templates/base.html",
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{{ page.title }}</title>\n</head>\n<body>\n<main>{% block main %}{{ page.content | safe }}{% endblock main %}</main>\n</body>\n</html>\n",
        )
        .file("templates/section.html", "{% extends \"base.html\" %}")
        .file("templates/page.html", "{% extends \"base.html\" %}")
        .file("templates/list.html", LIST)
        .file("content/_index.md", "---\ntitle: \"Home\"\n---\n[People](@/people/index.md)\n")
        .file(
            "content/people/index.md",
            "---\ntitle: \"People\"\ntemplate: list.html\n---\n",
        )
        .file(
            "content/people/list.csv",
            "name,role\nAmy Ng,inspector\nBo Li,harbour master\n",
        )
        .file("content/notes/broken.json", "{\"not\": \"read\",}\n")
}

#[test]
fn a_page_reads_a_data_file_from_its_own_folder() {
    let site = site();
    site.build().success();
    assert_eq!(
        site.texts("people/index.html", "li"),
        ["Amy Ng, inspector", "Bo Li, harbour master"]
    );
    // Like any file in content/, it is copied too; the broken JSON nobody reads is only copied.
    assert!(site.path("public/people/list.csv").is_file());
    assert!(site.path("public/notes/broken.json").is_file());
}

#[test]
fn paths_go_up_from_the_page_folder_or_start_at_content() {
    let site = site()
        .file(
            "content/shared/roles.yaml",
            "- {name: Cy Oh, role: diver}\n",
        )
        .file(
            "templates/list.html",
            LIST.replace("\"list.csv\"", "\"../shared/roles.yaml\""),
        );
    site.build().success();
    assert_eq!(site.texts("people/index.html", "li"), ["Cy Oh, diver"]);
    site.write(
        "templates/list.html",
        LIST.replace("\"list.csv\"", "\"@/shared/roles.yaml\""),
    );
    site.build().success();
    assert_eq!(site.texts("people/index.html", "li"), ["Cy Oh, diver"]);
}

#[test]
fn a_bad_file_beside_a_page_is_an_error_at_its_line() {
    site().fails_with(
        &[("content/people/list.csv", "name,role\nAmy Ng,inspector\nBo Li\n")],
        "content/people/list.csv:3:1: error: this row has 1 field, but the header has 2\n  |\n3 | Bo Li\n  | ^\n  = help: fix the file's syntax; templates read it with load_data(path=\"…\")\n\nbuild failed: 1 error; the output folder was left as it was\n",
    );
}

#[test]
fn a_missing_file_is_an_error_in_the_template_with_the_nearest_name() {
    site().fails_with(
        &[("templates/list.html", &LIST.replace("\"list.csv\"", "\"lists.csv\""))],
        "templates/list.html:2:17: error: `load_data`: there is no content/people/lists.csv beside content/people/index.md; did you mean `content/people/list.csv`?\n  |\n2 | <ul>{% for p in load_data(path=\"lists.csv\", beside=page.path) %}<li>{{ p.name }}, {{ p.role }}</li>{% endfor %}</ul>{% endblock main %}\n  |                 ^\n  = help: see the Tera documentation for the syntax: https://keats.github.io/tera/docs/\n\nbuild failed: 1 error; the output folder was left as it was\n",
    );
    site().fails_with(
        &[("templates/list.html", &LIST.replace("\"list.csv\"", "\"../../x.csv\""))],
        "templates/list.html:2:17: error: `load_data`: `../../x.csv` leads out of content/ (beside content/people/index.md)\n  |\n2 | <ul>{% for p in load_data(path=\"../../x.csv\", beside=page.path) %}<li>{{ p.name }}, {{ p.role }}</li>{% endfor %}</ul>{% endblock main %}\n  |                 ^\n  = help: see the Tera documentation for the syntax: https://keats.github.io/tera/docs/\n\nbuild failed: 1 error; the output folder was left as it was\n",
    );
}

#[test]
fn incremental_builds_after_edits_of_the_file_equal_clean_builds() {
    let site = site();
    let options = site.options();
    let files = common::site::built_files;
    let mut cache = BuildCache::default();
    build_with_cache(&options, &mut cache, &Silent).unwrap();
    for (step, text) in [
        "name,role\nCy Oh,diver\n",
        "name,role\nCy Oh,diver\nDi Fox,pilot\n",
    ]
    .iter()
    .enumerate()
    {
        site.write("content/people/list.csv", text);
        let incremental = build_with_cache(&options, &mut cache, &Silent).unwrap();
        let clean = build(&options, &Silent).unwrap();
        assert_eq!(files(&incremental), files(&clean), "step {step}");
        assert_eq!(
            cache.report().pages_rendered,
            1,
            "step {step}: only the page reading it"
        );
    }
}

#[test]
fn watch_rebuilds_the_page_when_the_file_changes() {
    let site = site();
    let watcher = Dossier::watch(site.root());
    site.write("content/people/list.csv", "name,role\nDi Fox,pilot\n");
    watcher.wait_for_rebuilds(1);
    assert_eq!(
        texts(&site.html("people/index.html"), "li"),
        ["Di Fox, pilot"]
    );
}
