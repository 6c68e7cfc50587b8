//! `dossier serve`: builds the site into memory, serves it on loopback, rebuilds on every change
//! and tells the browsers: the
//! server's half of it (the command's wiring is `cmd/serve.rs`).
//!
//! All live state is one [`ServerState`], shared by the HTTP handlers and the rebuild thread: the
//! [`ServedSite`] (swapped whole behind an `Arc`, so a request sees one build from start to end),
//! the build status and the live-reload channel. The rebuild thread is `watch`'s loop; this
//! module only decides what a finished build means for the browsers: swap the site in first,
//! then say `reload`, `css`, `failed` or `fixed`. Nothing is written to the output folder.
//!
//! This module must not re-implement any part of the build, and it prints nothing: `cmd/serve.rs`
//! runs it and talks to the terminal.

pub mod accept;
pub mod http;
mod inject;
mod live;
mod site;

use crate::error::Diagnostics;
use crate::watch::RebuildOutcome;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
pub use http::{output_path, Refused};
use live::Live;
use serde::Serialize;
pub use site::{Served, ServedSite};
use std::sync::{Arc, Mutex, RwLock};

/// What `/__dossier/status` reports.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Status {
    /// Builds finished so far, failed ones included.
    pub builds: u64,
    /// A rebuild is running.
    pub busy: bool,
    /// The messages of the last build, if it failed.
    pub error: Option<String>,
}

/// Everything the server and the rebuild thread share.
pub struct ServerState {
    site: RwLock<Arc<ServedSite>>,
    status: Mutex<Status>,
    live: tokio::sync::broadcast::Sender<Live>,
}

impl Default for ServerState {
    fn default() -> Self {
        ServerState {
            site: RwLock::default(),
            status: Mutex::default(),
            live: tokio::sync::broadcast::channel(64).0,
        }
    }
}

impl ServerState {
    /// The site being served now.
    pub fn site(&self) -> Arc<ServedSite> {
        self.site
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub fn status(&self) -> Status {
        self.status
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn update_status(&self, f: impl FnOnce(&mut Status)) -> Status {
        let mut status = self
            .status
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut status);
        status.clone()
    }

    /// A rebuild has started.
    pub fn building(&self) {
        self.update_status(|s| s.busy = true);
    }

    /// A build finished: swap the site in, then tell the browsers.
    pub fn finished(&self, outcome: &RebuildOutcome) {
        match outcome {
            RebuildOutcome::Built(rebuilt) => {
                let next = Arc::new(self.site().next(&rebuilt.snapshot, &rebuilt.diff));
                *self
                    .site
                    .write()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = next;
                let mut was_broken = false;
                let status = self.update_status(|s| {
                    s.builds += 1;
                    s.busy = false;
                    was_broken = s.error.take().is_some();
                });
                let build = status.builds;
                if was_broken {
                    let _ = self.live.send(Live::Fixed { build });
                }
                let diff = &rebuilt.diff;
                let only_css =
                    diff.removed.is_empty() && diff.changed.iter().all(|p| p.ends_with(".css"));
                if only_css && !diff.changed.is_empty() {
                    let paths = diff.changed.iter().map(|p| format!("/{p}")).collect();
                    let _ = self.live.send(Live::Css { build, paths });
                } else if !diff.is_empty() {
                    let _ = self.live.send(Live::Reload { build });
                }
            }
            RebuildOutcome::Failed(diagnostics) => {
                let text = plain_text(diagnostics);
                let status = self.update_status(|s| {
                    s.builds += 1;
                    s.busy = false;
                    s.error = Some(text.clone());
                });
                let _ = self.live.send(Live::Failed {
                    build: status.builds,
                    text,
                });
            }
        }
    }
}

/// What a browser gets before the first build has succeeded: the script (so the errors show and
/// the page reloads once the site builds) and a word of explanation.
fn not_built_page() -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>dossier: the site does not build yet</title>\n</head>\n<body>\n<p>The site does not build yet. Fix the errors shown in the terminal; this page reloads by itself.</p>\n{}</body>\n</html>\n",
        inject::tag("")
    );
    let headers = [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    (StatusCode::SERVICE_UNAVAILABLE, headers, html).into_response()
}

/// The diagnostics of a failed build as plain text, exactly as the terminal shows them without
/// colour (for the browser overlay).
pub fn plain_text(diagnostics: &Diagnostics) -> String {
    diagnostics.iter().map(|d| format!("{d}\n")).collect()
}
