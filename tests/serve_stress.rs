//! Readers never get a failed request or half a page while the site rebuilds: 10,000 requests
//! from 50 concurrent clients on loopback while a page is rewritten over and over. Every reply
//! must be complete and byte for byte one of the versions the server served when it was idle.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::serve::{request, wait_until};
use common::site::TestSite;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PATHS: [&str; 8] = [
    "/",
    "/busy/",
    "/long/",
    "/notes/",
    "/notes/first/",
    "/style.css",
    "/notes/pic.png",
    "/missing/",
];
const VERSIONS: usize = 3;
const CLIENTS: usize = 50;
const REQUESTS: usize = 10_000;

fn busy(version: usize) -> String {
    format!(
        "---\ntitle: Busy\nweight: 3\n---\nStress version {version}.\n\n{}\n",
        "Filler text. ".repeat(200 * (version + 1))
    )
}

#[test]
fn no_failed_requests_and_no_partial_pages_while_rebuilding() {
    let site = TestSite::fixture("serve/basic");
    let server = site.serve(&[]);
    // Every complete version of every path, from the idle server.
    let mut known: BTreeMap<&str, BTreeSet<(u16, Vec<u8>)>> = BTreeMap::new();
    for version in 0..VERSIONS {
        site.write("content/busy.md", busy(version));
        let marker = format!("Stress version {version}.");
        wait_until("the new version", || {
            server.get("/busy/").text().contains(&marker)
        });
        wait_until("an idle server", || server.status()["busy"] == false);
        for path in PATHS {
            let reply = server.get(path);
            known
                .entry(path)
                .or_default()
                .insert((reply.status, reply.body));
        }
    }
    assert_eq!(known["/busy/"].len(), VERSIONS);

    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let root = site.root().to_path_buf();
        std::thread::spawn(move || {
            let mut version = 0;
            while !stop.load(Ordering::SeqCst) {
                version = (version + 1) % VERSIONS;
                // Saved atomically, as editors do: a plain write could be read half-done, and
                // that half-saved page would be a true build of what was on disk.
                let temporary = root.join("content/.busy.md.tmp");
                std::fs::write(&temporary, busy(version)).unwrap();
                std::fs::rename(&temporary, root.join("content/busy.md")).unwrap();
                std::thread::sleep(Duration::from_millis(15));
            }
        })
    };
    let builds_before = server.status()["builds"].as_u64().unwrap();
    let known = Arc::new(known);
    let next = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let address = server.address();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (known, next, failures, address) = (
                known.clone(),
                next.clone(),
                failures.clone(),
                address.clone(),
            );
            std::thread::spawn(move || loop {
                let n = next.fetch_add(1, Ordering::SeqCst);
                if n >= REQUESTS {
                    break;
                }
                let path = PATHS[n % PATHS.len()];
                let problem = match request(&address, "GET", path, &[]) {
                    Err(err) => Some(format!("{path}: {err}")),
                    Ok(reply) => {
                        let html = path.ends_with('/');
                        let complete = !html || reply.text().ends_with("</html>\n");
                        if !complete {
                            Some(format!(
                                "{path}: a partial page ({} bytes)",
                                reply.body.len()
                            ))
                        } else if !known[path].contains(&(reply.status, reply.body.clone())) {
                            Some(format!(
                                "{path}: status {} and a body unlike any complete version",
                                reply.status
                            ))
                        } else {
                            None
                        }
                    }
                };
                if let Some(problem) = problem {
                    failures.lock().unwrap().push(problem);
                }
            })
        })
        .collect();
    for client in clients {
        client.join().unwrap();
    }
    stop.store(true, Ordering::SeqCst);
    writer.join().unwrap();
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "{} failed requests, first: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    let builds = server.status()["builds"].as_u64().unwrap() - builds_before;
    assert!(
        builds >= 3,
        "the site rebuilt only {builds} times during the requests"
    );
}
