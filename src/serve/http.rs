//! The dev server's HTTP side (axum): files of the current [`ServedSite`] by URL, the reserved
//! `/__dossier/` endpoints, and the site's own `404.html`. Only files of the built output are
//! ever sent: the server reads nothing from disk, and request paths with `..`, `.`, backslashes
//! or NUL, plainly, percent-encoded or double-encoded, are refused before any lookup.

use super::inject::{SCRIPT, SCRIPT_PATH};
use super::site::{Served, ServedSite};
use super::{live, ServerState};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

/// The routes of the dev server.
pub fn router(state: Arc<ServerState>) -> Router {
    Router::new()
        .route(SCRIPT_PATH, get(script))
        .route("/__dossier/events", get(live::events))
        .route("/__dossier/status", get(status))
        .fallback(file)
        // A bug in a handler answers 500 instead of dropping the connection.
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .with_state(state)
}

async fn script() -> Response {
    let headers = [
        (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
        (header::CACHE_CONTROL, "no-cache"),
    ];
    (headers, SCRIPT).into_response()
}

/// `GET /__dossier/status`: how many builds ran, whether the last one failed, whether one runs.
async fn status(State(state): State<Arc<ServerState>>) -> Response {
    let mut response = axum::Json(state.status()).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

use crate::paths::OutputPath;
pub use crate::paths::Refused;

/// The output file a request path names (`/talks/` → `talks/index.html`), or `Refused`; the
/// mapping is [`crate::paths::request_output`]'s, the same the link checker uses.
pub fn output_path(raw: &str) -> Result<OutputPath, Refused> {
    crate::paths::request_output(raw)
}

/// What a request path finds.
enum Found<'a> {
    File(&'a Arc<Served>),
    /// `/dir` of a folder with an index: the address with a slash.
    Folder,
    Missing,
}

fn find<'a>(site: &'a ServedSite, path: &OutputPath) -> Found<'a> {
    if let Some(file) = site.files.get(path.as_str()) {
        return Found::File(file);
    }
    let folder = path.folder_index();
    if folder.is_some_and(|index| site.files.contains_key(index.as_str())) {
        return Found::Folder;
    }
    Found::Missing
}

/// The version of the page a browser shows at `url_path` (for the live-reload check).
pub fn lookup_version(site: &ServedSite, url_path: &str) -> Option<String> {
    let path = output_path(url_path).ok()?;
    match find(site, &path) {
        Found::File(file) => Some(file.version.clone()),
        _ => site.files.get("404.html").map(|f| f.version.clone()),
    }
}

async fn file(
    State(state): State<Arc<ServerState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let Ok(path) = output_path(uri.path()) else {
        return (
            StatusCode::BAD_REQUEST,
            "this address is refused: it points outside the site\n",
        )
            .into_response();
    };
    let site = state.site();
    if !site.ready {
        return super::not_built_page();
    }
    match find(&site, &path) {
        Found::File(file) => send(file, StatusCode::OK, &headers),
        Found::Folder => {
            // Path-absolute with one leading slash: `//people` must not become the
            // protocol-relative `//people/` (a browser would go to the host `people`).
            let mut location = format!("/{}/", uri.path().trim_start_matches('/'));
            if let Some(query) = uri.query() {
                location += &format!("?{query}");
            }
            let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Found::Missing => match site.files.get("404.html") {
            Some(page) => send(page, StatusCode::NOT_FOUND, &HeaderMap::new()),
            None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
        },
    }
}

/// One file, or `304 Not Modified` when the browser's copy is current.
fn send(file: &Served, status: StatusCode, request: &HeaderMap) -> Response {
    let current = status == StatusCode::OK
        && request
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|tag| {
                let tag = tag.trim();
                tag == "*" || tag.trim_start_matches("W/") == file.etag
            });
    let mut response = if current {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = Response::new(Body::from(file.body()));
        *response.status_mut() = status;
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::ETAG, file.etag.clone());
    // Browsers may keep a copy but must ask every time: a page is never shown stale.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if !current {
        headers.insert(header::CONTENT_TYPE, file.content_type.clone());
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_output_files() {
        assert_eq!(output_path("/").unwrap(), "index.html");
        assert_eq!(output_path("/talks/").unwrap(), "talks/index.html");
        assert_eq!(output_path("/style.css").unwrap(), "style.css");
        assert_eq!(output_path("/My%20Notes/a.png").unwrap(), "My Notes/a.png");
        assert_eq!(output_path("/100%").unwrap(), "100%");
    }

    #[test]
    fn traversal_is_refused_however_it_is_written() {
        for raw in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/%252e%252e/x",
            "/a/%2e%2e%2fb",
            "/..%5c..%5cx",
            "/a\\b",
            "/%00",
            "/a%2500",
            "/./a",
            "/%ff",
        ] {
            assert_eq!(output_path(raw), Err(Refused), "{raw}");
        }
    }
}
