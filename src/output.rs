//! Output: the whole built site as data ([`SiteFiles`]), and writing it to disk safely. A build is
//! written into a staging folder beside the output and swapped in only when complete, so a failed
//! build leaves the previous output as it was and a reader never sees half a site. dossier only
//! ever replaces a folder that carries its marker file, and refuses folders that look like
//! anything else (the site itself, `/`, the home folder).

use crate::error::Diagnostic;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The file dossier leaves in every output folder it creates, so it knows the folder is its own.
pub const MARKER: &str = ".dossier-output";
const MARKER_TEXT: &str = "This folder is written by dossier and replaced on every build.\n";

/// Where the bytes of one output file come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileSource {
    /// Rendered by the build.
    Bytes(Arc<[u8]>),
    /// Copied from a source file.
    Copy(PathBuf),
}

impl FileSource {
    pub fn read(&self) -> io::Result<Cow<'_, [u8]>> {
        match self {
            FileSource::Bytes(bytes) => Ok(Cow::Borrowed(bytes)),
            FileSource::Copy(path) => fs::read(path).map(Cow::Owned),
        }
    }
}

/// Every file of a built site, by output path (`talks/index.html`), in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteFiles(BTreeMap<String, FileSource>);

impl SiteFiles {
    pub fn insert(&mut self, path: String, source: FileSource) {
        self.0.insert(path, source);
    }

    pub fn contains(&self, path: &str) -> bool {
        self.0.contains_key(path)
    }

    pub fn get(&self, path: &str) -> Option<&FileSource> {
        self.0.get(path)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &FileSource)> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Checks that `output` may be replaced by a build of the site at `root`.
pub fn check_output_dir(output: &Path, root: &Path) -> Result<(), Diagnostic> {
    let shown = output.display().to_string();
    let refuse = |why: String| {
        Err(
            Diagnostic::error(&shown, format!("refusing to write the site here: {why}")).with_hint(
                "choose an empty folder, or one that dossier made before, with --output DIR",
            ),
        )
    };
    let output_abs = absolute(output);
    let root_abs = absolute(root);
    if output_abs.parent().is_none() {
        return refuse("it is the root of the file system".into());
    }
    if std::env::var_os("HOME").is_some_and(|home| absolute(Path::new(&home)) == output_abs) {
        return refuse("it is your home folder".into());
    }
    if root_abs.starts_with(&output_abs) {
        return refuse("it holds the site's own sources".into());
    }
    if !output.exists() {
        return Ok(());
    }
    if !output.is_dir() {
        return refuse("it is a file, not a folder".into());
    }
    if output.join("content").exists() || output.join(crate::config::CONFIG_FILE).exists() {
        return refuse("it looks like a site (it has content/ or site.yaml)".into());
    }
    let is_empty = fs::read_dir(output).is_ok_and(|mut d| d.next().is_none());
    if !is_empty && !output.join(MARKER).is_file() {
        return refuse(format!(
            "it is not empty and dossier did not create it (no {MARKER} file)"
        ));
    }
    Ok(())
}

/// A path made absolute and cleaned of `.` and `..`, without touching the disk more than needed.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    let joined = std::env::current_dir().unwrap_or_default().join(path);
    let mut clean = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

/// Writes `files` to `output` through a staging folder, replacing what was there.
pub fn write_site(files: &SiteFiles, output: &Path, root: &Path) -> Result<(), Diagnostic> {
    check_output_dir(output, root)?;
    let fail = |what: &str, err: io::Error| {
        Diagnostic::error(output.display().to_string(), format!("{what}: {err}"))
            .with_hint("check that the folder and its parent are writable")
    };
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    fs::create_dir_all(&parent).map_err(|e| fail("cannot create the parent folder", e))?;
    let staging = parent.join(format!(".{name}.dossier-staging-{}", std::process::id()));
    let old = parent.join(format!(".{name}.dossier-old-{}", std::process::id()));
    remove_own(&staging);
    remove_own(&old);
    fs::create_dir_all(&staging).map_err(|e| fail("cannot create the staging folder", e))?;
    fs::write(staging.join(MARKER), MARKER_TEXT).map_err(|e| fail("cannot write", e))?;
    if let Err(err) = write_all(files, &staging) {
        remove_own(&staging);
        return Err(fail("cannot write the site", err));
    }
    if output.exists() {
        // A `.git` in the output belongs to the user (a deploy checkout): carry it over.
        let git = output.join(".git");
        if git.exists() {
            fs::rename(&git, staging.join(".git")).map_err(|e| fail("cannot keep .git", e))?;
        }
        fs::rename(output, &old).map_err(|e| fail("cannot move the previous output aside", e))?;
    }
    if let Err(err) = fs::rename(&staging, output) {
        if old.exists() {
            let _ = fs::rename(&old, output);
        }
        return Err(fail("cannot move the new output in place", err));
    }
    remove_own(&old);
    Ok(())
}

/// Writes every file under `dir`, creating folders as needed.
fn write_all(files: &SiteFiles, dir: &Path) -> io::Result<()> {
    let folders: std::collections::BTreeSet<PathBuf> = files
        .names()
        .filter_map(|n| Path::new(n).parent().map(|p| dir.join(p)))
        .collect();
    for folder in folders {
        fs::create_dir_all(folder)?;
    }
    let entries: Vec<_> = files.iter().collect();
    entries.par_iter().try_for_each(|(name, source)| {
        let target = dir.join(name);
        match source {
            FileSource::Bytes(bytes) => fs::write(target, bytes),
            FileSource::Copy(from) => fs::copy(from, target).map(|_| ()),
        }
    })
}

/// Removes `dir` only if dossier made it (it has the marker).
fn remove_own(dir: &Path) {
    if dir.join(MARKER).is_file() {
        let _ = fs::remove_dir_all(dir);
    } else if dir.is_dir() {
        // An empty leftover of an interrupted run.
        let _ = fs::remove_dir(dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> SiteFiles {
        let mut f = SiteFiles::default();
        f.insert(
            "index.html".into(),
            FileSource::Bytes(Arc::from(&b"home"[..])),
        );
        f.insert(
            "a/b/index.html".into(),
            FileSource::Bytes(Arc::from(&b"b"[..])),
        );
        f
    }

    #[test]
    fn writes_and_replaces_its_own_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&files(), &out, dir.path().join("site").as_path()).unwrap();
        assert_eq!(fs::read(out.join("a/b/index.html")).unwrap(), b"b");
        assert!(out.join(MARKER).is_file());
        fs::write(out.join("stale.html"), "old").unwrap();
        fs::create_dir(out.join(".git")).unwrap();
        write_site(&files(), &out, dir.path().join("site").as_path()).unwrap();
        assert!(!out.join("stale.html").exists());
        assert!(out.join(".git").is_dir());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders were left behind");
    }

    #[test]
    fn refuses_folders_it_did_not_create() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("docs");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        let err = write_site(&files(), &out, dir.path()).unwrap_err();
        assert!(err.message.contains("dossier did not create it"), "{err}");
        assert_eq!(fs::read(out.join("notes.txt")).unwrap(), b"mine");
    }

    #[test]
    fn refuses_the_site_root_and_its_parents() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir(&site).unwrap();
        assert!(check_output_dir(&site, &site).is_err());
        assert!(check_output_dir(dir.path(), &site).is_err());
        assert!(check_output_dir(Path::new("/"), &site).is_err());
    }
}
