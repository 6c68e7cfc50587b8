//! Recursion that the templates guard with `{% if %}` or `{% for %}` is allowed, since it may end
//! with the data; when it does not, the depth guard stops it before the stack runs out, and the
//! build fails with the template line of the call that recurses and the chain from the page's
//! template, instead of aborting the process. `serve` stays up. A legitimate tree renders.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::serve::assert_serve_reports_and_recovers;
use common::site::TestSite;

const HINT: &str = "  = help: the recursive call is inside `{% if %}` or `{% for %}`, but here it did not stop: make sure every call works on less (a child list, a smaller number) so the condition ends it";
const FAILED: &str = "build failed: 1 error; the output folder was left as it was";

/// `templates/page.html` of the basic fixture, also showing `call` (with `macros.html` imported
/// as `mac`).
fn page_calling(call: &str) -> String {
    format!("{{% extends \"base.html\" %}}\n{{% import \"macros.html\" as mac %}}\n{{% block main %}}{{{{ page.content | safe }}}}{call}{{% endblock main %}}\n")
}

#[test]
fn a_self_call_inside_if_that_never_ends() {
    let macros = "{% macro m() %}{% if true %}{{ self::m() }}{% endif %}{% endmacro m %}\n";
    TestSite::fixture("basic").fails_with(
        &[
            ("templates/macros.html", macros),
            ("templates/page.html", &page_calling("{{ mac::m() }}")),
        ],
        &format!("templates/macros.html:1:32: error: template recursion too deep: page.html:3 calls macro `m` of macros.html → macros.html:1 calls macro `m` of macros.html (while rendering content/background.md)
  |
1 | {macros}  |                                ^
{HINT}

{FAILED}
"),
    );
}

#[test]
fn a_self_call_inside_a_for_loop_over_the_same_list() {
    let macros = "{% macro walk(items) %}\n<ul>{% for i in items %}<li>{{ self::walk(items=items) }}</li>{% endfor %}</ul>\n{% endmacro walk %}\n";
    TestSite::fixture("basic").fails_with(
        &[
            ("templates/macros.html", macros),
            ("templates/page.html", &page_calling("{{ mac::walk(items=[1, 2]) }}")),
        ],
        &format!("templates/macros.html:2:32: error: template recursion too deep: page.html:3 calls macro `walk` of macros.html → macros.html:2 calls macro `walk` of macros.html (while rendering content/background.md)
  |
2 | <ul>{{% for i in items %}}<li>{{{{ self::walk(items=items) }}}}</li>{{% endfor %}}</ul>
  |                                ^
{HINT}

{FAILED}
"),
    );
}

#[test]
fn two_macros_of_one_file_calling_each_other() {
    let macros = "{% macro odd(n) %}{% if n %}{{ self::even(n=n) }}{% endif %}{% endmacro odd %}\n{% macro even(n) %}{% if n %}{{ self::odd(n=n) }}{% endif %}{% endmacro even %}\n";
    TestSite::fixture("basic").fails_with(
        &[
            ("templates/macros.html", macros),
            ("templates/page.html", &page_calling("{{ mac::odd(n=3) }}")),
        ],
        &format!("templates/macros.html:2:33: error: template recursion too deep: page.html:3 calls macro `odd` of macros.html → macros.html:1 calls macro `even` of macros.html → macros.html:2 calls macro `odd` of macros.html (while rendering content/background.md)
  |
2 | {{% macro even(n) %}}{{% if n %}}{{{{ self::odd(n=n) }}}}{{% endif %}}{{% endmacro even %}}
  |                                 ^
{HINT}

{FAILED}
"),
    );
}

/// Macros of two files that see each other through their parents' imports (files that import
/// each other directly are refused when loading, see below).
#[test]
fn macros_of_two_files_calling_each_other() {
    let ping = "{% extends \"ping_base.html\" %}\n{% macro ping(n) %}{% if n %}{{ pong::pong(n=n) }}{% endif %}{% endmacro ping %}\n";
    let pong = "{% extends \"pong_base.html\" %}\n{% macro pong(n) %}{% if n %}{{ ping::ping(n=n) }}{% endif %}{% endmacro pong %}\n";
    TestSite::fixture("basic").fails_with(
        &[
            ("templates/ping_base.html", "{% import \"pong.html\" as pong %}\n"),
            ("templates/pong_base.html", "{% import \"ping.html\" as ping %}\n"),
            ("templates/ping.html", ping),
            ("templates/pong.html", pong),
            ("templates/page.html", "{% extends \"base.html\" %}\n{% import \"ping.html\" as p %}\n{% block main %}{{ page.content | safe }}{{ p::ping(n=1) }}{% endblock main %}\n"),
        ],
        &format!("templates/pong.html:2:33: error: template recursion too deep: page.html:3 calls macro `ping` of ping.html → ping.html:2 calls macro `pong` of pong.html → pong.html:2 calls macro `ping` of ping.html (while rendering content/background.md)
  |
2 | {{% macro pong(n) %}}{{% if n %}}{{{{ ping::ping(n=n) }}}}{{% endif %}}{{% endmacro pong %}}
  |                                 ^
{HINT}

{FAILED}
"),
    );
}

#[test]
fn files_that_import_each_other_are_refused_when_loading() {
    TestSite::fixture("basic").fails_with(
        &[
            ("templates/a.html", "{% import \"b.html\" as b %}\n{% macro ping() %}{{ b::pong() }}{% endmacro ping %}\n"),
            ("templates/b.html", "\n{% import 'a.html' as a %}\n{% macro pong() %}{% if false %}{{ a::ping() }}{% endif %}{% endmacro pong %}\n"),
        ],
        "templates/b.html:2:11: error: templates import each other: a.html:1 imports b.html → b.html:2 imports a.html
  |
2 | {% import 'a.html' as a %}
  |           ^
  = help: Tera cannot load macro files that import each other, directly or in a ring: put the macros that call each other in one file and call them with `self::`

build failed: 1 error; the output folder was left as it was
",
    );
}

#[test]
fn a_shortcode_calling_a_macro_that_never_ends() {
    let macros = "{% macro m(n) %}{% if true %}{{ self::m(n=n) }}{% endif %}{% endmacro m %}\n";
    let site = TestSite::fixture("basic");
    let call = site
        .read("content/background.md")
        .lines()
        .nth(17)
        .unwrap()
        .to_owned();
    assert!(call.starts_with("{{ figure("), "{call}");
    site.fails_with(
        &[
            ("templates/macros.html", macros),
            ("templates/shortcodes/figure.html", "{% import \"macros.html\" as mac %}\n<figure>{{ mac::m(n=1) }}</figure>\n"),
        ],
        &format!("content/background.md:18:1: error: shortcode `figure` failed: template recursion too deep: shortcodes/figure.html:2 calls macro `m` of macros.html → macros.html:1 calls macro `m` of macros.html (templates/macros.html:1:33)
   |
18 | {call}
   | ^
{HINT}

{FAILED}
"),
    );
}

/// A tree 20 levels deep, from front matter, rendered by a macro that calls itself per child.
#[test]
fn a_bounded_recursion_over_a_deep_tree_renders() {
    let mut tree = "{title: leaf20, children: []}".to_owned();
    for level in (1..20).rev() {
        tree = format!("{{title: node{level}, children: [{tree}]}}");
    }
    let site = TestSite::fixture("basic");
    let page = site.read("content/later.md");
    let page = page.replacen("---\n", &format!("---\nextra:\n  tree: {tree}\n"), 1);
    site.write("content/later.md", page);
    site.write(
        "templates/macros.html",
        "{% macro branch(node) %}<li>{{ node.title }}{% if node.children %}<ul>{% for child in node.children %}{{ self::branch(node=child) }}{% endfor %}</ul>{% endif %}</li>{% endmacro branch %}\n",
    );
    site.write(
        "templates/page.html",
        page_calling("{% if page.extra.tree %}<ul id=\"tree\">{{ mac::branch(node=page.extra.tree) }}</ul>{% endif %}"),
    );
    site.build().success();
    let html = site.read("public/later/index.html");
    let start = html.find("<ul id=\"tree\">").unwrap();
    let nested = &html[start..];
    assert_eq!(nested.matches("<ul").count(), 20, "{nested}");
    assert!(
        nested.contains("<li>node19<ul><li>leaf20</li></ul></li>"),
        "{nested}"
    );
}

#[test]
fn serve_reports_a_runaway_recursion_and_stays_up() {
    assert_serve_reports_and_recovers(
        &TestSite::fixture("serve/basic"),
        "templates/page.html",
        "{% macro m() %}{% for i in [1] %}{{ self::m() }}{% endfor %}{% endmacro m %}\n{{ self::m() }}\n",
        "templates/page.html:1:37: error: template recursion too deep: page.html:2 calls macro `m` of page.html → page.html:1 calls macro `m` of page.html",
    );
}
