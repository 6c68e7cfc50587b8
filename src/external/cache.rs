//! The answers of earlier checks, on disk (`.dossier-cache/external-links.json` in the site
//! folder, beside `content/`; never published, and git-ignored by the starters). An answer is
//! trusted for `max_age`; a link that could not be reached at all (a timeout, a refused
//! connection) is never kept, so it is asked again next time.

use super::Answer;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use crate::paths::CACHE_DIR;
const FILE: &str = "external-links.json";

/// One kept answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Kept {
    answer: Answer,
    /// Seconds since 1970 when the link was checked.
    checked_at: u64,
}

/// Every kept answer, by URL.
#[derive(Debug, Default)]
pub(super) struct AnswerCache {
    path: PathBuf,
    answers: BTreeMap<String, Kept>,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl AnswerCache {
    /// The cache of the site at `root`; empty when there is none or it cannot be read.
    pub(super) fn load(root: &Path) -> Self {
        let path = root.join(CACHE_DIR).join(FILE);
        let answers = fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        AnswerCache { path, answers }
    }

    /// The answer for `url` if it was checked less than `max_age` ago.
    pub(super) fn fresh(&self, url: &str, max_age: Duration) -> Option<&Answer> {
        let kept = self.answers.get(url)?;
        let age = now_secs().saturating_sub(kept.checked_at);
        (age < max_age.as_secs()).then_some(&kept.answer)
    }

    /// Keeps `answer` for `url`, unless it says the site could not be reached.
    pub(super) fn keep(&mut self, url: &str, answer: &Answer) {
        if matches!(answer, Answer::Failed { .. }) {
            self.answers.remove(url);
            return;
        }
        let kept = Kept {
            answer: answer.clone(),
            checked_at: now_secs(),
        };
        self.answers.insert(url.to_owned(), kept);
    }

    /// Writes the cache back; a cache that cannot be written only costs requests next time.
    pub(super) fn save(&self) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir)?;
        }
        let json = serde_json::to_vec_pretty(&self.answers).map_err(std::io::Error::other)?;
        fs::write(&self.path, json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_kept_until_they_expire_and_failures_are_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = AnswerCache::load(dir.path());
        cache.keep("https://a.org/", &Answer::Dead { status: 404 });
        cache.keep(
            "https://b.org/",
            &Answer::Failed {
                reason: "did not answer in time".into(),
            },
        );
        cache.save().unwrap();
        let cache = AnswerCache::load(dir.path());
        let day = Duration::from_secs(86_400);
        assert_eq!(
            cache.fresh("https://a.org/", day),
            Some(&Answer::Dead { status: 404 })
        );
        assert_eq!(cache.fresh("https://a.org/", Duration::ZERO), None);
        assert_eq!(cache.fresh("https://b.org/", day), None);
    }
}
