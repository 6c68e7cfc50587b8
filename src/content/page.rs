//! One Markdown file as the site sees it: its source path, front matter, body, and where it lands
//! in the output (URL and file), worked out by [`crate::paths`] from the source path and the slug.

use super::front_matter::FrontMatter;
pub use crate::paths::names::{file_role, FileRole};
use crate::paths::{OutputPath, SiteUrl, SourcePath};
use std::path::PathBuf;
use std::sync::Arc;

/// Which page of a [`super::Library`] this is: its position in [`super::Library::pages`], kept
/// apart from every other number so a count, a line or a heading index can never be used as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PageId(usize);

impl PageId {
    /// The id of the page at `position` in [`super::Library::pages`].
    pub fn at(position: usize) -> Self {
        PageId(position)
    }

    /// The page's position in [`super::Library::pages`] (and in every list kept per page).
    pub fn index(self) -> usize {
        self.0
    }
}

/// Lists kept per page (bodies, listings, back-links…) are indexed by the page's id.
impl<T> std::ops::Index<PageId> for [T] {
    type Output = T;
    fn index(&self, id: PageId) -> &T {
        &self[id.0]
    }
}

impl<T> std::ops::IndexMut<PageId> for [T] {
    fn index_mut(&mut self, id: PageId) -> &mut T {
        &mut self[id.0]
    }
}

impl<T> std::ops::Index<PageId> for Vec<T> {
    type Output = T;
    fn index(&self, id: PageId) -> &T {
        &self[id.0]
    }
}

impl<T> std::ops::IndexMut<PageId> for Vec<T> {
    fn index_mut(&mut self, id: PageId) -> &mut T {
        &mut self[id.0]
    }
}

/// A page or a section (`_index.md`) of the site.
#[derive(Debug, Clone)]
pub struct Page {
    pub id: PageId,
    /// Source path relative to `content/`, with `/` separators: `participants/putin.md`.
    pub path: SourcePath,
    /// The path shown in messages: `content/participants/putin.md`.
    pub shown: PathBuf,
    pub is_section: bool,
    pub front: Arc<FrontMatter>,
    /// The title from the front matter (checked to be present and not empty).
    pub title: String,
    /// The whole file, normalised to `\n` line endings, for positions in messages; only its
    /// front matter when `text_hash` is set.
    pub text: Arc<str>,
    /// Set when the file's body was let go of as soon as its front matter was read (a one-off
    /// build, see [`super::LoadOptions::lean`]): the hash of the whole text, which is read again,
    /// and checked against it, to render the body.
    pub text_hash: Option<u128>,
    /// Byte offset of the Markdown body in `text`.
    pub body_offset: usize,
    /// Site-root URL of the page, percent-encoded: `/participants/putin/`.
    pub url: SiteUrl,
    /// Output file relative to the output folder: `participants/putin/index.html`.
    pub output: OutputPath,
    /// The section this page belongs to (none for the home page).
    pub parent: Option<PageId>,
    /// For sections: pages and subsections, in reading order.
    pub children: Vec<PageId>,
}

impl Page {
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// Folder of the source file relative to `content/` (`""` at the top), against which
    /// relative links in the body are resolved.
    pub fn source_dir(&self) -> &str {
        self.path.dir()
    }

    /// The title used in links to the page from navigation: `link_title`, else `title`.
    pub fn link_title(&self) -> &str {
        self.front.link_title.as_deref().unwrap_or(&self.title)
    }

    pub fn is_home(&self) -> bool {
        self.url == "/"
    }

    /// The sort key within a section: weight (unweighted last), then title, then path.
    pub fn order_key(&self) -> (i64, String, String) {
        (
            self.front.weight.unwrap_or(i64::MAX),
            self.title.to_lowercase(),
            self.path.to_string(),
        )
    }
}
