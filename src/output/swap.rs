//! Putting a finished staging folder in place of the output folder, as atomically as the system
//! allows, and cleaning up after builds that were killed.
//!
//! - On Linux the swap is one `renameat2(RENAME_EXCHANGE)`: at every instant the output path is
//!   either the whole old site or the whole new one. Elsewhere (or on file systems without the
//!   exchange) it is two renames, and an interrupted swap is repaired by the next build.
//! - A `.git` in the output (a deploy checkout) is carried over; it is never deleted, and if it
//!   cannot be put back the error says where it is.
//! - An output that is a mount point cannot be renamed: its contents are replaced instead (not
//!   atomic; documented in the README).
//! - Staging and old folders of dossier processes that no longer run are removed by the next
//!   build (only folders that carry dossier's marker, or are empty).
//! - The previous output is not deleted after the swap: it is kept beside the output as the
//!   *spare* (`.public.dossier-spare`, with the marker) and becomes the next build's staging
//!   folder, whose files are overwritten or hard-linked in place ([`super::reuse`]). Making and
//!   deleting a tree of ten thousand folders and files is most of what replacing an output costs.

use super::{MARKER, MARKER_TEXT};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// What went wrong, in words, with the system's error.
#[derive(Debug)]
pub struct SwapError {
    pub what: String,
    pub err: io::Error,
    /// The source file that could not be read, when that is the problem.
    pub unreadable: Option<PathBuf>,
}

impl SwapError {
    pub(super) fn new(what: impl Into<String>, err: io::Error) -> SwapError {
        SwapError {
            what: what.into(),
            err,
            unreadable: None,
        }
    }
}

type Result<T> = std::result::Result<T, SwapError>;

const STAGING: &str = "dossier-staging-";
const OLD: &str = "dossier-old-";
/// The previous output, kept to be recycled as the next staging folder.
const SPARE: &str = "dossier-spare";

/// A staging folder made for one build, and how it will be put in place.
#[derive(Debug)]
pub struct Plan {
    /// Where the new site is written.
    pub staging: PathBuf,
    target: PathBuf,
    parent: PathBuf,
    name: String,
    /// The output is a mount point: the staging folder is inside it and its contents are
    /// replaced instead of the folder itself.
    in_place: bool,
    /// The staging folder is the previous spare: it holds files the build did not write.
    pub recycled: bool,
}

/// Cleans up after killed builds and makes a fresh staging folder (with the marker) for a build
/// that will replace `target` (a real folder path, not a link).
pub fn prepare(target: &Path) -> Result<Plan> {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    fs::create_dir_all(&parent)
        .map_err(|e| SwapError::new("cannot create the parent folder", e))?;
    clean_stale(&parent, &name, target);
    let pid = std::process::id();
    let in_place = is_mount_point(target, &parent);
    let staging = if in_place {
        target.join(format!(".{STAGING}{pid}"))
    } else {
        parent.join(format!(".{name}.{STAGING}{pid}"))
    };
    remove_own(&staging);
    let spare = parent.join(format!(".{name}.{SPARE}"));
    let recycled = !in_place && is_recyclable(&spare) && fs::rename(&spare, &staging).is_ok();
    if !recycled {
        fs::create_dir_all(&staging)
            .map_err(|e| SwapError::new("cannot create the staging folder", e))?;
    }
    let plan = Plan {
        staging,
        target: target.to_path_buf(),
        parent,
        name,
        in_place,
        recycled,
    };
    if recycled {
        // The spare carries the marker already (a regular file, checked above).
        return Ok(plan);
    }
    fs::write(plan.staging.join(MARKER), MARKER_TEXT).map_err(|e| {
        plan.abandon();
        SwapError::new("cannot write", e)
    })?;
    Ok(plan)
}

/// Whether `spare` is a spare dossier made: a real folder (not a link) with the marker and no
/// `.git` (which is never recycled, nor deleted).
fn is_recyclable(spare: &Path) -> bool {
    let real_dir = |p: &Path| fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
    let marked = fs::symlink_metadata(spare.join(MARKER)).is_ok_and(|m| m.is_file());
    real_dir(spare) && marked && fs::symlink_metadata(spare.join(".git")).is_err()
}

impl Plan {
    /// Where the previous output is kept for the next build.
    fn spare(&self) -> PathBuf {
        self.parent.join(format!(".{}.{SPARE}", self.name))
    }

    /// Gives up the staging folder: it becomes the spare while there is an output to replace
    /// (it shares no file with the output that the build could have changed), else it is
    /// removed with everything written into it.
    pub fn abandon(&self) {
        if self.in_place || !self.target.exists() {
            remove_own(&self.staging);
        } else {
            self.keep_as_spare(&self.staging);
        }
    }

