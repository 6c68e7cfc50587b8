//! Turning YAML (site.yaml, front matter) into typed values, with errors that point at the real
//! line in the user's file and suggest the nearest valid key.
//!
//! serde_yaml reports some errors (duplicate keys, for one) at the start of the document; this
//! module finds the real line itself.

use crate::error::{nearest, Diagnostic};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Where a YAML document sits inside a file.
#[derive(Debug, Clone, Copy)]
pub struct Embedding<'a> {
    /// The whole file, for showing lines.
    pub file_text: &'a str,
    /// 0-based line of the file on which the YAML starts.
    pub first_line: usize,
}

/// Parses `yaml` as `T`, or explains what is wrong in terms of the user's file.
pub fn parse<T: DeserializeOwned>(
    path: &Path,
    yaml: &str,
    embedding: Embedding<'_>,
) -> Result<T, Diagnostic> {
    if let Some(offset) = yaml.find(is_forbidden_control) {
        // The YAML reader reports these with a byte position only; say where, exactly.
        let c = yaml[offset..].chars().next().unwrap_or_default();
        let (line, column) = crate::error::line_column(yaml, offset);
        return Err(Diagnostic::error(
            path,
            format!("the control character U+{:04X} is not allowed in YAML", u32::from(c)),
        )
        .at(embedding.file_text, line + embedding.first_line, column)
        .with_hint("remove it; write special characters in a double-quoted string as `\\u0000`-style escapes"));
    }
    // An empty document is an empty mapping, so that missing fields get their own messages.
    let source = if yaml.trim().is_empty() { "{}" } else { yaml };
    serde_yaml::from_str(source).map_err(|err| explain(path, yaml, embedding, &err))
}

/// Characters YAML does not allow raw in a document (tab, newline and carriage return are fine).
fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{85}'))
        || matches!(c, '\u{fffe}' | '\u{ffff}')
}

fn explain(
    path: &Path,
    yaml: &str,
    embedding: Embedding<'_>,
    err: &serde_yaml::Error,
) -> Diagnostic {
    let full = err.to_string();
    let message = full
        .split(" at line ")
        .next()
        .unwrap_or(&full)
        .trim_end_matches(['.', ' '])
        .to_string();
    let (mut line, mut column) = err.location().map_or((1, 1), |l| (l.line(), l.column()));

    let mut message = message;
    let hint = if let Some((field, expected)) = unknown_field(&message) {
        // The hint lists the valid keys; the message only names the wrong one.
        message = format!("unknown field `{field}`");
        if let Some((l, c)) = key_position(yaml, &field) {
            (line, column) = (l, c);
        }
        match nearest(&field, expected.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`? Valid keys: {}", expected.join(", ")),
            None => format!("valid keys: {}", expected.join(", ")),
        }
    } else if let Some(key) = duplicate_key(&message) {
        if let Some((l, c)) = nth_key_position(yaml, &key, 2) {
            (line, column) = (l, c);
        }
        format!("remove one of the two `{key}` entries")
    } else if message.contains("expected a sequence") {
        "this key takes a list: write each item on its own line, starting with `- `".to_owned()
    } else if let Some(field) = missing_field(&message) {
        format!("add `{field}: …` to this entry")
    } else if message.contains("invalid type") {
        "check the value's type (quote text that looks like a number or date)".to_owned()
    } else {
        "check the YAML syntax: `key: value`, one per line, lists with `- `".to_owned()
    };
    Diagnostic::error(path, message)
        .at(embedding.file_text, line + embedding.first_line, column)
        .with_hint(hint)
}

/// `unknown field `x`, expected one of `a`, `b`` → ("x", ["a", "b"]).
fn unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.split("unknown field `").nth(1)?;
    let (field, rest) = rest.split_once('`')?;
    let expected = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    Some((field.to_owned(), expected))
}

/// `missing field `x`` (possibly after a path such as `updates[0]: `) → "x".
fn missing_field(message: &str) -> Option<&str> {
    message.split("missing field `").nth(1)?.split('`').next()
}

/// `duplicate field `x`` or `duplicate entry with key "x"` → "x".
fn duplicate_key(message: &str) -> Option<String> {
    if let Some(rest) = message.split("duplicate field `").nth(1) {
        return Some(rest.split('`').next()?.to_owned());
    }
    let rest = message.split("duplicate entry with key \"").nth(1)?;
    Some(rest.split('"').next()?.to_owned())
}

/// 1-based line and column of the first top-level-or-nested `key:` in `yaml`.
pub fn key_position(yaml: &str, key: &str) -> Option<(usize, usize)> {
    nth_key_position(yaml, key, 1)
}

fn nth_key_position(yaml: &str, key: &str, n: usize) -> Option<(usize, usize)> {
    yaml.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let trimmed = line.trim_start().trim_start_matches("- ");
            let indent = line.len() - trimmed.len();
            let after = trimmed.trim_start_matches(['"', '\'']).strip_prefix(key)?;
            let after = after.trim_start_matches(['"', '\'']);
            after
                .trim_start()
                .starts_with(':')
                .then_some((i + 1, indent + 1))
        })
        .nth(n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Small {
        title: String,
        weight: Option<i64>,
    }

    fn parse_small(yaml: &str) -> Result<Small, Diagnostic> {
        let file = format!("---\n{yaml}---\n");
        parse(
            Path::new("a.md"),
            yaml,
            Embedding {
                file_text: &file,
                first_line: 1,
            },
        )
    }

    #[test]
    fn unknown_field_points_at_its_line_with_a_suggestion() {
        let d = parse_small("title: x\ntitel: y\n").unwrap_err();
        assert_eq!((d.line, d.column), (3, 1));
        assert!(d.message.contains("unknown field `titel`"), "{}", d.message);
        assert!(d.hint.unwrap().starts_with("did you mean `title`?"));
    }

    #[test]
    fn duplicate_key_points_at_the_second_entry() {
        let d = parse_small("title: x\nweight: 1\ntitle: y\n").unwrap_err();
        assert_eq!(d.line, 4, "{d}");
    }

    #[test]
    fn wrong_type_points_at_the_value() {
        let d = parse_small("title: x\nweight: heavy\n").unwrap_err();
        assert_eq!(d.line, 3, "{d}");
        assert!(d.message.contains("invalid type"), "{}", d.message);
        assert!(d.hint.unwrap().starts_with("check the value's type"));
    }
}
