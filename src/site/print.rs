//! The print page: every page of the site in reading order on one page (`/print/`, like
//! mdBook's `print.html`), rendered with `templates/print.html` when the theme has it and
//! `print_page` is not turned off in site.yaml.
//!
//! Each page becomes a chapter whose anchor is `page-<slug of its URL>` (`/people/amy/` →
//! `page-people-amy`, `/` → `page-home`). Every id a page's body writes is prefixed with its
//! chapter's anchor and `--` (`moscow` → `page-talks--moscow`), and so are the references to
//! them (`href="#…"`, `aria-describedby`, `for`, …): chapter anchors never hold `--`, so no id
//! of one chapter can equal an id of another. Links to a page become links to its chapter, and
//! links to a heading of a page to that heading's prefixed id. The page is made on every build
//! from the bodies of this build, so it never needs a trace; with a build cache, each chapter's
//! content (and the rest of the page) is taken from `site/cache/print` while what it is made
//! from is the same.
//!
//! The sources cited anywhere are listed once for the whole page (`sources`), numbered in
//! the order they are first cited through the reading order, with the anchors `source-1`,
//! `source-2`…: a link to a page's `#source-N` leads to that source's entry there, and the
//! built-in citations' text (`[N]`) is renumbered to match.
//!
//! What is there for reading one page at a time and only weighs on one page holding all of
//! them is left out of the chapters: the `#` link beside each heading, the long spoken name of
//! each citation link ("Source 1: title, place"; its text `[1]` stays, leading to the list of
//! sources), and the id of each built-in citation that nothing on the print page links to
//! ([`finished`]).

use super::bodies::Body;
use super::cache::print::{ChapterKey, MadeChapter, PrintCache};
use super::cache::{Fingerprint, Key};
use crate::content::{Library, PageId};
use crate::links::tags::{decode_attribute, for_each_attribute, splice};
use crate::markdown::escape_attribute;
use crate::paths::generated::{generated_output, print_url};
use crate::paths::{url_output, OutputPath};
use crate::render::context::{PageListing, PrintChapter};
use crate::sources::cited::{page_sources, CitationRef, PageSource};
use crate::sources::Source;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::Arc;

/// The template of the print page.
pub const PRINT_TEMPLATE: &str = "print.html";

/// Attributes that hold one id or a list of ids, which are prefixed like the ids themselves.
const ID_REFERENCES: [&str; 9] = [
    "for",
    "headers",
    "list",
    "aria-describedby",
    "aria-labelledby",
    "aria-controls",
    "aria-owns",
    "aria-details",
    "aria-flowto",
];

/// Elements that are landmarks when named.
const LANDMARKS: [&str; 4] = ["section", "nav", "aside", "form"];

/// The output file of the print page.
pub fn output() -> OutputPath {
    generated_output(&print_url())
}

/// The anchor of each page's chapter, by page id: `page-` and the slug of its URL, made unique
/// in reading order with `-2`, `-3`….
pub fn chapter_anchors(library: &Library) -> HashMap<PageId, String> {
    let mut taken = HashSet::new();
    let mut anchors = HashMap::new();
    for &id in &library.reading_order {
        let page = &library.pages[id];
        let decoded = percent_encoding::percent_decode_str(&page.url).decode_utf8_lossy();
        let slug = slug::slugify(decoded.as_ref());
        let base = if slug.is_empty() {
            "page-home".to_owned()
        } else {
            format!("page-{slug}")
        };
        let mut anchor = base.clone();
        let mut n = 1;
        while !taken.insert(anchor.clone()) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        anchors.insert(id, anchor);
    }
    anchors
}

/// Where links in the chapters lead on the print page.
#[derive(Debug, Default)]
pub struct PrintLinks<'a> {
    /// A page's output file → its chapter's anchor.
    pub chapters: HashMap<&'a str, &'a str>,
    /// A chapter's anchor → the ids of its page that are one id of the print page's own
    /// (`source-1` on the talks page → `source-3`, its entry in the one list of sources).
    pub moved: HashMap<String, HashMap<String, String>>,
}

