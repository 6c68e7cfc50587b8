//! What a one-off build keeps of each written page for the final link check, instead of its
//! scan: its anchors, packed into one string, and only the links that could not be settled as
//! the page was written. Most links (navigation, the page's own headings, other pages) name a
//! file every successful build writes, and are checked there and then and forgotten; the rest
//! (a fragment on another page, a file made later or not at all, a malformed URL) wait for the
//! complete output and go through the same check as every other build's links.

use crate::content::Library;
use crate::links::check::{surely_sound, FastSet, PageAnchors};
use crate::links::html::Scan;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

/// A page's anchors, in one allocation for the text and one for where each ends.
#[derive(Debug, Default)]
pub struct Anchors {
    text: Box<str>,
    ends: Box<[u32]>,
}

impl Anchors {
    pub fn new<'a>(anchors: impl IntoIterator<Item = &'a str>) -> Anchors {
        let mut text = String::new();
        let mut ends = Vec::new();
        for anchor in anchors {
            text.push_str(anchor);
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        Anchors {
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .filter_map(|(start, end)| self.text.get(start as usize..end as usize))
    }

    pub fn contains(&self, anchor: &str) -> bool {
        self.iter().any(|a| a == anchor)
    }
}

/// One written page, as the check needs it.
#[derive(Debug, Default)]
pub struct PageLinks {
    pub anchors: Anchors,
    /// Its links that wait for the complete output, in the order the page has them.
    pub unsettled: Box<[String]>,
}

impl PageLinks {
    /// Settles what it can of the links of the page written to `output`: a link found sound is
    /// forgotten. `known` holds files every successful build writes; `sound` remembers, for
    /// this worker, links without a fragment already found sound.
    pub fn of(
        output: &str,
        scan: &Scan,
        known: &FastSet<'_>,
        sound: &mut HashMap<String, (), Xxh3DefaultBuilder>,
    ) -> PageLinks {
        let own = |fragment: &str| scan.anchors.contains(fragment);
        let mut unsettled = Vec::new();
        for link in scan.links.iter() {
            if sound.contains_key(link) {
                continue;
            }
            if surely_sound(link, known, output, own) {
                if !link.contains('#') {
                    sound.insert(link.to_owned(), ());
                }
                continue;
            }
            unsettled.push(link.to_owned());
        }
        PageLinks {
            anchors: Anchors::new(scan.anchors.iter()),
            unsettled: unsettled.into_boxed_slice(),
        }
    }
}

/// Every written page's anchors (by page id), and the scans of the generated pages.
pub struct StreamedAnchors<'a> {
    pub pages: &'a [PageLinks],
    /// Output file → page id.
    pub by_output: HashMap<&'a str, usize, Xxh3DefaultBuilder>,
    pub generated: &'a BTreeMap<String, Arc<Scan>>,
}

impl<'a> StreamedAnchors<'a> {
    pub fn new(
        library: &'a Library,
        pages: &'a [PageLinks],
        generated: &'a BTreeMap<String, Arc<Scan>>,
    ) -> Self {
        let by_output = (library.pages.iter())
            .map(|p| (p.output.as_str(), p.id.index()))
            .collect();
        StreamedAnchors {
            pages,
            by_output,
            generated,
        }
    }

    fn page(&self, file: &str) -> Option<&Anchors> {
        let &id = self.by_output.get(file)?;
        Some(&self.pages.get(id)?.anchors)
    }
}

impl PageAnchors for StreamedAnchors<'_> {
    fn has_anchor(&self, file: &str, fragment: &str) -> Option<bool> {
        if let Some(found) = self.generated.has_anchor(file, fragment) {
            return Some(found);
        }
        Some(self.page(file)?.contains(fragment))
    }

    fn anchor_names(&self, file: &str) -> Vec<&str> {
        if self.generated.contains_key(file) {
            return self.generated.anchor_names(file);
        }
        self.page(file)
            .map_or_else(Vec::new, |a| a.iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(anchors: &[&str], links: &[&str]) -> Scan {
        Scan {
            anchors: anchors.iter().copied().collect(),
            links: links.iter().copied().collect(),
            ..Scan::default()
        }
    }

    #[test]
    fn anchors_pack_and_unpack() {
        let names = ["a", "", "héllo wörld"];
        let anchors = Anchors::new(names);
        assert_eq!(anchors.iter().collect::<Vec<_>>(), ["a", "", "héllo wörld"]);
        assert!(anchors.contains("héllo wörld"));
        assert!(!anchors.contains("hello"));
        assert_eq!(Anchors::default().iter().count(), 0);
    }

    #[test]
    fn only_links_that_need_the_complete_output_are_kept() {
        let known: FastSet = ["index.html", "a/index.html", "p/index.html"]
            .into_iter()
            .collect();
        let page = scan(
            &["x"],
            &[
                "/",
                "/a/",
                "/p/#x",
                "/p/#top",
                "/p/#missing",
                "/a/#y",
                "/feed.xml",
                "/a",
                "/a/%zz",
            ],
        );
        let mut sound = HashMap::default();
        let links = PageLinks::of("p/index.html", &page, &known, &mut sound);
        assert_eq!(
            &*links.unsettled,
            ["/p/#missing", "/a/#y", "/feed.xml", "/a", "/a/%zz"]
        );
        assert!(sound.contains_key("/a/") && !sound.contains_key("/p/#x"));
        assert_eq!(links.anchors.iter().collect::<Vec<_>>(), ["x"]);
    }
}
