//! Whole builds of generated sites, through the library: front matter values, shortcode calls,
//! Markdown, links (written in Markdown and as raw HTML, to pages, anchors and files, existing or
//! not) and the link rewrite together. Every build must return (no panic, no abort) either a site
//! whose internal links all resolve to files of that site, or errors that each name a file and,
//! for the generated page, a line. `tests/robustness.rs` feeds the parsers one by one; this
//! feeds the whole pipeline. The number of cases is bounded so it runs in seconds.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::TestSite;
use dossier::output::{FileSource, SiteFiles};
use dossier::site::{build, Silent};
use proptest::prelude::*;
use std::path::Path;

/// Front matter values, quoted or not, some hostile.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"Plain\"".to_owned()),
        Just("'single'".to_owned()),
        Just("\"C:\\\\temp\\\\\"".to_owned()),
        Just("\"<b>&amp;\\\"</b>\"".to_owned()),
        Just("|\n  block\n  text".to_owned()),
        Just("[a, b]".to_owned()),
        Just("{x: 1}".to_owned()),
        Just("\"\\u0000\"".to_owned()),
        Just("\"a\0b\"".to_owned()),
        Just("&a x".to_owned()),
        Just("*a".to_owned()),
        Just("\"🙂 é\"".to_owned()),
        "[a-z ]{0,12}".prop_map(|s| format!("\"{s}\"")),
    ]
}

/// Pieces of a Markdown body that build: the site must then link correctly.
fn good_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Some text. ".to_owned()),
        Just("\n\n".to_owned()),
        Just("# Heading\n".to_owned()),
        Just("## Same heading\n## Same heading\n".to_owned()),
        Just("[home](@/_index.md) ".to_owned()),
        Just("[bob](@/people/bob.md) ".to_owned()),
        Just("[amy](@/people/amy/index.md) ".to_owned()),
        Just("[self](#heading) ".to_owned()),
        Just("<a href=\"/people/\">p</a> ".to_owned()),
        Just("<a href=\"https://example.org/x\">x</a> ".to_owned()),
        Just("<img src=\"/style.css\" srcset=\"/style.css 2x\" alt=\"\"> ".to_owned()),
        Just("{{ quote(who=\"amy\") }} ".to_owned()),
        Just("{% note(kind=\"info\") %}inside *body* [home](@/_index.md){% end %} ".to_owned()),
        Just("`{{ code() }}` ".to_owned()),
        Just("\n\n```\n{% note() %}\n```\n".to_owned()),
        Just("<!-- more -->\n".to_owned()),
        Just("\0".to_owned()),
        Just("<script>x</script>".to_owned()),
        Just("&#0; &#xD800; ".to_owned()),
        Just("\n\n| a | b |\n|---|---|\n| 1 | 2 |\n".to_owned()),
        "[a-z *_#>-]{0,16}",
    ]
}

/// Pieces of a Markdown body, hostile ones included.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Some text. ".to_owned()),
        Just("\n\n".to_owned()),
        Just("# Heading\n".to_owned()),
        Just("## Same heading\n## Same heading\n".to_owned()),
        Just("[home](@/_index.md) ".to_owned()),
        Just("[bob](@/people/bob.md#nope) ".to_owned()),
        Just("[missing](@/missing.md) ".to_owned()),
        Just("[map](img/map.svg) ".to_owned()),
        Just("[up](../) ".to_owned()),
        Just("[self](#heading) ".to_owned()),
        Just("<a href=\"/people/\">p</a> ".to_owned()),
        Just("<a href=\"/nowhere/\">n</a> ".to_owned()),
        Just("<a href=\"//host/x\">h</a> ".to_owned()),
        Just("<img src=\"/style.css\" srcset=\"/style.css 2x, /x.png 1x\"> ".to_owned()),
        Just("{{ quote(who=\"amy\") }} ".to_owned()),
        Just("{% note() %}inside *body*{% end %} ".to_owned()),
        Just("{% note() %}a {% note() %}b{% end %} c{% end %} ".to_owned()),
        Just("{{ unknown() }} ".to_owned()),
        Just("{{ quote(who= }} ".to_owned()),
        Just("{% end %} ".to_owned()),
        Just("`{{ code() }}` ".to_owned()),
        Just("```\n{% note() %}\n```\n".to_owned()),
        Just("<!-- more -->\n".to_owned()),
        Just("[^1]\n\n[^1]: Note.\n".to_owned()),
        Just("\0".to_owned()),
        Just("<script>x</script>".to_owned()),
        Just("&#0; &#xD800; ".to_owned()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |\n".to_owned()),
        "[a-z{}%()\\[\\]#<>\"'/ ]{0,16}",
    ]
}

