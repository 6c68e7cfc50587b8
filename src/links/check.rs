//! Checks every internal link of the finished output: the file it points to exists, and so does
//! the `#anchor` on the page. Works on what the pages were scanned for, not on the disk.

use super::html::Scan;
use super::percent_decode;
use rayon::prelude::*;
use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap, HashSet};
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

/// A fast hasher for the many short strings (URLs, paths) the check looks up.
pub type FastSet<'a> = HashSet<&'a str, Xxh3DefaultBuilder>;

/// A link that lands nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// Output file of the page that holds the link.
    pub from: String,
    /// The link as a site-root URL.
    pub link: String,
    /// What is wrong.
    pub problem: String,
}

/// The output file a site-root URL is served from (`/a/` → `a/index.html`).
pub fn output_file(url: &str) -> String {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let path = percent_decode(&url[..end]);
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    }
}

/// Checks the links of every scanned page against the output's files and the pages' ids.
pub fn check<S: Borrow<Scan> + Sync>(
    files: &FastSet<'_>,
    scans: &BTreeMap<String, S>,
) -> Vec<BrokenLink> {
    let pages = Pages::new(scans);
    let found: Vec<Vec<BrokenLink>> = scans
        .par_iter()
        .map_init(
            // The same links (navigation, breadcrumbs) appear on many pages: each worker checks
            // each one once.
            HashMap::<&str, Option<String>, Xxh3DefaultBuilder>::default,
            |checked, (from, scan)| {
                let mut broken = Vec::new();
                for link in &scan.borrow().links {
                    let problem = checked
                        .entry(link.as_str())
                        .or_insert_with(|| problem(link, files, &pages));
                    if let Some(problem) = problem {
                        broken.push(BrokenLink {
                            from: from.clone(),
                            link: link.clone(),
                            problem: problem.clone(),
                        });
                    }
                }
                broken
            },
        )
        .collect();
    found.into_iter().flatten().collect()
}

/// The scanned pages by the site-root path they are served at: `/a/` for `a/index.html`, and
/// `/a.html` for `a.html`, so a link's path finds its page without building a file name.
struct Pages<'a> {
    by_path: HashMap<String, &'a Scan, Xxh3DefaultBuilder>,
}

impl<'a> Pages<'a> {
    fn new<S: Borrow<Scan>>(scans: &'a BTreeMap<String, S>) -> Self {
        let by_path = scans
            .iter()
            .map(|(file, scan)| {
                let path = match file.strip_suffix("index.html") {
                    Some(folder) => format!("/{folder}"),
                    None => format!("/{file}"),
                };
                (path, scan.borrow())
            })
            .collect();
        Pages { by_path }
    }
}

fn problem(link: &str, files: &FastSet<'_>, pages: &Pages<'_>) -> Option<String> {
    let (path, fragment) = match link.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let path: std::borrow::Cow<'_, str> = if path.contains('%') {
        percent_decode(path).into()
    } else {
        path.into()
    };
    let page = pages.by_path.get(path.as_ref());
    if page.is_none() {
        let file = path.trim_start_matches('/');
        let exists = if file.is_empty() || file.ends_with('/') {
            files.contains(format!("{file}index.html").as_str())
        } else {
            files.contains(file)
        };
        if !exists {
            let folder_index = format!("{file}/index.html");
            return Some(if files.contains(folder_index.as_str()) {
                format!("`{link}` is a folder: end it with `/`")
            } else {
                format!("`{link}` does not exist in the output")
            });
        }
    }
    let fragment = percent_decode(fragment?);
    if fragment.is_empty() || fragment == "top" {
        return None;
    }
    let page = page?;
    (!page.anchors.contains(fragment.as_str()))
        .then(|| format!("`{link}`: the page has no anchor `#{fragment}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_missing_files_anchors_and_slashes() {
        let files: FastSet = ["index.html", "a/index.html", "s.css"]
            .into_iter()
            .collect();
        let mut scans = BTreeMap::new();
        scans.insert(
            "index.html".to_owned(),
            Scan {
                anchors: ["top-id".to_owned()].into_iter().collect(),
                links: vec![
                    "/a/".into(),
                    "/s.css".into(),
                    "/#top-id".into(),
                    "/a".into(),
                    "/nope/".into(),
                    "/a/#missing".into(),
                ],
                ..Scan::default()
            },
        );
        scans.insert("a/index.html".to_owned(), Scan::default());
        let broken = check(&files, &scans);
        let links: Vec<&str> = broken.iter().map(|b| b.link.as_str()).collect();
        assert_eq!(links, ["/a", "/nope/", "/a/#missing"]);
        assert!(broken[0].problem.contains("end it with `/`"));
        assert!(broken[2].problem.contains("no anchor `#missing`"));
    }
}
