//! `highlight_code` in site.yaml: on by default; `false` writes fenced code as plain
//! `<pre><code class="language-…">` (what Hugo's `codeFences = false` does); a value that is not
//! a bool is an error at its line; and a cached rebuild after the switch changes equals a clean
//! build.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{attrs, built_files, copy_tree, texts, TestSite};
use dossier::site::{build, build_with_cache, BuildCache, Silent};
use std::path::Path;

/// The `parity/code` fixture with the shipped theme.
fn code_site() -> TestSite {
    let site = TestSite::fixture("parity/code");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["templates", "static"] {
        copy_tree(&repo.join(part), &site.path(part));
    }
    site
}

fn switched_off(site: &TestSite) {
    let settings = site.read("site.yaml");
    site.write("site.yaml", format!("{settings}highlight_code: false\n"));
}

#[test]
fn highlight_code_false_writes_plain_code_blocks() {
    let site = code_site();
    site.build().success();
    let highlighted = site.html("examples/index.html");
    assert_eq!(
        texts(&highlighted, "code.language-rust .hl-name"),
        ["add_one"]
    );
    let rust_text = texts(&highlighted, "code.language-rust");
    switched_off(&site);
    site.build().success();
    let plain = site.html("examples/index.html");
    assert_eq!(
        attrs(&plain, "pre > code", "class"),
        [
            "language-rust",
            "language-python",
            "language-yaml",
            "language-json",
            "language-sh",
            "language-klingon"
        ]
    );
    assert!(texts(&plain, "pre.highlight").is_empty());
    assert!(texts(&plain, "code span").is_empty(), "no token spans");
    // The code reads the same either way.
    assert_eq!(texts(&plain, "code.language-rust"), rust_text);
}

#[test]
fn highlight_code_must_be_a_bool() {
    let site = code_site();
    let settings = site.read("site.yaml");
    site.fails_with(
        &[("site.yaml", &format!("{settings}highlight_code: sometimes\n"))],
        "site.yaml:4:17: error: highlight_code: invalid type: string \"sometimes\", expected a boolean\n  |\n4 | highlight_code: sometimes\n  |                 ^\n  = help: check the value's type (quote text that looks like a number or date)\n\nbuild failed: 1 error; the output folder was left as it was\n",
    );
}

#[test]
fn a_cached_rebuild_after_switching_equals_a_clean_build() {
    let site = code_site();
    let options = site.options();
    let mut cache = BuildCache::default();
    build_with_cache(&options, &mut cache, &Silent).unwrap();
    switched_off(&site);
    let rebuilt = build_with_cache(&options, &mut cache, &Silent).unwrap();
    let clean = build(&options, &Silent).unwrap();
    assert_eq!(built_files(&rebuilt), built_files(&clean));
    let page = rebuilt
        .files
        .iter()
        .find(|(name, _)| name.as_str() == "examples/index.html")
        .map(|(_, source)| String::from_utf8(source.read().unwrap().into_owned()).unwrap())
        .unwrap();
    assert!(page.contains("<code class=\"language-rust\">"));
    assert!(!page.contains("hl-keyword"));
}
