//! Putting one file into a staging folder that may already hold files (the output before last,
//! recycled: see [`super::swap`]), reusing what is unchanged instead of making new inodes:
//!
//! - a file whose new bytes equal the current output's file is hard-linked from the output (it
//!   keeps its inode and modification time, so `rsync`-style deploys skip it), or left alone when
//!   the staging folder already links to it;
//! - a changed file overwrites the staging folder's own copy in place when no other name shares
//!   that copy, and is made anew otherwise;
//! - what the build did not write is removed from a recycled folder before the swap ([`prune`]).
//!
//! Both trees are walked one name at a time from an open folder, never following a symlink; only
//! regular files are read or linked, and a link is checked to name the file that was compared.
//! Anything unexpected (a symlink, a FIFO, a file shared with other names, a failed link) falls
//! back to writing a new file. A file of the current output is never opened for writing, so the
//! output stays as it was until the swap.

use rustix::fs::{self as rfs, AtFlags, FileType, Mode, OFlags, Stat};
use rustix::io::Errno;
use std::collections::HashSet;
use std::ffi::{CStr, OsStr, OsString};
use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// The new contents of one file.
pub(super) enum Content<'a> {
    Bytes(&'a [u8]),
    /// An opened source file, copied from its start.
    File(&'a mut File),
}

/// The folder being filled and, when there is one, the output it will replace.
#[derive(Debug)]
pub(super) struct Trees {
    staging: OwnedFd,
    output: Option<OwnedFd>,
}

const DIR_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC);
const READ_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::NOFOLLOW)
    .union(OFlags::NONBLOCK)
    .union(OFlags::CLOEXEC);

impl Trees {
    /// Opens the staging folder and the output (a real folder, not a link), if it exists.
    pub(super) fn open(staging: &Path, output: &Path) -> io::Result<Trees> {
        let staging = rfs::open(staging, DIR_FLAGS, Mode::empty())?;
        let output = rfs::open(output, DIR_FLAGS, Mode::empty()).ok();
        Ok(Trees { staging, output })
    }

    /// Makes `name` in the staging folder hold `content`.
    pub(super) fn put(&self, name: &str, mut content: Content<'_>) -> io::Result<()> {
        let (folders, leaf) = match name.rsplit_once('/') {
            Some((folders, leaf)) => (Some(folders), leaf),
            None => (None, name),
        };
        let current = self.current(folders, leaf);
        let unchanged = match &current {
            Some((_, file, stat)) => same_bytes(file, stat, &mut content)?,
            None => false,
        };
        let dir = staging_folder(&self.staging, folders)?;
        let existing = rfs::statat(&dir, leaf, AtFlags::SYMLINK_NOFOLLOW).ok();
        if let (true, Some((out_dir, _, stat))) = (unchanged, &current) {
            if existing.as_ref().is_some_and(|e| same_file(e, stat)) {
                return Ok(());
            }
            clear(&dir, leaf, existing.as_ref())?;
            if link_checked(out_dir, &dir, leaf, stat) {
                return Ok(());
            }
            return create(&dir, leaf, content);
        }
        if let Some(mut file) = existing.as_ref().and_then(|e| own_copy(&dir, leaf, e)) {
            return fill(&mut file, content);
        }
        clear(&dir, leaf, existing.as_ref())?;
        create(&dir, leaf, content)
    }

    /// The output's regular file `folders/leaf`, opened without following symlinks, with its
    /// folder; `None` when there is none (or something else is there).
    fn current(&self, folders: Option<&str>, leaf: &str) -> Option<(OwnedFd, File, Stat)> {
        let mut dir = rfs::openat(self.output.as_ref()?, ".", DIR_FLAGS, Mode::empty()).ok()?;
        for part in folders.into_iter().flat_map(|f| f.split('/')) {
            dir = rfs::openat(&dir, part, DIR_FLAGS, Mode::empty()).ok()?;
        }
        let file = rfs::openat(&dir, leaf, READ_FLAGS, Mode::empty()).ok()?;
        let stat = rfs::fstat(&file).ok()?;
        (FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile)
            .then(|| (dir, File::from(file), stat))
    }
}

