//! The dev server's HTTP behaviour, against the real binary on loopback: files and their types,
//! HEAD, ETags, folders, the site's own 404 page, refused paths, a port in use, and that serving
//! neither writes the output folder nor leaks the live-reload script into a build.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::serve::{as_built, request, Dossier};
use common::site::TestSite;

#[test]
fn files_are_served_with_their_types() {
    let site = TestSite::fixture("serve/basic");
    let server = site.serve(&[]);
    for (path, expected) in [
        ("/", "text/html; charset=utf-8"),
        ("/notes/first/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/data.json", "application/json; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml; charset=utf-8"),
        ("/notes.txt", "text/plain; charset=utf-8"),
        ("/notes/pic.png", "image/png"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(expected), "{path}");
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
    }
    let png = server.get("/notes/pic.png");
    assert_eq!(
        png.body,
        std::fs::read(site.path("content/notes/pic.png")).unwrap()
    );
}

#[test]
fn served_files_are_the_build_plus_the_script_tag() {
    let site = TestSite::fixture("serve/basic");
    let server = site.serve(&[]);
    let out = site.scratch().join("clean");
    site.build_into(&out);
    for name in [
        "index.html",
        "notes/index.html",
        "404.html",
        "style.css",
        "notes/pic.png",
    ] {
        let built = std::fs::read(out.join(name)).unwrap();
        let path = format!("/{}", name.trim_end_matches("index.html"));
        let served = server.get(&path).body;
        if name.ends_with(".html") {
            assert!(
                !String::from_utf8_lossy(&built).contains("__dossier"),
                "the build has the script: {name}"
            );
        }
        let served = as_built(name, &served);
        assert_eq!(served, built, "{name}");
    }
    assert!(
        !site.path("public").exists(),
        "serve wrote the output folder"
    );
}

#[test]
fn head_gives_the_headers_without_the_body() {
    let site = TestSite::fixture("serve/basic");
    let server = site.serve(&[]);
    let get = server.get("/long/");
    let head = request(&server.address(), "HEAD", "/long/", &[]).unwrap();
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length").unwrap(),
        get.body.len().to_string()
    );
    assert_eq!(head.header("etag"), get.header("etag"));
    assert_eq!(head.header("content-type"), get.header("content-type"));
    let post = request(&server.address(), "POST", "/", &[("Content-Length", "0")]).unwrap();
    assert_eq!(post.status, 405);
}

#[test]
fn etags_give_304_until_the_file_changes() {
    let site = TestSite::fixture("serve/basic");
    let server = site.serve(&[]);
    let first = server.get("/busy/");
    let etag = first.header("etag").unwrap().to_owned();
    let again = request(
        &server.address(),
        "GET",
        "/busy/",
        &[("If-None-Match", &etag)],
    )
    .unwrap();
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    site.write(
        "content/busy.md",
        "---\ntitle: Busy\nweight: 3\n---\nBusy version 1.\n",
    );
    common::serve::wait_until("the new page", || {
        server.get("/busy/").text().contains("version 1")
    });
    let after = request(
        &server.address(),
        "GET",
        "/busy/",
        &[("If-None-Match", &etag)],
    )
    .unwrap();
    assert_eq!(after.status, 200, "a changed page must not be 304");
    assert_ne!(after.header("etag").unwrap(), etag);
}

#[test]
fn folders_redirect_and_missing_files_get_the_sites_404_page() {
    let site = TestSite::fixture("serve/basic");
    let server = site.serve(&[]);
    let folder = server.get("/notes?x=1");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location"), Some("/notes/?x=1"));
    for path in [
        "/missing/",
        "/missing.html",
        "/notes/third/",
        "/__dossier/nothing",
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(
            reply.text().contains("Fixture: nothing here."),
            "{path}: {}",
            reply.text()
        );
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        // Its links are relative to the site root; the base makes them work at any depth.
        assert!(reply.text().contains("<base href=\"/\">"), "{path}");
    }
}

#[test]
fn paths_out_of_the_site_are_refused() {
    let site = TestSite::fixture("serve/basic");
    std::fs::write(site.scratch().join("secret.txt"), "SECRET").unwrap();
    let server = site.serve(&[]);
    for path in [
        "/../secret.txt",
        "/notes/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/notes/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/notes%5c..%5c..%5csecret.txt",
        "/index.html%00.png",
        "/%2500",
        "/./site.yaml",
        "//etc/passwd",
    ] {
        let reply = request(&server.address(), "GET", path, &[]).unwrap();
        assert!(
            reply.status == 400 || reply.status == 404,
            "{path}: {}",
            reply.status
        );
        assert!(!reply.text().contains("SECRET"), "{path} leaked the file");
        assert!(!reply.text().contains("root:"), "{path} leaked /etc/passwd");
    }
    assert_eq!(server.get("/%2e%2e/secret.txt").status, 400);
    assert_eq!(
        server.get("/style.css").status,
        200,
        "the server still serves"
    );
}

#[test]
fn symlinks_out_of_the_site_are_never_served() {
    let site = TestSite::fixture("serve/basic");
    let other = site.scratch().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("secret.txt"), "SECRET").unwrap();
    std::os::unix::fs::symlink(other.join("secret.txt"), site.path("static/leak.txt")).unwrap();
    std::os::unix::fs::symlink(&other, site.path("content/notes/up")).unwrap();
    let server = site.serve(&[]);
    for path in ["/leak.txt", "/notes/up/secret.txt", "/", "/notes/"] {
        let reply = server.get(path);
        assert_ne!(reply.status, 200, "{path}");
        assert!(!reply.text().contains("SECRET"), "{path} leaked the file");
    }
    assert!(
        server.stderr().contains("outside the site"),
        "{}",
        server.stderr()
    );
    insta::assert_snapshot!("symlinks_out_of_the_site", server.diagnostics(&site));
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = TestSite::fixture("serve/basic");
    let mut server = Dossier::spawn(&[
        "serve",
        "--root",
        site.root().to_str().unwrap(),
        "--port",
        &port,
    ]);
    assert_eq!(server.wait_exit(), Some(1));
    let stderr = server.stderr();
    assert!(
        stderr.contains(&format!("port {port} is already in use")),
        "{stderr}"
    );
    assert!(stderr.contains("--port 0"), "{stderr}");
    assert!(!stderr.contains("build failed"), "{stderr}");
    insta::assert_snapshot!("port_in_use", stderr.replace(&port, "[port]"));
}

#[test]
fn status_and_script_endpoints() {
    let site = TestSite::fixture("serve/basic");
    let server = site.serve(&[]);
    let status = server.status();
    assert_eq!(status["builds"], 1);
    assert_eq!(status["error"], serde_json::Value::Null);
    let script = server.get("/__dossier/live.js");
    assert_eq!(script.status, 200);
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(script.text().contains("EventSource"));
}

#[test]
fn other_addresses_than_loopback_are_warned_about() {
    let site = TestSite::fixture("serve/basic");
    let root = site.root().to_str().unwrap();
    let server = Dossier::spawn(&["serve", "--root", root, "--port", "0", "--bind", "0.0.0.0"]);
    server.wait_for_stdout("the address", |l| l.contains("http://"));
    let stderr = server.stderr();
    assert!(stderr.contains("warning: serving on 0.0.0.0"), "{stderr}");
    assert!(stderr.contains("--bind 127.0.0.1"), "{stderr}");
    insta::assert_snapshot!("not_loopback", server.diagnostics(&site));
    let quiet = site.serve(&[]);
    assert!(!quiet.stderr().contains("warning"), "{}", quiet.stderr());
}
