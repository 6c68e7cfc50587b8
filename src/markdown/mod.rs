//! Markdown to HTML with pulldown-cmark, as a pure function: a source string and a link resolver
//! in; HTML, a table of contents, heading ids and every link found out. It reads no files and
//! knows nothing about pages; positions it reports are byte offsets into the source it was given.
//!
//! Heading ids and the table of contents are `headings`' job, GitHub alerts `callouts`', and
//! footnotes across the pieces of one page (its text and its shortcode bodies) `footnotes`'.

mod callouts;
pub mod footnotes;
mod headings;
mod highlight;
mod images;
pub mod mentions;

pub use footnotes::Footnotes;
pub use mentions::{Mention, Mentions, Names};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// What a resolver says about a link destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Leave the destination as written (external links, `#anchors`, site-root paths).
    Keep,
    /// Write this URL instead (an `@/` link or a relative file, made site-root relative).
    Url(String),
    /// The destination is wrong.
    Broken { message: String, hint: String },
    /// The destination is a page this build leaves out (a draft): the link becomes its text,
    /// with a warning.
    Unlinked { message: String, hint: String },
}

/// Decides what each link and image destination becomes.
pub trait LinkResolver {
    fn resolve(&self, destination: &str) -> Resolution;

    /// The width and height of the image `destination` names, when it is one of the site's
    /// images: they are written on its `<img>` so the page does not shift as it loads.
    fn image_size(&self, _destination: &str) -> Option<(u32, u32)> {
        None
    }
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
    /// Byte offset of each heading in the source, in the same order.
    pub heading_offsets: Vec<usize>,
    pub links: Vec<FoundLink>,
    pub problems: Vec<Problem>,
    /// Problems that do not stop the build (links to drafts left out, shown as text).
    pub warnings: Vec<Problem>,
}

/// What fenced code blocks that name their language become (`highlight_code` in `site.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeBlocks {
    /// One `<span>` per kind of token, for the theme to colour.
    Highlighted,
    /// Plain `<pre><code class="language-…">`, as pulldown-cmark writes them.
    Plain,
}

/// The pulldown-cmark extensions dossier turns on.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
}

/// Renders `source` to HTML, resolving links through `resolver`, as a page of its own: its
/// footnotes are numbered and listed at the end, and footnote problems are among `problems`.
pub fn render(source: &str, resolver: &dyn LinkResolver) -> Rendered {
    let mut notes = Footnotes::for_page([source]);
    let mut rendered = render_piece(
        source,
        resolver,
        &mut notes,
        &|offset| offset,
        None,
        CodeBlocks::Highlighted,
    );
    let finished = notes.finish(&rendered.html);
    rendered.html = finished.html;
    rendered.problems.extend(finished.errors);
    rendered.problems.extend(finished.warnings);
    rendered
}

