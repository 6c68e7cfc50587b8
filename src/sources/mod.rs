//! The source registry: `sources.yaml` at the site root, a list of the sources a site draws on
//! (`id`, `title`, `publisher`, `url`, `published`, `accessed`, `archive_url`, `note`, `text`).
//! Loading checks every entry (unknown keys, duplicate ids, real dates) and reads each `text`, a
//! local plain-text copy of the source used only to verify quotations ([`verify`]); a text is
//! never published or copied. Nothing here renders pages.

pub mod cited;
pub mod date;
pub mod verify;

use crate::error::{nearest, Diagnostic};
use crate::yaml::{self, Embedding};
use date::{When, DATE_HINT};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Component, Path};
use std::sync::Arc;
use verify::SourceText;

/// The name of the registry file at the site root.
pub const SOURCES_FILE: &str = "sources.yaml";
/// The folder under the site root where source texts conventionally live (watched for changes;
/// never published).
pub const SOURCES_DIR: &str = "sources";

/// One entry of `sources.yaml`, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    title: String,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    accessed: Option<String>,
    #[serde(default)]
    archive_url: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

/// A source, as templates see it (`source(id=…)`, `sources()`, `page.sources`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub accessed: Option<String>,
    pub archive_url: Option<String>,
    pub note: Option<String>,
}

/// A source with what only the build sees: its local text.
#[derive(Debug)]
pub struct Registered {
    pub source: Source,
    /// The `text` path as written, relative to the site root.
    pub text_path: Option<String>,
    /// The text, when the file exists.
    pub text: Option<Arc<SourceText>>,
}

/// Every source of the site, in file order.
#[derive(Debug, Default)]
pub struct Registry {
    entries: Vec<Registered>,
    by_id: HashMap<String, usize>,
    fingerprint: u128,
}

impl Registry {
    /// Reads `root/sources.yaml` (no file: no sources) and every `text` it names.
    pub fn load(root: &Path) -> Result<Registry, Vec<Diagnostic>> {
        let shown = Path::new(SOURCES_FILE);
        let bytes = match std::fs::read(root.join(SOURCES_FILE)) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Registry::default())
            }
            Err(err) => {
                return Err(vec![Diagnostic::error(
                    shown,
                    format!("cannot read: {err}"),
                )])
            }
        };
        let Ok(text) = String::from_utf8(bytes) else {
            return Err(vec![Diagnostic::error(
                shown,
                "sources.yaml is not valid UTF-8",
            )
            .with_hint("save the file as UTF-8")]);
        };
        let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
        let entries: Vec<Entry> = if text.trim().is_empty() {
            Vec::new()
        } else {
            let embedding = Embedding {
                file_text: &text,
                first_line: 0,
            };
            yaml::parse(shown, &text, embedding).map_err(|d| vec![d])?
        };
        let starts = entry_lines(&text);
        let mut problems = Vec::new();
        let mut registry = Registry::default();
        let mut fingerprint = xxhash_rust::xxh3::Xxh3::new();
        fingerprint.update(text.as_bytes());
        let mut seen = std::collections::HashSet::new();
        for (i, entry) in entries.into_iter().enumerate() {
            let duplicate = !seen.insert(entry.id.clone());
            let lines = EntryLines {
                text: &text,
                start: starts.get(i).copied().unwrap_or(1),
                end: starts.get(i + 1).copied().unwrap_or(usize::MAX),
            };
            match registry.add(root, entry, duplicate, &lines, &mut fingerprint) {
                Ok(()) => {}
                Err(mut found) => problems.append(&mut found),
            }
        }
        registry.fingerprint = fingerprint.digest128();
        if problems.is_empty() {
            Ok(registry)
        } else {
            Err(problems)
        }
    }

    fn add(
        &mut self,
        root: &Path,
        entry: Entry,
        duplicate: bool,
        lines: &EntryLines<'_>,
        fingerprint: &mut xxhash_rust::xxh3::Xxh3,
    ) -> Result<(), Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let error = |key: &str, message: String, hint: &str| {
            lines.at(
                key,
                Diagnostic::error(SOURCES_FILE, message).with_hint(hint),
            )
        };
        if entry.id.trim().is_empty() {
            problems.push(error(
                "id",
                "a source has an empty `id`".into(),
                "give every source a short id, like `id: wh-statement`",
            ));
        } else if duplicate {
            problems.push(error(
                "id",
                format!("the source id `{}` is used twice", entry.id),
                "give each source its own id",
            ));
        }
        if entry.title.trim().is_empty() {
            problems.push(error(
                "title",
                format!("the source `{}` has an empty title", entry.id),
                "give the source the title it is published under",
            ));
        }
        for (key, value) in [
            ("published", &entry.published),
            ("accessed", &entry.accessed),
        ] {
            if let Some(Err(message)) = value.as_deref().map(When::parse) {
                problems.push(error(key, message, DATE_HINT));
            }
        }
        let mut text = None;
        if let Some(path) = &entry.text {
            if is_published_folder(path) {
                problems.push(error(
                    "text",
                    format!("the text of source `{}` is under a published folder: {path}", entry.id),
                    "keep source texts outside content/ and static/ (for example in sources/), so they are never published",
                ));
            }
            match std::fs::read(root.join(path)) {
                Ok(bytes) => {
                    fingerprint.update(&bytes);
                    text = Some(Arc::new(SourceText::new(&String::from_utf8_lossy(&bytes))));
                }
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                    fingerprint.update(b"\0absent");
                }
                Err(err) => problems.push(error(
                    "text",
                    format!("cannot read {path}: {err}"),
                    "check the path and its permissions",
                )),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        self.by_id.insert(entry.id.clone(), self.entries.len());
        self.entries.push(Registered {
            source: Source {
                id: entry.id,
                title: entry.title,
                publisher: entry.publisher,
                url: entry.url,
                published: entry.published,
                accessed: entry.accessed,
                archive_url: entry.archive_url,
                note: entry.note,
            },
            text_path: entry.text,
            text,
        });
        Ok(())
    }

    /// The source `id`, or a message and hint for a call that names an unknown one.
    pub fn lookup(&self, id: &str) -> Result<&Registered, (String, String)> {
        if let Some(&i) = self.by_id.get(id) {
            return Ok(&self.entries[i]);
        }
        let hint = match nearest(id, self.entries.iter().map(|e| e.source.id.as_str())) {
            Some(best) => format!("did you mean `{best}`? Sources are listed in {SOURCES_FILE}"),
            None => format!("add a source with `id: {id}` to {SOURCES_FILE}"),
        };
        Err((format!("unknown source `{id}`"), hint))
    }

    /// Every source, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Registered> {
        self.entries.iter()
    }

    /// A hash of `sources.yaml` and every text it names: what a body that cites or quotes read.
    pub fn fingerprint(&self) -> u128 {
        self.fingerprint
    }
}

