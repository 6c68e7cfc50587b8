//! The print page's parts kept between builds (the page itself is `site/print.rs`), so that an
//! edit to one page costs the print page one chapter, not every body of the site:
//!
//! - each chapter's content (its body with ids prefixed, links led to chapters and citations
//!   renumbered), kept while it is made from the very same body (`Arc` identity: the build
//!   cache hands out the same body until it renders it again) under the same [`ChapterKey`];
//! - the page rendered once with a stand-in for each chapter's content (a [`Skeleton`]), into
//!   which the chapters are spliced while nothing else the template reads changed (the
//!   listings, anchors, sources, site settings and the answers of the template functions it
//!   called). Splicing is used only when every template hands a chapter's content to the page
//!   untouched ([`splice::contents_only_copied`]) and the spliced page was found equal, byte for
//!   byte, to the page rendered in full when the skeleton was made; otherwise the page is
//!   rendered in full on every build, as a clean build does.
//!
//! Architecture invariant: the print page of a build with this cache is byte for byte the one
//! a clean build makes.

mod assemble;
mod splice;

use super::trace::{traced, Lookup};
use super::{Checker, Key};
use crate::content::{Library, PageId};
use crate::error::Diagnostic;
use crate::links::html::Scan;
use crate::render::context::PageListing;
use crate::render::functions::SiteIndex;
use assemble::{Done, Facts};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Weak};
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

pub(in crate::site) use splice::stand_in;

/// What a chapter's content is made from besides its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::site) struct ChapterKey {
    /// Its anchor, its page's title, the ids of its page moved to the print page's own
    /// (`source-1` → `source-3`) and every page's chapter anchor.
    pub own: Key,
    /// The ids moved on every page: read only by a chapter that links to an id of another page.
    pub moved: Key,
}

/// A chapter's content, kept with what it was made from.
struct KeptChapter {
    body: Weak<crate::site::bodies::Body>,
    key: ChapterKey,
    reads_other_pages_ids: bool,
    content: Arc<str>,
}

/// A chapter made by this build, for [`PrintCache::keep_chapters`].
pub(in crate::site) struct MadeChapter {
    pub path: String,
    pub body: Weak<crate::site::bodies::Body>,
    pub key: ChapterKey,
    /// It links to an id of another page (which may have moved to the print page's own).
    pub reads_other_pages_ids: bool,
    pub content: Arc<str>,
}

/// The print page rendered with a stand-in for each chapter's content, cut at the stand-ins.
struct Skeleton {
    /// The listings the chapters showed (the build cache hands out the same ones while no
    /// page's listing changed), held so that the same address is never another set.
    listings: Arc<[PageListing]>,
    /// Everything else the template reads but the contents.
    key: Key,
    /// The template functions it called, with their answers.
    trace: Vec<Lookup>,
    /// Text, then chapter `i`'s content, …; `None` when splicing would not give the bytes a
    /// full render gives.
    pieces: Option<Vec<Piece>>,
    /// Each piece done (see [`assemble`]), when it was.
    slots: Vec<Slot>,
    /// The scan of the whole page as the pieces were done.
    scan: Option<Arc<Scan>>,
}

/// One piece of the page, done.
struct Slot {
    /// The chapter content it was done from (for a chapter).
    source: Option<Arc<str>>,
    facts: Facts,
    done: Option<Done>,
    /// `done` was made from another content.
    stale: bool,
}

/// The print page's HTML as [`PrintCache::page_html`] gives it.
pub(in crate::site) enum PrintHtml {
    /// Rendered (or spliced); `print::finished` and the rewrite are still to be done.
    Rendered(String),
    /// Done, with what the scan of the rewrite found, and whether that scan is the very one
    /// of the last build (every piece's scan found the same).
    Done(Arc<[u8]>, Arc<Scan>, bool),
}

enum Piece {
    Text(String),
    Chapter(usize),
}

/// The print page's parts kept between builds.
#[derive(Default)]
pub(in crate::site) struct PrintCache {
    chapters: HashMap<String, KeptChapter, Xxh3DefaultBuilder>,
    /// Every page's URL in reading order, and the chapter anchors made from them.
    anchors: Option<KeptAnchors>,
    skeleton: Option<Skeleton>,
    /// Chapters whose content the last build made rather than kept.
    pub rendered: usize,
    /// The last build spliced the chapters into the kept skeleton.
    pub spliced: bool,
}

/// The chapter anchors, and every page's URL in reading order they were made from.
struct KeptAnchors {
    urls: Vec<(PageId, String)>,
    anchors: HashMap<PageId, String>,
}

