//! When a file read before can be trusted to be unchanged: its size and time stamp are the same as
//! when it was read, and the time stamp was already old then. A file whose time stamp was close to
//! the moment it was read is read again every time, since a change within the file system's time
//! stamp granularity would otherwise go unseen (the "racy" case that git handles the same way).

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
}

impl Stamp {
    /// The stamp of a file about to be read, from its metadata.
    pub fn of(meta: &Metadata) -> Option<Stamp> {
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok()?,
            read_at: SystemTime::now(),
        })
    }

    /// True when a file with metadata `now` is certainly what was read under this stamp.
    pub fn still_matches(&self, now: &Metadata) -> bool {
        let settled = self
            .read_at
            .duration_since(self.modified)
            .is_ok_and(|age| age > RACY);
        settled && now.len() == self.len && now.modified().ok() == Some(self.modified)
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
}
