//! `dossier watch`: rebuilds the output folder whenever an input changes.

use crate::cli::SiteArgs;
use crate::error::{Diagnostic, Diagnostics};

pub fn run(_args: &SiteArgs) -> Result<(), Diagnostics> {
    Err(Diagnostic::error("", "watch is not available yet").into())
}
