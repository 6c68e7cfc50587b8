//! The site model and the build pipeline: load (config, content, templates, static files) →
//! render bodies in parallel → render pages in parallel → add the extra files → check every link.
//! The result is the whole output as data ([`SiteFiles`]); writing it is `output`'s job, and
//! nothing here knows whether it goes to disk or to a dev server.

mod bodies;
pub mod cache;
mod claims;
pub mod data;
mod extras;
mod feed;
mod figure;
mod generated;
mod ids;
mod images;
mod linking;
mod mentions;
mod pages;
pub mod print;
mod share_cards;
pub mod tags;
mod toolkit;
mod views;

use crate::config::{Overrides, SiteConfig};
use crate::content::{self, Asset, Library, LoadOptions, PageId};
use crate::error::Diagnostics;
use crate::links::check::{check, check_pages, FastSet};
use crate::output::{FileSource, SiteFiles};
use crate::paths::names::alias_output;
use crate::render::context::{PageListing, SiteView};
use crate::render::functions::{self, SiteIndex};
use crate::render::Templates;
use crate::render::{builtins, changes};
use crate::sources::Registry;
use bodies::{render_body, Body, BodyInputs};
use cache::KeptOrMade;
use pages::{template_for, PageInputs, RenderedPage};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use views::{listing, site_tree, site_view};

pub use cache::{BuildCache, Report};
pub use extras::STATIC_DIR;

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root: the folder with `site.yaml`, `content/` and `templates/`.
    pub root: PathBuf,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// Report pages that no other page links to (for `dossier check`).
    pub report_orphans: bool,
    /// Settings from the command line that win over `site.yaml`.
    pub overrides: Overrides,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub pages: usize,
    pub sections: usize,
    pub copied: usize,
    /// Share cards drawn by this build (the others came from the cache).
    pub cards_drawn: usize,
    /// Copies of images (resized, re-encoded) made by this build, and taken from the cache.
    pub images_processed: usize,
    pub images_reused: usize,
}

/// A finished build.
#[derive(Debug, Clone)]
pub struct Built {
    pub files: SiteFiles,
    pub stats: Stats,
    pub warnings: Diagnostics,
}

/// Told how far a build has got, to show progress; the core never draws anything itself. It
/// counts pages as the summary does (`Built 1007 pages, 3 sections`): sections are not among them.
pub trait Progress: Sync {
    fn start(&self, _pages: usize) {}
    fn advance(&self) {}
    fn finish(&self) {}
}

/// Progress that shows nothing.
pub struct Silent;
impl Progress for Silent {}

/// Builds the site at `options.root` into memory.
pub fn build(options: &BuildOptions, progress: &dyn Progress) -> Result<Built, Diagnostics> {
    build_with_cache(options, &mut BuildCache::default(), progress)
}

/// Builds the site at `options.root` into memory, reusing from `cache` every page whose inputs
/// did not change since the last build with it, and leaving this build's results in it. The
/// result is the same as [`build`]'s; `cache.report()` says how much was rendered.
pub fn build_with_cache(
    options: &BuildOptions,
    cache: &mut BuildCache,
    progress: &dyn Progress,
) -> Result<Built, Diagnostics> {
    let root = options.root.as_path();
    let mut problems = Diagnostics::new();
    let config = SiteConfig::load_with(root, &options.overrides)
        .map_err(|errs| errs.into_iter().for_each(|d| problems.push(d)))
        .ok();
    let load_options = LoadOptions {
        drafts: options.drafts,
    };
    let library = content::load_cached(root, load_options, &mut cache.sources)
        .map_err(|errs| problems.extend(errs))
        .ok();
    let templates = Templates::load(root)
        .map_err(|errs| problems.extend(errs))
        .ok();
    let statics = extras::static_files(root, &mut problems);
    let data = data::load(root, &mut problems);
    let registry = Registry::load(root)
        .map_err(|errs| errs.into_iter().for_each(|d| problems.push(d)))
        .ok();
    let (Some(config), Some(library), Some(templates), Some(registry)) =
        (config, library, templates, registry)
    else {
        return Err(problems.sorted());
    };
    let mut tag_warnings = Vec::new();
    let tags = tags::Tags::collect(&library, &templates, &mut tag_warnings);
    let print = config.print_page && templates.has(print::PRINT_TEMPLATE);
    let generated = claims::Generated { tags: &tags, print };
    claims::check(&config, &library, &statics, generated, &mut problems);
    if problems.has_errors() {
        return Err(problems.sorted());
    }
    tag_warnings.into_iter().for_each(|d| problems.push(d));
    Pipeline {
        options,
        config,
        library,
        templates,
        statics,
        data,
        registry,
        tags,
        print,
        warnings: problems,
        progress,
        cache,
    }
    .run()
}

