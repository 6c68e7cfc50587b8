//! Text a one-off build keeps but does not read for a while, held LZ4-compressed: each body's
//! HTML between the body pass and its page, and each page's Markdown text once every body is
//! rendered (it is read again only to place an error message). HTML and Markdown shrink to a
//! third or less, and packing and unpacking cost far less than rendering them did.

use std::sync::Arc;

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

/// Swaps `text` for an empty one and gives back its packed form.
pub fn shelve(text: &mut Arc<str>) -> Packed {
    let packed = Packed::new(text);
    *text = Arc::from("");
    packed
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

    #[test]
    fn shelving_empties_the_text() {
        let mut text: Arc<str> = Arc::from("---\ntitle: T\n---\nBody\n");
        let packed = shelve(&mut text);
        assert_eq!(&*text, "");
        assert_eq!(packed.unpack(), "---\ntitle: T\n---\nBody\n");
    }
}
