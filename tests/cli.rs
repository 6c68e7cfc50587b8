//! The command line: help on every command, `init`, `new`, `check`, and exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{texts, TestSite};

#[test]
fn every_command_has_help() {
    let site = TestSite::fixture("basic");
    for command in ["build", "check", "init", "new", "watch", "serve"] {
        let run = site.run(&[command, "--help"]).success();
        assert!(
            run.stdout.contains("Usage: dossier"),
            "{command}: {}",
            run.stdout
        );
    }
    let run = site.run(&["--help"]).success();
    for command in ["build", "check", "init", "new", "watch", "serve"] {
        assert!(run.stdout.contains(command), "{}", run.stdout);
    }
}

#[test]
fn unknown_flags_are_user_errors() {
    let site = TestSite::fixture("basic");
    let run = site.run(&["build", "--colour"]).user_error();
    run.expect_stderr("unexpected argument '--colour'");
    insta::assert_snapshot!("unknown_flag", run.diagnostics());
}

#[test]
fn init_scaffolds_a_site_that_builds_and_refuses_a_non_empty_folder() {
    let site = TestSite::fixture("basic");
    site.run(&["init", "--bare", "starter"]).success();
    let run = site.run(&["build", "--root", "starter"]).success();
    let background =
        scraper::Html::parse_document(&site.read("starter/public/background/index.html"));
    assert_eq!(texts(&background, "h1"), ["Background"]);
    assert!(site.path("starter/public/changes/index.html").is_file());
    let home = scraper::Html::parse_document(&site.read("starter/public/index.html"));
    assert_eq!(texts(&home, "h1"), ["My explainer"]);
    assert_eq!(texts(&home, "aside.note em"), ["shortcode"]);
    // The starter cites its source, quotes it (verified), and tells two events on a timeline.
    assert_eq!(
        texts(&home, "ol.timeline a"),
        ["The talks", "The next meeting"]
    );
    let background =
        scraper::Html::parse_document(&site.read("starter/public/background/index.html"));
    assert_eq!(
        common::site::attrs(&background, "sup.cite a", "id"),
        ["cite-1", "cite-2", "cite-3"]
    );
    assert_eq!(
        texts(&background, "ol.sources cite"),
        ["Interview with the harbour master"]
    );
    assert!(!run.stderr.contains("not verified"), "{}", run.stderr);
    assert!(!site.path("starter/public/sources").exists());
    site.run(&["check", "--root", "starter"]).success();
    let run = site.run(&["init", "starter"]).user_error();
    run.expect_stderr("the folder is not empty");
    insta::assert_snapshot!("init_into_a_non_empty_folder", run.diagnostics());
}

#[test]
fn new_creates_a_page_that_builds() {
    let site = TestSite::fixture("basic");
    let run = site
        .run(&["new", "people/carol.md", "--title", "Carol \"C\" Smith"])
        .success();
    assert!(
        run.stdout.contains("content/people/carol.md"),
        "{}",
        run.stdout
    );
    site.build().success();
    let html = site.html("people/carol/index.html");
    assert_eq!(texts(&html, "h1"), ["Carol \"C\" Smith"]);
    let run = site.run(&["new", "people/carol.md"]).user_error();
    run.expect_stderr("already exists");
    insta::assert_snapshot!("new_page_exists", run.diagnostics());
}

#[test]
fn check_finds_orphans_and_writes_nothing() {
    let site = TestSite::fixture("basic");
    let run = site.run(&["check"]).success();
    assert!(run.stdout.starts_with("Checked 4 pages"), "{}", run.stdout);
    assert!(!site.public().exists(), "check writes no output");
    // Listings and prev/next reach every page; only links from other pages' text count.
    site.write(
        "content/people/lonely.md",
        "---\ntitle: Lonely\nweight: 9\n---\nI link to [Amy](@/people/amy/index.md).\n",
    );
    let run = site.run(&["check"]).user_error();
    assert!(
        run.stderr
            .contains("content/people/lonely.md: error: no other page's text links to this page"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
    insta::assert_snapshot!("orphan_page", run.diagnostics());
    site.write(
        "content/later.md",
        site.read("content/later.md") + "\nSee [Lonely](@/people/lonely.md).\n",
    );
    site.run(&["check"]).success();
}
