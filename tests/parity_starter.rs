//! `dossier init`: the explainer starter is the shipped theme plus a few pages that use its
//! parts (person pages, quotes, callouts, footnotes, what changed, 404, Open Graph tags), and it
//! passes `check` without a warning; `init --bare` still gives the minimal site.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{attrs, texts, tree, TestSite};
use std::path::Path;
use std::process::Command;

/// Every page of a built site must stay under this size (the project's page budget).
const PAGE_BUDGET_BYTES: usize = 50_000;

/// A built page of the starter, parsed.
fn page(site: &TestSite, path: &str) -> scraper::Html {
    scraper::Html::parse_document(&site.read(&format!("starter/public/{path}")))
}

fn starter() -> TestSite {
    let site = TestSite::fixture("basic");
    site.run(&["init", "starter"]).success();
    site
}

#[test]
fn the_starter_theme_is_the_repository_theme_file_for_file() {
    let site = starter();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["templates", "static"] {
        let shipped = tree(&repo.join(folder));
        let written = tree(&site.path(&format!("starter/{folder}")));
        assert_eq!(
            written.keys().collect::<Vec<_>>(),
            shipped.keys().collect::<Vec<_>>(),
            "{folder}/"
        );
        assert!(
            written == shipped,
            "{folder}/ differs from the repository's"
        );
    }
}

#[test]
fn the_starter_checks_clean_and_builds_an_explainer_with_the_shipped_theme() {
    let site = starter();
    let run = site.run(&["check", "--root", "starter"]).success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let run = site.run(&["build", "--root", "starter"]).success();
    assert!(
        run.stdout.starts_with("Built 5 pages, 2 sections"),
        "{}",
        run.stdout
    );
    // Its quotations are tied to a source with a local text, so they are really verified.
    assert!(!run.stderr.contains("not verified"), "{}", run.stderr);

    let home = page(&site, "index.html");
    assert_eq!(
        attrs(&home, r#"meta[property="og:title"]"#, "content"),
        ["My explainer: the story in brief"]
    );
    assert_eq!(
        attrs(&home, r#"meta[property="og:type"]"#, "content"),
        ["website"]
    );
    assert_eq!(
        texts(&home, ".site-nav a"),
        [
            "Overview",
            "Background",
            "Participants",
            "Who said what",
            "What changed"
        ]
    );

    let person = page(&site, "participants/alex-doe/index.html");
    assert_eq!(texts(&person, "article.person .role"), ["Chief negotiator"]);
    assert_eq!(
        texts(&person, ".person-quotes figcaption a"),
        ["Background"]
    );
    assert_eq!(
        texts(&person, ".backlinks a"),
        ["Overview", "Background", "Sam Roe"]
    );

    let quotes = page(&site, "quotes/index.html");
    assert_eq!(texts(&quotes, ".speaker h2"), ["Alex Doe", "Sam Roe"]);
    assert_eq!(
        texts(&quotes, ".quote-context"),
        ["Sam Roe called it a first step"]
    );

    let background = page(&site, "background/index.html");
    assert_eq!(
        texts(&background, "aside.callout-note .callout-title"),
        ["Note"]
    );
    assert_eq!(
        texts(&background, ".corrections li"),
        ["17 January 2026: An earlier version misspelled a name."]
    );
    assert_eq!(
        attrs(&background, "section.footnotes li", "id"),
        ["fn:source"]
    );
    // The toolkit: a citation, the page's sources list and a two-step timeline.
    assert_eq!(
        attrs(&background, "sup.cite a", "id"),
        ["cite-1", "cite-2", "cite-3", "cite-4"]
    );
    assert_eq!(
        texts(&background, "section.page-sources cite"),
        ["Joint statement after the meeting"]
    );
    assert_eq!(
        texts(&background, "section.event h3"),
        ["The meeting", "The statement"]
    );

    let missing = page(&site, "404.html");
    assert_eq!(texts(&missing, "h1"), ["Page not found"]);
}

#[test]
fn the_starter_pages_stay_under_the_page_budget() {
    let site = starter();
    site.run(&["build", "--root", "starter"]).success();
    let public = site.path("starter/public");
    let css = ["reading.css", "style.css"]
        .map(|file| std::fs::read(public.join(file)).unwrap().len())
        .iter()
        .sum::<usize>();
    let pages: Vec<_> = tree(&public)
        .into_iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "html"))
        .collect();
    assert_eq!(
        pages.len(),
        9,
        "five pages, two sections, the one-page version and 404.html"
    );
    for (path, html) in pages {
        let weight = html.len() + css;
        assert!(
            weight < PAGE_BUDGET_BYTES,
            "{}: {weight} bytes",
            path.display()
        );
    }
}

#[test]
fn the_bare_starter_is_the_minimal_site() {
    let site = TestSite::fixture("basic");
    site.run(&["init", "--bare", "starter"]).success();
    assert!(!site.path("starter/templates/person.html").exists());
    assert!(!site.path("starter/content/participants").exists());
    let run = site.run(&["build", "--root", "starter"]).success();
    assert!(
        run.stdout.starts_with("Built 2 pages, 1 section"),
        "{}",
        run.stdout
    );
}

/// The starter's pages pass the Nu Html Checker (errors only), when java and vnu.jar are there
/// (always under `CI`).
#[test]
fn the_starter_pages_are_valid_html() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let jar = repo.join("tests/tools/node_modules/vnu-jar/build/dist/vnu.jar");
    let java = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !(java && jar.is_file()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "java and {} are required under CI",
            jar.display()
        );
        eprintln!("skipped: java or vnu.jar is missing");
        return;
    }
    let site = starter();
    site.run(&["build", "--root", "starter"]).success();
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html"])
        .arg(site.path("starter/public"))
        .output()
        .unwrap();
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{errors}");
    assert_eq!(errors.trim(), "");
}

/// What a build leaves beside the site's files (the output, the previous output kept as the next
/// build's staging folder, the image cache) is ignored by git in both starters, so `git add .`
/// after a few builds commits only the site's sources.
#[test]
fn builds_leave_nothing_for_git_to_add_in_either_starter() {
    for args in [&["init", "starter"][..], &["init", "--bare", "starter"][..]] {
        let site = TestSite::fixture("basic");
        site.run(args).success();
        let dir = site.path("starter");
        let git = |args: &[&str]| {
            let out = Command::new("git").args(args).current_dir(&dir).output();
            String::from_utf8(out.expect("git runs").stdout).unwrap()
        };
        git(&["init", "-q"]);
        let before = git(&["status", "--porcelain", "--untracked-files=all"]);
        for _ in 0..3 {
            site.run(&["build", "--root", "starter"]).success();
        }
        assert!(
            dir.join(".public.dossier-spare").is_dir(),
            "the previous output is kept beside the output"
        );
        let after = git(&["status", "--porcelain", "--untracked-files=all"]);
        assert_eq!(after, before, "{args:?}: builds left files for git to add");
    }
}
