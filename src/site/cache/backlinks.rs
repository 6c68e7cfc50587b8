//! Backlinks kept between builds: worked out again only when the reading order, a page's output
//! file or the links of some body changed. A body edit that leaves its links as they were (and
//! every kept body, the very same value) reuses them without visiting every page's links.

use super::{BuildCache, Fingerprint, Key};
use crate::content::{Library, PageId};
use crate::site::bodies::Body;
use crate::site::linking;
use std::hash::Hash;
use std::sync::Arc;

/// The backlinks of the last build and what they were made from.
pub(super) struct KeptBacklinks {
    /// The reading order and every page's output file.
    key: Key,
    bodies: Vec<Arc<Body>>,
    backlinks: Arc<Vec<Vec<PageId>>>,
}

/// A fingerprint of what backlinks read of the site besides the bodies' links.
fn site_key(library: &Library) -> Key {
    let mut h = Fingerprint::default();
    library.reading_order.hash(&mut h);
    for page in &library.pages {
        page.output.hash(&mut h);
    }
    h.digest()
}

/// Every body links to the same pages as the kept one at its place.
fn same_links(kept: &[Arc<Body>], bodies: &[Arc<Body>]) -> bool {
    kept.len() == bodies.len()
        && (kept.iter().zip(bodies))
            .all(|(a, b)| Arc::ptr_eq(a, b) || a.link_outputs == b.link_outputs)
}

impl BuildCache {
    /// For each page, the other pages whose bodies link to it ([`linking::backlinks`]), kept
    /// from the last build when nothing they read changed.
    pub(in crate::site) fn backlinks(
        &mut self,
        library: &Library,
        bodies: &[Arc<Body>],
    ) -> Arc<Vec<Vec<PageId>>> {
        let key = site_key(library);
        if let Some(kept) = &mut self.backlinks {
            if kept.key == key && same_links(&kept.bodies, bodies) {
                kept.bodies = bodies.to_vec();
                return kept.backlinks.clone();
            }
        }
        self.site_wide.backlinks_made = true;
        let backlinks = Arc::new(linking::backlinks(library, bodies));
        self.backlinks = Some(KeptBacklinks {
            key,
            bodies: bodies.to_vec(),
            backlinks: backlinks.clone(),
        });
        backlinks
    }
}
