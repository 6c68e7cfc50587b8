//! `dossier serve`: builds the site into memory, serves it on loopback, rebuilds on every change
//! and tells the browsers.
//!
//! All live state is one [`ServerState`], shared by the HTTP handlers and the rebuild thread: the
//! [`ServedSite`] (swapped whole behind an `Arc`, so a request sees one build from start to end),
//! the build status and the live-reload channel. The rebuild thread is `watch`'s loop; this
//! module only decides what a finished build means for the browsers: swap the site in first,
//! then say `reload`, `css`, `failed` or `fixed`. Nothing is written to the output folder.
//!
//! This module must not re-implement any part of the build.

mod accept;
mod http;
mod inject;
mod live;
mod site;

use crate::cli::ServeArgs;
use crate::commands::{build_options, TerminalProgress};
use crate::error::{Diagnostic, Diagnostics};
use crate::watch::{self, Change, Outcome, Rebuilder, Watcher};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
pub use http::{output_path, Refused};
use live::Live;
use serde::Serialize;
use site::ServedSite;
use std::net::{IpAddr, SocketAddr};
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
    fn building(&self) {
        self.update_status(|s| s.busy = true);
    }

    /// A build finished: swap the site in, then tell the browsers.
    fn finished(&self, change: Option<&Change>, outcome: Outcome) {
        match outcome {
            Outcome::Built(rebuilt) => {
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
                watch::print_warnings(&rebuilt.warnings);
                match change {
                    Some(change) => anstream::println!("{}", watch::rebuilt_line(change, &rebuilt)),
                    None => {
                        anstream::println!(
                            "{}",
                            watch::built_line(&rebuilt.stats, rebuilt.elapsed)
                        );
                    }
                }
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
            Outcome::Failed(diagnostics) => {
                let text = watch::plain_text(&diagnostics);
                let status = self.update_status(|s| {
                    s.builds += 1;
                    s.busy = false;
                    s.error = Some(text.clone());
                });
                let kept = if self.site().ready {
                    "still serving the last good build"
                } else {
                    "the site is served once it builds"
                };
                watch::print_failure(change, &diagnostics, kept);
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

/// An error that is not about a file of the site.
fn server_error(message: &str, help: &str) -> Diagnostics {
    Diagnostic::error("", message).with_hint(help).into()
}

async fn listen(bind: IpAddr, port: u16) -> Result<tokio::net::TcpListener, Diagnostics> {
    let address = SocketAddr::new(bind, port);
    tokio::net::TcpListener::bind(address).await.map_err(|err| {
        if err.kind() == std::io::ErrorKind::AddrInUse {
            server_error(
                &format!("cannot serve on {address}: port {port} is already in use"),
                "stop the program that uses it, choose another port with --port N, or use --port 0 to let dossier pick a free one",
            )
        } else {
            server_error(
                &format!("cannot serve on {address}: {err}"),
                "choose another address with --bind or another port with --port (0 picks a free one)",
            )
        }
    })
}

/// `dossier serve`.
pub fn run(args: &ServeArgs) -> Result<(), Diagnostics> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| server_error(&format!("cannot start the server: {e}"), "try again"))?;
    let listener = runtime.block_on(listen(args.bind, args.port))?;
    if !args.bind.is_loopback() {
        anstream::eprintln!(
            "warning: serving on {} makes the site, drafts included, reachable from other machines; \
             use the default --bind 127.0.0.1 to keep it on this one",
            args.bind
        );
    }
    let root = &args.site.root;
    let mut watcher = Watcher::new(root, &args.site.output_dir())?;
    let mut rebuilder = Rebuilder::new(build_options(&args.site, false), Some(root.clone()));
    let state = Arc::new(ServerState::default());
    state.finished(None, rebuilder.rebuild(&TerminalProgress::new()));
    let address = listener
        .local_addr()
        .map_err(|e| server_error(&format!("cannot serve: {e}"), "try another --port"))?;
    let url = format!("http://{address}/");
    anstream::println!("Serving {} at {url} (Ctrl-C to stop)", root.display());
    if args.open {
        open_browser(&url);
    }
    let rebuilding = state.clone();
    std::thread::Builder::new()
        .name("dossier rebuild".into())
        .spawn(move || {
            while let Some(change) = watcher.next_change() {
                rebuilding.building();
                let outcome = rebuilder.rebuild(&crate::site::Silent);
                rebuilding.finished(Some(&change), outcome);
            }
        })
        .map_err(|e| server_error(&format!("cannot start watching: {e}"), "try again"))?;
    let allowed = Arc::new(accept::AllowedHosts::new(address));
    let app = http::router(state).layer(axum::middleware::from_fn_with_state(
        allowed,
        accept::check_host,
    ));
    runtime.block_on(async {
        tokio::select! {
            () = accept::serve(listener, app) => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    });
    // Open event streams would keep a graceful shutdown waiting for ever.
    runtime.shutdown_background();
    Ok(())
}

/// Opens `url` in the default browser; a failure is only a warning.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(err) = command {
        anstream::eprintln!("warning: cannot open a browser ({err}); open {url} yourself");
    }
}
