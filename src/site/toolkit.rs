//! The explainer toolkit's shortcodes, as the body pass meets them: `cite` and `event` are built
//! in (a site may restyle them with `templates/shortcodes/cite.html` or `event.html`), and a
//! `quote` with a `source` is verified against that source's text before its template renders.
//! Keeps the per-page state: citation numbers in order of first citation, events, and the
//! quotations that could not be verified.

use crate::content::{Page, PageId};
use crate::markdown::escape_attribute;
use crate::render::context::Link;
use crate::shortcodes::Call;
use crate::sources::cited::{Citation, Event};
use crate::sources::date::{When, DATE_HINT};
use crate::sources::verify::verify;
use crate::sources::Registry;
use serde_json::Value;

/// A message and a hint, placed at the call by the caller.
pub type CallError = (String, String);

/// What the toolkit found on one page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageToolkit {
    /// Source ids in the order they were first cited: a source's number is its place here + 1.
    cited: Vec<String>,
    pub citations: Vec<Citation>,
    pub events: Vec<Event>,
    /// For each quotation that could not be verified because its source's text is absent, the
    /// source's id.
    pub unverified: Vec<String>,
}

/// What a toolkit shortcode adds to its call: its own HTML when built in, the variables its
/// template sees, and the id it goes by.
#[derive(Default)]
pub struct Prepared {
    pub builtin_html: Option<String>,
    pub vars: Vec<(&'static str, Value)>,
    pub id: Option<String>,
    /// The anchor of the citation this call made, if any: a site's template that leaves it out
    /// makes no citation (see [`PageToolkit::keep_if_shown`]).
    pub citation: Option<String>,
}

fn text_arg<'a>(call: &'a Call, name: &str) -> Result<Option<&'a str>, CallError> {
    match call.args.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err((
            format!("`{name}` of `{}` must be text, not {other}", call.name),
            format!("put the value in quotes: {name}=\"…\""),
        )),
    }
}

impl PageToolkit {
    /// Nothing cited, no event, no quotation left unverified.
    pub fn is_empty(&self) -> bool {
        self.cited.is_empty()
            && self.citations.is_empty()
            && self.events.is_empty()
            && self.unverified.is_empty()
    }

    /// Prepares `call` if it is one of the toolkit's, else returns nothing to add.
    pub fn prepare(
        &mut self,
        page: &Page,
        call: &Call,
        registry: &Registry,
        body_html: Option<&str>,
    ) -> Result<Prepared, CallError> {
        match call.name.as_str() {
            "cite" => self.cite(call, registry),
            "event" => self.event(page, call, registry, body_html.unwrap_or_default()),
            "quote" if call.args.contains_key("source") => self.quote(call, registry),
            _ => Ok(Prepared::default()),
        }
    }

    /// Registers a citation of `source` and returns it with its built-in HTML.
    fn cite_source(
        &mut self,
        source: &str,
        at: Option<&str>,
        registry: &Registry,
    ) -> Result<(Citation, String), CallError> {
        let found = registry.lookup(source)?;
        let number = match self.cited.iter().position(|s| s == source) {
            Some(i) => i + 1,
            None => {
                self.cited.push(source.to_owned());
                self.cited.len()
            }
        };
        let citation = Citation {
            source: source.to_owned(),
            number,
            id: format!("cite-{}", self.citations.len() + 1),
            at: at.map(str::to_owned),
        };
        self.citations.push(citation.clone());
        let title = &found.source.title;
        let label = match at {
            Some(at) => format!("Source {number}: {title}, {at}"),
            None => format!("Source {number}: {title}"),
        };
        let html = format!(
            "<sup class=\"cite\"><a href=\"#source-{number}\" id=\"{}\" aria-label=\"{}\">[{number}]</a></sup>",
            citation.id,
            escape_attribute(&label)
        );
        Ok((citation, html))
    }

    fn cite(&mut self, call: &Call, registry: &Registry) -> Result<Prepared, CallError> {
        let Some(source) = text_arg(call, "source")? else {
            return Err((
                "`cite` needs a `source`".to_owned(),
                "name the id of an entry of sources.yaml: {{ cite(source=\"article\", at=\"…\") }}"
                    .to_owned(),
            ));
        };
        let at = text_arg(call, "at")?;
        let (citation, html) = self.cite_source(source, at, registry)?;
        let found = registry.lookup(source)?;
        Ok(Prepared {
            citation: Some(citation.id.clone()),
            vars: vec![
                ("number", citation.number.into()),
                ("href", format!("#source-{}", citation.number).into()),
                (
                    "source",
                    serde_json::to_value(&found.source).unwrap_or_default(),
                ),
            ],
            id: Some(citation.id),
            builtin_html: Some(html),
        })
    }

