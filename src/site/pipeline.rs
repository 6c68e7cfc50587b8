//! The build's stages, in order: `load → index → bodies → pages → extras → check → write` (the
//! extras being the `generated` pages, then `images`, then the other files). Each
//! stage is one short method of [`Pipeline`] (`load` is [`super::load`]). Every finished file
//! goes to the build's [`OutputSink`] as soon as it is final, so a build to disk holds no page's
//! output longer than it takes to write it; the sink is told the site is complete (`write`) only
//! after the check found nothing wrong, so a failed build publishes nothing.

use super::bodies::{render_body, Body, BodyInputs};
use super::cache::{self, BuildCache, KeptOrMade};
use super::packed;
use super::page_links::{PageLinks, StreamedAnchors};
use super::pages::{self, template_for, PageInputs};
use super::parked::{self, Parked};
use super::streamed::{slim, slim_body, spill_error, streamed_check};
use super::{data, extras, feed, generated, ids, images, linking, mentions, share_cards};
use super::{listing, site_tree, site_view};
use super::{tags, toolkit};
use super::{BuildOptions, Progress, Stats};
use crate::config::SiteConfig;
use crate::content::{self, Asset, Library, PageId};
use crate::error::{Diagnostic, Diagnostics};
use crate::links::check::{check, check_named, FastSet, PageAnchors};
use crate::links::html::Scan;
use crate::markdown::CodeBlocks;
use crate::output::{FileSource, OutputSink};
use crate::paths::names::alias_output;
use crate::render::context::{PageListing, SiteView};
use crate::render::functions::{self, PageListings, SiteIndex};
use crate::render::{builtins, changes, Templates};
use crate::sources::Registry;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

mod check_stage;
mod extras_stage;

/// Everything loaded, and where the files go.
pub(super) struct Pipeline<'a> {
    pub options: &'a BuildOptions,
    pub config: SiteConfig,
    pub library: Library,
    pub templates: Arc<Templates>,
    pub statics: Vec<Asset>,
    /// Every file under `data/`, parsed.
    pub data: BTreeMap<String, serde_json::Value>,
    pub registry: Registry,
    pub tags: tags::Tags,
    /// The print page is written.
    pub print: bool,
    /// Warnings found before the pipeline started (a tag spelt two ways).
    pub warnings: Diagnostics,
    pub progress: &'a dyn Progress,
    /// Kept between builds (`serve`, `watch`); `None` for a one-off build, which then renders
    /// without tracing and keeps nothing.
    pub cache: Option<&'a mut BuildCache>,
    pub sink: &'a dyn OutputSink,
    /// The hash of every page's Markdown text, let go of while a one-off build renders pages
    /// (`shelve_texts`).
    pub shelved_texts: Vec<packed::Shelved>,
    /// Where a one-off build sets each body's HTML aside until its page is rendered.
    pub spill: Option<packed::Spill>,
    /// A one-off build's bodies' parts set aside until their pages, by page id.
    pub parked: Vec<Option<Parked>>,
    /// A one-off build's backlinks, found in the body pass.
    pub backlinks: Option<Arc<Vec<Vec<PageId>>>>,
}

/// What the index stage makes: what templates and links read across the site.
struct Indexed {
    /// Shared with the template functions' index.
    listings: Arc<[PageListing]>,
    /// Source path → URL of content assets, for links written in Markdown.
    content_assets: HashMap<String, String>,
    index: Arc<SiteIndex>,
    tera: tera::Tera,
    /// The template set and the sources: an input of every body and page.
    fingerprint: cache::Key,
    /// Each page's template (a missing one is an error of this stage).
    templates: Arc<[Option<String>]>,
    site: SiteView,
}

/// What the check stage reads about the written pages: their ids and links, not their bytes.
#[derive(Default)]
struct Written {
    /// Every page's scan; for a one-off build, only the generated pages' and those of pages
    /// with an id written twice (the others are in `links`).
    scans: BTreeMap<String, Arc<Scan>>,
    /// A one-off build's pages, by id: their anchors and the links the output must settle.
    links: Option<Vec<PageLinks>>,
    /// For each page, the pages whose bodies link to it (for orphans), when asked for.
    backlinks: Arc<Vec<Vec<crate::content::PageId>>>,
    template_of: HashMap<String, String>,
    /// The pages made anew by every build (tags, print): their links are always checked, and
    /// their anchors are part of what the other pages' links were checked against.
    made_now: HashSet<String>,
    made_anchors: Vec<String>,
    /// The output files of the generated pages (in `scans` and `template_of` with the pages').
    generated: Vec<String>,
}

