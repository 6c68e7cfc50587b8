//! Every error is reported once, on the file that contains the mistake, with its line: template
//! mistakes in a shared parent are one error at the parent's line (not one per page on the child
//! template), missing includes and parents have their line, and front matter and `site.yaml`
//! problems point at the right line.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{tree, TestSite};

/// Builds the fixture, applies `change` to `file`, and checks the build fails with exactly
/// `expected` as its first lines, one error, and the previous output untouched.
fn one_error(file: &str, change: impl Fn(&str) -> String, expected: &[&str]) {
    let site = TestSite::fixture("basic");
    site.build().success();
    let before = tree(&site.public());
    site.write(file, change(&site.read(file)));
    let run = site.build().user_error();
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines[..expected.len()], *expected, "{}", run.stderr);
    assert!(
        run.stderr
            .ends_with("build failed: 1 error; the output folder was left as it was\n"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&site.public()), before, "the previous output changed");
}

#[test]
fn a_broken_link_in_a_parent_template_is_one_error_at_its_line() {
    one_error(
        "templates/base.html",
        |t| t.replace("<main>", "<main><a href=\"/nowhere/\">x</a>"),
        &[
            "templates/base.html:12:16: error: broken link: `/nowhere/` does not exist in the output",
            "   |",
            "12 | <main><a href=\"/nowhere/\">x</a>",
            "   |                ^",
        ],
    );
}

#[test]
fn an_unknown_filter_in_a_parent_is_reported_there_with_a_suggestion() {
    one_error(
        "templates/base.html",
        |t| t.replace("page.content | safe", "page.content | saf"),
        &[
            "templates/base.html:15:35: error: Filter 'saf' not found",
            "   |",
            "15 | {% block main %}{{ page.content | saf }}{% endblock %}",
            "   |                                   ^",
            "  = help: did you mean the filter `safe`? see the filters in docs/templates.md and https://keats.github.io/tera/docs/#built-in-filters",
        ],
    );
}

#[test]
fn an_unknown_function_is_reported_at_its_call() {
    one_error(
        "templates/base.html",
        |t| t.replace("{{ asset(path='style.css') }}", "{{ aset(path='style.css') }}"),
        &[
            "templates/base.html:7:33: error: Function 'aset' not found",
            "  |",
            "7 | <link rel=\"stylesheet\" href=\"{{ aset(path='style.css') }}\">",
            "  |                                 ^",
            "  = help: did you mean the function `asset`? see the functions in docs/templates.md and https://keats.github.io/tera/docs/#built-in-functions",
        ],
    );
}

#[test]
fn a_missing_include_has_its_line() {
    one_error(
        "templates/base.html",
        |t| t.replace("<main>", "<main>{% include \"nope.html\" %}"),
        &["templates/base.html:12:18: error: Template '[nope.html]' not found"],
    );
}

#[test]
fn a_missing_parent_has_its_line() {
    one_error(
        "templates/page.html",
        |_| "{% extends \"missing.html\" %}\n".to_owned(),
        &["templates/page.html:1:12: error: Template 'page.html' is inheriting from 'missing.html', which doesn't exist or isn't loaded."],
    );
}

#[test]
fn a_nul_in_a_front_matter_value_is_placed_exactly() {
    one_error(
        "content/later.md",
        |_| "---\ntitle: \"Later\"\nweight: 30\ndescription: \"a\0b\"\n---\nText\n".to_owned(),
        &["content/later.md:4:16: error: the control character U+0000 is not allowed in YAML"],
    );
}

#[test]
fn invalid_utf8_in_site_yaml_has_its_line() {
    let site = TestSite::fixture("basic");
    site.build().success();
    let before = tree(&site.public());
    site.write("site.yaml", b"title: \"Basic\"\ndescription: \"x\xff\"\n");
    let run = site.build().user_error();
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "site.yaml:2:16: error: site.yaml is not valid UTF-8"
    );
    assert_eq!(tree(&site.public()), before);
}
