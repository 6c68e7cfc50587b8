//! Arranging loaded pages into a site: each page joins the nearest section above it, children are
//! put in reading order (weight, then title). (Which outputs clash is `site::claims`'s to check.)

use super::page::{file_role, FileRole};
use super::{Asset, Library, Page, PageId};
use crate::error::{Diagnostic, Diagnostics};
use std::collections::HashMap;

/// Links pages to their sections and orders them.
pub(super) fn arrange(mut pages: Vec<Page>, assets: Vec<Asset>) -> Result<Library, Diagnostics> {
    let mut problems = Diagnostics::new();
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    for (position, page) in pages.iter_mut().enumerate() {
        page.id = PageId::at(position);
    }
    let sections: HashMap<String, PageId> = pages
        .iter()
        .filter(|p| p.is_section)
        .map(|p| (p.source_dir().to_owned(), p.id))
        .collect();
    let Some(&home) = sections.get("") else {
        problems.push(
            Diagnostic::error("content/_index.md", "the home page is missing")
                .with_hint("create content/_index.md with a front matter title"),
        );
        return Err(problems.sorted());
    };
    for id in (0..pages.len()).map(PageId::at) {
        if id == home {
            continue;
        }
        let mut dir = pages[id].source_dir().to_owned();
        if pages[id].is_section || file_role(&pages[id].path) == FileRole::Bundle {
            dir = parent_dir(&dir);
        }
        let parent = loop {
            if let Some(&section) = sections.get(&dir) {
                break section;
            }
            dir = parent_dir(&dir);
        };
        pages[id].parent = Some(parent);
        pages[parent].children.push(id);
    }
    for id in 0..pages.len() {
        let mut children = std::mem::take(&mut pages[id].children);
        children.sort_by_cached_key(|&c| pages[c].order_key());
        pages[id].children = children;
    }
    if problems.has_errors() {
        return Err(problems.sorted());
    }
    let mut reading_order = Vec::with_capacity(pages.len());
    push_depth_first(&pages, home, &mut reading_order);
    let by_path = pages.iter().map(|p| (p.path.to_string(), p.id)).collect();
    Ok(Library {
        pages,
        assets,
        reading_order,
        by_path,
        drafts_left_out: Default::default(),
    })
}

fn parent_dir(dir: &str) -> String {
    dir.rsplit_once('/').map_or("", |(p, _)| p).to_owned()
}

fn push_depth_first(pages: &[Page], id: PageId, order: &mut Vec<PageId>) {
    order.push(id);
    for &child in &pages[id].children {
        push_depth_first(pages, child, order);
    }
}
