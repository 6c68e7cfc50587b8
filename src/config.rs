//! The typed `site.yaml`: what a site is called, its language, its optional `base_url`, and the
//! few switches that change the output. Validation lives here; nothing here knows about pages.

use crate::error::Diagnostic;
use crate::yaml::{self, Embedding};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The name of the settings file at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// Settings from `site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// BCP 47 language tag for `<html lang>`.
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub author: Option<String>,
    /// Only for what must be absolute: canonical links, Open Graph, sitemap. Internal links
    /// stay relative whatever this is.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Make links to folders end in `index.html`, so the site can be browsed from disk.
    #[serde(default)]
    pub browse_from_disk: bool,
    /// Link the first mention of a page's `known_as` names on every other page automatically.
    #[serde(default)]
    pub link_mentions: bool,
    /// Draw a share card (`share-card.png`, for `og:image`) beside every page.
    #[serde(default)]
    pub share_cards: bool,
    /// Write `/print/`, every page in reading order on one page, when the theme has
    /// `templates/print.html` (on unless `print_page: false`).
    #[serde(default = "yes")]
    pub print_page: bool,
    /// Highlight fenced code blocks that name their language (on unless `highlight_code: false`,
    /// which writes them as plain `<pre><code>`).
    #[serde(default = "yes")]
    pub highlight_code: bool,
    /// Free-form values for templates (`site.extra`).
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// What makes `url` unusable as a base URL, if anything. It is put in front of site-root links
/// in attributes and in the sitemap, so it must be a plain absolute http(s) URL: a host, an
/// optional path, and only characters that URLs allow (anything else percent-encoded).
pub fn url_problem(url: &str) -> Option<String> {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Some("is not an absolute http(s) URL".to_owned());
    };
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') {
        return Some("has no host name".to_owned());
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~:/[]@!$()*+,;=%".contains(c);
    if let Some(bad) = url.chars().find(|&c| !allowed(c)) {
        return Some(match bad {
            '?' | '#' => {
                format!("has a query or fragment (`{bad}`); a base URL is the address of a folder")
            }
            c if c.is_control() || c.is_whitespace() => format!(
                "contains the character U+{:04X}, which URLs do not allow; percent-encode it",
                u32::from(c)
            ),
            c => format!("contains `{c}`, which URLs do not allow; percent-encode it"),
        });
    }
    None
}

/// The shape of a BCP 47 tag: a language of two or three letters, then subtags of one to eight
/// letters or digits (`en`, `en-GB`, `zh-Hant-TW`, `de-CH-1996`). Private tags (`x-…`) pass too.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or_default();
    let language = (2..=3).contains(&first.len()) && first.chars().all(|c| c.is_ascii_alphabetic());
    let private = first.eq_ignore_ascii_case("x") || first.eq_ignore_ascii_case("i");
    (language || private)
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn yes() -> bool {
    true
}

fn default_language() -> String {
    "en".to_owned()
}

/// Settings given on the command line, which win over `site.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--base-url`: the address the site is published at, for this build only.
    pub base_url: Option<String>,
}

impl SiteConfig {
    /// Reads `site.yaml` under `root`, applies the command line's `overrides`, and validates.
    pub fn load_with(root: &Path, overrides: &Overrides) -> Result<SiteConfig, Vec<Diagnostic>> {
        let mut config = SiteConfig::load(root)?;
        if let Some(base) = &overrides.base_url {
            if let Some(problem) = url_problem(base) {
                return Err(vec![Diagnostic::error(
                    "",
                    format!("--base-url `{base}` {problem}"),
                )
                .with_hint(
                    "write it in full, like `--base-url https://example.org/explainer/`",
                )]);
            }
            config.base_url = Some(base.clone());
        }
        Ok(config)
    }

