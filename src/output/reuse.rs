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
//! Both trees are walked one name at a time from an open folder (or in one call that refuses
//! any symlink on the way), never following a symlink, the folder above each file's folder kept
//! open for the files beside it ([`folders`]); only regular files are read or linked, and a link is checked to name the file that was compared.
//! Anything unexpected (a symlink, a FIFO, a file shared with other names, a failed link) falls
//! back to writing a new file. A file of the current output is never opened for writing, so the
//! output stays as it was until the swap.

use rustix::fs::{self as rfs, AtFlags, FileType, Mode, OFlags, Stat};
use rustix::io::Errno;
use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;

mod folders;
#[cfg(test)]
mod tests;

use folders::{remove_tree, split_last, Dir, Folders, DIR_FLAGS};

/// The new contents of one file.
pub(super) enum Content<'a> {
    Bytes(&'a [u8]),
    /// An opened source file, copied from its start.
    File(&'a mut File),
}

/// The folder being filled and, when there is one, the output it will replace.
#[derive(Debug)]
pub(super) struct Trees {
    staging: Folders,
    output: Option<Folders>,
}

const READ_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::NOFOLLOW)
    .union(OFlags::NONBLOCK)
    .union(OFlags::CLOEXEC);

/// The output's regular file at a name, open, and where it is.
struct Current<'a> {
    /// The folder above the file's folder (or the file's folder, when `folder` is `None`).
    above: Dir<'a>,
    folder: Option<&'a str>,
    file: File,
    stat: Stat,
}

impl Trees {
    /// Opens the staging folder and the output (a real folder, not a link), if it exists. A
    /// `recycled` staging folder holds files of an earlier output, listed as its folders open.
    pub(super) fn open(staging: &Path, output: &Path, recycled: bool) -> io::Result<Trees> {
        let staging = rfs::open(staging, DIR_FLAGS, Mode::empty())?;
        let staging = Folders::staging(staging, recycled)?;
        let output = rfs::open(output, DIR_FLAGS, Mode::empty()).ok();
        let output = output.map(Folders::output);
        Ok(Trees { staging, output })
    }

    /// How many folders were opened in the staging folder and in the output (roots not counted).
    #[cfg(test)]
    pub(super) fn folders_opened(&self) -> (usize, usize) {
        let output = self.output.as_ref().map_or(0, Folders::opened);
        (self.staging.opened(), output)
    }

    /// Makes `name` in the staging folder hold `content`.
    pub(super) fn put(&self, name: &str, mut content: Content<'_>) -> io::Result<()> {
        let (folders, leaf) = match name.rsplit_once('/') {
            Some((folders, leaf)) => (Some(folders), leaf),
            None => (None, name),
        };
        let current = self.current(folders, leaf);
        let unchanged = match &current {
            Some(current) => same_bytes(&current.file, &current.stat, &mut content)?,
            None => false,
        };
        let dir = self.staging.folder(folders, leaf)?;
        let existing = rfs::statat(&dir, leaf, AtFlags::SYMLINK_NOFOLLOW).ok();
        if let (true, Some(current)) = (unchanged, &current) {
            if existing
                .as_ref()
                .is_some_and(|e| same_file(e, &current.stat))
            {
                return Ok(());
            }
            clear(&dir, leaf, existing.as_ref())?;
            if link_from(current, &dir, leaf) {
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

    /// The output's regular file `folders/leaf`, opened without following symlinks; `None` when
    /// there is none (or something else is there).
    fn current<'a>(&'a self, folders: Option<&'a str>, leaf: &str) -> Option<Current<'a>> {
        let output = self.output.as_ref()?;
        let (above, folder) = match folders {
            None => (Dir::Root(output.root()), None),
            Some(folders) => {
                let (parent, folder) = split_last(folders);
                (output.kept(parent).ok()?, Some(folder))
            }
        };
        let file = match folder {
            None => rfs::openat(&above, leaf, READ_FLAGS, Mode::empty()).ok()?,
            Some(folder) => open_below(&above, folder, leaf)?,
        };
        let stat = rfs::fstat(&file).ok()?;
        (FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile).then(|| Current {
            above,
            folder,
            file: File::from(file),
            stat,
        })
    }
}

/// Opens `folder/leaf` of `above` for reading, following no symlink on the way: in one call
/// where the system can (Linux 5.6), else one name at a time.
fn open_below(above: &impl AsFd, folder: &str, leaf: &str) -> Option<OwnedFd> {
    #[cfg(target_os = "linux")]
    {
        use rfs::ResolveFlags;
        let resolve = ResolveFlags::NO_SYMLINKS | ResolveFlags::BENEATH;
        let path = format!("{folder}/{leaf}");
        match rfs::openat2(above, path.as_str(), READ_FLAGS, Mode::empty(), resolve) {
            Ok(file) => return Some(file),
            // Not available here (an old kernel, a filter on system calls): walk instead.
            Err(Errno::NOSYS | Errno::PERM | Errno::INVAL | Errno::OPNOTSUPP) => {}
            Err(_) => return None,
        }
    }
    let dir = rfs::openat(above, folder, DIR_FLAGS, Mode::empty()).ok()?;
    rfs::openat(&dir, leaf, READ_FLAGS, Mode::empty()).ok()
}

/// Hard-links the output's file `current` into `to` as `leaf`, from the output's folder opened
/// without following a symlink; false (and nothing left at `leaf`) when the link does not name
/// the file that was compared.
fn link_from(current: &Current<'_>, to: &impl AsFd, leaf: &str) -> bool {
    match current.folder {
        None => link_checked(&current.above, to, leaf, &current.stat),
        Some(folder) => rfs::openat(&current.above, folder, DIR_FLAGS, Mode::empty())
            .is_ok_and(|from| link_checked(&from, to, leaf, &current.stat)),
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

/// Removes whatever the staging folder has at `leaf` (a file, a symlink, a folder).
fn clear(dir: &impl AsFd, leaf: &str, existing: Option<&Stat>) -> io::Result<()> {
    let Some(existing) = existing else {
        return Ok(());
    };
    if FileType::from_raw_mode(existing.st_mode) == FileType::Directory {
        return remove_tree(dir, OsStr::new(leaf));
    }
    match rfs::unlinkat(dir, leaf, AtFlags::empty()) {
        Ok(()) | Err(Errno::NOENT) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Hard-links the output's `leaf` (in `from`) into `to`, and checks that the link names the
/// file that was compared; false (and nothing left at `leaf`) when it does not.
fn link_checked(from: &impl AsFd, to: &impl AsFd, leaf: &str, compared: &Stat) -> bool {
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
fn own_copy(dir: &impl AsFd, leaf: &str, existing: &Stat) -> Option<File> {
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

fn create(dir: &impl AsFd, leaf: &str, content: Content<'_>) -> io::Result<()> {
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

/// Removes from the staging folder everything the build did not write (`written`), keeping the
/// folders on the way to each written file and the top-level names in `keep` (the marker).
pub(super) fn prune(trees: &Trees, written: &HashSet<String>, keep: &[&str]) -> io::Result<()> {
    trees.staging.prune(written, keep)
}