/// Renders `source`, one piece of a page, to HTML: its footnote definitions go to `notes`, and
/// each footnote reference becomes a marker that [`Footnotes::finish`] replaces once the whole
/// page is put together. `to_page` maps an offset in `source` to one in the page (footnote
/// positions are kept in page offsets; the other positions in `Rendered` are in `source`). With
/// `mentions`, the names of other pages are looked for in the text (see [`Mentions`]).
pub fn render_piece(
    source: &str,
    resolver: &dyn LinkResolver,
    notes: &mut Footnotes,
    to_page: &dyn Fn(usize) -> usize,
    mentions: Option<&mut Mentions<'_>>,
    code: CodeBlocks,
) -> Rendered {
    let mut rendered = Rendered::default();
    notes.note_written(source, to_page);
    let text = notes.with_stubs(source);
    let mut events: Vec<(Event<'_>, usize)> = Vec::new();
    // The definition being read: its label, offset and events.
    let mut definition: Option<(CowStr<'_>, usize, Vec<Event<'_>>)> = None;
    // Inside a link to a page this build leaves out: its text is kept, the link dropped.
    // (Links do not nest, so one flag is enough.)
    let mut unlinking = false;
    // Inside an image of known size: its alt text is gathered, then it is written whole.
    let mut image: Option<images::SizedImage<'_>> = None;
    for (event, range) in Parser::new_ext(&text, options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match resolve_link(&dest_url, range.start, resolver, &mut rendered) {
                Some(dest_url) => Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }),
                None => {
                    unlinking = true;
                    continue;
                }
            },
            Event::End(TagEnd::Link) if unlinking => {
                unlinking = false;
                continue;
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let size = resolver.image_size(&dest_url);
                let url = resolve(&dest_url, range.start, resolver, &mut rendered);
                match size {
                    Some(size) => {
                        image = Some(images::SizedImage::new(
                            &dest_url,
                            url,
                            title,
                            size,
                            range.start,
                        ));
                        continue;
                    }
                    None => Event::Start(Tag::Image {
                        link_type,
                        dest_url: url,
                        title,
                        id,
                    }),
                }
            }
            Event::End(TagEnd::Image) if image.is_some() => {
                let Some(sized) = image.take() else {
                    continue;
                };
                if let Some(warning) = sized.alt_warning() {
                    rendered.warnings.push(warning);
                }
                Event::InlineHtml(CowStr::from(sized.html()))
            }
            inner if image.is_some() => {
                if let Some(sized) = image.as_mut() {
                    sized.add_alt(&inner);
                }
                continue;
            }
            Event::FootnoteReference(label) => {
                Event::InlineHtml(CowStr::from(notes.marker(&label, to_page(range.start))))
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                Event::Html(CowStr::from(callouts::open(kind)))
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html(CowStr::from(callouts::CLOSE)),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                definition = Some((label, range.start, Vec::new()));
                continue;
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, offset, inner)) = definition.take() {
                    // Offsets past the source are the stubs `with_stubs` added.
                    if offset < source.len() {
                        let mut html = String::new();
                        pulldown_cmark::html::push_html(&mut html, inner.into_iter());
                        notes.define(&label, html, to_page(offset));
                    }
                }
                continue;
            }
            other => other,
        };
        match definition.as_mut() {
            Some((_, _, inner)) => inner.push(event),
            None => events.push((event, range.start)),
        }
    }
    if code == CodeBlocks::Highlighted {
        highlight::highlight_blocks(&mut events);
    }
    if let Some(mentions) = mentions {
        mentions.apply(&mut events, source);
    }
    let headings = headings::number_headings(&mut events);
    rendered.toc = headings::nest(&headings);
    rendered.heading_offsets = headings.iter().map(|h| h.offset).collect();
    rendered.heading_ids = headings.into_iter().map(|h| h.id).collect();
    pulldown_cmark::html::push_html(&mut rendered.html, events.into_iter().map(|(e, _)| e));
    if source.contains('\0') {
        // CommonMark: U+0000 is replaced by U+FFFD, wherever it appears.
        rendered.html = rendered.html.replace('\0', "\u{FFFD}");
        replace_nul_in_toc(&mut rendered.toc);
    }
    rendered
}

/// A link's destination, or `None` when the link is to be shown as its text only.
fn resolve_link<'a>(
    destination: &str,
    offset: usize,
    resolver: &dyn LinkResolver,
    rendered: &mut Rendered,
) -> Option<CowStr<'a>> {
    match resolver.resolve(destination) {
        Resolution::Unlinked { message, hint } => {
            rendered.warnings.push(Problem {
                offset,
                message,
                hint,
            });
            None
        }
        resolution => Some(record(destination, offset, resolution, rendered)),
    }
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
    record(destination, offset, resolver.resolve(destination), rendered)
}

/// Writes down the link and any problem with it; returns the URL to write.
fn record<'a>(
    destination: &str,
    offset: usize,
    resolution: Resolution,
    rendered: &mut Rendered,
) -> CowStr<'a> {
    let url = match resolution {
        Resolution::Keep => destination.to_owned(),
        Resolution::Url(url) => url,
        Resolution::Broken { message, hint } | Resolution::Unlinked { message, hint } => {
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
