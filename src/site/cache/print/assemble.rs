//! The print page's last steps (leaving out the ids of citations nothing links to, then making
//! its URLs relative and scanning its ids and links: `site/print.rs::finished` and
//! `links::html::rewrite`) done piece by piece: for each chapter and each stretch of the
//! skeleton between them, and kept while the piece is the same. Both steps look at one start
//! tag (or one built-in citation) at a time; the page's pieces are done apart only when each
//! of them leaves the tag scanner where it found it, between tags ([`Facts::whole`]), so that
//! the pieces done apart, put end to end, are byte for byte the page done whole.

use crate::links::html::{duplicates, rewrite, Rewrite, Scan};
use crate::links::tags::for_each_attribute;
use crate::site::print::{citation_ids, link_targets, without_unlinked_citation_ids};
use std::collections::HashSet;
use std::sync::Arc;

/// Put after a piece to see whether the scanner comes out of it between tags: then it reads
/// this as a tag `<i>` whose `id` value starts 8 bytes after the piece.
const PROBE: &str = "x<i id=\"\u{0}\">";
const PROBE_VALUE_AT: usize = 8;

/// What the whole page's steps need to know of one piece, found once per piece.
pub(super) struct Facts {
    /// The tag scanner comes out of the piece between tags: no tag, comment or raw text
    /// element runs on past its end.
    pub whole: bool,
    /// The ids its links lead to (`href="#…"`).
    pub targets: Vec<String>,
    /// The ids of its built-in citations.
    pub citation_ids: Vec<String>,
}

impl Facts {
    pub fn of(text: &str) -> Facts {
        Facts {
            whole: ends_between_tags(text),
            targets: link_targets(text).into_iter().collect(),
            citation_ids: citation_ids(text),
        }
    }
}

fn ends_between_tags(text: &str) -> bool {
    let probed = format!("{text}{PROBE}");
    let mut last = None;
    for_each_attribute(&probed, |attribute| last = Some(attribute));
    last.is_some_and(|a| {
        a.tag == "i"
            && a.name == "id"
            && a.value == "\u{0}"
            && a.span.start == text.len() + PROBE_VALUE_AT
    })
}

/// A piece done: what it became and what the scan found in it.
pub(super) struct Done {
    /// The citation ids left out of it (those nothing on the page links to).
    cut: Vec<String>,
    index_links: bool,
    /// Its length before its URLs were rewritten (ids' offsets are counted in that text).
    finished_len: usize,
    id_offsets: Vec<usize>,
    pub html: String,
    pub scan: Scan,
}

impl Done {
    /// Whether it is what `facts` would give now.
    pub fn holds(&self, facts: &Facts, linked: &HashSet<String>, index_links: bool) -> bool {
        self.index_links == index_links && self.cut == cut(facts, linked)
    }

    /// Whether what its scan found is what `other`'s did.
    pub fn scans_like(&self, other: &Done) -> bool {
        let (a, b) = (&self.scan, &other.scan);
        a.ids == b.ids && a.anchors == b.anchors && a.links == b.links
    }
}

fn cut(facts: &Facts, linked: &HashSet<String>) -> Vec<String> {
    (facts.citation_ids.iter())
        .filter(|id| !linked.contains(id.as_str()))
        .cloned()
        .collect()
}

/// Every id the links of the page's pieces lead to (needed only when a piece has citations).
pub(super) fn linked<'a>(facts: impl Iterator<Item = &'a Facts> + Clone) -> HashSet<String> {
    if facts.clone().all(|f| f.citation_ids.is_empty()) {
        return HashSet::new();
    }
    facts.flat_map(|f| f.targets.iter().cloned()).collect()
}

