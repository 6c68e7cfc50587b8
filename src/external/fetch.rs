//! Asking other sites about links: a `HEAD` request (then `GET` when a server refuses `HEAD`),
//! redirects followed by hand so a permanent move can be reported, at most `concurrency`
//! requests at once and at most one request per host every `host_delay`, each within `timeout`.

use super::{Answer, ExternalOptions};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use ureq::Agent;

/// Redirects followed before a link counts as broken.
const MAX_HOPS: usize = 5;

/// Checks every URL and returns (url, answer) in the order of `urls`.
pub(super) fn check_all(urls: &[String], options: &ExternalOptions) -> Vec<(String, Answer)> {
    let agent: Agent = Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(concat!("dossier-link-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let limiter = HostLimiter::new(options.host_delay);
    let next = AtomicUsize::new(0);
    let answers: Mutex<Vec<Option<Answer>>> = Mutex::new(vec![None; urls.len()]);
    std::thread::scope(|scope| {
        for _ in 0..options.concurrency.clamp(1, urls.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(url) = urls.get(i) else { break };
                let answer = check_one(&agent, &limiter, url);
                if let Ok(mut all) = answers.lock() {
                    all[i] = Some(answer);
                }
            });
        }
    });
    let answers = answers.into_inner().unwrap_or_default();
    urls.iter()
        .cloned()
        .zip(answers)
        .map(|(url, answer)| {
            let answer = answer.unwrap_or_else(|| Answer::Failed {
                reason: "was not checked".to_owned(),
            });
            (url, answer)
        })
        .collect()
}

/// One link: follows redirects by hand, remembering the first permanent move.
fn check_one(agent: &Agent, limiter: &HostLimiter, url: &str) -> Answer {
    let mut current = url.to_owned();
    let mut moved_to: Option<String> = None;
    for _ in 0..=MAX_HOPS {
        limiter.wait_turn(host_of(&current));
        let (status, location) = match request(agent, &current) {
            Ok(reply) => reply,
            Err(reason) => return Answer::Failed { reason },
        };
        match (status, location) {
            (300..=399, Some(location)) => {
                let target = resolve(&current, &location);
                if matches!(status, 301 | 308) && moved_to.is_none() && current == url {
                    moved_to = Some(target.clone());
                }
                current = target;
            }
            (200..=299, _) => {
                return moved_to.map_or(Answer::Alive, |to| Answer::Moved { to });
            }
            // Servers that want a login or throttle robots: the page may well be there.
            (401 | 403 | 429, _) => return Answer::Alive,
            (status, _) => return Answer::Dead { status },
        }
    }
    Answer::Failed {
        reason: format!("redirects more than {MAX_HOPS} times"),
    }
}

/// `HEAD url`, or `GET url` when the server does not take `HEAD`: the status and `Location`.
fn request(agent: &Agent, url: &str) -> Result<(u16, Option<String>), String> {
    let reply = |response: ureq::http::Response<ureq::Body>| {
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        (response.status().as_u16(), location)
    };
    let head = agent.head(url).call().map(reply).map_err(describe)?;
    if matches!(head.0, 405 | 501) {
        return agent.get(url).call().map(reply).map_err(describe);
    }
    Ok(head)
}

/// A failed request in words: "timed out after 2 s", "could not connect".
fn describe(error: ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => "did not answer in time".to_owned(),
        ureq::Error::HostNotFound => "names a host that does not exist".to_owned(),
        ureq::Error::ConnectionFailed => "refused the connection".to_owned(),
        other => format!("could not be fetched ({other})"),
    }
}

/// The `host:port` part of an absolute URL.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// A `Location` header made absolute against the URL that sent it.
fn resolve(from: &str, location: &str) -> String {
    if location.contains("://") {
        return location.to_owned();
    }
    let scheme = from.split_once("://").map_or("https", |(s, _)| s);
    if let Some(rest) = location.strip_prefix("//") {
        return format!("{scheme}://{rest}");
    }
    let origin = format!("{scheme}://{}", host_of(from));
    if location.starts_with('/') {
        return format!("{origin}{location}");
    }
    let path = &from[origin.len().min(from.len())..];
    let dir = path.rfind('/').map_or("/", |i| &path[..=i]);
    format!("{origin}{dir}{location}")
}

/// At most one request per host every `delay`: each caller is given the next free slot.
struct HostLimiter {
    delay: Duration,
    next_free: Mutex<HashMap<String, Instant>>,
}

impl HostLimiter {
    fn new(delay: Duration) -> Self {
        HostLimiter {
            delay,
            next_free: Mutex::new(HashMap::new()),
        }
    }

    /// Blocks until this caller's slot for `host` has come.
    fn wait_turn(&self, host: &str) {
        let now = Instant::now();
        let slot = match self.next_free.lock() {
            Ok(mut next_free) => {
                let slot = next_free.get(host).copied().unwrap_or(now).max(now);
                next_free.insert(host.to_owned(), slot + self.delay);
                slot
            }
            Err(_) => now,
        };
        std::thread::sleep(slot.saturating_duration_since(now));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_resolved_against_the_url_that_sent_them() {
        let from = "http://127.0.0.1:80/a/b?x=1";
        assert_eq!(resolve(from, "https://e.org/"), "https://e.org/");
        assert_eq!(resolve(from, "//e.org/x"), "http://e.org/x");
        assert_eq!(resolve(from, "/c"), "http://127.0.0.1:80/c");
        assert_eq!(resolve(from, "c"), "http://127.0.0.1:80/a/c");
        assert_eq!(host_of(from), "127.0.0.1:80");
    }

    #[test]
    fn a_host_gets_one_slot_per_delay_and_other_hosts_are_not_held_up() {
        let limiter = HostLimiter::new(Duration::from_secs(3600));
        limiter.wait_turn("a.org");
        limiter.wait_turn("b.org");
        let slots = limiter.next_free.lock().unwrap();
        assert!(slots["a.org"] > Instant::now() + Duration::from_secs(3000));
        assert!(slots.contains_key("b.org"));
    }
}
