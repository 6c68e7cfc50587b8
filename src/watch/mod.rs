//! Watching a site and rebuilding it: `dossier watch`, and the loop that `serve` drives too.
//!
//! [`Watcher`] turns file events (notify, coalesced until the file system is quiet) into one
//! [`Change`] per burst: an editor's atomic save, a `git checkout` of a hundred files or a folder
//! moved in give one rebuild, and swap files or the output folder give none. A change is handed
//! out as soon as the events stop for a few milliseconds, so a save is built at once; if more
//! events of the same burst come in while it builds, [`Rebuilder::rebuild_watched`] abandons
//! that build and builds the whole burst. [`Rebuilder`] runs the build core with a cache kept
//! between builds and takes a [`Snapshot`] of the result; what happens next is the caller's:
//! `watch` writes the changed files to the output folder, `serve` swaps the snapshot in and tells
//! the browsers.
//!
//! This module must not serve HTTP or print: it hands back values (and [`Trouble`] to a callback)
//! that the command layer words. The build core must not know it exists.

pub mod change;
pub mod disk;
pub mod rebuild;
pub mod snapshot;

use crate::error::Diagnostic;
pub use change::{Change, Filter, INPUT_DIRS};
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};
pub use rebuild::{RebuildOutcome, Rebuilder, Rebuilt};
pub use snapshot::{Diff, Snapshot};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

/// How long the file system must be quiet before a change is handed out. The events of one
/// save (or one script's write) come within microseconds of each other.
const QUIET: Duration = Duration::from_millis(3);
/// The same once a change touches many files: a `git checkout` or a copy is under way, and
/// waiting a little longer for its end saves building it twice.
const QUIET_BURST: Duration = Duration::from_millis(60);
/// How many changed paths make a burst.
const BURST: usize = 8;
/// Events that come this soon after the last event of a change belong to it: a build of the
/// change is abandoned for them. Later events are a change of their own, built after it, so a
/// steady stream of edits still publishes every build.
const SAME_BURST: Duration = Duration::from_millis(20);

/// A file event (or the watcher's error) and when it came in.
type Timed = (Instant, notify::Result<notify::Event>);

