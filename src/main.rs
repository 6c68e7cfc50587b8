//! The `dossier` binary: parses the command line, runs the command, prints problems and sets the
//! exit code (0 on success, 1 on any user error). All logic lives in the library.

use clap::Parser;
use dossier::cli::{Cli, Command};
use dossier::cmd;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: a build allocates and frees many mid-sized strings
/// from several threads at once, which glibc's allocator spends about a quarter of the CPU on.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Templates are rendered on this thread and on rayon's; their depth guard
    // (render/depth.rs) needs every one of them to have a known stack.
    let stack = dossier::render::depth::RENDER_STACK;
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(stack)
        .build_global();
    let command = std::thread::Builder::new()
        .name("dossier".into())
        .stack_size(stack)
        .spawn(run);
    match command.map(std::thread::JoinHandle::join) {
        Ok(Ok(code)) => code,
        // A panic has printed its message already.
        Ok(Err(_)) => ExitCode::from(101),
        Err(err) => {
            eprintln!("error: cannot start: {err}");
            ExitCode::from(1)
        }
    }
}

fn run() -> ExitCode {
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
