//! Archived copies of sources, for the hint on a dead link: the `archive_url` of every source in
//! the registry (`sources.yaml`, [`crate::sources`]) that has a `url`. Without one, the hint
//! points to the Wayback Machine.

use crate::sources::Registry;
use std::collections::HashMap;
use std::path::Path;

pub use crate::sources::SOURCES_FILE;

/// `url` → `archive_url`, from the site's sources; empty when there are none (a broken
/// `sources.yaml` was already reported by the build).
pub(super) fn archived_copies(root: &Path) -> HashMap<String, String> {
    let Ok(registry) = Registry::load(root) else {
        return HashMap::new();
    };
    registry
        .iter()
        .filter_map(|registered| {
            let source = &registered.source;
            Some((normal(source.url.as_deref()?), source.archive_url.clone()?))
        })
        .collect()
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
    fn archive_urls_come_from_the_source_registry() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(SOURCES_FILE),
            "- id: a\n  title: A\n  url: https://e.org/a/\n  archive_url: https://web.archive.org/x\n- id: b\n  title: B\n  url: https://r.com\n",
        )
        .unwrap();
        let copies = archived_copies(dir.path());
        assert_eq!(
            hint("https://e.org/a", &copies),
            "link to the archived copy instead: https://web.archive.org/x"
        );
        assert!(hint("https://r.com/", &copies)
            .starts_with("find an archived copy at https://web.archive.org/web/*/https://r.com/"));
    }
}
