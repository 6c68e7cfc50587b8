//! Data files: every YAML, JSON, TOML and CSV file under `data/`, parsed once per build into
//! JSON values that templates read with `load_data(path=…)` (see `render::data`), and the data
//! files beside pages in `content/` (`load_data(path=…, beside=page.path)`). A file that
//! does not parse is an error at its line and column; a file of another kind is an error too,
//! so nothing in `data/` is silently ignored.

use crate::content::{Asset, CONTENT_DIR};
use crate::error::{Diagnostic, Diagnostics};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The folder under the site root that holds data files.
pub const DATA_DIR: &str = "data";

/// Every data file under `root/data` by its path inside `data/` (`people.json`,
/// `budget/2026.csv`); problems go to `problems`.
pub fn load(root: &Path, problems: &mut Diagnostics) -> BTreeMap<String, Value> {
    let mut files = BTreeMap::new();
    if !root.join(DATA_DIR).is_dir() {
        return files;
    }
    for (path, source, id) in crate::content::walk(root, DATA_DIR, problems) {
        let shown = Path::new(DATA_DIR).join(path.as_str());
        let parsed = read_text(&shown, &source, id)
            .and_then(|text| parse(&shown, &text.replace("\r\n", "\n")));
        match parsed {
            Ok(value) => {
                files.insert(path.to_string(), value);
            }
            Err(problem) => problems.push(problem),
        }
    }
    files
}

/// The extensions of data files, which `load_data(path=…, beside=page.path)` can read from
/// `content/`.
const DATA_EXTENSIONS: [&str; 5] = ["json", "yaml", "yml", "toml", "csv"];

/// Every data file among the files of `content/` (by extension), parsed, by its path inside
/// `content/`. A file that does not parse keeps its problem, reported only when a template
/// reads it: a file beside a page may be there only to be published.
pub fn beside_pages(assets: &[Asset]) -> BTreeMap<String, Result<Value, Diagnostic>> {
    assets
        .iter()
        .filter(|asset| {
            let extension = Path::new(asset.path.as_str())
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            DATA_EXTENSIONS.contains(&extension.as_str())
        })
        .map(|asset| {
            let shown = Path::new(CONTENT_DIR).join(asset.path.as_str());
            let parsed = read_text(&shown, &asset.source, asset.id)
                .and_then(|text| parse(&shown, &text.replace("\r\n", "\n")));
            (asset.path.to_string(), parsed)
        })
        .collect()
}

/// The text of the walked file `path` (shown as `shown`), which must still be the file `id`.
fn read_text(
    shown: &Path,
    path: &Path,
    id: Option<crate::paths::identity::FileId>,
) -> Result<String, Diagnostic> {
    let bytes = crate::paths::identity::read_walked(path, id)
        .map_err(|e| crate::content::read_error(shown, &e))?;
    String::from_utf8(bytes)
        .map_err(|_| Diagnostic::error(shown, "cannot read: stream did not contain valid UTF-8"))
}

/// The value of a data file, by the kind its extension names.
fn parse(shown: &Path, text: &str) -> Result<Value, Diagnostic> {
    let extension = shown
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "json" => serde_json::from_str(text).map_err(|e| {
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            located(shown, text, e.line(), e.column(), message)
        }),
        "yaml" | "yml" => serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            located(shown, text, line, column, message)
        }),
        "toml" => toml::from_str::<toml::Value>(text)
            .map_err(|e| {
                let (line, column) = e.span().map_or((1, 1), |s| crate::error::line_column(text, s.start));
                // toml's messages run over several lines ("invalid string\nexpected `\"`").
                let message = e.message().trim().replace('\n', "; ");
                located(shown, text, line, column, &message)
            })
            .and_then(|value| {
                serde_json::to_value(value)
                    .map_err(|e| Diagnostic::error(shown, format!("cannot use this TOML: {e}")))
            }),
        "csv" => csv_rows(shown, text),
        _ => Err(Diagnostic::error(
            shown,
            "dossier reads only .yaml, .yml, .json, .toml and .csv files in data/",
        )
        .with_hint("move other files to static/ or content/, or rename the file if it is one of these kinds")),
    }
}

/// A CSV file as a list of rows, each a map from the header's names to the cell's text.
fn csv_rows(shown: &Path, text: &str) -> Result<Value, Diagnostic> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let error = |e: &csv::Error| {
        let line = e.position().map_or(1, |p| p.line() as usize);
        let message = match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!(
                "this row has {len} field{}, but the header has {expected_len}",
                if *len == 1 { "" } else { "s" }
            ),
            _ => e.to_string(),
        };
        located(shown, text, line, 1, &message)
    };
    let headers = reader.headers().map_err(|e| error(&e))?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| error(&e))?;
        let row: serde_json::Map<String, Value> = headers
            .iter()
            .zip(record.iter())
            .map(|(name, cell)| (name.to_owned(), Value::String(cell.to_owned())))
            .collect();
        rows.push(Value::Object(row));
    }
    Ok(Value::Array(rows))
}

fn located(shown: &Path, text: &str, line: usize, column: usize, message: &str) -> Diagnostic {
    Diagnostic::error(shown, message.to_owned())
        .at(text, line.max(1), column.max(1))
        .with_hint("fix the file's syntax; templates read it with load_data(path=\"…\")")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(name: &str, text: &str) -> Diagnostic {
        parse(&Path::new(DATA_DIR).join(name), text).unwrap_err()
    }

    #[test]
    fn each_kind_parses_to_json_values() {
        let shown = Path::new("data/x");
        let json = parse(&shown.with_extension("json"), "{\"a\": [1, 2]}").unwrap();
        assert_eq!(json["a"][1], 2);
        let yaml = parse(&shown.with_extension("yaml"), "a:\n  - 1\n  - 2\n").unwrap();
        assert_eq!(yaml, json);
        let toml = parse(&shown.with_extension("toml"), "a = [1, 2]\n").unwrap();
        assert_eq!(toml, json);
        let csv = parse(&shown.with_extension("csv"), "name,age\nAmy,42\n").unwrap();
        assert_eq!(csv, serde_json::json!([{"name": "Amy", "age": "42"}]));
    }

    #[test]
    fn errors_point_at_their_line_and_column() {
        let d = problem("a.json", "{\n  \"a\": 1,\n  \"b\": ]\n}\n");
        assert_eq!((d.line, d.column), (3, 8));
        let d = problem("a.yaml", "a: 1\nb: [2\n");
        assert_eq!(d.line, 3);
        let d = problem("a.toml", "a = 1\nb = \n");
        assert_eq!((d.line, d.column), (2, 5));
        let d = problem("a.csv", "name,age\nAmy,42\nBob\n");
        assert_eq!((d.line, d.column), (3, 1));
        assert_eq!(d.message, "this row has 1 field, but the header has 2");
    }
}
