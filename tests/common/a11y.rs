//! The quality checks built pages must pass, for any output folder (the shipped site, a fixture,
//! a hand-made site in the checkers' self-tests):
//!
//! - [`check_vnu`]: every HTML file passes the Nu Html Checker (`vnu.jar`, errors only);
//! - [`check_axe`] / [`check_axe_pages`]: every page passes axe-core (WCAG 2.0/2.1 A and AA plus
//!   best practices) in headless Chromium, in the light and the dark colour scheme, at 1440 px
//!   and at 320 px wide, and does not scroll sideways at 320 px (WCAG 1.4.10 Reflow);
//! - [`check_weight`]: every page's HTML plus the local CSS and JS it references stays under 50 KB
//!   (the one-page version, `print/index.html`, which holds every page, under its own budget).
//!
//! Each returns `Ok(summary)` or `Err(every problem, one per line)`. Tools: `java` and Chromium
//! from the system (see `.ci/run`), the npm modules from `npm ci --prefix tests/tools`; get them
//! with [`vnu_or_skip`] and [`browser_or_skip`], which skip (or fail under `CI`) when one is missing.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use super::browser::{self, file_url, require_tool, Browser, Page};
use serde_json::Value;

/// Budget for one page: its HTML plus the local CSS and JS files it references.
pub const PAGE_BUDGET_BYTES: u64 = 50_000;

/// The axe-core rule tags every page must pass.
pub const AXE_TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

/// Viewport widths the pages are checked at (CSS px), with the viewport height.
pub const WIDTHS: &[u32] = &[1440, 320];
pub const VIEWPORT_HEIGHT: u32 = 900;

// ---------------------------------------------------------------------------------------------
// Tools
// ---------------------------------------------------------------------------------------------

fn vnu_path() -> PathBuf {
    browser::tools_dir().join("node_modules/vnu-jar/build/dist/vnu.jar")
}

fn java_works() -> bool {
    Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The path of vnu.jar when java and the jar are there; `None` (after `require_tool` printed
/// why) when the test should be skipped.
pub fn vnu_or_skip() -> Option<PathBuf> {
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

/// A launched headless Chromium, or `None` when the test should be skipped.
pub fn browser_or_skip() -> Option<Browser> {
    let chromium = browser::require_browser()?;
    // Chromium is installed, so failing to start it is a real error, not a reason to skip.
    let browser = Browser::launch_with(&chromium)
        .unwrap_or_else(|e| panic!("cannot start headless Chromium: {e}"));
    Some(browser)
}

/// Every `.html` file under `root`, sorted.
pub fn html_files(root: &Path) -> Vec<PathBuf> {
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

pub fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}

/// Whether the page is only a redirect (`<meta http-equiv="refresh">`, as aliases are).
pub fn is_redirect_page(html: &str) -> bool {
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
pub struct VnuError {
    pub file: String,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
    pub extract: String,
}

/// Runs `java -jar vnu.jar --errors-only --format json` over `files` and returns the errors.
pub fn run_vnu(jar: &Path, files: &[PathBuf]) -> Result<Vec<VnuError>, String> {
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

pub fn format_vnu_errors(root: &Path, errors: &[VnuError]) -> String {
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
pub struct AxeViolation {
    pub id: String,
    pub impact: String,
    pub help: String,
    pub help_url: String,
    /// (CSS target, failure summary) per offending node.
    pub nodes: Vec<(String, String)>,
}

/// Outcome of one axe run.
#[derive(Debug)]
pub struct AxeReport {
    pub violations: Vec<AxeViolation>,
    pub passes: usize,
    /// (rule: reason, CSS target) that axe could not decide (e.g. contrast over a background
    /// image): printed, not failed.
    pub incomplete: Vec<(String, String)>,
}

/// Runs axe-core on the loaded page with [`AXE_TAGS`] (or only the given rules).
pub fn run_axe(page: &Page, only_rules: Option<&[&str]>) -> Result<AxeReport, String> {
    let r = page.axe(AXE_TAGS, only_rules)?;
    let text = |v: &Value| v.as_str().unwrap_or("?").to_owned();
    let pairs = |v: &Value| -> Vec<(String, String)> {
        v.as_array()
            .map(|a| a.iter().map(|n| (text(&n[0]), text(&n[1]))).collect())
            .unwrap_or_default()
    };
    let violations = r["violations"]
        .as_array()
        .ok_or_else(|| format!("unexpected axe result: {r}"))?
        .iter()
        .map(|v| AxeViolation {
            id: text(&v["id"]),
            impact: text(&v["impact"]),
            help: text(&v["help"]),
            help_url: text(&v["helpUrl"]),
            nodes: pairs(&v["nodes"]),
        })
        .collect();
    Ok(AxeReport {
        violations,
        passes: r["passes"].as_u64().unwrap_or(0) as usize,
        incomplete: pairs(&r["incomplete"]),
    })
}

pub fn format_violations(context: &str, violations: &[AxeViolation]) -> String {
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
pub fn horizontal_overflow(page: &Page) -> Result<Option<String>, String> {
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
pub fn page_weight(root: &Path, page: &Path) -> Result<(u64, Vec<(String, u64)>), String> {
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
pub fn resolve_local(root: &Path, page: &Path, url: &str) -> Option<PathBuf> {
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

/// `%XX` escapes decoded (malformed ones kept as written), invalid UTF-8 replaced.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

// ---------------------------------------------------------------------------------------------
// The three checks over a whole output folder (the shipped site, or a fixture in self-tests)
// ---------------------------------------------------------------------------------------------

/// (c) Every page's HTML + local CSS + JS within [`PAGE_BUDGET_BYTES`]. `Ok` holds a summary.
pub fn check_weight(out: &Path) -> Result<String, String> {
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
pub fn check_vnu(jar: &Path, out: &Path) -> Result<String, String> {
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

/// (b) axe-core finds no violation on any page under `out` (redirect pages aside), light and
/// dark, at every width in [`WIDTHS`]; at 320 px no page scrolls sideways.
pub fn check_axe(browser: &Browser, out: &Path) -> Result<String, String> {
    let mut pages = Vec::new();
    for file in html_files(out) {
        let html = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        if is_redirect_page(&html) {
            eprintln!(
                "not opened in the browser (redirect page): {}",
                rel(out, &file)
            );
        } else {
            pages.push(rel(out, &file));
        }
    }
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    check_axe_pages(browser, out, &pages)
}

/// (b) for the given pages of `out` only (paths relative to it, like `index.html` or
/// `people/index.html`).
pub fn check_axe_pages(browser: &Browser, out: &Path, pages: &[&str]) -> Result<String, String> {
    if pages.is_empty() {
        return Err(format!("no pages to check under {}", out.display()));
    }
    let pages: Vec<PathBuf> = pages.iter().map(|p| out.join(p)).collect();
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
                match run_axe(&page, None) {
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
