//! Where the links to other sites are: every `http(s)` URL in an `href` or `src` of the built
//! pages (links to the site's own `base_url` left out), and, for a dead one, every place it was
//! written: a line of a Markdown file under `content/`, or of a template.

use crate::links::tags::{decode_attribute, for_each_attribute};
use crate::output::SiteFiles;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every external URL (without its `#fragment`) → the output pages that hold it.
pub(super) fn external_links(
    files: &SiteFiles,
    base_url: Option<&str>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, source) in files.iter() {
        if !path.ends_with(".html") {
            continue;
        }
        let Ok(bytes) = source.read() else { continue };
        let html = String::from_utf8_lossy(&bytes);
        for_each_attribute(&html, |attribute| {
            if !matches!(attribute.name, "href" | "src") {
                return;
            }
            let url = decode_attribute(attribute.value);
            let url = url.split('#').next().unwrap_or_default();
            let web = url.starts_with("http://") || url.starts_with("https://");
            let own = base_url.is_some_and(|base| url.starts_with(base.trim_end_matches('/')));
            if web && !own {
                found
                    .entry(url.to_owned())
                    .or_default()
                    .insert(path.to_string());
            }
        });
    }
    found
}

/// One place a URL was written: the file (relative to the site root), its text, and the byte
/// offset of the URL.
pub(super) struct Written {
    pub path: PathBuf,
    pub text: std::sync::Arc<str>,
    pub offset: usize,
}

/// The Markdown files and templates of the site at `root`, read once.
pub(super) struct Sources(Vec<(PathBuf, std::sync::Arc<str>)>);

impl Sources {
    pub(super) fn read(root: &Path) -> Self {
        let mut files = Vec::new();
        for (folder, extension) in [("content", "md"), ("templates", "html")] {
            let walk = walkdir::WalkDir::new(root.join(folder)).sort_by_file_name();
            for entry in walk.into_iter().filter_map(Result::ok) {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == extension) {
                    if let (Ok(text), Ok(shown)) =
                        (std::fs::read_to_string(path), path.strip_prefix(root))
                    {
                        files.push((shown.to_path_buf(), text.into()));
                    }
                }
            }
        }
        Sources(files)
    }

    /// Every place `url` is written, as is or with `&` escaped as `&amp;`.
    pub(super) fn places(&self, url: &str) -> Vec<Written> {
        let escaped = url.replace('&', "&amp;");
        let mut places = Vec::new();
        for (path, text) in &self.0 {
            let mut offsets: BTreeSet<usize> = BTreeSet::new();
            for needle in [url, escaped.as_str()] {
                offsets.extend(
                    text.match_indices(needle)
                        .filter(|(at, _)| ends_there(text, at + needle.len()))
                        .map(|(at, _)| at),
                );
            }
            places.extend(offsets.into_iter().map(|offset| Written {
                path: path.clone(),
                text: text.clone(),
                offset,
            }));
        }
        places
    }
}

/// Whether a URL found in text ends at `end` (and is not the start of a longer URL). A `#` ends
/// it (the fragment is not checked); a full stop ends it when no word follows.
fn ends_there(text: &str, end: usize) -> bool {
    let mut rest = text[end..].chars();
    match rest.next() {
        None => true,
        Some('.' | ',' | '!') => rest.next().is_none_or(|c| !c.is_alphanumeric()),
        Some(c) => !(c.is_alphanumeric() || "/-_~%?=&+".contains(c)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_found_where_written_but_not_inside_a_longer_one() {
        let sources = Sources(vec![(
            PathBuf::from("content/a.md"),
            "See [x](https://e.org/a) and https://e.org/a/b and <https://e.org/a>.\n".into(),
        )]);
        let offsets: Vec<usize> = sources
            .places("https://e.org/a")
            .iter()
            .map(|w| w.offset)
            .collect();
        assert_eq!(offsets, [8, 52]);
    }
}
