//! Incremental rebuilds: a [`BuildCache`] kept from one build to the next so that a change to one
//! page re-renders what the change reaches and keeps everything else, without visiting the rest.
//!
//! Each page's body and each rendered page is stored with a *key* (a hash of the inputs it reads
//! directly: the page's text and place, the template set, what its context holds, see
//! [`context`]) and a *trace*: every lookup it made into the rest of the site while rendering
//! (each link it resolved, each template function it called, with a hash of the answer; see
//! [`trace`]). The traces feed a reverse index ([`reach`]) from each input to the pages that
//! read it. On the next build each distinct input is asked once; only the pages an input that
//! answers differently leads to have their traces checked again, and an entry is reused only if
//! its key is the same and every lookup of its trace (when reached) gives the same answer. So a
//! page that lists its section, shows its neighbours or quotes someone re-renders exactly when
//! what it read changed.
//!
//! Architecture invariant: a build with a warm cache produces byte for byte what a build with an
//! empty one does; [`super::build`] is `build_with_cache` with an empty cache. This relies on two
//! things, both kept here: every template function that reads site data is registered traced
//! ([`trace::register_functions`], over [`functions::all`]), and every link lookup of a body goes
//! through [`TracedResolver`].
//!
//! Callers see [`BuildCache`], [`Report`] and the list of re-rendered pages, never a trace. This
//! module must not know about watching or serving; it only remembers build results.

mod backlinks;
pub(super) mod context;
mod outputs;
pub(super) mod print;
mod reach;
mod site_files;
mod spilled;
mod trace;
mod visit;

use super::bodies::Body;
use super::pages::{self, PageInputs, RenderedPage};
use crate::content::{Library, Page};
use crate::error::Diagnostic;
use crate::links::ContentResolver;
use crate::markdown::LinkResolver;
use crate::output::FileBytes;
use crate::render::functions::{self, SiteIndex};
use crate::render::Templates;
use context::ContextParts;
pub(super) use reach::Reach;
use reach::{Dependents, PathSet};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
pub(super) use trace::Fingerprint;
use trace::{call_key, hash_answer, hash_resolution, traced, Lookup};
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

pub(super) use outputs::PageOutputs;
pub use trace::TracedResolver;
pub(super) use trace::{links_key, names_key, record_call, record_names, register_functions, Key};
pub(super) use visit::{globals, KeptIndex};

/// What the last build with this cache rendered and what it kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    /// Pages (and sections) in the site.
    pub pages: usize,
    /// Bodies (Markdown to HTML) rendered again rather than kept.
    pub bodies_rendered: usize,
    /// Pages rendered through their template again rather than kept.
    pub pages_rendered: usize,
    /// The output claims of every page and file were checked again (something that claims an
    /// output file changed).
    pub claims_checked: bool,
    /// Backlinks were worked out again from every body's links.
    pub backlinks_made: bool,
    /// Files made from every page's place and front matter (sitemap, feed) made again.
    pub site_files_made: usize,
    /// Markdown files the load looked at (read again, or checked for a change on disk).
    pub files_looked_at: usize,
    /// Bodies whose key and trace were checked (the others were taken as they were, unseen).
    pub bodies_visited: usize,
    /// Pages whose context key and trace were checked (the others were taken as they were).
    pub pages_visited: usize,
    /// Pages whose output file, scan and template were noted again for the link check (the
    /// others' were the last build's, kept).
    pub outputs_noted: usize,
    /// Chapters of the print page whose content was made again rather than kept.
    pub print_chapters_rendered: usize,
    /// The print page was put together from its kept skeleton and the chapters, without
    /// rendering its template.
    pub print_spliced: bool,
}

/// What a build ran again over the whole site, for the [`Report`].
#[derive(Debug, Clone, Copy, Default)]
struct SiteWide {
    claims_checked: bool,
    backlinks_made: bool,
    site_files_made: usize,
}

