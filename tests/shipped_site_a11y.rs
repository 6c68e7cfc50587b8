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
//! Tools: `java` and Chromium from the system (see `.ci/run`), axe-core and vnu.jar from
//! `npm ci --prefix tests/tools`. When one is missing the test prints `skipped: ...` and
//! passes, unless `CI` is set: then it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::browser::{self, file_url, require_tool, Browser, Page};
use serde_json::Value;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// Budget for one page: its HTML plus the local CSS and JS files it references.
const PAGE_BUDGET_BYTES: u64 = 50_000;

/// The axe-core rule tags every page must pass.
const AXE_TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

/// Viewport widths the pages are checked at (CSS px), with the viewport height.
const WIDTHS: &[u32] = &[1440, 320];
const VIEWPORT_HEIGHT: u32 = 900;

// ---------------------------------------------------------------------------------------------
// Tools
// ---------------------------------------------------------------------------------------------

fn tools_dir() -> PathBuf {
    Path::new(MANIFEST_DIR).join("tests/tools/node_modules")
}

fn axe_path() -> PathBuf {
    tools_dir().join("axe-core/axe.min.js")
}

fn vnu_path() -> PathBuf {
    tools_dir().join("vnu-jar/build/dist/vnu.jar")
}

fn java_works() -> bool {
    Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The path of vnu.jar when java and the jar are there; `None` (after `require_tool` printed
/// why) when the test should be skipped.
fn vnu_or_skip() -> Option<PathBuf> {
    if !require_tool(
        "java (a Java 11+ runtime, for the Nu Html Checker)",
        java_works(),
    ) {
        return None;
    }
    let jar = vnu_path();
    let what = format!("{} (run `npm ci --prefix tests/tools`)", jar.display());
    require_tool(&what, jar.is_file()).then_some(jar)
}

/// A launched browser and the axe-core source, or `None` when the test should be skipped.
fn browser_and_axe_or_skip() -> Option<(Browser, String)> {
    let chromium = browser::find_chromium();
    if !require_tool(
        "Chromium (set DOSSIER_CHROMIUM or install chromium)",
        chromium.is_some(),
    ) {
        return None;
    }
    let axe = axe_path();
    let what = format!("{} (run `npm ci --prefix tests/tools`)", axe.display());
    if !require_tool(&what, axe.is_file()) {
        return None;
    }
    let axe_src = fs::read_to_string(&axe).expect("read axe.min.js");
    // Chromium is installed, so failing to start it is a real error, not a reason to skip.
    let browser = Browser::launch_with(&chromium.unwrap())
        .unwrap_or_else(|e| panic!("cannot start headless Chromium: {e}"));
    Some((browser, axe_src))
}

// ---------------------------------------------------------------------------------------------
// Building the shipped site
// ---------------------------------------------------------------------------------------------

/// Builds the shipped site with the real binary into `<tempdir>/public`.
fn build_shipped_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--root", MANIFEST_DIR, "--output"])
        .arg(&out)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the dossier binary");
    assert!(
        output.status.success(),
        "`dossier build --root {MANIFEST_DIR} --output {}` failed with {}\n--- stdout\n{}\n--- stderr\n{}",
        out.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
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
    (tmp, out)
}

/// Every `.html` file under `root`, sorted.
fn html_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    files.sort();
    files
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}

/// Whether the page is only a redirect (`<meta http-equiv="refresh">`, as aliases are).
fn is_redirect_page(html: &str) -> bool {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("meta[http-equiv]").unwrap();
    let found = doc.select(&sel).any(|m| {
        m.value()
            .attr("http-equiv")
            .is_some_and(|v| v.eq_ignore_ascii_case("refresh"))
    });
    found
}

// ---------------------------------------------------------------------------------------------
// (a) Nu Html Checker
// ---------------------------------------------------------------------------------------------

/// One error reported by vnu.
#[derive(Debug)]
struct VnuError {
    file: String,
    line: Option<u64>,
    column: Option<u64>,
    message: String,
    extract: String,
}

/// Runs `java -jar vnu.jar --errors-only --format json` over `files` and returns the errors.
fn run_vnu(jar: &Path, files: &[PathBuf]) -> Result<Vec<VnuError>, String> {
    assert!(!files.is_empty(), "no files to check");
    let output = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--format", "json"])
        .args(files)
        .output()
        .map_err(|e| format!("cannot run java: {e}"))?;
    // vnu prints its JSON report on stderr.
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: Value = [stderr.as_ref(), stdout.as_ref()]
        .iter()
        .find_map(|s| s.find('{').and_then(|i| serde_json::from_str(&s[i..]).ok()))
        .ok_or_else(|| {
            format!(
                "vnu exited with {} and printed no JSON report\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
                output.status
            )
        })?;
    let messages = report["messages"]
        .as_array()
        .ok_or("vnu's report has no `messages` list")?;
    Ok(messages
        .iter()
        .filter(|m| m["type"] != "info")
        .map(|m| VnuError {
            file: m["url"]
                .as_str()
                .unwrap_or("?")
                .trim_start_matches("file:")
                .to_string(),
            line: m["lastLine"].as_u64(),
            column: m["firstColumn"].as_u64(),
            message: m["message"].as_str().unwrap_or("?").to_string(),
            extract: m["extract"].as_str().unwrap_or("").to_string(),
        })
        .collect())
}

fn format_vnu_errors(root: &Path, errors: &[VnuError]) -> String {
    let mut s = String::new();
    for e in errors {
        let file = e.file.strip_prefix(&format!("{}/", root.display()));
        let _ = writeln!(
            s,
            "{}:{}:{}: {}",
            file.unwrap_or(&e.file),
            e.line.map_or("?".into(), |l| l.to_string()),
            e.column.map_or("?".into(), |c| c.to_string()),
            e.message
        );
        if !e.extract.is_empty() {
            let _ = writeln!(s, "    {}", e.extract.replace('\n', "↵"));
        }
    }
    s
}

// ---------------------------------------------------------------------------------------------
// (b) axe-core in Chromium
// ---------------------------------------------------------------------------------------------

/// One failed axe rule on one page.
#[derive(Debug)]
struct AxeViolation {
    id: String,
    impact: String,
    help: String,
    help_url: String,
    /// (CSS target, failure summary) per offending node.
    nodes: Vec<(String, String)>,
}

/// Outcome of one axe run.
#[derive(Debug)]
struct AxeReport {
    violations: Vec<AxeViolation>,
    passes: usize,
    /// (rule: reason, CSS target) that axe could not decide (e.g. contrast over a background
    /// image): printed, not failed.
    incomplete: Vec<(String, String)>,
}

/// Injects axe-core into the loaded page and runs it with [`AXE_TAGS`] (or only the given
/// rules).
fn run_axe(page: &Page, axe_src: &str, only_rules: Option<&[&str]>) -> Result<AxeReport, String> {
    let loaded = page.eval(&format!("{axe_src}\n;typeof axe"))?;
    if loaded != "object" {
        return Err(format!("axe did not load (typeof axe = {loaded})"));
    }
    page.eval("document.fonts.ready.then(() => true)")?;
    let run_only = match only_rules {
        Some(rules) => serde_json::json!({ "type": "rule", "values": rules }),
        None => serde_json::json!({ "type": "tag", "values": AXE_TAGS }),
    };
    let js = format!(
        r#"axe.run(document, {{ runOnly: {run_only}, resultTypes: ['violations', 'incomplete'] }})
            .then(r => ({{
              passes: r.passes.length,
              incomplete: r.incomplete.flatMap(v => v.nodes.map(n => [
                v.id + ((n.any[0] && n.any[0].message) ? ': ' + n.any[0].message : ''),
                n.target.join(' ')])),
              violations: r.violations.map(v => ({{
                id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => [n.target.join(' '), n.failureSummary || ''])
              }}))
            }}))"#
    );
    let r = page.eval(&js)?;
    let violations = r["violations"]
        .as_array()
        .ok_or_else(|| format!("unexpected axe result: {r}"))?
        .iter()
        .map(|v| AxeViolation {
            id: v["id"].as_str().unwrap_or("?").into(),
            impact: v["impact"].as_str().unwrap_or("").into(),
            help: v["help"].as_str().unwrap_or("").into(),
            help_url: v["helpUrl"].as_str().unwrap_or("").into(),
            nodes: v["nodes"]
                .as_array()
                .map(|ns| {
                    ns.iter()
                        .map(|n| {
                            (
                                n[0].as_str().unwrap_or("?").to_string(),
                                n[1].as_str().unwrap_or("").to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    Ok(AxeReport {
        violations,
        passes: r["passes"].as_u64().unwrap_or(0) as usize,
        incomplete: r["incomplete"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|v| {
                        let s = |i: usize| v[i].as_str().unwrap_or("?").to_string();
                        (s(0), s(1))
                    })
                    .collect()
            })
            .unwrap_or_default(),
    })
}

fn format_violations(context: &str, violations: &[AxeViolation]) -> String {
    let mut s = String::new();
    for v in violations {
        let _ = writeln!(s, "{context}: {} ({}): {}", v.id, v.impact, v.help);
        let _ = writeln!(s, "    {}", v.help_url);
        for (target, summary) in &v.nodes {
            let summary = summary.replace('\n', " / ");
            let _ = writeln!(s, "    - {target}: {summary}");
        }
    }
    s
}

/// Elements sticking out past the right edge when the page scrolls sideways, or `None`.
fn horizontal_overflow(page: &Page) -> Result<Option<String>, String> {
    let r = page.eval(
        r#"(() => {
            const vw = document.documentElement.clientWidth;
            const sw = document.documentElement.scrollWidth;
            if (sw <= vw) return null;
            const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '');
            const wide = [...document.body.querySelectorAll('*')]
                .filter(e => e.getBoundingClientRect().right > vw + 1)
                .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= vw + 1)
                .slice(0, 8)
                .map(e => name(e) + ' (right edge ' + Math.round(e.getBoundingClientRect().right) + 'px)');
            return 'document is ' + sw + 'px wide in a ' + vw + 'px viewport; widest: ' + wide.join(', ');
        })()"#,
    )?;
    Ok(r.as_str().map(String::from))
}

// ---------------------------------------------------------------------------------------------
// (c) Page weight
// ---------------------------------------------------------------------------------------------

/// Bytes of the page's HTML plus every local stylesheet and script it references, with the
/// list of counted files. Remote URLs are not counted; a local reference to a missing file is
/// an error.
fn page_weight(root: &Path, page: &Path) -> Result<(u64, Vec<(String, u64)>), String> {
    let html = fs::read_to_string(page).map_err(|e| format!("{}: {e}", page.display()))?;
    let mut parts = vec![(rel(root, page), html.len() as u64)];
    let doc = scraper::Html::parse_document(&html);
    let links = scraper::Selector::parse("link[href]").unwrap();
    let scripts = scraper::Selector::parse("script[src]").unwrap();
    let mut refs: BTreeSet<String> = BTreeSet::new();
    for l in doc.select(&links) {
        let rels = l.value().attr("rel").unwrap_or("").to_ascii_lowercase();
        if rels
            .split_ascii_whitespace()
            .any(|r| r == "stylesheet" || r == "modulepreload")
        {
            refs.insert(l.value().attr("href").unwrap().to_string());
        }
    }
    for s in doc.select(&scripts) {
        refs.insert(s.value().attr("src").unwrap().to_string());
    }
    for r in refs {
        let Some(file) = resolve_local(root, page, &r) else {
            continue;
        };
        let len = fs::metadata(&file)
            .map_err(|_| {
                format!(
                    "{} references {r}, but {} does not exist",
                    rel(root, page),
                    file.display()
                )
            })?
            .len();
        parts.push((rel(root, &file), len));
    }
    Ok((parts.iter().map(|p| p.1).sum(), parts))
}

/// The file a local URL in `page` points to, or `None` for remote and `data:` URLs.
fn resolve_local(root: &Path, page: &Path, url: &str) -> Option<PathBuf> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("//") || lower.starts_with("data:") || lower.contains("://") {
        return None;
    }
    let path = url.split(['?', '#']).next().unwrap_or("");
    let path = percent_decode(path);
    let (base, path) = match path.strip_prefix('/') {
        Some(p) => (root.to_path_buf(), p.to_string()),
        None => (page.parent().unwrap_or(root).to_path_buf(), path),
    };
    let mut out = base;
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    if path.ends_with('/') || out.is_dir() {
        out.push("index.html");
    }
    Some(out)
}

