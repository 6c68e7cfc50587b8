//! A running `dossier serve` or `dossier watch` (started with `TestSite::serve`/`watch`): read
//! what it prints, talk HTTP to it over loopback with a tiny raw client (so request paths go out
//! exactly as written), and wait for it to settle after changes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;

use super::site::TestSite;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The longest any wait in these tests may take before it fails.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// A running `dossier` process whose output is collected line by line.
pub struct Dossier {
    child: Child,
    pub url: String,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
    closed: Arc<AtomicBool>,
}

fn collect(
    stream: impl Read + Send + 'static,
    lines: Arc<Mutex<Vec<String>>>,
    closed: Option<Arc<AtomicBool>>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            lines.lock().unwrap().push(line);
        }
        if let Some(closed) = closed {
            closed.store(true, Ordering::SeqCst);
        }
    });
}

impl Dossier {
    pub fn spawn(args: &[&str]) -> Dossier {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(args)
            .env("NO_COLOR", "1")
            .env_remove("CI")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot run dossier");
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let closed = Arc::new(AtomicBool::new(false));
        collect(
            child.stdout.take().unwrap(),
            stdout.clone(),
            Some(closed.clone()),
        );
        collect(child.stderr.take().unwrap(), stderr.clone(), None);
        Dossier {
            child,
            url: String::new(),
            stdout,
            stderr,
            closed,
        }
    }

    /// `dossier serve --root <root> --port 0 <extra>`, once it prints its address.
    pub fn serve(root: &Path, extra: &[&str]) -> Dossier {
        let root = root.to_str().unwrap();
        let mut args = vec!["serve", "--root", root, "--port", "0"];
        args.extend_from_slice(extra);
        let mut server = Dossier::spawn(&args);
        let line = server.wait_for_stdout("the address", |l| l.contains("http://"));
        let start = line.find("http://").unwrap();
        let url = line[start..].split_whitespace().next().unwrap();
        server.url = url.trim_end_matches('/').to_owned();
        server
    }

    /// `dossier watch --root <root>`, once it says it is watching.
    pub fn watch(root: &Path) -> Dossier {
        let watcher = Dossier::spawn(&["watch", "--root", root.to_str().unwrap()]);
        watcher.wait_for_stdout("watching", |l| l.starts_with("Watching"));
        watcher
    }

    pub fn stdout(&self) -> Vec<String> {
        self.stdout.lock().unwrap().clone()
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    /// stderr with the site folder written as `[site]`, the temporary folder around it as
    /// `[scratch]` and the port as `[port]`, for snapshots.
    pub fn diagnostics(&self, site: &TestSite) -> String {
        let mut text = self
            .stderr()
            .replace(site.root().to_string_lossy().as_ref(), "[site]")
            .replace(site.scratch().to_string_lossy().as_ref(), "[scratch]");
        if let Some(port) = self.url.rsplit(':').next().filter(|p| !p.is_empty()) {
            text = text.replace(port, "[port]");
        }
        text
    }

    /// Lines saying a rebuild finished (successful or not).
    pub fn rebuilds(&self) -> usize {
        let done = self
            .stdout()
            .iter()
            .filter(|l| l.contains(": rebuilt in "))
            .count();
        let failed = self
            .stderr
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains(": build failed with "))
            .count();
        done + failed
    }

    pub fn wait_for_stdout(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let mut found = None;
        wait_until(what, || {
            found = self.stdout().into_iter().find(|l| pred(l));
            found.is_some() || self.exited()
        });
        found.unwrap_or_else(|| panic!("dossier exited before {what}; stderr:\n{}", self.stderr()))
    }

    pub fn wait_for_rebuilds(&self, count: usize) {
        wait_until(&format!("{count} rebuilds"), || self.rebuilds() >= count);
    }

