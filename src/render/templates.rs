//! Loading `templates/` into Tera once, with every syntax error of every file reported, and
//! turning Tera's errors into messages that point into the user's template.

use crate::error::{nearest, Diagnostic, Diagnostics};
use std::collections::BTreeMap;
use std::error::Error as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tera::Tera;

/// The folder under the site root that holds the templates.
pub const TEMPLATES_DIR: &str = "templates";
/// Shortcode templates live in this subfolder of `templates/`.
pub const SHORTCODES_DIR: &str = "shortcodes";

/// Every template of the site, parsed.
#[derive(Clone)]
pub struct Templates {
    pub(crate) tera: Tera,
    /// Template name → source, for pointing errors at lines.
    sources: BTreeMap<String, String>,
}

impl Templates {
    /// Loads every `*.html` and `*.xml` file under `root/templates`.
    pub fn load(root: &Path) -> Result<Templates, Diagnostics> {
        let (sources, problems) = read_sources(root);
        Templates::parse(sources, problems)
    }

    /// Loads the templates like [`Templates::load`], but hands back `previous` itself when every
    /// template file reads exactly as it did when `previous` was loaded: parsing the templates
    /// is most of a small site's rebuild, and the result depends only on their text.
    pub fn load_reusing(
        root: &Path,
        previous: Option<&Arc<Templates>>,
    ) -> Result<Arc<Templates>, Diagnostics> {
        let (sources, problems) = read_sources(root);
        match previous {
            Some(previous) if problems.is_empty() && previous.sources == sources => {
                Ok(previous.clone())
            }
            _ => Templates::parse(sources, problems).map(Arc::new),
        }
    }

