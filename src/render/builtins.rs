//! What templates get from Tera itself (its built-in filters, functions and tests, turned on by
//! Tera's `builtins` feature) and what follows from that: a hint naming the closest filter,
//! function or test when a template calls one that does not exist, and a warning wherever a
//! template reads the clock or a random number (`now()`, `get_random()`), since a build should
//! be a pure function of the site's files.

use super::templates::TEMPLATES_DIR;
use crate::error::{line_column, nearest, Diagnostic};
use std::path::Path;

/// Tera's built-in filters (Tera 1.20 with `builtins`).
const FILTERS: &[&str] = &[
    "abs",
    "addslashes",
    "as_str",
    "capitalize",
    "concat",
    "date",
    "default",
    "escape",
    "escape_xml",
    "filesizeformat",
    "filter",
    "first",
    "float",
    "get",
    "group_by",
    "indent",
    "int",
    "join",
    "json_encode",
    "last",
    "length",
    "linebreaksbr",
    "lower",
    "map",
    "nth",
    "pluralize",
    "replace",
    "reverse",
    "round",
    "safe",
    "slice",
    "slugify",
    "sort",
    "spaceless",
    "split",
    "striptags",
    "title",
    "trim",
    "trim_end",
    "trim_end_matches",
    "trim_start",
    "trim_start_matches",
    "truncate",
    "unique",
    "upper",
    "urlencode",
    "urlencode_strict",
    "wordcount",
];

/// Tera's built-in functions, then dossier's (see [`super::functions::all`]).
const FUNCTIONS: &[&str] = &[
    "get_env",
    "get_random",
    "now",
    "range",
    "throw",
    "page_error",
    "url",
    "asset",
    "get_page",
    "pages",
    "shortcode_uses",
    "changes",
    "absolute",
    "sources",
    "source",
    "timeline",
    "load_data",
    "image",
];

/// Tera's built-in tests (`is defined`, …).
const TESTS: &[&str] = &[
    "containing",
    "defined",
    "divisibleby",
    "ending_with",
    "even",
    "iterable",
    "matching",
    "number",
    "object",
    "odd",
    "starting_with",
    "string",
    "undefined",
];

/// Functions whose answer depends on when or how often the site is built.
const UNSTABLE: &[&str] = &["now", "get_random"];

/// The hint for Tera's "Filter 'x' not found", "Function 'x' not found" or "Test 'x' not
/// found"; `None` for any other message.
pub fn unknown_name_hint(message: &str) -> Option<String> {
    let (kind, known, docs) = if message.starts_with("Filter '") {
        ("filter", FILTERS, "filters")
    } else if message.starts_with("Function '") {
        ("function", FUNCTIONS, "functions")
    } else if message.starts_with("Test '") {
        ("test", TESTS, "tests")
    } else {
        return None;
    };
    let name = message.split('\'').nth(1)?;
    let see = format!("see the {docs} in docs/templates.md and https://keats.github.io/tera/docs/#built-in-{docs}");
    Some(match nearest(name, known.iter().copied()) {
        Some(best) => format!("did you mean the {kind} `{best}`? {see}"),
        None => format!("there is no {kind} `{name}`; {see}"),
    })
}

/// A warning at every call of `now()` or `get_random()` in the templates `sources` (name,
/// text): with them, two builds of the same files differ.
pub fn clock_warnings<'a>(sources: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (name, source) in sources {
        for function in UNSTABLE {
            for (at, _) in source.match_indices(&format!("{function}(")) {
                let before = source[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                    continue;
                }
                let (line, column) = line_column(source, at);
                let message = format!(
                    "`{function}()` makes the output depend on {}: two builds of the same files will differ",
                    if *function == "now" { "the clock" } else { "chance" }
                );
                warnings.push(
                    Diagnostic::warning(Path::new(TEMPLATES_DIR).join(name), message)
                        .at(source, line, column)
                        .with_hint("use a date from the front matter (`page.date`, `page.updated`) or from site.yaml's `extra` instead"),
                );
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::functions::{all, SiteIndex};
    use std::sync::Arc;

    #[test]
    fn dossier_functions_are_all_known() {
        for (name, _) in all(&Arc::new(SiteIndex::default())) {
            assert!(
                FUNCTIONS.contains(&name),
                "{name} is missing from FUNCTIONS"
            );
        }
    }

    #[test]
    fn unknown_names_get_the_closest_one() {
        assert_eq!(
            unknown_name_hint("Filter 'slugfy' not found").unwrap(),
            "did you mean the filter `slugify`? see the filters in docs/templates.md and https://keats.github.io/tera/docs/#built-in-filters"
        );
        assert!(unknown_name_hint("Function 'changs' not found")
            .unwrap()
            .starts_with("did you mean the function `changes`?"));
        assert!(unknown_name_hint("Test 'xyzzy' not found")
            .unwrap()
            .starts_with("there is no test `xyzzy`;"));
        assert_eq!(unknown_name_hint("Template 'a.html' not found"), None);
    }

    #[test]
    fn clock_and_chance_are_warned_about() {
        let warnings = clock_warnings(
            [(
                "base.html",
                "<p>{{ now() | date(format=\"%Y\") }}</p>\n{{ get_random(end=9) }} {{ snow() }}",
            )]
            .into_iter(),
        );
        let places: Vec<_> = warnings.iter().map(|w| (w.line, w.column)).collect();
        assert_eq!(places, [(1, 7), (2, 4)]);
        assert_eq!(
            warnings[0].message,
            "`now()` makes the output depend on the clock: two builds of the same files will differ"
        );
    }
}
