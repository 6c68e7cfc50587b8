//! What each command does, in terms of the build core: `build`, `check`, `init` and `new`.
//! Printing goes through anstream, so colour appears only on a terminal.

use crate::cli::{CheckArgs, InitArgs, NewArgs, SiteArgs};
use crate::config::Overrides;
use crate::error::{Diagnostic, Diagnostics};
use crate::output::write_site;
use crate::site::{build, BuildOptions, Built, Progress};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

/// Builds bigger than this show a progress bar on a terminal.
const PROGRESS_THRESHOLD: usize = 300;

/// `dossier build`.
pub fn run_build(args: &SiteArgs) -> Result<(), Diagnostics> {
    let started = Instant::now();
    let options = build_options(args, false);
    let built = build(&options, &TerminalProgress::new())?;
    let output = args.output_dir();
    write_site(&built.files, &output, &args.root).map_err(Diagnostics::from)?;
    print_warnings(&built.warnings);
    anstream::println!("{}", summary("Built", &built, started, Some(&output)));
    Ok(())
}

/// `dossier check`: a full build into a temporary folder plus the checks a build skips, and with
/// `--external` the links to other sites.
pub fn run_check(check: &CheckArgs) -> Result<(), Diagnostics> {
    let args = &check.site;
    let started = Instant::now();
    let options = build_options(args, true);
    let built = build(&options, &TerminalProgress::new())?;
    let scratch = tempfile::tempdir().map_err(|e| {
        Diagnostics::from(Diagnostic::error(
            "",
            format!("cannot create a temporary folder: {e}"),
        ))
    })?;
    let output = scratch.path().join("public");
    write_site(&built.files, &output, &args.root).map_err(Diagnostics::from)?;
    print_warnings(&built.warnings);
    anstream::println!("{}", summary("Checked", &built, started, None));
    if check.external {
        check_external(check, &built)?;
    }
    Ok(())
}

/// `check --external`: every link to another site, reported where it was written.
#[cfg(feature = "external-links")]
fn check_external(check: &CheckArgs, built: &Built) -> Result<(), Diagnostics> {
    use crate::external::{self, ExternalOptions};
    use std::time::Duration;
    let root = &check.site.root;
    let overrides = Overrides {
        base_url: check.site.base_url.clone(),
    };
    let base_url = crate::config::SiteConfig::load_with(root, &overrides)
        .ok()
        .and_then(|config| config.base_url_with_slash());
    let options = ExternalOptions {
        timeout: Duration::from_secs(check.timeout),
        host_delay: Duration::from_millis(check.host_delay),
        concurrency: check.concurrency,
        max_age: Duration::from_secs(check.recheck_after * 86_400),
    };
    let report = external::check(root, &built.files, base_url.as_deref(), &options);
    let counted = format!(
        "Checked {} external link{}: {} asked, {} answered from {}",
        report.links,
        if report.links == 1 { "" } else { "s" },
        report.requested,
        report.links - report.requested,
        external::CACHE_DIR,
    );
    if report.diagnostics.has_errors() {
        anstream::println!("{counted}");
        return Err(report.diagnostics);
    }
    print_warnings(&report.diagnostics);
    anstream::println!("{counted}");
    Ok(())
}

/// `check --external` in a dossier built without the HTTP client.
#[cfg(not(feature = "external-links"))]
fn check_external(_check: &CheckArgs, _built: &Built) -> Result<(), Diagnostics> {
    Err(Diagnostics::from(
        Diagnostic::error(
            "",
            "this dossier was built without checking links to other sites",
        )
        .with_hint("build it with the default features (the `external-links` feature)"),
    ))
}

pub fn build_options(args: &SiteArgs, report_orphans: bool) -> BuildOptions {
    BuildOptions {
        root: args.root.clone(),
        drafts: args.drafts,
        report_orphans,
        overrides: Overrides {
            base_url: args.base_url.clone(),
        },
    }
}

/// The one line printed after a build.
pub fn summary(verb: &str, built: &Built, started: Instant, output: Option<&Path>) -> String {
    let s = built.stats;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let drawn = if s.cards_drawn > 0 {
        format!(", {} drawn", plural(s.cards_drawn, "share card"))
    } else {
        String::new()
    };
    let mut line = format!(
        "{verb} {}, {}, {} copied{drawn} in {} ms",
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

/// `dossier init DIR`.
pub fn run_init(args: &InitArgs) -> Result<(), Diagnostics> {
    let starter = if args.bare {
        crate::scaffold::Starter::Bare
    } else {
        crate::scaffold::Starter::Explainer
    };
    crate::scaffold::create_site(&args.dir, starter).map_err(Diagnostics::from)?;
    anstream::println!(
        "Created a new site in {dir}. Next: cd {dir} && dossier serve",
        dir = args.dir.display()
    );
    Ok(())
}

/// `dossier new PATH`.
pub fn run_new(args: &NewArgs) -> Result<(), Diagnostics> {
    let path = crate::scaffold::create_page(&args.root, &args.path, args.title.as_deref())
        .map_err(Diagnostics::from)?;
    anstream::println!("Created {}", path.display());
    Ok(())
}
