//! Front matter: the YAML block between `---` lines at the top of a Markdown file, split from the
//! body and parsed into the typed [`FrontMatter`], with every check that needs only the file.

use super::change_log;
pub use super::change_log::ChangeNote;
use crate::error::Diagnostic;
use crate::yaml::{self, Embedding};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Everything a Markdown file may declare about itself.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    #[serde(default)]
    pub title: Option<String>,
    /// A short title for navigation, breadcrumbs and prev/next links.
    #[serde(default)]
    pub link_title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub weight: Option<i64>,
    /// Publication date: `YYYY-MM-DD` or an RFC 3339 date-time (see [`super::dates`]).
    #[serde(default)]
    pub date: Option<String>,
    /// Date of the last revision, same forms as `date`.
    #[serde(default)]
    pub updated: Option<String>,
    /// Notes of what was added or changed since publication.
    #[serde(default)]
    pub updates: Vec<ChangeNote>,
    /// Notes of what was wrong and has been put right.
    #[serde(default)]
    pub corrections: Vec<ChangeNote>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub template: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// The names this page is known by; other pages that mention them should link here.
    #[serde(default)]
    pub known_as: Vec<String>,
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A file split into its front matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 0-based line on which the YAML starts (the line after the opening `---`).
    pub yaml_first_line: usize,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Splits `text` (with `\n` line endings) at its front matter delimiters.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::error(path, "the file has no front matter")
            .at(text, 1, 1)
            .with_hint(
                "start the file with a `---` line, then `title: ...`, then another `---` line",
            ));
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_first_line: 1,
                body_offset: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(path, "the front matter is never closed")
        .at(text, 1, 1)
        .with_hint("add a line with only `---` after the last front matter line"))
}

/// Parses and checks the front matter of `text`; returns it with the body's byte offset.
pub fn parse(path: &Path, text: &str) -> Result<(FrontMatter, usize), Vec<Diagnostic>> {
    let split = split(path, text).map_err(|d| vec![d])?;
    let embedding = Embedding {
        file_text: text,
        first_line: split.yaml_first_line,
    };
    let front: FrontMatter = yaml::parse(path, split.yaml, embedding).map_err(|d| vec![d])?;
    let problems = check(path, text, split, &front);
    if problems.is_empty() {
        Ok((front, split.body_offset))
    } else {
        Err(problems)
    }
}

fn check(path: &Path, text: &str, split: Split<'_>, front: &FrontMatter) -> Vec<Diagnostic> {
    let at_key = |key: &str, d: Diagnostic| match yaml::key_position(split.yaml, key) {
        Some((line, column)) => d.at(text, line + split.yaml_first_line, column),
        None => d.at(text, 1, 1),
    };
    let mut problems = Vec::new();
    match &front.title {
        None => problems.push(at_key(
            "title",
            Diagnostic::error(path, "the front matter has no `title`")
                .with_hint("add a line `title: ...` between the `---` lines"),
        )),
        Some(title) if title.trim().is_empty() => problems.push(at_key(
            "title",
            Diagnostic::error(path, "the title is empty").with_hint("give the page a title"),
        )),
        Some(_) => {}
    }
    problems.extend(change_log::check(path, text, split, front));
    // The rules for slugs and aliases are `paths::names`'s; only their places are found here.
    if let Some(slug) = &front.slug {
        if let Err(problem) = crate::paths::names::check_slug(slug) {
            let (line, column) = yaml::key_position(split.yaml, "slug").map_or((1, 1), |(l, _)| {
                (l + split.yaml_first_line, value_column(split.yaml, l, slug))
            });
            problems.push(
                Diagnostic::error(path, problem.message)
                    .at(text, line, column)
                    .with_hint(problem.hint),
            );
        }
    }
    for alias in &front.aliases {
        if let Err(message) = crate::paths::names::alias_output(alias) {
            let (line, column) = alias_position(split.yaml, alias).unwrap_or((1, 1));
            problems.push(
                Diagnostic::error(path, message)
                    .at(text, line + split.yaml_first_line, column)
                    .with_hint("an alias is a path inside the site, like `/old/name/`"),
            );
        }
    }
    for tag in &front.tags {
        if let Err(problem) = crate::paths::generated::tag_slug(tag) {
            let (line, column) = tag_position(split.yaml, tag).unwrap_or((1, 1));
            problems.push(
                Diagnostic::error(path, problem.message)
                    .at(text, line + split.yaml_first_line, column)
                    .with_hint(problem.hint),
            );
        }
    }
    problems
}

/// The 1-based column where `value` is written on the 1-based `line` of `yaml` (1 if not found).
fn value_column(yaml: &str, line: usize, value: &str) -> usize {
    yaml.lines()
        .nth(line - 1)
        .and_then(|l| l.find(value).map(|i| l[..i].chars().count() + 1))
        .unwrap_or(1)
}

/// Line and column (1-based, within `yaml`) of the alias `alias` in the `aliases:` list.
pub fn alias_position(yaml: &str, alias: &str) -> Option<(usize, usize)> {
    list_item_position(yaml, "aliases", alias)
}

/// Line and column (1-based, within `yaml`) of the tag `tag` in the `tags:` list.
pub fn tag_position(yaml: &str, tag: &str) -> Option<(usize, usize)> {
    list_item_position(yaml, "tags", tag)
}

/// Line and column (1-based, within `yaml`) of `item` in the list under `key`.
fn list_item_position(yaml: &str, key: &str, item: &str) -> Option<(usize, usize)> {
    let (key_line, _) = yaml::key_position(yaml, key)?;
    let line = yaml
        .lines()
        .enumerate()
        .skip(key_line - 1)
        .find(|(_, l)| l.contains(item))
        .map_or(key_line, |(i, _)| i + 1);
    Some((line, value_column(yaml, line, item)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("content/a.md")
    }

    #[test]
    fn splits_yaml_and_body() {
        let text = "---\ntitle: A\n---\nBody\n";
        let s = split(p(), text).unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(&text[s.body_offset..], "Body\n");
    }

    #[test]
    fn empty_front_matter_and_no_body() {
        let s = split(p(), "---\n---").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body_offset, 7);
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_line_one() {
        let d = split(p(), "---\ntitle: A\nBody\n").unwrap_err();
        assert!(d.message.contains("never closed"));
        assert_eq!(d.line, 1);
    }

    #[test]
    fn missing_front_matter_is_an_error() {
        assert!(split(p(), "# Title\n").is_err());
    }

    #[test]
    fn empty_title_points_at_the_title_line() {
        let errs = parse(p(), "---\nweight: 1\ntitle: \"  \"\n---\n").unwrap_err();
        assert_eq!(errs[0].line, 3);
        assert_eq!(errs[0].message, "the title is empty");
    }

    #[test]
    fn errors_inside_yaml_are_shifted_by_the_opening_line() {
        let errs = parse(p(), "---\ntitle: A\nweight: [\n---\n").unwrap_err();
        assert!(errs[0].line >= 3, "{}", errs[0]);
    }

    #[test]
    fn dates_are_checked() {
        let errs = parse(p(), "---\ntitle: A\ndate: 2025-13-01\n---\n").unwrap_err();
        assert_eq!(errs[0].line, 3);
        assert_eq!(
            errs[0].message,
            "`2025-13-01` is not a real date: there is no month 13"
        );
        assert!(parse(p(), "---\ntitle: A\ndate: 2025-08-15T10:30:00Z\n---\n").is_ok());
    }
}
