//! Streaming a build to disk: a [`Staging`] folder takes each finished file as soon as it is
//! final (from any thread), and is swapped in place of the output only when the build says it is
//! complete ([`OutputSink::finish`]). Dropped before that (the build failed, even after many files were
//! written), it is given up and the previous output stays as it was. On Unix an unchanged file is
//! hard-linked from the output and a recycled folder is overwritten in place ([`super::reuse`]).

use super::swap::{self, Plan, SwapError};
use super::{check_output_dir, resolve_link, FileSource, OutputSink, MARKER};
use crate::error::Diagnostic;
use crate::paths::identity::open_walked;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
#[cfg(unix)]
use {
    super::reuse::{self, Content, Trees},
    std::collections::HashSet,
    std::sync::{Mutex, PoisonError},
};

/// A staging folder being filled for one build of the site at `root` into `output`.
#[derive(Debug)]
pub struct Staging {
    plan: Plan,
    output: PathBuf,
    root: PathBuf,
    published: AtomicBool,
    /// The staging folder and the output, open (Unix).
    #[cfg(unix)]
    trees: Trees,
    /// Every name written, when the staging folder was recycled and must be pruned.
    #[cfg(unix)]
    written: Mutex<HashSet<String>>,
}

impl Staging {
    /// Checks that `output` may be replaced and makes an empty staging folder for it. A symlinked
    /// output is written through: the site lands in the folder the link names.
    pub fn begin(output: &Path, root: &Path) -> Result<Staging, Diagnostic> {
        check_output_dir(output, root)?;
        let target = resolve_link(output);
        if target != output {
            check_output_dir(&target, root)?;
        }
        let plan = swap::prepare(&target).map_err(|e| Self::failure(output, root, &e))?;
        #[cfg(unix)]
        let trees = Trees::open(&plan.staging, &target, plan.recycled).map_err(|err| {
            plan.abandon();
            let what = "cannot open the staging folder";
            Self::failure(output, root, &SwapError::new(what, err))
        })?;
        Ok(Staging {
            plan,
            output: output.to_path_buf(),
            root: root.to_path_buf(),
            published: AtomicBool::new(false),
            #[cfg(unix)]
            trees,
            #[cfg(unix)]
            written: Mutex::default(),
        })
    }

    /// Writes one file of the site into the staging folder.
    pub fn write(&self, name: &str, source: &FileSource) -> Result<(), Diagnostic> {
        check_reserved(name, &self.output)?;
        let written = match source {
            FileSource::Bytes(bytes) => self.put_bytes(name, bytes),
            FileSource::Packed(packed) => {
                (packed.unpack(None)).and_then(|bytes| self.put_bytes(name, &bytes))
            }
            FileSource::Copy(from, id) => {
                // Opened first, so a missing, unreadable or swapped source is blamed on itself;
                // copied from the opened file, never from the path again.
                let mut opened = open_walked(from, *id).map_err(|e| self.unreadable(from, &e))?;
                self.put_copy(name, &mut opened)
            }
        };
        written.map_err(|e| {
            self.failure_here(&SwapError {
                what: "cannot write the site".into(),
                err: e,
                unreadable: None,
            })
        })
    }

    #[cfg(unix)]
    fn put_bytes(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        self.note(name);
        self.trees.put(name, Content::Bytes(bytes))
    }

    #[cfg(unix)]
    fn put_copy(&self, name: &str, from: &mut fs::File) -> io::Result<()> {
        self.note(name);
        self.trees.put(name, Content::File(from))
    }

    /// Remembers a name written into a recycled folder, so that pruning keeps it.
    #[cfg(unix)]
    fn note(&self, name: &str) {
        if self.plan.recycled {
            let mut written = self.written.lock().unwrap_or_else(PoisonError::into_inner);
            written.insert(name.to_owned());
        }
    }

    /// Removes what a recycled staging folder holds that this build did not write.
    #[cfg(unix)]
    fn prune(&self) -> io::Result<()> {
        if !self.plan.recycled {
            return Ok(());
        }
        let written = self.written.lock().unwrap_or_else(PoisonError::into_inner);
        reuse::prune(&self.trees, &written, &[MARKER])
    }

    #[cfg(not(unix))]
    fn put_bytes(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        write_creating_folders(&self.plan.staging.join(name), bytes)
    }

    #[cfg(not(unix))]
    fn put_copy(&self, name: &str, from: &mut fs::File) -> io::Result<()> {
        copy_creating_folders(from, &self.plan.staging.join(name))
    }

    #[cfg(not(unix))]
    fn prune(&self) -> io::Result<()> {
        Ok(())
    }

    fn unreadable(&self, source: &Path, err: &io::Error) -> Diagnostic {
        let shown = source.strip_prefix(&self.root).unwrap_or(source);
        if crate::paths::identity::is_changed(err) {
            return crate::content::read_error(shown, err);
        }
        Diagnostic::error(shown, format!("cannot read: {err}")).with_hint(
            "check that the file exists and is readable; the output folder was left as it was",
        )
    }

    fn failure_here(&self, e: &SwapError) -> Diagnostic {
        Self::failure(&self.output, &self.root, e)
    }

    fn failure(output: &Path, root: &Path, e: &SwapError) -> Diagnostic {
        if let Some(source) = &e.unreadable {
            let shown = source.strip_prefix(root).unwrap_or(source);
            return Diagnostic::error(shown, format!("cannot read: {}", e.err)).with_hint(
                "check that the file exists and is readable; the output folder was left as it was",
            );
        }
        Diagnostic::error(
            output.display().to_string(),
            format!("{}: {}", e.what, e.err),
        )
        .with_hint("check that the folder and its parent are writable")
    }
}

impl OutputSink for Staging {
    fn put(&self, name: &str, source: FileSource) -> Result<(), Diagnostic> {
        self.write(name, &source)
    }

    /// Puts the finished site in place of the output, in one swap (once).
    fn finish(&self) -> Result<(), Diagnostic> {
        if self.published.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        if let Err(err) = self.prune() {
            self.plan.abandon();
            let what = "cannot clear the staging folder";
            return Err(self.failure_here(&SwapError::new(what, err)));
        }
        self.plan.finish().map_err(|e| self.failure_here(&e))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !*self.published.get_mut() {
            self.plan.abandon();
        }
    }
}

#[cfg(not(unix))]
fn write_creating_folders(target: &Path, bytes: &[u8]) -> io::Result<()> {
    match fs::write(target, bytes) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            create_parent(target)?;
            fs::write(target, bytes)
        }
        other => other,
    }
}

#[cfg(not(unix))]
fn copy_creating_folders(from: &mut fs::File, target: &Path) -> io::Result<()> {
    let mut to = match fs::File::create(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            create_parent(target)?;
            fs::File::create(target)?
        }
        other => other?,
    };
    io::copy(from, &mut to).map(drop)
}

#[cfg(not(unix))]
fn create_parent(target: &Path) -> io::Result<()> {
    match target.parent() {
        Some(parent) => fs::create_dir_all(parent),
        None => Ok(()),
    }
}

/// Refuses a file that would land in what the output folder keeps (`.git`) or owns (the marker).
pub(super) fn check_reserved(name: &str, output: &Path) -> Result<(), Diagnostic> {
    let first = name.split('/').next().unwrap_or_default();
    if first == ".git" || first == MARKER || first.contains(".dossier-staging-") {
        return Err(Diagnostic::error(
            output.display().to_string(),
            format!("the site would write `{name}`, which the output folder keeps for itself"),
        )
        .with_hint("`.git` and `.dossier-output` in the output folder are not part of the site; rename the file or alias"));
    }
    Ok(())
}
