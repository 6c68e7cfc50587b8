//! The one rule for a file named inside a page, the same in Markdown (`![…](img/map.png)`), in a
//! shortcode argument (`{{ figure(src="img/map.png", …) }}`) and in `image(path=…, page=…)`:
//!
//! - a relative path (`img/map.png`, `../shared/map.png`) is read from the folder of the
//!   Markdown file, inside `content/`;
//! - a `/`-prefixed path (`/img/logo.png`) is a site-root address: the file of `static/` or
//!   `content/` published there.
//!
//! Both end as the [`OutputPath`] the file is copied to, which is what images are looked up by.
//! Processed images (resized, re-encoded) are written under [`PROCESSED_DIR`] with names made
//! here too.

use super::names::content_asset_output;
use super::{url_output, OutputPath, SourcePath};

/// The output folder of processed images (resized and re-encoded copies).
pub const PROCESSED_DIR: &str = "processed_images";

/// A file named in a page, read by the rule above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileReference {
    /// A relative path: this file under `content/`.
    Content(SourcePath),
    /// A `/`-prefixed path: the file published at this address.
    SiteRoot(OutputPath),
}

impl FileReference {
    /// The output file the reference names, when it names one.
    pub fn output(&self) -> Option<OutputPath> {
        match self {
            FileReference::Content(path) => content_asset_output(path).ok(),
            FileReference::SiteRoot(output) => Some(output.clone()),
        }
    }

    /// How the file is named in messages: `content/img/map.png` or `/img/logo.png`.
    pub fn shown(&self) -> String {
        match self {
            FileReference::Content(path) => format!("content/{path}"),
            FileReference::SiteRoot(output) => format!("/{output}"),
        }
    }
}

/// Reads `written` (percent-encoded or not, without query or fragment) as named in a Markdown
/// file whose folder under `content/` is `page_dir`. `None` when a relative path climbs out of
/// `content/`.
pub fn file_reference(page_dir: &str, written: &str) -> Option<FileReference> {
    let decoded = percent_encoding::percent_decode_str(written).decode_utf8_lossy();
    if written.starts_with('/') {
        return Some(FileReference::SiteRoot(url_output(written)));
    }
    let mut parts: Vec<&str> = page_dir.split('/').filter(|s| !s.is_empty()).collect();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(FileReference::Content(SourcePath::new(&parts.join("/"))))
}

/// The output file of a processed copy of an image: its name's stem as a slug, a hash of the
/// original's bytes, the width and the format's extension
/// (`processed_images/map-0123456789abcdef-480.webp`).
pub fn processed_image(
    original: &OutputPath,
    hash: u64,
    width: u32,
    extension: &str,
) -> OutputPath {
    let name = original.rsplit('/').next().unwrap_or_default();
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let stem = match slug::slugify(stem) {
        s if s.is_empty() => "image".to_owned(),
        s => s,
    };
    OutputPath::known(&format!(
        "{PROCESSED_DIR}/{stem}-{hash:016x}-{width}.{extension}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_start_at_the_markdown_files_folder_and_slash_at_the_site_root() {
        assert_eq!(
            file_reference("people", "img/amy.png"),
            Some(FileReference::Content(SourcePath::new(
                "people/img/amy.png"
            )))
        );
        assert_eq!(
            file_reference("people/amy", "../map%20big.png"),
            Some(FileReference::Content(SourcePath::new(
                "people/map big.png"
            )))
        );
        assert_eq!(
            file_reference("people", "/img/logo.png"),
            Some(FileReference::SiteRoot(OutputPath::known("img/logo.png")))
        );
        assert_eq!(file_reference("", "../x.png"), None);
    }

    #[test]
    fn processed_names_carry_stem_hash_and_width() {
        let out = processed_image(&OutputPath::known("a/My Map.PNG"), 0xab, 480, "webp");
        assert_eq!(out, "processed_images/my-map-00000000000000ab-480.webp");
    }
}
