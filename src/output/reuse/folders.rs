//! The folders of the two trees a build fills and compares (the staging folder and the output),
//! opened one name at a time without following a symlink, and opened once per build where many
//! files share them: the folder above each file's own folder (a section's folder, above its
//! pages' folders) is kept open in a small cache, so a page costs one folder lookup in each tree
//! instead of one per part of its path.
//!
//! In a recycled staging folder (which holds the output before last), each folder is listed the
//! first time the build opens it, while it is at hand; what was listed and not written is removed
//! at the end ([`Folders::prune`]) without walking the tree again.

use rustix::fs::{self as rfs, AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;
use std::collections::{HashMap, HashSet};
use std::ffi::{CStr, OsStr, OsString};
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

pub(super) const DIR_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC);

/// How many folders each tree keeps open at most (pages of one folder are written close
/// together, so a few dozen cover every thread's current section).
const KEPT_OPEN: usize = 64;

/// One tree's root, and its folders opened so far.
#[derive(Debug)]
pub(super) struct Folders {
    root: OwnedFd,
    /// Missing folders are made (the staging folder) rather than reported missing (the output).
    make: bool,
    /// Open folders by path (no leading or trailing `/`), each the parent of a file's folder.
    open: Mutex<HashMap<Box<str>, Arc<OwnedFd>>>,
    /// What a recycled staging folder held, listed as its folders were first opened.
    listing: Option<Listing>,
    /// How many folders were opened (the root not counted): a measure of the work, for tests.
    opened: AtomicUsize,
}

#[derive(Debug, Default)]
struct Listing {
    /// Folders listed that held more than the file being written, by path.
    seen: Mutex<HashSet<Box<str>>>,
    /// Each listed folder with the names found in it, NUL-separated.
    found: Mutex<Vec<(Box<str>, Vec<u8>)>>,
}

/// A folder of a tree, open: the root, a kept folder, or one opened for a single file.
pub(super) enum Dir<'a> {
    Root(&'a OwnedFd),
    Kept(Arc<OwnedFd>),
    Own(OwnedFd),
}

impl AsFd for Dir<'_> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        match self {
            Dir::Root(fd) => fd.as_fd(),
            Dir::Kept(fd) => fd.as_fd(),
            Dir::Own(fd) => fd.as_fd(),
        }
    }
}

/// `folders` split into the part kept open and the last name: `a/b/c` → (`a/b`, `c`).
pub(super) fn split_last(folders: &str) -> (&str, &str) {
    folders.rsplit_once('/').unwrap_or(("", folders))
}

impl Folders {
    /// The output, compared with: nothing is made or listed in it.
    pub(super) fn output(root: OwnedFd) -> Folders {
        Folders::new(root, false, None)
    }

    /// The staging folder; a recycled one is listed as it is opened, starting with its root.
    pub(super) fn staging(root: OwnedFd, recycled: bool) -> io::Result<Folders> {
        let listing = recycled.then(Listing::default);
        let folders = Folders::new(root, true, listing);
        if let Some(listing) = &folders.listing {
            listing.list(&folders.root, "", None)?;
        }
        Ok(folders)
    }

    fn new(root: OwnedFd, make: bool, listing: Option<Listing>) -> Folders {
        Folders {
            root,
            make,
            open: Mutex::default(),
            listing,
            opened: AtomicUsize::new(0),
        }
    }

    pub(super) fn root(&self) -> &OwnedFd {
        &self.root
    }

    #[cfg(test)]
    pub(super) fn opened(&self) -> usize {
        self.opened.load(Ordering::Relaxed)
    }

