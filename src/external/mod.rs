//! `dossier check --external`: asks every other site the built pages link to whether the page is
//! still there ([`fetch`]), with answers kept on disk between runs ([`cache`]), and reports each
//! dead link where it was written ([`found`]), with an archived copy to link to instead
//! ([`archive`]). Only the `check` command calls this: a build never touches the network.

mod archive;
mod cache;
mod fetch;
mod found;

pub use cache::CACHE_DIR;

use crate::error::{Diagnostic, Diagnostics};
use crate::output::SiteFiles;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::time::Duration;

/// How to check.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Longest wait for one request (redirects included).
    pub timeout: Duration,
    /// Shortest time between two requests to the same host.
    pub host_delay: Duration,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// How long a kept answer is trusted.
    pub max_age: Duration,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            timeout: Duration::from_secs(10),
            host_delay: Duration::from_millis(500),
            concurrency: 8,
            max_age: Duration::from_secs(7 * 86_400),
        }
    }
}

/// What another site said about a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Answer {
    /// The page is there (2xx, or a login or rate limit in the way).
    Alive,
    /// The page is there, at another address (a 301 or 308 first).
    Moved { to: String },
    /// The server says the page is not there (4xx) or broke (5xx).
    Dead { status: u16 },
    /// No answer: a timeout, a refused connection, a host that does not exist.
    Failed { reason: String },
}

/// The outcome of `check --external`.
#[derive(Debug, Default)]
pub struct ExternalReport {
    /// Dead links (errors) and moved ones (warnings), each where it was written.
    pub diagnostics: Diagnostics,
    /// Distinct URLs checked.
    pub links: usize,
    /// Of those, how many were asked over the network (the rest came from the cache).
    pub requested: usize,
}

/// Checks every external link of the built site `files` of the site at `root`.
pub fn check(
    root: &Path,
    files: &SiteFiles,
    base_url: Option<&str>,
    options: &ExternalOptions,
) -> ExternalReport {
    let links = found::external_links(files, base_url);
    let mut cache = cache::AnswerCache::load(root);
    let mut answers: BTreeMap<String, Answer> = BTreeMap::new();
    let mut to_ask = Vec::new();
    for url in links.keys() {
        match cache.fresh(url, options.max_age) {
            Some(answer) => {
                answers.insert(url.clone(), answer.clone());
            }
            None => to_ask.push(url.clone()),
        }
    }
    for (url, answer) in fetch::check_all(&to_ask, options) {
        cache.keep(&url, &answer);
        answers.insert(url, answer);
    }
    let mut diagnostics = Diagnostics::new();
    if let Err(e) = cache.save() {
        diagnostics.push(Diagnostic::warning(
            Path::new(CACHE_DIR),
            format!("cannot keep the answers for next time: {e}"),
        ));
    }
    let sources = found::Sources::read(root);
    let copies = archive::archived_copies(root);
    for (url, answer) in &answers {
        for diagnostic in report(url, answer, &links[url], &sources, &copies) {
            diagnostics.push(diagnostic);
        }
    }
    ExternalReport {
        diagnostics: diagnostics.sorted(),
        links: links.len(),
        requested: to_ask.len(),
    }
}

/// `404 Not Found`, or the bare number for a status with no standard name.
fn status_text(status: u16) -> String {
    let reason = ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|code| code.canonical_reason());
    reason.map_or_else(|| status.to_string(), |reason| format!("{status} {reason}"))
}

/// The messages for one link, one per place it was written (or per page, when it was made by
/// something other than a Markdown file or a template).
fn report(
    url: &str,
    answer: &Answer,
    pages: &BTreeSet<String>,
    sources: &found::Sources,
    copies: &HashMap<String, String>,
) -> Vec<Diagnostic> {
    let (error, message, hint) = match answer {
        Answer::Alive => return Vec::new(),
        Answer::Moved { to } => (
            false,
            format!("`{url}` has moved permanently to `{to}`"),
            "link to the new address".to_owned(),
        ),
        Answer::Dead { status } => (
            true,
            format!("dead link: `{url}` answered {}", status_text(*status)),
            archive::hint(url, copies),
        ),
        Answer::Failed { reason } => (
            true,
            format!("dead link: `{url}` {reason}"),
            archive::hint(url, copies),
        ),
    };
    let make = |path: &Path, message: String| {
        let diagnostic = if error {
            Diagnostic::error(path, message)
        } else {
            Diagnostic::warning(path, message)
        };
        diagnostic.with_hint(hint.clone())
    };
    let places = sources.places(url);
    if places.is_empty() {
        let on = pages.iter().cloned().collect::<Vec<_>>().join(", ");
        return vec![make(Path::new(""), format!("{message} (on {on})"))];
    }
    places
        .into_iter()
        .map(|place| make(&place.path, message.clone()).at_offset(&place.text, place.offset))
        .collect()
}
