//! The site's table of names (`known_as` in front matter) for mentions: which page each name
//! belongs to, a fingerprint of the table for incremental rebuilds, and the messages for a page
//! that mentions another without linking to it. Finding the names in text is
//! `markdown::mentions`' job.

use super::cache::{self, Key};
use crate::content::{Library, Page};
use crate::error::Diagnostic;
use crate::markdown::{Mention, Mentions, Names};
use std::collections::BTreeMap;

/// The names of every page, and what a body that reads them must be traced with.
pub(super) struct NameTable {
    pub names: Names,
    /// A fingerprint of the table and of `link_mentions`: see [`cache::names_key`].
    pub key: Key,
    pub link: bool,
}

impl NameTable {
    /// What the text of `page` is searched with; `link_to` gives the URL of a page by id.
    /// Records the table in the render's trace, so that a change to any page's names renders
    /// this body again.
    pub fn finder<'a>(&'a self, page: &Page, link_to: &'a dyn Fn(usize) -> String) -> Mentions<'a> {
        cache::record_names(self.key);
        Mentions {
            names: &self.names,
            own: page.id.index(),
            link_to: self.link.then_some(link_to),
            found: Vec::new(),
        }
    }
}

/// The site-root URL of the page `id`.
pub(super) fn url_of(library: &Library, id: usize) -> String {
    library
        .pages
        .get(id)
        .map_or_else(String::new, |p| p.url.to_string())
}

/// The name table of `library`, or an error for each name two pages both claim.
pub(super) fn name_table(library: &Library, link: bool) -> Result<NameTable, Vec<Diagnostic>> {
    let mut owner: BTreeMap<&str, &Page> = BTreeMap::new();
    let mut names = Vec::new();
    let mut problems = Vec::new();
    for page in &library.pages {
        for name in &page.front.known_as {
            match owner.get(name.as_str()) {
                Some(first) if first.id != page.id => {
                    problems.push(claimed_twice(page, first, name));
                }
                Some(_) => {}
                None => {
                    owner.insert(name, page);
                    names.push((name.clone(), page.id.index()));
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(NameTable {
        names: Names::new(names),
        key: cache::names_key(library, link),
        link,
    })
}

fn claimed_twice(page: &Page, first: &Page, name: &str) -> Diagnostic {
    let needle = name;
    let line = page
        .text
        .lines()
        .position(|l| l.contains(needle))
        .map_or(1, |i| i + 1);
    let column = page
        .text
        .lines()
        .nth(line - 1)
        .and_then(|l| l.find(needle))
        .map_or(1, |c| c + 1);
    Diagnostic::error(
        &page.shown,
        format!(
            "the name `{name}` is already in `known_as` of {}",
            first.shown.display()
        ),
    )
    .at(&page.text, line, column)
    .with_hint("a name can lead to one page only: remove it from one of the two")
}

/// A warning for each page `page` mentions but never links to (by its body's `links`).
pub(super) fn unlinked(
    page: &Page,
    library: &Library,
    found: &[Mention],
    links: &crate::links::strings::StrList,
) -> Vec<Diagnostic> {
    found
        .iter()
        .filter_map(|mention| {
            let target = library.pages.get(mention.page)?;
            let linked = links
                .iter()
                .any(|l| l.split(['#', '?']).next() == Some(target.url.as_str()));
            (!linked).then(|| {
                Diagnostic::warning(
                    &page.shown,
                    format!(
                        "this page mentions {} but never links to {}",
                        mention.name, target.path
                    ),
                )
                .at_offset(&page.text, mention.offset)
                .with_hint(format!(
                    "link the first mention: `[{}](@/{})`, or set `link_mentions: true` in site.yaml",
                    mention.name, target.path
                ))
            })
        })
        .collect()
}