/// One chapter of the print page, its content made.
pub(super) struct Chapter<'a> {
    pub page: &'a PageListing,
    pub anchor: String,
    pub depth: usize,
    pub content: Arc<str>,
}

impl Chapter<'_> {
    /// The chapter as the template sees it, with `content` for its content.
    pub fn view<'b>(&'b self, content: &'b str) -> PrintChapter<'b> {
        PrintChapter {
            page: self.page,
            anchor: self.anchor.clone(),
            depth: self.depth,
            content,
        }
    }
}

/// Every page as a chapter, in reading order, and the sources they cite, listed once. The
/// chapters' contents are taken from `kept` where they were made from the same inputs, and
/// the others made (in parallel) and kept there.
pub(super) fn chapters<'a>(
    library: &'a Library,
    bodies: &[Arc<Body>],
    listings: &'a [PageListing],
    registry: &crate::sources::Registry,
    mut kept: Option<&mut PrintCache>,
) -> (Vec<Chapter<'a>>, Vec<PageSource>) {
    if let Some(kept) = kept.as_deref_mut() {
        kept.refresh_anchors(library, chapter_anchors);
    }
    let made_now;
    let anchors = match kept.as_deref().and_then(PrintCache::anchors) {
        Some(anchors) => anchors,
        None => {
            made_now = chapter_anchors(library);
            &made_now
        }
    };
    let mut links = PrintLinks {
        chapters: library
            .pages
            .iter()
            .filter_map(|p| Some((p.output.as_str(), anchors.get(&p.id)?.as_str())))
            .collect(),
        moved: HashMap::new(),
    };
    let sources = listed_sources(library, bodies, registry, anchors, &mut links);
    let keys = ChapterKeys::new(library, anchors, &links);
    let mut depth = vec![0; library.pages.len()];
    let placed: Vec<_> = (library.reading_order.iter())
        .filter_map(|&id| {
            let page = &library.pages[id];
            depth[id] = page.parent.map_or(0, |p| depth[p] + 1);
            Some((page, anchors.get(&id)?, bodies.get(id.index())?, depth[id]))
        })
        .collect();
    let reading = kept.as_deref();
    let made: Vec<(Chapter<'a>, Option<MadeChapter>)> = placed
        .into_par_iter()
        .map(|(page, anchor, body, depth)| {
            let key = keys.of(page, anchor);
            let found = reading.and_then(|k| k.kept_chapter(&page.path, body, key));
            let (content, made) = match found {
                Some(content) => (content, None),
                None => {
                    // Held packed by the build cache, which made it: it unpacks.
                    let html = body.html_text().unwrap_or_default();
                    let mut reads_other_pages_ids = false;
                    let content = chapter_content(
                        &html,
                        anchor,
                        &page.title,
                        &links,
                        &mut reads_other_pages_ids,
                    );
                    let content: Arc<str> = content.into();
                    let made = MadeChapter {
                        path: page.path.to_string(),
                        body: Arc::downgrade(body),
                        key,
                        reads_other_pages_ids,
                        content: content.clone(),
                    };
                    (content, Some(made))
                }
            };
            let chapter = Chapter {
                page: &listings[page.id],
                anchor: anchor.clone(),
                depth,
                content,
            };
            (chapter, made)
        })
        .collect();
    let (chapters, made): (Vec<_>, Vec<_>) = made.into_iter().unzip();
    if let Some(kept) = kept {
        let live = library.pages.iter().map(|p| p.path.as_str()).collect();
        kept.keep_chapters(made.into_iter().flatten().collect(), &live);
    }
    (chapters, sources)
}

/// A page's body as its chapter's content.
fn chapter_content(
    html: &str,
    anchor: &str,
    title: &str,
    links: &PrintLinks<'_>,
    reads_other_pages_ids: &mut bool,
) -> String {
    let content = chapter_html(&slimmed(html), anchor, title, links, reads_other_pages_ids);
    renumbered_citations(&content)
}

/// The sources cited by the pages, listed once in the order of first citation through the
/// reading order; each chapter's ids of its page's own sources moved to the list's (`links`).
fn listed_sources(
    library: &Library,
    bodies: &[Arc<Body>],
    registry: &crate::sources::Registry,
    anchors: &HashMap<PageId, String>,
    links: &mut PrintLinks<'_>,
) -> Vec<PageSource> {
    let mut sources: Vec<PageSource> = Vec::new();
    for &id in &library.reading_order {
        let (Some(anchor), Some(body)) = (anchors.get(&id), bodies.get(id.index())) else {
            continue;
        };
        let page_url = &library.pages[id].url;
        let moved = links.moved.entry(anchor.clone()).or_default();
        for source in page_sources(registry, page_url, &body.toolkit.citations) {
            let entry = listed(&mut sources, source.source);
            for citation in source.citations {
                let id = prefixed(anchor, &citation.id);
                entry.citations.push(CitationRef {
                    url: format!("#{id}"),
                    id,
                    at: citation.at,
                });
            }
            moved.insert(source.anchor, entry.anchor.clone());
        }
    }
    sources
}

/// What every chapter's key is made of besides its own anchor and title.
struct ChapterKeys {
    /// Every page's output file and chapter anchor.
    chapters: Key,
    /// Every chapter's moved ids.
    moved: Key,
    /// Each page's chapter's moved ids, by page.
    own_moved: Vec<Key>,
}

impl ChapterKeys {
    fn new(library: &Library, anchors: &HashMap<PageId, String>, links: &PrintLinks<'_>) -> Self {
        let mut chapters = Fingerprint::default();
        let mut moved = Fingerprint::default();
        let mut own_moved = vec![0; library.pages.len()];
        for page in &library.pages {
            let anchor = anchors.get(&page.id);
            (page.output.as_str(), anchor).hash(&mut chapters);
            if let Some(anchor) = anchor {
                let mut own = Fingerprint::default();
                sorted_moved(links, anchor).hash(&mut own);
                own_moved[page.id.index()] = own.digest();
                (anchor, own_moved[page.id.index()]).hash(&mut moved);
            }
        }
        ChapterKeys {
            chapters: chapters.digest(),
            moved: moved.digest(),
            own_moved,
        }
    }

    fn of(&self, page: &crate::content::Page, anchor: &str) -> ChapterKey {
        let mut own = Fingerprint::default();
        let moved = self
            .own_moved
            .get(page.id.index())
            .copied()
            .unwrap_or_default();
        (anchor, &page.title, moved, self.chapters).hash(&mut own);
        ChapterKey {
            own: own.digest(),
            moved: self.moved,
        }
    }
}

/// The ids of the chapter `anchor` moved to the print page's own, in order.
fn sorted_moved<'a>(links: &'a PrintLinks<'_>, anchor: &str) -> Vec<(&'a String, &'a String)> {
    let mut moved: Vec<_> = links.moved.get(anchor).into_iter().flatten().collect();
    moved.sort_unstable();
    moved
}

