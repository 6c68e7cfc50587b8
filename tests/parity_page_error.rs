//! `page_error(key=, message=, hint=)` called from a shortcode's template: the page is wrong,
//! not the template, so the error is reported at the page's call of the shortcode, with the
//! message and hint as the template gave them, every such call of the build at once, and the
//! previous output is left as it was.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::TestSite;

/// A site whose `portrait` shortcode calls `page_error` when the call gives no `credit`.
fn site() -> TestSite {
    TestSite::fixture("parity/page-error")
}

#[test]
fn a_good_call_renders() {
    let site = site();
    site.build().success();
    assert_eq!(
        site.texts("amy/index.html", ".portrait"),
        ["Amy Ng (Photo: Bo Li)"]
    );
}

#[test]
fn a_shortcode_page_error_is_reported_at_the_call_in_the_page() {
    site().fails_with(
        &[(
            "content/amy.md",
            "---\ntitle: \"Amy Ng\"\n---\nAmy Ng inspected the harbour.\n\nHer portrait: {{ portrait(who=\"Amy Ng\") }}\n",
        )],
        "content/amy.md:6:15: error: the portrait of Amy Ng has no credit\n  |\n6 | Her portrait: {{ portrait(who=\"Amy Ng\") }}\n  |               ^\n  = help: add `credit=\"Photo: …\"` to the call\n\nbuild failed: 1 error; the output folder was left as it was\n",
    );
}

#[test]
fn every_wrong_call_is_reported_and_a_missing_hint_adds_no_help_line() {
    let site = site();
    let template = site.read("templates/shortcodes/portrait.html");
    site.fails_with(
        &[
            (
                "templates/shortcodes/portrait.html",
                &template.replace(", hint='add `credit=\"Photo: …\"` to the call'", ""),
            ),
            (
                "content/_index.md",
                "---\ntitle: \"Harbour\"\n---\n{{ portrait(who=\"Bo Li\") }}\n\nThe harbour, and [Amy Ng](@/amy.md).\n",
            ),
            (
                "content/amy.md",
                "---\ntitle: \"Amy Ng\"\n---\n{% portrait(who=\"Amy Ng\") %}\nignored\n{% end %}\n",
            ),
        ],
        "content/_index.md:4:1: error: the portrait of Bo Li has no credit\n  |\n4 | {{ portrait(who=\"Bo Li\") }}\n  | ^\n\
         \ncontent/amy.md:4:1: error: the portrait of Amy Ng has no credit\n  |\n4 | {% portrait(who=\"Amy Ng\") %}\n  | ^\n\
         \nbuild failed: 2 errors; the output folder was left as it was\n",
    );
}
