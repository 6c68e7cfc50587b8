//! The bytes of a finished build, held in memory: every output file read once (rendered files are
//! shared with the build, copied files are read from their source), and what changed since the
//! previous build. `serve` serves these bytes and `watch` writes the changed ones; neither reads
//! a source file again, so what they show is exactly what the build made.
//!
//! This module must not render anything or know about HTTP.

use crate::content::stamp::Stamp;
use crate::error::Diagnostic;
use crate::output::{FileBytes, FileSource, SiteFiles};
use crate::paths::identity::{open_walked, FileId};
use crate::paths::OutputPath;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Every output file of one build, by output path (`talks/index.html`). Pages stay packed as
/// the build cache keeps them (the same allocation, not a copy).
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub files: BTreeMap<OutputPath, FileBytes>,
}

/// What differs between two snapshots.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// Output paths that are new or whose bytes changed.
    pub changed: Vec<OutputPath>,
    /// Output paths that are gone.
    pub removed: Vec<OutputPath>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }

    /// How many HTML pages were rewritten (changed or new).
    pub fn pages(&self) -> usize {
        self.changed.iter().filter(|p| p.ends_with(".html")).count()
    }
}

/// Copied files read before, kept while their size and time stamp stay the same (see [`Stamp`]).
#[derive(Default)]
pub struct CopyCache {
    files: HashMap<PathBuf, (Stamp, Arc<[u8]>)>,
}

impl CopyCache {
    /// The bytes of `source`, which must still be the file `id` the walk checked.
    fn read(&mut self, source: &Path, id: Option<FileId>) -> std::io::Result<Arc<[u8]>> {
        let mut file = open_walked(source, id)?;
        let meta = file.metadata()?;
        if let Some((stamp, bytes)) = self.files.get(source) {
            if stamp.still_matches(&meta) {
                return Ok(bytes.clone());
            }
        }
        let stamp = Stamp::of(&meta);
        let mut read = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut read)?;
        let bytes: Arc<[u8]> = read.into();
        match stamp {
            Some(stamp) => {
                self.files
                    .insert(source.to_path_buf(), (stamp, bytes.clone()));
            }
            None => {
                self.files.remove(source);
            }
        }
        Ok(bytes)
    }
}

/// Reads every file of `files` into memory (rendered files are moved in, not copied). With
/// `confine`, copied files whose real location is outside that folder (symbolic links pointing
/// out of the site) are left out and reported.
pub fn take(
    files: SiteFiles,
    copies: &mut CopyCache,
    confine: Option<&Path>,
) -> Result<(Snapshot, Vec<Diagnostic>), Diagnostic> {
    let mut taken = Vec::with_capacity(files.len());
    let mut refused = Vec::new();
    let confine = confine.map(|c| c.canonicalize().unwrap_or_else(|_| c.to_path_buf()));
    let mut seen = HashSet::new();
    for (name, source) in files {
        let bytes = match source {
            FileSource::Bytes(bytes) => FileBytes::Plain(bytes),
            FileSource::Packed(packed) => FileBytes::Packed(packed),
            FileSource::Copy(path, id) => {
                if let Some(root) = &confine {
                    let real = path.canonicalize().unwrap_or_else(|_| path.clone());
                    if !real.starts_with(root) {
                        refused.push(
                            Diagnostic::warning(
                                &path,
                                format!(
                                    "not served: it is a link to {}, outside the site",
                                    real.display()
                                ),
                            )
                            .with_hint("copy the file into the site instead of linking to it"),
                        );
                        continue;
                    }
                }
                let read = copies.read(&path, id).map_err(|e| {
                    Diagnostic::error(&path, format!("cannot read: {e}"))
                        .with_hint("the file changed while the site was being built; it is read again on the next change")
                })?;
                seen.insert(path);
                FileBytes::Plain(read)
            }
        };
        taken.push((name, bytes));
    }
    copies.files.retain(|path, _| seen.contains(path));
    // In order already: the map is built in one pass, not by an insert per file.
    let snapshot = Snapshot {
        files: taken.into_iter().collect(),
    };
    Ok((snapshot, refused))
}

