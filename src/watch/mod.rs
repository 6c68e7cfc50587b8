//! Watching a site and rebuilding it: `dossier watch`, and the loop that `serve` drives too.
//!
//! [`Watcher`] turns file events (notify, debounced by notify-debouncer-full, then coalesced
//! until the file system is quiet) into one [`Change`] per burst: an editor's atomic save, a
//! `git checkout` of a hundred files or a folder moved in give one rebuild, and swap files or the
//! output folder give none. [`Rebuilder`] runs the build core with a cache kept between builds
//! and takes a [`Snapshot`] of the result; what happens next is the caller's: `watch` writes the
//! changed files to the output folder, `serve` swaps the snapshot in and tells the browsers.
//!
//! This module must not serve HTTP or print: it hands back values (and [`Trouble`] to a callback)
//! that the command layer words. The build core must not know it exists.

pub mod change;
pub mod disk;
pub mod snapshot;

use crate::error::{Diagnostic, Diagnostics};
use crate::site::{build_with_cache, BuildCache, BuildOptions, Progress, Report, Stats};
pub use change::{Change, Filter, INPUT_DIRS};
use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
pub use snapshot::{Diff, Snapshot};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a path must be quiet before the debouncer reports it.
const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often the debouncer looks for quiet paths.
const TICK: Duration = Duration::from_millis(3);
/// How long after a batch of events to wait for more before rebuilding, so that a burst spread
/// over several debouncer ticks still gives one rebuild.
const SETTLE: Duration = Duration::from_millis(8);
/// The same once a change touches many files: a `git checkout` or a copy is under way, and
/// waiting a little longer for its end saves a second rebuild.
const SETTLE_BURST: Duration = Duration::from_millis(60);
/// How many changed paths make a burst.
const BURST: usize = 8;

/// File events on a site's inputs, as one [`Change`] per burst.
pub struct Watcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    events: Receiver<DebounceEventResult>,
    filter: Filter,
    root: PathBuf,
    /// Which of [`INPUT_DIRS`] have a recursive watch now.
    watched: [bool; INPUT_DIRS.len()],
    /// Where trouble goes: the caller words it.
    on_trouble: Box<dyn Fn(Trouble) + Send>,
}

/// Something that went wrong while watching. Watching goes on; the caller decides how to say it.
#[derive(Debug)]
pub enum Trouble {
    /// File events were lost; the next change rebuilds everything.
    EventsLost(notify::Error),
    /// An input folder could not be watched.
    CannotWatch { path: PathBuf, error: notify::Error },
}