/// The entry of `source` in the print page's list, added at the end when it is new.
fn listed(sources: &mut Vec<PageSource>, source: Source) -> &mut PageSource {
    let index = match sources.iter().position(|s| s.source.id == source.id) {
        Some(index) => index,
        None => {
            let number = sources.len() + 1;
            sources.push(PageSource {
                number,
                anchor: format!("source-{number}"),
                source,
                citations: Vec::new(),
            });
            number - 1
        }
    };
    &mut sources[index]
}

/// The start of the `#` link Markdown headings end with (`markdown/headings.rs`).
const HEADING_ANCHOR: &str = " <a class=\"anchor\" href=\"";
/// Its end.
const HEADING_ANCHOR_END: &str = ">#</a>";
/// The start of a citation link the built-in `cite` writes (`site/toolkit.rs`).
const CITATION: &str = "<sup class=\"cite\"><a href=\"#source-";
/// The spoken name of a citation link.
const CITATION_LABEL: &str = " aria-label=\"";

/// A page's body without the heading links and the citations' spoken names, as dossier writes
/// them (a site's own `cite` template is left as it is).
fn slimmed(html: &str) -> String {
    let mut cuts: Vec<std::ops::Range<usize>> = Vec::new();
    let mut from = 0;
    while let Some(start) = html[from..].find(HEADING_ANCHOR).map(|i| i + from) {
        let Some(end) = html[start..].find(HEADING_ANCHOR_END) else {
            break;
        };
        let end = start + end + HEADING_ANCHOR_END.len();
        cuts.push(start..end);
        from = end;
    }
    let mut from = 0;
    while let Some(start) = html[from..].find(CITATION).map(|i| i + from) {
        let tag_end = html[start + CITATION.len()..]
            .find('>')
            .map_or(html.len(), |i| start + CITATION.len() + i);
        from = tag_end;
        let tag = &html[start..tag_end];
        let Some(label) = tag.find(CITATION_LABEL) else {
            continue;
        };
        let value = start + label + CITATION_LABEL.len();
        // Attribute values are escaped: the next `"` closes it.
        if let Some(close) = html[value..tag_end].find('"') {
            cuts.push(start + label..value + close + 1);
        }
    }
    cuts.sort_by_key(|cut| cut.start);
    splice(
        html,
        cuts.into_iter().map(|cut| (cut, String::new())).collect(),
    )
}

