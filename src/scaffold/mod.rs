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
        "templates/shortcodes/quote.html",
        include_str!("starter/templates/shortcodes/quote.html"),
    ),
    (
        "templates/index.html",
        include_str!("starter/templates/index.html"),
    ),
    ("sources.yaml", include_str!("starter/sources.yaml")),
    (
        "sources/interview.txt",
        include_str!("starter/sources/interview.txt"),
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
    (
        ".gitignore",
        "/public\n/.public.dossier-*\n/.dossier-cache\n",
    ),
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
    refuse_links(root, &relative, &shown)?;
    if fs::symlink_metadata(&target).is_ok() {
        return Err(
            Diagnostic::error(shown.display().to_string(), "this page already exists")
                .with_hint("choose another name; dossier never overwrites a page"),
        );
    }
    let title = title.map_or_else(|| title_from(&naming_stem(&relative)), str::to_owned);
    // No `description: ""`: an empty one would empty the page's meta description.
    let text = format!(
        "---\ntitle: {}\n---\nWrite the page here. Link other pages with [their title](@/_index.md).\n",
        yaml_string(&title)
    );
    let written = target
        .parent()
        .map_or(Ok(()), fs::create_dir_all)
        .and_then(|()| {
            // `create_new` also refuses a link that appeared meanwhile, dangling or not.
            let mut file = fs::File::options()
                .write(true)
                .create_new(true)
                .open(&target)?;
            std::io::Write::write_all(&mut file, text.as_bytes())
        });
    written.map_err(|e| {
        Diagnostic::error(shown.display().to_string(), format!("cannot write: {e}"))
    })?;
    Ok(shown)
}

/// Refuses a new page whose path, or a folder on the way to it, is a symbolic link: writing
/// through it could create the file outside the site.
fn refuse_links(root: &Path, relative: &Path, shown: &Path) -> Result<(), Diagnostic> {
    let mut path = root.join(CONTENT_DIR);
    let mut steps = vec![path.clone()];
    for part in relative.components() {
        path.push(part);
        steps.push(path.clone());
    }
    for step in steps {
        if fs::symlink_metadata(&step).is_ok_and(|m| m.file_type().is_symlink()) {
            let link = step.strip_prefix(root).unwrap_or(&step);
            return Err(Diagnostic::error(
                shown.display().to_string(),
                format!(
                    "{} is a symbolic link; dossier does not create pages through links",
                    link.display()
                ),
            )
            .with_hint("remove the link or choose a path without one"));
        }
    }
    Ok(())
}

/// `text` as a double-quoted YAML scalar: backslashes and quotes escaped, and every character
/// YAML does not allow raw (controls, U+FFFE…) written as `\uXXXX`.
fn yaml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x20'..='\x7e' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'.. => {
                out.push(c);
            }
            _ => out.push_str(&format!("\\u{:04X}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// The name a page's title is made from: its file name, or its folder's name for a section
/// (`people/_index.md`) or a page bundle (`reports/y2k/index.md`); empty for the home page.
fn naming_stem(relative: &Path) -> String {
    let stem = relative
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem != "_index" && stem != "index" {
        return stem;
    }
    relative
        .parent()
        .and_then(Path::file_name)
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `the-talks` → `The talks`; nothing → `Home` (the home page is the only unnamed one).
fn title_from(stem: &str) -> String {
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars.next().map_or_else(
        || "Home".to_owned(),
        |first| first.to_uppercase().chain(chars).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_file_names() {
        assert_eq!(title_from("the-talks"), "The talks");
        assert_eq!(title_from(""), "Home");
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

    #[test]
    fn titles_are_quoted_so_they_parse_back_unchanged() {
        for title in [
            "C:\\temp\\",
            "say \"hi\"",
            "a: b # c",
            "- [x] {y}",
            "tab\there",
            "line\nbreak",
            "'single'",
            "&anchor *alias !tag %x @y `z`",
            "—unicode ünïcödé 🚀",
            "",
            "\u{7f}\u{85}\u{2028}",
        ] {
            let dir = tempfile::tempdir().unwrap();
            create_page(dir.path(), Path::new("p"), Some(title)).unwrap();
            let text = fs::read_to_string(dir.path().join("content/p.md")).unwrap();
            let yaml = text.split("---\n").nth(1).unwrap();
            let value: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
            assert_eq!(value["title"].as_str(), Some(title), "{text}");
        }
    }
}
