//! The site model and the build pipeline, whose stages are named in `pipeline`: `load` (config,
//! content, templates, static files) → `index` → `bodies` (in parallel) → `pages` (in parallel)
//! → `extras` → `check` → `write`. Every finished file goes to an [`OutputSink`]: a staging
//! folder for `dossier build` ([`build_into`]), memory for `serve` and `watch` ([`build`],
//! [`build_with_cache`], which return the whole output as [`SiteFiles`]). Nothing here knows
//! whether it goes to disk or to a dev server.

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
pub mod packed;
mod packed_body;
mod page_links;
mod pages;
mod parked;
mod pipeline;
pub mod print;
mod share_cards;
mod streamed;
pub mod tags;
mod toolkit;
mod views;

use crate::config::{Overrides, SiteConfig};
use crate::content::{self, LoadOptions};
use crate::error::Diagnostics;
use crate::output::{Collected, OutputSink, SiteFiles};
use crate::render::Templates;
use crate::sources::Registry;
use pipeline::Pipeline;
use std::path::PathBuf;
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
    let files = Collected::with_capacity(cache.files_expected());
    let (stats, warnings) = load(options, Some(cache), progress, &files)?.run()?;
    let files = files.into_files();
    cache.wrote_files(files.len());
    Ok(Built {
        files,
        stats,
        warnings,
    })
}

/// Builds the site at `options.root` into `sink`, handing over each file as soon as it is final
/// and keeping none of them, then tells the sink the site is complete. A build with errors hands
/// over what was finished before they were found but never tells the sink it is complete. The
/// files are those [`build`] returns, byte for byte.
pub fn build_into(
    options: &BuildOptions,
    progress: &dyn Progress,
    sink: &dyn OutputSink,
) -> Result<(Stats, Diagnostics), Diagnostics> {
    load(options, None, progress, sink)?.run()
}

/// The first stage: config, content, templates, static files, data and sources, every problem
/// of all of them at once; then every output file claimed once.
fn load<'a>(
    options: &'a BuildOptions,
    cache: Option<&'a mut BuildCache>,
    progress: &'a dyn Progress,
    sink: &'a dyn OutputSink,
) -> Result<Pipeline<'a>, Diagnostics> {
    let root = options.root.as_path();
    let mut problems = Diagnostics::new();
    let config = SiteConfig::load_with(root, &options.overrides)
        .map_err(|errs| errs.into_iter().for_each(|d| problems.push(d)))
        .ok();
    let load_options = LoadOptions {
        drafts: options.drafts,
        // Each page's body is read again when it is rendered (a rebuild renders few).
        lean: true,
    };
    let mut cache = cache;
    let library = match cache.as_deref_mut() {
        Some(cache) => content::load_cached(root, load_options, &mut cache.sources),
        None => content::load(root, load_options),
    }
    .map_err(|errs| problems.extend(errs))
    .ok();
    let kept_templates = cache.as_deref().and_then(|cache| cache.templates.as_ref());
    let templates = Templates::load_reusing(root, kept_templates)
        .map_err(|errs| problems.extend(errs))
        .ok();
    if let (Some(cache), Some(templates)) = (cache.as_deref_mut(), &templates) {
        cache.templates = Some(templates.clone());
    }
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
    let tags = match cache.as_deref_mut() {
        Some(cache) => cache.tags(&library, &templates, &mut tag_warnings),
        None => tags::Tags::collect(&library, &templates, &mut tag_warnings),
    };
    let print = config.print_page && templates.has(print::PRINT_TEMPLATE);
    let generated = claims::Generated { tags: &tags, print };
    // A rebuild whose output claims read as in a build that found them clear skips the check.
    let claimed = (cache.as_deref_mut()).map(|cache| {
        let pages = cache.pages_claims(|| claims::pages_fingerprint(&library));
        let claimed = claims::fingerprint_with(pages, &config, &library, &statics, generated);
        (&*cache, claimed)
    });
    let checking = claimed.is_none_or(|(cache, claimed)| !cache.claims_clear(claimed));
    if checking {
        claims::check(&config, &library, &statics, generated, &mut problems);
    }
    let claimed = claimed.map(|(_, claimed)| claimed);
    if problems.has_errors() {
        return Err(problems.sorted());
    }
    if let (Some(cache), Some(claimed)) = (cache.as_deref_mut(), claimed) {
        cache.claims_checked(claimed, checking);
    }
    tag_warnings.into_iter().for_each(|d| problems.push(d));
    Ok(Pipeline {
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
        sink,
        shelved_texts: Vec::new(),
        spill: None,
        parked: Vec::new(),
        backlinks: None,
    })
}
