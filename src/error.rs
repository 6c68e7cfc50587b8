//! User-facing problems: a [`Diagnostic`] names a file, a line and a column, says what is wrong and
//! how to fix it, and renders like a compiler message. The build collects every diagnostic it finds
//! into [`Diagnostics`] instead of stopping at the first one.
//!
//! This module knows nothing about pages or templates; the other modules build diagnostics from
//! their own knowledge of where a problem sits.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors fail the build, warnings are only printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one place of the user's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as shown to the user (relative to the site root when possible).
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column (in characters); 0 when unknown.
    pub column: usize,
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// The offending line of the file, shown under the message.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error about a whole file (no line known).
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: 0,
            column: 0,
            message: message.into(),
            hint: None,
            source_line: None,
        }
    }

    /// A warning about a whole file.
    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    /// Points the diagnostic at a line and column of `text`, the file's contents, and keeps the
    /// line to show it.
    pub fn at(mut self, text: &str, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self.source_line = text
            .lines()
            .nth(line.saturating_sub(1))
            .filter(|_| line > 0)
            .map(str::to_owned);
        self
    }

    /// Points the diagnostic at a byte offset of `text`.
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let (line, column) = line_column(text, offset);
        self.at(text, line, column)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col`, leaving out what is unknown (empty for problems of no file).
    pub fn location(&self) -> String {
        let path = self.path.display();
        match (self.line, self.column) {
            (0, _) => format!("{path}"),
            (line, 0) => format!("{path}:{line}"),
            (line, column) => format!("{path}:{line}:{column}"),
        }
    }

    /// Renders the diagnostic with ANSI styles; callers strip them when not writing to a terminal.
    pub fn render_styled(&self) -> String {
        use anstyle::{AnsiColor, Style};
        let bold = Style::new().bold();
        let (label, colour) = match self.severity {
            Severity::Error => ("error", AnsiColor::Red),
            Severity::Warning => ("warning", AnsiColor::Yellow),
        };
        let label_style = Style::new().bold().fg_color(Some(colour.into()));
        let gutter = Style::new().bold().fg_color(Some(AnsiColor::Blue.into()));
        let location = self.location();
        let mut out = if location.is_empty() {
            format!(
                "{label_style}{label}{label_style:#}: {bold}{}{bold:#}\n",
                self.message
            )
        } else {
            format!(
                "{bold}{location}{bold:#}: {label_style}{label}{label_style:#}: {bold}{}{bold:#}\n",
                self.message
            )
        };
        if let Some(source) = &self.source_line {
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            out += &format!("{gutter}{pad} |{gutter:#}\n");
            out += &format!("{gutter}{number} |{gutter:#} {source}\n");
            if self.column > 0 {
                let caret_pad: String = source
                    .chars()
                    .take(self.column - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                out += &format!(
                    "{gutter}{pad} |{gutter:#} {caret_pad}{label_style}^{label_style:#}\n"
                );
            }
        }
        if let Some(hint) = &self.hint {
            out += &format!("  = {bold}help{bold:#}: {hint}\n");
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    /// The plain rendering, as printed when the output is not a terminal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let styled = self.render_styled();
        let mut plain = Vec::new();
        let mut stream = anstream::StripStream::new(&mut plain);
        std::io::Write::write_all(&mut stream, styled.as_bytes()).map_err(|_| fmt::Error)?;
        f.write_str(&String::from_utf8_lossy(&plain))
    }
}

/// Every problem a build found, in a stable order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Sorts by file, then position, then message, and drops exact repeats, so output does not
    /// depend on the order parallel work finished in.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (a.severity, &a.path, a.line, a.column, &a.message)
                .cmp(&(b.severity, &b.path, b.line, b.column, &b.message))
        });
        self.0.dedup();
        self
    }

    /// Ok when there is no error (warnings are kept for printing).
    pub fn into_result(self) -> Result<Diagnostics, Diagnostics> {
        if self.has_errors() {
            Err(self.sorted())
        } else {
            Ok(self.sorted())
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics(iter.into_iter().collect())
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

/// Shows `path` relative to `root` when it is inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let text = "a\nbé c\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 2), (2, 1));
        assert_eq!(line_column(text, 6), (2, 4));
    }

    #[test]
    fn plain_rendering_shows_location_line_caret_and_hint() {
        let d = Diagnostic::error("content/a.md", "unknown field `titel`")
            .at("---\ntitel: x\n---\n", 2, 1)
            .with_hint("did you mean `title`?");
        let text = d.to_string();
        assert!(text.starts_with("content/a.md:2:1: error: unknown field `titel`\n"));
        assert!(text.contains("2 | titel: x\n"));
        assert!(text.contains("  | ^\n"));
        assert!(text.contains("= help: did you mean `title`?"));
        assert!(!text.contains('\u{1b}'));
    }

    #[test]
    fn problems_of_no_file_have_no_location() {
        let d = Diagnostic::error("", "port 1111 is already in use").with_hint("use --port 0");
        assert_eq!(
            d.to_string(),
            "error: port 1111 is already in use\n  = help: use --port 0\n"
        );
    }

    #[test]
    fn nearest_finds_typos_only() {
        let keys = ["title", "description", "weight"];
        assert_eq!(nearest("titel", keys), Some("title"));
        assert_eq!(nearest("zzzz", keys), None);
    }
}