/// Whether the output's `file` holds exactly `content`.
fn same_bytes(file: &File, stat: &Stat, content: &mut Content<'_>) -> io::Result<bool> {
    let size = u64::try_from(stat.st_size).unwrap_or(u64::MAX);
    match content {
        Content::Bytes(bytes) => {
            if size != bytes.len() as u64 {
                return Ok(false);
            }
            Ok(read_equals(file, bytes))
        }
        Content::File(source) => {
            if source.metadata()?.len() != size {
                return Ok(false);
            }
            let equal = files_equal(source, file);
            source.rewind()?;
            Ok(equal)
        }
    }
}

fn read_equals(mut file: &File, expected: &[u8]) -> bool {
    let mut buffer = vec![0; expected.len().min(1 << 16)];
    let mut at = 0;
    while at < expected.len() {
        let want = buffer.len().min(expected.len() - at);
        match file.read(&mut buffer[..want]) {
            Ok(0) | Err(_) => return false,
            Ok(n) if buffer[..n] != expected[at..at + n] => return false,
            Ok(n) => at += n,
        }
    }
    // Nothing more: the file did not grow since it was measured.
    matches!(file.read(&mut [0]), Ok(0))
}

fn files_equal(source: &mut File, output: &File) -> bool {
    let mut chunk = vec![0; 1 << 16];
    loop {
        match source.read(&mut chunk) {
            Ok(0) => return read_equals(output, &[]),
            Ok(n) => {
                if !read_equals_prefix(output, &chunk[..n]) {
                    return false;
                }
            }
            Err(_) => return false,
        }
    }
}

/// Reads exactly `expected.len()` bytes of `file` and compares them.
fn read_equals_prefix(mut file: &File, expected: &[u8]) -> bool {
    let mut buffer = vec![0; expected.len()];
    file.read_exact(&mut buffer).is_ok() && buffer == expected
}

fn same_file(a: &Stat, b: &Stat) -> bool {
    a.st_dev == b.st_dev && a.st_ino == b.st_ino
}

/// The folder `folders` of the staging folder, made where missing; a symlink or a file in the
/// way (left by a previous output) is removed, never followed.
fn staging_folder(root: &OwnedFd, folders: Option<&str>) -> io::Result<OwnedFd> {
    let mut dir = rfs::openat(root, ".", DIR_FLAGS, Mode::empty())?;
    for part in folders.into_iter().flat_map(|f| f.split('/')) {
        dir = open_or_make(&dir, part)?;
    }
    Ok(dir)
}

