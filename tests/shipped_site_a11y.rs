//! Quality gates for the shipped site: it is built with the real `dossier` binary, then
//!
//! (a) every HTML file passes the Nu Html Checker (`vnu.jar`, errors only);
//! (b) every page passes axe-core (WCAG 2.0/2.1 A and AA plus best practices) in headless
//!     Chromium, in the light and the dark colour scheme, at 1440 px and at 320 px wide, and
//!     does not scroll sideways at 320 px (WCAG 1.4.10 Reflow);
//! (c) every page's HTML plus the local CSS and JS it references stays under 50 KB.
//!
//! The `checker_*` tests run the same machinery on small hand-made pages, including bad ones,
//! so the checkers are shown to be able to fail.
//!
//! The checks live in `tests/common/a11y.rs`, so other test files can run them on their own
//! fixtures (`check_axe_pages(&browser, &out, &["index.html", "people/index.html"])`).
//!
//! Tools: `java` and Chromium from the system (see `.ci/run`); puppeteer-core, axe-core and
//! vnu.jar from `npm ci --prefix tests/tools`. When one is missing the test prints
//! `skipped: ...` and passes, unless `CI` is set: then it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::a11y::{
    browser_or_skip, check_axe, check_axe_pages, check_vnu, check_weight, format_violations,
    format_vnu_errors, horizontal_overflow, html_files, is_redirect_page, page_weight,
    percent_decode, resolve_local, run_axe, run_vnu, vnu_or_skip, VIEWPORT_HEIGHT, WIDTHS,
};
use common::browser::{self, file_url, Browser};
use common::site::TestSite;
use serde_json::Value;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

// ---------------------------------------------------------------------------------------------
// Building the shipped site
// ---------------------------------------------------------------------------------------------

/// Builds a copy of the shipped site with the real binary into `<site>/public`. The article's
/// text (`../shared/source/article.txt`) is placed at `sources/article.txt` in the copy, as
/// `sources.yaml` names it, so every quotation is verified during the build; in CI it must be
/// there, and the build must not report unverified quotations.
fn build_shipped_site() -> (TestSite, PathBuf) {
    let site = TestSite::fixture(".");
    let article = Path::new(MANIFEST_DIR).join("../shared/source/article.txt");
    match fs::read_to_string(&article) {
        Ok(text) => {
            site.write("sources/article.txt", text);
        }
        Err(_) => assert!(
            std::env::var_os("CI").is_none(),
            "CI must have {}",
            article.display()
        ),
    }
    let started = Instant::now();
    let run = site.build();
    assert!(
        run.code == 0,
        "building the shipped site failed with {}\n--- stdout\n{}\n--- stderr\n{}",
        run.code,
        run.stdout,
        run.stderr,
    );
    if site.path("sources/article.txt").is_file() {
        assert!(
            !run.stderr.contains("not verified"),
            "quotations went unverified:\n{}",
            run.stderr
        );
    }
    let out = site.public();
    let pages = html_files(&out);
    assert!(
        out.join("index.html").is_file(),
        "the build exited 0 but wrote no {}/index.html (found {} HTML files)",
        out.display(),
        pages.len()
    );
    eprintln!(
        "built the shipped site: {} HTML files in {:.1?}",
        pages.len(),
        started.elapsed()
    );
    (site, out)
}

// ---------------------------------------------------------------------------------------------
// The shipped site
// ---------------------------------------------------------------------------------------------

