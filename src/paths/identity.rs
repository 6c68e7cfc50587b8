//! Which file a source path named when the sources were walked, so that the file read later (to
//! copy or parse it) is that same file. Between the walk, which checks that no symlink leads out
//! of the site, and the read, the file (or a folder above it) could be swapped for a symlink to
//! anything on the machine; reading the path again would follow it. So the walk records each
//! file's identity (device and inode, on Unix), and every later read opens the path, asks the
//! opened file for its identity (`fstat`) and refuses it when it differs.
//!
//! Elsewhere than Unix there is no identity to compare, and reads are not checked.

use std::fs::{File, Metadata};
use std::io;
use std::path::Path;

/// The device and inode of a file, as the walk saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileId {
    device: u64,
    inode: u64,
}

/// The message of the error [`open_walked`] gives for a file that is not the one walked.
pub const CHANGED: &str =
    "it changed while the site was being built (it is no longer the file that was checked)";

impl FileId {
    /// The identity of the file `meta` describes (`None` where there is none to compare).
    #[cfg(unix)]
    pub fn of(meta: &Metadata) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        Some(FileId {
            device: meta.dev(),
            inode: meta.ino(),
        })
    }

    #[cfg(not(unix))]
    pub fn of(_meta: &Metadata) -> Option<FileId> {
        None
    }
}

/// Opens `path` for reading, checking that it is still the regular file `expected` (when known).
/// A file swapped for something else, a symlink to another file included, is an error whose
/// message is [`CHANGED`], and nothing of it is read. A FIFO put in its place does not block.
pub fn open_walked(path: &Path, expected: Option<FileId>) -> io::Result<File> {
    let file = open_without_blocking(path)?;
    let Some(expected) = expected else {
        return Ok(file);
    };
    let meta = file.metadata()?;
    if !meta.is_file() || FileId::of(&meta) != Some(expected) {
        return Err(io::Error::other(CHANGED));
    }
    Ok(file)
}

/// Whether `err` is the error [`open_walked`] gives for a swapped file.
pub fn is_changed(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::Other && err.to_string() == CHANGED
}

/// The whole of `path`, checked like [`open_walked`].
pub fn read_walked(path: &Path, expected: Option<FileId>) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    io::Read::read_to_end(&mut open_walked(path, expected)?, &mut bytes)?;
    Ok(bytes)
}

#[cfg(unix)]
fn open_without_blocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let nonblocking = rustix::fs::OFlags::NONBLOCK.bits();
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(i32::try_from(nonblocking).unwrap_or_default())
        .open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;

    fn id(path: &Path) -> Option<FileId> {
        FileId::of(&std::fs::metadata(path).unwrap())
    }

    #[test]
    fn the_walked_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.css");
        std::fs::write(&file, "a").unwrap();
        assert_eq!(read_walked(&file, id(&file)).unwrap(), b"a");
    }

    #[test]
    fn a_file_swapped_for_a_symlink_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.css");
        let secret = dir.path().join("secret");
        std::fs::write(&file, "a").unwrap();
        std::fs::write(&secret, "secret").unwrap();
        let walked = id(&file);
        std::fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink(&secret, &file).unwrap();
        let err = read_walked(&file, walked).unwrap_err();
        assert!(is_changed(&err), "{err}");
    }

    #[test]
    fn a_fifo_in_its_place_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.css");
        std::fs::write(&file, "a").unwrap();
        let walked = id(&file);
        std::fs::remove_file(&file).unwrap();
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &file,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
        let err = read_walked(&file, walked).unwrap_err();
        assert!(is_changed(&err), "{err}");
    }
}
