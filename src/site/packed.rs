//! What a one-off build keeps but does not read for a while, held small: each body's HTML
//! between the body pass and its page, LZ4-compressed (to a third or less, for far less than
//! rendering it cost); and each page's Markdown text once every body is rendered, dropped and
//! read again from disk only to place an error message, with a hash to make sure it is the
//! text the build read.

use crate::content::{self, Page};
use std::path::Path;
use std::sync::Arc;
use xxhash_rust::xxh3::xxh3_128;

/// A string, compressed.
#[derive(Debug, Clone, Default)]
pub struct Packed(Box<[u8]>);

impl Packed {
    pub fn new(text: &str) -> Packed {
        Packed(lz4_flex::compress_prepend_size(text.as_bytes()).into_boxed_slice())
    }

    /// The string given to [`Packed::new`]. The bytes are our own, so this cannot fail; were
    /// they damaged, the text would come back empty rather than wrong.
    pub fn unpack(&self) -> String {
        lz4_flex::decompress_size_prepended(&self.0)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_default()
    }
}

/// A page's Markdown text, let go of: its hash.
#[derive(Debug, Clone, Copy)]
pub struct Shelved(u128);

/// Swaps the page's text for an empty one, remembering its hash.
pub fn shelve(page: &mut Page) -> Shelved {
    let hash = xxh3_128(page.text.as_bytes());
    page.text = Arc::from("");
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_text_unpacks_to_itself_and_is_smaller() {
        let text = "<p>Les négociations ont duré trois heures.</p>\n".repeat(200);
        let packed = Packed::new(&text);
        assert!(packed.0.len() * 3 < text.len());
        assert_eq!(packed.unpack(), text);
        assert_eq!(Packed::new("").unpack(), "");
    }
}
