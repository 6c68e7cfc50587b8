//! `load_data(path=…)`: the value of a data file (YAML, JSON, TOML or CSV), parsed once per
//! build into the [`SiteIndex`]: a file under `data/`, or, with `beside=page.path`, a file in
//! `content/` found from the page's folder by [`crate::paths::generated::beside`]. Like every
//! function over the index, it is traced, so a page that reads a data file is rendered again
//! when that file changes. A file beside a page that does not parse is reported at its own
//! line when a template reads it, through a [`DataProblem`] carried by the Tera error.

use super::functions::SiteIndex;
use crate::error::{nearest, Diagnostic};
use crate::paths::generated::beside;
use crate::paths::SourcePath;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tera::Function;

/// `load_data(path="people.json")`: the parsed file `data/people.json`;
/// `load_data(path="list.csv", beside=page.path)`: the file `list.csv` in the page's folder.
pub struct LoadDataFn(pub Arc<SiteIndex>);

/// A data file that does not parse, found by `load_data`: the diagnostic at its line, which
/// [`super::Templates::diagnostic`] reports instead of the template's line.
#[derive(Debug, Clone)]
pub struct DataProblem(pub Diagnostic);

impl std::fmt::Display for DataProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.0.location(), self.0.message)
    }
}

impl std::error::Error for DataProblem {}

/// The diagnostic of a data file behind a render error, if that is what failed.
pub fn data_problem(err: &tera::Error) -> Option<Diagnostic> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(error) = source {
        if let Some(problem) = error.downcast_ref::<DataProblem>() {
            return Some(problem.0.clone());
        }
        source = error.source();
    }
    None
}

impl Function for LoadDataFn {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let Some(path) = args.get("path").and_then(Value::as_str) else {
            return Err(tera::Error::msg(
                "`load_data` needs a string argument `path`, like load_data(path=\"people.json\")",
            ));
        };
        match args.get("beside") {
            None => self.in_data(path),
            Some(Value::String(page)) => self.beside(page, path),
            Some(_) => Err(tera::Error::msg(
                "`load_data`: `beside` must be a page's path, like beside=page.path",
            )),
        }
    }
}

impl LoadDataFn {
    fn in_data(&self, path: &str) -> tera::Result<Value> {
        let inside = path.trim_start_matches("data/");
        match self.0.data.get(inside) {
            Some(value) => Ok(value.clone()),
            None => {
                let hint = nearest(inside, self.0.data.keys().map(String::as_str))
                    .map(|best| format!("; did you mean `{best}`?"))
                    .unwrap_or_default();
                Err(tera::Error::msg(format!(
                    "`load_data`: there is no data/{inside}{hint}"
                )))
            }
        }
    }

    fn beside(&self, page: &str, path: &str) -> tera::Result<Value> {
        let page = SourcePath::new(page.trim_start_matches("@/"));
        let file = beside(&page, path).map_err(|why| {
            tera::Error::msg(format!("`load_data`: {why} (beside content/{page})"))
        })?;
        match self.0.beside.get(file.as_str()) {
            Some(Ok(value)) => Ok(value.clone()),
            Some(Err(problem)) => Err(tera::Error::chain(
                format!("`load_data`: content/{file} does not parse"),
                DataProblem(problem.clone()),
            )),
            None => {
                let hint = nearest(file.as_str(), self.0.beside.keys().map(String::as_str))
                    .map(|best| format!("; did you mean `content/{best}`?"))
                    .unwrap_or_default();
                Err(tera::Error::msg(format!(
                    "`load_data`: there is no content/{file} beside content/{page}{hint}"
                )))
            }
        }
    }
}
