//! `dossier serve`: builds the site into memory, serves it on loopback and rebuilds on every
//! change. The server is the `serve` library's and the rebuilding the `watch` library's; this file
//! starts them, runs the rebuild thread and talks to the terminal.

use super::build_options;
use super::report::{
    built_line, print_failure, print_trouble, print_warnings, rebuilt_line, TerminalProgress,
};
use crate::cli::ServeArgs;
use crate::error::{Diagnostic, Diagnostics};
use crate::serve::{accept, http, ServerState};
use crate::watch::{Change, RebuildOutcome, Rebuilder, Watcher};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

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
    args.site.refuse_output("serve")?;
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
    let mut watcher = Watcher::new(root, &args.site.output_dir(), print_trouble)?;
    let mut rebuilder = Rebuilder::new(build_options(&args.site, false), Some(root.clone()));
    let state = Arc::new(ServerState::default());
    finished(&state, None, &rebuilder.rebuild(&TerminalProgress::new()));
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
        .stack_size(crate::render::depth::RENDER_STACK)
        .spawn(move || {
            while let Some(mut change) = watcher.next_change() {
                rebuilding.building();
                let silent = &crate::site::Silent;
                let Some(outcome) = rebuilder.rebuild_watched(&mut change, &mut watcher, silent)
                else {
                    break;
                };
                finished(&rebuilding, Some(&change), &outcome);
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

/// Opens `url` in the default browser; a failure is only a warning, of one line: the opener's
/// own output (xdg-open's is several lines when no browser is set up) is not shown.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut cmd = std::process::Command::new("cmd");
        cmd.args(["/C", "start", ""]);
        cmd
    } else {
        std::process::Command::new("xdg-open")
    };
    let opener = command.get_program().to_string_lossy().into_owned();
    let spawned = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let cannot_open = |why: String| {
        anstream::eprintln!("warning: cannot open a browser ({why}); open {url} yourself");
    };
    match spawned {
        Err(err) => cannot_open(format!("{opener}: {err}")),
        Ok(mut child) => {
            let url = url.to_owned();
            // Waited for aside, so a slow opener never holds up the server.
            let _ = std::thread::Builder::new()
                .name("dossier open".into())
                .spawn(move || match child.wait() {
                    Ok(status) if status.success() => {}
                    Ok(status) => anstream::eprintln!(
                        "warning: cannot open a browser ({opener} failed with {status}); open {url} yourself"
                    ),
                    Err(err) => anstream::eprintln!(
                        "warning: cannot open a browser ({opener}: {err}); open {url} yourself"
                    ),
                });
        }
    }
}

/// Hands a finished build to the server (which swaps it in and tells the browsers) and says on
/// the terminal what happened: a failure first on the terminal, so that the terminal has said it
/// by the time a browser shows it; a success first to the browsers, which are waiting for it.
fn finished(state: &ServerState, change: Option<&Change>, outcome: &RebuildOutcome) {
    let was_ready = state.site().ready;
    if !matches!(outcome, RebuildOutcome::Failed(_)) {
        state.finished(outcome);
    }
    match outcome {
        RebuildOutcome::Built(rebuilt) => {
            print_warnings(&rebuilt.warnings);
            match change {
                Some(change) => anstream::println!("{}", rebuilt_line(change, rebuilt)),
                None => anstream::println!("{}", built_line(&rebuilt.stats, rebuilt.elapsed)),
            }
        }
        RebuildOutcome::Failed(diagnostics) => {
            let kept = if was_ready {
                "still serving the last good build"
            } else {
                "the site is served once it builds"
            };
            print_failure(change, diagnostics, kept);
            state.finished(outcome);
        }
    }
}
