//! A shortcode call inside the body of another is a located error (it used to end the outer
//! call at the first `{% end %}` and leak the rest into the page).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{tree, TestSite};

#[test]
fn nested_shortcode_calls_are_errors_at_the_inner_call() {
    for (body, location) in [
        (
            "{% note(kind=\"a\") %}a {% note(kind=\"b\") %}b{% end %} c{% end %}\n",
            "6:23",
        ),
        (
            "Intro.\n\n{% note(kind=\"a\") %}\nOne {{ figure(src=\"x.png\") }}\n{% end %}\n",
            "9:5",
        ),
    ] {
        let site = TestSite::fixture("basic");
        site.build().success();
        let before = tree(&site.public());
        site.write(
            "content/later.md",
            format!("---\ntitle: \"Later\"\nweight: 30\n---\n\n{body}"),
        );
        let run = site.build().user_error();
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(
            lines[0],
            format!("content/later.md:{location}: error: a shortcode call inside the body of `note` is not supported"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("  = help: close the outer shortcode with `{% end %}` before this call, or write the inner content as Markdown or HTML"));
        assert!(
            run.stderr.contains("build failed: 1 error;"),
            "{}",
            run.stderr
        );
        assert_eq!(tree(&site.public()), before);
    }
}
