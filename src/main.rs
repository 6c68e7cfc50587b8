//! The `dossier` binary: parses the command line, runs the command, prints problems and sets the
//! exit code (0 on success, 1 on any user error). All logic lives in the library.

use clap::Parser;
use dossier::cli::{Cli, Command};
use dossier::commands;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let (result, closing) = match &cli.command {
        Command::Build(args) => (commands::run_build(args), BUILD_FAILED),
        Command::Check(args) => (
            args.refuse_output("check")
                .map_err(Into::into)
                .and_then(|()| commands::run_check(args)),
            "check failed: {count}",
        ),
        Command::Init(args) => (commands::run_init(args), ""),
        Command::New(args) => (commands::run_new(args), ""),
        Command::Watch(args) => (dossier::watch::run(args), BUILD_FAILED),
        Command::Serve(args) => (
            args.site
                .refuse_output("serve")
                .map_err(Into::into)
                .and_then(|()| serve(args)),
            "",
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(diagnostics) => {
            commands::print_diagnostics(&diagnostics, closing);
            ExitCode::from(1)
        }
    }
}

/// What follows the error count when a build to disk fails.
const BUILD_FAILED: &str = "build failed: {count}; the output folder was left as it was";

#[cfg(feature = "serve")]
fn serve(args: &dossier::cli::ServeArgs) -> Result<(), dossier::error::Diagnostics> {
    dossier::serve::run(args)
}

#[cfg(not(feature = "serve"))]
fn serve(_: &dossier::cli::ServeArgs) -> Result<(), dossier::error::Diagnostics> {
    Err(
        dossier::error::Diagnostic::error("", "this dossier was built without the dev server")
            .with_hint("build it with the default features: cargo install --path .")
            .into(),
    )
}
