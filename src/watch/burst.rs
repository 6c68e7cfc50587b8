//! One published rebuild per burst of changes, without waiting for the burst to end first.
//!
//! A rebuild starts as soon as the first events of a change are in. Waiting for the file system
//! to be quiet (the settle time, longer once a change touches many files) still decides what is
//! published, but it runs beside the build instead of before it: a build is handed back only
//! when no event came in while it ran and the change has been quiet for its settle time since
//! its last event. A build that more events of the same burst overtake is *abandoned*: never
//! handed back (so never served, written or printed), and the site is built again after the
//! whole burst. So a burst gives one published rebuild, as when every build waited for the
//! quiet, and a single save is served a settle time sooner.
//!
//! Knows nothing of notify or of building: [`Events`] brings the events, the caller's closure
//! builds.

use super::change::Change;
use std::time::{Duration, Instant};

/// How long after a batch of events to wait for more before a rebuild is published, so that a
/// burst spread over several debouncer ticks still gives one rebuild.
pub const SETTLE: Duration = Duration::from_millis(14);
/// The same once a change touches many files: a `git checkout` or a copy is under way, and
/// waiting a little longer for its end saves a second rebuild.
pub const SETTLE_BURST: Duration = Duration::from_millis(60);
/// How many changed paths make a burst.
pub const BURST: usize = 8;

/// Where the events of a burst come from (the [`super::Watcher`], or a test's).
pub trait Events {
    /// Adds to `change` the events that come in within `wait` (with no wait: those already
    /// in), and says whether any of them is about the site's inputs. `None` once watching has
    /// stopped.
    fn more(&mut self, change: &mut Change, wait: Duration) -> Option<bool>;
}

/// The settle time of `change`.
pub fn settle_time(change: &Change) -> Duration {
    if change.paths.len() >= BURST {
        SETTLE_BURST
    } else {
        SETTLE
    }
}

/// The build that was published for a burst.
#[derive(Debug)]
pub struct Settled<T> {
    /// Every file the burst changed.
    pub change: Change,
    /// What the published build gave.
    pub outcome: T,
    /// Builds of the same burst that later events overtook, dropped unpublished.
    pub abandoned: usize,
}

/// Builds after `change` (whose last events came in just now) with `build` at once, and hands
/// back the first build that no later event of the burst overtakes; `None` once watching has
/// stopped.
pub fn settle<T>(
    events: &mut impl Events,
    mut change: Change,
    mut build: impl FnMut(&Change) -> T,
) -> Option<Settled<T>> {
    let mut last_event = Instant::now();
    let mut abandoned = 0;
    loop {
        let outcome = build(&change);
        let mut went_on = false;
        loop {
            let quiet = settle_time(&change).saturating_sub(last_event.elapsed());
            if !events.more(&mut change, quiet)? {
                break;
            }
            went_on = true;
            last_event = Instant::now();
        }
        if !went_on {
            return Some(Settled {
                change,
                outcome,
                abandoned,
            });
        }
        // The build may have read some of the files half-way through the burst.
        drop(outcome);
        abandoned += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    /// Events handed out in the order given, one batch per call; an empty queue is quiet.
    struct Scripted(VecDeque<&'static str>);

    impl Events for Scripted {
        fn more(&mut self, change: &mut Change, _wait: Duration) -> Option<bool> {
            let Some(path) = self.0.pop_front() else {
                return Some(false);
            };
            change.paths.insert(path.into());
            Some(true)
        }
    }

    fn change(path: &str) -> Change {
        let mut change = Change::default();
        change.paths.insert(path.into());
        change
    }

    #[test]
    fn a_quiet_change_publishes_its_first_build() {
        let mut builds = 0;
        let settled = settle(
            &mut Scripted(VecDeque::new()),
            change("content/a.md"),
            |_| {
                builds += 1;
                builds
            },
        )
        .unwrap();
        assert_eq!((settled.outcome, settled.abandoned, builds), (1, 0, 1));
    }

    #[test]
    fn builds_overtaken_by_the_burst_are_abandoned() {
        let mut seen = Vec::new();
        let events = VecDeque::from(["content/b.md", "content/c.md"]);
        let settled = settle(&mut Scripted(events), change("content/a.md"), |c| {
            seen.push(c.paths.len());
            c.paths.len()
        })
        .unwrap();
        // Both later events came while the first build ran: one build again, with all three.
        assert_eq!(seen, [1, 3]);
        assert_eq!(settled.outcome, 3);
        assert_eq!(settled.abandoned, 1);
        assert_eq!(settled.change.paths.len(), 3);
    }
}
