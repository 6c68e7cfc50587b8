//! Reusing the last [`Library`] when the caller knows which files changed and they are only
//! Markdown files whose front matter text (and so the page's URL, title and place) is the same:
//! the changed pages get their new text and everything else is kept as it was arranged, with no
//! page cloned, arranged or looked at again. Any other change (a file created, removed or
//! renamed, an asset, a front matter edit, a file that no longer loads) gives `None`, and the
//! caller loads as usual, which also reports every problem. Only [`super::load_cached`] uses
//! this.

use super::page::Page;
use super::stamp::Stamp;
use super::walk::Walked;
use super::{load_file, Library, Loaded};
use std::path::PathBuf;
use std::sync::Arc;

/// What a load kept of the last one, for the build that follows.
#[derive(Debug, Default, Clone)]
pub struct Reused {
    /// Source paths (`s42/page.md`) of the pages whose text changed, the rest being the last
    /// load's pages as they were; `None` when the library was loaded and arranged afresh.
    pub changed_texts: Option<Vec<String>>,
    /// Markdown files the load looked at (read again, or checked for a change on disk).
    pub files_looked_at: usize,
}

/// The changed pages loaded again, with the stamps to keep them under: `None` as soon as one of
/// them is not a page of `library` with the same front matter text.
pub(super) fn reload_texts(
    library: &Library,
    files: &[Walked],
    changed: &[PathBuf],
    lean: bool,
) -> Option<Vec<(Arc<Page>, Option<Stamp>)>> {
    changed
        .iter()
        .map(|abs| {
            let (rel, abs, id) = files.iter().find(|(_, known, _)| known == abs)?;
            let old = library.by_path(rel.as_str())?;
            let stamp = std::fs::metadata(abs).ok().as_ref().and_then(Stamp::of);
            let Ok(Loaded::Page(new)) = load_file(rel, abs, *id, lean) else {
                return None;
            };
            // The very same front matter text: every message placed in it keeps its line.
            let same_place = front_text(&new) == front_text(old) && new.front == old.front;
            same_place.then_some((new, stamp))
        })
        .collect()
}

/// The front matter text (all a lean page holds, see [`Page::text_hash`]).
fn front_text(page: &Page) -> Option<&str> {
    page.text.get(..page.body_offset)
}

/// Puts each reloaded page's text into `library`, in place of the old one.
pub(super) fn swap_texts(library: &mut Library, reloaded: &[(Arc<Page>, Option<Stamp>)]) {
    for (new, _) in reloaded {
        let Some(id) = library.by_path(new.path.as_str()).map(|p| p.id) else {
            continue;
        };
        let page = &mut library.pages[id];
        page.text = new.text.clone();
        page.body_offset = new.body_offset;
        page.text_hash = new.text_hash;
    }
}