fn prefixed(anchor: &str, id: &str) -> String {
    format!("{anchor}--{id}")
}

/// A page's body with its ids prefixed by `anchor` and its links to pages of the site turned
/// into links to their chapters and to the print page's own ids (`links`). A landmark named by
/// `aria-label` (the footnotes' "Notes") gets the chapter's `title` added, so the landmarks of
/// two chapters never share a name. Tells whether the chapter links to an id of another page
/// (which may have moved: `reads_other_pages_ids`).
fn chapter_html(
    html: &str,
    anchor: &str,
    title: &str,
    links: &PrintLinks<'_>,
    reads_other_pages_ids: &mut bool,
) -> String {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for_each_attribute(html, |attribute| {
        let name = attribute.name.to_ascii_lowercase();
        let value = decode_attribute(attribute.value);
        let new = if name == "id" || (name == "name" && attribute.tag.eq_ignore_ascii_case("a")) {
            Some(prefixed(anchor, &value))
        } else if ID_REFERENCES.contains(&name.as_str()) {
            let ids: Vec<String> = value
                .split_ascii_whitespace()
                .map(|id| prefixed(anchor, id))
                .collect();
            Some(ids.join(" "))
        } else if name == "aria-label"
            && LANDMARKS
                .iter()
                .any(|t| attribute.tag.eq_ignore_ascii_case(t))
        {
            Some(format!("{value} — {title}"))
        } else if name == "href" {
            in_page_link(&value, anchor, links, reads_other_pages_ids)
        } else {
            None
        };
        if let Some(new) = new {
            edits.push((attribute.span, escape_attribute(&new)));
        }
    });
    splice(html, edits)
}

/// Where a link in a chapter leads on the print page: `#x` to this chapter's `x`, a page of
/// the site to its chapter, a heading of a page to its prefixed id, a moved id (a page's
/// `#source-1`) to the print page's own; `None` leaves it as it is.
fn in_page_link(
    href: &str,
    anchor: &str,
    links: &PrintLinks<'_>,
    reads_other_pages_ids: &mut bool,
) -> Option<String> {
    if let Some(fragment) = href.strip_prefix('#') {
        return (!fragment.is_empty()).then(|| format!("#{}", in_chapter(anchor, fragment, links)));
    }
    if !href.starts_with('/') || href.starts_with("//") {
        return None;
    }
    let chapter = links.chapters.get(url_output(href).as_str())?;
    match href.split_once('#') {
        Some((_, fragment)) if !fragment.is_empty() => {
            *reads_other_pages_ids |= *chapter != anchor;
            let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
            Some(format!("#{}", in_chapter(chapter, &fragment, links)))
        }
        _ => Some(format!("#{chapter}")),
    }
}

