//! Files made from every page's place and front matter (the sitemap, the Atom feed), kept
//! between builds: made again only when the reading order, a page's URL, title or front matter,
//! or the settings they read changed. A body edit that leaves those as they were reuses them
//! without visiting every page.

use super::{BuildCache, Key};
use crate::content::front_matter::FrontMatter;
use crate::content::{Library, PageId};
use crate::output::FileBytes;
use crate::paths::SiteUrl;
use std::collections::HashMap;
use std::sync::Arc;

/// What the kept files read of the pages, and the files by name with the key of the rest of
/// their inputs.
#[derive(Default)]
pub(super) struct KeptSiteFiles {
    order: Vec<PageId>,
    pages: Vec<(SiteUrl, String, Arc<FrontMatter>)>,
    files: HashMap<&'static str, (Key, FileBytes)>,
}

impl KeptSiteFiles {
    /// Whether every page reads as it did (the very same front matter, or an equal one).
    fn same_pages(&self, library: &Library) -> bool {
        self.order == library.reading_order
            && self.pages.len() == library.pages.len()
            && (self.pages.iter().zip(&library.pages)).all(|((url, title, front), page)| {
                *url == page.url
                    && *title == page.title
                    && (Arc::ptr_eq(front, &page.front) || **front == *page.front)
            })
    }
}

impl BuildCache {
    /// Compares the pages with those the kept files were made from, forgetting the files when
    /// any page reads differently. Called once per build, before [`BuildCache::site_file`].
    pub(in crate::site) fn site_pages(&mut self, library: &Library) {
        let kept = &mut self.site_files;
        if kept.same_pages(library) {
            return;
        }
        kept.files.clear();
        kept.order.clone_from(&library.reading_order);
        kept.pages = (library.pages.iter())
            .map(|page| (page.url.clone(), page.title.clone(), page.front.clone()))
            .collect();
    }

    /// The file `name`, made from the pages and the other inputs fingerprinted by `key`: kept
    /// when both are as they were, else made by `make`.
    pub(in crate::site) fn site_file(
        &mut self,
        name: &'static str,
        key: Key,
        make: impl FnOnce() -> String,
    ) -> FileBytes {
        if let Some((kept_key, bytes)) = self.site_files.files.get(name) {
            if *kept_key == key {
                return bytes.clone();
            }
        }
        self.site_wide.site_files_made += 1;
        // Kept packed, like the pages: shared as it is with the snapshot and the served site.
        let bytes = FileBytes::packed(&make());
        self.site_files.files.insert(name, (key, bytes.clone()));
        bytes
    }
}