/// Whether a `text` path would be published: it lies under `content/` or `static/`.
fn is_published_folder(path: &str) -> bool {
    let first = Path::new(path)
        .components()
        .find(|c| !matches!(c, Component::CurDir));
    first.is_some_and(|c| {
        let name = c.as_os_str().to_string_lossy();
        name == crate::content::CONTENT_DIR || name == crate::site::STATIC_DIR
    })
}

/// 1-based first line of each top-level list item (`- `) of the file.
fn entry_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("- ") || *l == "-")
        .map(|(i, _)| i + 1)
        .collect()
}

/// The lines of one entry of the file, to point at its keys.
struct EntryLines<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

impl EntryLines<'_> {
    fn at(&self, key: &str, d: Diagnostic) -> Diagnostic {
        let found = self
            .text
            .lines()
            .enumerate()
            .skip(self.start - 1)
            .take(self.end.saturating_sub(self.start))
            .find_map(|(i, line)| {
                let trimmed = line.trim_start_matches("- ").trim_start();
                let column = line.len() - trimmed.len() + 1;
                let rest = trimmed.strip_prefix(key)?.trim_start();
                rest.starts_with(':').then_some((i + 1, column))
            });
        match found {
            Some((line, column)) => d.at(self.text, line, column),
            None => d.at(self.text, self.start, 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(yaml: &str, files: &[(&str, &str)]) -> Result<Registry, Vec<Diagnostic>> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SOURCES_FILE), yaml).unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Registry::load(dir.path())
    }

    #[test]
    fn entries_load_in_order_with_their_texts() {
        let r = load(
            "- id: a\n  title: A\n  text: sources/a.txt\n- id: b\n  title: B\n  published: 2025-08-15T10:30:00-08:00\n",
            &[("sources/a.txt", "Some words.")],
        )
        .unwrap();
        let ids: Vec<_> = r.iter().map(|e| e.source.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert!(r.lookup("a").unwrap().text.is_some());
        assert_eq!(r.lookup("c").unwrap_err().0, "unknown source `c`");
    }

    #[test]
    fn duplicate_ids_and_bad_dates_point_at_their_lines() {
        let errs = load(
            "- id: a\n  title: A\n- id: b\n  title: B\n  accessed: 2026-02-30\n- id: a\n  title: Again\n",
            &[],
        )
        .unwrap_err();
        let found: Vec<_> = errs
            .iter()
            .map(|d| (d.line, d.column, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (5, 3, "`2026-02-30` is not a real date"),
                (6, 3, "the source id `a` is used twice")
            ]
        );
    }

    #[test]
    fn texts_under_published_folders_are_refused() {
        let errs = load("- id: a\n  title: A\n  text: static/a.txt\n", &[]).unwrap_err();
        assert_eq!(errs[0].line, 3);
        assert!(is_published_folder("./content/x.txt"));
        assert!(!is_published_folder("../shared/article.txt"));
    }
}