    /// The folder `path` (its parent kept open), made where missing in the staging folder; `leaf`
    /// is the file about to be written into it, which its listing need not keep.
    pub(super) fn folder(&self, path: Option<&str>, leaf: &str) -> io::Result<Dir<'_>> {
        let Some(path) = path else {
            return Ok(Dir::Root(&self.root));
        };
        let (parent, last) = split_last(path);
        let above = self.kept(parent)?;
        self.step(&above, parent, last, Some(leaf)).map(Dir::Own)
    }

    /// The folder `path` (`""` is the root), from the cache or opened and kept.
    pub(super) fn kept(&self, path: &str) -> io::Result<Dir<'_>> {
        if path.is_empty() {
            return Ok(Dir::Root(&self.root));
        }
        let open = |map: &HashMap<Box<str>, Arc<OwnedFd>>| map.get(path).cloned();
        if let Some(dir) = open(&self.open.lock().unwrap_or_else(PoisonError::into_inner)) {
            return Ok(Dir::Kept(dir));
        }
        let mut dir = Dir::Root(&self.root);
        let mut walked = 0;
        for part in path.split('/') {
            let next = self.step(&dir, &path[..walked.max(1) - 1], part, None)?;
            walked += part.len() + 1;
            dir = Dir::Own(next);
        }
        let Dir::Own(dir) = dir else {
            return Err(io::Error::other("an empty folder name"));
        };
        let dir = Arc::new(dir);
        let mut map = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= KEPT_OPEN {
            map.clear();
        }
        map.insert(path.into(), Arc::clone(&dir));
        Ok(Dir::Kept(dir))
    }

    /// Opens `name` in `dir` (the folder at `dir_path`), made there when missing in the staging
    /// folder; in a recycled staging folder, one that was there already is listed (once, unless it
    /// held nothing but `leaf`: see [`Listing::list`]).
    fn step(
        &self,
        dir: &Dir<'_>,
        dir_path: &str,
        name: &str,
        leaf: Option<&str>,
    ) -> io::Result<OwnedFd> {
        self.opened.fetch_add(1, Ordering::Relaxed);
        if !self.make {
            return rfs::openat(dir, name, DIR_FLAGS, Mode::empty()).map_err(Into::into);
        }
        let (opened, made) = open_or_make(dir, name)?;
        // A folder just made holds nothing to list.
        if let (Some(listing), false) = (&self.listing, made) {
            let path = if dir_path.is_empty() {
                name.to_owned()
            } else {
                format!("{dir_path}/{name}")
            };
            listing.list(&opened, &path, leaf)?;
        }
        Ok(opened)
    }

    /// Removes from the recycled staging folder what its listings found and the build did not
    /// write (`written`), keeping the folders on the way to each written file and the top-level
    /// names in `keep` (the marker).
    pub(super) fn prune(&self, written: &HashSet<String>, keep: &[&str]) -> io::Result<()> {
        let Some(listing) = &self.listing else {
            return Ok(());
        };
        let on_the_way = folders_of(written);
        let found = listing.found.lock().unwrap_or_else(PoisonError::into_inner);
        for (folder, names) in found.iter() {
            let stale: Vec<&[u8]> = names
                .split(|b| *b == 0)
                .filter(|name| !name.is_empty())
                .filter(|name| {
                    let path = match folder.is_empty() {
                        true => name.to_vec(),
                        false => [folder.as_bytes(), b"/", name].concat(),
                    };
                    // A name that is not UTF-8 is nothing the site wrote.
                    let Ok(path) = std::str::from_utf8(&path) else {
                        return true;
                    };
                    let kept = written.contains(path)
                        || on_the_way.contains(path)
                        || (folder.is_empty() && keep.contains(&path));
                    !kept
                })
                .collect();
            if !stale.is_empty() {
                self.remove_all(folder, &stale)?;
            }
        }
        Ok(())
    }

    /// Removes `names` (files, symlinks or folders) from the staging folder's `folder`.
    fn remove_all(&self, folder: &str, names: &[&[u8]]) -> io::Result<()> {
        let mut dir = Dir::Root(&self.root);
        for part in folder.split('/').filter(|p| !p.is_empty()) {
            match rfs::openat(&dir, part, DIR_FLAGS, Mode::empty()) {
                Ok(next) => dir = Dir::Own(next),
                // Removed since it was listed (a file put where it was): nothing left to prune.
                Err(Errno::NOENT | Errno::NOTDIR | Errno::LOOP) => return Ok(()),
                Err(e) => return Err(e.into()),
            }
        }
        for name in names {
            remove_any(&dir, OsStr::from_bytes(name))?;
        }
        Ok(())
    }
}

impl Listing {
    /// Lists `dir` (at `path`), leaving out `leaf`, the file being written there. A folder that
    /// held nothing else is not remembered (most pages' folders hold one file): should it be
    /// opened again, it is listed again, which finds only what this build wrote (kept anyway).
    /// One that held more is listed once per build.
    fn list(&self, dir: &OwnedFd, path: &str, leaf: Option<&str>) -> io::Result<()> {
        if self.seen_before(path) {
            return Ok(());
        }
        let mut names = Vec::new();
        each_name(dir, |name| {
            if leaf.is_none_or(|leaf| name != leaf.as_bytes()) {
                names.extend_from_slice(name);
                names.push(0);
            }
        })?;
        if names.is_empty() {
            return Ok(());
        }
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        // Listed at the same time by another thread: one listing is enough.
        if seen.insert(path.into()) {
            drop(seen);
            let mut found = self.found.lock().unwrap_or_else(PoisonError::into_inner);
            found.push((path.into(), names));
        }
        Ok(())
    }

    fn seen_before(&self, path: &str) -> bool {
        let seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        seen.contains(path)
    }
}

