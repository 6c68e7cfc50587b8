//! The bad-input suite: every user mistake is reported as `file:line:col` with a hint, the build
//! exits 1, and the previous output stays byte-for-byte as it was. The whole of every message is
//! a reviewed snapshot (`tests/snapshots/build_errors__*.snap`; see README's Tests section to
//! update them).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{tree, TestSite};

/// One mistake: files to write (or remove), then what the message must say.
struct Case {
    name: &'static str,
    writes: &'static [(&'static str, &'static [u8])],
    removes: &'static [&'static str],
    /// `path:line` (or `path:line:col`) that must start a line of stderr.
    location: &'static str,
    /// Words the message must contain.
    message: &'static str,
}

const LATER_OK: &str = "---\ntitle: \"Later\"\nweight: 30\n---\n";

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "unclosed front matter",
            writes: &[("content/later.md", b"---\ntitle: Later\nNo closing line.\n")],
            removes: &[],
            location: "content/later.md:1:1:",
            message: "front matter is never closed",
        },
        Case {
            name: "YAML syntax error",
            writes: &[("content/later.md", b"---\ntitle: Later\n\tweight: 3\n---\n")],
            removes: &[],
            location: "content/later.md:3:1:",
            message: "found a tab character that violates indentation",
        },
        Case {
            name: "wrong type for a field",
            writes: &[("content/later.md", b"---\ntitle: Later\nweight: heavy\n---\n")],
            removes: &[],
            location: "content/later.md:3:9:",
            message: "invalid type: string \"heavy\", expected i64",
        },
        Case {
            name: "unknown front matter field",
            writes: &[("content/later.md", b"---\ntitle: Later\nwieght: 3\n---\n")],
            removes: &[],
            location: "content/later.md:3:1:",
            message: "unknown field `wieght`",
        },
        Case {
            name: "duplicate front matter key",
            writes: &[("content/later.md", b"---\ntitle: Later\nweight: 1\ntitle: Again\n---\n")],
            removes: &[],
            location: "content/later.md:4:1:",
            message: "duplicate field `title`",
        },
        Case {
            name: "invalid UTF-8",
            writes: &[("content/later.md", b"---\ntitle: Later\n---\nfine\nbad \xff byte\n")],
            removes: &[],
            location: "content/later.md:5:5:",
            message: "not valid UTF-8",
        },
        Case {
            name: "empty title",
            writes: &[("content/later.md", b"---\nweight: 2\ntitle: \"\"\n---\n")],
            removes: &[],
            location: "content/later.md:3:1:",
            message: "the title is empty",
        },
        Case {
            name: "missing template",
            writes: &[("content/later.md", b"---\ntitle: Later\ntemplate: persn.html\n---\n")],
            removes: &[],
            location: "content/later.md:3:11:",
            message: "there is no template `persn.html`",
        },
        Case {
            name: "Tera syntax error in a template",
            writes: &[("templates/page.html", b"{% extends \"base.html\" %}\n{% block main %}{{ page.title }\n{% endblock %}\n")],
            removes: &[],
            location: "templates/page.html:2:",
            message: "template syntax error",
        },
        Case {
            name: "undefined variable in a template",
            writes: &[("templates/page.html", b"{% extends \"base.html\" %}\n{% block main %}\n{{ page.nothing }}\n{% endblock %}\n")],
            removes: &[],
            location: "templates/page.html:3:",
            message: "page.nothing",
        },
        Case {
            name: "unknown shortcode",
            writes: &[("content/later.md", b"---\ntitle: Later\n---\nText.\n\n{{ figur(src=\"img/map.svg\") }}\n")],
            removes: &[],
            location: "content/later.md:6:1:",
            message: "unknown shortcode `figur`",
        },
        Case {
            name: "bad shortcode argument",
            writes: &[("content/later.md", b"---\ntitle: Later\n---\n{{ figure(src=img) }}\n")],
            removes: &[],
            location: "content/later.md:4:15:",
            message: "`img` is not a valid value",
        },
        Case {
            name: "broken @/ link",
            writes: &[("content/later.md", b"---\ntitle: Later\n---\nSee\n[the past](@/backgrund.md).\n")],
            removes: &[],
            location: "content/later.md:5:1:",
            message: "there is no content/backgrund.md",
        },
        Case {
            name: "broken #anchor",
            writes: &[("content/later.md", b"---\ntitle: Later\n---\nSee [it](@/background.md#first-headin).\n")],
            removes: &[],
            location: "content/later.md:4:5:",
            message: "no anchor `#first-headin`",
        },
        Case {
            name: "broken relative image",
            writes: &[("content/later.md", b"---\ntitle: Later\n---\n\n![map](img/mapp.svg)\n")],
            removes: &[],
            location: "content/later.md:5:1:",
            message: "there is no content/img/mapp.svg",
        },
        Case {
            name: "duplicate output path",
            writes: &[("content/later/index.md", b"---\ntitle: Later again\n---\n")],
            removes: &[],
            location: "content/later/index.md:1:1:",
            message: "both produce /later/",
        },
        Case {
            name: "two pages with the same slug",
            writes: &[("content/people/bobby.md", b"---\ntitle: Bobby\nslug: robert\n---\n")],
            removes: &[],
            location: "content/people/bobby.md:3:1:",
            message: "two pages have the slug `robert`",
        },
        Case {
            name: "unknown config key",
            writes: &[("site.yaml", b"title: Basic\nlanguage: en\nbase_ulr: https://example.org/\n")],
            removes: &[],
            location: "site.yaml:3:1:",
            message: "unknown field `base_ulr`",
        },
        Case {
            name: "missing home page",
            writes: &[],
            removes: &["content/_index.md"],
            location: "content/_index.md:",
            message: "the home page is missing",
        },
        Case {
            name: "broken link made by a template",
            writes: &[("templates/page.html", b"{% extends \"base.html\" %}\n{% block main %}<a href=\"/nowhere/\">x</a>{% endblock %}\n")],
            removes: &[],
            location: "templates/page.html:",
            message: "`/nowhere/` does not exist",
        },
    ]
}

