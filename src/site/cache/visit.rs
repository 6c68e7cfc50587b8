//! Which pages a rebuild looks at. When the load kept the last library and only page texts
//! changed (see [`crate::content::Reused`]), and what every page reads (the template set, the
//! sources, the settings) is the same as in the last build, the listings, the site's shape and
//! every page's context parts are what they were: the bodies pass then looks only at the pages
//! whose text changed or whose traces a change reaches, and the pages pass only at those whose
//! body was rendered again, whose backlinks changed or whose traces a change reaches. Every
//! other page's kept body and rendered page is taken as it is, without a key being made.
//!
//! Anything else (a page added, a front matter edit, a template or `site.yaml` edit) looks at
//! every page as before.

use super::context::ContextParts;
use super::reach::PathSet;
use super::{BuildCache, Checker, Fingerprint, Key};
use crate::config::SiteConfig;
use crate::content::{Library, PageId};
use crate::error::Diagnostic;
use crate::render::context::PageListing;
use crate::render::functions::PageListings;
use crate::render::listing::SiteTree;
use crate::render::Templates;
use crate::site::tags::Tags;
use std::hash::Hash;
use std::sync::Arc;

/// What the last build's pages pass shared among all pages, for a narrowed rebuild to reuse.
pub(super) struct KeptSite {
    /// What every body and page reads (see [`globals`]).
    globals: Key,
    parts: Arc<ContextParts>,
    backlinks: Arc<Vec<Vec<PageId>>>,
}

/// What the index stage made from the library alone (listings, the site's shape, its changes,
/// each page's template).
#[derive(Clone)]
pub(in crate::site) struct KeptIndex {
    pub listings: Arc<[PageListing]>,
    pub pages: Arc<PageListings>,
    pub tree: Arc<SiteTree>,
    pub changes: Arc<Vec<crate::render::changes::SiteChange>>,
    /// Each page's template (none when it is missing: an error of the build).
    pub templates: Arc<[Option<String>]>,
}

/// A fingerprint of what every body and page reads besides the library: the template set and
/// the sources (`fingerprint`), the settings, and whether the print page is written.
pub(in crate::site) fn globals(config: &SiteConfig, fingerprint: Key, print: bool) -> Key {
    let mut h = Fingerprint::default().json(config);
    (fingerprint, print).hash(&mut h);
    h.digest()
}

/// What this build looks at, decided before its bodies pass.
#[derive(Default)]
pub(super) struct Visits {
    /// Source paths of the pages to look at (the changed texts, then the bodies rendered
    /// again); `None` when every page is looked at.
    pub narrow: Option<PathSet>,
    /// The globals of this build, kept with the pages pass's parts.
    globals: Key,
    /// The index stage's results, kept for a narrowed rebuild.
    index: Option<KeptIndex>,
}

/// The tags of the last build, with the templates that decided which tag pages are written and
/// the warnings collecting them gave.
pub(super) struct KeptTags {
    templates: Arc<Templates>,
    tags: Tags,
    warnings: Vec<Diagnostic>,
}

