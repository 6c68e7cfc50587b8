//! `dossier init` and `dossier new`: a working starter site, and new pages with front matter.
//! The starters' files are embedded in the binary: `init` writes a small explainer with the
//! shipped theme (`embedded`), `init --bare` the minimal one-page site below.

mod embedded;

use crate::content::CONTENT_DIR;
use crate::error::Diagnostic;
use std::fs;
use std::path::{Path, PathBuf};

/// Which starter `dossier init` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Starter {
    /// A small explainer (overview, background, person pages, quotes, what changed) with the
    /// shipped theme and its shortcodes.
    Explainer,
    /// The minimal site: a few pages, a plain stylesheet, three shortcodes.
    Bare,
}

impl Starter {
    /// The files of this starter, as (path, contents).
    fn files(self) -> Vec<(&'static str, &'static str)> {
        match self {
            Self::Explainer => [embedded::CONTENT, embedded::THEME].concat(),
            Self::Bare => STARTER.to_vec(),
        }
    }
}

/// The bare starter site, as (path, contents).
const STARTER: &[(&str, &str)] = &[
    ("site.yaml", include_str!("starter/site.yaml")),
    (
        "content/_index.md",
        include_str!("starter/content/_index.md"),
    ),
    (
        "content/background.md",
        include_str!("starter/content/background.md"),
    ),
    (
        "content/changes.md",
        include_str!("starter/content/changes.md"),
    ),
    (
        "templates/base.html",
        include_str!("starter/templates/base.html"),
    ),
    (
        "templates/page.html",
        include_str!("starter/templates/page.html"),
    ),
    (
        "templates/changes.html",
        include_str!("starter/templates/changes.html"),
    ),
    (
        "templates/section.html",
        include_str!("starter/templates/section.html"),
    ),
    (
        "templates/shortcodes/note.html",
        include_str!("starter/templates/shortcodes/note.html"),
    ),
    (
        "templates/shortcodes/known.html",
        include_str!("starter/templates/shortcodes/known.html"),
    ),
    (
        "templates/shortcodes/unknown.html",
        include_str!("starter/templates/shortcodes/unknown.html"),
    ),
    ("static/style.css", include_str!("starter/static/style.css")),
    (".gitignore", "/public\n/.dossier-cache\n"),
];

/// Creates a starter site in `dir`, which must not exist or be empty.
pub fn create_site(dir: &Path, starter: Starter) -> Result<(), Diagnostic> {
    let shown = dir.display().to_string();
    let has_entries = fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some());
    if has_entries {
        return Err(Diagnostic::error(&shown, "the folder is not empty")
            .with_hint("choose a new folder name; dossier never writes over existing files"));
    }
    for (path, text) in starter.files() {
        let target = dir.join(path);
        let written = target
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(&target, text));
        written.map_err(|e| {
            Diagnostic::error(target.display().to_string(), format!("cannot write: {e}"))
        })?;
    }
    Ok(())
}

/// Creates `content/PATH` with front matter; returns the path written.
pub fn create_page(root: &Path, path: &Path, title: Option<&str>) -> Result<PathBuf, Diagnostic> {
    let relative = path.strip_prefix(CONTENT_DIR).unwrap_or(path);
    let mut relative = relative.to_path_buf();
    if relative.extension().is_none() {
        relative.set_extension("md");
    }
    let shown = Path::new(CONTENT_DIR).join(&relative);
    if relative.extension().is_some_and(|e| e != "md") {
        return Err(
            Diagnostic::error(shown.display().to_string(), "pages are Markdown files")
                .with_hint("give the page a name ending in .md"),
        );
    }
    if relative
        .components()
        .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return Err(Diagnostic::error(
            shown.display().to_string(),
            "the path must stay inside content/",
        )
        .with_hint("write a path like `people/putin.md`"));
    }
    let target = root.join(CONTENT_DIR).join(&relative);
    if target.exists() {
        return Err(
            Diagnostic::error(shown.display().to_string(), "this page already exists")
                .with_hint("choose another name; dossier never overwrites a page"),
        );
    }
    let stem = relative
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = title.map_or_else(|| title_from(&stem), str::to_owned);
    let text = format!(
        "---\ntitle: \"{}\"\ndescription: \"\"\n---\nWrite the page here. Link other pages with [their title](@/_index.md).\n",
        title.replace('"', "\\\"")
    );
    let written = target
        .parent()
        .map_or(Ok(()), fs::create_dir_all)
        .and_then(|()| fs::write(&target, text));
    written.map_err(|e| {
        Diagnostic::error(shown.display().to_string(), format!("cannot write: {e}"))
    })?;
    Ok(shown)
}

/// `the-talks` → `The talks`.
fn title_from(stem: &str) -> String {
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars.next().map_or_else(
        || "Untitled".to_owned(),
        |first| first.to_uppercase().chain(chars).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_file_names() {
        assert_eq!(title_from("the-talks"), "The talks");
        assert_eq!(title_from(""), "Untitled");
    }

    #[test]
    fn new_page_refuses_to_overwrite_and_to_escape() {
        let dir = tempfile::tempdir().unwrap();
        let shown = create_page(dir.path(), Path::new("people/amy"), None).unwrap();
        assert_eq!(shown, Path::new("content/people/amy.md"));
        let text = fs::read_to_string(dir.path().join("content/people/amy.md")).unwrap();
        assert!(text.starts_with("---\ntitle: \"Amy\"\n"));
        assert!(create_page(dir.path(), Path::new("people/amy.md"), None).is_err());
        assert!(create_page(dir.path(), Path::new("../x.md"), None).is_err());
    }
}
