//! The docs say what the code is: ARCHITECTURE.md's code map names every module of `src/` and
//! nothing else, and docs/templates.md's context reference lists exactly the fields a rendered
//! template sees. A failure says what to add (or remove) where.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::TestSite;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The lines of `## heading` in `text`, up to the next `## ` heading.
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("no `## {heading}` section"));
    let body = &text[start + heading.len() + 5..];
    &body[..body.find("\n## ").unwrap_or(body.len())]
}

/// Every `code span` in `text`.
fn code_spans(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// The modules of `src/`: top-level ones as `name` (for `name.rs` or `name/`), the files inside
/// module folders as `folder/file.rs` (`mod.rs` aside).
fn source_modules() -> BTreeSet<String> {
    let src = Path::new(ROOT).join("src");
    let mut found = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&src).min_depth(1) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&src).unwrap().to_string_lossy();
        let rel = rel.replace('\\', "/");
        let top_level = entry.depth() == 1;
        if top_level && entry.file_type().is_dir() {
            found.insert(rel);
        } else if top_level {
            if let Some(name) = rel.strip_suffix(".rs") {
                found.insert(name.to_owned());
            }
        } else if rel.ends_with(".rs") && !rel.ends_with("/mod.rs") {
            found.insert(rel);
        }
    }
    found
}

/// `watch/change.rs`, `serve/live.js`, `src/main.rs`: a file path of lowercase names. (Folders
/// like `content/` are named by their bold entry; a span like `static/` may name a site folder.)
fn is_module_path(span: &str) -> bool {
    let Some(path) = span
        .strip_suffix(".rs")
        .or_else(|| span.strip_suffix(".js"))
    else {
        return false;
    };
    path.split('/')
        .all(|part| !part.is_empty() && is_field_name(part))
}

#[test]
fn the_code_map_names_every_module_and_only_modules_that_exist() {
    let text = std::fs::read_to_string(Path::new(ROOT).join("ARCHITECTURE.md")).unwrap();
    let map = format!(
        "{}{}",
        section(&text, "Entry points"),
        section(&text, "Code map")
    );
    let spans = code_spans(&map);
    // `src/main.rs` and `folder/file.rs` name files; a bold `**`name`**` names a top-level module.
    let named: BTreeSet<String> = spans
        .iter()
        .map(|s| s.trim_start_matches("src/"))
        .filter(|s| is_module_path(s))
        .map(str::to_owned)
        .chain(
            map.split("**`")
                .skip(1)
                .filter_map(|s| s.split_once("`**"))
                .map(|(name, _)| name.to_owned()),
        )
        .collect();
    let src = Path::new(ROOT).join("src");
    let mut problems = Vec::new();
    for name in &named {
        let exists = if name.contains('.') {
            src.join(name).is_file()
        } else {
            src.join(format!("{name}.rs")).is_file() || src.join(name).is_dir()
        };
        if !exists {
            let missing = if name.contains('.') {
                format!("src/{name}")
            } else {
                format!("src/{name}.rs or src/{name}/")
            };
            problems.push(format!(
                "ARCHITECTURE.md names `{name}`, but there is no {missing}: rename or remove it \
                 in `## Code map`"
            ));
        }
    }
    let file_names: BTreeSet<&str> = named.iter().map(|n| n.trim_end_matches(".rs")).collect();
    for module in source_modules() {
        let top = module.split('/').next().unwrap();
        let is_named = named.contains(&module)
            || (!module.contains('/') && file_names.contains(module.as_str()));
        if !is_named {
            problems.push(if module.contains('/') {
                format!(
                    "src/{module} is not in ARCHITECTURE.md: add what it owns, naming \
                     `{module}`, to the **`{top}`** entry of `## Code map`"
                )
            } else {
                format!(
                    "src/{module} is not in ARCHITECTURE.md: add an entry `- **`{module}`**: \
                     what it owns.` to `## Code map`"
                )
            });
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

/// What docs/templates.md documents under `## The context of every page`: the variables of the
/// table (name → type) and the fields of each type (`**Type**: `a`, `b` (…), …`), and under
/// `## Functions` the fields of the types functions return.
struct ContextReference {
    variables: BTreeMap<String, String>,
    fields: BTreeMap<String, BTreeSet<String>>,
}

/// `text` without anything in parentheses (where the docs explain a field, naming others).
fn outside_parentheses(text: &str) -> String {
    let mut depth = 0_i32;
    text.chars()
        .filter(|c| {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => return depth == 0,
            }
            false
        })
        .collect()
}

fn is_field_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_')
}

fn context_reference(doc: &str) -> ContextReference {
    let text = section(doc, "The context of every page");
    let mut variables = BTreeMap::new();
    let mut fields: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in text.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let ty = cells[2].split_whitespace().next().unwrap().to_owned();
        for name in code_spans(cells[1]) {
            variables.insert(name.to_owned(), ty.clone());
        }
        // A type with no paragraph of its own (`site`) lists its fields in the table.
        let what = outside_parentheses(cells[3]);
        if !text.contains(&format!("**{ty}**")) {
            let listed = code_spans(&what).into_iter().filter(|s| is_field_name(s));
            fields
                .entry(ty)
                .or_default()
                .extend(listed.map(str::to_owned));
        }
    }
    // The types of the context, then those the functions return (`**ShortcodeUse**`).
    let functions = if doc.contains("\n## Functions\n") {
        section(doc, "Functions")
    } else {
        ""
    };
    let paragraphs = text.split("\n\n").chain(functions.split("\n\n"));
    for paragraph in paragraphs.filter(|p| p.starts_with("**")) {
        let (ty, rest) = paragraph[2..].split_once("**").unwrap();
        let mut rest = rest.to_owned();
        // "everything in `page`, plus …": the type has the fields of `page` too.
        if let Some(start) = rest.find("everything in `") {
            let inherited = rest[start + 15..].split('`').next().unwrap().to_owned();
            let parent = variables[&inherited].clone();
            let more = fields.get(&parent).cloned().unwrap_or_default();
            fields.entry(ty.to_owned()).or_default().extend(more);
            rest = rest.replacen(&format!("everything in `{inherited}`"), "", 1);
        }
        // The field list is the first sentence; what follows explains it.
        let rest = outside_parentheses(&rest);
        let list = rest.split(". ").next().unwrap_or_default();
        let names: Vec<String> = code_spans(list)
            .into_iter()
            .filter(|s| is_field_name(s))
            .map(str::to_owned)
            .collect();
        fields.entry(ty.to_owned()).or_default().extend(names);
    }
    ContextReference { variables, fields }
}

