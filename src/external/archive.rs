//! Archived copies of sources, for the hint on a dead link: every entry of `sources.yaml` (in the
//! site folder) that has both a `url` and an `archive_url`, wherever it sits in the file (a list
//! of sources, or sources by key). Without one, the hint points to the Wayback Machine.

use std::collections::HashMap;
use std::path::Path;

/// The sources file, in the site folder.
pub const SOURCES_FILE: &str = "sources.yaml";

/// `url` → `archive_url`, from `sources.yaml`; empty when there is no such file.
pub(super) fn archived_copies(root: &Path) -> HashMap<String, String> {
    let mut copies = HashMap::new();
    let Ok(text) = std::fs::read_to_string(root.join(SOURCES_FILE)) else {
        return copies;
    };
    if let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&text) {
        collect(&value, &mut copies);
    }
    copies
}

fn collect(value: &serde_yaml::Value, copies: &mut HashMap<String, String>) {
    match value {
        serde_yaml::Value::Mapping(map) => {
            let field = |name: &str| map.get(name).and_then(serde_yaml::Value::as_str);
            if let (Some(url), Some(archive)) = (field("url"), field("archive_url")) {
                copies.insert(normal(url), archive.to_owned());
            }
            map.values().for_each(|v| collect(v, copies));
        }
        serde_yaml::Value::Sequence(items) => items.iter().for_each(|v| collect(v, copies)),
        _ => {}
    }
}

/// A URL without a trailing slash, so `https://e.org/a/` and `https://e.org/a` match.
fn normal(url: &str) -> String {
    url.trim_end_matches('/').to_owned()
}

/// The hint for a dead link.
pub(super) fn hint(url: &str, copies: &HashMap<String, String>) -> String {
    match copies.get(&normal(url)) {
        Some(archive) => format!("link to the archived copy instead: {archive}"),
        None => format!(
            "find an archived copy at https://web.archive.org/web/*/{url} and link to it (or give the source an `archive_url` in {SOURCES_FILE})"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_urls_are_found_in_lists_and_maps() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(SOURCES_FILE),
            "sources:\n  - url: https://e.org/a/\n    archive_url: https://web.archive.org/x\nreuters:\n  url: https://r.com\n  archive_url: https://archive.ph/y\n",
        )
        .unwrap();
        let copies = archived_copies(dir.path());
        assert_eq!(
            hint("https://e.org/a", &copies),
            "link to the archived copy instead: https://web.archive.org/x"
        );
        assert_eq!(copies[&normal("https://r.com/")], "https://archive.ph/y");
        assert!(hint("https://n.org/", &copies)
            .starts_with("find an archived copy at https://web.archive.org/web/*/https://n.org/"));
    }
}