impl BuildCache {
    /// The tags of `library`'s pages ([`Tags::collect`]): the last build's while the load kept
    /// its library (every front matter the same) and the templates are the same.
    pub(in crate::site) fn tags(
        &mut self,
        library: &Library,
        templates: &Arc<Templates>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Tags {
        let kept = self.kept_tags.take().filter(|kept| {
            self.sources.reused().changed_texts.is_some() && Arc::ptr_eq(&kept.templates, templates)
        });
        let kept = kept.unwrap_or_else(|| {
            let mut warnings = Vec::new();
            let tags = Tags::collect(library, templates, &mut warnings);
            KeptTags {
                templates: templates.clone(),
                tags,
                warnings,
            }
        });
        warnings.extend(kept.warnings.iter().cloned());
        let tags = kept.tags.clone();
        self.kept_tags = Some(kept);
        tags
    }

    /// The fingerprint of what the pages claim (see `site::claims`): the last build's while
    /// the load kept its library, else made by `make`.
    pub(in crate::site) fn pages_claims(&mut self, make: impl FnOnce() -> Key) -> Key {
        let kept = self
            .kept_claims
            .filter(|_| self.sources.reused().changed_texts.is_some());
        let key = kept.unwrap_or_else(make);
        self.kept_claims = Some(key);
        key
    }

    /// The warnings about changes dated before their page (see
    /// [`crate::content::change_log::order_warnings`]), which read only front matter: the last
    /// build's while the load kept its library, else made by `make`.
    pub(in crate::site) fn date_warnings(
        &mut self,
        make: impl FnOnce() -> Vec<Diagnostic>,
    ) -> Vec<Diagnostic> {
        let kept = (self.kept_date_warnings.take())
            .filter(|_| self.sources.reused().changed_texts.is_some());
        let warnings = kept.unwrap_or_else(make);
        self.kept_date_warnings = Some(warnings.clone());
        warnings
    }

    /// Decides, before the index stage, whether this build may look only at what the change
    /// reaches: the load kept the last library and the globals read the same.
    pub(in crate::site) fn narrow_to(&mut self, globals: Key) {
        let changed = self.sources.reused().changed_texts.clone();
        if changed.is_none() {
            // The library was loaded afresh: what links resolve to is worked out again.
            self.links_key = std::sync::OnceLock::new();
        }
        let same = (self.kept_site.as_ref()).is_some_and(|kept| kept.globals == globals);
        self.bodies_visited
            .store(0, std::sync::atomic::Ordering::Relaxed);
        self.pages_visited
            .store(0, std::sync::atomic::Ordering::Relaxed);
        let index = std::mem::take(&mut self.visits.index);
        self.visits = Visits {
            narrow: changed.filter(|_| same).map(|c| c.into_iter().collect()),
            globals,
            index: None,
        };
        if self.visits.narrow.is_some() {
            self.visits.index = index;
        }
    }

    /// The index stage's results of the last build, when this build may reuse them.
    pub(in crate::site) fn kept_index(&self) -> Option<KeptIndex> {
        self.visits.index.clone()
    }

    /// Keeps this build's index stage results for the next build.
    pub(in crate::site) fn keep_index(&mut self, index: KeptIndex) {
        self.visits.index = Some(index);
    }

    /// Whether the bodies pass must look at the page at `path`.
    pub(super) fn body_visited(&self, path: &str, checker: &Checker<'_>) -> bool {
        (self.visits.narrow.as_ref())
            .is_none_or(|only| only.contains(path) || checker.reach.pages.contains(path))
    }

    /// Notes the bodies rendered again: their pages are looked at by the pages pass.
    pub(super) fn bodies_made(&mut self, paths: impl Iterator<Item = String>) {
        if let Some(only) = &mut self.visits.narrow {
            only.extend(paths);
        }
    }

    /// The context parts for this build's pages pass, and the pages it must look at (`None`:
    /// all): the last build's parts when nothing they read changed, else made now.
    pub(in crate::site) fn pages_pass(
        &mut self,
        library: &Library,
        backlinks: &Arc<Vec<Vec<PageId>>>,
        make: impl FnOnce() -> ContextParts,
    ) -> (Arc<ContextParts>, Option<PathSet>) {
        let kept = self.kept_site.take();
        let narrowed = match (&self.visits.narrow, kept) {
            (Some(only), Some(kept)) => changed_backlinks(library, &kept.backlinks, backlinks)
                .map(|changed| (kept.parts, only.iter().cloned().chain(changed).collect())),
            _ => None,
        };
        let (parts, only) = match narrowed {
            Some((parts, only)) => (parts, Some(only)),
            None => (Arc::new(make()), None),
        };
        self.kept_site = Some(KeptSite {
            globals: self.visits.globals,
            parts: parts.clone(),
            backlinks: backlinks.clone(),
        });
        (parts, only)
    }
}

/// The source paths of the pages whose backlinks differ; `None` when the lists do not match.
fn changed_backlinks(
    library: &Library,
    before: &Arc<Vec<Vec<PageId>>>,
    now: &Arc<Vec<Vec<PageId>>>,
) -> Option<Vec<String>> {
    if Arc::ptr_eq(before, now) {
        return Some(Vec::new());
    }
    if before.len() != now.len() || now.len() != library.pages.len() {
        return None;
    }
    Some(
        (before.iter().zip(now.iter()))
            .zip(&library.pages)
            .filter(|((a, b), _)| a != b)
            .map(|(_, page)| page.path.to_string())
            .collect(),
    )
}