    /// Keeps `dir` (a previous output, or an abandoned staging folder) as the spare if it
    /// carries the marker and no build kept one first; else it is removed like before.
    fn keep_as_spare(&self, dir: &Path) {
        let spare = self.spare();
        let marked = fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file());
        if !marked || fs::symlink_metadata(&spare).is_ok() || fs::rename(dir, &spare).is_err() {
            remove_own(dir);
        }
    }

    /// Puts the finished staging folder in place of the output; on failure the previous output
    /// is left as it was and the staging folder is removed.
    pub fn finish(&self) -> Result<()> {
        let (staging, target) = (&self.staging, &self.target);
        if self.in_place {
            return replace_contents(staging, target);
        }
        if !target.exists() {
            return fs::rename(staging, target).map_err(|e| {
                self.abandon();
                SwapError::new("cannot move the new output in place", e)
            });
        }
        let git = target.join(".git");
        let kept_git = git.exists();
        if kept_git {
            if let Err(e) = fs::rename(&git, staging.join(".git")) {
                self.abandon();
                return Err(SwapError::new("cannot keep .git", e));
            }
        }
        let old = self
            .parent
            .join(format!(".{}.{OLD}{}", self.name, std::process::id()));
        match swap(staging, target, &old) {
            Ok(previous) => {
                self.keep_as_spare(&previous);
                Ok(())
            }
            Err(err) if err.err.kind() == io::ErrorKind::ResourceBusy => {
                restore_git(kept_git, staging, &git)?;
                let moved = target.join(format!(".{STAGING}{}", std::process::id()));
                remove_own(&moved);
                copy_tree(staging, &moved).map_err(|e| {
                    remove_own(&moved);
                    self.abandon();
                    SwapError::new("cannot write the site", e)
                })?;
                self.abandon();
                replace_contents(&moved, target)
            }
            Err(err) => {
                restore_git(kept_git, staging, &git).map_err(|restore| {
                    SwapError::new(
                        format!("{}: {}; and then {}", err.what, err.err, restore.what),
                        restore.err,
                    )
                })?;
                self.abandon();
                Err(err)
            }
        }
    }
}

/// Copies the folder `from` to `to` (which must not exist), for a staging folder that cannot be
/// renamed into the output.
fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &dest)?;
        } else {
            fs::copy(entry.path(), dest)?;
        }
    }
    Ok(())
}

/// Puts `.git` back into the output after a failed swap.
fn restore_git(kept: bool, staging: &Path, git: &Path) -> Result<()> {
    if !kept {
        return Ok(());
    }
    fs::rename(staging.join(".git"), git).map_err(|e| {
        SwapError::new(
            format!(
                "cannot put .git back; it is now in {}",
                staging.join(".git").display()
            ),
            e,
        )
    })
}

/// Swaps the staging folder in; returns where the previous output now is.
fn swap(staging: &Path, target: &Path, old: &Path) -> Result<PathBuf> {
    match exchange(staging, target) {
        Ok(()) => {
            // `staging` now holds the previous output.
            return Ok(staging.to_path_buf());
        }
        Err(e) if !exchange_unsupported(&e) => {
            return Err(SwapError::new("cannot move the new output in place", e));
        }
        Err(_) => {}
    }
    remove_own(old);
    fs::rename(target, old)
        .map_err(|e| SwapError::new("cannot move the previous output aside", e))?;
    if let Err(e) = fs::rename(staging, target) {
        return match fs::rename(old, target) {
            Ok(()) => Err(SwapError::new("cannot move the new output in place", e)),
            Err(restore) => Err(SwapError::new(
                format!(
                    "cannot move the new output in place ({e}); and the previous output could not be put back from {}",
                    old.display()
                ),
                restore,
            )),
        };
    }
    Ok(old.to_path_buf())
}

/// Exchanges two paths atomically.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// The exchange is not available here (old kernel, file system without it): rename instead.
fn exchange_unsupported(err: &io::Error) -> bool {
    matches!(err.kind(), io::ErrorKind::Unsupported) || err.raw_os_error() == Some(22)
    // EINVAL
}

