//! The parts of a rendered body a one-off build reads only once its page is rendered (or a
//! message is placed on it) as one string of bytes, to be set aside in a [`super::packed::Spill`]
//! with the body's HTML: the HTML, the excerpt, the table of contents, where each id comes from
//! and the links as written. What other pages read before then (link targets for backlinks,
//! shortcode uses, the toolkit, word count, warnings) stays in the [`Body`].
//!
//! The layout is private to this module: lengths and numbers as little-endian `u64`, texts as a
//! length and UTF-8 bytes, lists as a count and their items, in the order [`take`] writes them.

use super::bodies::Body;
use super::ids::IdOrigin;
use crate::markdown::TocEntry;
use std::sync::Arc;

/// Moves the packed parts out of `body` (leaving them empty) into bytes for [`restore`].
pub fn take(body: &mut Body) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.html.len() + 512);
    put_str(&mut out, &std::mem::take(&mut body.html));
    match body.excerpt.take() {
        Some(excerpt) => {
            put_num(&mut out, 1);
            put_str(&mut out, &excerpt);
        }
        None => put_num(&mut out, 0),
    }
    put_toc(&mut out, &std::mem::take(&mut body.toc));
    let origins = std::mem::take(&mut body.id_origins);
    put_num(&mut out, origins.len());
    for origin in &origins {
        put_str(&mut out, &origin.id);
        put_num(&mut out, origin.offset);
        put_str(&mut out, &origin.what);
    }
    let links = std::mem::take(&mut body.written_links);
    put_num(&mut out, links.len());
    for (url, offset) in &links {
        put_str(&mut out, url);
        put_num(&mut out, *offset);
    }
    out
}

/// Only the HTML of what [`take`] wrote; `None` if `bytes` are not what it wrote.
pub fn html(bytes: &[u8]) -> Option<String> {
    Reader(bytes).string()
}

/// Puts back into `body` what [`take`] moved out; `None` if `bytes` are not what it wrote.
pub fn restore(body: &mut Body, bytes: &[u8]) -> Option<()> {
    let mut input = Reader(bytes);
    body.html = input.string()?;
    body.excerpt = match input.num()? {
        0 => None,
        _ => Some(input.string()?),
    };
    body.toc = input.toc()?;
    let origins = input.count()?;
    let mut what_before: Option<Arc<str>> = None;
    body.id_origins = Vec::with_capacity(origins);
    for _ in 0..origins {
        let id = input.string()?;
        let offset = input.num()?;
        let what = input.str()?;
        // Ids written by one heading kind or one shortcode call share their `what`.
        let what = match what_before.take() {
            Some(before) if &*before == what => before,
            _ => Arc::from(what),
        };
        what_before = Some(what.clone());
        body.id_origins.push(IdOrigin { id, offset, what });
    }
    let links = input.count()?;
    body.written_links = Vec::with_capacity(links);
    for _ in 0..links {
        let url = input.string()?;
        body.written_links.push((url, input.num()?));
    }
    input.0.is_empty().then_some(())
}

fn put_num(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u64).to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, text: &str) {
    put_num(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

fn put_toc(out: &mut Vec<u8>, toc: &[TocEntry]) {
    put_num(out, toc.len());
    for entry in toc {
        out.push(entry.level);
        put_str(out, &entry.id);
        put_str(out, &entry.title);
        put_toc(out, &entry.children);
    }
}

/// What is left to read of the bytes.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn bytes(&mut self, len: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(len)?;
        self.0 = rest;
        Some(head)
    }

    fn num(&mut self) -> Option<usize> {
        let bytes = self.bytes(8)?.try_into().ok()?;
        usize::try_from(u64::from_le_bytes(bytes)).ok()
    }

    /// A count of items, each of which takes at least one byte (so a damaged count cannot ask
    /// for more memory than the bytes could hold).
    fn count(&mut self) -> Option<usize> {
        self.num().filter(|&n| n <= self.0.len())
    }

    fn str(&mut self) -> Option<&'a str> {
        let len = self.num()?;
        std::str::from_utf8(self.bytes(len)?).ok()
    }

    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }

    fn toc(&mut self) -> Option<Vec<TocEntry>> {
        let entries = self.count()?;
        let mut toc = Vec::with_capacity(entries);
        for _ in 0..entries {
            let level = *self.bytes(1)?.first()?;
            toc.push(TocEntry {
                level,
                id: self.string()?,
                title: self.string()?,
                children: self.toc()?,
            });
        }
        Some(toc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(level: u8, id: &str, children: Vec<TocEntry>) -> TocEntry {
        TocEntry {
            level,
            id: id.to_owned(),
            title: format!("Titre « {id} »"),
            children,
        }
    }

    fn body() -> Body {
        Body {
            html: "<h2 id=\"a\">A</h2><p>é</p>".to_owned(),
            excerpt: Some("<p>é</p>".to_owned()),
            toc: vec![
                entry(
                    2,
                    "a",
                    vec![entry(3, "a-1", vec![]), entry(3, "a-2", vec![])],
                ),
                entry(2, "b", vec![]),
            ],
            id_origins: vec![
                IdOrigin::heading("a", 10),
                IdOrigin::footnote("fn-1", 200),
                IdOrigin::new("x", 50, Arc::from("shortcode `figure`")),
                IdOrigin::new("y", 50, Arc::from("shortcode `figure`")),
            ],
            written_links: vec![("/p/#a".to_owned(), 12), ("/q/".to_owned(), 99)],
            word_count: 7,
            ..Body::default()
        }
    }

    #[test]
    fn a_body_comes_back_whole_and_what_stays_is_untouched() {
        let original = body();
        let mut packed = original.clone();
        let bytes = take(&mut packed);
        assert!(packed.html.is_empty() && packed.toc.is_empty() && packed.excerpt.is_none());
        assert!(packed.id_origins.is_empty() && packed.written_links.is_empty());
        assert_eq!(packed.word_count, 7);
        restore(&mut packed, &bytes).unwrap();
        assert_eq!(packed.html, original.html);
        assert_eq!(packed.excerpt, original.excerpt);
        assert_eq!(packed.toc, original.toc);
        assert_eq!(packed.id_origins, original.id_origins);
        assert_eq!(packed.written_links, original.written_links);
        assert!(Arc::ptr_eq(
            &packed.id_origins[2].what,
            &packed.id_origins[3].what
        ));
    }

    #[test]
    fn an_empty_body_round_trips_and_damaged_bytes_are_refused() {
        let mut empty = Body::default();
        let bytes = take(&mut empty);
        restore(&mut empty, &bytes).unwrap();
        assert!(empty.html.is_empty() && empty.toc.is_empty());
        let bytes = take(&mut body());
        for cut in [0, 1, 8, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                restore(&mut Body::default(), &bytes[..cut]).is_none(),
                "{cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(restore(&mut Body::default(), &longer).is_none());
    }
}
