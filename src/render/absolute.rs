//! Absolute addresses for templates: `absolute(path=…)`, and the `absolute=true` argument of
//! `url` and `asset`. Open Graph, Twitter cards, JSON-LD and feeds need full URLs, which only
//! `base_url` can give; everything else on a page stays relative so the site works from any
//! folder.

use super::functions::SiteIndex;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tera::Function;

/// `base_url` (with one trailing slash) joined with a site-root URL (`/img/a.png`, `img/a.png`):
/// exactly one slash between them, whatever either side ends or starts with.
pub fn join(base: &str, url: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        url.trim_start_matches('/')
    )
}

/// `url` made absolute with the site's `base_url`, for the template function `function`; an
/// error naming the setting when the site has none.
pub fn absolute(index: &SiteIndex, function: &str, url: &str) -> tera::Result<String> {
    match &index.base_url {
        Some(_) if url.contains("://") => Ok(url.to_owned()),
        Some(base) => Ok(join(base, url)),
        None => Err(tera::Error::msg(format!(
            "`{function}` makes an absolute URL, which needs `base_url` in site.yaml (or --base-url); guard it with {{% if site.base_url %}}"
        ))),
    }
}

/// Whether a call asked for an absolute URL (`absolute=true`).
pub fn wants_absolute(args: &HashMap<String, Value>) -> bool {
    args.get("absolute").and_then(Value::as_bool) == Some(true)
}

/// `absolute(path="/img/map.png")`: a site-root URL (from `url`, `asset`, `page.url`, …) as a
/// full URL under `base_url`.
pub struct AbsoluteFn(pub Arc<SiteIndex>);
impl Function for AbsoluteFn {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = args.get("path").and_then(Value::as_str).ok_or_else(|| {
            tera::Error::msg(
                "`absolute` needs a string argument `path`, like absolute(path=\"/img/map.png\")",
            )
        })?;
        absolute(&self.0, "absolute", path).map(Value::String)
    }
    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(base: Option<&str>) -> SiteIndex {
        SiteIndex {
            base_url: base.map(str::to_owned),
            ..SiteIndex::default()
        }
    }

    #[test]
    fn one_slash_between_base_and_path() {
        for base in ["https://a.org/x", "https://a.org/x/"] {
            for path in ["/img/a.png", "img/a.png"] {
                assert_eq!(join(base, path), "https://a.org/x/img/a.png");
            }
        }
        assert_eq!(join("https://a.org/", "/"), "https://a.org/");
    }

    #[test]
    fn absolute_urls_need_a_base_url() {
        let with = index(Some("https://a.org/"));
        assert_eq!(
            absolute(&with, "absolute", "/p/").unwrap(),
            "https://a.org/p/"
        );
        assert_eq!(
            absolute(&with, "absolute", "https://b.org/").unwrap(),
            "https://b.org/"
        );
        let message = absolute(&index(None), "asset", "/p/")
            .unwrap_err()
            .to_string();
        assert!(message.starts_with("`asset` makes an absolute URL, which needs `base_url`"));
    }
}