    /// The process closed its output (it has exited).
    fn exited(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Waits for the process to end by itself and returns its exit code.
    pub fn wait_exit(&mut self) -> Option<i32> {
        let started = Instant::now();
        while started.elapsed() < TIMEOUT {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader threads drain the pipes.
                std::thread::sleep(Duration::from_millis(100));
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("dossier did not exit");
    }

    /// The address part of the URL (`127.0.0.1:PORT`).
    pub fn address(&self) -> String {
        self.url.trim_start_matches("http://").to_owned()
    }

    pub fn get(&self, path: &str) -> Reply {
        request(&self.address(), "GET", path, &[]).unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    pub fn status(&self) -> serde_json::Value {
        serde_json::from_slice(&self.get("/__dossier/status").body).unwrap()
    }

    /// Waits until everything saved so far is in the served site: writes a marker file with a
    /// new token (after the caller's last change), waits until it is served, then until no
    /// rebuild is running. A build that shows the token started after every earlier change.
    /// The marker is a static file, which no page depends on, so the last rebuild renders no
    /// more than the changes did.
    pub fn settle(&self, site: &TestSite, token: &str) {
        // Let events of earlier changes reach the watcher before the marker is written.
        std::thread::sleep(Duration::from_millis(300));
        site.write("static/zz-settle.txt", token);
        let started = Instant::now();
        loop {
            let reply = self.get("/zz-settle.txt");
            if reply.status == 200 && reply.text() == token {
                break;
            }
            assert!(
                started.elapsed() < TIMEOUT,
                "timed out waiting for the marker file; the server said:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        wait_until("an idle server", || self.status()["busy"] == false);
    }
}

impl Drop for Dossier {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `done` every 20 ms until it is true; fails after [`TIMEOUT`].
/// Starts `dossier serve` on `site`, saves `broken` as `file`, and requires that the server
/// reports an error containing `expected`, keeps answering, and is back to normal once the
/// file's original text is saved again.
pub fn assert_serve_reports_and_recovers(
    site: &TestSite,
    file: &str,
    broken: &str,
    expected: &str,
) {
    let original = site.read(file);
    let server = site.serve(&[]);
    assert_eq!(server.get("/").status, 200);
    site.write(file, broken);
    wait_until("the error", || !server.status()["error"].is_null());
    let error = server.status()["error"].to_string();
    assert!(error.contains(expected), "{error}");
    assert_eq!(server.get("/").status, 200);
    site.write(file, &original);
    wait_until("the fix", || server.status()["error"].is_null());
    assert_eq!(server.get("/").status, 200);
}

pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < TIMEOUT, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// An HTTP response.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request over a new connection, the path sent exactly as given.
pub fn request(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head += &format!("{name}: {value}\r\n");
    }
    head += "\r\n";
    stream.write_all(head.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| {
            std::io::Error::other(format!(
                "no header end in {:?}",
                String::from_utf8_lossy(&raw)
            ))
        })?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Ok(Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    })
}

/// The tag `serve` adds to every HTML page.
pub fn live_tag_range(html: &[u8]) -> Option<(usize, usize)> {
    let start_tag = b"<script src=\"/__dossier/live.js\"";
    let start = html.windows(start_tag.len()).position(|w| w == start_tag)?;
    let end_tag = b"</script>";
    let end = start
        + html[start..]
            .windows(end_tag.len())
            .position(|w| w == end_tag)?
        + end_tag.len();
    Some((start, end))
}

/// `html` without the live-reload tag, which must be there exactly once.
/// What the server sent for the output file `name`, less what only the dev server adds: the
/// live-reload tag on HTML, and the root `<base>` of the not-found page (checked to be there once).
pub fn as_built(name: &str, served: &[u8]) -> Vec<u8> {
    if !name.ends_with(".html") {
        return served.to_vec();
    }
    let html = strip_live_tag(served);
    if name != "404.html" {
        return html;
    }
    let text = String::from_utf8(html).expect("the not-found page is UTF-8");
    assert_eq!(
        text.matches(ROOT_BASE).count(),
        1,
        "404.html lacks its base: {text}"
    );
    text.replacen(ROOT_BASE, "", 1).into_bytes()
}

/// The base the dev server gives the not-found page.
const ROOT_BASE: &str = "<base href=\"/\">";

pub fn strip_live_tag(html: &[u8]) -> Vec<u8> {
    let (start, end) = live_tag_range(html).expect("the live-reload tag is missing");
    let mut out = html[..start].to_vec();
    out.extend_from_slice(&html[end..]);
    assert!(
        live_tag_range(&out).is_none(),
        "the live-reload tag is there twice"
    );
    out
}

/// Every file under `dir`, as paths relative to it with `/`.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                let rel = entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}
