//! The rules that turn source names, slugs and aliases into URLs and output files, and refuse
//! the ones that would make a broken or dangerous address.
//!
//! - Folder names and Markdown file names become slugs (`My Notes` → `my-notes`); a name that
//!   slugifies to nothing (`!!!.md`) is refused, never silently mapped onto its folder.
//! - A front matter `slug:` is one path segment of letters (any script), digits, `-`, `_`, `.`
//!   and `~`, not starting or ending with `.`. Anything else (`re:invent`, `?x`, `a/b`, `..`) is
//!   refused with the slugified form as a hint; letters outside ASCII are percent-encoded.
//! - Copied files keep their names; their URLs are percent-encoded (`100%.svg` → `100%25.svg`).
//! - An alias is a path from the site root, plainly or percent-encoded; it may not hold a query,
//!   a fragment, a backslash, `//`, `.`/`..` segments (encoded or not), or a name starting with
//!   `.`. `/old/` and `/old` write `old/index.html`; `/old.html` writes `old.html`.

use super::{OutputPath, SiteUrl, SourcePath, INDEX_FILE};
use percent_encoding::percent_decode_str;

/// Why a name cannot become an address, for a diagnostic at its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameProblem {
    pub message: String,
    pub hint: String,
    /// The problem is in the front matter `slug:` (else in the file's own path).
    pub in_slug: bool,
}

impl NameProblem {
    fn in_path(message: String, hint: impl Into<String>) -> Self {
        NameProblem {
            message,
            hint: hint.into(),
            in_slug: false,
        }
    }
}

/// What kind of Markdown file a source path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    /// `_index.md`: the page of the folder's section.
    Section,
    /// `index.md`: a page whose folder holds its assets.
    Bundle,
    /// Any other `*.md`.
    Leaf,
}

/// The role of a Markdown file from its name.
pub fn file_role(path: &SourcePath) -> FileRole {
    match path.file_name() {
        "_index.md" => FileRole::Section,
        "index.md" => FileRole::Bundle,
        _ => FileRole::Leaf,
    }
}

/// The URL segments of a source folder: each folder name as a slug.
fn folder_segments(dir: &str) -> Result<Vec<String>, NameProblem> {
    dir.split('/')
        .filter(|s| !s.is_empty())
        .map(|name| {
            let slug = slug::slugify(name);
            if slug.is_empty() {
                return Err(NameProblem::in_path(
                    format!("the folder name `{name}` gives an empty URL segment"),
                    "rename the folder so that its name holds letters or digits",
                ));
            }
            Ok(slug)
        })
        .collect()
}

/// The site-root URL of a Markdown file, from its path and its front matter `slug`.
pub fn page_url(path: &SourcePath, slug: Option<&str>) -> Result<SiteUrl, NameProblem> {
    if let Some(slug) = slug {
        check_slug(slug)?;
    }
    let mut segments = folder_segments(path.dir())?;
    match file_role(path) {
        FileRole::Section => {}
        FileRole::Bundle => {
            if let (Some(last), Some(slug)) = (segments.last_mut(), slug) {
                slug.clone_into(last);
            }
        }
        FileRole::Leaf => {
            let file = path.file_name();
            let stem = file.strip_suffix(".md").unwrap_or(file);
            let segment = slug.map_or_else(|| slug::slugify(stem), str::to_owned);
            if segment.is_empty() {
                return Err(NameProblem::in_path(
                    format!("the file name `{file}` gives an empty URL segment"),
                    "rename the file so that its name holds letters or digits, or give it a `slug:` in its front matter",
                ));
            }
            segments.push(segment);
        }
    }
    Ok(SiteUrl::from_segments(&segments, true))
}

/// The output file of a file copied from `content/`: its folders as slugs, its name unchanged.
pub fn content_asset_output(path: &SourcePath) -> Result<OutputPath, NameProblem> {
    let mut segments = folder_segments(path.dir())?;
    segments.push(path.file_name().to_owned());
    Ok(OutputPath::from_segments(&segments))
}

/// The output file of a file copied from `static/`: the same path.
pub fn static_output(path: &SourcePath) -> OutputPath {
    OutputPath(path.as_str().to_owned())
}

/// Checks a front matter `slug:`.
pub fn check_slug(slug: &str) -> Result<(), NameProblem> {
    let why = if slug.is_empty() {
        Some("a slug may not be empty".to_owned())
    } else if slug.starts_with('.') || slug.ends_with('.') {
        Some("a slug may not start or end with `.`".to_owned())
    } else {
        slug.chars()
            .find(|&c| !(c.is_alphanumeric() || "-_.~".contains(c)))
            .map(|c| {
                format!(
                    "`{}` is not allowed: a slug holds only letters, digits, `-`, `_`, `.` and `~`",
                    shown_char(c)
                )
            })
    };
    let Some(why) = why else {
        return Ok(());
    };
    let suggestion = slug::slugify(slug);
    let hint = if suggestion.is_empty() {
        "use letters and digits, like `slug: my-page`".to_owned()
    } else {
        format!("use `slug: {suggestion}`")
    };
    Err(NameProblem {
        message: format!("the slug `{slug}` cannot be a URL segment: {why}"),
        hint,
        in_slug: true,
    })
}