fn percent_decode(s: &str) -> String {
    let hex = |c: u8| (c as char).to_digit(16);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------------------------
// The three checks over a whole output folder (the shipped site, or a fixture in self-tests)
// ---------------------------------------------------------------------------------------------

/// (c) Every page's HTML + local CSS + JS within [`PAGE_BUDGET_BYTES`]. `Ok` holds a summary.
fn check_weight(out: &Path) -> Result<String, String> {
    let mut over = String::new();
    let mut heaviest = (String::new(), 0);
    for page in html_files(out) {
        let (total, parts) = page_weight(out, &page)?;
        if total > heaviest.1 {
            heaviest = (rel(out, &page), total);
        }
        if total > PAGE_BUDGET_BYTES {
            let list: Vec<String> = parts.iter().map(|(f, n)| format!("{f} {n} B")).collect();
            let _ = writeln!(
                over,
                "{}: {total} B = {}",
                rel(out, &page),
                list.join(" + ")
            );
        }
    }
    if over.is_empty() {
        Ok(format!("heaviest page: {} ({} B)", heaviest.0, heaviest.1))
    } else {
        Err(format!(
            "pages over the {PAGE_BUDGET_BYTES}-byte budget (HTML + local CSS + JS):\n{over}"
        ))
    }
}

/// (a) The Nu Html Checker finds no error in any HTML file under `out`.
fn check_vnu(jar: &Path, out: &Path) -> Result<String, String> {
    let files = html_files(out);
    if files.is_empty() {
        return Err(format!("no HTML files under {}", out.display()));
    }
    let started = Instant::now();
    let errors = run_vnu(jar, &files)?;
    if !errors.is_empty() {
        return Err(format!(
            "the Nu Html Checker found {} errors:\n{}",
            errors.len(),
            format_vnu_errors(out, &errors)
        ));
    }
    Ok(format!(
        "vnu checked {} files in {:.1?}",
        files.len(),
        started.elapsed()
    ))
}

/// (b) axe-core finds no violation on any page (redirect pages aside), light and dark, at
/// every width in [`WIDTHS`]; at 320 px no page scrolls sideways.
fn check_axe(browser: &Browser, axe_src: &str, out: &Path) -> Result<String, String> {
    let mut pages = Vec::new();
    for file in html_files(out) {
        let html = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        if is_redirect_page(&html) {
            eprintln!(
                "not opened in the browser (redirect page): {}",
                rel(out, &file)
            );
        } else {
            pages.push(file);
        }
    }
    if pages.is_empty() {
        return Err(format!("no pages to check under {}", out.display()));
    }
    let page = browser.new_page()?;
    let started = Instant::now();
    let mut failures = String::new();
    let mut runs = 0;
    // rule: reason -> page -> targets
    let mut needs_review: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for dark in [false, true] {
        // Emulation is set before loading so transitions cannot catch a page mid-change.
        page.emulate_dark(dark)?;
        for &width in WIDTHS {
            page.set_viewport(width, VIEWPORT_HEIGHT)?;
            for file in &pages {
                let scheme = if dark { "dark" } else { "light" };
                let context = format!("[{scheme}, {width}px] {}", rel(out, file));
                if let Err(e) = page.goto(&file_url(file)) {
                    let _ = writeln!(failures, "{context}: {e}");
                    continue;
                }
                match run_axe(&page, axe_src, None) {
                    Ok(report) => {
                        runs += 1;
                        failures.push_str(&format_violations(&context, &report.violations));
                        for (what, target) in report.incomplete {
                            needs_review
                                .entry(what)
                                .or_default()
                                .entry(rel(out, file))
                                .or_default()
                                .insert(target);
                        }
                    }
                    Err(e) => {
                        let _ = writeln!(failures, "{context}: axe did not run: {e}");
                    }
                }
                if width <= 320 {
                    match horizontal_overflow(&page) {
                        Ok(None) => {}
                        Ok(Some(what)) => {
                            let _ = writeln!(
                                failures,
                                "{context}: scrolls sideways (WCAG 1.4.10 Reflow): {what}"
                            );
                        }
                        Err(e) => {
                            let _ = writeln!(failures, "{context}: overflow check failed: {e}");
                        }
                    }
                }
                for line in page.take_console() {
                    eprintln!("{context}: {line}");
                }
            }
        }
    }
    // axe could not decide these (e.g. text over an image or a gradient): not failures.
    for (what, pages) in &needs_review {
        let count: usize = pages.values().map(BTreeSet::len).sum();
        eprintln!(
            "axe could not decide (check by hand; not a failure): {what} ({count} elements on {} pages)",
            pages.len()
        );
        for (page, targets) in pages {
            let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
            eprintln!("    {page}: {}", targets.join(", "));
        }
    }
    if !failures.is_empty() {
        return Err(format!(
            "accessibility problems (axe-core, tags {AXE_TAGS:?}):\n{failures}"
        ));
    }
    Ok(format!(
        "axe: {runs} runs over {} pages in {:.1?} ({})",
        pages.len(),
        started.elapsed(),
        browser.version()
    ))
}

// ---------------------------------------------------------------------------------------------
// The shipped site
// ---------------------------------------------------------------------------------------------

#[test]
fn shipped_site_pages_fit_the_weight_budget() {
    let (_tmp, out) = build_shipped_site();
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
    let Some((browser, axe_src)) = browser_and_axe_or_skip() else {
        return;
    };
    let (_tmp, out) = build_shipped_site();
    match check_axe(&browser, &axe_src, &out) {
        Ok(summary) => eprintln!("{summary}"),
        Err(e) => panic!("{e}"),
    }
}

/// Builds `tests/fixtures/<fixture>` (its `site.yaml` and `content/`) with the shipped theme
/// (`templates/` and `static/` of the repository) into `<tempdir>/public`: theme parts the
/// shipped explainer does not use yet are checked on such fixtures.
fn build_theme_fixture(fixture: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = Path::new(MANIFEST_DIR);
    let from = repo.join("tests/fixtures").join(fixture);
    for (source, part) in [
        (&from, "site.yaml"),
        (&from, "content"),
        (&repo.to_path_buf(), "templates"),
        (&repo.to_path_buf(), "static"),
    ] {
        common::site::copy_tree(&source.join(part), &tmp.path().join(part));
    }
    let out = tmp.path().join("public");
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--root"])
        .arg(tmp.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run the dossier binary");
    assert!(
        output.status.success(),
        "building {fixture} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (tmp, out)
}

/// Fixtures that use every theme part for dates, updates, corrections and "What changed".
const THEME_FIXTURES: &[&str] = &["toolkit/dates", "parity/code", "parity/drafts"];

#[test]
fn theme_fixtures_pass_the_nu_html_checker() {
    let Some(jar) = vnu_or_skip() else { return };
    for fixture in THEME_FIXTURES {
        let (_tmp, out) = build_theme_fixture(fixture);
        match check_vnu(&jar, &out) {
            Ok(summary) => eprintln!("{fixture}: {summary}"),
            Err(e) => panic!("{fixture}: {e}"),
        }
    }
}

#[test]
fn theme_fixtures_pass_axe_in_light_and_dark_at_wide_and_narrow_widths() {
    let Some((browser, axe_src)) = browser_and_axe_or_skip() else {
        return;
    };
    for fixture in THEME_FIXTURES {
        let (_tmp, out) = build_theme_fixture(fixture);
        match check_axe(&browser, &axe_src, &out) {
            Ok(summary) => eprintln!("{fixture}: {summary}"),
            Err(e) => panic!("{fixture}: {e}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The explainer toolkit's theme parts (footnotes, callouts, definition lists, known/unknown)
// ---------------------------------------------------------------------------------------------

/// Builds `tests/fixtures/toolkit/reader-aids` (a page using every reader aid) with the shipped
/// theme into `<tempdir>/public`.
fn build_toolkit_fixture() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = Path::new(MANIFEST_DIR);
    let fixture = repo.join("tests/fixtures/toolkit/reader-aids");
    common::site::copy_tree(&fixture.join("site.yaml"), &tmp.path().join("site.yaml"));
    common::site::copy_tree(&fixture.join("content"), &tmp.path().join("content"));
    for part in ["templates", "static"] {
        common::site::copy_tree(&repo.join(part), &tmp.path().join(part));
    }
    let out = tmp.path().join("public");
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("build")
        .arg("--root")
        .arg(tmp.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run the dossier binary");
    assert!(
        output.status.success(),
        "the toolkit fixture failed to build:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(out.join("aids/index.html").is_file());
    (tmp, out)
}

#[test]
fn toolkit_theme_parts_pass_the_nu_html_checker() {
    let Some(jar) = vnu_or_skip() else { return };
    let (_tmp, out) = build_toolkit_fixture();
    match check_vnu(&jar, &out) {
        Ok(summary) => eprintln!("{summary}"),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn toolkit_theme_parts_pass_axe_in_light_and_dark_at_wide_and_narrow_widths() {
    let Some((browser, axe_src)) = browser_and_axe_or_skip() else {
        return;
    };
    let (_tmp, out) = build_toolkit_fixture();
    match check_axe(&browser, &axe_src, &out) {
        Ok(summary) => eprintln!("{summary}"),
        Err(e) => panic!("{e}"),
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
    let png = browser::base64_decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==",
    )
    .unwrap();
    fs::write(p.join("pixel.png"), png).unwrap();
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
        browser::base64_decode("aGVsbG8gd29ybGQ=").unwrap(),
        b"hello world"
    );
    assert_eq!(browser::base64_decode("YQ==").unwrap(), b"a");
    assert!(browser::base64_decode("a$").is_err());
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
fn checker_cdp_client_drives_a_page() {
    let Some(chromium) = browser::find_chromium() else {
        require_tool("Chromium", false);
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
    let Some((browser, axe_src)) = browser_and_axe_or_skip() else {
        return;
    };
    let site = fixture_site();
    let page = browser.new_page().unwrap();
    page.set_viewport(1440, VIEWPORT_HEIGHT).unwrap();

    page.goto(&file_url(&site.path().join("axe-bad.html")))
        .unwrap();
    let report = run_axe(&page, &axe_src, None).unwrap();
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
    let report = run_axe(&page, &axe_src, None).unwrap();
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
    let Some((browser, axe_src)) = browser_and_axe_or_skip() else {
        return;
    };
    let site = fixture_site();
    let url = file_url(&site.path().join("good.html"));
    let page = browser.new_page().unwrap();
    for width in WIDTHS {
        page.set_viewport(*width, VIEWPORT_HEIGHT).unwrap();
        page.emulate_dark(false).unwrap();
        page.goto(&url).unwrap();
        let light = run_axe(&page, &axe_src, Some(&["color-contrast"])).unwrap();
        assert!(light.violations.is_empty(), "{light:?}");

        page.emulate_dark(true).unwrap();
        page.goto(&url).unwrap();
        let dark = run_axe(&page, &axe_src, Some(&["color-contrast"])).unwrap();
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
    let Some((browser, axe_src)) = browser_and_axe_or_skip() else {
        return;
    };
    let site = clean_site();
    let summary = check_axe(&browser, &axe_src, site.path()).unwrap_or_else(|e| panic!("{e}"));
    eprintln!("{summary}");
    assert!(
        summary.starts_with("axe: 20 runs over 5 pages"),
        "{summary}"
    );
    break_site(site.path());
    let err = check_axe(&browser, &axe_src, site.path()).unwrap_err();
    for expected in [
        "[light, 1440px] broken/index.html: image-alt (critical)",
        "[dark, 320px] broken/index.html: image-alt (critical)",
        "[light, 1440px] broken/index.html: color-contrast (serious)",
        "    - img: Fix any of the following:",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(!err.contains("people/"), "false positives:\n{err}");
}
