//! Every command's wiring, one file each: `build`, `check`, `init`, `new`, `watch` and `serve`.
//! A command turns its arguments into calls on the libraries (the build core, `output`,
//! `scaffold`, `watch`, `serve`) and prints what they hand back through [`report`]. Nothing
//! outside this module (and `main.rs`) imports it.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod report;
#[cfg(feature = "serve")]
pub mod serve;
#[cfg(not(feature = "serve"))]
pub mod serve {
    //! `dossier serve` in a dossier built without the dev server: says how to get it.

    use crate::cli::ServeArgs;
    use crate::error::{Diagnostic, Diagnostics};

    pub fn run(_: &ServeArgs) -> Result<(), Diagnostics> {
        Err(
            Diagnostic::error("", "this dossier was built without the dev server")
                .with_hint("build it with the default features: cargo install --path .")
                .into(),
        )
    }
}
pub mod watch;

use crate::cli::SiteArgs;
use crate::config::Overrides;
use crate::site::BuildOptions;

/// The build options a command line asks for.
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