/// `"broken @/ link"` → `broken_link`.
fn snapshot_name(case: &str) -> String {
    let words: Vec<String> = case
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    words.join("_")
}

#[test]
fn every_mistake_is_reported_at_its_place_and_leaves_the_output_alone() {
    let cases = cases();
    assert!(cases.len() >= 15);
    let mut failures = Vec::new();
    for case in &cases {
        let site = TestSite::fixture("basic");
        site.write("content/later.md", LATER_OK);
        site.build().success();
        let before = tree(&site.public());
        for (path, bytes) in case.writes {
            site.write(path, bytes);
        }
        for path in case.removes {
            site.remove(path);
        }
        let run = site.build();
        insta::assert_snapshot!(snapshot_name(case.name), run.diagnostics());
        let located = run
            .stderr
            .lines()
            .any(|l| l.starts_with(case.location) && l.contains(case.message));
        let has_hint = run.stderr.contains("= help: ");
        if run.code != 1 || !located || !has_hint || tree(&site.public()) != before {
            failures.push(format!(
                "{}: code {}, located {located}, hint {has_hint}, output unchanged {}\n{}",
                case.name,
                run.code,
                tree(&site.public()) == before,
                run.stderr
            ));
        }
        assert!(
            !run.stderr.contains("panicked"),
            "{}: {}",
            case.name,
            run.stderr
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
}

#[test]
fn all_problems_of_a_build_are_reported_at_once() {
    let site = TestSite::fixture("basic");
    site.write("content/later.md", "---\ntitel: Later\n---\n");
    site.write(
        "content/background.md",
        "---\ntitle: B\n---\n[x](@/nope.md)\n",
    );
    site.write("templates/people.html", "{% if %}");
    let run = site.build().user_error();
    insta::assert_snapshot!("loading_errors_at_once", run.diagnostics());
    assert!(
        run.stderr
            .contains("content/later.md:2:1: error: unknown field `titel`"),
        "{}",
        run.stderr
    );
    run.expect_stderr("templates/people.html:1:");
    run.expect_stderr("build failed: 2 errors");
    // Link errors come after loading succeeds; with the loading errors fixed they are reported.
    site.write(
        "content/later.md",
        "---\ntitle: Later\n---\n[y](@/gone.md)\n",
    );
    site.write("templates/people.html", "{% extends \"base.html\" %}");
    let run = site.build().user_error();
    insta::assert_snapshot!("link_errors_at_once", run.diagnostics());
    run.expect_stderr("content/background.md:4:1:");
    run.expect_stderr("content/later.md:4:1:");
    run.expect_stderr("build failed: 2 errors");
}

#[test]
fn error_shows_the_offending_line_with_a_caret() {
    let site = TestSite::fixture("basic");
    site.write("content/later.md", "---\ntitle: Later\nwieght: 3\n---\n");
    let run = site.build().user_error();
    insta::assert_snapshot!("caret_and_hint", run.diagnostics());
    run.expect_stderr("3 | wieght: 3\n  | ^\n");
    run.expect_stderr("= help: did you mean `weight`?");
    assert!(
        !run.stderr.contains('\u{1b}'),
        "no colour when not on a terminal"
    );
}

#[test]
fn refuses_an_output_folder_it_did_not_create() {
    let site = TestSite::fixture("basic");
    site.write("mine/notes.txt", "keep me");
    let run = site.run(&["build", "--output", "mine"]).user_error();
    insta::assert_snapshot!("foreign_output_folder", run.diagnostics());
    run.expect_stderr("dossier did not create it");
    assert_eq!(site.read("mine/notes.txt"), "keep me");
    for (dangerous, name) in [(".", "site"), ("..", "parent"), ("content", "content")] {
        let run = site.run(&["build", "--output", dangerous]).user_error();
        insta::assert_snapshot!(format!("output_is_the_{name}"), run.diagnostics());
        assert!(
            run.stderr.contains("refusing to write the site here"),
            "{dangerous}: {}",
            run.stderr
        );
    }
    assert!(site.path("content/_index.md").is_file());
}
