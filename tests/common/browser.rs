//! Headless Chromium for tests, driven by puppeteer-core through `tests/tools/browser.js`.
//!
//! [`Browser::launch`] starts `node tests/tools/browser.js` with a fresh profile in a temporary
//! folder and exchanges one JSON line per step with it; every step waits at most
//! [`CALL_TIMEOUT`], so a test never hangs. [`Page::axe`] runs axe-core (`@axe-core/puppeteer`).
//!
//! ```ignore
//! let browser = Browser::launch()?;
//! let page = browser.new_page()?;
//! page.set_viewport(1440, 900)?;
//! page.emulate_dark(true)?;
//! page.goto("file:///tmp/site/index.html")?;
//! let title = page.eval("document.title")?;
//! page.screenshot_png(Path::new("shot.png"), false)?;
//! ```
//!
//! Chromium is found through `DOSSIER_CHROMIUM` (a path or a command name), else the first of
//! `chromium`, `chromium-browser`, `google-chrome`, `google-chrome-stable` on `PATH`; the node
//! modules come from `npm ci --prefix tests/tools`.

use serde_json::{json, Value};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use std::{env, fs};

/// The longest any single step (or page load) may take.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// When a tool a test needs is missing: with `CI` set (to anything but empty, `0` or `false`)
/// the test fails with a clear message; otherwise it prints `skipped: <reason>` to stderr and
/// returns `false`, so the caller returns early and the test passes as skipped.
///
/// Returns `found` (so `if !require_tool("java", java_found) { return; }`).
pub fn require_tool(name: &str, found: bool) -> bool {
    if found {
        return true;
    }
    let reason = format!("{name} is not available");
    assert!(
        !in_ci(),
        "{reason}, and CI is set, so this test may not be skipped. \
         Install it (see .ci/run) and run the tests again."
    );
    // Written to the real stderr, past libtest's output capture, so the skip shows in a plain
    // `cargo test` run too.
    let _ = writeln!(
        io::stderr(),
        "skipped: {reason} (set CI=1 to make this a failure)"
    );
    false
}

/// Whether the `CI` environment variable is set (and not empty, `0` or `false`).
pub fn in_ci() -> bool {
    env::var("CI").is_ok_and(|v| {
        let v = v.trim();
        !(v.is_empty() || v == "0" || v.eq_ignore_ascii_case("false"))
    })
}

/// Finds a command on `PATH` (or checks a path containing a `/`).
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    if name.contains('/') {
        let p = PathBuf::from(name);
        return is_executable(&p).then_some(p);
    }
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The Chromium binary to use: `DOSSIER_CHROMIUM`, else the usual names on `PATH`.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(explicit) = env::var_os("DOSSIER_CHROMIUM").filter(|v| !v.is_empty()) {
        return find_on_path(&explicit.to_string_lossy());
    }
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .find_map(|n| find_on_path(n))
}

/// `tests/tools`, the npm project with puppeteer-core, axe-core and vnu.jar.
pub fn tools_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools")
}

/// Chromium, when it and everything that drives it (node, the npm modules) are there; else
/// `None` after [`require_tool`] said what is missing (it fails the test under `CI`).
pub fn require_browser() -> Option<PathBuf> {
    let chromium = find_chromium();
    if !require_tool(
        "Chromium (set DOSSIER_CHROMIUM or install chromium)",
        chromium.is_some(),
    ) || !require_tool("node", find_on_path("node").is_some())
    {
        return None;
    }
    for module in ["puppeteer-core", "@axe-core/puppeteer", "axe-core"] {
        let file = tools_dir()
            .join("node_modules")
            .join(module)
            .join("package.json");
        let what = format!("{} (run `npm ci --prefix tests/tools`)", file.display());
        if !require_tool(&what, file.is_file()) {
            return None;
        }
    }
    chromium
}

/// A running headless Chromium (behind `node browser.js`), closed and its profile removed on drop.
pub struct Browser {
    child: Child,
    stdin: Mutex<Option<ChildStdin>>,
    replies: Mutex<Receiver<Value>>,
    next_id: Mutex<u64>,
    version: String,
    profile: tempfile::TempDir,
}

impl Browser {
    /// Starts the Chromium [`find_chromium`] finds.
    pub fn launch() -> Result<Browser, String> {
        let exe = find_chromium().ok_or("Chromium not found (set DOSSIER_CHROMIUM)")?;
        Browser::launch_with(&exe)
    }

