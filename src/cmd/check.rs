//! `dossier check`: a full build into a temporary folder plus the checks a build skips, and with
//! `--external` the links to other sites.

use super::build_options;
use super::report::{print_warnings, summary, TerminalProgress};
use crate::cli::CheckArgs;
use crate::error::{Diagnostic, Diagnostics};
use crate::output::write_site;
use crate::site::{build, Built};
use std::time::Instant;

/// `dossier check`.
pub fn run(check: &CheckArgs) -> Result<(), Diagnostics> {
    let args = &check.site;
    args.refuse_output("check")?;
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
    anstream::println!("{}", summary("Checked", built.stats, started, None));
    if check.external {
        check_external(check, &built)?;
    }
    Ok(())
}

/// `check --external`: every link to another site, reported where it was written.
#[cfg(feature = "external-links")]
fn check_external(check: &CheckArgs, built: &Built) -> Result<(), Diagnostics> {
    use crate::config::Overrides;
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
