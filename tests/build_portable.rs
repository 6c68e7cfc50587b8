//! Portable and repeatable output: every internal URL resolves to a file (and anchor) whether the
//! site is served from `/`, from a sub-path, or opened from disk; two builds are identical.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{internal_urls, tree, TestSite};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Resolves `url` found on the page at `page` (a path inside the output) as a browser would when
/// the output is served under `base` (like `/` or `/a/b/`), and returns the output file it names,
/// or why it does not.
fn resolve(base: &str, page: &Path, url: &str) -> Result<(PathBuf, Option<String>), String> {
    let page_url = format!("{base}{}", page.to_string_lossy());
    let (path_part, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f.to_owned())),
        None => (url, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let joined = if path_part.is_empty() {
        page_url.clone()
    } else if path_part.starts_with('/') {
        path_part.to_owned()
    } else {
        format!(
            "{}{}",
            &page_url[..page_url.rfind('/').unwrap() + 1],
            path_part
        )
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/').skip(1) {
        match segment {
            "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let absolute = format!("/{}", segments.join("/"));
    let inside = absolute
        .strip_prefix(base)
        .ok_or_else(|| format!("{url} on {} leaves the site: {absolute}", page.display()))?;
    let file = if inside.is_empty() || inside.ends_with('/') {
        format!("{inside}index.html")
    } else {
        inside.to_owned()
    };
    Ok((PathBuf::from(file), fragment))
}

fn ids(public: &Path) -> BTreeMap<PathBuf, Vec<String>> {
    tree(public)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, bytes)| {
            let html = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
            (p, common::site::attrs(&html, "[id]", "id"))
        })
        .collect()
}

fn assert_portable(site: &TestSite, bases: &[&str]) {
    let public = site.public();
    let ids = ids(&public);
    let urls = internal_urls(&public);
    assert!(
        urls.len() > 20,
        "too few links to be a meaningful check: {}",
        urls.len()
    );
    let mut broken = Vec::new();
    for base in bases {
        for (page, url) in &urls {
            if page == Path::new("404.html") {
                continue; // served at any address; checked separately
            }
            match resolve(base, page, url) {
                Ok((file, fragment)) => {
                    if !public.join(&file).is_file() {
                        broken.push(format!(
                            "{base}: {url} on {} → missing {}",
                            page.display(),
                            file.display()
                        ));
                    } else if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                        if !ids.get(&file).is_some_and(|list| list.contains(&f)) {
                            broken.push(format!("{base}: {url} on {} → no #{f}", page.display()));
                        }
                    }
                }
                Err(e) => broken.push(format!("{base}: {e}")),
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn every_internal_url_resolves_from_the_root_and_from_a_sub_path() {
    let site = TestSite::fixture("basic");
    site.build().success();
    assert_portable(&site, &["/", "/a/b/"]);
}

#[test]
fn the_shipped_explainer_is_portable_too() {
    let site = TestSite::fixture(".");
    site.build().success();
    assert_portable(&site, &["/", "/deep/sub/path/"]);
}

#[test]
fn browse_from_disk_links_name_index_html() {
    let site = TestSite::fixture("basic");
    let config = site.read("site.yaml") + "browse_from_disk: true\n";
    site.write("site.yaml", config);
    site.build().success();
    let mut folder_links = Vec::new();
    for (page, url) in internal_urls(&site.public()) {
        let path = url.split('#').next().unwrap_or("");
        if !path.is_empty() && (path.ends_with('/') || path == ".") {
            folder_links.push(format!("{url} on {}", page.display()));
        }
        // From disk there is no server to turn a folder into its index.html.
        if let Ok((file, _)) = resolve("/", &page, &url) {
            assert!(
                site.public().join(&file).is_file(),
                "{url} on {}",
                page.display()
            );
        }
    }
    assert!(
        folder_links.is_empty(),
        "links that need a server: {folder_links:?}"
    );
}

#[test]
fn two_builds_give_identical_trees() {
    let site = TestSite::fixture(".");
    site.run(&["build", "--output", "one"]).success();
    site.run(&["build", "--output", "two"]).success();
    let one = tree(&site.path("one"));
    let two = tree(&site.path("two"));
    assert!(one.len() > 10);
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(
            two[path] == *bytes,
            "{} differs between builds",
            path.display()
        );
    }
}
