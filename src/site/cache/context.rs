//! A page's context key, made without building its context: the same inputs
//! [`pages::page_context_html`] reads, each hashed once per build (listings, links, trails, the
//! navigation, the site settings) or once per render (a body's fingerprint), then combined per
//! page. Building and serialising 10,000 contexts to find the one that changed would cost more
//! than the change.
//!
//! Architecture invariant: everything `page_context_html` puts in a context enters the key here; a new
//! field there needs its line here (the convergence tests compare with clean builds).

use super::trace::{Fingerprint, Key};
use crate::content::Page;
use crate::site::bodies::Body;
use crate::site::pages::{self, PageInputs};
use rayon::prelude::*;
use std::hash::Hash;

/// What the pages of one build share, hashed once.
pub(in crate::site) struct ContextParts {
    site: Key,
    nav: Key,
    /// Per page: its listing.
    listings: Vec<Key>,
    /// Per page: its link (link title and URL).
    links: Vec<Key>,
    /// Per page: its trail (sections only).
    trails: Vec<Key>,
}

impl ContextParts {
    pub(in crate::site) fn new(inputs: &PageInputs<'_>) -> Self {
        let library = inputs.library;
        let site = Fingerprint::default()
            .json(inputs.site)
            .json(&(
                inputs.config.base_url_with_slash(),
                inputs.config.browse_from_disk,
            ))
            .digest();
        let nav = Fingerprint::default()
            .json(&pages::nav(None, library))
            .digest();
        let listings = inputs
            .listings
            .par_iter()
            .map(|l| Fingerprint::default().json(l).digest())
            .collect();
        let links = library
            .pages
            .iter()
            .map(|p| hash(&(p.link_title(), p.url.as_str())))
            .collect();
        let trails = inputs
            .trails
            .iter()
            .map(|trail| Fingerprint::default().json(trail).digest())
            .collect();
        ContextParts {
            site,
            nav,
            listings,
            links,
            trails,
        }
    }
}

fn hash(value: &impl Hash) -> Key {
    let mut h = Fingerprint::default();
    value.hash(&mut h);
    h.digest()
}

/// A fingerprint of what a page's context reads from its body.
pub(super) fn body_fingerprint(body: &Body) -> Key {
    Fingerprint::default()
        .json(&(
            &body.html,
            &body.excerpt,
            &body.toc,
            body.word_count,
            &body.toolkit.citations,
        ))
        .digest()
}

/// The key of `page`'s context: equal keys, equal contexts.
pub(super) fn context_key(
    head: Key,
    page: &Page,
    inputs: &PageInputs<'_>,
    parts: &ContextParts,
    body: Key,
) -> Key {
    let library = inputs.library;
    let id = page.id;
    let mut h = Fingerprint::default();
    (head, parts.site, parts.nav, body).hash(&mut h);
    (
        page.url.as_str(),
        page.is_section,
        parts.listings[id.index()],
    )
        .hash(&mut h);
    for &from in &inputs.backlinks[id] {
        parts.links[from.index()].hash(&mut h);
    }
    0u8.hash(&mut h);
    page.parent.map(|p| parts.trails[p.index()]).hash(&mut h);
    if page.is_section {
        for &child in &page.children {
            (
                library.pages[child].is_section,
                parts.listings[child.index()],
            )
                .hash(&mut h);
        }
    }
    1u8.hash(&mut h);
    let position = inputs.positions[id];
    let neighbour = |i: Option<usize>| {
        i.and_then(|i| library.reading_order.get(i))
            .map(|&n| parts.links[n.index()])
    };
    (
        neighbour(position.checked_sub(1)),
        neighbour(Some(position + 1)),
    )
        .hash(&mut h);
    h.digest()
}