/// A character as shown in a message: control characters escaped, others as they are.
fn shown_char(c: char) -> String {
    if c.is_control() {
        c.escape_debug().to_string()
    } else {
        c.to_string()
    }
}

/// The output file of an alias (`/old/` → `old/index.html`, `/old.html` → `old.html`).
pub fn alias_output(alias: &str) -> Result<OutputPath, String> {
    let refuse = |why: &str| Err(format!("the alias `{alias}` {why}"));
    if let Some(c) = alias
        .chars()
        .find(|&c| "?#\\".contains(c) || c.is_control())
    {
        return refuse(&format!(
            "holds `{}`: an alias is a path from the site root, like `/old/page/`",
            shown_char(c)
        ));
    }
    let path = alias.strip_prefix('/').unwrap_or(alias);
    let raw: Vec<&str> = path.split('/').collect();
    let mut segments = Vec::with_capacity(raw.len() + 1);
    for (i, &segment) in raw.iter().enumerate() {
        let is_last = i + 1 == raw.len();
        if segment.is_empty() && is_last {
            continue;
        }
        let Ok(decoded) = percent_decode_str(segment).decode_utf8() else {
            return refuse("is not valid UTF-8 once decoded");
        };
        if decoded.is_empty() {
            return refuse("holds an empty segment (`//`)");
        }
        if decoded == "." || decoded == ".." {
            return refuse(&format!(
                "holds the segment `{segment}`: write the path without `.` and `..`"
            ));
        }
        if decoded.starts_with('.') {
            return refuse(&format!(
                "names `{decoded}`: names starting with `.` are hidden and never published"
            ));
        }
        if decoded.contains(['/', '\\', '\0']) || decoded.chars().any(char::is_control) {
            return refuse(&format!(
                "holds `{segment}`, which decodes to a separator or a control character"
            ));
        }
        segments.push(decoded.into_owned());
    }
    // `/old.html` names a file; `/old/` and `/old` name a folder.
    let names_a_file = !path.ends_with('/') && segments.last().is_some_and(|s| s.contains('.'));
    if !names_a_file {
        segments.push(INDEX_FILE.to_owned());
    }
    Ok(OutputPath::from_segments(&segments))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(path: &str, slug: Option<&str>) -> String {
        page_url(&SourcePath::new(path), slug).unwrap().to_string()
    }

    #[test]
    fn urls_follow_the_source_tree() {
        assert_eq!(url("_index.md", None), "/");
        assert_eq!(url("background.md", None), "/background/");
        assert_eq!(url("people/_index.md", None), "/people/");
        assert_eq!(url("people/putin.md", None), "/people/putin/");
        assert_eq!(url("people/putin/index.md", None), "/people/putin/");
        assert_eq!(url("My Notes/A Page.md", None), "/my-notes/a-page/");
        assert_eq!(url("#1-priority.md", None), "/1-priority/");
    }

    #[test]
    fn slug_replaces_the_last_segment() {
        assert_eq!(url("people/vp.md", Some("putin")), "/people/putin/");
        assert_eq!(url("people/vp/index.md", Some("putin")), "/people/putin/");
        assert_eq!(url("people/vp.md", Some("café")), "/people/caf%C3%A9/");
    }

    #[test]
    fn names_without_letters_and_bad_slugs_are_refused() {
        let err = page_url(&SourcePath::new("people/!!!.md"), None).unwrap_err();
        assert_eq!(
            err.message,
            "the file name `!!!.md` gives an empty URL segment"
        );
        let err = page_url(&SourcePath::new("!!/a.md"), None).unwrap_err();
        assert_eq!(
            err.message,
            "the folder name `!!` gives an empty URL segment"
        );
        for slug in [
            "re:invent",
            "?x",
            "a/b",
            "..",
            ".",
            "",
            "a b",
            "#x",
            "100%",
            ".x",
            "x.",
        ] {
            let err = check_slug(slug).unwrap_err();
            assert!(err.in_slug, "{slug}");
        }
        assert_eq!(
            check_slug("re:invent").unwrap_err().hint,
            "use `slug: re-invent`"
        );
        assert_eq!(check_slug("v1.2_x~y").ok(), Some(()));
    }

    #[test]
    fn asset_outputs_keep_names_and_slug_folders() {
        let out = content_asset_output(&SourcePath::new("My Notes/Map.PNG")).unwrap();
        assert_eq!(out, "my-notes/Map.PNG");
        assert_eq!(out.url(), "/my-notes/Map.PNG");
    }

    #[test]
    fn alias_outputs() {
        assert_eq!(alias_output("/old/").unwrap(), "old/index.html");
        assert_eq!(alias_output("old/name").unwrap(), "old/name/index.html");
        assert_eq!(alias_output("/old.html").unwrap(), "old.html");
        assert_eq!(alias_output("/old/index.html").unwrap(), "old/index.html");
        assert_eq!(alias_output("/").unwrap(), "index.html");
        assert_eq!(alias_output("/my%20page/").unwrap(), "my page/index.html");
        for bad in [
            "/./",
            "/.",
            "/a/../b",
            "/%2e%2e/x",
            "/%2E/",
            "/a//b",
            "/a\\b",
            "/a?x",
            "/a#x",
            "/.git/hooks",
            "/a%2Fb/",
            "/%ff/",
        ] {
            assert!(alias_output(bad).is_err(), "{bad}");
        }
    }
}
