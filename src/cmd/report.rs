//! What the commands print on the terminal: diagnostics, warnings, the one line after a build or
//! a rebuild, and the progress bar. Printing goes through anstream, so colour appears only on a
//! terminal. The libraries (`site`, `watch`, `serve`) print nothing; they hand back values that
//! these functions word.

use crate::error::Diagnostics;
use crate::site::{Built, Progress, Stats};
use crate::watch::{Change, Rebuilt, Trouble};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};

/// Builds bigger than this show a progress bar on a terminal.
const PROGRESS_THRESHOLD: usize = 300;

/// The one line printed after a build.
pub fn summary(verb: &str, built: &Built, started: Instant, output: Option<&Path>) -> String {
    let s = built.stats;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let drawn = if s.cards_drawn > 0 {
        format!(", {} drawn", plural(s.cards_drawn, "share card"))
    } else {
        String::new()
    };
    let images = if s.images_processed + s.images_reused > 0 {
        format!(
            ", {} processed ({} reused)",
            plural(s.images_processed, "image"),
            s.images_reused
        )
    } else {
        String::new()
    };
    let mut line = format!(
        "{verb} {}, {}, {} copied{drawn}{images} in {} ms",
        plural(s.pages, "page"),
        plural(s.sections, "section"),
        plural(s.copied, "file"),
        started.elapsed().as_millis()
    );
    if let Some(output) = output {
        line += &format!(" → {}", output.display());
    }
    line
}

pub fn print_warnings(warnings: &Diagnostics) {
    for warning in warnings.iter() {
        anstream::eprint!("{}", warning.render_styled());
    }
}

/// Prints every diagnostic, then `closing` with `{count}` replaced by the count of errors
/// (`build failed: 2 errors; …`). An empty `closing` prints nothing after the diagnostics.
pub fn print_diagnostics(diagnostics: &Diagnostics, closing: &str) {
    for diagnostic in diagnostics.iter() {
        anstream::eprintln!("{}", diagnostic.render_styled());
    }
    let errors = diagnostics.error_count();
    if errors > 0 && !closing.is_empty() {
        let count = format!("{errors} error{}", if errors == 1 { "" } else { "s" });
        anstream::eprintln!("{}", closing.replace("{count}", &count));
    }
}

/// A progress bar on stderr, only on a terminal, outside CI, for long builds.
pub struct TerminalProgress {
    bar: std::sync::OnceLock<ProgressBar>,
    enabled: bool,
}

impl TerminalProgress {
    pub fn new() -> Self {
        TerminalProgress {
            bar: std::sync::OnceLock::new(),
            enabled: std::io::stderr().is_terminal() && std::env::var_os("CI").is_none(),
        }
    }
}

impl Default for TerminalProgress {
    fn default() -> Self {
        Self::new()
    }
}

impl Progress for TerminalProgress {
    fn start(&self, pages: usize) {
        if self.enabled && pages >= PROGRESS_THRESHOLD {
            let bar = ProgressBar::new(pages as u64);
            if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} pages") {
                bar.set_style(style);
            }
            let _ = self.bar.set(bar);
        }
    }
    fn advance(&self) {
        if let Some(bar) = self.bar.get() {
            bar.inc(1);
        }
    }
    fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}

/// The line printed after a rebuild: what changed, how many pages were rewritten, how long.
pub fn rebuilt_line(change: &Change, rebuilt: &Rebuilt) -> String {
    let pages = rebuilt.diff.pages();
    let mut line = format!(
        "{}: rebuilt in {} ms, {pages} page{} rewritten ({} re-rendered)",
        change.describe(),
        rebuilt.elapsed.as_millis(),
        if pages == 1 { "" } else { "s" },
        rebuilt.report.pages_rendered,
    );
    let others = rebuilt.diff.changed.len() - pages + rebuilt.diff.removed.len();
    if others > 0 {
        line += &format!(
            ", {others} other file{} changed",
            if others == 1 { "" } else { "s" }
        );
    }
    line
}

/// The first line printed when a site was built.
pub fn built_line(stats: &Stats, elapsed: Duration) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "Built {}, {}, {} copied in {} ms",
        plural(stats.pages, "page"),
        plural(stats.sections, "section"),
        plural(stats.copied, "file"),
        elapsed.as_millis()
    )
}

/// Prints the diagnostics of a failed rebuild and one line saying what was kept.
pub fn print_failure(change: Option<&Change>, diagnostics: &Diagnostics, kept: &str) {
    for diagnostic in diagnostics.iter() {
        anstream::eprintln!("{}", diagnostic.render_styled());
    }
    let errors = diagnostics.error_count();
    let what = change.map_or_else(|| "build".to_owned(), Change::describe);
    anstream::eprintln!(
        "{what}: build failed with {errors} error{}; {kept}",
        if errors == 1 { "" } else { "s" }
    );
}

/// Says what went wrong while watching; watching goes on.
pub fn print_trouble(trouble: Trouble) {
    match trouble {
        Trouble::EventsLost(error) => {
            anstream::eprintln!("warning: watching files: {error}; rebuilding everything");
        }
        Trouble::CannotWatch { path, error } => {
            anstream::eprintln!("warning: cannot watch {}: {error}", path.display());
        }
    }
}
