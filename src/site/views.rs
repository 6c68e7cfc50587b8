//! The site model as templates see it: a page's listing (with its tag links), the `site`
//! variable (with the addresses of the generated pages) and the shape of the site that
//! `pages(…)` answers from. Pure functions of the loaded site, made once per build.

use super::tags::Tags;
use crate::config::SiteConfig;
use crate::content::{Library, Page, PageId};
use crate::render::context::{PageListing, SiteView};

/// A page as listings, `get_page` and `pages` give it.
pub(super) fn listing(page: &Page, tags: &Tags) -> PageListing {
    PageListing {
        title: page.title.clone(),
        description: page.front.description.clone(),
        url: page.url.to_string(),
        path: page.path.to_string(),
        date: page.front.date.clone(),
        updated: page.front.updated.clone(),
        dates: crate::content::change_log::PageDates::of(&page.front),
        weight: page.front.weight,
        tags: page.front.tags.clone(),
        tag_links: tags.links_of(page),
        extra: page.front.extra.clone(),
        is_section: page.is_section,
    }
}

/// The shape of the site for `pages(…)`: reading order, each page's section, the sections.
pub(super) fn site_tree(library: &Library) -> crate::render::listing::SiteTree {
    let path = |id: PageId| library.pages[id].path.to_string();
    crate::render::listing::SiteTree {
        order: library.reading_order.iter().map(|&id| path(id)).collect(),
        parent: library
            .pages
            .iter()
            .filter_map(|p| Some((p.path.to_string(), path(p.parent?))))
            .collect(),
        sections: library
            .pages
            .iter()
            .filter(|p| p.is_section)
            .map(|p| (p.source_dir().to_owned(), p.path.to_string()))
            .collect(),
    }
}

pub(super) fn site_view(config: &SiteConfig, tags: &Tags, print: bool) -> SiteView {
    SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        author: config.author.clone(),
        base_url: config.base_url_with_slash(),
        share_cards: config.share_cards,
        tags_url: tags
            .index
            .then(|| crate::paths::generated::tag_index_url().to_string()),
        print_url: print.then(|| crate::paths::generated::print_url().to_string()),
        extra: config.extra.clone(),
    }
}
