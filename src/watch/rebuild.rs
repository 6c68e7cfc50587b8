//! Building the same site again and again: [`Rebuilder`] runs the build core with a cache kept
//! between builds and takes a [`Snapshot`] of each good build. A build made while its change was
//! still going on (more events of the same burst came in, see [`Watcher::overtaken`]) is
//! abandoned before its snapshot is taken, so only whole bursts are ever published.

use super::snapshot::{self, CopyCache, Diff, Snapshot};
use super::{Change, Watcher};
use crate::error::{Diagnostic, Diagnostics};
use crate::site::{build_with_cache, BuildCache, BuildOptions, Built, Progress, Report, Stats};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

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
    copies: CopyCache,
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
        let started = Instant::now();
        let built = self.build_known(change, progress);
        self.publish(built, started)
    }

    /// Builds the site after `change`, a change `watcher` handed out. If more events of the same
    /// burst come in while it builds, the build is abandoned unseen, they are added to `change`
    /// and the whole burst is built again: an editor's save or a `git checkout` that the build
    /// started in the middle of is never published half done. `None` once watching has stopped.
    pub fn rebuild_watched(
        &mut self,
        change: &mut Change,
        watcher: &mut Watcher,
        progress: &dyn Progress,
    ) -> Option<RebuildOutcome> {
        loop {
            let started = Instant::now();
            let built = self.build_known(change, progress);
            if !watcher.overtaken(change)? {
                return Some(self.publish(built, started));
            }
        }
    }

    /// Builds the site, looking at every file; on failure the last good snapshot stays.
    pub fn rebuild(&mut self, progress: &dyn Progress) -> RebuildOutcome {
        let started = Instant::now();
        self.cache.changes_known(None);
        let built = self.build(progress);
        self.publish(built, started)
    }

    fn build_known(
        &mut self,
        change: &Change,
        progress: &dyn Progress,
    ) -> Result<Built, Diagnostics> {
        let known = (!change.rescan).then_some(&change.paths);
        self.cache.changes_known(known);
        self.build(progress)
    }

    /// Runs the build core with the cache; a bug in it must not end watching, so a panic is
    /// reported like any failed build (and the cache starts again from scratch).
    fn build(&mut self, progress: &dyn Progress) -> Result<Built, Diagnostics> {
        self.retired = None;
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            build_with_cache(&self.options, &mut self.cache, progress)
        }));
        result.unwrap_or_else(|_| {
            self.cache.clear();
            let bug = Diagnostic::error(
                "dossier",
                "internal error while building (a bug in dossier)",
            )
            .with_hint("the message above says where; the next change builds again from scratch");
            Err(bug.into())
        })
    }

    /// Takes the snapshot of a good build and makes it the last one.
    fn publish(&mut self, built: Result<Built, Diagnostics>, started: Instant) -> RebuildOutcome {
        let built = match built {
            Ok(built) => built,
            Err(diagnostics) => return RebuildOutcome::Failed(diagnostics),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::OutputPath;
    use crate::site::Silent;
    use crate::watch::tests::{edit, fed_watcher};
    use std::time::Duration;

    fn page(rebuilt: &Rebuilt, name: &str) -> String {
        let (_, bytes) = (rebuilt.snapshot.files.iter())
            .find(|(path, _)| path.as_str() == name)
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[test]
    fn a_build_overtaken_by_its_burst_is_made_again_with_the_whole_burst() {
        let (dir, mut watcher, tx) = fed_watcher();
        let write = |rel: &str, body: &str| {
            let text = format!("---\ntitle: {rel}\n---\n{body}\n");
            std::fs::write(dir.path().join(rel), text).unwrap();
        };
        let config = "title: Overtaken\nlanguage: en\n";
        std::fs::write(dir.path().join("site.yaml"), config).unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        for name in ["index.html", "page.html"] {
            let template = dir.path().join("templates").join(name);
            std::fs::write(template, "{{ page.content | safe }}").unwrap();
        }
        write("content/_index.md", "Home.");
        write("content/a.md", "A before.");
        write("content/b.md", "B before.");
        let options = BuildOptions {
            root: dir.path().to_path_buf(),
            drafts: false,
            report_orphans: false,
            overrides: Default::default(),
        };
        let mut rebuilder = Rebuilder::new(options, None);
        let first = rebuilder.rebuild(&Silent);
        assert!(matches!(first, RebuildOutcome::Built(_)), "{first:?}");

        // A save of two files whose second event comes in while the first is being built.
        write("content/a.md", "A after.");
        write("content/b.md", "B after.");
        let t0 = Instant::now();
        tx.send(edit(&watcher, t0, "content/a.md")).unwrap();
        let mut change = watcher.next_change().unwrap();
        tx.send(edit(
            &watcher,
            t0 + Duration::from_millis(5),
            "content/b.md",
        ))
        .unwrap();
        let outcome = rebuilder.rebuild_watched(&mut change, &mut watcher, &Silent);
        let Some(RebuildOutcome::Built(rebuilt)) = outcome else {
            panic!("the rebuild failed: {outcome:?}");
        };
        // Only what the change names is looked at again: without the second build, b would be
        // published as it was.
        assert!(page(&rebuilt, "a/index.html").contains("A after."));
        assert!(page(&rebuilt, "b/index.html").contains("B after."));
        assert_eq!(change.paths.len(), 2, "{change:?}");
        // One publication, against the last one: both pages changed.
        let changed: Vec<&str> = (rebuilt.diff.changed.iter())
            .map(OutputPath::as_str)
            .collect();
        assert!(changed.contains(&"a/index.html"), "{changed:?}");
        assert!(changed.contains(&"b/index.html"), "{changed:?}");
        assert!(Arc::ptr_eq(rebuilder.last(), &rebuilt.snapshot));
    }
}
