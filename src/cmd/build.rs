//! `dossier build`: builds the site straight into a staging folder beside the output, each file
//! written as soon as it is final, and swaps it in once the build found nothing wrong.

use super::build_options;
use super::report::{print_warnings, summary, TerminalProgress};
use crate::cli::SiteArgs;
use crate::error::Diagnostics;
use crate::output::Staging;
use crate::site::build_into;
use std::time::Instant;

/// `dossier build`.
pub fn run(args: &SiteArgs) -> Result<(), Diagnostics> {
    let started = Instant::now();
    let options = build_options(args, false);
    let output = args.output_dir();
    let staging = Staging::begin(&output, &args.root).map_err(Diagnostics::from)?;
    let (stats, warnings) = build_into(&options, &TerminalProgress::new(), &staging)?;
    print_warnings(&warnings);
    anstream::println!("{}", summary("Built", stats, started, Some(&output)));
    Ok(())
}
