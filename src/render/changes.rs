//! The site's change log: every update and correction of every page, newest first, for the
//! `changes()` template function (a "What changed" page) and for the Atom feed.

use super::context::{Link, PageListing};
use super::functions::SiteIndex;
use crate::content::change_log::ChangeKind;
use crate::content::dates::When;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tera::Function;

/// One update or correction of one page, as `changes()` gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteChange {
    /// `update` or `correction`.
    pub kind: ChangeKind,
    pub date: When,
    /// Plain text.
    pub note: String,
    /// The page that changed (its `link_title` is not used: this is a list of pages by title).
    pub page: Link,
}

/// Every change of the pages `in_reading_order`, newest first; changes made at the same moment
/// keep the reading order.
pub fn site_changes<'a>(
    in_reading_order: impl Iterator<Item = &'a PageListing>,
) -> Vec<SiteChange> {
    let mut all: Vec<SiteChange> = in_reading_order
        .flat_map(|listing| {
            let page = Link {
                title: listing.title.clone(),
                url: listing.url.clone(),
            };
            listing
                .dates
                .updates
                .iter()
                .chain(&listing.dates.corrections)
                .map(move |change| SiteChange {
                    kind: change.kind,
                    date: change.date.clone(),
                    note: change.note.clone(),
                    page: page.clone(),
                })
        })
        .collect();
    all.sort_by(|a, b| b.date.utc.cmp(&a.date.utc));
    all
}

/// `changes()`, `changes(kind="correction")`, `changes(limit=5)`.
pub struct ChangesFn(pub Arc<SiteIndex>);
impl Function for ChangesFn {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let kind = match args.get("kind") {
            None => None,
            Some(Value::String(k)) if k == "update" => Some(ChangeKind::Update),
            Some(Value::String(k)) if k == "correction" => Some(ChangeKind::Correction),
            Some(other) => {
                return Err(tera::Error::msg(format!(
                    "`changes`: `kind` is {other}; it can be \"update\" or \"correction\""
                )))
            }
        };
        let limit = match args.get("limit") {
            None => usize::MAX,
            Some(value) => value
                .as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| {
                    tera::Error::msg(format!(
                        "`changes`: `limit` is {value}; it must be a whole number, like limit=5"
                    ))
                })?,
        };
        let list: Vec<&SiteChange> = self
            .0
            .changes
            .iter()
            .filter(|c| kind.is_none_or(|k| c.kind == k))
            .take(limit)
            .collect();
        serde_json::to_value(list).map_err(tera::Error::json)
    }
}
