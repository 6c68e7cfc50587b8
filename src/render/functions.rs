//! The functions templates can call: `url`, `asset`, `get_page`, `pages` (in
//! [`super::listing`]), `shortcode_uses`, `changes`
//! (in [`super::changes`]), the toolkit's `sources`, `source` and `timeline`, and `load_data`
//! (in [`super::data`]), and `image` (in [`super::images`]). They read a shared, read-only [`SiteIndex`] built once per build.

use super::absolute::{absolute, wants_absolute, AbsoluteFn};
use super::changes::{ChangesFn, SiteChange};
use super::context::{PageListing, ShortcodeUse};
use crate::error::nearest;
use crate::links::split_fragment;
use crate::sources::cited::{Event, SourceListing};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};
use tera::Function;

/// What template functions can look up.
#[derive(Debug, Default)]
pub struct SiteIndex {
    /// Content path (`people/putin.md`) → listing.
    pub pages: Arc<PageListings>,
    /// Source path of a copied file (from `static/` or `content/`) → its URL.
    pub assets: HashMap<String, String>,
    /// Shortcode name → every use, in reading order, ready to hand to templates. Set once all
    /// bodies are rendered, so shortcodes themselves cannot list uses.
    pub uses: OnceLock<BTreeMap<String, Value>>,
    /// Every update and correction of the site, newest first.
    pub changes: Arc<Vec<SiteChange>>,
    /// Every file under `data/`, parsed, by its path inside `data/` (`people.json`).
    pub data: BTreeMap<String, Value>,
    /// Data files beside pages in `content/`, by their path inside `content/`
    /// (`people/list.csv`), parsed, or the problem that stopped them (reported when read).
    pub beside: BTreeMap<String, Result<Value, crate::error::Diagnostic>>,
    /// Reading order and sections, for `pages(…)`.
    pub tree: Arc<super::listing::SiteTree>,
    /// `base_url` with one trailing slash, for absolute URLs (see [`super::absolute`]).
    pub base_url: Option<String>,
    /// Every source with the pages citing it, and every event: set once all bodies are rendered.
    pub toolkit: OnceLock<ToolkitIndex>,
    /// Every image the site copies, and the processed copies pages asked for.
    pub images: crate::images::ImageCatalog,
}

/// Every page's listing, shared with the pages' pass (not a copy), found by content path.
#[derive(Debug, Default)]
pub struct PageListings {
    all: Arc<[PageListing]>,
    by_path: HashMap<String, usize>,
}

impl PageListings {
    pub fn new(all: Arc<[PageListing]>) -> Self {
        let by_path = (all.iter().enumerate())
            .map(|(i, listing)| (listing.path.clone(), i))
            .collect();
        PageListings { all, by_path }
    }

    /// The listing of the page at `path` (`people/putin.md`).
    pub fn get(&self, path: &str) -> Option<&PageListing> {
        self.all.get(*self.by_path.get(path)?)
    }

    /// Every page's content path.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.by_path.keys()
    }
}

/// What the toolkit's functions answer from.
#[derive(Debug, Default)]
pub struct ToolkitIndex {
    pub sources: Vec<SourceListing>,
    pub timeline: Vec<Event>,
}

/// Every function templates can call, by name, reading from `index`. They are registered only
/// by the build's cache (`site::cache`), which wraps each one to record what every template
/// looked up: a function that reads site data must be listed here and nowhere else, and there is
/// no way to register them untraced.
pub fn all(index: &Arc<SiteIndex>) -> Vec<(&'static str, Box<dyn Function>)> {
    vec![
        ("url", Box::new(UrlFn(index.clone()))),
        ("asset", Box::new(AssetFn(index.clone()))),
        ("get_page", Box::new(GetPageFn(index.clone()))),
        ("shortcode_uses", Box::new(UsesFn(index.clone()))),
        ("changes", Box::new(ChangesFn(index.clone()))),
        (
            "load_data",
            Box::new(super::data::LoadDataFn(index.clone())),
        ),
        ("absolute", Box::new(AbsoluteFn(index.clone()))),
        ("pages", Box::new(super::listing::PagesFn(index.clone()))),
        ("sources", Box::new(SourcesFn(index.clone()))),
        ("source", Box::new(SourceFn(index.clone()))),
        ("timeline", Box::new(TimelineFn(index.clone()))),
        ("image", Box::new(super::images::ImageFn(index.clone()))),
    ]
}

fn string_arg<'a>(
    args: &'a HashMap<String, Value>,
    function: &str,
    name: &str,
) -> tera::Result<&'a str> {
    args.get(name).and_then(Value::as_str).ok_or_else(|| {
        tera::Error::msg(format!(
            "`{function}` needs a string argument `{name}`, like {function}({name}=\"…\")"
        ))
    })
}

