//! Traced lookups: while a body or a page renders, every link it resolves, every template
//! function it calls and whether it read the site's name table is recorded, with a hash of the
//! answer it got. The records are what the reverse index ([`super::reach`]) is made of.
//!
//! This module must not decide what to keep; it only records and fingerprints.

use crate::content::Library;
use crate::markdown::{LinkResolver, Resolution};
use crate::render::functions::{self, SiteIndex};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use xxhash_rust::xxh3::Xxh3;

/// A 128-bit fingerprint.
pub(in crate::site) type Key = u128;

/// One thing a render looked up in the rest of the site, with a hash of the answer it got.
pub(in crate::site) enum Lookup {
    Link {
        destination: String,
        answer: Key,
    },
    Function {
        name: &'static str,
        args: BTreeMap<String, Value>,
        /// A hash of the name and the arguments: the same call gives the same answer in a pass.
        call: Key,
        answer: Key,
    },
    /// The site's name table (for mentions), by its fingerprint: see [`names_key`].
    Names {
        answer: Key,
    },
    /// The size of an image a Markdown image names.
    ImageSize {
        destination: String,
        answer: Option<(u32, u32)>,
    },
}

thread_local! {
    /// The lookups of the render running on this thread, when it is being traced. Renders never
    /// start other parallel work, so one render runs start to end on one thread.
    static TRACE: RefCell<Option<Vec<Lookup>>> = const { RefCell::new(None) };
}

/// Runs `render`, recording every lookup it makes on this thread.
pub(super) fn traced<R>(render: impl FnOnce() -> R) -> (R, Vec<Lookup>) {
    TRACE.with(|t| *t.borrow_mut() = Some(Vec::new()));
    let result = render();
    let trace = TRACE.with(|t| t.borrow_mut().take()).unwrap_or_default();
    (result, trace)
}

fn record(lookup: Lookup) {
    TRACE.with(|t| {
        if let Some(trace) = t.borrow_mut().as_mut() {
            trace.push(lookup);
        }
    });
}

/// Records that the render running on this thread read the site's name table.
pub(in crate::site) fn record_names(key: Key) {
    record(Lookup::Names { answer: key });
}

/// A fingerprint of every page's `known_as` names with the page they lead to, and of whether
/// mentions are linked: what a body that looks for mentions depends on.
pub(in crate::site) fn names_key(library: &Library, link: bool) -> Key {
    let mut h = Fingerprint::default();
    link.hash(&mut h);
    for page in library
        .pages
        .iter()
        .filter(|p| !p.front.known_as.is_empty())
    {
        (&page.path, &page.url, &page.front.known_as).hash(&mut h);
    }
    h.digest()
}

/// A fingerprint of everything a link in Markdown can resolve to: every page's source path and
/// URL, the drafts left out and the content assets. While it stays the same, every link
/// resolves as it did.
pub(in crate::site) fn links_key(library: &Library, assets: &HashMap<String, String>) -> Key {
    let mut h = Fingerprint::default();
    for page in &library.pages {
        (page.path.as_str(), page.url.as_str()).hash(&mut h);
    }
    library.drafts_left_out.hash(&mut h);
    let mut assets: Vec<_> = assets.iter().collect();
    assets.sort_unstable();
    assets.hash(&mut h);
    h.digest()
}

/// A 128-bit hash (XXH3) of everything written into it, as a `Hasher` and as a writer.
#[derive(Default)]
pub(in crate::site) struct Fingerprint(Xxh3);

impl Fingerprint {
    pub(in crate::site) fn digest(&self) -> Key {
        self.0.digest128()
    }

    /// Adds `value` as JSON: the same data as templates see it. Serialised into a buffer kept
    /// per thread and hashed in one go, which is much faster than hashing each small write.
    pub(in crate::site) fn json(mut self, value: &impl serde::Serialize) -> Self {
        thread_local! {
            static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
        }
        BUFFER.with(|buffer| match buffer.try_borrow_mut() {
            Ok(mut buffer) => {
                buffer.clear();
                // Serialising a `Value` or a derived struct into memory cannot fail.
                let _ = serde_json::to_writer(&mut *buffer, value);
                self.0.update(&buffer);
            }
            Err(_) => {
                let _ = serde_json::to_writer(&mut self, value);
            }
        });
        self
    }
}

impl Hasher for Fingerprint {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
    fn finish(&self) -> u64 {
        self.0.digest()
    }
}

impl std::io::Write for Fingerprint {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub(super) fn hash_resolution(resolution: &Resolution) -> Key {
    let mut h = Fingerprint::default();
    match resolution {
        Resolution::Keep => 0u8.hash(&mut h),
        Resolution::Url(url) => (1u8, url).hash(&mut h),
        Resolution::Broken { message, hint } => (2u8, message, hint).hash(&mut h),
        Resolution::Unlinked { message, hint } => (3u8, message, hint).hash(&mut h),
    }
    h.digest()
}

pub(super) fn hash_answer(answer: &tera::Result<Value>) -> Key {
    let mut h = Fingerprint::default();
    match answer {
        Ok(value) => {
            0u8.hash(&mut h);
            h = h.json(value);
        }
        Err(err) => (1u8, err.to_string()).hash(&mut h),
    }
    h.digest()
}

pub(super) fn call_key(name: &str, args: &BTreeMap<String, Value>) -> Key {
    let mut h = Fingerprint::default();
    name.hash(&mut h);
    h.json(args).digest()
}

/// A link resolver that records every lookup (used by the body pass).
pub struct TracedResolver<R>(pub R);
impl<R: LinkResolver> LinkResolver for TracedResolver<R> {
    fn resolve(&self, destination: &str) -> Resolution {
        let resolution = self.0.resolve(destination);
        record(Lookup::Link {
            destination: destination.to_owned(),
            answer: hash_resolution(&resolution),
        });
        resolution
    }

    fn image_size(&self, destination: &str) -> Option<(u32, u32)> {
        let answer = self.0.image_size(destination);
        record(Lookup::ImageSize {
            destination: destination.to_owned(),
            answer,
        });
        answer
    }
}

/// Records a call of the template function `name` made by the body pass itself (the built-in
/// `figure` asks for its image as `image(…)` would), so the checker asks again next time.
pub(in crate::site) fn record_call(
    name: &'static str,
    args: &HashMap<String, Value>,
    answer: &tera::Result<Value>,
) {
    let args: BTreeMap<String, Value> = args.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    record(Lookup::Function {
        name,
        call: call_key(name, &args),
        args,
        answer: hash_answer(answer),
    });
}

/// A template function that records every call.
struct TracedFunction {
    name: &'static str,
    inner: Box<dyn tera::Function>,
}
impl tera::Function for TracedFunction {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let answer = self.inner.call(args);
        let traced = TRACE.with(|t| t.borrow().is_some());
        if traced {
            let args: BTreeMap<String, Value> =
                args.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            record(Lookup::Function {
                name: self.name,
                call: call_key(self.name, &args),
                args,
                answer: hash_answer(&answer),
            });
        }
        answer
    }
    fn is_safe(&self) -> bool {
        self.inner.is_safe()
    }
}

/// Registers the site's template functions on `tera`, traced: the only way they are registered.
pub(in crate::site) fn register_functions(tera: &mut tera::Tera, index: &Arc<SiteIndex>) {
    for (name, inner) in functions::all(index) {
        tera.register_function(name, TracedFunction { name, inner });
    }
}