    /// Parses the templates read, every syntax error of every file at once.
    fn parse(
        sources: BTreeMap<String, String>,
        mut problems: Diagnostics,
    ) -> Result<Templates, Diagnostics> {
        let templates = Templates {
            tera: Tera::default(),
            sources,
        };
        for (name, source) in &templates.sources {
            if let Some(problem) = super::nesting::check(&shown(name), source) {
                problems.push(problem);
                continue;
            }
            match tera::Template::new(name, None, source) {
                Ok(parsed) => {
                    if let Some(problem) = super::traps::check(&shown(name), &parsed, source) {
                        problems.push(problem);
                    }
                }
                Err(err) => problems.push(templates.diagnostic(name, &err)),
            }
        }
        if problems.has_errors() {
            return Err(problems.sorted());
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        if let Err(err) = tera.add_raw_templates(templates.sources.iter()) {
            let name = quoted_names(&chain(&err))
                .into_iter()
                .find(|n| templates.sources.contains_key(n));
            let name = name.unwrap_or_default();
            return Err(templates.diagnostic(&name, &err).into());
        }
        let parsed: BTreeMap<String, tera::Template> = templates
            .sources
            .keys()
            .filter_map(|name| Some((name.clone(), tera.get_template(name).ok()?.clone())))
            .collect();
        let recursions = super::cycles::find(&parsed, &templates.sources);
        if !recursions.is_empty() {
            let mut problems = Diagnostics::new();
            for problem in recursions {
                problems.push(problem);
            }
            return Err(problems.sorted());
        }
        super::depth::install(&mut tera);
        tera.register_function(super::page_error::NAME, super::page_error::page_error);
        Ok(Templates { tera, ..templates })
    }

    /// Every template's name and source, in name order (for fingerprinting the template set).
    pub fn sources(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sources.iter().map(|(n, s)| (n.as_str(), s.as_str()))
    }

    /// The source of the template `name`.
    pub fn source(&self, name: &str) -> Option<&str> {
        self.sources.get(name).map(String::as_str)
    }

    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Names of the templates that pages may use (not shortcodes).
    pub fn page_template_names(&self) -> impl Iterator<Item = &str> {
        self.sources
            .keys()
            .map(String::as_str)
            .filter(|n| !n.starts_with(SHORTCODES_DIR))
    }

    /// Names of the shortcodes (`shortcodes/quote.html` → `quote`).
    pub fn shortcode_names(&self) -> impl Iterator<Item = &str> {
        self.sources.keys().filter_map(|n| {
            n.strip_prefix(SHORTCODES_DIR)?
                .strip_prefix('/')?
                .strip_suffix(".html")
        })
    }

    /// The template of a shortcode.
    pub fn shortcode_template(name: &str) -> String {
        format!("{SHORTCODES_DIR}/{name}.html")
    }

    /// A Tera error as a diagnostic pointing into the template `name` (or whichever template
    /// the error names).
    pub fn diagnostic(&self, name: &str, err: &tera::Error) -> Diagnostic {
        if let Some(problem) = super::data::data_problem(err) {
            return problem;
        }
        let messages = chain(err);
        if let Some(diagnostic) = self.too_deep(name, &messages) {
            return diagnostic;
        }
        let named = quoted_names(&messages)
            .into_iter()
            .rev()
            .find(|n| self.sources.contains_key(n))
            .unwrap_or_else(|| name.to_owned());
        let message = messages
            .iter()
            .rev()
            .find(|m| !m.starts_with("Failed to render") && !m.starts_with("Failed to parse"))
            .or(messages.last())
            .cloned()
            .unwrap_or_default();
        let message = message.lines().next().unwrap_or_default().trim().to_owned();
        let mut named = named;
        let mut position = parse_position(&messages);
        let culprit = super::culprit::locate(self, &named, &message).or_else(|| {
            // `{% extends "missing.html" %}`, reported when the templates are loaded.
            let parent = message
                .split("inheriting from '")
                .nth(1)?
                .split('\'')
                .next()?;
            super::culprit::find_text(self, &named, &format!("\"{parent}\""))
                .or_else(|| super::culprit::find_text(self, &named, &format!("'{parent}'")))
        });
        if let (None, Some((template, offset))) = (position, culprit) {
            named = template;
            position = self
                .source(&named)
                .map(|source| crate::error::line_column(source, offset));
        }
        if position.is_none() {
            // A render error names the child template; the culprit may sit in a parent.
            let in_named = self
                .sources
                .get(&named)
                .and_then(|s| find_culprit(s, &message));
            position = in_named.or_else(|| {
                self.sources.iter().find_map(|(name, source)| {
                    let found = find_culprit(source, &message)?;
                    named = name.clone();
                    Some(found)
                })
            });
        }
        let source = self.sources.get(&named).map_or("", String::as_str);
        let mut diagnostic = Diagnostic::error(shown(&named), tera_message(&messages, &message));
        if let Some((line, column)) = position {
            diagnostic = diagnostic.at(source, line, column);
        }
        diagnostic.with_hint(hint_for(&message, self))
    }
}

impl Templates {
    /// The error for a recursion stopped by the depth guard, if `messages` report one.
    fn too_deep(&self, rendered: &str, messages: &[String]) -> Option<Diagnostic> {
        let (file, name) = messages
            .iter()
            .find_map(|m| super::depth::runaway_macro(m))?;
        let parsed: BTreeMap<String, tera::Template> = self
            .tera
            .templates
            .iter()
            .filter(|(name, _)| self.sources.contains_key(*name))
            .map(|(name, template)| (name.clone(), template.clone()))
            .collect();
        Some(super::cycles::too_deep(
            &parsed,
            &self.sources,
            rendered,
            file,
            name,
        ))
    }
}

/// The template (searching from `start`, then its parents, then all) and byte offset where
/// `needle` is written.
pub fn find_in_templates(
    templates: &Templates,
    start: &str,
    needle: &str,
) -> Option<(String, usize)> {
    super::culprit::find_text(templates, start, needle)
}

/// Every template file's text by name (`shortcodes/quote.html`), and the files that could not be
/// read.
fn read_sources(root: &Path) -> (BTreeMap<String, String>, Diagnostics) {
    let dir = root.join(TEMPLATES_DIR);
    let mut problems = Diagnostics::new();
    let mut sources = BTreeMap::new();
    let inside = dir.canonicalize().ok();
    if let Some(inside) = inside.filter(|_| dir.is_dir()) {
        let mut walker = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .follow_links(true)
            .into_iter();
        while let Some(entry) = walker.next() {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    problems.push(Diagnostic::error(
                        TEMPLATES_DIR,
                        format!("cannot read: {err}"),
                    ));
                    continue;
                }
            };
            let name = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let name = name.to_string_lossy().replace('\\', "/");
            if entry.path_is_symlink() {
                if let Some(problem) = leads_out(entry.path(), &inside, &name) {
                    problems.push(problem);
                    if entry.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    continue;
                }
            }
            let file_name = entry.file_name().to_string_lossy();
            if !entry.file_type().is_file()
                || crate::content::is_ignored_name(&file_name)
                || !(name.ends_with(".html") || name.ends_with(".xml"))
            {
                continue;
            }
            match std::fs::read_to_string(entry.path()) {
                Ok(text) => {
                    sources.insert(name, text.replace("\r\n", "\n"));
                }
                Err(err) => problems.push(Diagnostic::error(
                    shown(&name),
                    format!("cannot read: {err}"),
                )),
            }
        }
    }
    (sources, problems)
}

/// The error for the symlink `name` of `templates/` when its canonical target lies outside the
/// folder (`inside`, canonical): a template can put any file it reads into a page.
fn leads_out(path: &Path, inside: &Path, name: &str) -> Option<Diagnostic> {
    let target = path.canonicalize().ok()?;
    if target.starts_with(inside) {
        return None;
    }
    let written = std::fs::read_link(path).unwrap_or(target);
    Some(
        Diagnostic::error(
            shown(name),
            format!(
                "this symlink points to `{}`, outside the site's templates/ folder",
                written.display()
            ),
        )
        .with_hint("copy the template into templates/ instead; dossier reads templates only from there, so nothing from elsewhere ends up in a page"),
    )
}

fn shown(name: &str) -> PathBuf {
    Path::new(TEMPLATES_DIR).join(name)
}

/// Escapes text for HTML, leaving `/` alone so URLs stay readable.
fn escape_html(input: &str) -> String {
    crate::markdown::escape_attribute(input).replace('\'', "&#39;")
}

