//! Reusing the last walk of `content/` when the caller knows which files changed since (the dev
//! server's file watcher does): the listing is kept, the changed files are looked at again, and
//! no other file is walked or checked. Anything that could change the listing itself (a file
//! created, removed or renamed, a folder changed, a symlink anywhere under `content/`) gives
//! `None`, and the caller walks the folder as usual. Only [`super::load_cached`] uses this.

use super::walk::Walked;
use crate::paths::identity::FileId;
use std::path::{Path, PathBuf};

/// The files of the last walk, and what the next load is told changed since.
#[derive(Debug, Default)]
pub(super) struct KnownListing {
    /// The last listing, when it can be trusted to stay true while no file event says otherwise:
    /// the walk found no problem and `content/` holds no symlink.
    walked: Option<Vec<Walked>>,
    /// Paths under `content/` (relative to it) that changed since the last load; `None` when
    /// that is not known.
    changed: Option<Vec<PathBuf>>,
}

impl KnownListing {
    /// Tells the next load which paths under `content/` changed since the last one.
    pub fn changes_known(&mut self, changed: Vec<PathBuf>) {
        self.changed = Some(changed);
    }

    /// Forgets what the next load was told: it walks.
    pub fn changes_unknown(&mut self) {
        self.changed = None;
    }

    /// The last listing brought up to date with the known changes, and the files that changed
    /// (whose parsed pages must not be reused); `None` when `content/` must be walked.
    pub fn take_updated(&mut self, dir: &Path) -> Option<(Vec<Walked>, Vec<PathBuf>)> {
        let changed = self.changed.take()?;
        let mut walked = self.walked.take()?;
        for path in &changed {
            let rel = path.to_string_lossy();
            let entry = walked
                .iter_mut()
                .find(|(known, _, _)| known.as_str() == rel)?;
            let meta = std::fs::symlink_metadata(&entry.1).ok()?;
            if !meta.file_type().is_file() || entry.1 != dir.join(path) {
                return None;
            }
            // An editor's atomic save is a new file under the old name.
            entry.2 = FileId::of(&meta);
        }
        let changed = changed.iter().map(|p| dir.join(p)).collect();
        Some((walked, changed))
    }

    /// Keeps `walked`, the listing the load just used, for the next load; a listing from a walk
    /// that found problems, or of a folder with symlinks, is not kept.
    pub fn keep(&mut self, dir: &Path, walked: Vec<Walked>, walk_was_clean: bool) {
        self.walked = (walk_was_clean && !has_symlinks(dir)).then_some(walked);
    }

    /// Keeps `walked`, brought up to date by [`Self::take_updated`], for the next load.
    pub fn keep_updated(&mut self, walked: Vec<Walked>) {
        self.walked = Some(walked);
    }
}

/// Whether anything under `dir` is a symlink: a change to its target would be reported under
/// the target's name, not the link's. Reads the folders only (no file is looked at).
fn has_symlinks(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .any(|entry| entry.map_or(true, |e| e.path_is_symlink()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostics;

    fn listed(root: &Path) -> (PathBuf, Vec<Walked>) {
        let mut problems = Diagnostics::new();
        let walked = super::super::walk(root, "content", &mut problems);
        assert!(problems.is_empty());
        (root.join("content"), walked)
    }

    #[test]
    fn a_changed_file_keeps_the_listing_and_anything_else_walks() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("s")).unwrap();
        std::fs::write(content.join("a.md"), "a").unwrap();
        std::fs::write(content.join("s/b.md"), "b").unwrap();
        let (folder, walked) = listed(dir.path());
        let mut known = KnownListing::default();
        known.keep(&folder, walked.clone(), true);
        // Nothing said: walk.
        assert!(known.take_updated(&folder).is_none());
        known.keep(&folder, walked.clone(), true);
        // An atomic save: a new file under the old name.
        std::fs::write(content.join("s/new"), "b2").unwrap();
        std::fs::rename(content.join("s/new"), content.join("s/b.md")).unwrap();
        known.changes_known(vec!["s/b.md".into()]);
        let (updated, changed) = known.take_updated(&folder).unwrap();
        assert_eq!(changed, [content.join("s/b.md")]);
        let ids: Vec<_> = updated.iter().map(|w| w.2).collect();
        let (_, rewalked) = listed(dir.path());
        assert_eq!(ids, rewalked.iter().map(|w| w.2).collect::<Vec<_>>());
        known.keep_updated(updated);
        // A new file, a removed one, a folder: walk.
        for path in ["c.md", "gone.md", "s"] {
            known.keep(&folder, walked.clone(), true);
            known.changes_known(vec![path.into()]);
            assert!(known.take_updated(&folder).is_none(), "{path}");
        }
        // A walk with problems is not kept.
        known.keep(&folder, walked, false);
        known.changes_known(vec!["a.md".into()]);
        assert!(known.take_updated(&folder).is_none());
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_with_symlinks_is_always_walked() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(content.join("a.md"), "a").unwrap();
        std::os::unix::fs::symlink(content.join("a.md"), content.join("b.md")).unwrap();
        let (folder, walked) = listed(dir.path());
        let mut known = KnownListing::default();
        known.keep(&folder, walked, true);
        known.changes_known(vec!["a.md".into()]);
        assert!(known.take_updated(&folder).is_none());
    }
}
