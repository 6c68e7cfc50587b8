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
    let result = match &cli.command {
        Command::Build(args) => commands::run_build(args),
        Command::Check(args) => commands::run_check(args),
        Command::Init(args) => commands::run_init(args),
        Command::New(args) => commands::run_new(args),
        Command::Watch(args) => dossier::watch::run(args),
        Command::Serve(args) => dossier::serve::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(diagnostics) => {
            commands::print_diagnostics(&diagnostics);
            ExitCode::from(1)
        }
    }
}
