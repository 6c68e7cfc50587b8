//! Accepting connections for the dev server: HTTP/1.1 with a deadline on request headers, so
//! connections that never finish their headers (or idle ones) are closed instead of piling up
//! until the process runs out of file descriptors; and a check of the `Host:` header, so a web
//! page using DNS rebinding cannot read the dev server (drafts included).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// How long a client may take to send a request's headers (also: how long an idle connection is
/// kept open between requests).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves `app` on `listener` until the future is dropped.
pub async fn serve(listener: tokio::net::TcpListener, app: axum::Router) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors, or a connection reset before it was accepted: wait a
            // little for slow connections to time out, then go on.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT);
            let _ = builder
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The `Host:` values the server answers: the names of the address it is bound to, with its port.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    address: SocketAddr,
}

impl AllowedHosts {
    pub fn new(address: SocketAddr) -> AllowedHosts {
        AllowedHosts { address }
    }

    /// Whether a `Host:` header value names this server.
    pub fn allows(&self, host: &str) -> bool {
        let port = self.address.port();
        let (name, host_port) = split_host(host);
        if host_port.unwrap_or(80) != port {
            return false;
        }
        let name = name.to_ascii_lowercase();
        if name == "localhost" {
            return true;
        }
        let Ok(ip) = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        else {
            return false;
        };
        let bound = self.address.ip();
        ip == bound || ip.is_loopback() || bound.is_unspecified()
    }

    fn shown(&self) -> String {
        let port = self.address.port();
        let bound = match self.address.ip() {
            IpAddr::V6(ip) => format!("[{ip}]:{port}"),
            IpAddr::V4(ip) => format!("{ip}:{port}"),
        };
        format!("localhost:{port}, 127.0.0.1:{port}, [::1]:{port} or {bound}")
    }
}

/// `name:port` → (`name`, port); IPv6 literals keep their brackets.
fn split_host(host: &str) -> (&str, Option<u16>) {
    let port_start = match host.rfind(']') {
        Some(bracket) => host[bracket..].find(':').map(|i| i + bracket),
        None => host.rfind(':'),
    };
    match port_start {
        Some(colon) => (&host[..colon], host[colon + 1..].parse().ok().or(Some(0))),
        None => (host, None),
    }
}

/// Middleware: answers 421 to requests whose `Host:` does not name this server.
pub async fn check_host(
    State(allowed): State<Arc<AllowedHosts>>,
    request: Request,
    next: Next,
) -> Response {
    // Every name the request gives counts: each `Host:` header (a second one is refused) and
    // the authority of an absolute-form target (`GET http://other/`), which HTTP says wins.
    let mut names: Vec<&str> = request
        .headers()
        .get_all(header::HOST)
        .iter()
        .map(|v| v.to_str().unwrap_or("?"))
        .collect();
    if names.len() > 1 {
        names.push("(a second Host header)");
    }
    names.extend(
        request
            .uri()
            .authority()
            .map(axum::http::uri::Authority::as_str),
    );
    let refused = names.into_iter().find(|name| !allowed.allows(name));
    match refused {
        Some(host) => {
            let text = format!(
                "dossier serve answers only requests for {}, not for `{host}`: \
                 other host names could be a web page reading this server through DNS rebinding.\n",
                allowed.shown()
            );
            let mut response = Response::new(Body::from(text));
            *response.status_mut() = StatusCode::MISDIRECTED_REQUEST;
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            response
        }
        // HTTP/1.0 without Host cannot come from a browser page.
        _ => next.run(request).await.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_of_the_bound_address_are_allowed() {
        let allowed = AllowedHosts::new("127.0.0.1:4000".parse().unwrap());
        for host in [
            "localhost:4000",
            "LOCALHOST:4000",
            "127.0.0.1:4000",
            "[::1]:4000",
        ] {
            assert!(allowed.allows(host), "{host}");
        }
        for host in [
            "evil.example:4000",
            "localhost:4001",
            "localhost",
            "127.0.0.1",
            "localhost.evil.example:4000",
            "127.0.0.1.nip.io:4000",
            "[::1]",
            "",
            "localhost:4000:4000",
        ] {
            assert!(!allowed.allows(host), "{host}");
        }
        let lan = AllowedHosts::new("0.0.0.0:80".parse().unwrap());
        assert!(lan.allows("192.168.1.20"));
        assert!(!lan.allows("rebind.example"));
    }
}
