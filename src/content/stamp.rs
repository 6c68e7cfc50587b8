//! When a file read before can be trusted to be unchanged: its size and time stamp are the same as
//! when it was read, and the time stamp was already old then. A file whose time stamp was close to
//! the moment it was read is read again every time, since a change within the file system's time
//! stamp granularity would otherwise go unseen (the "racy" case that git handles the same way).
//!
//! Size and modification time alone are not enough: `cp -p`, `rsync -t` and `tar x` replace a
//! file and keep both. On Unix the stamp also holds the file's device, inode and change time
//! (ctime, which no user tool can set back), as git does.

use std::fs::Metadata;
use std::time::{Duration, SystemTime};

/// How long after its last change a file's time stamp is trusted.
const RACY: Duration = Duration::from_secs(2);

/// Size and time stamp of a file at the moment it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: SystemTime,
    read_at: SystemTime,
    identity: Identity,
}

/// Which file this is and when its inode last changed (Unix); nothing elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Identity {
    #[cfg(unix)]
    inode: (u64, u64),
    #[cfg(unix)]
    changed: (i64, i64),
}

impl Identity {
    #[cfg(unix)]
    fn of(meta: &Metadata) -> Identity {
        use std::os::unix::fs::MetadataExt;
        Identity {
            inode: (meta.dev(), meta.ino()),
            changed: (meta.ctime(), meta.ctime_nsec()),
        }
    }

    #[cfg(not(unix))]
    fn of(_: &Metadata) -> Identity {
        Identity {}
    }
}

impl Stamp {
    /// The stamp of a file about to be read, from its metadata.
    pub fn of(meta: &Metadata) -> Option<Stamp> {
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok()?,
            read_at: SystemTime::now(),
            identity: Identity::of(meta),
        })
    }

    /// True when a file with metadata `now` is certainly what was read under this stamp.
    pub fn still_matches(&self, now: &Metadata) -> bool {
        let settled = self
            .read_at
            .duration_since(self.modified)
            .is_ok_and(|age| age > RACY);
        settled
            && now.len() == self.len
            && now.modified().ok() == Some(self.modified)
            && Identity::of(now) == self.identity
    }
}

#[cfg(test)]
impl Stamp {
    /// This stamp as if the file had been read long after it was last changed.
    pub(crate) fn aged_for_tests(self) -> Stamp {
        Stamp {
            read_at: self.modified + Duration::from_secs(60),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_files_are_never_trusted_and_changed_ones_are_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "one").unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let stamp = Stamp::of(&meta).unwrap();
        assert!(!stamp.still_matches(&meta), "just written: racy");
        let old = Stamp {
            read_at: stamp.modified + Duration::from_secs(10),
            ..stamp
        };
        assert!(old.still_matches(&meta));
        std::fs::write(&path, "three").unwrap();
        assert!(!old.still_matches(&std::fs::metadata(&path).unwrap()));
    }

    #[test]
    fn a_replacement_keeping_size_and_time_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "one").unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let stamp = Stamp::of(&meta).unwrap().aged_for_tests();
        assert!(stamp.still_matches(&meta));
        // Like `rsync -t`: a new file renamed over the old one, with the old time stamp.
        let other = dir.path().join("b.md");
        std::fs::write(&other, "two").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&other)
            .unwrap()
            .set_modified(stamp.modified)
            .unwrap();
        std::fs::rename(&other, &path).unwrap();
        let now = std::fs::metadata(&path).unwrap();
        assert_eq!(
            (now.len(), now.modified().unwrap()),
            (meta.len(), stamp.modified)
        );
        assert!(!stamp.still_matches(&now));
    }
}
