//! Incremental rebuilds: a [`BuildCache`] kept from one build to the next so that a change to one
//! page re-renders what depends on it and keeps everything else.
//!
//! Each page's body and each rendered page is stored with a *key* (a hash of the inputs it reads
//! directly: the page's text and place, the template set, the page's whole template context)
//! and a *trace*: every lookup it made into the rest of the site while rendering (each link it
//! resolved, each template function it called, with a hash of the answer). On the next build an
//! entry is reused only if its key is the same and every lookup in its trace still gives the same
//! answer against the new site; otherwise it is rendered again and traced afresh. So a page that
//! lists its section, shows its neighbours or quotes someone re-renders exactly when what it
//! read changed, without a hand-written dependency graph that could fall out of date.
//!
//! Architecture invariant: a build with a warm cache produces byte for byte what a build with an
//! empty one does; [`super::build`] is `build_with_cache` with an empty cache. This relies on two
//! things, both kept here: every template function that reads site data is wrapped (they all come
//! from [`functions::all`]), and every link lookup of a body goes through [`TracedResolver`].
//!
//! This module must not know about watching or serving; it only remembers build results.

use super::bodies::Body;
use super::pages::{self, PageInputs, RenderedPage};
use crate::content::{Library, Page};
use crate::error::Diagnostic;
use crate::links::ContentResolver;
use crate::markdown::{LinkResolver, Resolution};
use crate::render::context::PageContext;
use crate::render::functions::{self, SiteIndex};
use crate::render::Templates;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};
use xxhash_rust::xxh3::Xxh3;

/// What the last build with this cache rendered and what it kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    /// Pages (and sections) in the site.
    pub pages: usize,
    /// Bodies (Markdown to HTML) rendered again rather than kept.
    pub bodies_rendered: usize,
    /// Pages rendered through their template again rather than kept.
    pub pages_rendered: usize,
}

/// Build results kept between builds of the same site. Start with `BuildCache::default()` and pass
/// the same value to every [`super::build_with_cache`].
#[derive(Default)]
pub struct BuildCache {
    /// Parsed Markdown files, reused while unchanged on disk.
    pub(super) sources: crate::content::SourceCache,
    bodies: HashMap<String, Entry<Arc<Body>>>,
    pages: HashMap<String, Entry<RenderedPage>>,
    report: Report,
}

impl BuildCache {
    /// What the last build rendered.
    pub fn report(&self) -> Report {
        self.report
    }

    /// Forgets everything (the next build renders every page).
    pub fn clear(&mut self) {
        *self = BuildCache::default();
    }
}

struct Entry<T> {
    key: Key,
    trace: Vec<Lookup>,
    value: T,
}