/// What the print page's template reads besides the chapters' contents.
pub(in crate::site) struct PageInputs<'a> {
    pub listings: &'a Arc<[PageListing]>,
    /// A fingerprint of the rest: the template set, the site, the anchors, depths and sources.
    pub key: Key,
    pub chapters: usize,
    pub index: &'a Arc<SiteIndex>,
    pub library: &'a Library,
    pub assets: &'a HashMap<String, String>,
    pub tera: &'a tera::Tera,
    /// Links to folders end in `index.html`.
    pub index_links: bool,
}

impl PrintCache {
    /// Makes the chapter anchors again with `make` unless every page has the same URL and
    /// place in the reading order as when they were made.
    pub fn refresh_anchors(
        &mut self,
        library: &Library,
        make: impl FnOnce(&Library) -> HashMap<PageId, String>,
    ) {
        let same = self
            .anchors
            .as_ref()
            .is_some_and(|KeptAnchors { urls, .. }| {
                urls.len() == library.reading_order.len()
                    && (urls.iter().zip(&library.reading_order))
                        .all(|((id, url), &now)| *id == now && *url == *library.pages[now].url)
            });
        if !same {
            let urls = (library.reading_order.iter())
                .map(|&id| (id, library.pages[id].url.to_string()))
                .collect();
            let anchors = make(library);
            self.anchors = Some(KeptAnchors { urls, anchors });
        }
    }

    /// The chapter anchors made by [`PrintCache::refresh_anchors`].
    pub fn anchors(&self) -> Option<&HashMap<PageId, String>> {
        self.anchors.as_ref().map(|kept| &kept.anchors)
    }

    /// The kept content of the chapter of the page at `path`, if it was made from `body` with
    /// `key`.
    pub fn kept_chapter(
        &self,
        path: &str,
        body: &Arc<crate::site::bodies::Body>,
        key: ChapterKey,
    ) -> Option<Arc<str>> {
        let kept = self.chapters.get(path)?;
        let same_body = std::ptr::eq(kept.body.as_ptr(), Arc::as_ptr(body));
        let same_key =
            kept.key.own == key.own && (!kept.reads_other_pages_ids || kept.key.moved == key.moved);
        (same_body && same_key).then(|| kept.content.clone())
    }

    /// Keeps the chapters made by this build, and only the chapters of the pages in `live`.
    pub fn keep_chapters(&mut self, made: Vec<MadeChapter>, live: &HashSet<&str>) {
        self.rendered = made.len();
        for chapter in made {
            let kept = KeptChapter {
                body: chapter.body,
                key: chapter.key,
                reads_other_pages_ids: chapter.reads_other_pages_ids,
                content: chapter.content,
            };
            self.chapters.insert(chapter.path, kept);
        }
        if self.chapters.len() != live.len() {
            self.chapters.retain(|path, _| live.contains(path.as_str()));
        }
    }

    /// The print page's HTML: the kept skeleton with `contents` spliced in when it still
    /// holds, else `render(false)` (the full page), making a new skeleton with
    /// `render(true)` (the page with [`stand_in`]s) when splicing is shown to give the same.
    /// A spliced page is done piece by piece when it can be.
    pub fn page_html(
        &mut self,
        inputs: &PageInputs<'_>,
        contents: &[Arc<str>],
        render: impl Fn(bool) -> Result<String, Diagnostic>,
    ) -> Result<PrintHtml, Diagnostic> {
        self.spliced = false;
        if let Some(skeleton) = &mut self.skeleton {
            let same = skeleton.key == inputs.key
                && same_listings(&mut skeleton.listings, inputs.listings)
                && answers_hold(inputs, &skeleton.trace);
            if same {
                if skeleton.pieces.is_none() {
                    return render(false).map(PrintHtml::Rendered);
                }
                self.spliced = true;
                return Ok(skeleton.page(contents, inputs.index_links));
            }
        }
        self.skeleton = None;
        let html = render(false)?;
        let (pieces, trace) = if splice::contents_only_copied(inputs.tera) {
            let (stood_in, trace) = traced(|| render(true));
            let pieces = splice::cut(&stood_in?, inputs.chapters)
                .filter(|pieces| spliced(pieces, contents) == html);
            (pieces, trace)
        } else {
            (None, Vec::new())
        };
        let spliceable = pieces.is_some();
        let skeleton = self.skeleton.insert(Skeleton {
            listings: inputs.listings.clone(),
            key: inputs.key,
            trace,
            pieces,
            slots: Vec::new(),
            scan: None,
        });
        Ok(match spliceable {
            true => skeleton.page(contents, inputs.index_links),
            false => PrintHtml::Rendered(html),
        })
    }
}

