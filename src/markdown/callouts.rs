//! GitHub-style alerts (`> [!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]`, `[!CAUTION]`) as
//! callouts: an `<aside role="note">` with a visible title, so the kind is not told by colour
//! alone.

use pulldown_cmark::BlockQuoteKind;

/// The kind's class suffix and visible title.
fn name_and_title(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// The HTML that opens a callout of `kind`.
pub(super) fn open(kind: BlockQuoteKind) -> String {
    let (name, title) = name_and_title(kind);
    format!(
        "<aside class=\"callout callout-{name}\" role=\"note\">\n<p class=\"callout-title\">{title}</p>\n"
    )
}

/// The HTML that closes a callout.
pub(super) const CLOSE: &str = "</aside>\n";