/// A path made absolute and resolved, as file events name it.
fn resolved(path: &Path) -> PathBuf {
    path.canonicalize()
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

impl Watcher {
    /// Starts watching the site at `root`, ignoring everything under `output`. The site root is
    /// watched itself (not recursively) and each input folder recursively, so a folder deleted
    /// and created again, or a file saved by remove-then-create, is seen; the output folder and
    /// unrelated folders beside the site (`target/`, `.git/`) are never watched. Trouble while
    /// watching is handed to `on_trouble`.
    pub fn new(
        root: &Path,
        output: &Path,
        on_trouble: impl Fn(Trouble) + Send + 'static,
    ) -> Result<Watcher, Diagnostic> {
        let root = resolved(root);
        let (tx, events) = channel();
        let debouncer = new_debouncer(DEBOUNCE, Some(TICK), tx).map_err(watch_error(&root))?;
        let mut watcher = Watcher {
            debouncer,
            events,
            filter: Filter::new(root.clone(), resolved(output)),
            root,
            watched: [false; INPUT_DIRS.len()],
            on_trouble: Box::new(on_trouble),
        };
        watcher
            .debouncer
            .watch(&watcher.root, RecursiveMode::NonRecursive)
            .map_err(watch_error(&watcher.root))?;
        watcher.refresh(&Change::default());
        Ok(watcher)
    }

    /// Waits for the next change to the site's inputs; `None` once watching has stopped.
    pub fn next_change(&mut self) -> Option<Change> {
        loop {
            let mut change = Change::default();
            self.add(&mut change, self.events.recv().ok()?);
            loop {
                let settle = if change.paths.len() >= BURST {
                    SETTLE_BURST
                } else {
                    SETTLE
                };
                match self.events.recv_timeout(settle) {
                    Ok(more) => self.add(&mut change, more),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
            self.refresh(&change);
            if !change.is_empty() {
                return Some(change);
            }
        }
    }

    fn add(&self, change: &mut Change, result: DebounceEventResult) {
        match result {
            Ok(events) => {
                for event in events {
                    if event.need_rescan() {
                        change.rescan = true;
                    }
                    // Reading a file (as every build does) is no change.
                    if event.kind.is_access() {
                        continue;
                    }
                    for path in &event.paths {
                        if let Some(input) = self.filter.input(path) {
                            change.paths.insert(input);
                        }
                    }
                }
            }
            Err(errors) => {
                for error in errors {
                    (self.on_trouble)(Trouble::EventsLost(error));
                }
                change.rescan = true;
            }
        }
    }

    /// Watches each input folder that exists, again if it was removed or replaced.
    fn refresh(&mut self, change: &Change) {
        for (i, dir) in INPUT_DIRS.iter().enumerate() {
            let path = self.root.join(dir);
            let replaced = change.rescan || change.paths.contains(Path::new(dir));
            let exists = path.is_dir();
            if self.watched[i] && (replaced || !exists) {
                let _ = self.debouncer.unwatch(&path);
                self.watched[i] = false;
            }
            if exists && !self.watched[i] {
                match self.debouncer.watch(&path, RecursiveMode::Recursive) {
                    Ok(()) => self.watched[i] = true,
                    Err(error) => (self.on_trouble)(Trouble::CannotWatch { path, error }),
                }
            }
        }
    }
}

fn watch_error(root: &Path) -> impl Fn(notify::Error) -> Diagnostic + '_ {
    move |err| {
        Diagnostic::error(root, format!("cannot watch the site for changes: {err}"))
            .with_hint("on Linux, raise fs.inotify.max_user_watches if the limit is reached")
    }
}

/// A successful rebuild.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    pub snapshot: Arc<Snapshot>,
    /// What changed since the last successful build.
    pub diff: Diff,
    pub report: Report,
    pub stats: Stats,
    pub warnings: Diagnostics,
    pub elapsed: Duration,
}

/// What a rebuild gave: a new snapshot, or the diagnostics of a failed build (the last good
/// snapshot stays).
#[derive(Debug, Clone)]
pub enum RebuildOutcome {
    Built(Rebuilt),
    Failed(Diagnostics),
}

/// Builds the same site again and again, keeping what did not change.
pub struct Rebuilder {
    options: BuildOptions,
    cache: BuildCache,
    copies: snapshot::CopyCache,
    confine: Option<PathBuf>,
    last: Arc<Snapshot>,
    /// The snapshot before `last`, let go of when the next build starts rather than while a
    /// finished build is on its way to the browsers.
    retired: Option<Arc<Snapshot>>,
}

impl Rebuilder {
    /// With `confine`, copied files that resolve outside that folder are left out of snapshots.
    pub fn new(options: BuildOptions, confine: Option<PathBuf>) -> Self {
        Rebuilder {
            options,
            cache: BuildCache::default(),
            copies: Default::default(),
            confine,
            last: Arc::default(),
            retired: None,
        }
    }

    /// The build cache kept between builds (what it holds, for the dev server's accounts).
    pub fn cache(&self) -> &BuildCache {
        &self.cache
    }

    /// The snapshot of the last successful build (empty before the first).
    pub fn last(&self) -> &Arc<Snapshot> {
        &self.last
    }

    /// Builds the site again after `change`, the files changed since the last build (all of
    /// them, unless `change.rescan`): only those are looked at again.
    pub fn rebuild_after(&mut self, change: &Change, progress: &dyn Progress) -> RebuildOutcome {
        let known = (!change.rescan).then_some(&change.paths);
        self.cache.changes_known(known);
        self.build(progress)
    }

    /// Builds the site, looking at every file; on failure the last good snapshot stays.
    pub fn rebuild(&mut self, progress: &dyn Progress) -> RebuildOutcome {
        self.cache.changes_known(None);
        self.build(progress)
    }

    fn build(&mut self, progress: &dyn Progress) -> RebuildOutcome {
        let started = Instant::now();
        self.retired = None;
        // A bug in the build must not end watching: report it like any failed build.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            build_with_cache(&self.options, &mut self.cache, progress)
        }));
        let built = match result {
            Ok(Ok(built)) => built,
            Ok(Err(diagnostics)) => return RebuildOutcome::Failed(diagnostics),
            Err(_) => {
                self.cache.clear();
                let bug = Diagnostic::error(
                    "dossier",
                    "internal error while building (a bug in dossier)",
                )
                .with_hint(
                    "the message above says where; the next change builds again from scratch",
                );
                return RebuildOutcome::Failed(bug.into());
            }
        };
        let (snapshot, refused) =
            match snapshot::take(built.files, &mut self.copies, self.confine.as_deref()) {
                Ok(taken) => taken,
                Err(d) => return RebuildOutcome::Failed(d.into()),
            };
        let mut warnings = built.warnings;
        refused.into_iter().for_each(|d| warnings.push(d));
        let diff = snapshot::diff(&self.last, &snapshot);
        let before = std::mem::replace(&mut self.last, Arc::new(snapshot));
        self.retired = Some(before);
        RebuildOutcome::Built(Rebuilt {
            snapshot: self.last.clone(),
            diff,
            report: self.cache.report(),
            stats: built.stats,
            warnings,
            elapsed: started.elapsed(),
        })
    }
}