/// Front matter values that parse as text.
fn text_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"Plain\"".to_owned()),
        Just("'single'".to_owned()),
        Just("\"C:\\\\temp\\\\\"".to_owned()),
        Just("\"<b>&amp;\\\"</b>\"".to_owned()),
        Just("\"\\u0000 and \\t\"".to_owned()),
        Just("\"🙂 é\"".to_owned()),
        "[a-z ]{1,12}".prop_map(|s| format!("\"{s}\"")),
    ]
}

/// The generated page: front matter and body; half of them from pieces that build.
fn page() -> impl Strategy<Value = String> {
    let good = (
        text_value(),
        prop::option::of(text_value()),
        prop::collection::vec(good_piece(), 0..24)
            .prop_map(|b| format!("# Heading\n{}", b.concat())),
    );
    let any = (
        value(),
        prop::option::of(value()),
        prop::collection::vec(piece(), 0..24).prop_map(|b| b.concat()),
    );
    prop_oneof![good, any].prop_map(|(title, description, body)| {
        let description = description.map_or(String::new(), |d| format!("description: {d}\n"));
        format!("---\ntitle: {title}\nweight: 30\n{description}---\n{body}")
    })
}

/// The file an internal URL found on the page `from` points to, if it is internal.
fn target(from: &str, url: &str) -> Option<String> {
    let url = url.split(['#', '?']).next().unwrap_or_default();
    if url.is_empty() || url.contains(':') || url.starts_with("//") {
        return None;
    }
    let dir = Path::new(from).parent().unwrap_or(Path::new(""));
    let mut parts: Vec<String> = if url.starts_with('/') {
        Vec::new()
    } else {
        dir.iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect()
    };
    for part in url.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(dossier::links::percent_decode(p)),
        }
    }
    let path = parts.join("/");
    Some(if url.ends_with('/') || path.is_empty() {
        format!(
            "{}index.html",
            if path.is_empty() {
                String::new()
            } else {
                format!("{path}/")
            }
        )
    } else {
        path
    })
}

/// Every internal `href`/`src`/`srcset` URL of every HTML file that names no file of the site.
fn dangling(files: &SiteFiles) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (name, source) in files.iter() {
        let FileSource::Bytes(bytes) = source else {
            continue;
        };
        if !name.ends_with(".html") {
            continue;
        }
        let html = scraper::Html::parse_document(&String::from_utf8_lossy(bytes));
        let any = scraper::Selector::parse("[href], [src], [srcset]").unwrap();
        for element in html.select(&any) {
            let mut urls: Vec<&str> = ["href", "src"]
                .iter()
                .filter_map(|a| element.value().attr(a))
                .collect();
            if let Some(srcset) = element.value().attr("srcset") {
                urls.extend(
                    srcset
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next()),
                );
            }
            for url in urls {
                if let Some(file) = target(name, url) {
                    if !files.contains(&file) {
                        found.push((name.to_string(), url.to_owned()));
                    }
                }
            }
        }
    }
    found
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn generated_pages_build_to_linked_sites_or_located_errors(text in page()) {
        let site = TestSite::fixture("basic");
        site.write("content/later.md", &text);
        let options = site.options();
        match build(&options, &Silent) {
            Ok(built) => {
                let dangling = dangling(&built.files);
                prop_assert!(dangling.is_empty(), "links to nothing: {dangling:?}\n{text:?}");
            }
            Err(problems) => {
                for problem in problems.iter() {
                    prop_assert!(!problem.path.as_os_str().is_empty(), "{problem}\n{text:?}");
                    if problem.path == Path::new("content/later.md") {
                        prop_assert!(problem.line > 0, "no line: {problem}\n{text:?}");
                    }
                }
            }
        }
    }
}