/// The print page's id of the id `id` of the chapter `anchor`.
fn in_chapter(anchor: &str, id: &str, links: &PrintLinks<'_>) -> String {
    match links.moved.get(anchor).and_then(|moved| moved.get(id)) {
        Some(own) => own.clone(),
        None => prefixed(anchor, id),
    }
}

/// A built-in citation once its link leads to the print page's list: `<sup class="cite"><a
/// href="#source-`.
const PRINT_CITATION: &str = "<sup class=\"cite\"><a href=\"#source-";

/// The built-in citations of a chapter with their text (`[N]`) numbered like the entry of the
/// print page's list their link leads to.
fn renumbered_citations(html: &str) -> String {
    let mut edits = Vec::new();
    let mut from = 0;
    while let Some(start) = html[from..].find(PRINT_CITATION).map(|i| i + from) {
        let number_start = start + PRINT_CITATION.len();
        from = number_start;
        let rest = &html[number_start..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let Some(after) = rest[digits..].strip_prefix('"') else {
            continue;
        };
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let text_start = html.len() - after.len() + tag_end + 1;
        let text = &html[text_start..];
        let old = text.bytes().skip(1).take_while(u8::is_ascii_digit).count();
        if text.starts_with('[') && text[1 + old..].starts_with("]</a>") {
            let number = &rest[..digits];
            edits.push((text_start + 1..text_start + 1 + old, number.to_owned()));
        }
    }
    splice(html, edits)
}

/// The rendered print page without the ids of the built-in citations that nothing on it links
/// to: one page holding every page has no "Cited at" links back to each citation unless its
/// template prints them.
pub fn finished(html: &str) -> String {
    let targets = link_targets(html);
    without_unlinked_citation_ids(html, &|id| targets.contains(id))
}

/// Every id a link of `html` leads to (`href="#…"`), decoded.
pub(super) fn link_targets(html: &str) -> HashSet<String> {
    let mut targets = HashSet::new();
    for_each_attribute(html, |attribute| {
        if attribute.name.eq_ignore_ascii_case("href") {
            if let Some(id) = attribute.value.strip_prefix('#') {
                targets.insert(decode_attribute(id).into_owned());
            }
        }
    });
    targets
}

/// `html` without the ids of its built-in citations that are not `linked`.
pub(super) fn without_unlinked_citation_ids(html: &str, linked: &dyn Fn(&str) -> bool) -> String {
    let mut cuts = Vec::new();
    for_each_citation_id(html, |span, id| {
        if !linked(id) {
            cuts.push((span, String::new()));
        }
    });
    splice(html, cuts)
}

/// The ids of the built-in citations of `html`, decoded, in order.
pub(super) fn citation_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for_each_citation_id(html, |_, id| ids.push(id.to_owned()));
    ids
}

