//! `load_data(path=…)`: the value of a file under `data/` (YAML, JSON, TOML or CSV), parsed once
//! per build into the [`SiteIndex`]. Like every function over the index, it is traced, so a page
//! that reads a data file is rendered again when that file changes.

use super::functions::SiteIndex;
use crate::error::nearest;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tera::Function;

/// `load_data(path="people.json")`: the parsed file `data/people.json`.
pub struct LoadDataFn(pub Arc<SiteIndex>);

impl Function for LoadDataFn {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let Some(path) = args.get("path").and_then(Value::as_str) else {
            return Err(tera::Error::msg(
                "`load_data` needs a string argument `path`, like load_data(path=\"people.json\")",
            ));
        };
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
}
