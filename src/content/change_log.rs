//! A page's dates and its change log: `date`, `updated`, and the typed `updates:` and
//! `corrections:` lists of the front matter. Checks them (each problem at its line) and derives
//! what templates, the sitemap and the feed read: the dates normalised, the notes newest first,
//! and the moment of the last change.

use super::dates::{DateProblem, When};
use super::front_matter::{split, FrontMatter, Split};
use super::Page;
use crate::error::Diagnostic;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One entry of `updates:` or `corrections:` as written: a date (or date-time) and a note in
/// plain text.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ChangeNote {
    pub date: String,
    pub note: String,
}

/// Whether a change adds to a page or puts an error right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Update,
    Correction,
}

impl ChangeKind {
    /// The front matter key of the list.
    pub fn list_key(self) -> &'static str {
        match self {
            ChangeKind::Update => "updates",
            ChangeKind::Correction => "corrections",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            ChangeKind::Update => "update",
            ChangeKind::Correction => "correction",
        }
    }
}

/// A checked change, as templates see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub date: When,
    /// Plain text; templates escape it.
    pub note: String,
}

/// Everything about when a page was written and changed, derived from its front matter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PageDates {
    /// `date`.
    pub published: Option<When>,
    /// The latest of `updated` and the dates of every update and correction.
    pub last_updated: Option<When>,
    /// `updates:`, newest first.
    pub updates: Vec<Change>,
    /// `corrections:`, newest first.
    pub corrections: Vec<Change>,
}

impl PageDates {
    /// The dates of `front`, which [`check`] has accepted (anything unparsable is left out).
    pub fn of(front: &FrontMatter) -> PageDates {
        let parse = |text: &Option<String>| text.as_deref().and_then(|t| When::parse(t).ok());
        let changes = |kind: ChangeKind, notes: &[ChangeNote]| {
            let mut list: Vec<Change> = notes
                .iter()
                .filter_map(|n| {
                    Some(Change {
                        kind,
                        date: When::parse(&n.date).ok()?,
                        note: n.note.trim().to_owned(),
                    })
                })
                .collect();
            list.sort_by(|a, b| b.date.utc.cmp(&a.date.utc));
            list
        };
        let updates = changes(ChangeKind::Update, &front.updates);
        let corrections = changes(ChangeKind::Correction, &front.corrections);
        let last_updated = parse(&front.updated)
            .into_iter()
            .chain(updates.iter().chain(&corrections).map(|c| c.date.clone()))
            .reduce(|latest, w| if w.utc > latest.utc { w } else { latest });
        PageDates {
            published: parse(&front.date),
            last_updated,
            updates,
            corrections,
        }
    }

    /// The last change, else the publication date: the sitemap's `lastmod`.
    pub fn last_modified(&self) -> Option<&When> {
        self.last_updated.as_ref().or(self.published.as_ref())
    }
}

/// Every problem with the dates and change lists of `front`, at its line in `text`.
pub fn check(path: &Path, text: &str, split: Split<'_>, front: &FrontMatter) -> Vec<Diagnostic> {
    let place = |position: Option<(usize, usize)>, d: Diagnostic| match position {
        Some((line, column)) => d.at(text, line + split.yaml_first_line, column),
        None => d.at(text, 1, 1),
    };
    let wrong = |p: DateProblem| Diagnostic::error(path, p.message).with_hint(p.hint);
    let mut problems = Vec::new();
    for (key, value) in [("date", &front.date), ("updated", &front.updated)] {
        if let Some(Err(p)) = value.as_deref().map(When::parse) {
            problems.push(place(top_level_key(split.yaml, key), wrong(p)));
        }
    }
    for (kind, notes) in [
        (ChangeKind::Update, &front.updates),
        (ChangeKind::Correction, &front.corrections),
    ] {
        for (i, note) in notes.iter().enumerate() {
            let at = |field| item_field(split.yaml, kind.list_key(), i, field);
            if let Err(p) = When::parse(&note.date) {
                problems.push(place(at("date"), wrong(p)));
            }
            if note.note.trim().is_empty() {
                let hint = match kind {
                    ChangeKind::Update => "say in a sentence what was added or changed",
                    ChangeKind::Correction => "say in a sentence what was wrong and what is right",
                };
                let message = format!("the note of this {} is empty", kind.noun());
                problems.push(place(
                    at("note"),
                    Diagnostic::error(path, message).with_hint(hint),
                ));
            }
        }
    }
    problems
}

/// A warning for every change dated before the page's `date`: almost always a slip of the year.
pub fn order_warnings(page: &Page) -> Vec<Diagnostic> {
    let front = &page.front;
    // Most pages have no change to date: nothing to parse or place.
    if front.updated.is_none() && front.updates.is_empty() && front.corrections.is_empty() {
        return Vec::new();
    }
    let dates = PageDates::of(front);
    let (Some(published), Ok(split)) = (&dates.published, split(&page.shown, &page.text)) else {
        return Vec::new();
    };
    let early = |text: &str| When::parse(text).is_ok_and(|w| w.utc < published.utc);
    let warn = |position: Option<(usize, usize)>, what: String| {
        let (line, column) = position.unwrap_or((0, 1));
        Diagnostic::warning(
            &page.shown,
            format!("{what} is before the page's `date` ({})", published.written),
        )
        .at(&page.text, line + split.yaml_first_line, column)
        .with_hint("check the year: a page changes after it is published")
    };
    let mut warnings = Vec::new();
    if let Some(updated) = front.updated.as_deref().filter(|u| early(u)) {
        let at = top_level_key(split.yaml, "updated");
        warnings.push(warn(at, format!("`updated` ({updated})")));
    }
    for (kind, notes) in [
        (ChangeKind::Update, &front.updates),
        (ChangeKind::Correction, &front.corrections),
    ] {
        for (i, note) in notes.iter().enumerate().filter(|(_, n)| early(&n.date)) {
            let at = item_field(split.yaml, kind.list_key(), i, "date");
            warnings.push(warn(
                at,
                format!("this {} ({})", kind.noun(), note.date.trim()),
            ));
        }
    }
    warnings
}

