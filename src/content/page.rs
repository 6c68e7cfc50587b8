//! One Markdown file as the site sees it: its source path, front matter, body, and where it lands
//! in the output (URL and file), worked out from the source path and the slug.

use super::front_matter::FrontMatter;
use std::path::PathBuf;
use std::sync::Arc;

/// Index of a page in [`super::Library::pages`].
pub type PageId = usize;

/// A page or a section (`_index.md`) of the site.
#[derive(Debug, Clone)]
pub struct Page {
    pub id: PageId,
    /// Source path relative to `content/`, with `/` separators: `participants/putin.md`.
    pub path: String,
    /// The path shown in messages: `content/participants/putin.md`.
    pub shown: PathBuf,
    pub is_section: bool,
    pub front: FrontMatter,
    /// The title from the front matter (checked to be present and not empty).
    pub title: String,
    /// The whole file, normalised to `\n` line endings, for positions in messages.
    pub text: Arc<str>,
    /// Byte offset of the Markdown body in `text`.
    pub body_offset: usize,
    /// Site-root URL of the page: `/participants/putin/`.
    pub url: String,
    /// Output file relative to the output folder: `participants/putin/index.html`.
    pub output: String,
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
        self.path.rsplit_once('/').map_or("", |(dir, _)| dir)
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
            self.path.clone(),
        )
    }
}

/// What kind of Markdown file a source path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    /// `_index.md`: the page of the folder's section.
    Section,
    /// `index.md`: a page whose folder holds its assets.
    Bundle,
    /// Any other `*.md`.
    Leaf,
}

/// The role of a Markdown file from its name.
pub fn file_role(path: &str) -> FileRole {
    match path.rsplit('/').next().unwrap_or(path) {
        "_index.md" => FileRole::Section,
        "index.md" => FileRole::Bundle,
        _ => FileRole::Leaf,
    }
}

/// The URL path segments of a source folder: each folder name as a slug.
pub fn folder_segments(dir: &str) -> Vec<String> {
    dir.split('/')
        .filter(|s| !s.is_empty())
        .map(slug::slugify)
        .collect()
}

/// Site-root URL of a Markdown file, from its path and its front matter `slug`.
pub fn url_for(path: &str, slug: Option<&str>) -> String {
    let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
    let mut segments = folder_segments(dir);
    match file_role(path) {
        FileRole::Section => {}
        FileRole::Bundle => {
            if let (Some(last), Some(slug)) = (segments.last_mut(), slug) {
                *last = slug.to_owned();
            }
        }
        FileRole::Leaf => {
            let stem = file.strip_suffix(".md").unwrap_or(file);
            segments.push(slug.map_or_else(|| slug::slugify(stem), str::to_owned));
        }
    }
    if segments.is_empty() {
        "/".to_owned()
    } else {
        format!("/{}/", segments.join("/"))
    }
}

/// Output file of a URL that ends in `/`.
pub fn output_for_url(url: &str) -> String {
    format!("{}index.html", url.trim_start_matches('/'))
}

/// Output path of a copied file: its folders as slugs, its name unchanged.
pub fn asset_output(path: &str) -> String {
    let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
    let mut segments = folder_segments(dir);
    segments.push(file.to_owned());
    segments.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_the_source_tree() {
        assert_eq!(url_for("_index.md", None), "/");
        assert_eq!(url_for("background.md", None), "/background/");
        assert_eq!(url_for("participants/_index.md", None), "/participants/");
        assert_eq!(
            url_for("participants/putin.md", None),
            "/participants/putin/"
        );
        assert_eq!(
            url_for("participants/putin/index.md", None),
            "/participants/putin/"
        );
        assert_eq!(url_for("My Notes/A Page.md", None), "/my-notes/a-page/");
    }

    #[test]
    fn slug_replaces_the_last_segment() {
        assert_eq!(url_for("people/vp.md", Some("putin")), "/people/putin/");
        assert_eq!(
            url_for("people/vp/index.md", Some("putin")),
            "/people/putin/"
        );
    }

    #[test]
    fn outputs_and_assets() {
        assert_eq!(output_for_url("/"), "index.html");
        assert_eq!(output_for_url("/a/b/"), "a/b/index.html");
        assert_eq!(asset_output("My Notes/Map.PNG"), "my-notes/Map.PNG");
    }
}
