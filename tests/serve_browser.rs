//! Live reload in a real browser (headless Chromium, driven by puppeteer-core): a page follows
//! edits of its Markdown with no action in the browser and keeps its scroll position; a broken
//! front matter shows the error overlay with the file and line on every open page, also on
//! pages opened while the site is broken, and the overlay leaves once the file is fixed; a
//! CSS-only change applies without a reload; and the page reconnects to a restarted server.
//!
//! Skipped (with the reason printed) when Chromium is missing, except under `CI`, where it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::browser::{require_browser, Browser, Page};
use common::serve::Dossier;
use common::site::TestSite;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

/// Waits until the JavaScript `condition` is true, riding out the moments a reload leaves no
/// page to ask.
fn wait_js(page: &Page<'_>, condition: &str) {
    let deadline = Instant::now() + WAIT;
    loop {
        let last = match page.eval(&format!("!!({condition})")) {
            Ok(serde_json::Value::Bool(true)) => return,
            Ok(other) => other.to_string(),
            Err(err) => err,
        };
        assert!(
            Instant::now() < deadline,
            "timed out waiting for `{condition}` (last: {last})"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn eval(page: &Page<'_>, js: &str) -> serde_json::Value {
    page.eval(js).unwrap_or_else(|e| panic!("{js}: {e}"))
}

const OVERLAY: &str = "(document.getElementById('__dossier_overlay') || {}).textContent || ''";

#[test]
fn pages_follow_edits_errors_and_stylesheets_live() {
    let Some(chromium) = require_browser() else {
        return;
    };
    let site = TestSite::fixture("serve/basic");
    let server = site.serve(&[]);
    let browser = Browser::launch_with(&chromium).expect("cannot start Chromium");
    let page = browser.new_page().unwrap();
    page.set_viewport(800, 600).unwrap();
    page.goto(&format!("{}/long/", server.url)).unwrap();
    wait_js(
        &page,
        "window.__dossierLive && window.__dossierLive.connected",
    );

    // An edit of the Markdown reloads the page where it was scrolled to.
    eval(
        &page,
        "window.scrollTo(0, 1500); window.__marker = 'before the edit'; 1",
    );
    assert_eq!(eval(&page, "Math.round(window.scrollY)"), 1500);
    let long = site.read("content/long.md");
    site.write(
        "content/long.md",
        long.replace("Long page start.", "Long page edited."),
    );
    wait_js(
        &page,
        "document.body.innerText.includes('Long page edited.')",
    );
    assert_eq!(
        eval(&page, "window.__marker === undefined"),
        true,
        "the page did not reload"
    );
    wait_js(&page, "Math.abs(window.scrollY - 1500) <= 2");

    // A broken front matter: the overlay names the file and the line.
    wait_js(
        &page,
        "window.__dossierLive && window.__dossierLive.connected",
    );
    site.write(
        "content/long.md",
        long.replace("title: Long", "title: [Long"),
    );
    wait_js(
        &page,
        &format!("({OVERLAY}).includes('content/long.md:2:')"),
    );
    let text = eval(&page, OVERLAY).as_str().unwrap().to_owned();
    assert!(text.contains("error:"), "{text}");
    assert!(
        server.stderr().contains("content/long.md:2:"),
        "the terminal says the same"
    );
    // A page opened while the site is broken shows it too.
    let other = browser.new_page().unwrap();
    other.goto(&format!("{}/notes/", server.url)).unwrap();
    wait_js(
        &other,
        &format!("({OVERLAY}).includes('content/long.md:2:')"),
    );

    // Fixed: the overlay leaves by itself, everywhere, and the page shows the fix.
    site.write(
        "content/long.md",
        long.replace("Long page start.", "Long page fixed."),
    );
    wait_js(
        &page,
        "document.body.innerText.includes('Long page fixed.')",
    );
    wait_js(&page, &format!("({OVERLAY}) === ''"));
    wait_js(&other, &format!("({OVERLAY}) === ''"));

    // A stylesheet change applies in place: no reload.
    wait_js(
        &page,
        "window.__dossierLive && window.__dossierLive.connected",
    );
    assert_eq!(
        eval(&page, "getComputedStyle(document.body).color"),
        "rgb(10, 20, 30)"
    );
    eval(&page, "window.__marker = 'before the css'; 1");
    site.write(
        "static/style.css",
        "body { color: rgb(200, 0, 0); font-family: sans-serif; }\n",
    );
    wait_js(
        &page,
        "getComputedStyle(document.body).color === 'rgb(200, 0, 0)'",
    );
    assert_eq!(
        eval(&page, "window.__marker"),
        "before the css",
        "the page reloaded"
    );

    // The server restarts (on the same port) after a change: the page reconnects and reloads.
    let port = server.address().rsplit(':').next().unwrap().to_owned();
    drop(server);
    wait_js(&page, "!window.__dossierLive.connected");
    site.write(
        "content/long.md",
        long.replace("Long page start.", "Long page after a restart."),
    );
    let restarted = Dossier::spawn(&[
        "serve",
        "--root",
        site.root().to_str().unwrap(),
        "--port",
        &port,
    ]);
    restarted.wait_for_stdout("the address", |l| l.contains("http://"));
    wait_js(
        &page,
        "document.body.innerText.includes('Long page after a restart.')",
    );
}
