//! Ctrl-C stops `dossier serve` even while a browser holds its live-reload event stream open
//! (such a stream kept a graceful shutdown waiting), and it stops with exit code 0. How fast
//! it stops is not measured here (no timed tests); a hang fails after the helpers' timeout.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::serve::TIMEOUT;
use common::site::TestSite;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn ctrl_c_stops_serve_with_an_open_event_stream() {
    let site = TestSite::fixture_with_shipped_theme("parity/print");
    let mut server = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args([
            "serve",
            "--root",
            site.root().to_str().unwrap(),
            "--port",
            "0",
        ])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("serve ended before saying its address")
            .unwrap();
        if let Some(at) = line.find("http://") {
            let url = line[at + "http://".len()..]
                .split_whitespace()
                .next()
                .unwrap();
            break url.trim_end_matches('/').to_owned();
        }
    };
    // Keep reading what serve prints, so it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));

    let mut events = TcpStream::connect(&address).unwrap();
    write!(
        events,
        "GET /__dossier/events HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut head = [0; 12];
    events.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 200", "the event stream is open");

    let interrupted = Command::new("kill")
        .args(["-INT", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = server.kill();
            panic!("serve did not stop on Ctrl-C with an event stream open");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    drop(events);
}