    /// Starts `exe` headless with a fresh profile.
    pub fn launch_with(exe: &Path) -> Result<Browser, String> {
        let profile = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
        let mut child = Command::new("node")
            .arg(tools_dir().join("browser.js"))
            .arg(exe)
            .arg(profile.path().join("profile"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot run node: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (send, replies) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let reply = serde_json::from_str(&line)
                    .unwrap_or_else(|_| json!({ "id": null, "err": line }));
                if send.send(reply).is_err() {
                    break;
                }
            }
        });
        let mut browser = Browser {
            stdin: Mutex::new(child.stdin.take()),
            child,
            replies: Mutex::new(replies),
            next_id: Mutex::new(0),
            version: String::new(),
            profile,
        };
        browser.reply_to(0, CALL_TIMEOUT)?;
        browser.version = browser
            .call("version", json!({}))?
            .as_str()
            .unwrap_or("?")
            .to_owned();
        Ok(browser)
    }

    /// Chromium's product and version, e.g. `HeadlessChrome/140.0.0.0`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The temporary folder holding the profile, removed when the browser is dropped.
    pub fn temp_dir(&self) -> &Path {
        self.profile.path()
    }

    /// Opens a new tab.
    pub fn new_page(&self) -> Result<Page<'_>, String> {
        let id = self.call("newPage", json!({}))?;
        let id = id.as_str().ok_or("no page id")?.to_owned();
        Ok(Page { browser: self, id })
    }

    /// Sends one request (`op` plus the fields of `params`) and waits for its reply.
    pub fn call(&self, op: &str, mut params: Value) -> Result<Value, String> {
        let id = {
            let mut next = self.next_id.lock().map_err(|e| e.to_string())?;
            *next += 1;
            *next
        };
        params["id"] = json!(id);
        params["op"] = json!(op);
        {
            let mut stdin = self.stdin.lock().map_err(|e| e.to_string())?;
            let stdin = stdin.as_mut().ok_or("the browser is closed")?;
            writeln!(stdin, "{params}")
                .and_then(|()| stdin.flush())
                .map_err(|e| format!("{op}: the browser driver is gone: {e}"))?;
        }
        self.reply_to(id, CALL_TIMEOUT)
            .map_err(|e| format!("{op}: {e}"))
    }

    /// Waits for the reply with `id`, dropping late replies to earlier, timed-out requests.
    fn reply_to(&self, id: u64, timeout: Duration) -> Result<Value, String> {
        let replies = self.replies.lock().map_err(|e| e.to_string())?;
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let reply = replies.recv_timeout(left).map_err(|e| match e {
                mpsc::RecvTimeoutError::Timeout => format!("timed out after {timeout:?}"),
                mpsc::RecvTimeoutError::Disconnected => "the browser driver exited".to_owned(),
            })?;
            if reply["id"].is_null() {
                return Err(reply["err"].as_str().unwrap_or("?").to_owned());
            }
            if reply["id"] == id {
                return match reply.get("err") {
                    Some(err) => Err(err.as_str().unwrap_or("?").to_owned()),
                    None => Ok(reply["ok"].clone()),
                };
            }
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Closing stdin makes the driver close Chromium and exit; kill it if it does not.
        if let Ok(mut stdin) = self.stdin.lock() {
            stdin.take();
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One tab.
pub struct Page<'b> {
    browser: &'b Browser,
    id: String,
}

impl Page<'_> {
    fn call(&self, op: &str, mut params: Value) -> Result<Value, String> {
        params["page"] = json!(self.id);
        self.browser.call(op, params)
    }

    /// Loads `url` and waits for its `load` event; a failed load is an error.
    pub fn goto(&self, url: &str) -> Result<(), String> {
        self.call("goto", json!({ "url": url })).map(drop)
    }

    /// Evaluates a JavaScript expression (awaiting a promise) and returns its JSON value;
    /// `undefined` is `null`, an exception is an error.
    pub fn eval(&self, js: &str) -> Result<Value, String> {
        self.call("eval", json!({ "js": js }))
    }

    /// Polls `condition` until it is true, or fails after `timeout`.
    pub fn wait_for(&self, condition: &str, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        while self.eval(&format!("!!({condition})"))? != Value::Bool(true) {
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for `{condition}`"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }

    pub fn set_viewport(&self, width: u32, height: u32) -> Result<(), String> {
        self.call("viewport", json!({ "width": width, "height": height }))
            .map(drop)
    }

    /// Emulates `prefers-color-scheme: dark` (or light).
    pub fn emulate_dark(&self, dark: bool) -> Result<(), String> {
        self.call("dark", json!({ "dark": dark })).map(drop)
    }

    /// Saves a PNG of the viewport, or of the whole page.
    pub fn screenshot_png(&self, path: &Path, full_page: bool) -> Result<(), String> {
        let path = path.to_str().ok_or("the path is not UTF-8")?;
        self.call("screenshot", json!({ "path": path, "fullPage": full_page }))
            .map(drop)
    }

    /// Removes and returns this page's console calls and uncaught exceptions as lines
    /// (`console.log: hello 42`, `uncaught: …`).
    pub fn take_console(&self) -> Vec<String> {
        self.call("console", json!({}))
            .ok()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default()
    }

    /// Runs axe-core on the loaded page with the rules of `tags`, or only `rules` when given:
    /// `{passes, incomplete: [[rule: reason, target]], violations: [{id, impact, help,
    /// helpUrl, nodes: [[target, summary]]}]}`.
    pub fn axe(&self, tags: &[&str], rules: Option<&[&str]>) -> Result<Value, String> {
        match rules {
            Some(rules) => self.call("axe", json!({ "rules": rules })),
            None => self.call("axe", json!({ "tags": tags })),
        }
    }
}

impl Drop for Page<'_> {
    fn drop(&mut self) {
        let _ = self.call("closePage", json!({}));
    }
}

/// Turns a path into a `file://` URL (percent-encoding what a URL path may not hold).
pub fn file_url(path: &Path) -> String {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        env::current_dir().map_or_else(|_| path.to_path_buf(), |d| d.join(path))
    };
    let mut url = String::from("file://");
    for b in abs.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(b as char);
            }
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}