    fn quote(&mut self, call: &Call, registry: &Registry) -> Result<Prepared, CallError> {
        let source = text_arg(call, "source")?.unwrap_or_default();
        let found = registry.lookup(source)?;
        let quotation = plain_text(call.body.as_deref().unwrap_or_default());
        match (&found.text, &found.text_path) {
            (Some(text), path) => verify(&quotation, text).map_err(|m| {
                let message = match &m.source_word {
                    _ if m.misplaced => format!(
                        "the quotation differs from source `{source}`: its words are there, but not in this order"
                    ),
                    Some(word) => format!(
                        "the quotation differs from source `{source}` at “{}”: the source has “{word}”",
                        m.quote_word
                    ),
                    None => format!(
                        "the quotation differs from source `{source}` at “{}”",
                        m.quote_word
                    ),
                };
                let path = path.as_deref().unwrap_or_default();
                let hint = format!(
                    "the closest passage ({path}:{}) reads: “{}”",
                    m.line, m.passage
                );
                (message, hint)
            })?,
            (None, Some(_)) => self.unverified.push(source.to_owned()),
            (None, None) => {}
        }
        let at = text_arg(call, "at")?;
        let (citation, html) = self.cite_source(source, at, registry)?;
        Ok(Prepared {
            citation: Some(citation.id),
            vars: vec![
                ("citation", html.into()),
                ("source_title", found.source.title.clone().into()),
            ],
            id: None,
            builtin_html: None,
        })
    }

    fn event(
        &mut self,
        page: &Page,
        call: &Call,
        registry: &Registry,
        body_html: &str,
    ) -> Result<Prepared, CallError> {
        let title = text_arg(call, "title")?.filter(|t| !t.trim().is_empty());
        let Some(title) = title else {
            return Err((
                "an event needs a `title`".to_owned(),
                "write {% event(date=\"2025-08-15\", title=\"…\") %}…{% end %}".to_owned(),
            ));
        };
        let date = text_arg(call, "date")?;
        let seq = match call.args.get("seq") {
            None => None,
            Some(Value::Number(n)) if n.is_i64() => n.as_i64(),
            Some(other) => {
                return Err((
                    format!("`seq` must be a whole number, not {other}"),
                    "number events whose date is unknown in order: seq=1, seq=2, …".to_owned(),
                ))
            }
        };
        let when = match (date, seq) {
            (Some(_), Some(_)) => {
                return Err((
                    "an event takes `date` or `seq`, not both".to_owned(),
                    "keep `date` when the date is known; `seq` orders events whose date is unknown"
                        .to_owned(),
                ))
            }
            (None, None) => {
                return Err((
                    "an event needs a `date` or a `seq`".to_owned(),
                    format!("{DATE_HINT}, or give its place in a sequence with seq=1"),
                ))
            }
            (Some(date), None) => Some(When::parse(date).map_err(|m| (m, DATE_HINT.to_owned()))?),
            (None, Some(_)) => None,
        };
        let id = format!("event-{}", self.events.len() + 1);
        let source = text_arg(call, "source")?;
        let at = text_arg(call, "at")?;
        let (citation, citation_html) = match source {
            Some(source) => {
                let (citation, html) = self.cite_source(source, at, registry)?;
                (Some(citation.id), html)
            }
            None => (None, String::new()),
        };
        let shown_when = when.as_ref().map(display);
        let event = Event {
            id: id.clone(),
            title: title.to_owned(),
            date: date.map(str::to_owned),
            seq,
            when: shown_when.clone(),
            // Footnote references are numbered on this page only; `timeline()` leaves them out.
            body_html: crate::markdown::footnotes::strip_markers(body_html),
            source: source.map(str::to_owned),
            at: at.map(str::to_owned),
            url: format!("{}#{id}", page.url),
            page: Link {
                title: page.title.clone(),
                url: page.url.to_string(),
            },
            instant: when.as_ref().map(When::sort_key),
        };
        let html = event_html(&event, body_html, &citation_html);
        self.events.push(event);
        Ok(Prepared {
            vars: vec![
                ("when", shown_when.map_or(Value::Null, Value::String)),
                ("citation", citation_html.into()),
            ],
            id: Some(id),
            builtin_html: Some(html),
            citation,
        })
    }