/// Build results kept between builds of the same site. Start with `BuildCache::default()` and pass
/// the same value to every [`super::build_with_cache`].
#[derive(Default)]
pub struct BuildCache {
    /// Parsed Markdown files, reused while unchanged on disk.
    pub(super) sources: crate::content::SourceCache,
    /// The parsed templates, reused while every template file reads the same.
    pub(super) templates: Option<Arc<Templates>>,
    bodies: Store<KeptBody>,
    pages: Store<RenderedPage>,
    report: Report,
    /// Source paths of the pages the last build rendered through their template, sorted.
    rendered: Vec<String>,
    /// The pages rendered by the last build have different anchors than before.
    anchors_changed: bool,
    /// A fingerprint of the output files of the last build that passed the link check; taken
    /// into `check_base` when a build starts rendering (a build that fails after that leaves
    /// pages behind that were never checked).
    checked: Option<Key>,
    check_base: Option<Key>,
    /// The fingerprint of the output claims of the last build that found no clash among them.
    claims: Option<Key>,
    backlinks: Option<backlinks::KeptBacklinks>,
    site_files: site_files::KeptSiteFiles,
    site_wide: SiteWide,
    /// What the last pages pass shared among all pages.
    kept_site: Option<visit::KeptSite>,
    kept_tags: Option<visit::KeptTags>,
    kept_claims: Option<Key>,
    kept_date_warnings: Option<Vec<Diagnostic>>,
    /// What links in Markdown resolve to, as a fingerprint (see [`links_key`]).
    links_key: std::sync::OnceLock<Key>,
    /// Where kept bodies are set aside.
    spills: spilled::Spills,
    /// The print page's parts.
    pub(super) print: print::PrintCache,
    /// What the check read of the last checked build's pages.
    outputs: Option<PageOutputs>,
    /// How many files the last build wrote (what the next one's lists are made for).
    files_written: usize,
    /// What this build looks at.
    visits: visit::Visits,
    /// Bodies and pages looked at by this build (see [`Report`]).
    bodies_visited: AtomicUsize,
    pages_visited: AtomicUsize,
}

impl BuildCache {
    /// What the last build rendered.
    pub fn report(&self) -> Report {
        Report {
            claims_checked: self.site_wide.claims_checked,
            backlinks_made: self.site_wide.backlinks_made,
            site_files_made: self.site_wide.site_files_made,
            files_looked_at: self.sources.reused().files_looked_at,
            bodies_visited: self.bodies_visited.load(Ordering::Relaxed),
            pages_visited: self.pages_visited.load(Ordering::Relaxed),
            print_chapters_rendered: self.print.rendered,
            print_spliced: self.print.spliced,
            ..self.report
        }
    }

    /// The source paths (`notes/plain.md`) of the pages the last build rendered through their
    /// template rather than kept, sorted.
    pub fn rendered(&self) -> &[String] {
        &self.rendered
    }

    /// Tells the next build which files of the site changed since the last build with this
    /// cache (paths relative to the site root), and that no other did, so that it need not look
    /// at the others; `None` when that is not known (the default: every file is checked).
    pub fn changes_known(&mut self, changed: Option<&BTreeSet<PathBuf>>) {
        let Some(changed) = changed else {
            self.sources.changes_unknown();
            return;
        };
        let content = changed
            .iter()
            .filter_map(|path| path.strip_prefix(crate::content::CONTENT_DIR).ok())
            .map(Path::to_path_buf)
            .collect();
        self.sources.changes_known(content);
    }

    /// Whether output claims with this fingerprint were checked and found clear before.
    pub(super) fn claims_clear(&self, claimed: Key) -> bool {
        self.claims == Some(claimed)
    }

    /// Records that the output claims with this fingerprint have no clash, and whether they
    /// were checked now. The first record of a build: what it ran is counted from here.
    pub(super) fn claims_checked(&mut self, claimed: Key, checked_now: bool) {
        self.claims = Some(claimed);
        self.site_wide = SiteWide {
            claims_checked: checked_now,
            ..SiteWide::default()
        };
    }

    /// The kept rendered page of the source `path` (`notes/plain.md`): the bytes the snapshot
    /// and the served site share.
    pub fn kept_page(&self, path: &str) -> Option<&FileBytes> {
        self.pages.entries.get(path).map(|entry| &entry.value.html)
    }

    /// The bytes the kept rendered pages hold in memory (packed pages count packed).
    pub fn held_page_bytes(&self) -> usize {
        (self.pages.entries.values())
            .map(|entry| entry.value.html.held().len())
            .sum()
    }

