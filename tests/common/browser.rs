//! A small Chrome DevTools Protocol (CDP) client for tests.
//!
//! It starts headless Chromium with a fresh profile in a temporary folder, connects to the
//! browser's DevTools websocket (with `tungstenite`, synchronously) and drives pages through
//! flattened target sessions. Every call waits at most [`CALL_TIMEOUT`] so a test never hangs.
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
//! `chromium`, `chromium-browser`, `google-chrome`, `google-chrome-stable` on `PATH`.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::env;
use std::fs;
use std::io::{self, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

/// The longest any single CDP call (or page load) may take.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// How long to wait for Chromium to write its `DevToolsActivePort` file.
const LAUNCH_TIMEOUT: Duration = Duration::from_secs(30);

/// Events kept for later inspection; older ones are dropped beyond this.
const MAX_BUFFERED_EVENTS: usize = 10_000;

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
    if in_ci() {
        panic!(
            "{reason}, and CI is set, so this test may not be skipped. \
             Install it (see .ci/run) and run the tests again."
        );
    }
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
    match env::var("CI") {
        Ok(v) => {
            let v = v.trim();
            !(v.is_empty() || v == "0" || v.eq_ignore_ascii_case("false"))
        }
        Err(_) => false,
    }
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
    if let Some(explicit) = env::var_os("DOSSIER_CHROMIUM") {
        let explicit = explicit.to_string_lossy().into_owned();
        if !explicit.is_empty() {
            return find_on_path(&explicit);
        }
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

/// The command-line flags every headless Chromium run of the project uses (apart from the
/// profile folder and the debugging port).
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--mute-audio",
    "--hide-scrollbars",
    // Containers often have a small /dev/shm; Chromium then crashes without this.
    "--disable-dev-shm-usage",
    // Without the zygote, helper processes are children of the browser process, which reaps
    // them; otherwise they can outlive a killed browser as zombies.
    "--no-zygote",
    // Tests load pages from file:// URLs next to each other.
    "--allow-file-access-from-files",
];

/// The websocket connection plus whatever events arrived while waiting for replies.
struct Conn {
    ws: WebSocket<TcpStream>,
    events: VecDeque<Value>,
}

/// A running headless Chromium, killed (and its profile removed) on drop.
pub struct Browser {
    child: RefCell<Option<Child>>,
    // Removed after `Drop::drop` has stopped Chromium.
    dir: tempfile::TempDir,
    conn: RefCell<Conn>,
    next_id: Cell<u64>,
    version: String,
}

impl Browser {
    /// Starts headless Chromium and connects to it.
    pub fn launch() -> Result<Browser, String> {
        let exe = find_chromium().ok_or_else(|| {
            "no Chromium found (set DOSSIER_CHROMIUM or put chromium on PATH)".to_string()
        })?;
        Self::launch_with(&exe)
    }

    /// Starts the given Chromium binary headless and connects to it.
    pub fn launch_with(exe: &Path) -> Result<Browser, String> {
        let dir = tempfile::Builder::new()
            .prefix("dossier-chromium-")
            .tempdir()
            .map_err(|e| format!("cannot create a temporary folder: {e}"))?;
        let profile = dir.path().join("profile");
        fs::create_dir(&profile).map_err(|e| format!("cannot create the profile folder: {e}"))?;
        let log_path = dir.path().join("chromium.log");
        let log = fs::File::create(&log_path).map_err(|e| format!("cannot create log: {e}"))?;
        let log2 = log
            .try_clone()
            .map_err(|e| format!("cannot create log: {e}"))?;

        let mut cmd = Command::new(exe);
        cmd.args(CHROMIUM_FLAGS)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("--remote-debugging-port=0")
            .arg("--remote-debugging-address=127.0.0.1")
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2);
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
        let mut child = Some(child);

        let fail = |child: &mut Option<Child>, msg: String| -> String {
            if let Some(mut c) = child.take() {
                let _ = c.kill();
                let _ = c.wait();
            }
            let log = fs::read_to_string(&log_path).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(20).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            format!(
                "{msg}\nChromium's output (last lines):\n{}",
                tail.join("\n")
            )
        };

        // Chromium writes "<port>\n<browser ws path>\n" once it listens.
        let port_file = profile.join("DevToolsActivePort");
        let start = Instant::now();
        let (port, ws_path) = loop {
            if let Ok(text) = fs::read_to_string(&port_file) {
                let mut lines = text.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                    if let Ok(port) = port.trim().parse::<u16>() {
                        break (port, path.trim().to_string());
                    }
                }
            }
            if let Some(status) = child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                return Err(fail(
                    &mut child,
                    format!("Chromium exited early with {status}"),
                ));
            }
            if start.elapsed() > LAUNCH_TIMEOUT {
                return Err(fail(
                    &mut child,
                    format!(
                        "Chromium did not write {} within {LAUNCH_TIMEOUT:?}",
                        port_file.display()
                    ),
                ));
            }
            thread::sleep(Duration::from_millis(25));
        };

        let stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| {
            fail(
                &mut child,
                format!("cannot connect to 127.0.0.1:{port}: {e}"),
            )
        })?;
        let _ = stream.set_nodelay(true);
        stream
            .set_read_timeout(Some(CALL_TIMEOUT))
            .and_then(|_| stream.set_write_timeout(Some(CALL_TIMEOUT)))
            .map_err(|e| fail(&mut child, format!("cannot set socket timeouts: {e}")))?;
        let url = format!("ws://127.0.0.1:{port}{ws_path}");
        let (mut ws, _) = tungstenite::client(url.as_str(), stream)
            .map_err(|e| fail(&mut child, format!("websocket handshake with {url}: {e}")))?;
        // Screenshots arrive as one large base64 message.
        ws.set_config(|c| {
            c.max_message_size = None;
            c.max_frame_size = None;
        });
        // From here on reads poll in short slices so a dead browser is noticed quickly.
        ws.get_ref()
            .set_read_timeout(Some(Duration::from_millis(250)))
            .map_err(|e| fail(&mut child, format!("cannot set socket timeouts: {e}")))?;

        let mut browser = Browser {
            child: RefCell::new(child),
            dir,
            conn: RefCell::new(Conn {
                ws,
                events: VecDeque::new(),
            }),
            next_id: Cell::new(1),
            version: String::new(),
        };
        let version = browser.call(None, "Browser.getVersion", json!({}))?;
        browser.version = version["product"].as_str().unwrap_or("unknown").to_string();
        Ok(browser)
    }

    /// The browser's product string, e.g. `HeadlessChrome/126.0.0.0`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The temporary folder that holds the profile and Chromium's log (removed on drop).
    pub fn temp_dir(&self) -> &Path {
        self.dir.path()
    }

    /// Opens a new tab and attaches a flattened session to it, with `Page` and `Runtime`
    /// domains enabled.
    pub fn new_page(&self) -> Result<Page<'_>, String> {
        let created = self.call(None, "Target.createTarget", json!({ "url": "about:blank" }))?;
        let target_id = created["targetId"]
            .as_str()
            .ok_or("Target.createTarget returned no targetId")?
            .to_string();
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
        )?;
        let session_id = attached["sessionId"]
            .as_str()
            .ok_or("Target.attachToTarget returned no sessionId")?
            .to_string();
        let page = Page {
            browser: self,
            session_id,
            target_id,
        };
        page.call("Page.enable", json!({}))?;
        page.call("Runtime.enable", json!({}))?;
        Ok(page)
    }

    /// Sends one CDP command (to a session, or to the browser when `session` is `None`) and
    /// waits for its reply. Events that arrive meanwhile are buffered.
    pub fn call(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, String> {
        self.call_with_timeout(session, method, params, CALL_TIMEOUT)
    }

    /// Like [`Browser::call`] with a custom timeout.
    #[allow(clippy::needless_pass_by_value)] // callers build the params inline with json!
    pub fn call_with_timeout(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Value, String> {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        {
            let mut conn = self.conn.borrow_mut();
            conn.ws
                .send(Message::text(msg.to_string()))
                .map_err(|e| format!("{method}: cannot send: {e}"))?;
        }
        let deadline = Instant::now() + timeout;
        loop {
            let reply = self.read_message(deadline, method)?;
            if reply.get("id").and_then(Value::as_u64) == Some(id) {
                if let Some(err) = reply.get("error") {
                    return Err(format!(
                        "{method} failed: {} (code {})",
                        err["message"].as_str().unwrap_or("?"),
                        err["code"]
                    ));
                }
                return Ok(reply.get("result").cloned().unwrap_or(Value::Null));
            }
            if reply.get("method").is_some() {
                self.push_event(reply);
            }
            // Replies to other ids cannot happen: calls are sequential.
        }
    }

    fn push_event(&self, event: Value) {
        let mut conn = self.conn.borrow_mut();
        if conn.events.len() >= MAX_BUFFERED_EVENTS {
            conn.events.pop_front();
        }
        conn.events.push_back(event);
    }

    /// Reads one JSON message, or fails at `deadline` or when Chromium has exited.
    fn read_message(&self, deadline: Instant, what: &str) -> Result<Value, String> {
        loop {
            let read = self.conn.borrow_mut().ws.read();
            match read {
                Ok(Message::Text(text)) => {
                    return serde_json::from_str(text.as_str())
                        .map_err(|e| format!("{what}: bad JSON from Chromium: {e}"));
                }
                Ok(Message::Binary(bytes)) => {
                    return serde_json::from_slice(&bytes)
                        .map_err(|e| format!("{what}: bad JSON from Chromium: {e}"));
                }
                Ok(Message::Close(_)) => {
                    return Err(format!("{what}: Chromium closed the connection"));
                }
                Ok(_) => {} // ping/pong/frame: tungstenite answers pings itself
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    if let Some(status) = self
                        .child
                        .borrow_mut()
                        .as_mut()
                        .and_then(|c| c.try_wait().ok().flatten())
                    {
                        return Err(format!("{what}: Chromium exited with {status}"));
                    }
                    if Instant::now() >= deadline {
                        return Err(format!("{what}: no answer from Chromium in time"));
                    }
                }
                Err(e) => return Err(format!("{what}: websocket error: {e}")),
            }
        }
    }

    /// Removes and returns buffered events that match `pred`.
    fn take_events(&self, mut pred: impl FnMut(&Value) -> bool) -> Vec<Value> {
        let mut conn = self.conn.borrow_mut();
        let mut taken = Vec::new();
        conn.events.retain(|e| {
            if pred(e) {
                taken.push(e.clone());
                false
            } else {
                true
            }
        });
        taken
    }

    /// Waits for an event matching `pred` (buffered or new), removing it from the buffer.
    fn wait_event(
        &self,
        timeout: Duration,
        what: &str,
        mut pred: impl FnMut(&Value) -> bool,
    ) -> Result<Value, String> {
        if let Some(e) = self.take_events(&mut pred).into_iter().next() {
            return Ok(e);
        }
        let deadline = Instant::now() + timeout;
        loop {
            let msg = self.read_message(deadline, what)?;
            if pred(&msg) {
                return Ok(msg);
            }
            if msg.get("method").is_some() {
                self.push_event(msg);
            }
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ask politely first so Chromium shuts its helper processes down, then make sure.
        let _ = self.call_with_timeout(None, "Browser.close", json!({}), Duration::from_secs(2));
        if let Some(mut child) = self.child.borrow_mut().take() {
            let deadline = Instant::now() + Duration::from_secs(3);
            loop {
                match child.try_wait() {
                    Ok(Some(_)) => break,
                    Ok(None) if Instant::now() < deadline => {
                        thread::sleep(Duration::from_millis(20));
                    }
                    _ => {
                        let _ = child.kill();
                        let _ = child.wait();
                        break;
                    }
                }
            }
        }
        // `self.dir` (the profile) is removed when it drops right after this.
    }
}

/// One tab, driven through its own flattened session.
pub struct Page<'b> {
    browser: &'b Browser,
    session_id: String,
    target_id: String,
}