/// Whether `target` is the root of a mounted file system (it cannot be renamed then).
#[cfg(unix)]
fn is_mount_point(target: &Path, parent: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::symlink_metadata(target), fs::metadata(parent)) {
        (Ok(t), Ok(p)) => t.is_dir() && t.dev() != p.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_mount_point(_: &Path, _: &Path) -> bool {
    false
}

/// Replaces what is inside `target` (keeping `.git`) when the folder itself cannot be swapped,
/// by the contents of `staging`, a finished staging folder inside `target`. The new files were
/// all written before anything is removed, so a failed build changes nothing.
fn replace_contents(staging: &Path, target: &Path) -> Result<()> {
    let staging_name = staging.file_name().map(std::ffi::OsStr::to_os_string);
    let fail = |e| SwapError::new("cannot replace the contents of the output folder", e);
    for entry in fs::read_dir(target).map_err(fail)? {
        let entry = entry.map_err(fail)?;
        let entry_name = entry.file_name();
        if entry_name == ".git" || Some(&entry_name) == staging_name.as_ref() {
            continue;
        }
        let path = entry.path();
        if entry.file_type().map_err(fail)?.is_dir() {
            fs::remove_dir_all(&path).map_err(fail)?;
        } else {
            fs::remove_file(&path).map_err(fail)?;
        }
    }
    for entry in fs::read_dir(staging).map_err(fail)? {
        let entry = entry.map_err(fail)?;
        fs::rename(entry.path(), target.join(entry.file_name())).map_err(fail)?;
    }
    fs::remove_dir(staging).map_err(fail)
}

/// Removes staging and old folders beside (or inside) `target` left by dossier processes that
/// are no longer running. A `.git` found in one is put back into the output if it has none; an
/// old output found while the output is missing (a swap interrupted between its two renames)
/// becomes the output again.
fn clean_stale(parent: &Path, name: &str, target: &Path) {
    let beside = [format!(".{name}.{STAGING}"), format!(".{name}.{OLD}")];
    for (dir, prefixes) in [
        (parent.to_path_buf(), beside.to_vec()),
        (target.to_path_buf(), vec![format!(".{STAGING}")]),
    ] {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let Some(pid) = prefixes
                .iter()
                .find_map(|p| file_name.strip_prefix(p.as_str()))
                .and_then(|rest| rest.parse::<u32>().ok())
            else {
                continue;
            };
            if pid == std::process::id() || process_is_alive(pid) {
                continue;
            }
            let path = entry.path();
            if file_name.contains(OLD) && !target.exists() && path.join(MARKER).is_file() {
                let _ = fs::rename(&path, target);
                continue;
            }
            let git = path.join(".git");
            if git.exists() && target.is_dir() && !target.join(".git").exists() {
                let _ = fs::rename(&git, target.join(".git"));
            }
            if !git.exists() {
                remove_own(&path);
            }
        }
    }
}

#[cfg(unix)]
fn process_is_alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    !matches!(
        rustix::process::test_kill_process(pid),
        Err(rustix::io::Errno::SRCH)
    )
}

#[cfg(not(unix))]
fn process_is_alive(_: u32) -> bool {
    // No cheap check: never remove another process's folder.
    true
}

/// Removes `dir` only if dossier made it (it has the marker), or it is an empty leftover.
pub(super) fn remove_own(dir: &Path) {
    if dir.join(MARKER).is_file() {
        let _ = fs::remove_dir_all(dir);
    } else if dir.is_dir() {
        let _ = fs::remove_dir(dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn the_swap_is_one_atomic_exchange_on_linux() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::create_dir(&a).unwrap();
        fs::create_dir(&b).unwrap();
        fs::write(a.join("x"), "from a").unwrap();
        exchange(&a, &b).unwrap();
        assert_eq!(fs::read_to_string(b.join("x")).unwrap(), "from a");
        assert!(!a.join("x").exists());
    }

    #[test]
    fn replacing_contents_keeps_git_and_drops_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(out.join(".git")).unwrap();
        fs::write(out.join(".git/HEAD"), "deploy").unwrap();
        fs::write(out.join("stale.html"), "old").unwrap();
        fs::create_dir_all(out.join("old/dir")).unwrap();
        let staging = out.join(format!(".{STAGING}{}", std::process::id()));
        fs::create_dir_all(&staging).unwrap();
        fs::write(staging.join(MARKER), MARKER_TEXT).unwrap();
        fs::write(staging.join("index.html"), "new").unwrap();
        replace_contents(&staging, &out).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        assert_eq!(fs::read_to_string(out.join(".git/HEAD")).unwrap(), "deploy");
        assert!(out.join(MARKER).is_file());
        let mut names: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, [".dossier-output", ".git", "index.html"]);
    }

    #[test]
    fn a_failed_swap_puts_git_back_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let staging = dir.path().join("staging");
        let git = dir.path().join("public/.git");
        fs::create_dir_all(staging.join(".git")).unwrap();
        // The output is gone: .git cannot go back, and the error says where it is.
        let err = restore_git(true, &staging, &git).unwrap_err();
        assert_eq!(
            err.what,
            format!(
                "cannot put .git back; it is now in {}",
                staging.join(".git").display()
            )
        );
        assert!(staging.join(".git").is_dir(), "the .git was deleted");
    }
}
