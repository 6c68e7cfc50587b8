//! The live-reload channel: Server-Sent Events at `/__dossier/events`. Each page's script
//! connects with its path and the version it was built from; the server answers at once if that
//! page is already out of date or the site is broken, then forwards every [`Live`] message the
//! rebuild loop sends. Messages go out only after the new site is swapped in.

use super::ServerState;
use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use serde::Deserialize;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

/// What the browsers are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Live {
    /// Pages changed: reload.
    Reload { build: u64 },
    /// Only stylesheets changed: swap them in place.
    Css { build: u64, paths: Vec<String> },
    /// The last rebuild failed: show these messages over the page.
    Failed { build: u64, text: String },
    /// The site builds again: hide the messages.
    Fixed { build: u64 },
}

impl Live {
    fn event(&self) -> Event {
        let (name, data) = match self {
            Live::Reload { build } => ("reload", serde_json::json!({ "build": build })),
            Live::Css { build, paths } => {
                ("css", serde_json::json!({ "build": build, "paths": paths }))
            }
            Live::Failed { build, text } => (
                "failed",
                serde_json::json!({ "build": build, "text": text }),
            ),
            Live::Fixed { build } => ("fixed", serde_json::json!({ "build": build })),
        };
        Event::default().event(name).data(data.to_string())
    }
}

#[derive(Debug, Deserialize)]
pub struct Hello {
    #[serde(default)]
    path: String,
    #[serde(default)]
    version: String,
}

/// `GET /__dossier/events`.
pub async fn events(
    State(state): State<Arc<ServerState>>,
    Query(hello): Query<Hello>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before looking at the state, so nothing published in between is missed.
    let updates = BroadcastStream::new(state.live.subscribe());
    let status = state.status();
    let site = state.site();
    let mut first = vec![Event::default()
        .event("hello")
        .retry(Duration::from_millis(500))
        .data(serde_json::json!({ "build": status.builds }).to_string())];
    let build = status.builds;
    first.push(
        match status.error {
            Some(text) => Live::Failed { build, text },
            None => Live::Fixed { build },
        }
        .event(),
    );
    if site.ready && !hello.version.is_empty() {
        let current = super::http::lookup_version(&site, &hello.path);
        if current.as_deref() != Some(hello.version.as_str()) {
            first.push(Live::Reload { build }.event());
        }
    }
    let updates = updates.map(|update| match update {
        Ok(live) => live.event(),
        // Fell behind: whatever was missed, a reload catches up.
        Err(_) => Live::Reload { build: 0 }.event(),
    });
    let stream = tokio_stream::iter(first).chain(updates).map(Ok);
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(10)))
}
