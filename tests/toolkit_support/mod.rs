//! Shared by the toolkit tests: a copy of a toolkit fixture site with its `sources.yaml` and
//! `sources/` folder (which `TestSite` does not copy), and a check that a failed build left the
//! previous output as it was.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use crate::common::site::{copy_tree, fixtures, tree, Run, TestSite};

/// `tests/fixtures/toolkit/<name>`, copied whole.
pub fn site(name: &str) -> TestSite {
    let fixture = format!("toolkit/{name}");
    let site = TestSite::fixture(&fixture);
    let source = fixtures().join(&fixture);
    for extra in ["sources.yaml", "sources"] {
        if source.join(extra).exists() {
            copy_tree(&source.join(extra), &site.path(extra));
        }
    }
    site
}

/// Builds `site` (which must succeed), applies `change`, builds again: the second build must
/// fail with exit code 1 and leave `public/` byte for byte as the first build wrote it.
pub fn fails_keeping_output(site: &TestSite, change: impl FnOnce(&TestSite)) -> Run {
    site.build().success();
    let before = tree(&site.public());
    change(site);
    let run = site.build().user_error();
    assert_eq!(
        tree(&site.public()),
        before,
        "a failed build changed the output"
    );
    run
}

/// Asserts that stderr has `lines` as consecutive whole lines.
pub fn has_lines(run: &Run, lines: &[&str]) {
    let all: Vec<&str> = run.stderr.lines().collect();
    let found = all
        .windows(lines.len())
        .any(|w| w.iter().zip(lines).all(|(a, b)| a == b));
    assert!(found, "stderr lacks the lines {lines:#?}:\n{}", run.stderr);
}
