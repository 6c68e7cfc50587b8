//! `check --external` keeps at most `--concurrency` requests in flight at once, against a local
//! server that holds every answer a while and counts the requests it holds at the same time.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::TestSite;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Requests being answered now, the most seen at once, and all answered.
#[derive(Default)]
struct Load {
    now: AtomicUsize,
    most: AtomicUsize,
    answered: AtomicUsize,
}

/// A server on 127.0.0.1 that answers every request `200 OK` after holding it 150 ms.
fn holding_server() -> (u16, Arc<Load>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let load = Arc::new(Load::default());
    let counted = load.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let load = counted.clone();
            std::thread::spawn(move || hold_and_answer(stream, &load));
        }
    });
    (port, load)
}

fn hold_and_answer(stream: TcpStream, load: &Load) {
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).map_or(true, |n| n == 0) || line == "\r\n" {
            break;
        }
    }
    let now = load.now.fetch_add(1, Ordering::SeqCst) + 1;
    load.most.fetch_max(now, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(150));
    load.now.fetch_sub(1, Ordering::SeqCst);
    load.answered.fetch_add(1, Ordering::SeqCst);
    let mut stream = reader.into_inner();
    let _ = write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
}

#[test]
fn no_more_requests_than_concurrency_are_in_flight() {
    let (port, load) = holding_server();
    let site = TestSite::fixture("parity/page-error");
    let links: String = (1..=8)
        .map(|n| format!("[{n}](http://127.0.0.1:{port}/page-{n}) "))
        .collect();
    site.write(
        "content/_index.md",
        format!("---\ntitle: \"Harbour\"\n---\n{links}and [Amy Ng](@/amy.md).\n"),
    );
    site.run(&[
        "check",
        "--external",
        "--timeout",
        "10",
        "--host-delay",
        "0",
        "--concurrency",
        "2",
    ])
    .success();
    assert_eq!(load.answered.load(Ordering::SeqCst), 8);
    let most = load.most.load(Ordering::SeqCst);
    assert!(most <= 2, "{most} requests at once with --concurrency 2");
}
