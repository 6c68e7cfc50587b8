//! Markdown to HTML with pulldown-cmark, as a pure function: a source string and a link resolver
//! in; HTML, a table of contents, heading ids and every link found out. It reads no files and
//! knows nothing about pages; positions it reports are byte offsets into the source it was given.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::HashMap;

/// What a resolver says about a link destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Leave the destination as written (external links, `#anchors`, site-root paths).
    Keep,
    /// Write this URL instead (an `@/` link or a relative file, made site-root relative).
    Url(String),
    /// The destination is wrong.
    Broken { message: String, hint: String },
}

/// Decides what each link and image destination becomes.
pub trait LinkResolver {
    fn resolve(&self, destination: &str) -> Resolution;
}

/// One entry of a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A link destination as written in the output, with where it was written in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    /// The URL as written to the HTML (after resolution).
    pub url: String,
    /// Byte offset of the link in the source.
    pub offset: usize,
}

/// A problem at a byte offset of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
    pub hint: String,
}

/// The result of rendering one Markdown document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Ids given to headings, in order.
    pub heading_ids: Vec<String>,
    pub links: Vec<FoundLink>,
    pub problems: Vec<Problem>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `source` to HTML, resolving links through `resolver`.
pub fn render(source: &str, resolver: &dyn LinkResolver) -> Rendered {
    let mut rendered = Rendered::default();
    let mut events: Vec<(Event<'_>, usize)> = Vec::new();
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: resolve(&dest_url, range.start, resolver, &mut rendered),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: resolve(&dest_url, range.start, resolver, &mut rendered),
                title,
                id,
            }),
            other => other,
        };
        events.push((event, range.start));
    }
    let headings = number_headings(&mut events);
    rendered.toc = nest(&headings);
    rendered.heading_ids = headings.into_iter().map(|h| h.id).collect();
    pulldown_cmark::html::push_html(&mut rendered.html, events.into_iter().map(|(e, _)| e));
    if source.contains('\0') {
        // CommonMark: U+0000 is replaced by U+FFFD, wherever it appears.
        rendered.html = rendered.html.replace('\0', "\u{FFFD}");
        replace_nul_in_toc(&mut rendered.toc);
    }
    rendered
}

fn replace_nul_in_toc(entries: &mut [TocEntry]) {
    for entry in entries {
        entry.title = entry.title.replace('\0', "\u{FFFD}");
        replace_nul_in_toc(&mut entry.children);
    }
}

fn resolve<'a>(
    destination: &str,
    offset: usize,
    resolver: &dyn LinkResolver,
    rendered: &mut Rendered,
) -> CowStr<'a> {
    let url = match resolver.resolve(destination) {
        Resolution::Keep => destination.to_owned(),
        Resolution::Url(url) => url,
        Resolution::Broken { message, hint } => {
            rendered.problems.push(Problem {
                offset,
                message,
                hint,
            });
            destination.to_owned()
        }
    };
    rendered.links.push(FoundLink {
        url: url.clone(),
        offset,
    });
    CowStr::from(url)
}

/// A heading as found: level, id and plain text.
struct Heading {
    level: u8,
    id: String,
    title: String,
}

/// Gives every heading a unique id (its own `{#id}` or a slug of its text) and a link to itself.
fn number_headings(events: &mut Vec<(Event<'_>, usize)>) -> Vec<Heading> {
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut headings = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 else {
            i += 1;
            continue;
        };
        let (level, explicit) = (*level, id.as_ref().map(std::string::ToString::to_string));
        let end = (i..events.len())
            .find(|&j| matches!(events[j].0, Event::End(TagEnd::Heading(_))))
            .unwrap_or(events.len() - 1);
        let title: String = events[i + 1..end]
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let base = explicit.unwrap_or_else(|| {
            let slug = slug::slugify(&title);
            if slug.is_empty() {
                "section".to_owned()
            } else {
                slug
            }
        });
        let id = unique(&mut used, base);
        if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i].0 {
            *slot = Some(CowStr::from(id.clone()));
        }
        let anchor = format!(
            " <a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section: {}\">#</a>",
            escape_attribute(&title)
        );
        let offset = events[end].1;
        events.insert(end, (Event::InlineHtml(CowStr::from(anchor)), offset));
        headings.push(Heading {
            level: heading_number(level),
            id,
            title,
        });
        i = end + 2;
    }
    headings
}

fn unique(used: &mut HashMap<String, usize>, base: String) -> String {
    let count = used.entry(base.clone()).or_insert(0);
    *count += 1;
    if *count == 1 {
        base
    } else {
        let candidate = format!("{base}-{}", *count - 1);
        unique(used, candidate)
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// Nests a flat list of headings into a tree by level.
fn nest(headings: &[Heading]) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for heading in headings {
        let entry = TocEntry {
            level: heading.level,
            id: heading.id.clone(),
            title: heading.title.clone(),
            children: Vec::new(),
        };
        insert(&mut roots, entry);
    }
    roots
}

fn insert(siblings: &mut Vec<TocEntry>, entry: TocEntry) {
    match siblings.last_mut() {
        Some(last) if last.level < entry.level => insert(&mut last.children, entry),
        _ => siblings.push(entry),
    }
}

/// Escapes text for use inside a double-quoted HTML attribute.
pub fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed;
    impl LinkResolver for Fixed {
        fn resolve(&self, destination: &str) -> Resolution {
            match destination {
                "@/b.md" => Resolution::Url("/b/".into()),
                "@/missing.md" => Resolution::Broken {
                    message: "no such page".into(),
                    hint: "fix it".into(),
                },
                _ => Resolution::Keep,
            }
        }
    }

    #[test]
    fn headings_get_unique_ids_anchor_links_and_a_nested_toc() {
        let r = render("## One\n### Sub\n## One\n## Two {#custom}\n", &Fixed);
        assert_eq!(r.heading_ids, ["one", "sub", "one-1", "custom"]);
        assert!(r
            .html
            .contains("<h2 id=\"one\">One <a class=\"anchor\" href=\"#one\""));
        assert_eq!(r.toc.len(), 3);
        assert_eq!(r.toc[0].children[0].id, "sub");
    }

    #[test]
    fn internal_links_are_resolved_and_broken_ones_reported_with_offsets() {
        let source = "See [b](@/b.md) and\n[m](@/missing.md).";
        let r = render(source, &Fixed);
        assert!(r.html.contains("href=\"/b/\""));
        assert_eq!(r.problems.len(), 1);
        assert_eq!(
            &source[r.problems[0].offset..r.problems[0].offset + 3],
            "[m]"
        );
        assert_eq!(r.links.len(), 2);
    }

    #[test]
    fn extensions_are_on() {
        let r = render(
            "| a |\n|---|\n| 1 |\n\n~~x~~ \"q\"\n\n- [x] done\n\nNote[^1]\n\n[^1]: f\n",
            &Fixed,
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>x</del>"));
        assert!(r.html.contains("\u{201c}q\u{201d}"));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("footnote"));
    }
}
