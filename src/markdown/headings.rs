//! Heading ids and the table of contents: every heading gets a unique id (its own `{#id}` or a
//! slug of its text) and a link to itself, in one pass over the events (linear in the number of
//! headings, so a page with 100k headings is no slower per heading than one with ten).

use super::{escape_attribute, TocEntry};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};
use std::collections::HashMap;

/// A heading as found: level, id, plain text and where it was written.
pub(super) struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
    /// Byte offset of the heading in the source.
    pub offset: usize,
}

/// The heading being read: its place in the output events, and its text so far.
struct Open {
    start: usize,
    level: HeadingLevel,
    explicit: Option<String>,
    title: String,
    offset: usize,
}

/// Gives every heading in `events` a unique id and an anchor link to itself; returns the
/// headings in order.
pub(super) fn number_headings<'a>(events: &mut Vec<(Event<'a>, usize)>) -> Vec<Heading> {
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut headings = Vec::new();
    let mut out: Vec<(Event<'a>, usize)> = Vec::with_capacity(events.len() + events.len() / 8);
    let mut open: Option<Open> = None;
    for (event, offset) in events.drain(..) {
        match &event {
            Event::Start(Tag::Heading { level, id, .. }) if open.is_none() => {
                open = Some(Open {
                    start: out.len(),
                    level: *level,
                    explicit: id.as_ref().map(ToString::to_string),
                    title: String::new(),
                    offset,
                });
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(heading) = open.as_mut() {
                    heading.title.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(heading) = open.take() {
                    let title = escape_attribute(&heading.title);
                    let id = close(heading, &mut out, &mut used, &mut headings);
                    let anchor = format!(
                        " <a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section: {title}\">#</a>"
                    );
                    out.push((Event::InlineHtml(CowStr::from(anchor)), offset));
                }
            }
            _ => {}
        }
        out.push((event, offset));
    }
    *events = out;
    headings
}

/// Chooses the id of a finished heading and writes it into its start event.
fn close(
    heading: Open,
    out: &mut [(Event<'_>, usize)],
    used: &mut HashMap<String, usize>,
    headings: &mut Vec<Heading>,
) -> String {
    let base = heading.explicit.unwrap_or_else(|| {
        let slug = slug::slugify(&heading.title);
        if slug.is_empty() {
            "section".to_owned()
        } else {
            slug
        }
    });
    let id = unique(used, base);
    if let Some((Event::Start(Tag::Heading { id: slot, .. }), _)) = out.get_mut(heading.start) {
        *slot = Some(CowStr::from(id.clone()));
    }
    headings.push(Heading {
        level: heading.level as u8,
        id: id.clone(),
        title: heading.title,
        offset: heading.offset,
    });
    id
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

/// Nests a flat list of headings into a tree by level.
pub(super) fn nest(headings: &[Heading]) -> Vec<TocEntry> {
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
