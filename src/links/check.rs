//! Checks every internal link of the finished output: the file it points to exists, and so does
//! the `#anchor` on the page, and it is a valid, correctly percent-encoded URL. Works on what the
//! pages were scanned for, not on the disk; URLs name files through [`crate::paths`].

use super::html::Scan;
use super::percent_decode;
use crate::paths::{url_output, url_problem};
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

/// The anchors of the output's pages, wherever they are kept: full scans, or the compact sets a
/// one-off build keeps once a page is written.
pub trait PageAnchors: Sync {
    /// Whether the page written to `file` has the anchor `fragment`; `None` when `file` is not
    /// a page (any fragment then lands).
    fn has_anchor(&self, file: &str, fragment: &str) -> Option<bool>;
    /// Every anchor of the page written to `file` (for "did you mean").
    fn anchor_names(&self, file: &str) -> Vec<&str>;
}

impl<S: Borrow<Scan> + Sync> PageAnchors for BTreeMap<String, S> {
    fn has_anchor(&self, file: &str, fragment: &str) -> Option<bool> {
        Some(self.get(file)?.borrow().anchors.contains(fragment))
    }

    fn anchor_names(&self, file: &str) -> Vec<&str> {
        self.get(file)
            .map_or_else(Vec::new, |scan| scan.borrow().anchors.iter().collect())
    }
}

/// Checks the links of every scanned page against the output's files and the pages' ids.
pub fn check<S: Borrow<Scan> + Sync>(
    files: &FastSet<'_>,
    scans: &BTreeMap<String, S>,
) -> Vec<BrokenLink> {
    check_pages(files, scans, |_| true)
}

/// Checks the links of the scanned pages whose output file `from` accepts (the others are known
/// to be unchanged and sound), against the output's files and every page's ids.
pub fn check_pages<S: Borrow<Scan> + Sync>(
    files: &FastSet<'_>,
    scans: &BTreeMap<String, S>,
    from: impl Fn(&str) -> bool + Sync,
) -> Vec<BrokenLink> {
    let found: Vec<Vec<BrokenLink>> = scans
        .par_iter()
        .filter(|(page, _)| from(page))
        .map_init(
            // Each worker checks each distinct link once.
            Checked::default,
            |checked, (from, scan)| {
                (scan.borrow().links.iter())
                    .filter_map(|link| broken_link(checked, from, link, files, scans))
                    .collect::<Vec<_>>()
            },
        )
        .collect();
    found.into_iter().flatten().collect()
}

/// Checks the links of the scanned pages written to `pages` (output files, sorted: the order
/// of the findings), against the output's files and every page's ids: what [`check_pages`]
/// finds for them, without going through every other page.
pub fn check_named<S: Borrow<Scan> + Sync>(
    files: &FastSet<'_>,
    scans: &BTreeMap<String, S>,
    pages: &[&str],
) -> Vec<BrokenLink> {
    let found: Vec<Vec<BrokenLink>> = pages
        .par_iter()
        .filter_map(|page| scans.get_key_value(*page))
        .map_init(Checked::default, |checked, (from, scan)| {
            (scan.borrow().links.iter())
                .filter_map(|link| broken_link(checked, from, link, files, scans))
                .collect::<Vec<_>>()
        })
        .collect();
    found.into_iter().flatten().collect()
}

/// What a check has found of each distinct link so far: the same links (navigation,
/// breadcrumbs) appear on many pages, and each is checked once.
pub type Checked<'l> = HashMap<&'l str, Option<String>, Xxh3DefaultBuilder>;

/// `link`, held by the page written to `from`, when it lands nowhere; checked once per
/// distinct link (`checked` remembers the answers).
pub fn broken_link<'l>(
    checked: &mut Checked<'l>,
    from: &str,
    link: &'l str,
    files: &FastSet<'_>,
    anchors: &dyn PageAnchors,
) -> Option<BrokenLink> {
    let problem = checked
        .entry(link)
        .or_insert_with(|| problem(link, files, anchors));
    Some(BrokenLink {
        from: from.to_owned(),
        link: link.to_owned(),
        problem: problem.clone()?,
    })
}

/// What is wrong with `link`, given every file of the output and every page's anchors.
pub fn problem(link: &str, files: &FastSet<'_>, anchors: &dyn PageAnchors) -> Option<String> {
    if let Some(why) = url_problem(link) {
        return Some(format!("`{link}` is not a valid URL: {why}"));
    }
    let file = url_output(link);
    if !files.contains(file.as_str()) {
        let folder = file.folder_index();
        return Some(match folder {
            Some(index) if files.contains(index.as_str()) => {
                format!("`{link}` is a folder: end it with `/`")
            }
            _ => format!("`{link}` does not exist in the output"),
        });
    }
    let (_, fragment) = link.split_once('#')?;
    let fragment = percent_decode(fragment);
    if fragment.is_empty() || fragment == "top" {
        return None;
    }
    let found = anchors.has_anchor(file.as_str(), &fragment)?;
    (!found).then(|| format!("`{link}`: the page has no anchor `#{fragment}`"))
}

/// Whether `link`, on the page written to `own_output` whose anchors `own_anchors` accepts, is
/// sound whatever else the output holds, given that every file of `known` will be in it: it
/// names a known file and a fragment that lands on it. (A link this says nothing of is checked
/// once the output is complete, by [`problem`].)
pub fn surely_sound(
    link: &str,
    known: &FastSet<'_>,
    own_output: &str,
    own_anchors: impl Fn(&str) -> bool,
) -> bool {
    if url_problem(link).is_some() {
        return false;
    }
    let file = url_output(link);
    if !known.contains(file.as_str()) {
        return false;
    }
    let Some((_, fragment)) = link.split_once('#') else {
        return true;
    };
    let fragment = percent_decode(fragment);
    fragment.is_empty()
        || fragment == "top"
        || (file.as_str() == own_output && own_anchors(&fragment))
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
                anchors: ["top-id"].into_iter().collect(),
                links: ["/a/", "/s.css", "/#top-id", "/a", "/nope/", "/a/#missing"]
                    .into_iter()
                    .collect(),
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
