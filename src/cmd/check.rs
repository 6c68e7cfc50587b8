//! `dossier check`: a full build into a temporary folder plus the checks a build skips.

use super::build_options;
use super::report::{print_warnings, summary, TerminalProgress};
use crate::cli::SiteArgs;
use crate::error::{Diagnostic, Diagnostics};
use crate::output::write_site;
use crate::site::build;
use std::time::Instant;

/// `dossier check`: a full build into a temporary folder plus the checks a build skips.
pub fn run(args: &SiteArgs) -> Result<(), Diagnostics> {
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
    anstream::println!("{}", summary("Checked", &built, started, None));
    Ok(())
}
