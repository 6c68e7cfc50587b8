//! Refusing templates nested too deeply to parse. Tera's parser and renderer recurse once per
//! level of `{% if %}`, `{% for %}`, `{% block %}`… and per bracket of an expression, without a
//! limit: tens of thousands of levels overflow the stack and abort the process (the dev server
//! too). No real template comes near [`MAX_NESTING`] levels, so a template past it is an error
//! at the tag or bracket that goes one level too deep, found by a scan of the text before Tera
//! sees it.

use crate::error::Diagnostic;
use std::path::Path;

/// The deepest nesting of tags, or of brackets in one expression, that a template may have.
pub const MAX_NESTING: usize = 200;

/// Tags that open a level, closed by their `end…` tag.
const OPENING: [&str; 5] = ["if", "for", "block", "macro", "filter"];

/// The error for `source` (the template `shown`) when it nests deeper than [`MAX_NESTING`].
pub(crate) fn check(shown: &Path, source: &str) -> Option<Diagnostic> {
    let (offset, what) = too_deep_at(source)?;
    let (line, column) = crate::error::line_column(source, offset);
    Some(
        Diagnostic::error(
            shown,
            format!("the template nests {what} more than {MAX_NESTING} levels deep"),
        )
        .at(source, line, column)
        .with_hint("split it up: move the inner part into a macro or an included template"),
    )
}

/// The byte offset where nesting first goes past the limit, and what nests there.
fn too_deep_at(source: &str) -> Option<(usize, &'static str)> {
    let mut tags = 0usize;
    let mut at = 0;
    while let Some(found) = source[at..].find('{') {
        let start = at + found;
        let rest = &source[start..];
        let close = match rest.as_bytes().get(1) {
            Some(b'%') => "%}",
            Some(b'{') => "}}",
            Some(b'#') => "#}",
            _ => {
                at = start + 1;
                continue;
            }
        };
        let end = rest[2..]
            .find(close)
            .map_or(source.len(), |e| start + 2 + e);
        let inside = &source[start + 2..end];
        if close == "#}" {
            at = (end + 2).min(source.len());
            continue;
        }
        if let Some(deep) = brackets_too_deep(inside) {
            return Some((start + 2 + deep, "brackets"));
        }
        if close == "%}" {
            let word = inside
                .trim_start_matches('-')
                .split_whitespace()
                .next()
                .unwrap_or_default();
            if word == "raw" {
                // Nothing inside `{% raw %}` is parsed.
                let after = (end + 2).min(source.len());
                at = source[after..]
                    .find("endraw")
                    .map_or(source.len(), |e| after + e);
                continue;
            }
            if OPENING.contains(&word) {
                tags += 1;
                if tags > MAX_NESTING {
                    return Some((start, "tags"));
                }
            } else if word.starts_with("end") {
                tags = tags.saturating_sub(1);
            }
        }
        at = (end + 2).min(source.len());
    }
    None
}

/// Where, in the text of one tag or expression, brackets first nest past the limit (string
/// literals skipped).
fn brackets_too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_templates_pass() {
        let source = "{% for a in b %}{% if a %}{{ f(x=[1, (2 + 3)]) }}{% endif %}{% endfor %}{# { #}{% raw %}{% if %}{% endraw %}";
        assert_eq!(too_deep_at(source), None);
    }

    #[test]
    fn deep_tags_and_brackets_are_found_where_they_go_too_deep() {
        let tags = "{% if a %}".repeat(MAX_NESTING + 5);
        assert_eq!(too_deep_at(&tags), Some((10 * MAX_NESTING, "tags")));
        let brackets = format!("{{{{ {} }}}}", "(".repeat(MAX_NESTING + 1));
        assert_eq!(too_deep_at(&brackets), Some((3 + MAX_NESTING, "brackets")));
        let closed = "{% if a %}{% endif %}".repeat(MAX_NESTING * 2);
        assert_eq!(too_deep_at(&closed), None);
        let quoted = format!("{{{{ \"{}\" }}}}", "(".repeat(MAX_NESTING * 2));
        assert_eq!(too_deep_at(&quoted), None);
    }
}
