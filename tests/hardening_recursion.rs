//! Template recursion is found before anything is rendered: a template that includes itself
//! (directly, through another template, a shortcode template or a macro) is a located error with
//! the whole chain, for `build` and for `serve` (which stays up), never a stack overflow.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::serve::assert_serve_reports_and_recovers;
use common::site::{tree, TestSite};

const HINT: &str = "  = help: a template must not include itself, directly or through others; a macro may call itself only inside `{% if %}` or `{% for %}`";

/// Builds the fixture, applies `writes`, and checks the build fails with exactly `first_line`
/// (and the hint) while the previous output stays byte-identical.
fn refused(writes: &[(&str, &str)], first_line: &str) {
    let site = TestSite::fixture("basic");
    site.build().success();
    let before = tree(&site.public());
    for (path, text) in writes {
        site.write(path, text);
    }
    let run = site.build().user_error();
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines[0], first_line, "{}", run.stderr);
    assert!(lines.contains(&HINT), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("build failed: 1 error; the output folder was left as it was"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&site.public()), before, "the previous output changed");
}

#[test]
fn a_template_that_includes_itself() {
    refused(
        &[("templates/page.html", "{% extends \"base.html\" %}\n{% block main %}{% include \"page.html\" %}{% endblock main %}\n")],
        "templates/page.html:2:28: error: template recursion never ends: page.html:2 includes page.html",
    );
}

#[test]
fn templates_that_include_each_other() {
    refused(
        &[
            ("templates/a.html", "one\n{% include \"b.html\" %}\n"),
            ("templates/b.html", "two\nthree\n{% include \"a.html\" %}\n"),
        ],
        "templates/b.html:3:12: error: template recursion never ends: a.html:2 includes b.html → b.html:3 includes a.html",
    );
}

#[test]
fn a_shortcode_template_that_includes_itself() {
    refused(
        &[("templates/shortcodes/note.html", "<aside>{{ body_html | safe }}</aside>\n{% include \"shortcodes/note.html\" %}\n")],
        "templates/shortcodes/note.html:2:12: error: template recursion never ends: shortcodes/note.html:2 includes shortcodes/note.html",
    );
}

#[test]
fn a_macro_that_calls_itself_unconditionally() {
    refused(
        &[(
            "templates/macros.html",
            "{% macro down(n) %}\n<li>{{ n }}{{ self::down(n=n) }}</li>\n{% endmacro down %}\n",
        )],
        "templates/macros.html:2:15: error: template recursion never ends: macros.html:2 calls macro `down` of macros.html",
    );
}

#[test]
fn a_macro_that_includes_the_template_calling_it() {
    refused(
        &[
            ("templates/a.html", "{% import \"m.html\" as m %}\n{{ m::show() }}\n"),
            ("templates/m.html", "{% macro show() %}\n{% include \"a.html\" %}\n{% endmacro show %}\n"),
        ],
        "templates/m.html:2:12: error: template recursion never ends: a.html:2 calls macro `show` of m.html → m.html:2 includes a.html",
    );
}

#[test]
fn guarded_macro_recursion_over_data_is_allowed() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/macros.html",
        "{% macro tree(items) %}{% for item in items %}<li>{{ item.title }}<ul>{{ self::tree(items=item.children) }}</ul></li>{% endfor %}{% endmacro tree %}\n{% macro countdown(n) %}{{ n }}{% if n > 0 %}{{ self::countdown(n=n - 1) }}{% endif %}{% endmacro countdown %}\n",
    );
    site.build().success();
}

#[test]
fn serve_reports_recursion_and_stays_up() {
    assert_serve_reports_and_recovers(
        &TestSite::fixture("serve/basic"),
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% include \"page.html\" %}\n",
        "templates/page.html:2:12: error: template recursion never ends: page.html:2 includes page.html",
    );
}
