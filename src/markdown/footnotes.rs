//! Footnotes across a whole page. A page's Markdown is rendered in pieces (its text, and the body
//! of each shortcode call, separately), so pulldown-cmark alone cannot match a reference in one
//! piece with a definition in another. [`Footnotes`] is shared by every piece of a page: it knows
//! every label the page defines before any piece is rendered, takes each piece's definitions and
//! leaves a marker for each reference; [`Footnotes::finish`] then numbers the notes in the order
//! the finished HTML refers to them, writes the references and a "Notes" section with back-links,
//! and reports undefined references (errors) and unreferenced definitions (warnings).
//!
//! Note ids live in their own namespace, `fn:label` and `fnref:label`: a heading slug never
//! contains `:`, so they cannot collide with headings.

use super::Problem;
use crate::error::nearest;
use pulldown_cmark::{Event, Options, Parser, Tag};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

/// Marker text standing for reference number `n` until the page's HTML is complete:
/// `dossierfootnote{n}reference`.
const MARKER_START: &str = "dossierfootnote";
const MARKER_END: &str = "reference";

/// A definition as written: its rendered content and where it is (byte offset in the page).
#[derive(Debug, Clone)]
struct Definition {
    html: String,
    offset: usize,
}

/// A reference the parser recognised, by label index, with where it was written.
#[derive(Debug, Clone, Copy)]
struct Reference {
    label: usize,
    offset: usize,
}

/// The footnotes of one page, gathered piece by piece.
#[derive(Debug, Clone, Default)]
pub struct Footnotes {
    /// Every label the page defines (lowercased, as pulldown-cmark matches labels).
    page_labels: BTreeSet<String>,
    /// Labels met so far, as first written, and their index by lowercased label.
    labels: Vec<String>,
    index: HashMap<String, usize>,
    definitions: Vec<Option<Definition>>,
    references: Vec<Reference>,
    /// Every reference written in the source, recognised or not: (label, offset in the page).
    written: Vec<(String, usize)>,
    problems: Vec<Problem>,
}

/// What [`Footnotes::finish`] gives back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Finished {
    /// The page HTML with references written and the notes section appended.
    pub html: String,
    /// Undefined references and duplicate definitions.
    pub errors: Vec<Problem>,
    /// Definitions no reference points to.
    pub warnings: Vec<Problem>,
    /// Every id written, with the offset (in the page) of the Markdown that made it.
    pub ids: Vec<(String, usize)>,
}

fn parse_options(old_syntax: bool) -> Options {
    let footnotes = if old_syntax {
        Options::ENABLE_OLD_FOOTNOTES
    } else {
        Options::ENABLE_FOOTNOTES
    };
    (super::options() - Options::ENABLE_FOOTNOTES) | footnotes
}

