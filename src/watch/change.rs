//! Which file events matter and how to describe them: a change is any event on `site.yaml`,
//! `sources.yaml` or under `content/`, `templates/`, `static/` or `sources/` (where source texts
//! live), except editors' swap and backup files and anything in the output folder. Knows nothing
//! about building.

use crate::config::CONFIG_FILE;
use crate::content::{is_ignored_name, CONTENT_DIR};
use crate::render::templates::TEMPLATES_DIR;
use crate::site::STATIC_DIR;
use crate::sources::{SOURCES_DIR, SOURCES_FILE};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

/// The folders under the site root whose every file is an input.
pub const INPUT_DIRS: [&str; 4] = [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR, SOURCES_DIR];

/// The inputs that changed, as paths relative to the site root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    pub paths: BTreeSet<PathBuf>,
    /// The watcher lost track (an overflowing event queue): anything may have changed.
    pub rescan: bool,
}

/// Decides which event paths are inputs of the site at `root`.
#[derive(Debug, Clone)]
pub struct Filter {
    root: PathBuf,
    output: PathBuf,
}

impl Filter {
    /// `root` and `output` as they appear in event paths (absolute, resolved).
    pub fn new(root: PathBuf, output: PathBuf) -> Self {
        Filter { root, output }
    }

    /// The path relative to the root if an event on `path` can change the site.
    pub fn input(&self, path: &Path) -> Option<PathBuf> {
        if path.starts_with(&self.output) {
            return None;
        }
        let rel = path.strip_prefix(&self.root).ok()?;
        let mut parts = rel.components();
        let first = match parts.next()? {
            Component::Normal(first) => first.to_str()?,
            _ => return None,
        };
        if first == CONFIG_FILE || first == SOURCES_FILE {
            return (rel.components().count() == 1).then(|| rel.to_path_buf());
        }
        if !INPUT_DIRS.contains(&first) {
            return None;
        }
        let ignored = rel
            .components()
            .skip(1)
            .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()));
        (!ignored).then(|| rel.to_path_buf())
    }
}

impl Change {
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }

    /// `content/talks.md changed`, `content/a.md and 2 other files changed`.
    pub fn describe(&self) -> String {
        let mut paths = self.paths.iter();
        match (paths.next(), self.paths.len()) {
            (None, _) if self.rescan => "files changed".to_owned(),
            (None, _) => "nothing changed".to_owned(),
            (Some(first), 1) => format!("{} changed", first.display()),
            (Some(first), 2) => format!(
                "{} and {} changed",
                first.display(),
                paths
                    .next()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            ),
            (Some(first), n) => format!("{} and {} other files changed", first.display(), n - 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter() -> Filter {
        Filter::new("/site".into(), "/site/public".into())
    }

    #[test]
    fn inputs_are_the_config_and_the_input_folders() {
        let f = filter();
        assert_eq!(
            f.input(Path::new("/site/site.yaml")),
            Some("site.yaml".into())
        );
        assert_eq!(
            f.input(Path::new("/site/content/a.md")),
            Some("content/a.md".into())
        );
        assert_eq!(f.input(Path::new("/site/content")), Some("content".into()));
        assert_eq!(
            f.input(Path::new("/site/static/x/y.css")),
            Some("static/x/y.css".into())
        );
        assert_eq!(
            f.input(Path::new("/site/templates/page.html")),
            Some("templates/page.html".into())
        );
        assert_eq!(
            f.input(Path::new("/site/sources.yaml")),
            Some("sources.yaml".into())
        );
        assert_eq!(
            f.input(Path::new("/site/sources/article.txt")),
            Some("sources/article.txt".into())
        );
    }

    #[test]
    fn swap_files_output_and_other_folders_are_not_inputs() {
        let f = filter();
        for path in [
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/4913",
            "/site/content/a.md.bck",
            "/site/content/.git/x",
            "/site/public/index.html",
            "/site/target/x",
            "/site/README.md",
            "/elsewhere/content/a.md",
            "/site/site.yaml/x",
        ] {
            assert_eq!(f.input(Path::new(path)), None, "{path}");
        }
        let inside = Filter::new("/site".into(), "/site/static/out".into());
        assert_eq!(inside.input(Path::new("/site/static/out/a.css")), None);
    }

    #[test]
    fn changes_describe_themselves() {
        let mut c = Change::default();
        c.paths.insert("content/a.md".into());
        assert_eq!(c.describe(), "content/a.md changed");
        c.paths.insert("content/b.md".into());
        assert_eq!(c.describe(), "content/a.md and content/b.md changed");
        c.paths.insert("static/c.css".into());
        assert_eq!(c.describe(), "content/a.md and 2 other files changed");
    }
}