    /// The bytes the kept bodies' HTML holds in memory (packed bodies count packed, with what
    /// only their pages read packed beside the HTML).
    pub fn held_body_bytes(&self) -> usize {
        let held = |packed: &Option<super::packed::Packed>| match packed {
            Some(super::packed::Packed::Held(bytes)) => bytes.len(),
            _ => 0,
        };
        (self.bodies.entries.values())
            .map(|entry| {
                let body = &entry.value.body;
                body.html.len() + held(&body.packed_html) + held(&body.packed_parts)
            })
            .sum()
    }

    /// The bytes the kept pages' scans (their ids, anchors and links, for the link check) hold
    /// in memory.
    pub fn held_scan_bytes(&self) -> usize {
        (self.pages.entries.values())
            .map(|entry| {
                let scan = &entry.value.scan;
                scan.ids.held_bytes() + scan.anchors.held_bytes() + scan.links.held_bytes()
            })
            .sum()
    }

    /// How many of the kept bodies hold what only their page reads (the table of contents,
    /// the excerpt, where ids come from, the links as written) as it was made rather than
    /// packed with their HTML.
    pub fn bodies_with_plain_parts(&self) -> usize {
        (self.bodies.entries.values())
            .filter(|entry| {
                let body = &entry.value.body;
                body.packed_parts.is_none()
                    || !(body.toc.is_empty()
                        && body.excerpt.is_none()
                        && body.id_origins.is_empty()
                        && body.written_links.is_empty())
            })
            .count()
    }

    /// The bytes of Markdown text the cache holds (see
    /// [`crate::content::SourceCache::held_text_bytes`]).
    pub fn held_text_bytes(&self) -> usize {
        self.sources.held_text_bytes()
    }

    /// How many files the next build is expected to write: as many as the last one.
    pub(super) fn files_expected(&self) -> usize {
        self.files_written
    }

    /// Notes how many files a build wrote.
    pub(super) fn wrote_files(&mut self, files: usize) {
        self.files_written = files;
    }

    /// Forgets everything (the next build renders every page).
    pub fn clear(&mut self) {
        *self = BuildCache::default();
    }
}

/// Kept entries by source path, and who read what.
struct Store<T> {
    entries: HashMap<String, Entry<T>, Xxh3DefaultBuilder>,
    dependents: Dependents,
}

impl<T> Default for Store<T> {
    fn default() -> Self {
        Store {
            entries: HashMap::default(),
            dependents: Dependents::default(),
        }
    }
}

struct Entry<T> {
    key: Key,
    trace: Vec<Lookup>,
    value: T,
}

impl<T> Store<T> {
    /// Keeps `entry` for `path`, in place of the one before.
    fn put(&mut self, path: &str, entry: Entry<T>) {
        if let Some(old) = self.entries.get(path) {
            self.dependents.forget(path, &old.trace);
        }
        self.dependents.remember(path, &entry.trace);
        self.entries.insert(path.to_owned(), entry);
    }

    fn drop_entry(&mut self, path: &str) {
        if let Some(old) = self.entries.remove(path) {
            self.dependents.forget(path, &old.trace);
        }
    }

    /// Drops the entries of pages that are gone.
    fn keep_only(&mut self, library: &Library) {
        if self.entries.len() == library.pages.len() {
            return;
        }
        let gone: Vec<String> = self
            .entries
            .keys()
            .filter(|path| library.by_path(path).is_none())
            .cloned()
            .collect();
        for path in gone {
            self.drop_entry(&path);
        }
    }
}

/// A kept body, the hash of the text it was made from, and the fingerprint of what pages read
/// from it.
#[derive(Clone)]
pub(super) struct KeptBody {
    pub body: Arc<Body>,
    /// The spill the body's packed parts are in, if they are not in memory.
    spill: Option<Arc<super::packed::Spill>>,
    text: Option<Key>,
    pub fingerprint: Key,
}

/// What a pass did with one page's body or page, for the cache to keep.
pub(super) enum Outcome<T, F> {
    /// What the cache holds for the page is still good.
    Same,
    /// Made now, with what to keep it under (its trace, and a page's key).
    Made(T, F),
    /// Failed: nothing is kept for the page.
    Failed,
}

/// What the body pass did with one page.
pub(super) type BodyResult = Outcome<KeptBody, Vec<Lookup>>;

/// What the pages pass did with one page.
pub(super) type PageResult = Outcome<RenderedPage, (Key, Vec<Lookup>)>;

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

