//! What pages make of the sources: the citations and timeline events found in a body, the
//! per-page list of sources (`page.sources`), and the site-wide listings behind the template
//! functions `sources()`, `source(id=…)` and `timeline()`. All typed for templates.

use super::{Registry, Source};
use crate::render::context::Link;
use serde::Serialize;

/// One citation on a page: a `cite` call, or a quotation or event tied to a source.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Citation {
    /// The source's id.
    pub source: String,
    /// The source's number on this page (its place in the order of first citation).
    pub number: usize,
    /// The citation's own anchor (`cite-3`).
    pub id: String,
    /// Where in the source (`at=`), if given.
    pub at: Option<String>,
}

/// A citation as listed under its source: its anchor and locator.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CitationRef {
    pub id: String,
    /// `page-url#cite-3`.
    pub url: String,
    pub at: Option<String>,
}

/// `page.sources`: a source used on the page, with its number and the citations of it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PageSource {
    pub number: usize,
    /// The anchor of the entry in the page's list (`source-1`).
    pub anchor: String,
    #[serde(flatten)]
    pub source: Source,
    pub citations: Vec<CitationRef>,
}

/// A page that cites a source, with the citations.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CitingPage {
    pub title: String,
    pub url: String,
    pub citations: Vec<CitationRef>,
}

/// An entry of `sources()`: a source with every page that cites it, in reading order.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SourceListing {
    #[serde(flatten)]
    pub source: Source,
    pub cited_on: Vec<CitingPage>,
}

/// One timeline event, told on a page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Event {
    pub id: String,
    pub title: String,
    /// The date as written (`2025-08-15` or an RFC 3339 date-time).
    pub date: Option<String>,
    /// The position in a sequence, for an event whose date is unknown.
    pub seq: Option<i64>,
    /// The date for display (`2025-08-15`, `2025-08-15 10:30 -08:00`).
    pub when: Option<String>,
    pub body_html: String,
    pub source: Option<String>,
    pub at: Option<String>,
    /// Where the event is told: `page-url#event-1`.
    pub url: String,
    pub page: Link,
    /// The order of a dated event (see [`crate::sources::date::When::sort_key`]).
    #[serde(skip)]
    pub instant: Option<(i64, i64)>,
}

/// The per-page list of sources, in citation-number order.
pub fn page_sources(
    registry: &Registry,
    page_url: &str,
    citations: &[Citation],
) -> Vec<PageSource> {
    let mut list: Vec<PageSource> = Vec::new();
    for citation in citations {
        let reference = CitationRef {
            id: citation.id.clone(),
            url: format!("{page_url}#{}", citation.id),
            at: citation.at.clone(),
        };
        if let Some(entry) = list.iter_mut().find(|s| s.number == citation.number) {
            entry.citations.push(reference);
            continue;
        }
        let Ok(found) = registry.lookup(&citation.source) else {
            continue;
        };
        list.push(PageSource {
            number: citation.number,
            anchor: format!("source-{}", citation.number),
            source: found.source.clone(),
            citations: vec![reference],
        });
    }
    list.sort_by_key(|s| s.number);
    list
}

/// `sources()`: every source in file order, each with the pages (in reading order) citing it.
pub fn listings(registry: &Registry, pages: &[(&Link, &[Citation])]) -> Vec<SourceListing> {
    registry
        .iter()
        .map(|entry| {
            let id = &entry.source.id;
            let cited_on = pages
                .iter()
                .filter_map(|(page, citations)| {
                    let refs: Vec<CitationRef> = citations
                        .iter()
                        .filter(|c| &c.source == id)
                        .map(|c| CitationRef {
                            id: c.id.clone(),
                            url: format!("{}#{}", page.url, c.id),
                            at: c.at.clone(),
                        })
                        .collect();
                    (!refs.is_empty()).then(|| CitingPage {
                        title: page.title.clone(),
                        url: page.url.clone(),
                        citations: refs,
                    })
                })
                .collect();
            SourceListing {
                source: entry.source.clone(),
                cited_on,
            }
        })
        .collect()
}

/// `timeline()`: dated events first, by date (see `When::sort_key`); then events with only a
/// `seq`, by `seq`. Ties keep reading order.
pub fn timeline(mut events: Vec<Event>) -> Vec<Event> {
    events.sort_by_key(|e| match (e.instant, e.seq) {
        (Some(instant), _) => (0, instant),
        (None, seq) => (1, (seq.unwrap_or(0), 0)),
    });
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(title: &str, instant: Option<i64>, seq: Option<i64>) -> Event {
        let instant = instant.map(|i| (i, 0));
        Event {
            id: title.into(),
            title: title.into(),
            date: None,
            seq,
            when: None,
            body_html: String::new(),
            source: None,
            at: None,
            url: String::new(),
            page: Link {
                title: String::new(),
                url: String::new(),
            },
            instant,
        }
    }

    #[test]
    fn dated_events_come_first_in_time_order_then_sequenced_ones() {
        let order = timeline(vec![
            event("s2", None, Some(2)),
            event("late", Some(50), None),
            event("s1", None, Some(1)),
            event("early", Some(10), None),
            event("s1-again", None, Some(1)),
        ]);
        let titles: Vec<_> = order.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["early", "late", "s1", "s1-again", "s2"]);
    }
}
