//! The progress bar counts what the summary line counts (pages, not sections), and `serve --open`
//! without a working browser prints one clear line instead of the opener's noise.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::TestSite;
use dossier::site::{build, Progress};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

#[derive(Default)]
struct Counted {
    total: AtomicUsize,
    done: AtomicUsize,
}

impl Progress for Counted {
    fn start(&self, pages: usize) {
        self.total.store(pages, Ordering::SeqCst);
    }
    fn advance(&self) {
        self.done.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn progress_counts_pages_as_the_summary_does() {
    let site = TestSite::fixture("parity/papercuts");
    let progress = Counted::default();
    let options = site.options();
    let built = build(&options, &progress).unwrap();
    assert_eq!((built.stats.pages, built.stats.sections), (3, 1));
    assert_eq!(progress.total.load(Ordering::SeqCst), built.stats.pages);
    assert_eq!(progress.done.load(Ordering::SeqCst), built.stats.pages);
}

/// `dossier serve --open` with an `xdg-open` that fails noisily (as it does without a browser).
#[cfg(all(unix, not(target_os = "macos")))]
#[test]
fn open_without_a_browser_prints_one_line() {
    use std::os::unix::fs::PermissionsExt;
    let site = TestSite::fixture("parity/papercuts");
    let bin = site.path("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let opener = bin.join("xdg-open");
    std::fs::write(
        &opener,
        "#!/bin/sh\necho 'xdg-open: no method available for opening' >&2\necho noise\necho more noise >&2\nexit 3\n",
    )
    .unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--port", "0", "--open"])
        .current_dir(site.root())
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (lines, received) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let stdout = child.stdout.take().unwrap();
    let (out_lines, out_received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if out_lines.send(line).is_err() {
                break;
            }
        }
    });
    let serving = loop {
        let line = out_received.recv_timeout(Duration::from_secs(60)).unwrap();
        if line.contains("http://") {
            break line;
        }
    };
    let url = serving[serving.find("http://").unwrap()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let warning = received.recv_timeout(Duration::from_secs(60)).unwrap();
    assert_eq!(
        warning,
        format!("warning: cannot open a browser (xdg-open failed with exit status: 3); open {url} yourself")
    );
    // Nothing of the opener's own output reaches the terminal.
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    let rest: Vec<String> = received.try_iter().collect();
    assert!(
        rest.iter()
            .all(|l| !l.contains("noise") && !l.contains("xdg-open:")),
        "{rest:?}"
    );
    let out: Vec<String> = out_received.try_iter().collect();
    assert!(out.iter().all(|l| !l.contains("noise")), "{out:?}");
}