    /// Reads and validates `site.yaml` under `root`.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let shown = Path::new(CONFIG_FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text.trim_start_matches('\u{feff}').replace("\r\n", "\n"),
                Err(err) => {
                    let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
                    let text = String::from_utf8_lossy(err.as_bytes());
                    let prefix = String::from_utf8_lossy(valid);
                    let line = prefix.matches('\n').count() + 1;
                    let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    return Err(vec![Diagnostic::error(shown, "site.yaml is not valid UTF-8")
                        .at(&text, line, column)
                        .with_hint("save the file as UTF-8")]);
                }
            },
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(vec![Diagnostic::error(
                    shown,
                    format!("no site.yaml in {}", root.display()),
                )
                .with_hint("run dossier in the site's folder, pass --root DIR, or create one with `dossier init DIR`")])
            }
            Err(err) => {
                return Err(vec![Diagnostic::error(shown, format!("cannot read: {err}"))])
            }
        };
        let embedding = Embedding {
            file_text: &text,
            first_line: 0,
        };
        let config: SiteConfig = yaml::parse(shown, &text, embedding).map_err(|d| vec![d])?;
        let problems = config.validate(&text);
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    fn validate(&self, text: &str) -> Vec<Diagnostic> {
        let shown = Path::new(CONFIG_FILE);
        let at_key = |key: &str, d: Diagnostic| match yaml::key_position(text, key) {
            Some((line, column)) => d.at(text, line, column),
            None => d,
        };
        let mut problems = Vec::new();
        if self.title.trim().is_empty() {
            problems.push(at_key(
                "title",
                Diagnostic::error(shown, "the site title is empty")
                    .with_hint("give the site a title: `title: My explainer`"),
            ));
        }
        if let Some(base) = &self.base_url {
            if let Some(problem) = url_problem(base) {
                problems.push(at_key(
                    "base_url",
                    Diagnostic::error(shown, format!("base_url `{base}` {problem}"))
                        .with_hint("write a plain absolute URL like `https://example.org/explainer/` (percent-encode anything else), or leave it out: internal links never need it"),
                ));
            }
        }
        if !is_language_tag(&self.language) {
            let hint = match crate::language::tag_for_name(&self.language) {
                Some(tag) => {
                    format!("did you mean `{tag}`? Use a BCP 47 tag like `en`, `en-GB` or `fr`")
                }
                None => "use a BCP 47 tag like `en`, `en-GB` or `fr`".to_owned(),
            };
            problems.push(at_key(
                "language",
                Diagnostic::error(shown, format!("`{}` is not a language tag", self.language))
                    .with_hint(hint),
            ));
        }
        problems
    }

    /// `base_url` with exactly one trailing slash, if set.
    pub fn base_url_with_slash(&self) -> Option<String> {
        self.base_url
            .as_ref()
            .map(|b| format!("{}/", b.trim_end_matches('/')))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(yaml: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), yaml).unwrap();
        SiteConfig::load(dir.path())
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let c = load("title: T\n").unwrap();
        assert_eq!(c.language, "en");
        assert!(!c.browse_from_disk);
        assert_eq!(c.base_url, None);
        assert!(c.highlight_code);
    }

    #[test]
    fn highlight_code_is_a_bool_and_a_wrong_type_is_located() {
        assert!(
            !load("title: T\nhighlight_code: false\n")
                .unwrap()
                .highlight_code
        );
        let errs = load("title: T\nhighlight_code: sometimes\n").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].line, errs[0].column), (2, 17));
        assert_eq!(
            errs[0].message,
            "highlight_code: invalid type: string \"sometimes\", expected a boolean"
        );
    }

    #[test]
    fn unknown_key_names_the_key_its_line_and_the_nearest_key() {
        let errs = load("title: T\nbase_ulr: https://x/\n").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].line, errs[0].column), (2, 1));
        assert!(errs[0].message.contains("base_ulr"));
        assert!(errs[0].hint.as_deref().unwrap().contains("`base_url`"));
    }

    #[test]
    fn relative_base_url_is_refused() {
        let errs = load("title: T\nbase_url: example.org\n").unwrap_err();
        assert_eq!(errs[0].line, 2);
    }

    #[test]
    fn the_command_line_base_url_wins_and_is_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "title: T\nbase_url: https://a.org/\n",
        )
        .unwrap();
        let overrides = Overrides {
            base_url: Some("https://b.org/x/".into()),
        };
        let c = SiteConfig::load_with(dir.path(), &overrides).unwrap();
        assert_eq!(c.base_url.as_deref(), Some("https://b.org/x/"));
        let bad = Overrides {
            base_url: Some("b.org".into()),
        };
        let errs = SiteConfig::load_with(dir.path(), &bad).unwrap_err();
        assert!(errs[0].message.starts_with("--base-url `b.org`"));
    }

    #[test]
    fn language_must_be_a_bcp47_tag() {
        for good in ["en", "en-GB", "fr", "zh-Hant-TW", "de-CH-1996", "x-klingon"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in [
            "english",
            "",
            "en GB",
            "e",
            "en-",
            "en_GB",
            "en-toolongsubtag",
        ] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn base_url_gets_one_trailing_slash() {
        let c = load("title: T\nbase_url: https://e.org/x//\n").unwrap();
        assert_eq!(c.base_url_with_slash().unwrap(), "https://e.org/x/");
    }
}