/// The messages of an error and its sources, outermost first.
fn chain(err: &tera::Error) -> Vec<String> {
    let mut messages = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        messages.push(s.to_string());
        source = s.source();
    }
    messages
}

/// Template names quoted like `'page.html'` in the messages, in order.
fn quoted_names(messages: &[String]) -> Vec<String> {
    messages
        .iter()
        .flat_map(|m| {
            m.split('\'')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The ` --> line:col` that Tera's parser puts in its messages.
fn parse_position(messages: &[String]) -> Option<(usize, usize)> {
    messages.iter().find_map(|m| {
        let rest = m.split("--> ").nth(1)?;
        let (line, rest) = rest.split_once(':')?;
        let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((line.trim().parse().ok()?, column.parse().ok()?))
    })
}

/// Where the first backticked name of `message` appears in the template.
fn find_culprit(source: &str, message: &str) -> Option<(usize, usize)> {
    let culprit = message.split('`').nth(1)?;
    let offset = source.find(culprit)?;
    Some(crate::error::line_column(source, offset))
}

fn tera_message(messages: &[String], message: &str) -> String {
    if message.contains("-->") || message.is_empty() {
        // A parse error: Tera's first line says what it expected.
        let detail = messages
            .iter()
            .flat_map(|m| m.lines())
            .find(|l| l.trim_start().starts_with("= "))
            .map(|l| l.trim_start().trim_start_matches("= ").to_owned());
        return format!(
            "template syntax error: {}",
            detail.unwrap_or_else(|| "cannot parse".into())
        );
    }
    message.to_owned()
}

fn hint_for(message: &str, templates: &Templates) -> String {
    if message.contains("not found in context") {
        "check the name against the context reference in docs/templates.md; test optional values with `is defined` or `| default(value=\"\")`".to_owned()
    } else if let Some(hint) = super::builtins::unknown_name_hint(message) {
        hint
    } else if message.contains("which doesn't exist") || message.contains("not found") {
        let wanted = message
            .split('\'')
            .nth(3)
            .or_else(|| message.split('\'').nth(1))
            .unwrap_or("");
        match nearest(wanted, templates.page_template_names()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "check the template name; templates live in templates/".to_owned(),
        }
    } else {
        "see the Tera documentation for the syntax: https://keats.github.io/tera/docs/".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(files: &[(&str, &str)]) -> Result<Templates, Diagnostics> {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(TEMPLATES_DIR).join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Templates::load(dir.path())
    }

    #[test]
    fn unchanged_templates_are_reused_and_a_changed_one_is_parsed_again() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join(TEMPLATES_DIR).join("page.html");
        std::fs::create_dir_all(page.parent().unwrap()).unwrap();
        std::fs::write(&page, "one {{ x }}").unwrap();
        let first = Templates::load_reusing(dir.path(), None).unwrap();
        let again = Templates::load_reusing(dir.path(), Some(&first)).unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        std::fs::write(&page, "two {{ x }}").unwrap();
        let changed = Templates::load_reusing(dir.path(), Some(&again)).unwrap();
        assert!(!Arc::ptr_eq(&first, &changed));
        assert_eq!(changed.source("page.html"), Some("two {{ x }}"));
        let mut context = tera::Context::new();
        context.insert("x", "y");
        assert_eq!(changed.tera.render("page.html", &context).unwrap(), "two y");
        std::fs::write(&page, "broken {{ x").unwrap();
        assert!(Templates::load_reusing(dir.path(), Some(&changed)).is_err());
    }

    #[test]
    fn every_syntax_error_is_reported_with_its_line() {
        let errs: Vec<_> = load(&[
            ("a.html", "ok\n{{ broken \n"),
            ("b.html", "line\nline\n{% if %}\n"),
            ("c.html", "fine"),
        ])
        .err()
        .unwrap()
        .into_iter()
        .collect();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].path, Path::new("templates/a.html"));
        assert_eq!(errs[0].line, 3, "{}", errs[0]);
        assert_eq!(errs[1].line, 3, "{}", errs[1]);
        assert!(
            errs[0].message.starts_with("template syntax error"),
            "{}",
            errs[0]
        );
    }

    #[test]
    fn missing_parent_template_is_reported() {
        let err = load(&[
            ("page.html", "{% extends \"bse.html\" %}"),
            ("base.html", ""),
        ])
        .err()
        .unwrap();
        let d = err.iter().next().unwrap();
        assert_eq!(d.path, Path::new("templates/page.html"), "{d}");
        assert!(d.hint.as_deref().unwrap().contains("base.html"), "{d}");
    }

    #[test]
    fn shortcode_names_come_from_the_folder() {
        let t = load(&[("shortcodes/quote.html", "q"), ("page.html", "p")]).unwrap();
        assert_eq!(t.shortcode_names().collect::<Vec<_>>(), ["quote"]);
        assert_eq!(t.page_template_names().collect::<Vec<_>>(), ["page.html"]);
    }

    #[test]
    fn escaping_keeps_slashes() {
        assert_eq!(escape_html("/a/<b>&'\""), "/a/&lt;b&gt;&amp;&#39;&quot;");
    }
}
