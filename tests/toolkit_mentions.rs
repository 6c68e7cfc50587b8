//! Mentions: pages declare the names they are known by (`known_as`); `dossier check` warns about a
//! page that mentions one without linking to it, and `link_mentions: true` links the first
//! mention instead. Backlinks count those links, and an incremental rebuild follows a change of
//! names on another page.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{attrs, texts, tree, TestSite};
use dossier::site::{build, build_with_cache, BuildCache, Silent};

/// Panics unless every line of `expected` is a whole line of `stderr`, in order.
fn assert_lines(stderr: &str, expected: &[&str]) {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut from = 0;
    for want in expected {
        let Some(i) = lines[from..].iter().position(|l| l == want) else {
            panic!("stderr lacks the line {want:?} (after line {from}):\n{stderr}");
        };
        from += i + 1;
    }
}

fn linking(site: &TestSite) {
    let config = site.read("site.yaml") + "link_mentions: true\n";
    site.write("site.yaml", config);
}

#[test]
fn check_warns_at_the_first_unlinked_mention_with_the_link_to_write() {
    let site = TestSite::fixture("toolkit/mentions");
    let run = site.run(&["check"]).success();
    assert_lines(
        &run.stderr,
        &[
            "content/talks.md:9:1: warning: this page mentions Vladimir Putin but never links to people/putin.md",
            "9 | Vladimir Putin met Donald Trump. Later, Putin left first.",
            "  = help: link the first mention: `[Vladimir Putin](@/people/putin.md)`, or set `link_mentions: true` in site.yaml",
        ],
    );
    // Trump is linked further down the page; a page's own names are no mention; code, links,
    // headings and longer words are not mentions.
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{}", run.stderr);
    // `build` does not report mentions.
    let run = site.build().success();
    assert!(!run.stderr.contains("mentions"), "{}", run.stderr);
    let putin = site.html("people/putin/index.html");
    assert_eq!(texts(&putin, ".mentioned-on a"), ["Home"]);
}

#[test]
fn a_link_anywhere_in_the_text_silences_the_warning() {
    let site = TestSite::fixture("toolkit/mentions");
    let text = site.read("content/talks.md") + "\nMore on [him](@/people/putin.md#top).\n";
    site.write("content/talks.md", text);
    let run = site.run(&["check"]).success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn link_mentions_links_the_first_mention_only_and_backlinks_count_it() {
    let site = TestSite::fixture("toolkit/mentions");
    linking(&site);
    let run = site.run(&["check"]).success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    site.build().success();
    let talks = site.html("talks/index.html");
    assert_eq!(
        attrs(&talks, "main p a", "href"),
        [
            "https://example.org/",
            "../people/putin/",
            "../people/trump/",
            "../people/trump/"
        ]
    );
    assert_eq!(
        texts(&talks, "main p a"),
        [
            "Putin page",
            "Vladimir Putin",
            "Donald Trump",
            "his statement"
        ]
    );
    assert_eq!(
        texts(&talks, "main h2 a"),
        ["#"],
        "no link inside the heading"
    );
    let page = site.read("public/talks/index.html");
    assert!(page.contains("Later, Putin left first."));
    assert!(page.contains("<code>Putin</code>"));
    assert!(page.contains("Putinism is not one either."));
    // Putin's own page does not link to itself.
    let putin = site.html("people/putin/index.html");
    assert_eq!(attrs(&putin, "main p a", "href"), ["../../talks/"]);
    // "Mentioned on" (backlinks) counts the automatic link: without it, only Home links here.
    assert_eq!(texts(&putin, ".mentioned-on a"), ["Home", "The talks"]);
}

#[test]
fn a_name_two_pages_claim_is_an_error_at_its_line() {
    let site = TestSite::fixture("toolkit/mentions");
    site.build().success();
    let before = tree(&site.public());
    site.write(
        "content/people/trump.md",
        "---\ntitle: \"Donald Trump\"\nknown_as: [\"Donald Trump\", \"Putin\"]\n---\nTrump.\n",
    );
    let run = site.build().user_error();
    assert_lines(
        &run.stderr,
        &[
            "content/people/trump.md:3:29: error: the name `Putin` is already in `known_as` of content/people/putin.md",
            "  = help: a name can lead to one page only: remove it from one of the two",
        ],
    );
    assert_eq!(tree(&site.public()), before);
}

#[test]
fn changing_known_as_on_one_page_rebuilds_the_pages_that_mention_it() {
    let site = TestSite::fixture("toolkit/mentions");
    linking(&site);
    let options = site.options();
    let mut cache = BuildCache::default();
    let first = build_with_cache(&options, &mut cache, &Silent).unwrap();
    let talks = |built: &dossier::site::Built| {
        let file = built.files.get("talks/index.html").unwrap();
        String::from_utf8(file.read().unwrap().into_owned()).unwrap()
    };
    assert!(talks(&first).contains("<a href=\"../people/putin/\">Vladimir Putin</a>"));
    site.write(
        "content/people/putin.md",
        "---\ntitle: \"Vladimir Putin\"\nknown_as: [\"Putin\"]\n---\nPutin. See [the talks](@/talks.md).\n",
    );
    let incremental = build_with_cache(&options, &mut cache, &Silent).unwrap();
    let clean = build(&options, &Silent).unwrap();
    assert!(talks(&incremental).contains("Vladimir <a href=\"../people/putin/\">Putin</a> met"));
    assert_eq!(talks(&incremental), talks(&clean));
    assert_eq!(incremental.files, clean.files);
}
