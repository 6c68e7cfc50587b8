//! `pages(…)`: every page of the site, or of one section's tree, as PageListings, in reading
//! order or sorted. Like every function over the [`SiteIndex`] it is traced, so a page that
//! lists pages is rendered again when the list it got changes.

use super::context::PageListing;
use super::functions::SiteIndex;
use crate::error::nearest;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tera::Function;

/// The shape of the site, for `pages(section=…)`.
#[derive(Debug, Default)]
pub struct SiteTree {
    /// Content paths in reading order.
    pub order: Vec<String>,
    /// Content path → the content path of its section (the home page has none).
    pub parent: HashMap<String, String>,
    /// A section's folder (`people`; `""` for the home page) → its content path.
    pub sections: BTreeMap<String, String>,
}

const ARGUMENTS: [&str; 5] = ["section", "recursive", "sections", "sort_by", "limit"];
const ORDERS: [&str; 3] = ["reading", "title", "date"];

/// `pages(section="people", recursive=true, sort_by="title")`.
pub struct PagesFn(pub Arc<SiteIndex>);

impl Function for PagesFn {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let index = &*self.0;
        let mut names: Vec<&String> = args.keys().collect();
        names.sort();
        if let Some(unknown) = names.iter().find(|n| !ARGUMENTS.contains(&n.as_str())) {
            let hint = nearest(unknown, ARGUMENTS)
                .map(|best| format!("; did you mean `{best}`?"))
                .unwrap_or_default();
            return Err(tera::Error::msg(format!(
                "`pages` has no argument `{unknown}`{hint} (it takes {})",
                ARGUMENTS.map(|a| format!("`{a}`")).join(", ")
            )));
        }
        let within = match args.get("section") {
            None => None,
            Some(Value::String(folder)) => Some(section(index, folder)?),
            Some(_) => return Err(wrong("section", "a string, like section=\"people\"")),
        };
        let recursive = flag(args, "recursive")?;
        let with_sections = flag(args, "sections")?;
        let tree = &index.tree;
        let mut found: Vec<&PageListing> = tree
            .order
            .iter()
            .filter_map(|path| index.pages.get(path))
            .filter(|listing| with_sections || !listing.is_section)
            .filter(|listing| {
                within.is_none_or(|section| inside(tree, &listing.path, section, recursive))
            })
            .collect();
        match args.get("sort_by").map(|v| v.as_str().unwrap_or_default()) {
            None | Some("reading") => {}
            Some("title") => found.sort_by_cached_key(|l| l.title.to_lowercase()),
            // Newest first; undated pages after them, in reading order.
            Some("date") => found.sort_by(|a, b| {
                let when = |l: &PageListing| l.dates.published.as_ref().map(|w| w.utc.clone());
                match (when(a), when(b)) {
                    (Some(a), Some(b)) => b.cmp(&a),
                    (a, b) => b.is_some().cmp(&a.is_some()),
                }
            }),
            Some(other) => {
                let hint = nearest(other, ORDERS)
                    .map(|best| format!("; did you mean `{best}`?"))
                    .unwrap_or_default();
                return Err(tera::Error::msg(format!(
                    "`pages` cannot sort by `{other}`{hint} (sort_by takes \"reading\", \"title\" or \"date\")"
                )));
            }
        }
        match args.get("limit") {
            None => {}
            Some(Value::Number(n)) if n.as_u64().is_some() => {
                found.truncate(usize::try_from(n.as_u64().unwrap_or(0)).unwrap_or(usize::MAX));
            }
            Some(_) => return Err(wrong("limit", "a number, like limit=5")),
        }
        serde_json::to_value(found).map_err(tera::Error::json)
    }
}

fn wrong(argument: &str, what: &str) -> tera::Error {
    tera::Error::msg(format!("`pages`: `{argument}` must be {what}"))
}

fn flag(args: &HashMap<String, Value>, name: &str) -> tera::Result<bool> {
    match args.get(name) {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(wrong(name, &format!("true or false, like {name}=true"))),
    }
}

/// The content path of the section whose folder is `folder` (`people`, `people/`,
/// `people/_index.md`; `""` is the home page).
fn section<'a>(index: &'a SiteIndex, folder: &str) -> tera::Result<&'a str> {
    let folder = folder
        .trim_start_matches("@/")
        .trim_end_matches("_index.md");
    let folder = folder.trim_matches('/');
    if let Some(path) = index.tree.sections.get(folder) {
        return Ok(path);
    }
    let hint = nearest(folder, index.tree.sections.keys().map(String::as_str))
        .map(|best| format!("; did you mean `{best}`?"))
        .unwrap_or_default();
    Err(tera::Error::msg(format!(
        "`pages`: there is no section `{folder}` (a folder with an _index.md in content/){hint}"
    )))
}

/// Whether the page at `path` is in `section`: directly, or anywhere below it if `recursive`.
fn inside(tree: &SiteTree, path: &str, section: &str, recursive: bool) -> bool {
    let mut parent = tree.parent.get(path);
    while let Some(p) = parent {
        if p == section {
            return true;
        }
        if !recursive {
            return false;
        }
        parent = tree.parent.get(p);
    }
    false
}
