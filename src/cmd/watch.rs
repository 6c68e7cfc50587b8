//! `dossier watch`: builds, writes the output folder, then rewrites what changed on every change.
//! The watching and rebuilding are the `watch` library's; this file wires them to the disk and
//! the terminal.

use super::build_options;
use super::report::{
    built_line, print_failure, print_trouble, print_warnings, rebuilt_line, TerminalProgress,
};
use crate::cli::SiteArgs;
use crate::error::Diagnostics;
use crate::watch::disk::DiskOutput;
use crate::watch::{RebuildOutcome, Rebuilder, Watcher};

/// `dossier watch`: builds, writes the output folder, then rewrites what changed on every change.
pub fn run(args: &SiteArgs) -> Result<(), Diagnostics> {
    let output = args.output_dir();
    crate::output::check_output_dir(&output, &args.root)?;
    // Watch before the first build, so that nothing saved while it runs is missed.
    let mut watcher = Watcher::new(&args.root, &output, print_trouble)?;
    let mut rebuilder = Rebuilder::new(build_options(args, false), None);
    let mut disk = DiskOutput::new(output.clone(), args.root.clone());
    let kept = "the output folder was left as it was";
    match rebuilder.rebuild(&TerminalProgress::new()) {
        RebuildOutcome::Built(rebuilt) => {
            disk.write(&rebuilt.snapshot, &rebuilt.diff)?;
            print_warnings(&rebuilt.warnings);
            let line = built_line(&rebuilt.stats, rebuilt.elapsed);
            anstream::println!("{line} → {}", output.display());
        }
        RebuildOutcome::Failed(diagnostics) => print_failure(None, &diagnostics, kept),
    }
    anstream::println!(
        "Watching {} for changes (Ctrl-C to stop)",
        args.root.display()
    );
    while let Some(mut change) = watcher.next_change() {
        let silent = &crate::site::Silent;
        let Some(outcome) = rebuilder.rebuild_watched(&mut change, &mut watcher, silent) else {
            break;
        };
        match outcome {
            RebuildOutcome::Built(rebuilt) => match disk.write(&rebuilt.snapshot, &rebuilt.diff) {
                Ok(()) => {
                    print_warnings(&rebuilt.warnings);
                    anstream::println!("{}", rebuilt_line(&change, &rebuilt));
                }
                Err(d) => print_failure(
                    Some(&change),
                    &d.into(),
                    "writing is tried again on the next change",
                ),
            },
            RebuildOutcome::Failed(diagnostics) => print_failure(Some(&change), &diagnostics, kept),
        }
    }
    Ok(())
}