impl<'b> Page<'b> {
    /// Sends a CDP command to this page's session.
    pub fn call(&self, method: &str, params: Value) -> Result<Value, String> {
        self.browser.call(Some(&self.session_id), method, params)
    }

    /// Loads `url` and waits for its `load` event (at most [`CALL_TIMEOUT`]).
    pub fn goto(&self, url: &str) -> Result<(), String> {
        let sid = self.session_id.clone();
        let is_load = move |e: &Value| {
            e["method"] == "Page.loadEventFired" && e["sessionId"].as_str() == Some(sid.as_str())
        };
        // Forget loads of earlier navigations.
        self.browser.take_events(&is_load);
        let nav = self.call("Page.navigate", json!({ "url": url }))?;
        if let Some(err) = nav.get("errorText").and_then(Value::as_str) {
            if !err.is_empty() {
                return Err(format!("cannot load {url}: {err}"));
            }
        }
        if nav.get("loaderId").is_none() {
            // Same-document navigation (only the fragment changed): no load event follows.
            return Ok(());
        }
        self.browser
            .wait_event(CALL_TIMEOUT, &format!("loading {url}"), is_load)?;
        Ok(())
    }

    /// Evaluates `js` in the page (awaiting a returned promise) and returns its value as JSON.
    /// `undefined` becomes `null`; a thrown exception becomes `Err`.
    pub fn eval(&self, js: &str) -> Result<Value, String> {
        let res = self.call(
            "Runtime.evaluate",
            json!({
                "expression": js,
                "returnByValue": true,
                "awaitPromise": true,
                "userGesture": true,
            }),
        )?;
        if let Some(ex) = res.get("exceptionDetails") {
            let desc = ex["exception"]["description"]
                .as_str()
                .or_else(|| ex["text"].as_str())
                .unwrap_or("exception");
            let snippet: String = js.chars().take(80).collect();
            return Err(format!("JavaScript error in `{snippet}`: {desc}"));
        }
        Ok(res["result"].get("value").cloned().unwrap_or(Value::Null))
    }