/// Every folder on the way to a written file.
fn folders_of(written: &HashSet<String>) -> HashSet<&str> {
    let mut folders = HashSet::new();
    for name in written {
        let mut rest = name.as_str();
        while let Some((parent, _)) = rest.rsplit_once('/') {
            if !folders.insert(parent) {
                break;
            }
            rest = parent;
        }
    }
    folders
}

/// Opens the folder `part` of `dir`, made when missing (and whether it was); a symlink or a
/// file in the way (left by a previous output) is removed, never followed.
pub(super) fn open_or_make(dir: &impl AsFd, part: &str) -> io::Result<(OwnedFd, bool)> {
    let mut made = false;
    for _ in 0..3 {
        match rfs::openat(dir, part, DIR_FLAGS, Mode::empty()) {
            Ok(opened) => return Ok((opened, made)),
            Err(Errno::NOENT) => {}
            Err(Errno::LOOP | Errno::NOTDIR) => match rfs::unlinkat(dir, part, AtFlags::empty()) {
                Ok(()) | Err(Errno::NOENT) => {}
                Err(e) => return Err(e.into()),
            },
            Err(e) => return Err(e.into()),
        }
        match rfs::mkdirat(dir, part, Mode::from_bits_truncate(0o777)) {
            Ok(()) => made = true,
            Err(Errno::EXIST) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Err(io::Error::other(format!(
        "`{part}` kept changing while it was made"
    )))
}

/// Removes whatever `dir` has at `name` (a file, a symlink, a folder with all it holds).
pub(super) fn remove_any(dir: &impl AsFd, name: &OsStr) -> io::Result<()> {
    match rfs::unlinkat(dir, name, AtFlags::empty()) {
        Ok(()) | Err(Errno::NOENT) => Ok(()),
        // A folder (Linux says EISDIR, POSIX allows EPERM).
        Err(Errno::ISDIR | Errno::PERM) => remove_tree(dir, name),
        Err(e) => Err(e.into()),
    }
}

/// Removes the folder `leaf` of `dir` and everything in it, without following symlinks.
pub(super) fn remove_tree(dir: &impl AsFd, leaf: &OsStr) -> io::Result<()> {
    let opened = match rfs::openat(dir, leaf, DIR_FLAGS, Mode::empty()) {
        Ok(opened) => opened,
        Err(Errno::NOENT) => return Ok(()),
        Err(Errno::LOOP | Errno::NOTDIR) => {
            return rfs::unlinkat(dir, leaf, AtFlags::empty()).map_err(Into::into)
        }
        Err(e) => return Err(e.into()),
    };
    for (name, is_dir) in entries(&opened)? {
        if is_dir {
            remove_tree(&opened, &name)?;
        } else {
            rfs::unlinkat(&opened, name.as_os_str(), AtFlags::empty())?;
        }
    }
    match rfs::unlinkat(dir, leaf, AtFlags::REMOVEDIR) {
        Ok(()) | Err(Errno::NOENT) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Calls `found` with each name in `dir` (not `.` and `..`), reading from the folder's own
/// position (the start: it was just opened), so that no second descriptor is needed.
#[cfg(target_os = "linux")]
fn each_name(dir: &OwnedFd, mut found: impl FnMut(&[u8])) -> io::Result<()> {
    let mut buffer = Vec::with_capacity(8192);
    let mut reader = rfs::RawDir::new(dir, buffer.spare_capacity_mut());
    while let Some(entry) = reader.next() {
        let entry = entry?;
        let name = entry.file_name().to_bytes();
        if name != b"." && name != b".." {
            found(name);
        }
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn each_name(dir: &OwnedFd, mut found: impl FnMut(&[u8])) -> io::Result<()> {
    for (name, _) in entries(dir)? {
        found(name.as_bytes());
    }
    Ok(())
}

/// The names in `dir` (not `.` and `..`), and whether each is a folder (a symlink is not).
fn entries(dir: &OwnedFd) -> io::Result<Vec<(OsString, bool)>> {
    let mut found = Vec::new();
    let mut reader = rfs::Dir::read_from(dir.as_fd())?;
    while let Some(entry) = reader.read() {
        let entry = entry?;
        let name: &CStr = entry.file_name();
        if name.to_bytes() == b"." || name.to_bytes() == b".." {
            continue;
        }
        let is_dir = match entry.file_type() {
            FileType::Unknown => rfs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW)
                .is_ok_and(|s| FileType::from_raw_mode(s.st_mode) == FileType::Directory),
            other => other == FileType::Directory,
        };
        found.push((OsStr::from_bytes(name.to_bytes()).to_owned(), is_dir));
    }
    Ok(found)
}