/// What the pipeline made before putting the output together: every page, and the processed
/// copies of images.
struct Made {
    pages: Vec<RenderedPage>,
    images: Vec<(crate::paths::OutputPath, Arc<[u8]>)>,
}

struct Pipeline<'a> {
    options: &'a BuildOptions,
    config: SiteConfig,
    library: Library,
    templates: Templates,
    statics: Vec<Asset>,
    /// Every file under `data/`, parsed.
    data: std::collections::BTreeMap<String, serde_json::Value>,
    registry: Registry,
    tags: tags::Tags,
    /// The print page is written.
    print: bool,
    /// Warnings found before the pipeline started (a tag spelt two ways).
    warnings: Diagnostics,
    progress: &'a dyn Progress,
    cache: &'a mut BuildCache,
}

impl Pipeline<'_> {
    fn run(mut self) -> Result<Built, Diagnostics> {
        let mut problems = std::mem::take(&mut self.warnings);
        let library = &self.library;
        let dates = library
            .pages
            .iter()
            .flat_map(content::change_log::order_warnings);
        for warning in builtins::clock_warnings(self.templates.sources())
            .into_iter()
            .chain(dates)
        {
            problems.push(warning);
        }
        let listings: Vec<PageListing> = library
            .pages
            .iter()
            .map(|page| listing(page, &self.tags))
            .collect();
        // Source path → URL, for links written in Markdown.
        let content_assets: HashMap<String, String> = library
            .assets
            .iter()
            .map(|a| (a.path.to_string(), a.url().into()))
            .collect();
        let index = Arc::new(SiteIndex {
            pages: listings
                .iter()
                .map(|s| (s.path.clone(), s.clone()))
                .collect(),
            assets: self
                .statics
                .iter()
                .chain(&library.assets)
                .map(|a| (a.path.to_string(), a.url().into()))
                .collect(),
            uses: Default::default(),
            changes: changes::site_changes(library.reading_order.iter().map(|&id| &listings[id])),
            data: self.data.clone(),
            beside: data::beside_pages(&library.assets),
            tree: site_tree(library),
            base_url: self.config.base_url_with_slash(),
            toolkit: Default::default(),
            images: images::catalog(library, &self.statics),
        });
        let mut tera = self.templates.tera.clone();
        cache::register_functions(&mut tera, &index);
        // Bodies and pages read the sources' entries and texts, so they are an input of all.
        let fingerprint = cache::combine(
            cache::templates_fingerprint(&self.templates),
            self.registry.fingerprint(),
        );

        let templates: Vec<Option<String>> = library
            .pages
            .iter()
            .map(|p| {
                template_for(p, &self.templates)
                    .map_err(|d| problems.push(d))
                    .ok()
            })
            .collect();
        // Counted like the summary line counts them: pages, not sections.
        self.progress
            .start(library.pages.len() - library.section_count());
        let (bodies, keep, reach) =
            self.bodies(&content_assets, &tera, &index, fingerprint, &mut problems);
        self.cache.keep_bodies(fingerprint, library, keep, reach);
        if problems.has_errors() {
            self.progress.finish();
            return Err(problems.sorted());
        }
        let uses: Vec<_> = library
            .reading_order
            .iter()
            .flat_map(|&id| bodies[id].uses.iter().cloned())
            .collect();
        let _ = index.uses.set(functions::uses_by_name(&uses));
        let _ = index
            .toolkit
            .set(toolkit::site_listings(library, &bodies, &self.registry));
        if let Some(warning) = toolkit::unverified_warning(library, &bodies, &self.registry) {
            problems.push(warning);
        }

        let backlinks = linking::backlinks(library, &bodies);
        let trails = pages::trails(library);
        let mut positions = vec![0; library.pages.len()];
        for (i, &id) in library.reading_order.iter().enumerate() {
            positions[id] = i;
        }
        let site = site_view(&self.config, &self.tags, self.print);
        let inputs = PageInputs {
            config: &self.config,
            site: &site,
            library,
            bodies: &bodies,
            listings: &listings,
            backlinks: &backlinks,
            trails: &trails,
            positions: &positions,
            templates: &self.templates,
            tera: &tera,
            registry: &self.registry,
        };
        // Every page has a template here: a missing one was an error above.
        let templates: Vec<String> = templates.into_iter().flatten().collect();
        let checker = self.cache.page_checker(&index, library, &content_assets);
        let parts = cache::context::ContextParts::new(&inputs);
        let cached = &*self.cache;
        let rendered: Vec<_> = library
            .pages
            .par_iter()
            .map(|page| {
                let template = &templates[page.id];
                let result = cached.page(fingerprint, page, template, &inputs, &parts, &checker);
                if !page.is_section {
                    self.progress.advance();
                }
                result
            })
            .collect();
        self.progress.finish();
        let mut pages = Vec::with_capacity(rendered.len());
        let mut keep = Vec::with_capacity(rendered.len());
        // One mistake in a template is one error, named after the first page it failed.
        let mut reported = HashSet::new();
        for (result, fresh) in rendered {
            match result {
                KeptOrMade::Kept(page) | KeptOrMade::Made(page) => {
                    keep.push((Some(page.clone()), fresh));
                    pages.push(page);
                }
                KeptOrMade::Failed(d) => {
                    keep.push((None, None));
                    if d.line == 0 || reported.insert((d.path.clone(), d.line, d.column)) {
                        problems.push(d);
                    }
                }
            }
        }
        self.cache.keep_pages(library, keep, checker.finish());
        if problems.has_errors() {
            return Err(problems.sorted());
        }
        let images = images::process(self.options.root.as_path(), &index, &mut problems);
        let processed = (images.processed, images.reused);
        let made = Made {
            pages,
            images: images.files,
        };
        let (mut files, checked) = self.assemble(
            &site,
            &tera,
            made,
            &generated::GeneratedInputs {
                site: &site,
                library,
                listings: &listings,
                bodies: &bodies,
                registry: &self.registry,
                tera: &tera,
                templates: &self.templates,
                index_links: self.config.browse_from_disk,
                tags: &self.tags,
                print: self.print,
            },
            &backlinks,
            &mut problems,
        )?;
        let cards_drawn = if self.config.share_cards {
            let root = self.options.root.as_path();
            share_cards::add(root, &self.config, library, &mut files, &mut problems)
        } else {
            0
        };
        if problems.has_errors() {
            return Err(problems.sorted());
        }
        let stats = Stats {
            cards_drawn,
            images_processed: processed.0,
            images_reused: processed.1,
            pages: library.pages.iter().filter(|p| !p.is_section).count(),
            sections: library.section_count(),
            copied: library.assets.len() + self.statics.len(),
        };
        self.cache.links_checked(Some(checked));
        problems.into_result().map(|warnings| Built {
            files,
            stats,
            warnings,
        })
    }

    fn bodies(
        &self,
        assets: &HashMap<String, String>,
        tera: &tera::Tera,
        index: &Arc<SiteIndex>,
        fingerprint: cache::Key,
        problems: &mut Diagnostics,
    ) -> (Vec<Arc<Body>>, Vec<cache::BodyResult>, cache::Reach) {
        let names = match mentions::name_table(&self.library, self.config.link_mentions) {
            Ok(names) => names,
            Err(errors) => {
                errors.into_iter().for_each(|d| problems.push(d));
                return (Vec::new(), Vec::new(), cache::Reach::default());
            }
        };
        let inputs = BodyInputs {
            library: &self.library,
            assets,
            templates: &self.templates,
            tera,
            names: &names,
            registry: &self.registry,
            index,
        };
        let checker = self
            .cache
            .body_checker(index, &self.library, assets, names.key);
        let cached = &*self.cache;
        let results: Vec<_> = self
            .library
            .pages
            .par_iter()
            .map(|page| cached.body(fingerprint, page, &checker, || render_body(page, &inputs)))
            .collect();
        let mut bodies = Vec::with_capacity(results.len());
        let mut keep = Vec::with_capacity(results.len());
        for (result, trace) in results {
            match result {
                KeptOrMade::Kept(kept) | KeptOrMade::Made(kept) => {
                    let body = kept.body.clone();
                    body.warnings.iter().for_each(|d| problems.push(d.clone()));
                    if self.options.report_orphans {
                        // `check` also reports names mentioned but not linked.
                        body.unlinked_mentions
                            .iter()
                            .for_each(|d| problems.push(d.clone()));
                    }
                    keep.push((Some(kept), trace));
                    bodies.push(body);
                }
                KeptOrMade::Failed(errs) => {
                    errs.into_iter().for_each(|d| problems.push(d));
                    keep.push((None, None));
                    bodies.push(Arc::default());
                }
            }
        }
        (bodies, keep, checker.finish())
    }

    /// Puts every output file together, refuses collisions and checks every link.
    fn assemble(
        &self,
        site: &SiteView,
        tera: &tera::Tera,
        made: Made,
        generated: &generated::GeneratedInputs<'_>,
        backlinks: &[Vec<PageId>],
        problems: &mut Diagnostics,
    ) -> Result<(SiteFiles, cache::Key), Diagnostics> {
        let bodies = generated.bodies;
        let library = &self.library;
        let mut files = SiteFiles::default();
        let mut scans = BTreeMap::new();
        let mut template_of = HashMap::new();
        for (page, rendered) in library.pages.iter().zip(made.pages) {
            files.insert(page.output.to_string(), FileSource::Bytes(rendered.html));
            scans.insert(page.output.to_string(), rendered.scan);
            template_of.insert(page.output.to_string(), rendered.template);
        }
        for (output, bytes) in made.images {
            files.insert(output.to_string(), FileSource::Bytes(bytes));
        }
        let mut generated_problems = Vec::new();
        let written = generated::render_all(generated, &mut generated_problems).map_err(|d| {
            problems.push(d);
            std::mem::take(problems).sorted()
        })?;
        generated_problems
            .into_iter()
            .for_each(|d| problems.push(d));
        // Made anew by every build: their links are always checked, and their anchors are part
        // of what the other pages' links were checked against.
        let mut made_now = HashSet::new();
        let mut made_anchors = Vec::new();
        for (output, html, scan, template) in written {
            made_now.insert(output.to_string());
            made_anchors.extend(scan.anchors.iter().cloned());
            files.insert(output.to_string(), FileSource::Bytes(html));
            scans.insert(output.to_string(), scan);
            template_of.insert(output.to_string(), template.to_owned());
        }
        for asset in &library.assets {
            files.insert(
                asset.output.to_string(),
                FileSource::Copy(asset.source.clone(), asset.id),
            );
        }
        for asset in &self.statics {
            files.insert(
                asset.output.to_string(),
                FileSource::Copy(asset.source.clone(), asset.id),
            );
        }
        // Every output was claimed once before rendering (`claims`), so nothing here overwrites.
        for page in &library.pages {
            for alias in &page.front.aliases {
                let Ok(output) = alias_output(alias) else {
                    continue;
                };
                let html = extras::alias_page(&output, &page.url, &page.title, &self.config);
                files.insert(output.into(), FileSource::Bytes(html.into_bytes().into()));
            }
        }
        match extras::not_found_page(
            site,
            pages::nav(None, library),
            library,
            &self.templates,
            tera,
            self.statics.iter().any(|a| a.output == extras::STYLESHEET),
        ) {
            Ok(html) => {
                let html = self.not_found_links(&html);
                files.insert(
                    extras::NOT_FOUND.into(),
                    FileSource::Bytes(html.into_bytes().into()),
                );
            }
            Err(d) => problems.push(d),
        }
        if !files.contains(extras::ROBOTS) {
            let robots = extras::robots(&self.config);
            files.insert(
                extras::ROBOTS.into(),
                FileSource::Bytes(robots.into_bytes().into()),
            );
        }
        if let Some(base) = self.config.base_url_with_slash() {
            let xml = extras::sitemap(&base, library, &self.tags.sitemap_urls());
            files.insert(
                extras::SITEMAP.into(),
                FileSource::Bytes(xml.into_bytes().into()),
            );
        }
        if !files.contains(feed::FEED_FILE) {
            let xml = feed::atom(&self.config, site, library);
            files.insert(
                feed::FEED_FILE.into(),
                FileSource::Bytes(xml.into_bytes().into()),
            );
        }
        let names: FastSet = files.names().collect();
        // Only the pages rendered now, when nothing they could link to changed.
        let checked =
            cache::files_key(files.names().chain(made_anchors.iter().map(String::as_str)));
        let only = self.cache.pages_to_check(checked, library);
        let broken = match &only {
            Some(only) => check_pages(&names, &scans, |page| {
                only.contains(page) || made_now.contains(page)
            }),
            None => check(&names, &scans),
        };
        for broken in broken {
            problems.push(linking::broken_link_diagnostic(
                library,
                &broken,
                bodies,
                &template_of,
                &scans,
                &self.templates,
            ));
        }
        for duplicate in ids::duplicate_ids(library, bodies, &scans, &template_of) {
            problems.push(duplicate);
        }
        if self.options.report_orphans {
            linking::orphans(library, backlinks).for_each(|d| problems.push(d));
        }
        if problems.has_errors() {
            return Err(std::mem::take(problems).sorted());
        }
        Ok((files, checked))
    }

    /// `404.html` is served at any address, so its links are made absolute when `base_url` is
    /// known, and relative to the site root otherwise.
    fn not_found_links(&self, html: &str) -> String {
        use crate::links::html::{rewrite, Rewrite};
        let base = self.config.base_url_with_slash();
        let how = Rewrite {
            output: "404.html",
            relativize: true,
            base: base.as_deref(),
            index_links: self.config.browse_from_disk,
        };
        rewrite(html, how).0
    }
}