/// Answers the lookups of old traces against the new site, each distinct call once, for the
/// pages the reverse index says a change reaches.
pub(super) struct Checker<'a> {
    functions: HashMap<&'static str, Box<dyn tera::Function>>,
    library: &'a Library,
    assets: &'a HashMap<String, String>,
    index: Arc<SiteIndex>,
    answers: Mutex<HashMap<Key, Key>>,
    /// The fingerprint of this build's name table, when known.
    names: Option<Key>,
    reach: Reach,
    /// The pages to look at besides those the reach finds; `None`: every page.
    only: Option<PathSet>,
}

impl<'a> Checker<'a> {
    fn new(
        index: &Arc<SiteIndex>,
        library: &'a Library,
        assets: &'a HashMap<String, String>,
        names: Option<Key>,
    ) -> Self {
        Checker {
            functions: functions::all(index).into_iter().collect(),
            library,
            assets,
            index: index.clone(),
            answers: Mutex::new(HashMap::new()),
            names,
            reach: Reach::default(),
            only: None,
        }
    }

    /// Works out which kept entries of `dependents` this build's changes reach.
    fn reaching(mut self, dependents: &Dependents, links: Key) -> Self {
        self.reach = dependents.reached(
            |call| self.call(call.name, &call.args, call_key(call.name, &call.args)),
            links,
            self.names,
        );
        self
    }

    /// Looks only at `only` (and at what the reach finds), when it is given.
    pub(super) fn looking_only_at(mut self, only: Option<PathSet>) -> Self {
        self.only = only;
        self
    }

    /// Whether the kept entry of `page`, with `trace`, still holds: nothing it read changed.
    fn still_holds(&self, page: &Page, trace: &[Lookup]) -> bool {
        if !self.reach.pages.contains(page.path.as_str()) {
            return true;
        }
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

    /// What the pass learnt, for the cache to keep.
    pub(super) fn finish(self) -> Reach {
        self.reach
    }
}

/// The key of a body's inputs but its text (compared apart, see [`same_text`]).
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
    h.digest()
}

/// The text `kept` was made from is the page's: by their hashes (a page holds only its front
/// matter and the hash of the whole file, see [`Page::text_hash`]).
fn same_text(kept: Option<Key>, page: &Page) -> bool {
    kept.is_some() && kept == page.text_hash
}

