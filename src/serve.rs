//! `dossier serve`: builds, serves on loopback, rebuilds on change and reloads the browser.

use crate::cli::ServeArgs;
use crate::error::{Diagnostic, Diagnostics};

pub fn run(_args: &ServeArgs) -> Result<(), Diagnostics> {
    Err(Diagnostic::error("", "serve is not available yet").into())
}
