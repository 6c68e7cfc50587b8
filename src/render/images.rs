//! `image(path=…, widths=[…], page=…)`: an image of the site with its width and height, and
//! resized copies for `srcset` (see [`crate::images`]). Traced like every function over the
//! [`SiteIndex`], so a page showing an image is rendered again when the image changes.
//!
//! `path` follows the rule of [`crate::paths::reference`]: with `beside=page.path`, a relative
//! path is read from that page's folder under `content/`, as in its Markdown; without `beside`, from
//! the top of `content/`. A `/`-prefixed path is a site-root address (a file of `static/` or
//! `content/`).

use super::functions::SiteIndex;
use crate::images::{NotFound, Picture};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tera::Function;

/// `image(path="img/map.png", widths=[480, 960], beside=page.path)`.
pub struct ImageFn(pub Arc<SiteIndex>);

impl Function for ImageFn {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        answer(picture(&self.0, args))
    }
}

/// What `image(…)` answers for `result`: the picture as a template value, or the error.
pub fn answer(result: Result<Picture, NotFound>) -> tera::Result<Value> {
    match result {
        Ok(picture) => serde_json::to_value(picture).map_err(tera::Error::json),
        Err(e) => Err(tera::Error::msg(format!(
            "`image`: {}; {}",
            e.message, e.hint
        ))),
    }
}

/// The picture `args` ask for, or what is wrong with them.
pub fn picture(index: &SiteIndex, args: &HashMap<String, Value>) -> Result<Picture, NotFound> {
    let problem = |message: String, hint: &str| NotFound {
        message,
        hint: hint.to_owned(),
    };
    let Some(path) = args.get("path").and_then(Value::as_str) else {
        return Err(problem(
            "needs a string argument `path`".to_owned(),
            "write image(path=\"img/map.png\", beside=page.path)",
        ));
    };
    let page_dir = match args.get("beside") {
        None => "",
        Some(Value::String(page)) => page.rsplit_once('/').map_or("", |(dir, _)| dir),
        Some(other) => {
            return Err(problem(
                format!("`beside` must be the content path of a page, not {other}"),
                "write beside=page.path",
            ))
        }
    };
    let widths = widths(args.get("widths")).map_err(|m| problem(m, "write widths=[480, 960]"))?;
    let (output, facts) = index.images.find(page_dir, path)?;
    Ok(index.images.picture(&output, &facts, &widths))
}

/// The `widths` argument: a list of whole numbers of pixels.
pub fn widths(value: Option<&Value>) -> Result<Vec<u32>, String> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let bad = || format!("`widths` must be a list of widths in pixels, not {value}");
    let Value::Array(list) = value else {
        return Err(bad());
    };
    list.iter()
        .map(|w| {
            w.as_u64()
                .and_then(|w| u32::try_from(w).ok())
                .filter(|&w| w > 0)
                .ok_or_else(bad)
        })
        .collect()
}