impl Footnotes {
    /// Prepares for a page made of `pieces` (its text and its shortcode bodies): reads every
    /// footnote label they define.
    pub fn for_page<'a>(pieces: impl IntoIterator<Item = &'a str>) -> Self {
        let mut notes = Footnotes::default();
        for piece in pieces.into_iter().filter(|p| p.contains("[^")) {
            for event in Parser::new_ext(piece, parse_options(false)) {
                if let Event::Start(Tag::FootnoteDefinition(label)) = event {
                    notes.page_labels.insert(label.to_lowercase());
                }
            }
        }
        notes
    }

    /// `source` with a stub definition of every label of the page appended, so that the parser
    /// recognises references to notes defined in another piece. The stubs are dropped again: see
    /// [`Footnotes::define`].
    pub fn with_stubs<'a>(&self, source: &'a str) -> Cow<'a, str> {
        if self.page_labels.is_empty() || !source.contains("[^") {
            return Cow::Borrowed(source);
        }
        let mut text = source.to_owned();
        for label in &self.page_labels {
            text.push_str("\n\n[^");
            text.push_str(label);
            text.push_str("]: .\n");
        }
        Cow::Owned(text)
    }

    /// Records every reference written in `source`, defined or not (`to_page` maps an offset in
    /// `source` to one in the page).
    pub fn note_written(&mut self, source: &str, to_page: &dyn Fn(usize) -> usize) {
        if !source.contains("[^") {
            return;
        }
        // The older syntax turns every `[^label]` into a reference, even one with no definition.
        for (event, range) in Parser::new_ext(source, parse_options(true)).into_offset_iter() {
            if let Event::FootnoteReference(label) = event {
                self.written.push((label.to_string(), to_page(range.start)));
            }
        }
    }

    fn label_index(&mut self, label: &str) -> usize {
        let key = label.to_lowercase();
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        self.labels.push(label.to_owned());
        self.definitions.push(None);
        self.index.insert(key, self.labels.len() - 1);
        self.labels.len() - 1
    }

    /// The marker that stands for a reference to `label` written at `offset` (in the page).
    pub fn marker(&mut self, label: &str, offset: usize) -> String {
        let label = self.label_index(label);
        self.references.push(Reference { label, offset });
        format!("{MARKER_START}{}{MARKER_END}", self.references.len() - 1)
    }

    /// Takes the definition of `label`, rendered as `html`, written at `offset` (in the page).
    pub fn define(&mut self, label: &str, html: String, offset: usize) {
        let index = self.label_index(label);
        if self.definitions[index].is_some() {
            self.problems.push(Problem {
                offset,
                message: format!("footnote `[^{label}]` is defined twice"),
                hint: "remove one of the two definitions, or give it another label".to_owned(),
            });
            return;
        }
        self.definitions[index] = Some(Definition { html, offset });
    }

    /// Numbers the notes in the order `html` refers to them, writes the references and appends
    /// the notes section; reports what is wrong.
    /// Rewrites the HTML of every note's definition with `rewrite`: the caller's shortcode
    /// placeholders sit in the notes as well as in the text.
    pub fn rewrite_definitions(&mut self, rewrite: impl Fn(&str) -> String) {
        for definition in self.definitions.iter_mut().flatten() {
            definition.html = rewrite(&definition.html);
        }
    }

    pub fn finish(mut self, html: &str) -> Finished {
        let mut errors = std::mem::take(&mut self.problems);
        let mut warnings = Vec::new();
        let written: BTreeSet<String> =
            self.written.iter().map(|(l, _)| l.to_lowercase()).collect();
        for (label, offset) in &self.written {
            if !self.page_labels.contains(&label.to_lowercase()) {
                errors.push(undefined(label, *offset, &self.defined_labels()));
            }
        }
        for (label, definition) in self.labels.iter().zip(&self.definitions) {
            if let Some(definition) = definition {
                if !written.contains(&label.to_lowercase()) {
                    warnings.push(Problem {
                        offset: definition.offset,
                        message: format!("footnote `[^{label}]` is never referred to"),
                        hint: format!("refer to it with `[^{label}]` in the text, or remove it"),
                    });
                }
            }
        }
        let mut numbering = Numbering::default();
        let mut out = self.write_references(html, &mut numbering);
        let mut items = String::new();
        let mut next = 0;
        while let Some(&label) = numbering.order.get(next) {
            next += 1;
            let Some(definition) = self.definitions[label].clone() else {
                continue;
            };
            let content = self.write_references(&definition.html, &mut numbering);
            let note_id = numbering.note_id(label, &self.labels);
            numbering.ids.push((note_id.clone(), definition.offset));
            items.push_str(&note_item(&note_id, next, &content));
        }
        if !items.is_empty() {
            out.push_str("<section class=\"footnotes\" aria-label=\"Notes\">\n<ol>\n");
            out.push_str(&items);
            out.push_str("</ol>\n</section>\n");
        }
        Finished {
            html: out,
            errors,
            warnings,
            ids: numbering.ids,
        }
    }

    /// The labels with a definition, as first written.
    fn defined_labels(&self) -> Vec<&str> {
        self.labels
            .iter()
            .zip(&self.definitions)
            .filter(|(_, d)| d.is_some())
            .map(|(l, _)| l.as_str())
            .collect()
    }

    /// `html` with every marker replaced by its numbered reference.
    fn write_references(&self, html: &str, numbering: &mut Numbering) -> String {
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some((before, number, after)) = next_marker(rest) {
            out.push_str(before);
            rest = after;
            let Some(&reference) = self.references.get(number) else {
                continue;
            };
            out.push_str(&numbering.reference(reference, &self.labels));
        }
        out.push_str(rest);
        out
    }
}

/// The error for a reference to a label nothing defines.
fn undefined(label: &str, offset: usize, defined: &[&str]) -> Problem {
    let hint = match nearest(label, defined.iter().copied()) {
        Some(best) => format!("did you mean `[^{best}]`?"),
        None => format!("define it on a line of its own: `[^{label}]: the note`"),
    };
    Problem {
        offset,
        message: format!("footnote `[^{label}]` is not defined"),
        hint,
    }
}