impl BuildCache {
    /// A checker for the body pass, which knows this build's name table.
    pub(super) fn body_checker<'a>(
        &self,
        index: &Arc<SiteIndex>,
        library: &'a Library,
        assets: &'a HashMap<String, String>,
        names: Key,
    ) -> Checker<'a> {
        let links = self.links_key(library, assets);
        Checker::new(index, library, assets, Some(names)).reaching(&self.bodies.dependents, links)
    }

    /// This build's [`links_key`]: made once a build, and kept while the load keeps its
    /// library (every page's path and URL, the drafts and the content assets the same).
    fn links_key(&self, library: &Library, assets: &HashMap<String, String>) -> Key {
        *self.links_key.get_or_init(|| links_key(library, assets))
    }

    /// A checker for the page pass (made once every body is known).
    pub(super) fn page_checker<'a>(
        &self,
        index: &Arc<SiteIndex>,
        library: &'a Library,
        assets: &'a HashMap<String, String>,
        only: Option<PathSet>,
    ) -> Checker<'a> {
        let links = self.links_key(library, assets);
        Checker::new(index, library, assets, None)
            .reaching(&self.pages.dependents, links)
            .looking_only_at(only)
    }

    /// The body of `page`: kept if nothing it read changed, else made by `render`.
    pub(super) fn body<E>(
        &self,
        templates: Key,
        page: &Page,
        checker: &Checker<'_>,
        render: impl FnOnce() -> Result<Body, E>,
    ) -> (KeptOrMade<Cow<'_, KeptBody>, E>, Option<Vec<Lookup>>) {
        let entry = self.bodies.entries.get(page.path.as_str());
        if let Some(entry) = entry.filter(|_| !self.body_visited(&page.path, checker)) {
            // Lent, not copied: most pages' bodies are taken as they are.
            return (KeptOrMade::Kept(Cow::Borrowed(&entry.value)), None);
        }
        self.bodies_visited.fetch_add(1, Ordering::Relaxed);
        let key = body_key(templates, page);
        if let Some(entry) = entry {
            if entry.key == key
                && same_text(entry.value.text, page)
                && checker.still_holds(page, &entry.trace)
            {
                return (KeptOrMade::Kept(Cow::Borrowed(&entry.value)), None);
            }
        }
        match traced(render) {
            (Ok(mut body), trace) => {
                let fingerprint = context::body_fingerprint(&body);
                // Kept packed with what only its page reads, set aside on disk: the page
                // unpacks it when it is rendered.
                let spill = self.spills.current();
                body.pack_for_page(spill.map(|spill| &**spill));
                let spilled = spilled::spilled_len(&body) > 0;
                let kept = KeptBody {
                    fingerprint,
                    spill: spill.filter(|_| spilled).cloned(),
                    body: Arc::new(body),
                    text: page.text_hash,
                };
                (KeptOrMade::Made(Cow::Owned(kept)), Some(trace))
            }
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
        parts: &ContextParts,
        checker: &Checker<'_>,
    ) -> (KeptOrMade<Cow<'_, RenderedPage>, Diagnostic>, Fresh) {
        let path = page.path.as_str();
        let unreached = (checker.only.as_ref())
            .is_some_and(|only| !only.contains(path) && !checker.reach.pages.contains(path));
        if let Some(entry) = self.pages.entries.get(path).filter(|_| unreached) {
            // Lent, not copied: most pages are taken as they are.
            return (KeptOrMade::Kept(Cow::Borrowed(&entry.value)), None);
        }
        self.pages_visited.fetch_add(1, Ordering::Relaxed);
        let body = self
            .bodies
            .entries
            .get(page.path.as_str())
            .map_or(0, |entry| entry.value.fingerprint);
        let mut head = Fingerprint::default();
        (
            templates,
            template,
            &page.output,
            inputs.config.browse_from_disk,
        )
            .hash(&mut head);
        let key = context::context_key(head.digest(), page, inputs, parts, body);
        if let Some(entry) = self.pages.entries.get(page.path.as_str()) {
            if entry.key == key && checker.still_holds(page, &entry.trace) {
                return (KeptOrMade::Kept(Cow::Borrowed(&entry.value)), None);
            }
        }
        let spill = (self.bodies.entries.get(path)).and_then(|entry| entry.value.spill.as_deref());
        let body = match spilled::unpacked(&inputs.bodies[page.id], spill) {
            Ok(body) => body,
            Err(err) => return (KeptOrMade::Failed(unpack_error(page, &err)), None),
        };
        let context = pages::page_context_with(page, &body, inputs);
        match traced(|| pages::render_page_with(page, template, &context, inputs)) {
            (Ok(mut rendered), trace) => {
                // Kept packed, and shared as it is with the snapshot and the served site.
                rendered.html = rendered.html.pack();
                (KeptOrMade::Made(Cow::Owned(rendered)), Some((key, trace)))
            }
            (Err(d), _) => (KeptOrMade::Failed(d), None),
        }
    }

    /// Sets the bodies this build renders aside in a spill in the folder `near` (the site's),
    /// unless the print page, which reads every body, is made: then every kept body is held
    /// in memory.
    pub(super) fn spill_bodies(&mut self, near: &Path, print: bool) {
        if !print {
            let entries = &self.bodies.entries;
            self.spills.for_build(near, |spill| {
                (entries.values())
                    .filter(|e| {
                        e.value
                            .spill
                            .as_ref()
                            .is_some_and(|s| Arc::ptr_eq(s, spill))
                    })
                    .map(|e| spilled::spilled_len(&e.value.body))
                    .sum()
            });
            return;
        }
        if self.spills.for_print() {
            return;
        }
        let mut all_held = true;
        for entry in self.bodies.entries.values_mut() {
            let kept = &mut entry.value;
            if let Some(body) = spilled::held_in_memory(&kept.body, kept.spill.as_deref()) {
                kept.body = body;
                kept.spill = None;
            }
            all_held &= kept.spill.is_none();
        }
        if all_held {
            // Until a build sets bodies aside again, none is looked at here.
            self.spills.all_held();
        }
    }

    /// `bodies` with what only their pages read unpacked (from memory or a spill), to place
    /// messages.
    pub(super) fn unpacked_bodies(
        &self,
        library: &Library,
        bodies: &[Arc<Body>],
    ) -> Vec<Arc<Body>> {
        (library.pages.iter().zip(bodies))
            .map(|(page, body)| {
                if body.packed_parts.is_none() {
                    return body.clone();
                }
                let entry = self.bodies.entries.get(page.path.as_str());
                let spill = entry.and_then(|entry| entry.value.spill.as_deref());
                // Should it not unpack, messages go to the top of the file.
                spilled::unpacked(body, spill).map_or_else(|_| body.clone(), Arc::new)
            })
            .collect()
    }

    /// Keeps this build's bodies (and only those) for the next build.
    pub(super) fn keep_bodies(
        &mut self,
        templates: Key,
        library: &Library,
        results: Vec<BodyResult>,
        reach: Reach,
    ) {
        let mut rendered = 0;
        let mut made = Vec::new();
        for (page, result) in library.pages.iter().zip(results) {
            match result {
                Outcome::Made(value, trace) => {
                    rendered += 1;
                    made.push(page.path.to_string());
                    let key = body_key(templates, page);
                    self.bodies
                        .put(page.path.as_str(), Entry { key, trace, value });
                }
                Outcome::Same => {}
                Outcome::Failed => self.bodies.drop_entry(page.path.as_str()),
            }
        }
        self.bodies.keep_only(library);
        self.bodies.dependents.settle(reach);
        self.bodies_made(made.into_iter());
        self.report = Report {
            pages: library.pages.len(),
            bodies_rendered: rendered,
            ..Report::default()
        };
        self.rendered.clear();
        self.print.rendered = 0;
        self.print.spliced = false;
        self.anchors_changed = false;
        self.check_base = self.checked.take();
    }

    /// Keeps this build's rendered pages (and only those) for the next build.
    pub(super) fn keep_pages(&mut self, library: &Library, results: Vec<PageResult>, reach: Reach) {
        for (page, result) in library.pages.iter().zip(results) {
            let path = page.path.as_str();
            match result {
                Outcome::Made(value, (key, trace)) => {
                    self.rendered.push(path.to_owned());
                    let before = self.pages.entries.get(path);
                    if before.is_none_or(|old| old.value.scan.anchors != value.scan.anchors) {
                        self.anchors_changed = true;
                    }
                    self.pages.put(path, Entry { key, trace, value });
                }
                Outcome::Same => {}
                Outcome::Failed => self.pages.drop_entry(path),
            }
        }
        self.pages.keep_only(library);
        self.pages.dependents.settle(reach);
        self.rendered.sort_unstable();
        self.report.pages_rendered = self.rendered.len();
    }

    /// The output files of pages whose links must be checked now, given a fingerprint of every
    /// output file: `None` when every page must be (the files or some anchors changed, or the
    /// last build did not pass the check), else those of the pages rendered now.
    pub(super) fn pages_to_check(&self, files: Key, library: &Library) -> Option<HashSet<String>> {
        if self.check_base != Some(files) || self.anchors_changed {
            return None;
        }
        Some(
            self.rendered
                .iter()
                .filter_map(|path| library.by_path(path))
                .map(|page| page.output.to_string())
                .collect(),
        )
    }

    /// Records whether this build passed the link check, with the fingerprint of its files.
    pub(super) fn links_checked(&mut self, files: Option<Key>) {
        self.checked = files;
    }
}

/// A kept body's HTML could not be unpacked (it never happens: it is packed in memory).
fn unpack_error(page: &Page, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        &page.shown,
        format!("cannot unpack the rendered body: {err}"),
    )
    .with_hint("build again; the next change renders every page afresh")
}

/// A fingerprint of the names of every output file, in whatever order they come (each name
/// hashed on its own and the hashes added: nothing sorted), and of `anchors` in their order.
pub(super) fn files_key<'a>(
    names: impl Iterator<Item = &'a str>,
    anchors: impl Iterator<Item = &'a str>,
) -> Key {
    let names = names.fold(0u128, |sum, name| {
        sum.wrapping_add(xxhash_rust::xxh3::xxh3_128(name.as_bytes()))
    });
    let mut h = Fingerprint::default();
    names.hash(&mut h);
    for anchor in anchors {
        anchor.hash(&mut h);
    }
    h.digest()
}