/// 1-based line and column of the value of a `key:` at the top level of `yaml`.
fn top_level_key(yaml: &str, key: &str) -> Option<(usize, usize)> {
    let (i, line) = yaml
        .lines()
        .enumerate()
        .find(|(_, line)| key_at_start(line, key))?;
    Some((i + 1, value_column(line, 0, key).unwrap_or(1)))
}

fn key_at_start(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .is_some_and(|rest| rest.trim_start().starts_with(':'))
}

/// 1-based line and column of the value of `field` in item `index` of the top-level list
/// `list`; the item's line when the field is not written there, the list's line when the item
/// cannot be found.
fn item_field(yaml: &str, list: &str, index: usize, field: &str) -> Option<(usize, usize)> {
    let lines: Vec<&str> = yaml.lines().collect();
    let start = lines.iter().position(|l| key_at_start(l, list))?;
    let flow = lines[start].split_once(':').map_or("", |(_, v)| v.trim());
    if !flow.is_empty() {
        // `corrections: [{date: …, note: …}, …]`: the index-th `field:` of the line.
        let column = keys_in(lines[start], field).nth(index);
        return Some((start + 1, column.unwrap_or(1)));
    }
    let items = item_lines(&lines, start);
    let Some(&first) = items.get(index) else {
        return Some((start + 1, 1));
    };
    let end = items.get(index + 1).copied().unwrap_or(lines.len());
    let found = (first..end).find_map(|i| Some((i + 1, keys_in(lines[i], field).next()?)));
    let dash = lines[first].len() - lines[first].trim_start().len() + 1;
    Some(found.unwrap_or((first + 1, dash)))
}

/// The 0-based indexes of the lines that start the items of the block list under line `start`.
fn item_lines(lines: &[&str], start: usize) -> Vec<usize> {
    let mut items = Vec::new();
    let mut dash_indent = None;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let is_dash = trimmed == "-" || trimmed.starts_with("- ");
        if indent == 0 && !is_dash {
            break;
        }
        if is_dash && dash_indent.is_none_or(|d| d == indent) {
            dash_indent = Some(indent);
            items.push(i);
        }
    }
    items
}

/// 1-based columns of the values of every `field:` key in `line`, block or flow style.
fn keys_in<'a>(line: &'a str, field: &'a str) -> impl Iterator<Item = usize> + 'a {
    line.match_indices(field).filter_map(move |(at, _)| {
        let before = line[..at].trim_end();
        let key_start = before.is_empty() || before.ends_with(['-', '{', ',']);
        key_start.then(|| value_column(line, at, field)).flatten()
    })
}

/// 1-based column of the value after `field:` written at byte `at` of `line`.
fn value_column(line: &str, at: usize, field: &str) -> Option<usize> {
    let after_key = &line[at + field.len()..];
    let after_colon = after_key.trim_start().strip_prefix(':')?;
    let value = after_colon.trim_start();
    let offset = line.len() - value.len();
    Some(line[..offset].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "title: A\ndate: 2026-01-01\nupdates:\n  - date: 2026-01-02\n    note: One\n  -   note: Two\n      date: 2026-01-03\ncorrections:\n- {note: Fixed, date: 2026-01-04}\nupdated: 2026-01-05\n";

    #[test]
    fn fields_of_list_items_are_found() {
        assert_eq!(top_level_key(YAML, "date"), Some((2, 7)));
        assert_eq!(top_level_key(YAML, "updated"), Some((10, 10)));
        assert_eq!(item_field(YAML, "updates", 0, "date"), Some((4, 11)));
        assert_eq!(item_field(YAML, "updates", 1, "date"), Some((7, 13)));
        assert_eq!(item_field(YAML, "updates", 1, "note"), Some((6, 13)));
        assert_eq!(item_field(YAML, "corrections", 0, "date"), Some((9, 23)));
        assert_eq!(item_field(YAML, "corrections", 3, "date"), Some((8, 1)));
        let flow = "corrections: [{date: 2026-01-01, note: a}, {note: b, date: 2026-01-02}]\n";
        assert_eq!(item_field(flow, "corrections", 1, "date"), Some((1, 60)));
    }

    #[test]
    fn dates_are_derived_newest_first() {
        let front: FrontMatter = serde_yaml::from_str(YAML).unwrap();
        let dates = PageDates::of(&front);
        assert_eq!(dates.published.unwrap().datetime, "2026-01-01");
        assert_eq!(dates.last_updated.unwrap().written, "2026-01-05");
        let notes: Vec<&str> = dates.updates.iter().map(|c| c.note.as_str()).collect();
        assert_eq!(notes, ["Two", "One"]);
        assert_eq!(dates.corrections[0].kind, ChangeKind::Correction);
    }

    #[test]
    fn last_modified_falls_back_to_the_publication_date() {
        let front: FrontMatter = serde_yaml::from_str("title: A\ndate: 2026-01-01\n").unwrap();
        let dates = PageDates::of(&front);
        assert_eq!(dates.last_updated, None);
        assert_eq!(dates.last_modified().unwrap().written, "2026-01-01");
    }
}