#[test]
fn shipped_site_pages_fit_the_weight_budget() {
    let (_tmp, out) = build_shipped_site();
    // The one-page version is weighed like every page.
    assert!(out.join("print/index.html").is_file());
    match check_weight(&out) {
        Ok(summary) => eprintln!("{summary}"),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn shipped_site_passes_the_nu_html_checker() {
    let Some(jar) = vnu_or_skip() else { return };
    let (_tmp, out) = build_shipped_site();
    match check_vnu(&jar, &out) {
        Ok(summary) => eprintln!("{summary}"),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn shipped_site_passes_axe_in_light_and_dark_at_wide_and_narrow_widths() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let (_tmp, out) = build_shipped_site();
    match check_axe(&browser, &out) {
        Ok(summary) => eprintln!("{summary}"),
        Err(e) => panic!("{e}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Theme parts the shipped explainer does not use yet, on fixtures
// ---------------------------------------------------------------------------------------------

/// Fixtures built with the shipped theme, and the pages of each that must exist: dates,
/// updates, corrections and "What changed" (`toolkit/dates`); footnotes, callouts, definition
/// lists, known/unknown (`toolkit/reader-aids`); highlighted code (`parity/code`); a link to a
/// draft shown as text (`parity/drafts`); tag pages and the tag index (`parity/tags`); the
/// one-page version with prefixed ids and one list of sources (`parity/print`). Add a fixture
/// here to check it too.
const THEME_FIXTURES: &[(&str, &[&str])] = &[
    ("toolkit/dates", &["index.html"]),
    ("parity/code", &["examples/index.html"]),
    ("parity/drafts", &["index.html"]),
    (
        "parity/tags",
        &[
            "tags/index.html",
            "tags/foreign-policy/index.html",
            "tags/eclat-co/index.html",
            "print/index.html",
        ],
    ),
    ("parity/print", &["print/index.html"]),
    ("toolkit/reader-aids", &["aids/index.html"]),
    (
        "toolkit/theme",
        &[
            "story/index.html",
            "timeline/index.html",
            "sources/index.html",
        ],
    ),
];

/// Builds `tests/fixtures/<fixture>` (its `site.yaml`, `content/` and any `sources.yaml` and
/// `sources/`) with the shipped theme
/// (`templates/` and `static/` of the repository); returns the site and its output folder.
fn build_theme_fixture(fixture: &str, pages: &[&str]) -> (TestSite, PathBuf) {
    let site = TestSite::empty();
    let from = Path::new(MANIFEST_DIR).join("tests/fixtures").join(fixture);
    let repo = Path::new(MANIFEST_DIR);
    for (source, part) in [
        (from.as_path(), "site.yaml"),
        (from.as_path(), "content"),
        (from.as_path(), "sources.yaml"),
        (from.as_path(), "sources"),
        (repo, "templates"),
        (repo, "static"),
    ] {
        common::site::copy_tree(&source.join(part), &site.path(part));
    }
    site.build().success();
    for page in pages {
        assert!(site.public().join(page).is_file(), "{fixture}: no {page}");
    }
    let out = site.public();
    (site, out)
}

#[test]
fn theme_fixtures_fit_the_weight_budget() {
    for (fixture, pages) in THEME_FIXTURES {
        let (_site, out) = build_theme_fixture(fixture, pages);
        match check_weight(&out) {
            Ok(summary) => eprintln!("{fixture}: {summary}"),
            Err(e) => panic!("{fixture}: {e}"),
        }
    }
}

#[test]
fn theme_fixtures_pass_the_nu_html_checker() {
    let Some(jar) = vnu_or_skip() else { return };
    for (fixture, pages) in THEME_FIXTURES {
        let (_site, out) = build_theme_fixture(fixture, pages);
        match check_vnu(&jar, &out) {
            Ok(summary) => eprintln!("{fixture}: {summary}"),
            Err(e) => panic!("{fixture}: {e}"),
        }
    }
}

#[test]
fn theme_fixtures_pass_axe_in_light_and_dark_at_wide_and_narrow_widths() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    for (fixture, pages) in THEME_FIXTURES {
        let (_site, out) = build_theme_fixture(fixture, pages);
        match check_axe(&browser, &out) {
            Ok(summary) => eprintln!("{fixture}: {summary}"),
            Err(e) => panic!("{fixture}: {e}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The checkers themselves, on hand-made pages
// ---------------------------------------------------------------------------------------------

const GOOD_PAGE: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>A good page</title>
<link rel="stylesheet" href="style.css">
<script src="app.js" defer></script>
</head>
<body>
<header><a href="#main">Skip to content</a></header>
<main id="main">
<h1>A good page</h1>
<p>Some text with <a href="other.html">a link</a>.</p>
<img src="pixel.png" alt="A red pixel" width="1" height="1">
</main>
</body>
</html>
"##;

/// Light: dark grey on white. Dark: dark grey on black, which fails contrast.
const GOOD_CSS: &str = "body { color: #222; background: #fff; font: 16px/1.5 sans-serif; }\n\
    @media (prefers-color-scheme: dark) { body { color: #333; background: #000; } }\n";

/// An `<img>` without alt text, a button with no name, and no `lang`.
const AXE_BAD_PAGE: &str = r#"<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>Bad</title></head>
<body><main><h1>Bad</h1><img src="pixel.png"><button></button></main></body>
</html>
"#;

/// Misnested tags, a stray end tag, an unknown element and no `<title>`.
const VNU_BAD_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"></head>
<body><p><div>block in a paragraph</span></p><blink>old</blink></body>
</html>
"#;

/// A 1x1 red PNG, so images load.
const PIXEL_PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\xdac\xfc\xcf\xc0\xf0\x1f\x00\x05\x05\x02\x00_\xc8\xf1\xd2\x00\x00\x00\x00IEND\xaeB`\x82";

fn fixture_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    fs::write(p.join("good.html"), GOOD_PAGE).unwrap();
    fs::write(p.join("style.css"), GOOD_CSS).unwrap();
    fs::write(
        p.join("app.js"),
        "document.documentElement.dataset.js = 'on';\n",
    )
    .unwrap();
    fs::write(p.join("axe-bad.html"), AXE_BAD_PAGE).unwrap();
    fs::write(p.join("vnu-bad.html"), VNU_BAD_PAGE).unwrap();
    // A 1x1 PNG, so images load.
    fs::write(p.join("pixel.png"), PIXEL_PNG).unwrap();
    fs::write(
        p.join("wide.html"),
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Wide</title></head>\
         <body><main><h1>Wide</h1><div id=\"slab\" style=\"width:600px\">x</div>\
         <div style=\"height:3000px\">tall</div></main></body></html>",
    )
    .unwrap();
    dir
}

#[test]
fn checker_helpers_work_without_tools() {
    assert_eq!(
        file_url(Path::new("/tmp/a b/ü.html")),
        "file:///tmp/a%20b/%C3%BC.html"
    );
    assert_eq!(percent_decode("a%20b%zz%4"), "a b%zz%4");

    let site = fixture_site();
    let root = site.path();
    let (total, parts) = page_weight(root, &root.join("good.html")).unwrap();
    let names: Vec<&str> = parts.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(names, ["good.html", "app.js", "style.css"]);
    let expected = GOOD_PAGE.len()
        + GOOD_CSS.len()
        + fs::metadata(root.join("app.js")).unwrap().len() as usize;
    assert_eq!(total, expected as u64);

    fs::write(
        root.join("broken.html"),
        "<link rel=stylesheet href=\"../nope.css\">",
    )
    .unwrap();
    let err = page_weight(root, &root.join("broken.html")).unwrap_err();
    assert!(err.contains("nope.css"), "{err}");
    let r = Path::new("/site");
    let page = Path::new("/site/people/putin/index.html");
    assert_eq!(
        resolve_local(r, page, "/style.css?v=1"),
        Some(PathBuf::from("/site/style.css"))
    );
    assert_eq!(
        resolve_local(r, page, "../../js/a%20b.js#x"),
        Some(PathBuf::from("/site/js/a b.js"))
    );
    assert_eq!(resolve_local(r, page, "https://example.org/x.css"), None);
    assert_eq!(resolve_local(r, page, "//cdn.example.org/x.css"), None);
    assert!(is_redirect_page(
        "<meta http-equiv=\"Refresh\" content=\"0; url=../x/\">"
    ));
    assert!(!is_redirect_page(GOOD_PAGE));
}

#[test]
fn checker_browser_driver_drives_a_page() {
    let Some(chromium) = browser::require_browser() else {
        return;
    };
    let browser = Browser::launch_with(&chromium).unwrap_or_else(|e| panic!("{e}"));
    let profile = browser.temp_dir().to_path_buf();
    assert!(profile.join("profile").is_dir());
    let site = fixture_site();
    {
        let page = browser.new_page().unwrap();
        page.set_viewport(800, 600).unwrap();
        page.goto(&file_url(&site.path().join("good.html")))
            .unwrap();
        assert_eq!(page.eval("document.title").unwrap(), "A good page");
        assert_eq!(page.eval("1 + 2").unwrap(), 3);
        assert_eq!(page.eval("undefined").unwrap(), Value::Null);
        assert_eq!(
            page.eval("new Promise(r => setTimeout(() => r({a: [1, 'x']}), 20))")
                .unwrap(),
            serde_json::json!({"a": [1, "x"]})
        );
        let err = page.eval("throw new Error('boom')").unwrap_err();
        assert!(err.contains("boom"), "{err}");
        // The deferred local script ran, and the stylesheet applied.
        page.wait_for(
            "document.documentElement.dataset.js === 'on'",
            Duration::from_secs(5),
        )
        .unwrap();
        assert_eq!(page.eval("innerWidth").unwrap(), 800);
        assert_eq!(
            page.eval("getComputedStyle(document.body).backgroundColor")
                .unwrap(),
            "rgb(255, 255, 255)"
        );
        page.emulate_dark(true).unwrap();
        assert_eq!(
            page.eval("matchMedia('(prefers-color-scheme: dark)').matches")
                .unwrap(),
            true
        );
        assert_eq!(
            page.eval("getComputedStyle(document.body).backgroundColor")
                .unwrap(),
            "rgb(0, 0, 0)"
        );
        page.emulate_dark(false).unwrap();
        let t = Instant::now();
        let err = page
            .wait_for("false", Duration::from_millis(300))
            .unwrap_err();
        assert!(err.contains("timed out"), "{err}");
        assert!(t.elapsed() < Duration::from_secs(5));
        page.eval("console.log('hello', 42)").unwrap();
        let console = page.take_console();
        assert!(
            console.iter().any(|l| l == "console.log: hello 42"),
            "{console:?}"
        );

        // Screenshots: the viewport, then the whole (taller) page.
        page.goto(&file_url(&site.path().join("wide.html")))
            .unwrap();
        let shot = site.path().join("shots/viewport.png");
        page.screenshot_png(&shot, false).unwrap();
        assert_eq!(png_size(&shot), (800, 600));
        let full = site.path().join("shots/full.png");
        page.screenshot_png(&full, true).unwrap();
        let (w, h) = png_size(&full);
        assert!(w >= 800 && h > 3000, "full page shot is {w}x{h}");

        // Narrow viewport: the 600 px slab makes the page scroll sideways at 320 px.
        page.set_viewport(320, 600).unwrap();
        page.goto(&file_url(&site.path().join("wide.html")))
            .unwrap();
        let overflow = horizontal_overflow(&page).unwrap();
        assert!(
            overflow.as_deref().is_some_and(|o| o.contains("div#slab")),
            "{overflow:?}"
        );
        page.goto(&file_url(&site.path().join("good.html")))
            .unwrap();
        assert_eq!(horizontal_overflow(&page).unwrap(), None);

        // An uncaught exception is reported like a console line.
        page.eval("setTimeout(() => { throw new Error('late boom') }, 0); 1")
            .unwrap();
        std::thread::sleep(Duration::from_millis(100));
        let console = page.take_console();
        assert!(
            console.iter().any(|l| l.contains("late boom")),
            "{console:?}"
        );
        let err = page
            .goto(&file_url(&site.path().join("missing.html")))
            .unwrap_err();
        assert!(err.contains("ERR_FILE_NOT_FOUND"), "{err}");
    }
    // A second tab works after the first one closed.
    let page = browser.new_page().unwrap();
    page.goto(&file_url(&site.path().join("good.html")))
        .unwrap();
    assert_eq!(page.eval("document.title").unwrap(), "A good page");
    drop(page);
    drop(browser);
    assert!(!profile.exists(), "the profile folder outlives the browser");
}

fn png_size(path: &Path) -> (u32, u32) {
    let b = fs::read(path).unwrap();
    assert_eq!(
        &b[..8],
        b"\x89PNG\r\n\x1a\n",
        "{} is not a PNG",
        path.display()
    );
    let w = u32::from_be_bytes(b[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(b[20..24].try_into().unwrap());
    (w, h)
}

#[test]
fn checker_axe_reports_violations_on_a_bad_page_and_none_on_a_good_one() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let site = fixture_site();
    let page = browser.new_page().unwrap();
    page.set_viewport(1440, VIEWPORT_HEIGHT).unwrap();

    page.goto(&file_url(&site.path().join("axe-bad.html")))
        .unwrap();
    let report = run_axe(&page, None).unwrap();
    let ids: Vec<&str> = report.violations.iter().map(|v| v.id.as_str()).collect();
    for expected in ["image-alt", "button-name", "html-has-lang"] {
        assert!(ids.contains(&expected), "axe missed {expected}: {ids:?}");
    }
    let text = format_violations("[light, 1440px] axe-bad.html", &report.violations);
    assert!(
        text.contains("image-alt (critical): Images must have alternative text"),
        "{text}"
    );
    assert!(text.contains("    - img: "), "{text}");

    page.goto(&file_url(&site.path().join("good.html")))
        .unwrap();
    let report = run_axe(&page, None).unwrap();
    assert!(
        report.violations.is_empty(),
        "false positives on the good page:\n{}",
        format_violations("good.html", &report.violations)
    );
    assert!(
        report.passes > 10,
        "axe passed only {} rules",
        report.passes
    );
}

#[test]
fn checker_axe_sees_the_emulated_dark_scheme_and_narrow_viewport() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let site = fixture_site();
    let url = file_url(&site.path().join("good.html"));
    let page = browser.new_page().unwrap();
    for width in WIDTHS {
        page.set_viewport(*width, VIEWPORT_HEIGHT).unwrap();
        page.emulate_dark(false).unwrap();
        page.goto(&url).unwrap();
        let light = run_axe(&page, Some(&["color-contrast"])).unwrap();
        assert!(light.violations.is_empty(), "{light:?}");

        page.emulate_dark(true).unwrap();
        page.goto(&url).unwrap();
        let dark = run_axe(&page, Some(&["color-contrast"])).unwrap();
        assert_eq!(
            dark.violations.first().map(|v| v.id.as_str()),
            Some("color-contrast"),
            "dark #333 on #000 should fail contrast at {width}px: {dark:?}"
        );
    }
}

#[test]
fn checker_vnu_reports_errors_on_an_invalid_document_and_none_on_a_valid_one() {
    let Some(jar) = vnu_or_skip() else { return };
    let site = fixture_site();
    let root = site.path();
    let errors = run_vnu(&jar, &[root.join("good.html"), root.join("vnu-bad.html")]).unwrap();
    let text = format_vnu_errors(root, &errors);
    assert!(
        errors.iter().all(|e| e.file.ends_with("vnu-bad.html")),
        "false positives on the valid page:\n{text}"
    );
    assert!(errors.len() >= 3, "vnu found too little:\n{text}");
    assert!(text.contains("vnu-bad.html:4:"), "{text}");
    assert!(
        text.contains("title"),
        "missing <title> not reported:\n{text}"
    );
    assert!(
        text.contains("blink"),
        "unknown element not reported:\n{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// The whole-site checks on a small hand-made site, clean and broken
// ---------------------------------------------------------------------------------------------

const CLEAN_CSS: &str = r#":root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fff; --link: #0b57d0; --muted: #555; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8e8; --bg: #121212; --link: #8ab4f8; --muted: #b0b0b0; } }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); font: 1.0625rem/1.6 system-ui, sans-serif; }
a { color: var(--link); }
header, main, footer { max-width: 42rem; margin: 0 auto; padding: 1rem; }
nav ul { display: flex; flex-wrap: wrap; gap: .5rem 1rem; list-style: none; padding: 0; }
.muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
td, th { border: 1px solid var(--muted); padding: .25rem .5rem; text-align: left; }
pre { overflow-x: auto; }
"#;

/// One page of the clean site, `depth` folders below the root.
fn clean_page(title: &str, depth: usize, body: &str) -> String {
    let up = "../".repeat(depth);
    format!(
        r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – The test dossier</title>
<meta name="description" content="A page of a hand-made site for the checkers' self-tests.">
<link rel="stylesheet" href="{up}style.css">
<script src="{up}site.js" defer></script>
</head>
<body>
<a href="#main">Skip to the content</a>
<header>
<nav aria-label="Pages"><ul>
<li><a href="{up}index.html">Overview</a></li>
<li><a href="{up}background/index.html">Background</a></li>
<li><a href="{up}people/index.html">People</a></li>
</ul></nav>
</header>
<main id="main">
<h1>{title}</h1>
{body}
</main>
<footer><p class="muted">Made for testing. <a href="{up}index.html">Back to the overview</a>.</p></footer>
</body>
</html>
"##
    )
}

fn clean_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    let para = "<p>This paragraph stands in for the text of a real explainer page. It has \
        <a href=\"#notes\">a link to the notes</a>, <strong>some emphasis</strong> and enough \
        words to wrap over several lines at every width the tests use.</p>\n";
    let body = format!(
        "{}<h2 id=\"facts\">Facts</h2>\n<table><caption>Key facts</caption>\
         <thead><tr><th scope=\"col\">What</th><th scope=\"col\">Value</th></tr></thead>\
         <tbody><tr><td>Place</td><td>Anchorage</td></tr><tr><td>Length</td><td>About three hours</td></tr></tbody></table>\n\
         <h2 id=\"notes\">Notes</h2>\n{}<pre tabindex=\"0\"><code>a long line of code that must scroll inside its own box, not the page: 0123456789012345678901234567890123456789</code></pre>\n",
        para.repeat(6),
        para.repeat(3)
    );
    let pages = [
        ("index.html", 0, "Overview"),
        ("background/index.html", 1, "Background"),
        ("people/index.html", 1, "People"),
        ("people/putin/index.html", 2, "Vladimir Putin"),
        ("404.html", 0, "Page not found"),
    ];
    for (path, depth, title) in pages {
        let file = p.join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(file, clean_page(title, depth, &body)).unwrap();
    }
    fs::create_dir_all(p.join("old")).unwrap();
    fs::write(
        p.join("old/index.html"),
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Moved</title>\
         <meta http-equiv=\"refresh\" content=\"0; url=../background/index.html\"></head>\
         <body><p><a href=\"../background/index.html\">Moved here</a>.</p></body></html>",
    )
    .unwrap();
    fs::write(p.join("style.css"), CLEAN_CSS).unwrap();
    fs::write(
        p.join("site.js"),
        "document.documentElement.classList.add('js');\n",
    )
    .unwrap();
    dir
}

/// Adds a heavy, invalid and inaccessible page to a clean site.
fn break_site(root: &Path) {
    let filler = "<p>Filler text to push the page over the weight budget.</p>\n".repeat(900);
    let body = format!(
        "<img src=\"../nothing.png\"><p><div>misnested</div></p>\
         <p style=\"color:#777;background:#888\">Low contrast</p>{filler}"
    );
    fs::create_dir_all(root.join("broken")).unwrap();
    fs::write(
        root.join("broken/index.html"),
        clean_page("Broken", 1, &body),
    )
    .unwrap();
}

#[test]
fn checker_weight_check_passes_a_clean_site_and_fails_a_heavy_page() {
    let site = clean_site();
    let summary = check_weight(site.path()).unwrap();
    assert!(summary.starts_with("heaviest page: "), "{summary}");
    break_site(site.path());
    let err = check_weight(site.path()).unwrap_err();
    assert!(
        err.contains("broken/index.html: ") && err.contains("style.css") && err.contains("site.js"),
        "{err}"
    );
    assert_eq!(
        err.lines().count(),
        2,
        "only the broken page is too heavy:\n{err}"
    );
}

#[test]
fn checker_vnu_site_check_passes_a_clean_site_and_fails_a_broken_one() {
    let Some(jar) = vnu_or_skip() else { return };
    let site = clean_site();
    let summary = check_vnu(&jar, site.path()).unwrap_or_else(|e| panic!("{e}"));
    eprintln!("{summary}");
    break_site(site.path());
    let err = check_vnu(&jar, site.path()).unwrap_err();
    assert!(err.contains("broken/index.html:"), "{err}");
    assert!(
        err.lines().filter(|l| l.starts_with("broken/")).count() >= 2,
        "{err}"
    );
    assert!(!err.contains("people/"), "false positives:\n{err}");
}

#[test]
fn checker_axe_site_check_passes_a_clean_site_and_fails_a_broken_one() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let site = clean_site();
    let summary = check_axe(&browser, site.path()).unwrap_or_else(|e| panic!("{e}"));
    eprintln!("{summary}");
    assert!(
        summary.starts_with("axe: 20 runs over 5 pages"),
        "{summary}"
    );
    break_site(site.path());
    let err = check_axe(&browser, site.path()).unwrap_err();
    for expected in [
        "[light, 1440px] broken/index.html: image-alt (critical)",
        "[dark, 320px] broken/index.html: image-alt (critical)",
        "[light, 1440px] broken/index.html: color-contrast (serious)",
        "    - img: Fix any of the following:",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(!err.contains("people/"), "false positives:\n{err}");
    // Only the listed pages are opened.
    let summary = check_axe_pages(&browser, site.path(), &["people/index.html"])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(summary.starts_with("axe: 4 runs over 1 pages"), "{summary}");
}