    /// Polls the JavaScript boolean expression `condition` every 50 ms until it is true.
    pub fn wait_for(&self, condition: &str, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        let expr = format!("!!({condition})");
        loop {
            if self.eval(&expr)? == Value::Bool(true) {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "timed out after {timeout:?} waiting for `{condition}`"
                ));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sets the viewport to `width` x `height` CSS pixels at device scale factor 1.
    pub fn set_viewport(&self, width: u32, height: u32) -> Result<(), String> {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({
                "width": width,
                "height": height,
                "deviceScaleFactor": 1,
                "mobile": false,
            }),
        )?;
        Ok(())
    }

    /// Emulates `prefers-color-scheme: dark` (or `light`). Set it before `goto` so CSS
    /// transitions cannot catch a page mid-change.
    pub fn emulate_dark(&self, dark: bool) -> Result<(), String> {
        let scheme = if dark { "dark" } else { "light" };
        self.call(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        )?;
        Ok(())
    }

    /// Saves a PNG of the viewport, or of the whole page when `full_page`.
    pub fn screenshot_png(&self, path: &Path, full_page: bool) -> Result<(), String> {
        let mut params = json!({ "format": "png" });
        if full_page {
            let m = self.call("Page.getLayoutMetrics", json!({}))?;
            let size = if m["cssContentSize"].is_object() {
                &m["cssContentSize"]
            } else {
                &m["contentSize"]
            };
            let w = size["width"].as_f64().unwrap_or(0.0).ceil();
            let h = size["height"].as_f64().unwrap_or(0.0).ceil();
            params["captureBeyondViewport"] = json!(true);
            params["clip"] = json!({ "x": 0, "y": 0, "width": w, "height": h, "scale": 1 });
        }
        let shot = self.call("Page.captureScreenshot", params)?;
        let data = shot["data"]
            .as_str()
            .ok_or("Page.captureScreenshot returned no data")?;
        let bytes = base64_decode(data)?;
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
        }
        fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Removes and returns this page's buffered console calls and uncaught exceptions
    /// (`Runtime.consoleAPICalled`, `Runtime.exceptionThrown`) as readable lines.
    pub fn take_console(&self) -> Vec<String> {
        let sid = self.session_id.as_str();
        self.browser
            .take_events(|e| {
                e["sessionId"].as_str() == Some(sid)
                    && (e["method"] == "Runtime.consoleAPICalled"
                        || e["method"] == "Runtime.exceptionThrown")
            })
            .into_iter()
            .map(|e| {
                let p = &e["params"];
                if e["method"] == "Runtime.exceptionThrown" {
                    let d = &p["exceptionDetails"];
                    let text = d["exception"]["description"]
                        .as_str()
                        .or_else(|| d["text"].as_str())
                        .unwrap_or("exception");
                    format!("uncaught: {text}")
                } else {
                    let args: Vec<String> = p["args"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .map(|v| match v.get("value") {
                                    Some(Value::String(s)) => s.clone(),
                                    Some(v) => v.to_string(),
                                    None => v["description"].as_str().unwrap_or("?").to_string(),
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    format!(
                        "console.{}: {}",
                        p["type"].as_str().unwrap_or("log"),
                        args.join(" ")
                    )
                }
            })
            .collect()
    }

    /// The CDP session id of this page.
    pub fn session_id(&self) -> &str {
        &self.session_id
    }
}

impl Drop for Page<'_> {
    fn drop(&mut self) {
        let _ = self.browser.call_with_timeout(
            None,
            "Target.closeTarget",
            json!({ "targetId": self.target_id }),
            Duration::from_secs(5),
        );
        let sid = self.session_id.clone();
        self.browser
            .take_events(|e| e["sessionId"].as_str() == Some(sid.as_str()));
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

/// Decodes standard base64 (as CDP sends binary data), ignoring whitespace.
pub fn base64_decode(s: &str) -> Result<Vec<u8>, String> {
    fn val(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        if c == b'=' {
            break;
        }
        if c.is_ascii_whitespace() {
            continue;
        }
        let v = val(c).ok_or_else(|| format!("invalid base64 byte {c:#04x}"))?;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}
