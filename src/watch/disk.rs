//! Keeping the output folder in step for `dossier watch`: the first write (and any write after
//! something went wrong) goes through `output::write_site`, staging folder and swap; after that
//! only the files that changed are written, each to a temporary name and renamed over the old
//! one, so a reader never sees half a file. Never touches a folder without dossier's marker.

use super::snapshot::{Diff, Snapshot};
use crate::error::Diagnostic;
use crate::output::{write_site, SiteFiles, MARKER};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub struct DiskOutput {
    dir: PathBuf,
    root: PathBuf,
    /// The folder holds the last snapshot written.
    in_step: bool,
}

impl DiskOutput {
    pub fn new(dir: PathBuf, root: PathBuf) -> Self {
        DiskOutput {
            dir,
            root,
            in_step: false,
        }
    }

    /// Brings the folder to `snapshot`, which differs from the last one written by `diff`.
    pub fn write(&mut self, snapshot: &Snapshot, diff: &Diff) -> Result<(), Diagnostic> {
        if !self.in_step || !self.dir.join(MARKER).is_file() {
            let mut files = SiteFiles::default();
            for (name, bytes) in &snapshot.files {
                files.insert(name.clone(), bytes.source());
            }
            write_site(&files, &self.dir, &self.root)?;
            self.in_step = true;
            return Ok(());
        }
        self.in_step = false;
        self.apply(snapshot, diff).map_err(|err| {
            Diagnostic::error(self.dir.display().to_string(), format!("cannot write: {err}"))
                .with_hint("check that the folder is writable; the whole folder is written again on the next change")
        })?;
        self.in_step = true;
        Ok(())
    }

    fn apply(&self, snapshot: &Snapshot, diff: &Diff) -> io::Result<()> {
        for name in &diff.changed {
            let target = self.dir.join(name.as_str());
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            let temporary = temporary_name(&target);
            fs::write(&temporary, snapshot.files[name].bytes())?;
            fs::rename(&temporary, &target)?;
        }
        for name in &diff.removed {
            let target = self.dir.join(name.as_str());
            match fs::remove_file(&target) {
                Err(err) if err.kind() != io::ErrorKind::NotFound => return Err(err),
                _ => {}
            }
            remove_empty_parents(&target, &self.dir);
        }
        Ok(())
    }
}

fn temporary_name(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.dossier-{}", std::process::id()))
}

/// Removes the folders above `file` that are now empty, up to (not including) `top`.
fn remove_empty_parents(file: &Path, top: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == top || !d.starts_with(top) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::watch::snapshot::snapshot;

    #[test]
    fn writes_everything_first_then_only_changes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut disk = DiskOutput::new(out.clone(), dir.path().join("site"));
        let a = snapshot(&[("index.html", "home"), ("a/b/index.html", "b")]);
        let d = super::super::snapshot::diff(&Snapshot::default(), &a);
        disk.write(&a, &d).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/b/index.html")).unwrap(), "b");
        let b = snapshot(&[("index.html", "home 2")]);
        let d = super::super::snapshot::diff(&a, &b);
        disk.write(&b, &d).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "home 2"
        );
        assert!(!out.join("a").exists(), "emptied folders are removed");
        assert!(out.join(MARKER).is_file());
        let names: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }
}
