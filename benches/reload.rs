//! Save-to-reload benchmark: the time from writing a Markdown file to the dev server telling the
//! browser to reload (the `reload` event arriving on the live-reload stream), measured from the
//! outside against the real `dossier serve`, on the shipped explainer and on a generated
//! 10,000-page site; and on that site, the time from an edit to the served page showing it
//! (median and p95). Run with `cargo bench --bench reload`; the figures go into BENCHMARKS.md.
//! It includes everything an author waits for: file events, debouncing, the incremental
//! rebuild, swapping the new site in and sending the event.

// A benchmark/tool program: a failure should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/generate.rs"]
mod generate;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    address: String,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot run dossier");
    let lines = Arc::new(Mutex::new(Vec::new()));
    let (tx, rx) = channel();
    let stdout = child.stdout.take().unwrap();
    let collected = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(at) = line.find("http://") {
                let _ = tx.send(line[at + 7..].split('/').next().unwrap_or("").to_owned());
            }
            collected.lock().unwrap().push(line);
        }
    });
    let address = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the server did not start");
    Server {
        child,
        address,
        lines,
    }
}

/// Connects to the live-reload stream; each `reload` event's arrival time is sent on.
fn listen(address: &str) -> Receiver<Instant> {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET /__dossier/events HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = channel();
    let (hello_tx, hello_rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            let now = Instant::now();
            if line == "event: hello" {
                let _ = hello_tx.send(());
            }
            if line == "event: reload" && tx.send(now).is_err() {
                break;
            }
        }
    });
    hello_rx
        .recv_timeout(Duration::from_secs(30))
        .expect("no hello from the server");
    rx
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The page at `url` (a site-root path) as the server sends it now.
fn fetch(address: &str, url: &str) -> String {
    let Ok(mut stream) = TcpStream::connect(address) else {
        return String::new();
    };
    let request = format!("GET {url} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return String::new();
    }
    let mut reply = String::new();
    let _ = std::io::Read::read_to_string(&mut stream, &mut reply);
    reply
}

fn percentile_line(times: &mut [f64]) -> String {
    times.sort_by(f64::total_cmp);
    format!(
        "median {:>6.1} ms, p95 {:>6.1} ms, min {:>6.1} ms, max {:>6.1} ms",
        percentile(times, 50.0),
        percentile(times, 95.0),
        times[0],
        times[times.len() - 1]
    )
}

/// Edit → served page: the time from writing a page's Markdown to the server sending that page
/// with the edit in it, polled every 2 ms (what `../shared/bench/serve_rebuild.py` times).
fn measure_served(name: &str, root: &Path, files: &[String], edits: usize) {
    std::thread::sleep(Duration::from_millis(2_500));
    let server = serve(root);
    let mut times = Vec::new();
    for i in 0..=edits {
        let file = &files[i % files.len()];
        let url = format!(
            "/{}/",
            file.trim_start_matches("content/").trim_end_matches(".md")
        );
        let path = root.join(file);
        let original = std::fs::read_to_string(&path).unwrap();
        assert!(fetch(&server.address, &url).starts_with("HTTP/1.1 200"));
        std::thread::sleep(Duration::from_millis(400));
        let marker = format!("editmarker{i}x");
        let edited = Instant::now();
        std::fs::write(&path, format!("{original}\nEdited paragraph {marker}.\n")).unwrap();
        while !fetch(&server.address, &url).contains(&marker) {
            assert!(
                edited.elapsed() < Duration::from_secs(60),
                "the edit never showed"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        // The first edit warms up (as in serve_rebuild.py): not counted.
        if i > 0 {
            times.push(edited.elapsed().as_secs_f64() * 1000.0);
        }
        std::fs::write(&path, original).unwrap();
        std::thread::sleep(Duration::from_millis(400));
    }
    println!(
        "{name:<28} edit → served page: {} ({edits} edits)",
        percentile_line(&mut times)
    );
}

fn measure(name: &str, root: &Path, file: &str, saves: usize) {
    // Files written less than 2 s before they are read are read again on every build (their time
    // stamps cannot be trusted yet); an author's site is older than that, so let it age first.
    std::thread::sleep(Duration::from_millis(2_500));
    let server = serve(root);
    let reloads = listen(&server.address);
    let path = root.join(file);
    let original = std::fs::read_to_string(&path).unwrap();
    let mut times = Vec::new();
    for i in 0..saves {
        // Let the previous rebuild finish and the file system go quiet.
        std::thread::sleep(Duration::from_millis(400));
        while reloads.try_recv().is_ok() {}
        let text = format!("{original}\nSaved for the benchmark, time {i}.\n");
        let saved = Instant::now();
        std::fs::write(&path, text).unwrap();
        let told = reloads
            .recv_timeout(Duration::from_secs(60))
            .expect("no reload event");
        times.push(told.duration_since(saved).as_secs_f64() * 1000.0);
    }
    std::fs::write(&path, original).unwrap();
    let mut rebuilds: Vec<f64> = server
        .lines
        .lock()
        .unwrap()
        .iter()
        .filter_map(|l| {
            l.split("rebuilt in ")
                .nth(1)?
                .split(' ')
                .next()?
                .parse()
                .ok()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    rebuilds.sort_by(f64::total_cmp);
    println!(
        "{name:<28} save → reload event: median {:>6.1} ms, p95 {:>6.1} ms, min {:>6.1} ms, max {:>6.1} ms ({saves} saves); \
         of which rebuild (as printed): median {:.0} ms",
        percentile(&times, 50.0),
        percentile(&times, 95.0),
        times[0],
        times[times.len() - 1],
        if rebuilds.is_empty() { f64::NAN } else { percentile(&rebuilds, 50.0) },
    );
}

fn main() {
    // `cargo test --benches` runs this binary without `--bench`; keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let explainer = tempfile::tempdir().unwrap();
    generate::copy_explainer(explainer.path());
    measure(
        "shipped explainer",
        explainer.path(),
        "content/talks.md",
        if quick { 2 } else { 30 },
    );
    if quick {
        return;
    }
    let big = tempfile::tempdir().unwrap();
    // DOSSIER_BENCH_DIR keeps the generated site there, to profile by hand.
    let big = match std::env::var_os("DOSSIER_BENCH_DIR") {
        Some(dir) => std::path::PathBuf::from(dir),
        None => big.path().to_path_buf(),
    };
    generate::generate(&big, 10_000);
    measure(
        "generated, 10,000 pages",
        &big,
        &generate::page_path(3, 35, 50),
        20,
    );
    // A different page each time, spread over the site.
    let pages: Vec<String> = (0..8)
        .map(|k| {
            let part = (k * 3 + 1) % 10;
            generate::page_path(part, part * 10 + k % 10, (k * 7 + 1) % 100)
        })
        .collect();
    measure_served("generated, 10,000 pages", &big, &pages, 20);
}
