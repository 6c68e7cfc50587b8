//! Watching a site and rebuilding it: `dossier watch`, and the loop that `serve` drives too.
//!
//! [`Watcher`] turns file events (notify, debounced by notify-debouncer-full) into [`Change`]s and
//! [`Watcher::next_build`] gives one published rebuild per burst ([`burst`]: the build starts at
//! once and is abandoned if the burst goes on): an editor's atomic save, a `git checkout` of a
//! hundred files or a folder moved in give one rebuild, and swap files or the output folder give
//! none. [`Rebuilder`] runs the build core with a cache kept between builds and takes a
//! [`Snapshot`] of the result; what happens next is the caller's: `watch` writes the changed
//! files to the output folder, `serve` swaps the snapshot in and tells the browsers.
//!
//! This module must not serve HTTP or print: it hands back values (and [`Trouble`] to a callback)
//! that the command layer words. The build core must not know it exists.

pub mod burst;
pub mod change;
pub mod disk;
pub mod snapshot;

use crate::error::{Diagnostic, Diagnostics};
use crate::site::{build_with_cache, BuildCache, BuildOptions, Progress, Report, Stats};
pub use burst::{Events, Settled};
pub use change::{Change, Filter, INPUT_DIRS};
use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
pub use snapshot::{Diff, Snapshot};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, TryRecvError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a path must be quiet before the debouncer reports it. Short: the quiet a burst
/// needs before its rebuild is published is [`burst::SETTLE`], waited beside the build.
const DEBOUNCE: Duration = Duration::from_millis(4);
/// How often the debouncer looks for quiet paths.
const TICK: Duration = Duration::from_millis(2);

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

    /// Waits for the first events of the next change to the site's inputs (the rest of its
    /// burst is for [`Watcher::next_build`]); `None` once watching has stopped.
    pub fn next_change(&mut self) -> Option<Change> {
        loop {
            let mut change = Change::default();
            let first = self.events.recv().ok()?;
            if self.add_all(&mut change, first) && !change.is_empty() {
                return Some(change);
            }
        }
    }

    /// Waits for the next change and builds after it with `build`, at once; a build that more
    /// events of the same burst overtake is abandoned and the site built again (see
    /// [`burst`]), so a burst gives one published build. `None` once watching has stopped.
    pub fn next_build<T>(&mut self, build: impl FnMut(&Change) -> T) -> Option<Settled<T>> {
        let change = self.next_change()?;
        burst::settle(self, change, build)
    }

    /// Adds `first` and the batches already in to `change`; whether any is about an input.
    fn add_all(&mut self, change: &mut Change, first: DebounceEventResult) -> bool {
        let mut batch = Change::default();
        let mut any = self.add(&mut batch, first);
        while let Ok(more) = self.events.try_recv() {
            any |= self.add(&mut batch, more);
        }
        if any {
            self.refresh(&batch);
        }
        change.rescan |= batch.rescan;
        change.paths.append(&mut batch.paths);
        any
    }

    /// Adds one batch of events to `change`; whether any is about an input (a file written
    /// again that the change names already counts).
    fn add(&self, change: &mut Change, result: DebounceEventResult) -> bool {
        let mut any = false;
        match result {
            Ok(events) => {
                for event in events {
                    if event.need_rescan() {
                        change.rescan = true;
                        any = true;
                    }
                    // Reading a file (as every build does) is no change.
                    if event.kind.is_access() {
                        continue;
                    }
                    for path in &event.paths {
                        if let Some(input) = self.filter.input(path) {
                            change.paths.insert(input);
                            any = true;
                        }
                    }
                }
            }
            Err(errors) => {
                for error in errors {
                    (self.on_trouble)(Trouble::EventsLost(error));
                }
                change.rescan = true;
                any = true;
            }
        }
        any
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

impl Events for Watcher {
    fn more(&mut self, change: &mut Change, wait: Duration) -> Option<bool> {
        let until = Instant::now() + wait;
        loop {
            let wait = until.saturating_duration_since(Instant::now());
            let first = if wait.is_zero() {
                match self.events.try_recv() {
                    Ok(first) => first,
                    Err(TryRecvError::Empty) => return Some(false),
                    Err(TryRecvError::Disconnected) => return None,
                }
            } else {
                match self.events.recv_timeout(wait) {
                    Ok(first) => first,
                    Err(RecvTimeoutError::Timeout) => return Some(false),
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            };
            // Events about nothing the site reads do not hold a build back.
            if self.add_all(change, first) {
                return Some(true);
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

/// A build not yet published: [`Rebuilder::publish`] hands its outcome over.
#[derive(Debug)]
pub struct Attempt(RebuildOutcome);

/// Builds the same site again and again, keeping what did not change.
pub struct Rebuilder {
    options: BuildOptions,
    cache: BuildCache,
    copies: snapshot::CopyCache,
    confine: Option<PathBuf>,
    last: Arc<Snapshot>,
    /// The snapshot published before `last`, let go of when the next build starts rather than
    /// while a published build is on its way to the browsers.
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
        let attempt = self.attempt_after(change, progress);
        self.publish(attempt)
    }

    /// Builds the site, looking at every file; on failure the last good snapshot stays.
    pub fn rebuild(&mut self, progress: &dyn Progress) -> RebuildOutcome {
        self.cache.changes_known(None);
        let attempt = self.build(progress);
        self.publish(attempt)
    }

    /// Builds the site again after `change` like [`Rebuilder::rebuild_after`], without making
    /// the result the last build: it differs from the last *published* build by its diff, and
    /// dropping it (a build a burst overtook) leaves that build the last one.
    pub fn attempt_after(&mut self, change: &Change, progress: &dyn Progress) -> Attempt {
        let known = (!change.rescan).then_some(&change.paths);
        self.cache.changes_known(known);
        self.build(progress)
    }

    /// Makes `attempt` the last build (a failed one leaves the last good snapshot) and hands
    /// its outcome over.
    pub fn publish(&mut self, attempt: Attempt) -> RebuildOutcome {
        if let RebuildOutcome::Built(rebuilt) = &attempt.0 {
            let before = std::mem::replace(&mut self.last, rebuilt.snapshot.clone());
            self.retired = Some(before);
        }
        attempt.0
    }

    fn build(&mut self, progress: &dyn Progress) -> Attempt {
        Attempt(self.build_outcome(progress))
    }

    fn build_outcome(&mut self, progress: &dyn Progress) -> RebuildOutcome {
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
        RebuildOutcome::Built(Rebuilt {
            snapshot: Arc::new(snapshot),
            diff,
            report: self.cache.report(),
            stats: built.stats,
            warnings,
            elapsed: started.elapsed(),
        })
    }
}
