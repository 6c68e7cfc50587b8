//! The `dossier` binary: parses the command line, runs the command, prints problems and sets the
//! exit code (0 on success, 1 on any user error). All logic lives in the library.

use clap::Parser;
use dossier::cli::{Cli, Command};
use dossier::cmd;
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
        Command::Build(args) => (cmd::build::run(args), BUILD_FAILED),
        Command::Check(args) => (cmd::check::run(args), "check failed: {count}"),
        Command::Init(args) => (cmd::init::run(args), ""),
        Command::New(args) => (cmd::new::run(args), ""),
        Command::Watch(args) => (cmd::watch::run(args), BUILD_FAILED),
        Command::Serve(args) => (cmd::serve::run(args), ""),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(diagnostics) => {
            cmd::report::print_diagnostics(&diagnostics, closing);
            ExitCode::from(1)
        }
    }
}

/// What follows the error count when a build to disk fails.
const BUILD_FAILED: &str = "build failed: {count}; the output folder was left as it was";
