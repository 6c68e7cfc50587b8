//! Dev server hardening, on loopback: redirects are path-absolute with one slash, only `Host:`
//! values naming the bound address are answered (DNS rebinding), and connections that never
//! finish their headers are closed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::serve::{request, TIMEOUT};
use common::site::TestSite;
use std::io::{Read, Write};
use std::net::TcpStream;

/// A raw request with exactly these header lines (no Host added).
fn raw(address: &str, head: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    reply
}

#[test]
fn folder_redirects_never_become_protocol_relative() {
    let site = TestSite::fixture("serve/basic");
    let server = site.serve(&[]);
    for (path, location) in [
        ("/notes", "/notes/"),
        ("//notes", "/notes/"),
        ("///notes", "/notes/"),
        ("//notes?x=1", "/notes/?x=1"),
    ] {
        let reply = request(&server.address(), "GET", path, &[]).unwrap();
        assert_eq!(reply.status, 301, "{path}");
        assert_eq!(reply.header("location"), Some(location), "{path}");
    }
}

#[test]
fn only_host_names_of_the_bound_address_are_answered() {
    let site = TestSite::fixture("serve/basic");
    let server = site.serve(&[]);
    let address = server.address();
    let port = address.rsplit(':').next().unwrap();
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        let reply = raw(
            &address,
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{host}: {reply}");
    }
    for host in [
        format!("rebind.example:{port}"),
        format!("localhost.rebind.example:{port}"),
        "localhost:1".to_owned(),
    ] {
        let reply = raw(
            &address,
            &format!("GET /notes/first/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        assert!(
            reply.starts_with("HTTP/1.1 421 Misdirected Request\r\n"),
            "{host}: {reply}"
        );
        let body = reply.split("\r\n\r\n").nth(1).unwrap();
        assert_eq!(
            body,
            format!("dossier serve answers only requests for localhost:{port}, 127.0.0.1:{port}, [::1]:{port} or 127.0.0.1:{port}, not for `{host}`: other host names could be a web page reading this server through DNS rebinding.\n")
        );
    }
}

#[test]
fn connections_that_never_finish_their_headers_are_closed() {
    let site = TestSite::fixture("serve/basic");
    let server = site.serve(&[]);
    let address = server.address();
    let mut slow: Vec<TcpStream> = (0..40)
        .map(|i| {
            let mut stream = TcpStream::connect(&address).unwrap();
            if i % 2 == 0 {
                stream
                    .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                    .unwrap();
            }
            stream.set_read_timeout(Some(TIMEOUT)).unwrap();
            stream
        })
        .collect();
    // The server still answers others meanwhile.
    assert_eq!(server.get("/").status, 200);
    for stream in &mut slow {
        let mut buffer = Vec::new();
        // The server closes the connection (EOF, possibly after a 408), not our read timeout.
        let read = stream.read_to_end(&mut buffer);
        assert!(
            read.is_ok()
                || read
                    .as_ref()
                    .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
            "{read:?}"
        );
        let text = String::from_utf8_lossy(&buffer);
        assert!(
            text.is_empty() || text.starts_with("HTTP/1.1 408"),
            "{text}"
        );
    }
    assert_eq!(server.get("/").status, 200);
}