/// The piece `text` done, given the page's `linked` ids.
pub(super) fn done(text: &str, facts: &Facts, linked: &HashSet<String>, index_links: bool) -> Done {
    let finished = without_unlinked_citation_ids(text, &|id| linked.contains(id));
    let mut id_offsets = Vec::new();
    for_each_attribute(&finished, |attribute| {
        if attribute.name.eq_ignore_ascii_case("id") {
            id_offsets.push(attribute.span.start);
        }
    });
    let output = crate::site::print::output();
    let how = Rewrite {
        output: &output,
        relativize: true,
        base: None,
        index_links,
    };
    let (html, scan) = rewrite(&finished, how);
    Done {
        cut: cut(facts, linked),
        index_links,
        finished_len: finished.len(),
        id_offsets,
        html,
        scan,
    }
}

/// The page: its pieces end to end (written once, into the bytes the output shares), and
/// their scans as one.
pub(super) fn page(pieces: &[&Done], kept_scan: Option<Arc<Scan>>) -> (Arc<[u8]>, Arc<Scan>) {
    let length = pieces.iter().map(|d| d.html.len()).sum();
    let mut bytes: Arc<[u8]> = std::iter::repeat_n(0, length).collect();
    if let Some(out) = Arc::get_mut(&mut bytes) {
        let mut at = 0;
        for piece in pieces {
            out[at..at + piece.html.len()].copy_from_slice(piece.html.as_bytes());
            at += piece.html.len();
        }
    }
    let scan = kept_scan.unwrap_or_else(|| Arc::new(merged(pieces)));
    (bytes, scan)
}

fn merged(pieces: &[&Done]) -> Scan {
    let mut offsets = Vec::new();
    let mut base = 0;
    for piece in pieces {
        offsets.extend(piece.id_offsets.iter().map(|o| o + base));
        base += piece.finished_len;
    }
    let ids: Vec<&str> = pieces.iter().flat_map(|p| p.scan.ids.iter()).collect();
    Scan {
        duplicate_ids: duplicates(&ids, &offsets),
        ids: ids.iter().copied().collect(),
        anchors: pieces.iter().flat_map(|p| p.scan.anchors.iter()).collect(),
        links: pieces.iter().flat_map(|p| p.scan.links.iter()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_piece_is_whole_when_the_scanner_leaves_it_between_tags() {
        for whole in [
            "",
            "text",
            "<p id=\"a\">x</p>",
            "<!-- c -->",
            "<script>a<b</script>",
            "a < b",
        ] {
            assert!(ends_between_tags(whole), "{whole}");
        }
        for cut in [
            "<p",
            "<a href=\"x",
            "<a href=\"x\"",
            "<!-- c",
            "<!-",
            "<script>a",
            "<title>t",
            "</p",
            "a <",
        ] {
            assert!(!ends_between_tags(cut), "{cut}");
        }
    }

    #[test]
    fn pieces_done_apart_are_the_page_done_whole() {
        let pieces = [
            "<nav><a href=\"#page-a\">A</a><a href=\"/b/\">B</a></nav><h2 id=\"page-a\">A</h2>",
            "<p id=\"page-a--x\"><sup class=\"cite\"><a href=\"#source-1\" id=\"page-a--cite-1\">[1]</a></sup>\
             <sup class=\"cite\"><a href=\"#source-1\" id=\"page-a--cite-2\">[1]</a></sup></p>",
            "<a href=\"#page-a--cite-2\">back</a><p id=\"page-a--x\"></p>",
        ];
        let facts: Vec<Facts> = pieces.iter().map(|p| Facts::of(p)).collect();
        let linked = linked(facts.iter());
        let done: Vec<Done> = (pieces.iter().zip(&facts))
            .map(|(p, f)| done(p, f, &linked, false))
            .collect();
        let (html, scan) = page(&done.iter().collect::<Vec<_>>(), None);
        let html = std::str::from_utf8(&html).unwrap();
        let whole = crate::site::print::finished(&pieces.concat());
        let how = Rewrite {
            output: &crate::site::print::output(),
            relativize: true,
            base: None,
            index_links: false,
        };
        let (expected, expected_scan) = rewrite(&whole, how);
        assert_eq!(html, expected);
        assert_eq!(*scan, expected_scan);
        assert_eq!(scan.duplicate_ids.len(), 1);
    }
}