/// Calls `visit` with the span of each built-in citation's ` id="…"` and the id, decoded.
fn for_each_citation_id(html: &str, mut visit: impl FnMut(std::ops::Range<usize>, &str)) {
    let mut from = 0;
    while let Some(start) = html[from..].find(PRINT_CITATION).map(|i| i + from) {
        from = start + PRINT_CITATION.len();
        let Some(tag_end) = html[from..].find('>').map(|i| i + from) else {
            break;
        };
        let tag = &html[from..tag_end];
        let Some(id_at) = tag.find(" id=\"") else {
            continue;
        };
        let value = from + id_at + " id=\"".len();
        let Some(close) = html[value..tag_end].find('"') else {
            continue;
        };
        visit(
            from + id_at..value + close + 1,
            &decode_attribute(&html[value..value + close]),
        );
        from = tag_end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_links_and_citation_labels_are_left_out() {
        let html = "<h2 id=\"why\">Why <a class=\"anchor\" href=\"#why\" aria-label=\"Link to this section: Why\">#</a></h2>\n\
                    <p>Said.<sup class=\"cite\"><a href=\"#source-1\" id=\"cite-1\" aria-label=\"Source 1: A &quot;news&quot; article, Intro\">[1]</a></sup> \
                    <a href=\"#x\" aria-label=\"kept\">x</a></p>";
        assert_eq!(
            slimmed(html),
            "<h2 id=\"why\">Why</h2>\n<p>Said.<sup class=\"cite\"><a href=\"#source-1\" id=\"cite-1\">[1]</a></sup> \
             <a href=\"#x\" aria-label=\"kept\">x</a></p>"
        );
    }

    fn links() -> PrintLinks<'static> {
        PrintLinks {
            chapters: [
                ("talks/index.html", "page-talks"),
                ("index.html", "page-home"),
            ]
            .into_iter()
            .collect(),
            moved: [(
                "page-talks".to_owned(),
                [("source-1".to_owned(), "source-3".to_owned())].into(),
            )]
            .into(),
        }
    }

    #[test]
    fn ids_are_prefixed_and_links_lead_to_chapters() {
        let html = "<h2 id=\"why\">Why</h2><p><a href=\"#why\">up</a> <a href=\"/talks/\">t</a> \
                    <a href=\"/talks/#moscow\">m</a> <a href=\"/\">h</a> <a href=\"/img/a.png\">i</a> \
                    <a href=\"https://e.org/#x\">e</a><sup aria-describedby=\"fn-1 fn-2\">1</sup></p>\
                    <section class=\"footnotes\" aria-label=\"Notes\"></section>";
        assert_eq!(
            chapter_html(html, "page-background", "Background", &links(), &mut false),
            "<h2 id=\"page-background--why\">Why</h2><p><a href=\"#page-background--why\">up</a> \
             <a href=\"#page-talks\">t</a> <a href=\"#page-talks--moscow\">m</a> \
             <a href=\"#page-home\">h</a> <a href=\"/img/a.png\">i</a> \
             <a href=\"https://e.org/#x\">e</a><sup aria-describedby=\"page-background--fn-1 page-background--fn-2\">1</sup></p>\
             <section class=\"footnotes\" aria-label=\"Notes — Background\"></section>"
        );
    }

    #[test]
    fn links_to_a_pages_sources_lead_to_the_one_list() {
        let html = "<p>Said.<sup class=\"cite\"><a href=\"#source-1\" id=\"cite-1\">[1]</a></sup> \
                    <a href=\"#source-2\">b</a> <a href=\"/#source-1\">c</a></p>";
        let chapter = chapter_html(html, "page-talks", "Talks", &links(), &mut false);
        assert_eq!(
            chapter,
            "<p>Said.<sup class=\"cite\"><a href=\"#source-3\" id=\"page-talks--cite-1\">[1]</a></sup> \
             <a href=\"#page-talks--source-2\">b</a> <a href=\"#page-home--source-1\">c</a></p>"
        );
        assert_eq!(
            renumbered_citations(&chapter),
            chapter.replace(">[1]<", ">[3]<")
        );
    }

    #[test]
    fn only_citation_ids_something_links_to_are_kept() {
        let html = "<p><sup class=\"cite\"><a href=\"#source-1\" id=\"page-a--cite-1\">[1]</a></sup>\
                    <sup class=\"cite\"><a href=\"#source-1\" id=\"page-a--cite-2\">[1]</a></sup>\
                    <a href=\"#page-a--cite-2\">back</a> <a href=\"#x\" id=\"page-a--cite-3\">kept</a></p>";
        assert_eq!(
            finished(html),
            "<p><sup class=\"cite\"><a href=\"#source-1\">[1]</a></sup>\
             <sup class=\"cite\"><a href=\"#source-1\" id=\"page-a--cite-2\">[1]</a></sup>\
             <a href=\"#page-a--cite-2\">back</a> <a href=\"#x\" id=\"page-a--cite-3\">kept</a></p>"
        );
    }
}