fn missing_page(index: &SiteIndex, path: &str, function: &str) -> tera::Error {
    let hint = nearest(path, index.pages.keys().map(String::as_str))
        .map(|best| format!("; did you mean `{best}`?"))
        .unwrap_or_default();
    tera::Error::msg(format!("`{function}`: there is no content/{path}{hint}"))
}

struct UrlFn(Arc<SiteIndex>);
impl Function for UrlFn {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let written = string_arg(args, "url", "path")?;
        let (path, fragment) = split_fragment(written.trim_start_matches("@/"));
        let page = self
            .0
            .pages
            .get(path)
            .ok_or_else(|| missing_page(&self.0, path, "url"))?;
        let url = match fragment {
            Some(f) => format!("{}#{f}", page.url),
            None => page.url.clone(),
        };
        if wants_absolute(args) {
            return absolute(&self.0, "url", &url).map(Value::String);
        }
        Ok(Value::String(url))
    }
    fn is_safe(&self) -> bool {
        true
    }
}

struct AssetFn(Arc<SiteIndex>);
impl Function for AssetFn {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = string_arg(args, "asset", "path")?.trim_start_matches('/');
        match self.0.assets.get(path) {
            Some(url) if wants_absolute(args) => absolute(&self.0, "asset", url).map(Value::String),
            Some(url) => Ok(Value::String(url.clone())),
            None => {
                let hint = nearest(path, self.0.assets.keys().map(String::as_str))
                    .map(|best| format!("; did you mean `{best}`?"))
                    .unwrap_or_default();
                Err(tera::Error::msg(format!(
                    "`asset`: there is no file `{path}` in static/ or content/{hint}"
                )))
            }
        }
    }
    fn is_safe(&self) -> bool {
        true
    }
}

struct GetPageFn(Arc<SiteIndex>);
impl Function for GetPageFn {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = string_arg(args, "get_page", "path")?.trim_start_matches("@/");
        let page = self
            .0
            .pages
            .get(path)
            .ok_or_else(|| missing_page(&self.0, path, "get_page"))?;
        serde_json::to_value(page).map_err(tera::Error::json)
    }
}

struct UsesFn(Arc<SiteIndex>);
impl Function for UsesFn {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let name = string_arg(args, "shortcode_uses", "name")?;
        let uses = self.0.uses.get().ok_or_else(|| {
            tera::Error::msg("`shortcode_uses` cannot be called from a shortcode: the uses are not all known yet")
        })?;
        Ok(uses.get(name).cloned().unwrap_or(Value::Array(Vec::new())))
    }
}

fn toolkit<'a>(index: &'a SiteIndex, function: &str) -> tera::Result<&'a ToolkitIndex> {
    index.toolkit.get().ok_or_else(|| {
        tera::Error::msg(format!(
            "`{function}` cannot be called from a shortcode: the citations and events are not all known yet"
        ))
    })
}

struct SourcesFn(Arc<SiteIndex>);
impl Function for SourcesFn {
    fn call(&self, _args: &HashMap<String, Value>) -> tera::Result<Value> {
        serde_json::to_value(&toolkit(&self.0, "sources")?.sources).map_err(tera::Error::json)
    }
}

struct SourceFn(Arc<SiteIndex>);
impl Function for SourceFn {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let id = string_arg(args, "source", "id")?;
        let sources = &toolkit(&self.0, "source")?.sources;
        match sources.iter().find(|s| s.source.id == id) {
            Some(found) => serde_json::to_value(found).map_err(tera::Error::json),
            None => {
                let hint = nearest(id, sources.iter().map(|s| s.source.id.as_str()))
                    .map(|best| format!("; did you mean `{best}`?"))
                    .unwrap_or_default();
                Err(tera::Error::msg(format!(
                    "`source`: there is no source `{id}` in sources.yaml{hint}"
                )))
            }
        }
    }
}

struct TimelineFn(Arc<SiteIndex>);
impl Function for TimelineFn {
    fn call(&self, _args: &HashMap<String, Value>) -> tera::Result<Value> {
        serde_json::to_value(&toolkit(&self.0, "timeline")?.timeline).map_err(tera::Error::json)
    }
}

/// Turns the uses of each shortcode into template values, once per build.
pub fn uses_by_name(uses: &[ShortcodeUse]) -> BTreeMap<String, Value> {
    let mut grouped: BTreeMap<String, Vec<&ShortcodeUse>> = BTreeMap::new();
    for u in uses {
        grouped.entry(u.name.clone()).or_default().push(u);
    }
    grouped
        .into_iter()
        .map(|(name, list)| (name, serde_json::to_value(list).unwrap_or_default()))
        .collect()
}