impl Written {
    /// Notes what the check reads of a rendered page: every page's template and scan when the
    /// build cache keeps them (`keeping`); else the template only when a message may name it
    /// (a link the output must settle, an id written twice), the scan for an id written twice.
    fn note(
        &mut self,
        page: &content::Page,
        done: &pages::RenderedPage,
        keeping: bool,
        unsettled: bool,
    ) {
        let output = page.output.to_string();
        let duplicates = !done.scan.duplicate_ids.is_empty();
        if keeping || unsettled || duplicates {
            (self.template_of).insert(output.clone(), done.template.to_string());
        }
        if keeping || duplicates {
            self.scans.insert(output, done.scan.clone());
        }
    }
}

/// The sitemap (with `base_url`) and the feed.
type SiteWideFiles = (Option<FileSource>, FileSource);

/// Files handed to the sink so far (for the link check), and the sink's first failure.
#[derive(Default)]
struct Emitted {
    names: Mutex<Vec<String>>,
    failure: OnceLock<Diagnostic>,
}

impl Pipeline<'_> {
    /// Runs the stages after `load`, returning the build's counts and warnings.
    pub fn run(mut self) -> Result<(Stats, Diagnostics), Diagnostics> {
        let mut problems = self.early_warnings();
        let expected = self.cache.as_deref().map_or(0, BuildCache::files_expected);
        let emitted = Emitted {
            names: Mutex::new(Vec::with_capacity(expected)),
            ..Emitted::default()
        };
        if self.cache.is_none() {
            // Made and written while the build holds the least (the feed lists every page).
            let site = site_view(&self.config, &self.tags, self.print);
            self.site_wide(&site, &emitted);
        }
        let indexed = self.index(&mut problems);
        let bodies = self.bodies(&indexed, &mut problems)?;
        self.shelve_texts();
        let (mut written, bodies) = self.pages(&indexed, bodies, &emitted, &mut problems)?;
        self.generated(&indexed, &bodies, &mut written, &emitted, &mut problems)?;
        // After every template that may call `image()`, the generated pages' included.
        let processed = self.images(&indexed, &emitted, &mut problems)?;
        let cards_drawn = self.extras(&indexed, &emitted, &mut problems)?;
        let checked = self.check(&bodies, &written, &emitted, &mut problems)?;
        self.write(&emitted)?;
        if let Some(cache) = self.cache.as_deref_mut() {
            cache.links_checked(Some(checked));
            cache.keep_outputs(cache::PageOutputs {
                scans: std::mem::take(&mut written.scans),
                template_of: std::mem::take(&mut written.template_of),
                generated: std::mem::take(&mut written.generated),
            });
        }
        let stats = Stats {
            cards_drawn,
            images_processed: processed.0,
            images_reused: processed.1,
            pages: self.library.pages.iter().filter(|p| !p.is_section).count(),
            sections: self.library.section_count(),
            copied: self.library.assets.len() + self.statics.len(),
        };
        if let Some(cache) = self.cache.as_deref_mut() {
            cache
                .sources
                .keep_library(std::mem::take(&mut self.library));
        }
        problems.into_result().map(|warnings| (stats, warnings))
    }

    /// Once every body is rendered, a one-off build lets go of every page's Markdown text: it
    /// is read again only to place an error message. (Each body's HTML was packed as it was
    /// made, unless the print page reads them all.)
    fn shelve_texts(&mut self) {
        if self.cache.is_some() {
            return;
        }
        self.shelved_texts = (self.library.pages.iter_mut())
            .map(packed::shelve)
            .collect();
    }

    /// Gives every page its Markdown text back, to place error messages (a page that holds
    /// only its front matter, see [`crate::content::Page::text_hash`], too).
    fn unshelve_texts(&mut self) {
        let root = self.options.root.as_path();
        if self.shelved_texts.is_empty() {
            (self.library.pages.par_iter_mut()).for_each(|page| packed::restore(root, page));
            return;
        }
        let shelved = std::mem::take(&mut self.shelved_texts);
        (self.library.pages.par_iter_mut())
            .zip(shelved)
            .for_each(|(page, shelved)| packed::unshelve(root, page, shelved));
    }

    /// What fenced code becomes, from `highlight_code`.
    fn code_blocks(&self) -> CodeBlocks {
        if self.config.highlight_code {
            CodeBlocks::Highlighted
        } else {
            CodeBlocks::Plain
        }
    }

    /// Warnings known before anything is rendered: clocks in templates, dates out of order.
    fn early_warnings(&mut self) -> Diagnostics {
        let mut problems = std::mem::take(&mut self.warnings);
        let library = &self.library;
        let make = || {
            (library.pages.iter())
                .flat_map(content::change_log::order_warnings)
                .collect()
        };
        let dates = match self.cache.as_deref_mut() {
            Some(cache) => cache.date_warnings(make),
            None => make(),
        };
        for warning in builtins::clock_warnings(self.templates.sources())
            .into_iter()
            .chain(dates)
        {
            problems.push(warning);
        }
        problems
    }

    /// The site index the template functions read, the templates with those functions, and
    /// each page's template.
    fn index(&mut self, problems: &mut Diagnostics) -> Indexed {
        let fingerprint = cache::combine(
            cache::combine(
                cache::templates_fingerprint(&self.templates),
                self.registry.fingerprint(),
            ),
            // Every body depends on it.
            u128::from(self.config.highlight_code),
        );
        let kept = self.cache.as_deref_mut().and_then(|cache| {
            cache.narrow_to(cache::globals(&self.config, fingerprint, self.print));
            cache.kept_index()
        });
        let made = kept.unwrap_or_else(|| self.index_library(problems));
        if let Some(cache) = self.cache.as_deref_mut() {
            cache.keep_index(made.clone());
        }
        let cache::KeptIndex {
            listings,
            pages,
            tree,
            changes,
            templates,
        } = made;
        let library = &self.library;
        let content_assets: HashMap<String, String> = library
            .assets
            .iter()
            .map(|a| (a.path.to_string(), a.url().into()))
            .collect();
        let index = Arc::new(SiteIndex {
            pages,
            assets: self
                .statics
                .iter()
                .chain(&library.assets)
                .map(|a| (a.path.to_string(), a.url().into()))
                .collect(),
            uses: Default::default(),
            changes,
            data: self.data.clone(),
            beside: data::beside_pages(&library.assets),
            tree,
            base_url: self.config.base_url_with_slash(),
            toolkit: Default::default(),
            images: images::catalog(library, &self.statics),
        });
        let mut tera = self.templates.tera.clone();
        cache::register_functions(&mut tera, &index);
        Indexed {
            listings,
            content_assets,
            index,
            tera,
            fingerprint,
            templates,
            site: site_view(&self.config, &self.tags, self.print),
        }
    }

    /// What the index stage makes from the library alone: the listings, the site's shape, its
    /// change log and each page's template (kept by the cache while only page texts change).
    fn index_library(&self, problems: &mut Diagnostics) -> cache::KeptIndex {
        let library = &self.library;
        let listings: Arc<[PageListing]> = (library.pages.iter())
            .map(|page| listing(page, &self.tags))
            .collect();
        let in_order = library.reading_order.iter().map(|&id| &listings[id]);
        cache::KeptIndex {
            changes: Arc::new(changes::site_changes(in_order)),
            pages: Arc::new(PageListings::new(listings.clone())),
            tree: Arc::new(site_tree(library)),
            listings,
            templates: (library.pages.iter())
                .map(|p| {
                    (template_for(p, &self.templates))
                        .map_err(|d| problems.push(d))
                        .ok()
                })
                .collect(),
        }
    }

    /// Every page's Markdown body to HTML, in parallel; then what templates read about all of
    /// them (shortcode uses, citations, timeline).
    fn bodies(
        &mut self,
        indexed: &Indexed,
        problems: &mut Diagnostics,
    ) -> Result<Vec<Arc<Body>>, Diagnostics> {
        let packing = self.cache.is_none() && !self.print;
        if packing {
            self.spill = packed::Spill::new(&self.options.root);
        }
        let root = self.options.root.as_path();
        if let Some(cache) = self.cache.as_deref_mut() {
            cache.spill_bodies(root, self.print);
        }
        // Counted like the summary line counts them: pages, not sections.
        (self.progress).start(self.library.pages.len() - self.library.section_count());
        let names = match mentions::name_table(&self.library, self.config.link_mentions) {
            Ok(names) => names,
            Err(errors) => {
                errors.into_iter().for_each(|d| problems.push(d));
                self.progress.finish();
                return Err(std::mem::take(problems).sorted());
            }
        };
        if packing {
            // Each body reads its whole file again: the front matter is not needed meanwhile.
            let empty: Arc<str> = Arc::from("");
            (self.library.pages.iter_mut())
                .for_each(|page| packed::shelve_front_matter(page, &empty));
        }
        let spill = self.spill.as_ref();
        let root = self.options.root.as_path();
        let library = &self.library;
        let inputs = BodyInputs {
            library,
            assets: &indexed.content_assets,
            templates: &self.templates,
            tera: &indexed.tera,
            names: &names,
            registry: &self.registry,
            index: &indexed.index,
            code: self.code_blocks(),
        };
        let by_output = if packing {
            parked::pages_by_output(library)
        } else {
            HashMap::new()
        };
        let empty = Arc::new(Body::default());
        let park = |body: Body| parked::park(body, spill, &by_output, &empty);
        let cached = self.cache.as_deref();
        let checker = cached.map(|cache| {
            cache.body_checker(&indexed.index, library, &indexed.content_assets, names.key)
        });
        let results: Vec<_> = library
            .pages
            .par_iter()
            .map(|page| {
                let render = || {
                    // A one-off build's page holds only its front matter until now.
                    let page = packed::with_text(root, page).map_err(|d| vec![d])?;
                    render_body(&page, &inputs)
                };
                match (cached, &checker) {
                    (Some(cache), Some(checker)) => {
                        match cache.body(indexed.fingerprint, page, checker, render) {
                            (KeptOrMade::Kept(kept) | KeptOrMade::Made(kept), trace) => {
                                let body = kept.body.clone().into();
                                let kept = match trace {
                                    Some(trace) => cache::Outcome::Made(kept.into_owned(), trace),
                                    None => cache::Outcome::Same,
                                };
                                (made(Ok(body)), Some(kept))
                            }
                            (KeptOrMade::Failed(errs), _) => {
                                (KeptOrMade::Failed(errs), Some(cache::Outcome::Failed))
                            }
                        }
                    }
                    // Packed at once, so the bodies are never all held as text.
                    _ if packing => (made(render().map(park)), None),
                    _ => (made(render().map(|body| Arc::new(body).into())), None),
                }
            })
            .collect();
        let mut bodies = Vec::with_capacity(results.len());
        let mut keep = Vec::with_capacity(results.len());
        let set_aside = if packing { results.len() } else { 0 };
        let (mut links_to, mut parts) = (Vec::with_capacity(set_aside), Vec::new());
        parts.reserve_exact(set_aside);
        for (result, kept) in results {
            keep.extend(kept);
            match result {
                KeptOrMade::Kept(made) | KeptOrMade::Made(made) => {
                    let body = made.body;
                    if packing {
                        parts.push(made.parked);
                        links_to.push(made.links_to);
                    }
                    body.warnings.iter().for_each(|d| problems.push(d.clone()));
                    if self.options.report_orphans {
                        // `check` also reports names mentioned but not linked.
                        body.unlinked_mentions
                            .iter()
                            .for_each(|d| problems.push(d.clone()));
                    }
                    bodies.push(body);
                }
                KeptOrMade::Failed(errs) => {
                    errs.into_iter().for_each(|d| problems.push(d));
                    bodies.push(Arc::default());
                    if packing {
                        parts.push(None);
                        links_to.push(Box::default());
                    }
                }
            }
        }
        self.parked = parts;
        if packing {
            let backlinks = linking::backlinks_from(library, |from| {
                links_to.get(from.index()).into_iter().flatten().copied()
            });
            self.backlinks = Some(Arc::new(backlinks));
        }
        if let (Some(cache), Some(checker)) = (self.cache.as_deref_mut(), checker) {
            cache.keep_bodies(indexed.fingerprint, library, keep, checker.finish());
        }
        if problems.has_errors() {
            self.progress.finish();
            return Err(std::mem::take(problems).sorted());
        }
        let uses: Vec<_> = library
            .reading_order
            .iter()
            .flat_map(|&id| bodies[id].uses.iter().cloned())
            .collect();
        let index = &indexed.index;
        let _ = index.uses.set(functions::uses_by_name(&uses));
        let _ = index
            .toolkit
            .set(toolkit::site_listings(library, &bodies, &self.registry));
        if let Some(warning) = toolkit::unverified_warning(library, &bodies, &self.registry) {
            problems.push(warning);
        }
        Ok(bodies)
    }

    /// Every page through its template, in parallel, each written as soon as it is rendered
    /// (while the copied files are written beside them). A one-off build hands each body to its
    /// page and keeps only what the check reads of it; the bodies are given back for the check.
    fn pages(
        &mut self,
        indexed: &Indexed,
        bodies: Vec<Arc<Body>>,
        emitted: &Emitted,
        problems: &mut Diagnostics,
    ) -> Result<(Written, Vec<Arc<Body>>), Diagnostics> {
        let library = &self.library;
        let backlinks = match (self.cache.as_deref_mut(), self.backlinks.take()) {
            (Some(cache), _) => cache.backlinks(library, &bodies),
            (None, Some(found)) => found,
            (None, None) => Arc::new(linking::backlinks(library, &bodies)),
        };
        let mut set_aside = std::mem::take(&mut self.parked);
        set_aside.resize_with(library.pages.len(), || None);
        let trails = pages::trails(library);
        let mut positions = vec![0; library.pages.len()];
        for (i, &id) in library.reading_order.iter().enumerate() {
            positions[id] = i;
        }
        let keeping = self.cache.is_some();
        // The print page, made after the pages, reads every body's HTML.
        let slim_bodies = !keeping && !self.print;
        let (shared, handed): (Vec<Arc<Body>>, Vec<Option<Arc<Body>>>) = if keeping {
            let none = (0..bodies.len()).map(|_| None).collect();
            (bodies, none)
        } else {
            (Vec::new(), bodies.into_iter().map(Some).collect())
        };
        let inputs = PageInputs {
            config: &self.config,
            site: &indexed.site,
            library,
            bodies: &shared,
            listings: &indexed.listings,
            backlinks: &backlinks,
            trails: &trails,
            positions: &positions,
            templates: &self.templates,
            tera: &indexed.tera,
            registry: &self.registry,
            root: &self.options.root,
        };
        let (parts, only, kept_outputs) = match self.cache.as_deref_mut() {
            Some(cache) => {
                let make = || cache::context::ContextParts::new(&inputs);
                let (parts, only) = cache.pages_pass(library, &backlinks, make);
                // Looking only at what the change reaches: the other pages' outputs are the
                // last build's.
                let kept = cache.take_outputs(only.is_some());
                (Some(parts), only, kept)
            }
            None => (None, None, None),
        };
        let cached = self.cache.as_deref();
        let checker = cached.map(|cache| {
            cache.page_checker(&indexed.index, library, &indexed.content_assets, only)
        });
        let copies = library.assets.iter().chain(&self.statics);
        let spill = self.spill.as_ref();
        // Files every successful build writes: a link to one is sound as soon as it is seen.
        let known: FastSet = if keeping {
            FastSet::default()
        } else {
            (library.pages.iter().map(|p| p.output.as_str()))
                .chain(copies.clone().map(|a| a.output.as_str()))
                .collect()
        };
        let (rendered, ()) = rayon::join(
            || {
                library
                    .pages
                    .par_iter()
                    .zip(handed.into_par_iter().zip(set_aside))
                    .map_init(HashMap::default, |sound, (page, (mut own, set_aside))| {
                        let Some(template) = &indexed.templates[page.id] else {
                            return (KeptOrMade::Failed(None), None, own, None);
                        };
                        let (result, fresh) = match (cached, &checker, &parts, &own) {
                            (Some(cache), Some(checker), Some(parts), _) => cache.page(
                                indexed.fingerprint,
                                page,
                                template,
                                &inputs,
                                parts,
                                checker,
                            ),
                            (_, _, _, _) => {
                                own = match parked::unpark(own, set_aside, spill) {
                                    Ok(own) => own,
                                    Err(err) => {
                                        let d = spill_error(page, &err);
                                        return (KeptOrMade::Failed(Some(d)), None, None, None);
                                    }
                                };
                                // Every page has its body here: a failed one stopped the build.
                                let empty;
                                let body = match &own {
                                    Some(body) => body,
                                    None => {
                                        empty = Body::default();
                                        &empty
                                    }
                                };
                                let context = pages::page_context_with(page, body, &inputs);
                                let result =
                                    pages::render_page_with(page, template, &context, &inputs);
                                (made(result.map(Cow::Owned)), None)
                            }
                        };
                        if !page.is_section {
                            self.progress.advance();
                        }
                        let (result, links) = match result {
                            KeptOrMade::Kept(done) | KeptOrMade::Made(done) => {
                                self.emit(emitted, &page.output, done.html.source());
                                if keeping {
                                    (KeptOrMade::Made(done), None)
                                } else {
                                    // A one-off build lets go of the page's bytes and links here.
                                    let links =
                                        PageLinks::of(&page.output, &done.scan, &known, sound);
                                    let done = slim(done.into_owned());
                                    (KeptOrMade::Made(Cow::Owned(done)), Some(links))
                                }
                            }
                            KeptOrMade::Failed(d) => (KeptOrMade::Failed(Some(d)), None),
                        };
                        if slim_bodies {
                            own = own.and_then(|body| slim_body(body, &result, links.as_ref()));
                        }
                        (result, fresh, own, links)
                    })
                    .collect::<Vec<_>>()
            },
            || {
                copies.collect::<Vec<_>>().par_iter().for_each(|asset| {
                    self.emit(
                        emitted,
                        &asset.output,
                        FileSource::Copy(asset.source.clone(), asset.id),
                    );
                });
            },
        );
        self.progress.finish();
        let mut written = Written::default();
        // With the last build's outputs, only the pages rendered now (or failed) are noted.
        let noting_all = kept_outputs.is_none();
        let mut noted = 0;
        if let Some(kept) = kept_outputs {
            written.scans = kept.scans;
            written.template_of = kept.template_of;
        } else if keeping {
            // Every page's template is noted: made at its size at once, not grown page by page.
            written.template_of.reserve(library.pages.len());
        }
        if self.options.report_orphans {
            written.backlinks = backlinks;
        }
        let mut keep = Vec::with_capacity(rendered.len());
        let mut handed_back = Vec::with_capacity(rendered.len());
        let mut page_links = Vec::with_capacity(if keeping { 0 } else { rendered.len() });
        let unread = Arc::new(Body::default());
        // One mistake in a template is one error, named after the first page it failed.
        let mut reported = HashSet::new();
        for (page, (result, fresh, own, links)) in library.pages.iter().zip(rendered) {
            handed_back.push(own.unwrap_or_else(|| unread.clone()));
            let unsettled = links.as_ref().is_some_and(|l| !l.unsettled.is_empty());
            if !keeping {
                page_links.push(links.unwrap_or_default());
            }
            match result {
                KeptOrMade::Kept(done) | KeptOrMade::Made(done) => {
                    if noting_all || fresh.is_some() {
                        written.note(page, &done, keeping, unsettled);
                        noted += 1;
                    }
                    keep.push(match fresh {
                        // Made now: owned, never copied here.
                        Some(fresh) => cache::Outcome::Made(done.into_owned(), fresh),
                        None => cache::Outcome::Same,
                    });
                }
                KeptOrMade::Failed(failure) => {
                    written.scans.remove(page.output.as_str());
                    written.template_of.remove(page.output.as_str());
                    keep.push(cache::Outcome::Failed);
                    if let Some(d) = failure {
                        if d.line == 0 || reported.insert((d.path.clone(), d.line, d.column)) {
                            problems.push(d);
                        }
                    }
                }
            }
        }
        if !keeping {
            written.links = Some(page_links);
        }
        if let (Some(cache), Some(checker)) = (self.cache.as_deref_mut(), checker) {
            cache.keep_pages(library, keep, checker.finish());
            cache.outputs_noted(noted);
        }
        self.stop_on_errors(emitted, problems)?;
        let bodies = if keeping { shared } else { handed_back };
        Ok((written, bodies))
    }
}

/// A render done now, without the cache.
fn made<T, E>(result: Result<T, E>) -> KeptOrMade<T, E> {
    match result {
        Ok(value) => KeptOrMade::Made(value),
        Err(err) => KeptOrMade::Failed(err),
    }
}
