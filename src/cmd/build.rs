//! `dossier build`: builds the site and writes it to the output folder.

use super::build_options;
use super::report::{print_warnings, summary, TerminalProgress};
use crate::cli::SiteArgs;
use crate::error::Diagnostics;
use crate::output::write_site;
use crate::site::build;
use std::time::Instant;

/// `dossier build`.
pub fn run(args: &SiteArgs) -> Result<(), Diagnostics> {
    let started = Instant::now();
    let options = build_options(args, false);
    let built = build(&options, &TerminalProgress::new())?;
    let output = args.output_dir();
    write_site(&built.files, &output, &args.root).map_err(Diagnostics::from)?;
    print_warnings(&built.warnings);
    anstream::println!("{}", summary("Built", &built, started, Some(&output)));
    Ok(())
}
