//! What a one-off build keeps but does not read for a while, held small: each body's HTML (with
//! what only its page reads, see [`super::packed_body`]) between the body pass and its page,
//! LZ4-compressed (to a third or less, for far less than rendering it cost) and set aside in an
//! unnamed temporary file beside the site (a [`Spill`]), so that it is held by the disk cache
//! rather than by the build; and each page's Markdown text once every body is rendered, dropped and
//! read again from disk only to place an error message, with a hash to make sure it is the text the
//! build read.

use super::bodies::Body;
use crate::content::{self, Page};
use crate::error::Diagnostic;
use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use xxhash_rust::xxh3::xxh3_128;

/// A string, compressed: in memory, or in a [`Spill`] at `offset`.
#[derive(Debug, Clone)]
pub enum Packed {
    Held(Box<[u8]>),
    Spilled { offset: u64, len: usize },
}

/// An unnamed temporary file (it has no name on disk, and is gone when the build ends, however
/// it ends) that packed texts are appended to and read back from.
#[derive(Debug)]
pub struct Spill(Mutex<File>);

impl Spill {
    /// A spill in the folder `near` (the site's, so that it is on a disk, not in memory as a
    /// temporary folder may be); `None` if no file can be made there.
    pub fn new(near: &Path) -> Option<Spill> {
        let file = tempfile::tempfile_in(near).ok()?;
        Some(Spill(Mutex::new(file)))
    }

    /// The bytes written to the spill so far.
    pub fn written(&self) -> u64 {
        let file = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        file.metadata().map_or(0, |meta| meta.len())
    }

    fn append(&self, bytes: &[u8]) -> io::Result<u64> {
        let mut file = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let offset = file.seek(SeekFrom::End(0))?;
        file.write_all(bytes)?;
        Ok(offset)
    }

    fn read(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let mut bytes = vec![0; len];
        let mut file = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        file.seek(SeekFrom::Start(offset))?;
        file.read_exact(&mut bytes)?;
        Ok(bytes)
    }
}

impl Packed {
    /// `bytes` compressed, and appended to `spill` if there is one (kept in memory if there is
    /// none or it cannot be written).
    pub fn new(bytes: &[u8], spill: Option<&Spill>) -> Packed {
        let bytes = lz4_flex::compress_prepend_size(bytes);
        if let Some(offset) = spill.and_then(|spill| spill.append(&bytes).ok()) {
            return Packed::Spilled {
                offset,
                len: bytes.len(),
            };
        }
        Packed::Held(bytes.into_boxed_slice())
    }

    /// The bytes given to [`Packed::new`], read back from `spill` if they were set aside there.
    pub fn unpack(&self, spill: Option<&Spill>) -> io::Result<Vec<u8>> {
        let read;
        let bytes = match self {
            Packed::Held(bytes) => bytes,
            Packed::Spilled { offset, len } => {
                let spill = spill.ok_or_else(|| io::Error::other("the spill file is gone"))?;
                read = spill.read(*offset, *len)?;
                &read[..]
            }
        };
        let damaged = || io::Error::new(io::ErrorKind::InvalidData, "damaged");
        lz4_flex::decompress_size_prepended(bytes).map_err(|_| damaged())
    }
}

/// `page` with its whole text: itself, or, when a lean load kept only its front matter, a copy
/// with the file read again from `root`, which must be the text the load read.
pub fn with_text<'a>(root: &Path, page: &'a Page) -> Result<Cow<'a, Page>, Diagnostic> {
    let Some(hash) = page.text_hash else {
        return Ok(Cow::Borrowed(page));
    };
    match content::reread_text(root, page) {
        Some(text) if xxh3_128(text.as_bytes()) == hash => Ok(Cow::Owned(Page {
            text: Arc::from(text),
            text_hash: None,
            ..page.clone()
        })),
        _ => Err(Diagnostic::error(
            &page.shown,
            "cannot read: the file changed during the build",
        )
        .with_hint("run the build again; a file swapped during a build is never published")),
    }
}

/// Lets go of the front matter a lean load kept of the page's text (its hash stays, so
/// [`with_text`] and [`unshelve`] read the file again and check it).
pub fn shelve_front_matter(page: &mut Page, empty: &Arc<str>) {
    if page.text_hash.is_some() {
        page.text = empty.clone();
    }
}

/// A page's Markdown text, let go of: its hash.
#[derive(Debug, Clone, Copy)]
pub struct Shelved(u128);

/// Swaps the page's text for an empty one, remembering its hash.
pub fn shelve(page: &mut Page) -> Shelved {
    let hash = (page.text_hash.take()).unwrap_or_else(|| xxh3_128(page.text.as_bytes()));
    if !page.text.is_empty() {
        page.text = Arc::from("");
    }
    Shelved(hash)
}

/// The page's text again, read from `root`. If the file changed since the build read it, the
/// text stays empty: a message is then placed at the top of the file rather than at a line that
/// now says something else.
pub fn unshelve(root: &Path, page: &mut Page, shelved: Shelved) {
    if let Some(text) = content::reread_text(root, page) {
        if xxh3_128(text.as_bytes()) == shelved.0 {
            page.text = Arc::from(text);
        }
    }
}

/// `bodies`, with every part packed for the page (see [`crate::site::bodies::Body::pack_for_page`])
/// unpacked, to place messages.
pub fn unpacked_bodies(bodies: &[Arc<Body>]) -> Vec<Arc<Body>> {
    (bodies.iter())
        .map(|body| match &body.packed_parts {
            Some(_) => {
                let mut body = Body::clone(body);
                // Packed in memory, so it unpacks; should it not, messages go to the file's top.
                let _ = body.unpack_html(None);
                Arc::new(body)
            }
            None => body.clone(),
        })
        .collect()
}

/// The whole text of a page that holds only its front matter, read again from `root` (see
/// [`Page::text_hash`]); it stays as it is if the file changed since.
pub fn restore(root: &Path, page: &mut Page) {
    if let Some(hash) = page.text_hash {
        unshelve(root, page, Shelved(hash));
        if page.text.len() > page.body_offset {
            page.text_hash = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_text_unpacks_to_itself_and_is_smaller() {
        let text = "<p>Les négociations ont duré trois heures.</p>\n".repeat(200);
        let packed = Packed::new(text.as_bytes(), None);
        let Packed::Held(bytes) = &packed else {
            panic!("no spill, so held: {packed:?}");
        };
        assert!(bytes.len() * 3 < text.len());
        assert_eq!(packed.unpack(None).unwrap(), text.as_bytes());
        assert!(Packed::new(b"", None).unpack(None).unwrap().is_empty());
    }

    #[test]
    fn spilled_texts_come_back_in_any_order_and_hold_no_memory() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::new(dir.path()).unwrap();
        let texts: Vec<String> = (0..50)
            .map(|i| format!("<p>body {i}</p>").repeat(i))
            .collect();
        let packed: Vec<Packed> = texts
            .iter()
            .map(|t| Packed::new(t.as_bytes(), Some(&spill)))
            .collect();
        assert!(packed.iter().all(|p| matches!(p, Packed::Spilled { .. })));
        for (text, packed) in texts.iter().zip(&packed).rev() {
            assert_eq!(packed.unpack(Some(&spill)).unwrap(), text.as_bytes());
        }
        // The file has no name: nothing is left in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        assert!(packed[3].unpack(None).is_err());
    }
}
