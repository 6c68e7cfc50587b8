//! Arranging loaded pages into a site: each page joins the nearest section above it, children are
//! put in reading order (weight, then title), and no two sources may write the same output file.

use super::page::{file_role, FileRole};
use super::{Asset, Library, Page, PageId, CONTENT_DIR};
use crate::error::{Diagnostic, Diagnostics};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Links pages to their sections, orders them and checks that no two land on the same URL.
pub(super) fn arrange(mut pages: Vec<Page>, assets: Vec<Asset>) -> Result<Library, Diagnostics> {
    let mut problems = Diagnostics::new();
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    for (id, page) in pages.iter_mut().enumerate() {
        page.id = id;
    }
    check_unique_outputs(&pages, &assets, &mut problems);
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
    for id in 0..pages.len() {
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
    let by_path = pages.iter().map(|p| (p.path.clone(), p.id)).collect();
    Ok(Library {
        pages,
        assets,
        reading_order,
        by_path,
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

/// Two sources may not write the same output file.
fn check_unique_outputs(pages: &[Page], assets: &[Asset], problems: &mut Diagnostics) {
    let mut owners: BTreeMap<&str, &Page> = BTreeMap::new();
    for page in pages {
        let Some(other) = owners.insert(&page.output, page) else {
            continue;
        };
        owners.insert(&other.output, other);
        let slugged = [page, other].into_iter().find(|p| p.front.slug.is_some());
        let (message, hint) = match slugged {
            Some(p) => (
                format!(
                    "two pages have the slug `{}`: this one and {}",
                    p.front.slug.as_deref().unwrap_or_default(),
                    other.shown.display()
                ),
                "give one of them another `slug:`",
            ),
            None => (
                format!(
                    "this page and {} both produce {}",
                    other.shown.display(),
                    page.url
                ),
                "rename one of the files, or set a different `slug:` in its front matter",
            ),
        };
        let line_of_slug = page
            .text
            .lines()
            .position(|l| l.starts_with("slug:"))
            .map_or(1, |i| i + 1);
        problems.push(
            Diagnostic::error(&page.shown, message)
                .at(&page.text, line_of_slug, 1)
                .with_hint(hint),
        );
    }
    for asset in assets {
        if let Some(page) = owners.get(asset.output.as_str()) {
            problems.push(Diagnostic::error(
                Path::new(CONTENT_DIR).join(&asset.path),
                format!(
                    "this file would overwrite the page {}",
                    page.shown.display()
                ),
            ));
        }
    }
}