/// Finds the next marker: (text before it, reference number, text after it).
fn next_marker(html: &str) -> Option<(&str, usize, &str)> {
    let mut from = 0;
    while let Some(found) = html[from..].find(MARKER_START).map(|i| i + from) {
        let digits_start = found + MARKER_START.len();
        let digits = html[digits_start..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(html.len() - digits_start);
        let end = digits_start + digits;
        if digits > 0 && html[end..].starts_with(MARKER_END) {
            if let Ok(number) = html[digits_start..end].parse() {
                return Some((&html[..found], number, &html[end + MARKER_END.len()..]));
            }
        }
        from = digits_start;
    }
    None
}

/// `html` without any reference markers (for summaries and shortcode bodies shown elsewhere).
pub fn strip_markers(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some((before, _, after)) = next_marker(rest) {
        out.push_str(before);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Note numbers and ids, given in the order the references are met.
#[derive(Default)]
struct Numbering {
    /// Label indexes in the order of their first reference.
    order: Vec<usize>,
    /// Label index → (number, references so far).
    seen: HashMap<usize, (usize, usize)>,
    note_ids: HashMap<usize, String>,
    taken: BTreeSet<String>,
    ids: Vec<(String, usize)>,
}

impl Numbering {
    fn note_id(&mut self, label: usize, labels: &[String]) -> String {
        if let Some(id) = self.note_ids.get(&label) {
            return id.clone();
        }
        let slug = slug::slugify(&labels[label]);
        let base = if slug.is_empty() {
            "note".to_owned()
        } else {
            slug
        };
        let mut id = base.clone();
        let mut n = 1;
        while !self.taken.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        let id = format!("fn:{id}");
        self.note_ids.insert(label, id.clone());
        id
    }

    fn reference(&mut self, reference: Reference, labels: &[String]) -> String {
        let next_number = self.order.len() + 1;
        let (number, count) = self.seen.entry(reference.label).or_insert((next_number, 0));
        *count += 1;
        let (number, count) = (*number, *count);
        if number == next_number && count == 1 {
            self.order.push(reference.label);
        }
        let note_id = self.note_id(reference.label, labels);
        let name = &note_id["fn:".len()..];
        let ref_id = if count == 1 {
            format!("fnref:{name}")
        } else {
            format!("fnref:{name}-{count}")
        };
        self.ids.push((ref_id.clone(), reference.offset));
        format!(
            "<sup class=\"footnote-ref\"><a href=\"#{note_id}\" id=\"{ref_id}\" aria-label=\"Note {number}\">{number}</a></sup>"
        )
    }
}

/// One item of the notes list, with a link back to the first reference.
fn note_item(note_id: &str, number: usize, content: &str) -> String {
    let name = &note_id["fn:".len()..];
    let back = format!(
        " <a class=\"footnote-backref\" href=\"#fnref:{name}\" aria-label=\"Back to reference {number}\">↩</a>"
    );
    let content = content.trim_end();
    let body = match content.strip_suffix("</p>") {
        Some(inside) => format!("{inside}{back}</p>"),
        None => format!("{content}\n<p>{}</p>", back.trim_start()),
    };
    format!("<li id=\"{note_id}\" class=\"footnote-definition\">\n{body}\n</li>\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_found_and_stripped() {
        let html = "a dossierfootnote12reference b dossierfootnotexreference c";
        assert_eq!(next_marker(html).map(|(b, n, _)| (b, n)), Some(("a ", 12)));
        assert_eq!(strip_markers(html), "a  b dossierfootnotexreference c");
    }

    #[test]
    fn notes_are_numbered_and_listed_in_reference_order() {
        let mut notes = Footnotes::for_page(["[^b]: B\n\n[^a]: A\n"]);
        notes.note_written("x[^a] y[^b] z[^a]", &|o| o);
        let first = notes.marker("a", 1);
        let second = notes.marker("b", 7);
        let third = notes.marker("a", 13);
        notes.define("b", "<p>B</p>\n".into(), 20);
        notes.define("a", "<p>A</p>\n".into(), 30);
        let done = notes.finish(&format!("<p>x{first} y{second} z{third}</p>\n"));
        assert_eq!(
            done.html,
            "<p>x<sup class=\"footnote-ref\"><a href=\"#fn:a\" id=\"fnref:a\" aria-label=\"Note 1\">1</a></sup> \
y<sup class=\"footnote-ref\"><a href=\"#fn:b\" id=\"fnref:b\" aria-label=\"Note 2\">2</a></sup> \
z<sup class=\"footnote-ref\"><a href=\"#fn:a\" id=\"fnref:a-2\" aria-label=\"Note 1\">1</a></sup></p>\n\
<section class=\"footnotes\" aria-label=\"Notes\">\n<ol>\n\
<li id=\"fn:a\" class=\"footnote-definition\">\n<p>A <a class=\"footnote-backref\" href=\"#fnref:a\" aria-label=\"Back to reference 1\">↩</a></p>\n</li>\n\
<li id=\"fn:b\" class=\"footnote-definition\">\n<p>B <a class=\"footnote-backref\" href=\"#fnref:b\" aria-label=\"Back to reference 2\">↩</a></p>\n</li>\n\
</ol>\n</section>\n"
        );
        assert!(done.errors.is_empty() && done.warnings.is_empty());
        let ids: Vec<&str> = done.ids.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["fnref:a", "fnref:b", "fnref:a-2", "fn:a", "fn:b"]);
    }

    #[test]
    fn undefined_references_and_unused_definitions_are_reported() {
        let mut notes = Footnotes::for_page(["[^cost]: C\n\n[^spare]: S\n"]);
        notes.note_written("a [^cots] b [^cost]", &|o| o + 100);
        notes.define("cost", "<p>C</p>".into(), 5);
        notes.define("spare", "<p>S</p>".into(), 9);
        let done = notes.finish("");
        assert_eq!(
            done.errors,
            [Problem {
                offset: 102,
                message: "footnote `[^cots]` is not defined".into(),
                hint: "did you mean `[^cost]`?".into(),
            }]
        );
        assert_eq!(
            done.warnings,
            [Problem {
                offset: 9,
                message: "footnote `[^spare]` is never referred to".into(),
                hint: "refer to it with `[^spare]` in the text, or remove it".into(),
            }]
        );
    }
}
