//! Kept bodies set aside on disk: the packed HTML of every kept body (with what only its page
//! reads, see [`Body::pack_for_page`]) is appended to an unnamed temporary file beside the site
//! (a [`Spill`], as a one-off build does), so that the dev server's memory holds the served
//! pages but not a second, body-only copy of the site, which is read back only for a page
//! rendered again.
//!
//! A body rendered again leaves its old bytes in the file; once the file holds more than twice
//! what its bodies still need (and a margin), new bodies go to a fresh file, and the old one is
//! closed, and gone, when the last body in it is replaced. The print page reads every body on
//! every build: while it is made, bodies stay packed in memory (see [`Spills::for_print`]).

use super::super::bodies::Body;
use super::super::packed::{Packed, Spill};
use std::path::Path;
use std::sync::Arc;

/// Leave room for this much left behind before a fresh file is started.
const MARGIN: u64 = 16 << 20;

/// How much is written to the current file between two counts of what its bodies still need.
const RECOUNT: u64 = MARGIN / 4;

/// The file new bodies are set aside in, when there is one.
#[derive(Default)]
pub(super) struct Spills {
    current: Option<Arc<Spill>>,
    /// The size of the current file when what its bodies need was last counted.
    counted_at: Option<u64>,
    /// Every kept body is held in memory (none is in a spill).
    all_held: bool,
}

impl Spills {
    /// The spill for this build's new bodies, in the folder `near`: the current one, or a fresh
    /// one when the current one holds mostly bytes no body needs (`live` counts those still
    /// needed in each spill). Counting reads every kept body, so it is done again only once
    /// another [`RECOUNT`] bytes were written to the file since the last count: only new
    /// bodies make it grow, and a body edit writes a few kilobytes.
    pub fn for_build(&mut self, near: &Path, live: impl Fn(&Arc<Spill>) -> u64) {
        self.all_held = false;
        let worn = (self.current.as_ref()).is_some_and(|spill| {
            let written = spill.written();
            if self.counted_at.is_some_and(|at| written < at + RECOUNT) {
                return false;
            }
            self.counted_at = Some(written);
            written > 2 * live(spill) + MARGIN
        });
        if self.current.is_none() || worn {
            self.current = Spill::new(near).map(Arc::new);
            self.counted_at = None;
        }
    }

    /// Bodies stay in memory (the print page reads them all with no spill at hand). Whether
    /// every kept body already is (and so will the ones a build makes now be).
    pub fn for_print(&mut self) -> bool {
        self.current = None;
        self.counted_at = None;
        self.all_held
    }

    /// Notes that every kept body is now held in memory.
    pub fn all_held(&mut self) {
        self.all_held = true;
    }

    pub fn current(&self) -> Option<&Arc<Spill>> {
        self.current.as_ref()
    }
}

/// The bytes of `body` set aside in a spill.
pub(super) fn spilled_len(body: &Body) -> u64 {
    match &body.packed_parts {
        Some(Packed::Spilled { len, .. }) => *len as u64,
        _ => 0,
    }
}

/// `body` with its parts unpacked from `spill` (or from memory).
pub(super) fn unpacked(body: &Body, spill: Option<&Spill>) -> std::io::Result<Body> {
    let mut body = Body::clone(body);
    body.unpack_html(spill)?;
    Ok(body)
}

/// `body` packed in memory rather than in `spill`.
pub(super) fn held_in_memory(body: &Arc<Body>, spill: Option<&Spill>) -> Option<Arc<Body>> {
    if !matches!(body.packed_parts, Some(Packed::Spilled { .. })) {
        return None;
    }
    let mut body = unpacked(body, spill).ok()?;
    body.pack_for_page(None);
    Some(Arc::new(body))
}