impl Skeleton {
    /// The page with `contents` spliced in: done piece by piece (each piece kept while it is
    /// the same), or as it is when a piece does not end between tags.
    fn page(&mut self, contents: &[Arc<str>], index_links: bool) -> PrintHtml {
        let Some(pieces) = &self.pieces else {
            return PrintHtml::Rendered(String::new());
        };
        if self.slots.len() != pieces.len() {
            self.slots = pieces
                .iter()
                .map(|piece| Slot::new(piece, contents))
                .collect();
            self.scan = None;
        }
        self.slots
            .par_iter_mut()
            .zip(pieces)
            .for_each(|(slot, piece)| slot.refresh(piece, contents));
        if !self.slots.iter().all(|slot| slot.facts.whole) {
            return PrintHtml::Rendered(spliced(pieces, contents));
        }
        let linked = assemble::linked(self.slots.iter().map(|slot| &slot.facts));
        let redone: Vec<bool> = (self.slots.par_iter_mut().zip(pieces))
            .map(|(slot, piece)| slot.redo(piece, contents, &linked, index_links))
            .collect();
        let scan_holds = redone.iter().all(|same_scan| *same_scan)
            && (self.scan.as_ref()).is_some_and(|scan| scan.duplicate_ids.is_empty());
        let done: Vec<&Done> = self.slots.iter().filter_map(|s| s.done.as_ref()).collect();
        let kept = self.scan.take().filter(|_| scan_holds);
        let scan_kept = kept.is_some();
        let (html, scan) = assemble::page(&done, kept);
        self.scan = Some(scan.clone());
        PrintHtml::Done(html, scan, scan_kept)
    }
}

impl Slot {
    fn new(piece: &Piece, contents: &[Arc<str>]) -> Slot {
        let source = match piece {
            Piece::Text(_) => None,
            Piece::Chapter(i) => contents.get(*i).cloned(),
        };
        Slot {
            facts: Facts::of(text(piece, contents)),
            source,
            done: None,
            stale: true,
        }
    }

    /// Looks again at a chapter whose content is not the one it was done from.
    fn refresh(&mut self, piece: &Piece, contents: &[Arc<str>]) {
        let Piece::Chapter(i) = piece else {
            return;
        };
        let now = contents.get(*i);
        let same = match (&self.source, now) {
            (Some(was), Some(now)) => Arc::ptr_eq(was, now),
            (was, now) => was.is_none() && now.is_none(),
        };
        if !same {
            self.source = now.cloned();
            self.facts = Facts::of(text(piece, contents));
            self.stale = true;
        }
    }

    /// Does the piece again if it is not done as it would be now; says whether its scan
    /// found what it found before.
    fn redo(
        &mut self,
        piece: &Piece,
        contents: &[Arc<str>],
        linked: &HashSet<String>,
        index_links: bool,
    ) -> bool {
        let holds = (self.done.as_ref()).is_some_and(|d| d.holds(&self.facts, linked, index_links));
        if holds && !self.stale {
            return true;
        }
        let done = assemble::done(text(piece, contents), &self.facts, linked, index_links);
        let same_scan = self.done.as_ref().is_some_and(|old| old.scans_like(&done));
        self.done = Some(done);
        self.stale = false;
        same_scan
    }
}

/// The text of a piece.
fn text<'a>(piece: &'a Piece, contents: &'a [Arc<str>]) -> &'a str {
    match piece {
        Piece::Text(text) => text,
        Piece::Chapter(i) => contents.get(*i).map_or("", |c| c),
    }
}

/// Whether the chapters' listings are the ones the skeleton showed: the very same while the
/// build cache kept them (then at once), else compared (and the new ones held from now on).
fn same_listings(held: &mut Arc<[PageListing]>, now: &Arc<[PageListing]>) -> bool {
    if Arc::ptr_eq(held, now) {
        return true;
    }
    let same = held[..] == now[..];
    if same {
        *held = now.clone();
    }
    same
}

/// Whether every template function the skeleton called answers as it did.
fn answers_hold(inputs: &PageInputs<'_>, trace: &[Lookup]) -> bool {
    if trace.is_empty() {
        return true;
    }
    let checker = Checker::new(inputs.index, inputs.library, inputs.assets, None);
    trace.iter().all(|lookup| match lookup {
        Lookup::Function {
            name,
            args,
            call,
            answer,
        } => checker.call(name, args, *call) == Some(*answer),
        // A template render resolves no Markdown link and reads no name table.
        _ => false,
    })
}

/// The skeleton with each chapter's content in place of its stand-in.
fn spliced(pieces: &[Piece], contents: &[Arc<str>]) -> String {
    let length = pieces
        .iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.len(),
            Piece::Chapter(i) => contents.get(*i).map_or(0, |c| c.len()),
        })
        .sum();
    let mut html = String::with_capacity(length);
    for piece in pieces {
        match piece {
            Piece::Text(text) => html.push_str(text),
            Piece::Chapter(i) => html.push_str(contents.get(*i).map_or("", |c| c)),
        }
    }
    html
}
