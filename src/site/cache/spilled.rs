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

/// The file new bodies are set aside in, when there is one.
#[derive(Default)]
pub(super) struct Spills {
    current: Option<Arc<Spill>>,
}

impl Spills {
    /// The spill for this build's new bodies, in the folder `near`: the current one, or a fresh
    /// one when the current one holds mostly bytes no body needs (`live` counts those still
    /// needed in each spill).
    pub fn for_build(&mut self, near: &Path, live: impl Fn(&Arc<Spill>) -> u64) {
        let worn =
            (self.current.as_ref()).is_some_and(|spill| spill.written() > 2 * live(spill) + MARGIN);
        if self.current.is_none() || worn {
            self.current = Spill::new(near).map(Arc::new);
        }
    }

    /// Bodies stay in memory (the print page reads them all with no spill at hand).
    pub fn for_print(&mut self) {
        self.current = None;
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