/// A page template that prints its whole context as JSON (Tera's `__tera_context`), escaped twice
/// so that no URL in it looks like a link to the link check.
const DUMP: &str = "{{ __tera_context | escape }}";

fn unescape(html: &str) -> String {
    html.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The context `template` got on the built page `output`.
fn rendered_context(site: &TestSite, output: &str) -> Value {
    let html = site.read(&format!("public/{output}"));
    serde_json::from_str(unescape(&unescape(&html)).trim())
        .unwrap_or_else(|e| panic!("{output} is not a context dump ({e}):\n{html}"))
}

/// Where a value of each documented type is found in a rendered context.
const SAMPLES: &[(&str, &str)] = &[
    ("Site", "/site"),
    ("Page", "/page"),
    ("Section", "/section"),
    ("PageSummary", "/section/pages/0"),
    ("NavItem", "/nav/0"),
    ("Link", "/breadcrumbs/0"),
    ("TocEntry", "/toc/0"),
    ("ShortcodeUse", "/uses/0"),
];

/// A page whose template prints `shortcode_uses(name="figure")` (background.md uses it once).
const USES: &str = "{{ shortcode_uses(name=\"figure\") | json_encode() | escape }}";

#[test]
fn the_template_reference_lists_exactly_the_context_fields() {
    let doc = std::fs::read_to_string(Path::new(ROOT).join("docs/templates.md")).unwrap();
    let reference = context_reference(&doc);
    let site = TestSite::fixture("basic");
    for template in [
        "index.html",
        "page.html",
        "section.html",
        "people.html",
        "person.html",
    ] {
        site.write(&format!("templates/{template}"), DUMP);
    }
    site.write("templates/uses.html", USES);
    site.write(
        "content/uses.md",
        "---\ntitle: Uses\ntemplate: uses.html\n---\n",
    );
    site.build().success();
    let uses = unescape(&unescape(&site.read("public/uses/index.html")));
    let uses = serde_json::json!({ "uses": serde_json::from_str::<Value>(uses.trim()).unwrap() });
    // The home page is a section with pages; a page in a section has breadcrumbs and a toc.
    let home = rendered_context(&site, "index.html");
    let page = rendered_context(&site, "background/index.html");
    let mut problems = Vec::new();

    let top: BTreeSet<String> = home.as_object().unwrap().keys().cloned().collect();
    let documented: BTreeSet<String> = reference.variables.keys().cloned().collect();
    for name in top.difference(&documented) {
        problems.push(format!(
            "templates see `{name}`, but docs/templates.md does not document it: add a row \
             `| `{name}` | type | what |` to the table under `## The context of every page`"
        ));
    }
    for name in documented.difference(&top) {
        problems.push(format!(
            "docs/templates.md documents `{name}`, but templates do not get it: remove or \
             rename its row in the table under `## The context of every page`"
        ));
    }
    for (ty, pointer) in SAMPLES {
        let sample = [&home, &page]
            .into_iter()
            .chain([&uses])
            .find_map(|c| c.pointer(pointer).filter(|v| v.is_object()))
            .unwrap_or_else(|| panic!("no {ty} at {pointer} in the rendered contexts"));
        let present: BTreeSet<String> = sample.as_object().unwrap().keys().cloned().collect();
        let documented = reference.fields.get(*ty).cloned().unwrap_or_default();
        for field in present.difference(&documented) {
            problems.push(format!(
                "a {ty} has `{field}` (at {pointer}/{field}), but docs/templates.md does not \
                 document it: add `{field}` (what it is) to the **{ty}** fields under \
                 `## The context of every page`"
            ));
        }
        for field in documented.difference(&present) {
            problems.push(format!(
                "docs/templates.md documents `{field}` on **{ty}**, but a rendered {ty} (at \
                 {pointer}) has no such field: remove or rename it"
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn the_reference_parser_reads_fields_and_skips_explanations() {
    let doc = "\n## The context of every page\n\n| name | type | what |\n|---|---|---|\n\
        | `site` | Site | `title`, `base_url` (string or `null`) |\n\
        | `page` | Page | the page |\n| `section` | Section or null | x |\n\n\
        **Page**: `title`, `path` (source path, e.g. `a/b.md`), `url`.\n\n\
        **Section**: everything in `page`, plus `pages` (list of `PageSummary`).\n\n\
        **Link**: `title`, `url`. In `nav` the title is `link_title`.\n\n## Next\n";
    let reference = context_reference(doc);
    let names =
        |ty: &str| -> Vec<&str> { reference.fields[ty].iter().map(String::as_str).collect() };
    assert_eq!(names("Site"), ["base_url", "title"]);
    assert_eq!(names("Page"), ["path", "title", "url"]);
    assert_eq!(names("Section"), ["pages", "path", "title", "url"]);
    assert_eq!(names("Link"), ["title", "url"]);
    assert_eq!(reference.variables["section"], "Section");
}
