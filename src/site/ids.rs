//! Duplicate ids on finished pages. Two elements with one id break `#anchor` links and
//! assistive technology, wherever they come from: headings, footnotes, shortcodes or templates.
//! Each duplicate is reported once per page, naming every place that wrote it.

use super::bodies::Body;
use crate::content::{Library, Page};
use crate::error::{line_column, Diagnostic};
use crate::links::html::Scan;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, LazyLock};

/// An id written by a page's body, and what wrote it where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdOrigin {
    pub id: String,
    /// Byte offset in the page's file of the heading, footnote or shortcode call.
    pub offset: usize,
    /// What wrote it: "a heading", "a footnote", "shortcode `name`" (shared by the ids one
    /// shortcode call writes; every page holds these until its page is written).
    pub what: Arc<str>,
}

/// What wrote the ids of headings and footnotes, shared by all of them.
static HEADING: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from("a heading"));
static FOOTNOTE: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from("a footnote"));

impl IdOrigin {
    pub fn new(id: &str, offset: usize, what: Arc<str>) -> Self {
        IdOrigin {
            id: id.to_owned(),
            offset,
            what,
        }
    }

    /// The id of a heading at `offset`.
    pub fn heading(id: &str, offset: usize) -> Self {
        IdOrigin::new(id, offset, HEADING.clone())
    }

    /// The id of a footnote at `offset`.
    pub fn footnote(id: &str, offset: usize) -> Self {
        IdOrigin::new(id, offset, FOOTNOTE.clone())
    }

    /// The origins of `ids`, all written by `what` at `offset`.
    pub fn all<'a>(
        ids: &'a crate::links::strings::StrList,
        offset: usize,
        what: &str,
    ) -> impl Iterator<Item = Self> + 'a {
        let what: Arc<str> = Arc::from(what);
        ids.iter()
            .map(move |id| IdOrigin::new(id, offset, what.clone()))
    }
}

/// One error for every id written more than once on a page.
pub(super) fn duplicate_ids(
    library: &Library,
    bodies: &[Arc<Body>],
    scans: &BTreeMap<String, Arc<Scan>>,
    template_of: &HashMap<String, String>,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    // Usually none: then no page is looked up.
    if scans.values().all(|scan| scan.duplicate_ids.is_empty()) {
        return found;
    }
    for page in &library.pages {
        let Some(scan) = scans.get(page.output.as_str()) else {
            continue;
        };
        let template = template_of
            .get(page.output.as_str())
            .map_or("", String::as_str);
        for (id, places) in &scan.duplicate_ids {
            found.push(duplicate(
                page,
                &bodies[page.id],
                template,
                id,
                places.len(),
            ));
        }
    }
    found
}

fn duplicate(page: &Page, body: &Body, template: &str, id: &str, count: usize) -> Diagnostic {
    let origins: Vec<&IdOrigin> = body.id_origins.iter().filter(|o| o.id == id).collect();
    let mut places: Vec<String> = origins
        .iter()
        .map(|o| {
            let (line, _) = line_column(&page.text, o.offset);
            format!("{} at line {line}", o.what)
        })
        .collect();
    let from_template = count.saturating_sub(origins.len());
    if from_template > 0 {
        let times = if from_template == 1 {
            String::new()
        } else {
            format!(" {from_template} times")
        };
        places.push(format!(
            "templates/{template} (or a template it uses){times}"
        ));
    }
    let on = if origins.is_empty() {
        page.shown.display().to_string()
    } else {
        "this page".to_owned()
    };
    let message = format!(
        "the id `{id}` appears {count} times on {on}: {}",
        places.join(", ")
    );
    let hint = "an id must be unique on its page: give a heading its own with `{#other-id}`, or \
                change what the shortcode or template writes";
    match origins.first() {
        Some(first) => Diagnostic::error(&page.shown, message)
            .at_offset(&page.text, first.offset)
            .with_hint(hint),
        None => Diagnostic::error(Path::new("templates").join(template), message).with_hint(hint),
    }
}