/// One thing a render looked up in the rest of the site, with a hash of the answer it got.
pub(super) enum Lookup {
    Link {
        destination: String,
        answer: Key,
    },
    Function {
        name: &'static str,
        args: BTreeMap<String, Value>,
        /// A hash of the name and the arguments, to look the answer up once per build.
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

/// A body of this build and, when it was rendered now, its trace.
pub(super) type KeptBody = (Option<Arc<Body>>, Option<Vec<Lookup>>);

/// A freshly rendered page's key and trace.
pub(super) type Fresh = Option<(Key, Vec<Lookup>)>;

/// What the cache decided for one page's body or page: reused, rendered now, or failed to render.
pub(super) enum KeptOrMade<T, E> {
    /// Reused from the last build.
    Kept(T),
    /// Rendered now.
    Made(T),
    Failed(E),
}

thread_local! {
    /// The lookups of the render running on this thread, when it is being traced. Renders never
    /// start other parallel work, so one render runs start to end on one thread.
    static TRACE: RefCell<Option<Vec<Lookup>>> = const { RefCell::new(None) };
}

/// Runs `render`, recording every lookup it makes on this thread.
fn traced<R>(render: impl FnOnce() -> R) -> (R, Vec<Lookup>) {
    TRACE.with(|t| *t.borrow_mut() = Some(Vec::new()));
    let result = render();
    let trace = TRACE.with(|t| t.borrow_mut().take()).unwrap_or_default();
    (result, trace)
}

/// Records that the render running on this thread read the site's name table.
pub(super) fn record_names(key: Key) {
    record(Lookup::Names { answer: key });
}

/// A fingerprint of every page's `known_as` names with the page they lead to, and of whether
/// mentions are linked: what a body that looks for mentions depends on.
pub(super) fn names_key(library: &Library, link: bool) -> Key {
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

fn record(lookup: Lookup) {
    TRACE.with(|t| {
        if let Some(trace) = t.borrow_mut().as_mut() {
            trace.push(lookup);
        }
    });
}

/// A 128-bit hash (XXH3) of everything written into it, as a `Hasher` and as a writer.
#[derive(Default)]
struct Fingerprint(Xxh3);

impl Fingerprint {
    fn digest(&self) -> u128 {
        self.0.digest128()
    }

    /// Adds `value` as JSON: the same data as templates see it. Serialised into a buffer kept
    /// per thread and hashed in one go, which is much faster than hashing each small write.
    fn json(mut self, value: &impl serde::Serialize) -> Self {
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

pub(super) type Key = u128;

fn hash_resolution(resolution: &Resolution) -> Key {
    let mut h = Fingerprint::default();
    match resolution {
        Resolution::Keep => 0u8.hash(&mut h),
        Resolution::Url(url) => (1u8, url).hash(&mut h),
        Resolution::Broken { message, hint } => (2u8, message, hint).hash(&mut h),
        Resolution::Unlinked { message, hint } => (3u8, message, hint).hash(&mut h),
    }
    h.digest()
}

fn hash_answer(answer: &tera::Result<Value>) -> Key {
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
pub(super) fn record_call(
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

/// Registers the site's template functions on `tera`, traced.
pub(super) fn register_functions(tera: &mut tera::Tera, index: &Arc<SiteIndex>) {
    for (name, inner) in functions::all(index) {
        tera.register_function(name, TracedFunction { name, inner });
    }
}

/// A fingerprint of the whole template set: any template change renders everything again.
pub(super) fn templates_fingerprint(templates: &Templates) -> Key {
    let mut h = Fingerprint::default();
    for (name, source) in templates.sources() {
        (name, source).hash(&mut h);
    }
    h.digest()
}

/// One key for two inputs read by every page (the template set and the sources).
pub(super) fn combine(templates: Key, sources: Key) -> Key {
    let mut h = Fingerprint::default();
    (templates, sources).hash(&mut h);
    h.digest()
}

/// Answers the lookups of old traces against the new site, each distinct call once.
pub(super) struct Checker<'a> {
    functions: HashMap<&'static str, Box<dyn tera::Function>>,
    library: &'a Library,
    assets: &'a HashMap<String, String>,
    index: Arc<SiteIndex>,
    answers: Mutex<HashMap<Key, Key>>,
    /// The fingerprint of this build's name table, when known.
    names: Option<Key>,
}

impl<'a> Checker<'a> {
    pub(super) fn new(
        index: &Arc<SiteIndex>,
        library: &'a Library,
        assets: &'a HashMap<String, String>,
    ) -> Self {
        Checker {
            functions: functions::all(index).into_iter().collect(),
            library,
            assets,
            index: index.clone(),
            answers: Mutex::new(HashMap::new()),
            names: None,
        }
    }

    /// Tells the checker this build's name table, so that traces that read it can be checked.
    pub(super) fn with_names(mut self, key: Key) -> Self {
        self.names = Some(key);
        self
    }

    /// Whether every lookup of `trace`, made while rendering `page`, gets the same answer now.
    fn still_holds(&self, page: &Page, trace: &[Lookup]) -> bool {
        // Made only when needed: most pages' traces hold no links.
        let resolver = std::cell::OnceCell::new();
        let resolver = || {
            resolver.get_or_init(|| {
                ContentResolver::new(self.library, self.assets, page)
                    .with_images(&self.index.images)
            })
        };
        trace.iter().all(|lookup| match lookup {
            Lookup::Link {
                destination,
                answer,
            } => hash_resolution(&resolver().resolve(destination)) == *answer,
            Lookup::Function {
                name,
                args,
                call,
                answer,
            } => self.call(name, args, *call) == Some(*answer),
            Lookup::Names { answer } => self.names == Some(*answer),
            Lookup::ImageSize {
                destination,
                answer,
            } => resolver().image_size(destination) == *answer,
        })
    }

    fn call(&self, name: &'static str, args: &BTreeMap<String, Value>, key: Key) -> Option<Key> {
        if let Some(&answer) = self.answers.lock().ok()?.get(&key) {
            return Some(answer);
        }
        let function = self.functions.get(name)?;
        let args: HashMap<String, Value> = args.clone().into_iter().collect();
        let answer = hash_answer(&function.call(&args));
        self.answers.lock().ok()?.insert(key, answer);
        Some(answer)
    }
}

fn call_key(name: &str, args: &BTreeMap<String, Value>) -> Key {
    let mut h = Fingerprint::default();
    name.hash(&mut h);
    h.json(args).digest()
}

fn body_key(templates: Key, page: &Page) -> Key {
    let mut h = Fingerprint::default();
    templates.hash(&mut h);
    (
        &page.path,
        &page.url,
        &page.title,
        &page.output,
        page.body_offset,
    )
        .hash(&mut h);
    page.text.hash(&mut h);
    h.digest()
}

fn page_key(
    templates: Key,
    template: &str,
    page: &Page,
    index_links: bool,
    context: &PageContext<'_>,
) -> Key {
    let mut h = Fingerprint::default();
    (templates, template, &page.output, index_links).hash(&mut h);
    h.json(context).digest()
}

impl BuildCache {
    /// The body of `page`: kept if nothing it read changed, else made by `render`.
    pub(super) fn body<E>(
        &self,
        templates: Key,
        page: &Page,
        checker: &Checker<'_>,
        render: impl FnOnce() -> Result<Body, E>,
    ) -> (KeptOrMade<Arc<Body>, E>, Option<Vec<Lookup>>) {
        let key = body_key(templates, page);
        if let Some(entry) = self.bodies.get(page.path.as_str()) {
            if entry.key == key && checker.still_holds(page, &entry.trace) {
                return (KeptOrMade::Kept(entry.value.clone()), None);
            }
        }
        match traced(render) {
            (Ok(body), trace) => (KeptOrMade::Made(Arc::new(body)), Some(trace)),
            (Err(err), _) => (KeptOrMade::Failed(err), None),
        }
    }

    /// The rendered `page`: kept if its context and every lookup are unchanged, else rendered.
    pub(super) fn page(
        &self,
        templates: Key,
        page: &Page,
        template: &str,
        inputs: &PageInputs<'_>,
        checker: &Checker<'_>,
    ) -> (KeptOrMade<RenderedPage, Diagnostic>, Fresh) {
        let context = pages::page_context(page, inputs);
        let key = page_key(
            templates,
            template,
            page,
            inputs.config.browse_from_disk,
            &context,
        );
        if let Some(entry) = self.pages.get(page.path.as_str()) {
            if entry.key == key && checker.still_holds(page, &entry.trace) {
                return (KeptOrMade::Kept(entry.value.clone()), None);
            }
        }
        match traced(|| pages::render_page_with(page, template, &context, inputs)) {
            (Ok(rendered), trace) => (KeptOrMade::Made(rendered), Some((key, trace))),
            (Err(d), _) => (KeptOrMade::Failed(d), None),
        }
    }

    /// Keeps this build's bodies (and only those) for the next build.
    pub(super) fn keep_bodies(
        &mut self,
        templates: Key,
        library: &Library,
        results: Vec<KeptBody>,
    ) {
        let mut old = std::mem::take(&mut self.bodies);
        let mut rendered = 0;
        for (page, (body, trace)) in library.pages.iter().zip(results) {
            let entry = match (body, trace) {
                (Some(value), Some(trace)) => {
                    rendered += 1;
                    let key = body_key(templates, page);
                    Entry { key, trace, value }
                }
                (Some(_), None) => match old.remove(page.path.as_str()) {
                    Some(entry) => entry,
                    None => continue,
                },
                (None, _) => continue,
            };
            self.bodies.insert(page.path.to_string(), entry);
        }
        self.report = Report {
            pages: library.pages.len(),
            bodies_rendered: rendered,
            pages_rendered: 0,
        };
    }

    /// Keeps this build's rendered pages (and only those) for the next build.
    pub(super) fn keep_pages(
        &mut self,
        library: &Library,
        results: Vec<(Option<RenderedPage>, Fresh)>,
    ) {
        let mut old = std::mem::take(&mut self.pages);
        let mut rendered = 0;
        for (page, (value, fresh)) in library.pages.iter().zip(results) {
            let entry = match (value, fresh) {
                (Some(value), Some((key, trace))) => {
                    rendered += 1;
                    Entry { key, trace, value }
                }
                (Some(_), None) => match old.remove(page.path.as_str()) {
                    Some(entry) => entry,
                    None => continue,
                },
                (None, _) => continue,
            };
            self.pages.insert(page.path.to_string(), entry);
        }
        self.report.pages_rendered = rendered;
    }
}
