//! Links: resolving `@/path.md#anchor` and relative links in Markdown to site-root URLs
//! ([`ContentResolver`]), turning site-root URLs in finished HTML into page-relative ones and
//! collecting ids and links on the way ([`html`]), and checking that every internal link of the
//! output lands on a file and an anchor that exist ([`check`]).

pub mod check;
pub mod html;
pub mod strings;
pub mod tags;

use crate::content::{Library, Page};
use crate::error::nearest;
use crate::images::{ImageCatalog, NotFound};
use crate::markdown::{LinkResolver, Resolution};
use std::collections::HashMap;

/// Resolves the link destinations of one page's Markdown against the library.
pub struct ContentResolver<'a> {
    pub library: &'a Library,
    /// URLs of content assets by source path.
    pub assets: &'a HashMap<String, String>,
    /// Folder of the page's source file, relative to `content/`.
    pub source_dir: &'a str,
    /// The site's images, for their sizes and for hints on missing ones.
    pub images: Option<&'a ImageCatalog>,
}

impl<'a> ContentResolver<'a> {
    pub fn new(library: &'a Library, assets: &'a HashMap<String, String>, page: &'a Page) -> Self {
        ContentResolver {
            library,
            assets,
            source_dir: page.source_dir(),
            images: None,
        }
    }

    /// The same resolver, also knowing the site's images.
    pub fn with_images(mut self, images: &'a ImageCatalog) -> Self {
        self.images = Some(images);
        self
    }

    fn content_link(&self, path: &str, fragment: Option<&str>, written: &str) -> Resolution {
        let path = percent_decode(path.trim_start_matches('/'));
        let path = path.as_str();
        match self.library.by_path(path) {
            Some(page) => Resolution::Url(page.url.with_fragment(fragment)),
            None if self.library.drafts_left_out.contains(path) => Resolution::Unlinked {
                message: format!("`{written}` links to a draft, so it is shown as plain text"),
                hint: "build with `--drafts` to include the draft and link to it".to_owned(),
            },
            None if path.is_empty() || path.ends_with('/') => {
                // `@/#1-priority.md`: the `#` of the file name started a fragment.
                let named = format!("{path}#{}", fragment.unwrap_or_default());
                let hint = if self.library.by_path(&named).is_some()
                    || self.assets.contains_key(&named)
                {
                    format!(
                        "write the `#` in the file name as `%23`: `@/{}`",
                        named.replace('#', "%23")
                    )
                } else {
                    "an `@/` link names a Markdown file by its path under content/, like `@/background.md`".to_owned()
                };
                Resolution::Broken {
                    message: format!(
                        "broken link `{written}`: it names no file (`#` starts an anchor)"
                    ),
                    hint,
                }
            }
            None => {
                let paths = self.library.pages.iter().map(|p| p.path.as_str());
                let hint = match nearest(path, paths) {
                    Some(best) => format!("did you mean `@/{best}`?"),
                    None => "an `@/` link names a Markdown file by its path under content/, like `@/background.md`".to_owned(),
                };
                Resolution::Broken {
                    message: format!("broken link `{written}`: there is no content/{path}"),
                    hint,
                }
            }
        }
    }

    /// Why the file `joined` (written `written`) cannot be read as an image, when it is named
    /// like one of the site's images.
    fn unreadable_image(&self, joined: &str, written: &str) -> Option<NotFound> {
        let images = self.images.filter(|_| crate::images::is_image(joined))?;
        images.find(self.source_dir, written).err()
    }
}

impl LinkResolver for ContentResolver<'_> {
    fn image_size(&self, destination: &str) -> Option<(u32, u32)> {
        if is_external(destination) || !crate::images::is_image(split_fragment(destination).0) {
            return None;
        }
        let (path, _) = split_fragment(destination);
        let (_, facts) = self.images?.find(self.source_dir, path).ok()?;
        Some((facts.width, facts.height))
    }

    fn resolve(&self, destination: &str) -> Resolution {
        if let Some(rest) = destination.strip_prefix("@/") {
            let (path, fragment) = split_fragment(rest);
            return self.content_link(path, fragment, destination);
        }
        if destination.is_empty()
            || destination.starts_with('#')
            || destination.starts_with('/')
            || is_external(destination)
        {
            return Resolution::Keep;
        }
        let (path, fragment) = split_fragment(destination);
        let (path, query) = match path.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (path, None),
        };
        let Some(joined) = join(self.source_dir, &percent_decode(path)) else {
            return Resolution::Broken {
                message: format!("link `{destination}` points outside content/"),
                hint: "link to files inside content/, or use a site-root path like `/file.pdf` for files in static/".to_owned(),
            };
        };
        if joined.ends_with(".md") {
            return self.content_link(&joined, fragment, destination);
        }
        match self.assets.get(&joined) {
            Some(url) => match self.unreadable_image(&joined, path) {
                // A damaged or mislabelled image is as broken as a missing one.
                Some(NotFound { message, hint }) => Resolution::Broken { message, hint },
                None => Resolution::Url(with_fragment(url, fragment)),
            },
            None => {
                // `a#b.png` or `what?.png`: the `#` or `?` of the file name ended its path.
                let named = [(fragment, '#', "%23"), (query, '?', "%3F")]
                    .into_iter()
                    .find_map(|(rest, c, code)| Some((format!("{joined}{c}{}", rest?), c, code)));
                let missing_image = (self.images)
                    .filter(|_| crate::images::is_image(&joined))
                    .and_then(|images| images.find(self.source_dir, path).err());
                let hint = match named {
                    Some((named, c, code)) if self.assets.contains_key(&named) || named.ends_with(".md") => format!(
                        "write the `{c}` in the file name as `{code}`: `{}`",
                        destination.replacen(c, code, 1)
                    ),
                    _ if missing_image.is_some() => missing_image.map(|m| m.hint).unwrap_or_default(),
                    _ => "relative links name files next to the Markdown file; link pages with `@/path.md`".to_owned(),
                };
                Resolution::Broken {
                    message: format!("broken link `{destination}`: there is no content/{joined}"),
                    hint,
                }
            }
        }
    }
}

/// Splits `a/b.md#frag` into the path and the fragment.
pub fn split_fragment(link: &str) -> (&str, Option<&str>) {
    match link.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (link, None),
    }
}

fn with_fragment(url: &str, fragment: Option<&str>) -> String {
    match fragment {
        Some(f) => format!("{url}#{f}"),
        None => url.to_owned(),
    }
}

/// A URL with a scheme (`https:`, `mailto:`) or a network path (`//host`).
pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    let scheme_end = url.find(':');
    let path_start = url.find(['/', '?', '#']).unwrap_or(url.len());
    matches!(scheme_end, Some(i) if i > 0 && i < path_start
        && url[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
}

/// Joins a relative path to a folder, resolving `.` and `..`; `None` when it climbs out.
pub fn join(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Decodes `%XX` escapes; leaves malformed ones as they are.
pub fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_urls_are_recognised() {
        assert!(is_external("https://example.org"));
        assert!(is_external("mailto:a@b.c"));
        assert!(is_external("//cdn.example.org/x.js"));
        assert!(!is_external("img/a.png"));
        assert!(!is_external("/a/b/"));
        assert!(!is_external("a/b:c"));
    }

    #[test]
    fn join_resolves_dots_and_refuses_to_climb_out() {
        assert_eq!(join("a/b", "../c.png").as_deref(), Some("a/c.png"));
        assert_eq!(join("", "./x/y.md").as_deref(), Some("x/y.md"));
        assert_eq!(join("a", "../../x"), None);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("My%20Map.png"), "My Map.png");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