fn open_or_make(dir: &OwnedFd, part: &str) -> io::Result<OwnedFd> {
    for _ in 0..3 {
        match rfs::openat(dir, part, DIR_FLAGS, Mode::empty()) {
            Ok(opened) => return Ok(opened),
            Err(Errno::NOENT) => {}
            Err(Errno::LOOP | Errno::NOTDIR) => match rfs::unlinkat(dir, part, AtFlags::empty()) {
                Ok(()) | Err(Errno::NOENT) => {}
                Err(e) => return Err(e.into()),
            },
            Err(e) => return Err(e.into()),
        }
        match rfs::mkdirat(dir, part, Mode::from_bits_truncate(0o777)) {
            Ok(()) | Err(Errno::EXIST) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Err(io::Error::other(format!(
        "`{part}` kept changing while it was made"
    )))
}

/// Removes whatever the staging folder has at `leaf` (a file, a symlink, a folder).
fn clear(dir: &OwnedFd, leaf: &str, existing: Option<&Stat>) -> io::Result<()> {
    let Some(existing) = existing else {
        return Ok(());
    };
    if FileType::from_raw_mode(existing.st_mode) == FileType::Directory {
        return remove_tree(dir, leaf);
    }
    match rfs::unlinkat(dir, leaf, AtFlags::empty()) {
        Ok(()) | Err(Errno::NOENT) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Hard-links the output's `leaf` (in `from`) into `to`, and checks that the link names the
/// file that was compared; false (and nothing left at `leaf`) when it does not.
fn link_checked(from: &OwnedFd, to: &OwnedFd, leaf: &str, compared: &Stat) -> bool {
    if rfs::linkat(from, leaf, to, leaf, AtFlags::empty()).is_err() {
        return false;
    }
    // The same file, not written to since it was compared (a write would move its time).
    let unchanged = |l: Stat| {
        same_file(&l, compared)
            && l.st_size == compared.st_size
            && (l.st_mtime, l.st_mtime_nsec) == (compared.st_mtime, compared.st_mtime_nsec)
    };
    if rfs::statat(to, leaf, AtFlags::SYMLINK_NOFOLLOW).is_ok_and(unchanged) {
        return true;
    }
    let _ = rfs::unlinkat(to, leaf, AtFlags::empty());
    false
}

/// The staging folder's own copy at `leaf`, opened for writing: a regular file no other name
/// shares (so not the output's), checked on the opened file.
fn own_copy(dir: &OwnedFd, leaf: &str, existing: &Stat) -> Option<File> {
    if FileType::from_raw_mode(existing.st_mode) != FileType::RegularFile || existing.st_nlink != 1
    {
        return None;
    }
    let flags = OFlags::WRONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let file = rfs::openat(dir, leaf, flags, Mode::empty()).ok()?;
    let opened = rfs::fstat(&file).ok()?;
    let alone = FileType::from_raw_mode(opened.st_mode) == FileType::RegularFile
        && opened.st_nlink == 1
        && same_file(&opened, existing);
    alone.then(|| File::from(file))
}

fn create(dir: &OwnedFd, leaf: &str, content: Content<'_>) -> io::Result<()> {
    let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let file = rfs::openat(dir, leaf, flags, Mode::from_bits_truncate(0o666))?;
    fill(&mut File::from(file), content)
}

/// Writes `content` from the start of `file` and cuts what was there after it.
fn fill(file: &mut File, content: Content<'_>) -> io::Result<()> {
    let written = match content {
        Content::Bytes(bytes) => {
            file.write_all(bytes)?;
            bytes.len() as u64
        }
        Content::File(source) => io::copy(source, file)?,
    };
    file.set_len(written)
}

/// Removes the folder `leaf` of `dir` and everything in it, without following symlinks.
fn remove_tree(dir: &OwnedFd, leaf: impl AsRef<OsStr>) -> io::Result<()> {
    let leaf = leaf.as_ref();
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

/// Removes from the staging folder everything the build did not write (`written`), keeping the
/// folders on the way to each written file and the top-level names in `keep` (the marker).
pub(super) fn prune(trees: &Trees, written: &HashSet<String>, keep: &[&str]) -> io::Result<()> {
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
    let root = rfs::openat(&trees.staging, ".", DIR_FLAGS, Mode::empty())?;
    prune_in(&root, "", written, &folders, keep)
}

fn prune_in(
    dir: &OwnedFd,
    prefix: &str,
    written: &HashSet<String>,
    folders: &HashSet<&str>,
    keep: &[&str],
) -> io::Result<()> {
    for (name, is_dir) in entries(dir)? {
        // A name that is not UTF-8 is nothing the site wrote.
        let path = name.to_str().map(|n| format!("{prefix}{n}"));
        let path = path.as_deref().unwrap_or_default();
        if is_dir && folders.contains(path) {
            let inner = rfs::openat(dir, name.as_os_str(), DIR_FLAGS, Mode::empty())?;
            prune_in(&inner, &format!("{path}/"), written, folders, keep)?;
        } else if is_dir {
            remove_tree(dir, &name)?;
        } else {
            let kept = written.contains(path) || (prefix.is_empty() && keep.contains(&path));
            if !kept {
                rfs::unlinkat(dir, name.as_os_str(), AtFlags::empty())?;
            }
        }
    }
    Ok(())
}
