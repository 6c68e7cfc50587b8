//! Checks every internal link of the finished output: the file it points to exists, and so does
//! the `#anchor` on the page. Works on what the pages were scanned for, not on the disk.

use super::html::Scan;
use super::percent_decode;
use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap, HashSet};

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
pub fn check<S: Borrow<Scan>>(
    files: &HashSet<&str>,
    scans: &BTreeMap<String, S>,
) -> Vec<BrokenLink> {
    // The same links (navigation, breadcrumbs) appear on many pages: check each one once.
    let mut checked: HashMap<&str, Option<String>> = HashMap::new();
    let mut broken = Vec::new();
    for (from, scan) in scans {
        for link in &scan.borrow().links {
            let problem = checked
                .entry(link.as_str())
                .or_insert_with(|| problem(link, files, scans));
            if let Some(problem) = problem {
                broken.push(BrokenLink {
                    from: from.clone(),
                    link: link.clone(),
                    problem: problem.clone(),
                });
            }
        }
    }
    broken
}

fn problem<S: Borrow<Scan>>(
    link: &str,
    files: &HashSet<&str>,
    scans: &BTreeMap<String, S>,
) -> Option<String> {
    let file = output_file(link);
    if !files.contains(file.as_str()) {
        let folder_index = format!("{file}/index.html");
        return Some(if files.contains(folder_index.as_str()) {
            format!("`{link}` is a folder: end it with `/`")
        } else {
            format!("`{link}` does not exist in the output")
        });
    }
    let fragment = link.split_once('#').map(|(_, f)| percent_decode(f))?;
    if fragment.is_empty() || fragment == "top" {
        return None;
    }
    let page = scans.get(file.as_str())?;
    (!page.borrow().ids.contains(&fragment))
        .then(|| format!("`{link}`: the page has no anchor `#{fragment}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_missing_files_anchors_and_slashes() {
        let files: HashSet<&str> = ["index.html", "a/index.html", "s.css"]
            .into_iter()
            .collect();
        let mut scans = BTreeMap::new();
        scans.insert(
            "index.html".to_owned(),
            Scan {
                ids: vec!["top-id".into()],
                links: vec![
                    "/a/".into(),
                    "/s.css".into(),
                    "/#top-id".into(),
                    "/a".into(),
                    "/nope/".into(),
                    "/a/#missing".into(),
                ],
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
