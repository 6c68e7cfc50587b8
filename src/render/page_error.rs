//! `page_error(key="extra.photo", message="…", hint="…")`: a template's way to say that the
//! page being rendered is wrong, not the template. Tera's `throw` can only be reported at the
//! template's line; this is reported at the page's file, at the front matter line of `key`
//! (`extra.photo` is the `photo:` line under `extra:`), with the hint, like every other mistake
//! in a page. The function fails the render with a [`PageProblem`] carried by the Tera error;
//! the page's renderer ([`page_problem`]) places it. Called from a shortcode's template, it is
//! reported at the page's call of the shortcode (the body pass places it there, with the
//! message and hint as given: [`PageProblem::in_shortcode`]). Outside a page (a tag page, the
//! print page) it is reported at the template, like `throw`.

use crate::content::front_matter;
use crate::error::Diagnostic;
use crate::yaml::key_position;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// The name templates call.
pub const NAME: &str = "page_error";

/// What `page_error` was asked to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageProblem {
    /// The front matter key the mistake is about, dotted (`extra.photo`); empty for the page.
    pub key: String,
    pub message: String,
    pub hint: Option<String>,
}

impl std::fmt::Display for PageProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PageProblem {}

impl PageProblem {
    /// The error at the page whose file is `shown` and whose text is `text`: at the line and
    /// column of `key` in its front matter, else at its first line.
    pub fn diagnostic(&self, shown: &Path, text: &str) -> Diagnostic {
        let position = front_matter::split(shown, text).ok().and_then(|split| {
            let (line, column) = dotted_key_position(split.yaml, &self.key)?;
            Some((line + split.yaml_first_line, column))
        });
        let (line, column) = position.unwrap_or((1, 1));
        let diagnostic = Diagnostic::error(shown, self.message.clone()).at(text, line, column);
        match &self.hint {
            Some(hint) => diagnostic.with_hint(hint.clone()),
            None => diagnostic,
        }
    }
}

impl PageProblem {
    /// The message and hint of a problem a shortcode's template reported, for the body pass to
    /// place at the shortcode's call in the page.
    pub fn in_shortcode(&self) -> (String, String) {
        (self.message.clone(), self.hint.clone().unwrap_or_default())
    }
}

/// `page_error(…)`: always fails, with the [`PageProblem`] its arguments describe.
pub fn page_error(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = |name: &str| args.get(name).and_then(Value::as_str).map(str::to_owned);
    let Some(message) = text("message") else {
        return Err(tera::Error::msg(format!(
            "`{NAME}` needs a string argument `message`, like {NAME}(key=\"extra.photo\", message=\"…\", hint=\"…\")"
        )));
    };
    let problem = PageProblem {
        key: text("key").unwrap_or_default(),
        message,
        hint: text("hint"),
    };
    Err(tera::Error::chain(
        format!("{NAME}: {}", problem.message),
        problem,
    ))
}

/// The page problem behind a render error, if a template called `page_error`.
pub fn page_problem(err: &tera::Error) -> Option<&PageProblem> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(error) = source {
        if let Some(problem) = error.downcast_ref::<PageProblem>() {
            return Some(problem);
        }
        source = error.source();
    }
    None
}

/// Line and column (1-based, within `yaml`) of a dotted key: each part is looked for below the
/// line of the part before it.
fn dotted_key_position(yaml: &str, dotted: &str) -> Option<(usize, usize)> {
    let mut found = None;
    let mut skipped = 0;
    for part in dotted.split('.').filter(|p| !p.is_empty()) {
        let rest: String = yaml.lines().skip(skipped).collect::<Vec<_>>().join("\n");
        let (line, column) = key_position(&rest, part)?;
        found = Some((line + skipped, column));
        skipped += line;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dotted_key_is_found_below_its_parent() {
        let yaml = "title: A\nphoto: top\nextra:\n  role: x\n  photo: \"a.png\"\n";
        assert_eq!(dotted_key_position(yaml, "extra.photo"), Some((5, 3)));
        assert_eq!(dotted_key_position(yaml, "photo"), Some((2, 1)));
        assert_eq!(dotted_key_position(yaml, "extra.nope"), None);
    }

    #[test]
    fn the_problem_is_placed_at_the_key_of_the_page() {
        let text = "---\ntitle: A\nextra:\n  photo: \"a.png\"\n---\nBody\n";
        let problem = PageProblem {
            key: "extra.photo".to_owned(),
            message: "no credit".to_owned(),
            hint: Some("add one".to_owned()),
        };
        let d = problem.diagnostic(Path::new("content/a.md"), text);
        assert_eq!((d.line, d.column), (4, 3));
        assert_eq!(d.message, "no credit");
        assert_eq!(d.hint.as_deref(), Some("add one"));
        let unplaced = PageProblem {
            key: "extra.gone".to_owned(),
            ..problem
        };
        let d = unplaced.diagnostic(Path::new("content/a.md"), text);
        assert_eq!((d.line, d.column), (1, 1));
    }

    #[test]
    fn the_error_carries_the_problem() {
        let args = HashMap::from([
            ("key".to_owned(), Value::from("extra.photo")),
            ("message".to_owned(), Value::from("no credit")),
        ]);
        let err = page_error(&args).unwrap_err();
        let wrapped = tera::Error::chain("Failed to render 'person.html'", err);
        let problem = page_problem(&wrapped).unwrap();
        assert_eq!(
            (problem.key.as_str(), problem.hint.as_ref()),
            ("extra.photo", None)
        );
        assert!(page_error(&HashMap::new()).is_err());
    }
}