/// File events on a site's inputs, as one [`Change`] per burst.
pub struct Watcher {
    watcher: RecommendedWatcher,
    events: Receiver<Timed>,
    /// Events read while a build was checked that belong to the next change.
    held: VecDeque<Timed>,
    /// When the last event of the change being built came in.
    last_event: Option<Instant>,
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
        let watcher = notify::recommended_watcher(move |event| {
            let _ = tx.send((Instant::now(), event));
        })
        .map_err(watch_error(&root))?;
        let mut watcher = Watcher {
            watcher,
            events,
            held: VecDeque::new(),
            last_event: None,
            filter: Filter::new(root.clone(), resolved(output)),
            root,
            watched: [false; INPUT_DIRS.len()],
            on_trouble: Box::new(on_trouble),
        };
        watcher
            .watcher
            .watch(&watcher.root, RecursiveMode::NonRecursive)
            .map_err(watch_error(&watcher.root))?;
        watcher.refresh(&Change::default());
        Ok(watcher)
    }

    /// Waits for the next change to the site's inputs; `None` once watching has stopped.
    pub fn next_change(&mut self) -> Option<Change> {
        loop {
            let mut change = Change::default();
            let first = match self.held.pop_front() {
                Some(held) => held,
                None => self.events.recv().ok()?,
            };
            self.add(&mut change, first);
            self.settle(&mut change)?;
            if !change.is_empty() {
                return Some(change);
            }
        }
    }

    /// After `change` was built: whether events of the same burst (each within [`SAME_BURST`]
    /// of the one before) came in meanwhile. If so they are added to `change`, which is waited
    /// on until quiet again, and its build should be abandoned and made again. Later events wait
    /// for the next change. `None` once watching has stopped.
    pub fn overtaken(&mut self, change: &mut Change) -> Option<bool> {
        let mut overtaken = false;
        loop {
            let timed = match self.events.try_recv() {
                Ok(timed) => timed,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return None,
            };
            if !self.counts(&timed) {
                continue;
            }
            let same_burst = self
                .last_event
                .is_some_and(|last| timed.0 <= last + SAME_BURST);
            if self.held.is_empty() && same_burst {
                self.add(change, timed);
                overtaken = true;
            } else {
                self.held.push_back(timed);
            }
        }
        if overtaken {
            self.settle(change)?;
        }
        Some(overtaken)
    }

    /// Adds events to `change` until none came for a while, then watches input folders again
    /// where the change replaced them.
    fn settle(&mut self, change: &mut Change) -> Option<()> {
        loop {
            let quiet = if change.paths.len() >= BURST {
                QUIET_BURST
            } else {
                QUIET
            };
            let next = match self.held.pop_front() {
                Some(held) => held,
                None => match self.events.recv_timeout(quiet) {
                    Ok(timed) => timed,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                },
            };
            self.add(change, next);
        }
        self.refresh(change);
        Some(())
    }

    /// Whether an event can change the site: a change to an input, lost events, or trouble.
    fn counts(&self, (_, result): &Timed) -> bool {
        match result {
            Ok(event) if event.need_rescan() => true,
            // Reading a file (as every build does) is no change.
            Ok(event) if event.kind.is_access() => false,
            Ok(event) => event.paths.iter().any(|p| self.filter.input(p).is_some()),
            Err(_) => true,
        }
    }

    /// Adds what one event changed to `change`.
    fn add(&mut self, change: &mut Change, timed: Timed) {
        if !self.counts(&timed) {
            return;
        }
        let (at, result) = timed;
        self.last_event = Some(at);
        match result {
            Ok(event) => {
                change.rescan |= event.need_rescan();
                let inputs = event.paths.iter().filter_map(|p| self.filter.input(p));
                change.paths.extend(inputs);
            }
            Err(error) => {
                (self.on_trouble)(Trouble::EventsLost(error));
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
                let _ = self.watcher.unwatch(&path);
                self.watched[i] = false;
            }
            if exists && !self.watched[i] {
                match self.watcher.watch(&path, RecursiveMode::Recursive) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, DataChange, EventKind, ModifyKind};
    use std::collections::BTreeSet;
    use std::sync::mpsc::Sender;

    /// A watcher on a new site folder whose events the test sends, with the times it says.
    pub(super) fn fed_watcher() -> (tempfile::TempDir, Watcher, Sender<Timed>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        let mut watcher = Watcher::new(dir.path(), &dir.path().join("public"), |_| {}).unwrap();
        let (tx, rx) = channel();
        watcher.events = rx;
        (dir, watcher, tx)
    }

    pub(super) fn edit(watcher: &Watcher, at: Instant, rel: &str) -> Timed {
        let kind = EventKind::Modify(ModifyKind::Data(DataChange::Content));
        (
            at,
            Ok(notify::Event::new(kind).add_path(watcher.root.join(rel))),
        )
    }

    fn read(watcher: &Watcher, at: Instant, rel: &str) -> Timed {
        let kind = EventKind::Access(AccessKind::Any);
        (
            at,
            Ok(notify::Event::new(kind).add_path(watcher.root.join(rel))),
        )
    }

    fn paths(change: &Change) -> BTreeSet<&str> {
        change.paths.iter().map(|p| p.to_str().unwrap()).collect()
    }

    #[test]
    fn events_of_the_same_burst_overtake_the_build_and_join_its_change() {
        let (_dir, mut watcher, tx) = fed_watcher();
        let t0 = Instant::now();
        tx.send(edit(&watcher, t0, "content/a.md")).unwrap();
        let mut change = watcher.next_change().unwrap();
        assert_eq!(paths(&change), BTreeSet::from(["content/a.md"]));
        // While it builds: one event soon after, and one soon after that (a chain).
        tx.send(edit(
            &watcher,
            t0 + Duration::from_millis(15),
            "content/b.md",
        ))
        .unwrap();
        tx.send(edit(
            &watcher,
            t0 + Duration::from_millis(30),
            "content/c.md",
        ))
        .unwrap();
        assert_eq!(watcher.overtaken(&mut change), Some(true));
        assert_eq!(
            paths(&change),
            BTreeSet::from(["content/a.md", "content/b.md", "content/c.md"])
        );
        // Built again, nothing more came: the build stands.
        assert_eq!(watcher.overtaken(&mut change), Some(false));
    }

    #[test]
    fn later_events_are_the_next_change_and_reads_are_none() {
        let (_dir, mut watcher, tx) = fed_watcher();
        let t0 = Instant::now();
        tx.send(edit(&watcher, t0, "content/a.md")).unwrap();
        let mut change = watcher.next_change().unwrap();
        // The build read the file, and a new edit came well after the change was quiet.
        tx.send(read(
            &watcher,
            t0 + Duration::from_millis(1),
            "content/a.md",
        ))
        .unwrap();
        let later = t0 + SAME_BURST + Duration::from_millis(5);
        tx.send(edit(&watcher, later, "content/b.md")).unwrap();
        tx.send(edit(
            &watcher,
            t0 + Duration::from_millis(2),
            "content/c.md",
        ))
        .unwrap();
        assert_eq!(watcher.overtaken(&mut change), Some(false));
        assert_eq!(paths(&change), BTreeSet::from(["content/a.md"]));
        // The event held back, and what came after it, are the next change: order is kept.
        let next = watcher.next_change().unwrap();
        assert_eq!(
            paths(&next),
            BTreeSet::from(["content/b.md", "content/c.md"])
        );
    }

    #[test]
    fn lost_events_in_the_burst_overtake_and_rescan() {
        let (_dir, mut watcher, tx) = fed_watcher();
        let t0 = Instant::now();
        tx.send(edit(&watcher, t0, "content/a.md")).unwrap();
        let mut change = watcher.next_change().unwrap();
        let lost = notify::Error::generic("queue overflow");
        tx.send((t0 + Duration::from_millis(1), Err(lost))).unwrap();
        assert_eq!(watcher.overtaken(&mut change), Some(true));
        assert!(change.rescan);
    }

    #[test]
    fn output_and_swap_files_never_overtake() {
        let (_dir, mut watcher, tx) = fed_watcher();
        let t0 = Instant::now();
        tx.send(edit(&watcher, t0, "content/a.md")).unwrap();
        let mut change = watcher.next_change().unwrap();
        tx.send(edit(&watcher, t0, "public/a/index.html")).unwrap();
        tx.send(edit(&watcher, t0, "content/.a.md.swp")).unwrap();
        assert_eq!(watcher.overtaken(&mut change), Some(false));
        drop(tx);
        assert_eq!(watcher.next_change(), None);
    }
}
