//! Mentions: the names pages are known by (`known_as`), found in another page's text. Names
//! match whole words only, and the longest name wins where several start at one place ("Vladimir
//! Putin" over "Putin"). Text inside headings, links, images, code and raw HTML is not a mention.
//! When asked, the first mention of each page is made a link to it.

use aho_corasick::{AhoCorasick, MatchKind};
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use std::collections::BTreeSet;

/// Every name of the site, each with the page it names.
#[derive(Debug, Clone, Default)]
pub struct Names {
    matcher: Option<AhoCorasick>,
    /// (name, index of the page it names), in the matcher's pattern order.
    names: Vec<(String, usize)>,
}

impl Names {
    /// Names from `(name, page)` pairs; empty names are ignored.
    pub fn new(names: Vec<(String, usize)>) -> Names {
        let names: Vec<(String, usize)> =
            names.into_iter().filter(|(n, _)| !n.is_empty()).collect();
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(names.iter().map(|(n, _)| n))
            .ok();
        Names { matcher, names }
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Whole-word mentions in `text`: (byte offset, name, page), leftmost-longest.
    fn find<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, &'a str, usize)> + 'a {
        self.matcher
            .iter()
            .flat_map(move |m| m.find_iter(text))
            .filter(move |m| is_whole_word(text, m.start(), m.end()))
            .filter_map(move |m| {
                let (name, page) = self.names.get(m.pattern().as_usize())?;
                Some((m.start(), name.as_str(), *page))
            })
    }
}

fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// The first mention of a page in the text being rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Index of the page mentioned.
    pub page: usize,
    /// The name as written.
    pub name: String,
    /// Byte offset of the mention in the source.
    pub offset: usize,
}

/// What a page's text is searched for, and what was found.
pub struct Mentions<'a> {
    pub names: &'a Names,
    /// The page being rendered: its own names are not mentions.
    pub own: usize,
    /// For each page index, the URL a link to it gets, when first mentions are to be linked.
    pub link_to: Option<&'a dyn Fn(usize) -> String>,
    /// The first mention of each page, in the order found.
    pub found: Vec<Mention>,
}

impl Mentions<'_> {
    /// Finds the mentions in `events` (and links the first ones, when asked).
    pub(super) fn apply<'e>(&mut self, events: &mut Vec<(Event<'e>, usize)>, source: &str) {
        if self.names.is_empty() {
            return;
        }
        let mut seen: BTreeSet<usize> = BTreeSet::new();
        let mut out = Vec::with_capacity(events.len());
        let mut skip_depth = 0usize;
        for (event, offset) in events.drain(..) {
            match &event {
                Event::Start(tag) if is_skipped(tag) => skip_depth += 1,
                Event::End(end) if is_skipped_end(*end) => {
                    skip_depth = skip_depth.saturating_sub(1);
                }
                Event::Text(text) if skip_depth == 0 => {
                    let text = text.to_string();
                    // Offsets inside the text are exact only when it was copied verbatim.
                    let verbatim = source.get(offset..offset + text.len()) == Some(text.as_str());
                    self.split_text(&text, offset, verbatim, &mut seen, &mut out);
                    continue;
                }
                _ => {}
            }
            out.push((event, offset));
        }
        *events = out;
    }

    /// Pushes `text` to `out`, with its first mentions recorded (and linked).
    fn split_text<'e>(
        &mut self,
        text: &str,
        offset: usize,
        verbatim: bool,
        seen: &mut BTreeSet<usize>,
        out: &mut Vec<(Event<'e>, usize)>,
    ) {
        let mut copied = 0;
        let names = self.names;
        for (start, name, page) in names.find(text) {
            if page == self.own || !seen.insert(page) {
                continue;
            }
            let at = if verbatim { offset + start } else { offset };
            self.found.push(Mention {
                page,
                name: name.to_owned(),
                offset: at,
            });
            let Some(link_to) = self.link_to else {
                continue;
            };
            if start > copied {
                out.push((
                    Event::Text(CowStr::from(text[copied..start].to_owned())),
                    at,
                ));
            }
            let link = Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::from(link_to(page)),
                title: CowStr::from(""),
                id: CowStr::from(""),
            };
            out.push((Event::Start(link), at));
            out.push((Event::Text(CowStr::from(name.to_owned())), at));
            out.push((Event::End(TagEnd::Link), at));
            copied = start + name.len();
        }
        out.push((Event::Text(CowStr::from(text[copied..].to_owned())), offset));
    }
}

fn is_skipped(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Heading { .. }
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::MetadataBlock(_)
    )
}

fn is_skipped_end(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Heading(_)
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::MetadataBlock(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names::new(vec![
            ("Putin".into(), 1),
            ("Vladimir Putin".into(), 1),
            ("Trump".into(), 2),
        ])
    }

    #[test]
    fn whole_words_and_the_longest_name() {
        let names = names();
        let found: Vec<_> = names
            .find("Putinism. Vladimir Putin met Trump; Putin left.")
            .collect();
        assert_eq!(
            found,
            [
                (10, "Vladimir Putin", 1),
                (29, "Trump", 2),
                (36, "Putin", 1)
            ]
        );
    }
}