    /// Forgets the citation `prepared` made unless `html`, what the call rendered, shows its
    /// anchor: a site's template may leave the citation out, and then nothing links to it.
    pub fn keep_if_shown(&mut self, prepared: &Prepared, html: &str) {
        let Some(id) = &prepared.citation else {
            return;
        };
        if html.contains(&format!("id=\"{id}\"")) {
            return;
        }
        let Some(i) = self.citations.iter().position(|c| &c.id == id) else {
            return;
        };
        let dropped = self.citations.remove(i);
        if !self.citations.iter().any(|c| c.source == dropped.source) {
            self.cited.retain(|s| s != &dropped.source);
        }
    }
}

fn display(when: &When) -> String {
    match when {
        When::Day(_) => when.day(),
        When::Moment(moment) => moment.format("%Y-%m-%d %H:%M %:z").to_string(),
    }
}

fn event_html(event: &Event, body_html: &str, citation: &str) -> String {
    let title = escape_attribute(&event.title);
    let when = match (&event.date, &event.when) {
        (Some(date), Some(shown)) => format!(
            "<p class=\"event-when\"><time datetime=\"{}\">{}</time></p>",
            escape_attribute(date.trim()),
            escape_attribute(shown)
        ),
        _ => String::new(),
    };
    format!(
        "<section class=\"event\" id=\"{id}\" aria-labelledby=\"{id}-title\">\n<h3 id=\"{id}-title\">{title}</h3>\n{when}\n<div class=\"event-body\">{body}</div>{citation}\n</section>",
        id = event.id,
        body = body_html.trim(),
    )
}

/// The words of a Markdown quotation, without its markup.
fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event as Md, Parser};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Md::Text(t) | Md::Code(t) => out.push_str(&t),
            Md::SoftBreak | Md::HardBreak | Md::End(_) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// What `sources()` and `timeline()` answer, made once all bodies are rendered.
pub fn site_listings(
    library: &crate::content::Library,
    bodies: &[std::sync::Arc<super::bodies::Body>],
    registry: &Registry,
) -> crate::render::functions::ToolkitIndex {
    // Only pages that cite something are listed: a site of 10,000 pages makes no name for
    // the others on every rebuild.
    let links: Vec<(Link, PageId)> = library
        .reading_order
        .iter()
        .filter(|&&id| !bodies[id].toolkit.citations.is_empty())
        .map(|&id| {
            let page = &library.pages[id];
            let link = Link {
                title: page.title.clone(),
                url: page.url.to_string(),
            };
            (link, id)
        })
        .collect();
    let pages: Vec<(&Link, &[Citation])> = links
        .iter()
        .map(|(link, id)| (link, bodies[*id].toolkit.citations.as_slice()))
        .collect();
    let events = library
        .reading_order
        .iter()
        .flat_map(|&id| bodies[id].toolkit.events.iter().cloned())
        .collect();
    crate::render::functions::ToolkitIndex {
        sources: crate::sources::cited::listings(registry, &pages),
        timeline: crate::sources::cited::timeline(events),
    }
}

/// The one line that says how many quotations were not verified because a text is absent.
pub fn unverified_warning(
    library: &crate::content::Library,
    bodies: &[std::sync::Arc<super::bodies::Body>],
    registry: &Registry,
) -> Option<crate::error::Diagnostic> {
    let mut sources: Vec<&str> = Vec::new();
    let mut count = 0;
    for &id in &library.reading_order {
        for source in &bodies[id].toolkit.unverified {
            count += 1;
            if !sources.contains(&source.as_str()) {
                sources.push(source);
            }
        }
    }
    if count == 0 {
        return None;
    }
    let absent: Vec<String> = sources
        .iter()
        .filter_map(|id| {
            let entry = registry.lookup(id).ok()?;
            Some(format!(
                "`{id}` ({})",
                entry.text_path.as_deref().unwrap_or_default()
            ))
        })
        .collect();
    let (quotations, texts) = match (count, absent.len()) {
        (1, _) => ("1 quotation was", "the text of source"),
        (_, 1) => ("quotations were", "the text of source"),
        _ => ("quotations were", "the texts of sources"),
    };
    let quotations = if count == 1 {
        quotations.to_owned()
    } else {
        format!("{count} {quotations}")
    };
    let verb = if absent.len() == 1 { "is" } else { "are" };
    Some(crate::error::Diagnostic::warning(
        crate::sources::SOURCES_FILE,
        format!(
            "{quotations} not verified: {texts} {} {verb} absent",
            absent.join(", ")
        ),
    ))
}
