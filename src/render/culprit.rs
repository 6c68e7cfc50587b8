//! Where in the templates a render error comes from. Tera names the template it was asked to
//! render, not the one holding the mistake (a parent, an included file), and gives no line; this
//! module finds the mistake's text in the template chain (the template, its parents, then every
//! other template) so the error is reported once, at the file and line that contain it. The
//! hints for misspelt names are `builtins`'.

use super::templates::Templates;

/// What kind of name a "not found" error is about, and the name.
fn missing_name(message: &str) -> Option<(&'static str, &str)> {
    for kind in ["Filter", "Function", "Test", "Template"] {
        if let Some(rest) = message.strip_prefix(&format!("{kind} '")) {
            let name = rest.split('\'').next()?;
            if rest[name.len()..].starts_with("' not found") {
                return Some((kind, name));
            }
        }
    }
    None
}

/// The template and byte offset of the mistake that `message` describes, searching from the
/// template `start`.
pub fn locate(templates: &Templates, start: &str, message: &str) -> Option<(String, usize)> {
    let (kind, name) = missing_name(message)?;
    let matches = |source: &str| -> Option<usize> {
        match kind {
            "Filter" => find_after(source, '|', name),
            "Function" => find_call(source, name),
            "Test" => find_word_after(source, "is", name),
            // Includes name a list: `'[nope.html]'`, or `'[a.html, b.html]'`.
            _ => name
                .trim_start_matches('[')
                .trim_end_matches(']')
                .split(", ")
                .flat_map(|n| [format!("\"{n}\""), format!("'{n}'")])
                .find_map(|quoted| source.find(&quoted)),
        }
    };
    search(templates, start, matches)
}

/// The template and byte offset of `needle`, searching from the template `start`.
pub fn find_text(templates: &Templates, start: &str, needle: &str) -> Option<(String, usize)> {
    search(templates, start, |source| source.find(needle))
}

fn search(
    templates: &Templates,
    start: &str,
    matches: impl Fn(&str) -> Option<usize>,
) -> Option<(String, usize)> {
    let mut chain = vec![start.to_owned()];
    if let Ok(template) = templates.tera.get_template(start) {
        chain.extend(template.parents.iter().cloned());
    }
    let others = templates
        .sources()
        .map(|(name, _)| name.to_owned())
        .filter(|name| !chain.contains(name));
    let order: Vec<String> = chain.iter().cloned().chain(others).collect();
    order.into_iter().find_map(|name| {
        let source = templates.source(&name)?;
        Some((name.clone(), matches(source)?))
    })
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `name` as a whole word at `offset` of `source`.
fn word_at(source: &str, offset: usize, name: &str) -> bool {
    source[offset..].starts_with(name) && !source[offset + name.len()..].starts_with(is_ident)
}

/// `| name` (any spaces between).
fn find_after(source: &str, sign: char, name: &str) -> Option<usize> {
    source.match_indices(sign).find_map(|(i, _)| {
        let rest = &source[i + 1..];
        let at = i + 1 + (rest.len() - rest.trim_start().len());
        word_at(source, at, name).then_some(at)
    })
}

/// `name(`, not part of a longer name.
fn find_call(source: &str, name: &str) -> Option<usize> {
    source.match_indices(name).find_map(|(i, _)| {
        let before_ok = !source[..i].ends_with(is_ident) && !source[..i].ends_with("::");
        let after = source[i + name.len()..].trim_start();
        (before_ok && after.starts_with('(') && word_at(source, i, name)).then_some(i)
    })
}

/// `is name` or `is not name`.
fn find_word_after(source: &str, word: &str, name: &str) -> Option<usize> {
    source.match_indices(word).find_map(|(i, _)| {
        let rest = source[i + word.len()..].trim_start();
        let rest = rest.strip_prefix("not").map_or(rest, str::trim_start);
        let at = source.len() - rest.len();
        word_at(source, at, name).then_some(at)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_filters_calls_and_tests_as_whole_words() {
        let source = "{{ a | safer }} {{ b |saf }} {{ x::urlx() }} {{ urlx (path=1) }} {% if a is not odder %}";
        assert_eq!(find_after(source, '|', "saf"), source.find("saf }}"));
        assert_eq!(find_call(source, "urlx"), source.find("urlx (path"));
        assert_eq!(find_word_after(source, "is", "odder"), source.find("odder"));
        assert_eq!(find_after(source, '|', "safe"), None);
    }
}
