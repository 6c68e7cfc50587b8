//! `dossier check --external` against a local HTTP server (127.0.0.1, port 0) that answers 200,
//! 301, 404 and 500 and has one path that never answers in time: dead links are reported where
//! they were written, with an archived copy when `sources.yaml` has one; answers are kept on
//! disk so a second run asks again only what could not be reached; `build` never asks at all.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::TestSite;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Requests the server received, by path.
type Hits = Arc<Mutex<BTreeMap<String, usize>>>;

/// A tiny HTTP/1.1 server on 127.0.0.1 with a port picked by the system.
struct Server {
    port: u16,
    hits: Hits,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits: Hits = Arc::default();
        let counted = hits.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let counted = counted.clone();
                std::thread::spawn(move || answer(stream, &counted));
            }
        });
        Server { port, hits }
    }

    fn hits(&self) -> BTreeMap<String, usize> {
        self.hits.lock().unwrap().clone()
    }
}

/// Answers one request by its path: `/ok` 200, `/moved` 301 to `/ok`, `/gone` 404, `/broken`
/// 500, `/slow` nothing for longer than the client waits, anything else 404.
fn answer(stream: TcpStream, hits: &Hits) {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).map_or(true, |n| n == 0) || header == "\r\n" {
            break;
        }
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_owned();
    *hits.lock().unwrap().entry(path.clone()).or_default() += 1;
    let status = match path.as_str() {
        "/ok" => "200 OK",
        "/moved" => "301 Moved Permanently\r\nLocation: /ok",
        "/broken" => "500 Internal Server Error",
        "/slow" => {
            std::thread::sleep(Duration::from_secs(5));
            "200 OK"
        }
        _ => "404 Not Found",
    };
    let mut stream = reader.into_inner();
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
}

/// The link-rot fixture, its `PORT` placeholders pointing at `server`.
fn site_for(server: &Server) -> TestSite {
    let site = TestSite::fixture("parity/linkrot");
    for file in [
        "site.yaml",
        "sources.yaml",
        "content/_index.md",
        "content/story.md",
        "templates/base.html",
    ] {
        let text = site.read(file).replace("PORT", &server.port.to_string());
        site.write(file, text);
    }
    site
}

const CHECK: &[&str] = &[
    "check",
    "--external",
    "--timeout",
    "1",
    "--host-delay",
    "20",
];

/// What the first `check --external` of the fixture prints on stderr (`PORT`: the server's).
const REPORT: &str = "\
content/_index.md:7:15: error: dead link: `http://127.0.0.1:PORT/gone` answered 404 Not Found
  |
7 | A [gone page](http://127.0.0.1:PORT/gone) and a
  |               ^
  = help: link to the archived copy instead: https://web.archive.org/web/2026/http://example.org/gone

content/_index.md:8:14: error: dead link: `http://127.0.0.1:PORT/broken` answered 500 Internal Server Error
  |
8 | [broken one](http://127.0.0.1:PORT/broken).
  |              ^
  = help: find an archived copy at https://web.archive.org/web/*/http://127.0.0.1:PORT/broken and link to it (or give the source an `archive_url` in sources.yaml)

content/story.md:4:15: error: dead link: `http://127.0.0.1:PORT/slow` did not answer in time
  |
4 | A [slow site](http://127.0.0.1:PORT/slow), and
  |               ^
  = help: find an archived copy at https://web.archive.org/web/*/http://127.0.0.1:PORT/slow and link to it (or give the source an `archive_url` in sources.yaml)

content/story.md:5:17: error: dead link: `http://127.0.0.1:PORT/gone` answered 404 Not Found
  |
5 | [the gone page](http://127.0.0.1:PORT/gone#top) again. Back [home](@/_index.md).
  |                 ^
  = help: link to the archived copy instead: https://web.archive.org/web/2026/http://example.org/gone

templates/base.html:6:18: error: dead link: `http://127.0.0.1:PORT/policy` answered 404 Not Found
  |
6 | <footer><a href=\"http://127.0.0.1:PORT/policy\">Our policy</a></footer></body>
  |                  ^
  = help: find an archived copy at https://web.archive.org/web/*/http://127.0.0.1:PORT/policy and link to it (or give the source an `archive_url` in sources.yaml)

content/_index.md:5:13: warning: `http://127.0.0.1:PORT/moved` has moved permanently to `http://127.0.0.1:PORT/ok`
  |
5 | [moved one](http://127.0.0.1:PORT/moved).
  |             ^
  = help: link to the new address

check failed: 5 errors
";

/// `REPORT` for a server on `port`.
fn report_for(port: u16) -> String {
    REPORT.replace("PORT", &port.to_string())
}

#[test]
fn dead_links_are_reported_where_written_with_an_archived_copy() {
    let server = Server::start();
    let site = site_for(&server);
    let run = site.run(CHECK).user_error();
    assert_eq!(run.stderr, report_for(server.port));
    assert!(
        run.stdout
            .contains("Checked 6 external links: 6 asked, 0 answered from .dossier-cache"),
        "{}",
        run.stdout
    );
    // The canonical link points at the site's own `base_url`: never asked.
    assert!(!server.hits().keys().any(|path| path.starts_with("/site/")));
}

#[test]
fn a_second_check_asks_again_only_what_could_not_be_reached() {
    let server = Server::start();
    let site = site_for(&server);
    let first = site.run(CHECK).user_error();
    let second = site.run(CHECK).user_error();
    assert_eq!(second.stderr, first.stderr);
    assert!(
        second
            .stdout
            .contains("Checked 6 external links: 1 asked, 5 answered from .dossier-cache"),
        "{}",
        second.stdout
    );
    let hits = server.hits();
    assert_eq!(hits["/gone"], 1, "{hits:?}");
    assert_eq!(
        hits["/ok"], 2,
        "once itself, once as /moved's target: {hits:?}"
    );
    assert_eq!(hits["/slow"], 2, "a timeout is never kept: {hits:?}");
    assert!(site.path(".dossier-cache/external-links.json").is_file());
    assert!(!site.public().join(".dossier-cache").exists());
}

#[test]
fn an_expired_answer_is_asked_again() {
    let server = Server::start();
    let site = site_for(&server);
    site.run(CHECK).user_error();
    let mut again = CHECK.to_vec();
    again.extend(["--recheck-after", "0"]);
    let run = site.run(&again).user_error();
    assert!(
        run.stdout
            .contains("Checked 6 external links: 6 asked, 0 answered from .dossier-cache"),
        "{}",
        run.stdout
    );
    assert_eq!(server.hits()["/gone"], 2);
}

#[test]
fn build_and_a_plain_check_never_ask_other_sites() {
    let server = Server::start();
    let site = site_for(&server);
    site.build().success();
    site.run(&["check"]).success();
    assert!(server.hits().is_empty(), "{:?}", server.hits());
    assert!(!site.path(".dossier-cache").exists());
}
