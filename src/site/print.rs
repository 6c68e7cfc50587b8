//! The print page: every page of the site in reading order on one page (`/print/`, like
//! mdBook's `print.html`), rendered with `templates/print.html` when the theme has it and
//! `print_page` is not turned off in site.yaml.
//!
//! Each page becomes a chapter whose anchor is `page-<slug of its URL>` (`/people/amy/` →
//! `page-people-amy`, `/` → `page-home`). Every id a page's body writes is prefixed with its
//! chapter's anchor and `--` (`moscow` → `page-talks--moscow`), and so are the references to
//! them (`href="#…"`, `aria-describedby`, `for`, …): chapter anchors never hold `--`, so no id
//! of one chapter can equal an id of another. Links to a page become links to its chapter, and
//! links to a heading of a page to that heading's prefixed id. The page is rendered afresh on
//! every build, from the bodies of this build, so it never needs a trace.
//!
//! What is there for reading one page at a time and only weighs on one page holding all of
//! them is left out of the chapters: the `#` link beside each heading, and the long spoken
//! name of each citation link ("Source 1: title, place"; its text `[1]` stays, leading to the
//! chapter's list of sources).

use super::bodies::Body;
use crate::content::{Library, PageId};
use crate::links::tags::{decode_attribute, for_each_attribute, splice};
use crate::markdown::escape_attribute;
use crate::paths::generated::{generated_output, print_url};
use crate::paths::{url_output, OutputPath};
use crate::render::context::PrintChapter;
use crate::sources::cited::page_sources;
use std::collections::{HashMap, HashSet};
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

/// Every page as a chapter, in reading order.
pub(super) fn chapters<'a>(
    library: &'a Library,
    bodies: &[Arc<Body>],
    listings: &'a [crate::render::context::PageListing],
    registry: &crate::sources::Registry,
) -> Vec<PrintChapter<'a>> {
    let anchors = chapter_anchors(library);
    let by_output: HashMap<&str, &str> = library
        .pages
        .iter()
        .filter_map(|p| Some((p.output.as_str(), anchors.get(&p.id)?.as_str())))
        .collect();
    let mut depth = vec![0; library.pages.len()];
    library
        .reading_order
        .iter()
        .filter_map(|&id| {
            let page = &library.pages[id];
            let anchor = anchors.get(&id)?.clone();
            depth[id] = page.parent.map_or(0, |p| depth[p] + 1);
            let body = bodies.get(id.index())?;
            let mut sources = page_sources(registry, &page.url, &body.toolkit.citations);
            for source in &mut sources {
                source.anchor = prefixed(&anchor, &source.anchor);
                for citation in &mut source.citations {
                    citation.id = prefixed(&anchor, &citation.id);
                    citation.url = format!("#{}", citation.id);
                }
            }
            Some(PrintChapter {
                content: chapter_html(&slimmed(&body.html), &anchor, &page.title, &by_output),
                anchor,
                depth: depth[id],
                page: &listings[id],
                sources,
            })
        })
        .collect()
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
/// into links to their chapters (`by_output`: a page's output file → its chapter's anchor).
/// A landmark named by `aria-label` (the footnotes' "Notes") gets the chapter's `title` added,
/// so the landmarks of two chapters never share a name.
pub fn chapter_html(
    html: &str,
    anchor: &str,
    title: &str,
    by_output: &HashMap<&str, &str>,
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
            in_page_link(&value, anchor, by_output)
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
/// the site to its chapter, a heading of a page to its prefixed id; `None` leaves it as it is.
fn in_page_link(href: &str, anchor: &str, by_output: &HashMap<&str, &str>) -> Option<String> {
    if let Some(fragment) = href.strip_prefix('#') {
        return (!fragment.is_empty()).then(|| format!("#{}", prefixed(anchor, fragment)));
    }
    if !href.starts_with('/') || href.starts_with("//") {
        return None;
    }
    let chapter = by_output.get(url_output(href).as_str())?;
    match href.split_once('#') {
        Some((_, fragment)) if !fragment.is_empty() => {
            let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
            Some(format!("#{}", prefixed(chapter, &fragment)))
        }
        _ => Some(format!("#{chapter}")),
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

    #[test]
    fn ids_are_prefixed_and_links_lead_to_chapters() {
        let by_output: HashMap<&str, &str> = [
            ("talks/index.html", "page-talks"),
            ("index.html", "page-home"),
        ]
        .into_iter()
        .collect();
        let html = "<h2 id=\"why\">Why</h2><p><a href=\"#why\">up</a> <a href=\"/talks/\">t</a> \
                    <a href=\"/talks/#moscow\">m</a> <a href=\"/\">h</a> <a href=\"/img/a.png\">i</a> \
                    <a href=\"https://e.org/#x\">e</a><sup aria-describedby=\"fn-1 fn-2\">1</sup></p>\
                    <section class=\"footnotes\" aria-label=\"Notes\"></section>";
        assert_eq!(
            chapter_html(html, "page-background", "Background", &by_output),
            "<h2 id=\"page-background--why\">Why</h2><p><a href=\"#page-background--why\">up</a> \
             <a href=\"#page-talks\">t</a> <a href=\"#page-talks--moscow\">m</a> \
             <a href=\"#page-home\">h</a> <a href=\"/img/a.png\">i</a> \
             <a href=\"https://e.org/#x\">e</a><sup aria-describedby=\"page-background--fn-1 page-background--fn-2\">1</sup></p>\
             <section class=\"footnotes\" aria-label=\"Notes — Background\"></section>"
        );
    }
}