/// What changed from `before` to `after`: both are walked once, side by side, in order.
pub fn diff(before: &Snapshot, after: &Snapshot) -> Diff {
    let mut diff = Diff::default();
    let mut old = before.files.iter().peekable();
    for (name, bytes) in &after.files {
        while let Some((gone, _)) = old.next_if(|(o, _)| *o < name) {
            diff.removed.push(gone.clone());
        }
        match old.next_if(|(o, _)| *o == name) {
            Some((_, was)) if was.same(bytes) => {}
            _ => diff.changed.push(name.clone()),
        }
    }
    diff.removed.extend(old.map(|(gone, _)| gone.clone()));
    diff
}

/// A snapshot of the given (output path, text) pairs, for tests.
#[cfg(test)]
pub(crate) fn snapshot(files: &[(&str, &str)]) -> Snapshot {
    Snapshot {
        files: files
            .iter()
            .map(|(n, b)| {
                (
                    OutputPath::known(n),
                    FileBytes::Plain(Arc::from(b.as_bytes())),
                )
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_finds_new_changed_and_removed_files() {
        let a = snapshot(&[("a.html", "1"), ("b.css", "x"), ("c.png", "p")]);
        let b = snapshot(&[("a.html", "2"), ("b.css", "x"), ("d/index.html", "n")]);
        let d = diff(&a, &b);
        assert_eq!(d.changed, ["a.html", "d/index.html"]);
        assert_eq!(d.removed, ["c.png"]);
        assert_eq!(d.pages(), 2);
        assert!(diff(&b, &b).is_empty());
    }

    #[test]
    fn copied_files_are_read_again_when_they_change() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.css");
        std::fs::write(&file, "one").unwrap();
        let mut files = SiteFiles::default();
        files.insert(
            OutputPath::known("a.css"),
            FileSource::Copy(file.clone(), None),
        );
        let mut copies = CopyCache::default();
        let (first, _) = take(files.clone(), &mut copies, None).unwrap();
        // Same length, written within the same time stamp tick: still seen.
        std::fs::write(&file, "two").unwrap();
        let (second, _) = take(files.clone(), &mut copies, None).unwrap();
        assert_eq!(first.files["a.css"].to_vec(), b"one");
        assert_eq!(second.files["a.css"].to_vec(), b"two");
    }

    /// The dev server holds what it serves in a snapshot: a copied file swapped for a symlink
    /// after the walk is refused there too, even when its bytes were cached before.
    #[cfg(unix)]
    #[test]
    fn a_copied_file_swapped_after_the_walk_is_not_taken() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.css");
        let secret = dir.path().join("secret");
        std::fs::write(&file, "one").unwrap();
        std::fs::write(&secret, "secret").unwrap();
        let walked = FileId::of(&std::fs::metadata(&file).unwrap());
        let mut files = SiteFiles::default();
        files.insert(
            OutputPath::known("a.css"),
            FileSource::Copy(file.clone(), walked),
        );
        let mut copies = CopyCache::default();
        take(files.clone(), &mut copies, None).unwrap();
        std::fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink(&secret, &file).unwrap();
        let err = take(files.clone(), &mut copies, None).unwrap_err();
        assert_eq!(
            err.message,
            format!("cannot read: {}", crate::paths::identity::CHANGED)
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_site_are_not_taken() {
        let outside = tempfile::tempdir().unwrap();
        let site = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "s").unwrap();
        let link = site.path().join("x.txt");
        std::os::unix::fs::symlink(outside.path().join("secret"), &link).unwrap();
        let mut files = SiteFiles::default();
        files.insert(OutputPath::known("x.txt"), FileSource::Copy(link, None));
        let (snap, refused) = take(files, &mut CopyCache::default(), Some(site.path())).unwrap();
        assert!(snap.files.is_empty());
        assert_eq!(refused.len(), 1);
    }
}
