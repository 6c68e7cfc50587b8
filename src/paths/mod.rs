//! Site paths, in one place. Three kinds of path never mix:
//!
//! - [`SourcePath`]: a file under `content/` or `static/`, relative to that folder
//!   (`people/Amy Photo.png`);
//! - [`SiteUrl`]: the site-root address a reader follows, always correctly percent-encoded
//!   (`/people/amy-photo.png`, `/img/100%25.svg`);
//! - [`OutputPath`]: the file in the output folder, decoded (`img/100%.svg`,
//!   `people/amy/index.html`).
//!
//! Every conversion between them lives here: source → URL (with slugs), URL → output file (for
//! the writer, the link checker and the dev server), output file → URL, alias → output file, and
//! a URL written relative to a page. The rules for slugs and aliases ([`names`]) and the check
//! that no two things claim the same output file ([`claims`]) live here too, so the writer, the
//! link checker and the dev server can never disagree about which file a URL names.

pub mod claims;
pub mod generated;
pub mod identity;
pub mod names;
pub mod reference;

use names::NameProblem;

/// The folder, under the site root, for what dossier keeps between runs (share cards, answers
/// of `check --external`): never an input, never published, git-ignored by the starters.
pub const CACHE_DIR: &str = ".dossier-cache";

/// The file name of a page's share card, beside its `index.html`.
pub const SHARE_CARD_FILE: &str = "share-card.png";

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Serialize, Serializer};
use std::fmt;

/// What stays as it is in a URL path segment: RFC 3986's unreserved characters. Everything else
/// (`%`, `#`, `?`, `:`, spaces, non-ASCII letters…) is percent-encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The file every folder URL is served from.
pub const INDEX_FILE: &str = "index.html";

macro_rules! string_newtype {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }
        impl From<$name> for String {
            fn from(path: $name) -> String {
                path.0
            }
        }
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }
    };
}

/// A source file relative to its folder (`content/` or `static/`), with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct SourcePath(String);
string_newtype!(SourcePath);

/// A site-root URL path (`/people/amy/`), percent-encoded, without query or fragment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct SiteUrl(String);
string_newtype!(SiteUrl);

/// A file relative to the output folder (`people/amy/index.html`), decoded, never empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct OutputPath(String);
string_newtype!(OutputPath);

impl SourcePath {
    /// A path relative to its source folder; `\` separators become `/`.
    pub fn new(relative: &str) -> Self {
        SourcePath(relative.replace('\\', "/"))
    }

    /// Its folder (`""` at the top).
    pub fn dir(&self) -> &str {
        self.0.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// Its file name.
    pub fn file_name(&self) -> &str {
        self.0.rsplit_once('/').map_or(&self.0, |(_, name)| name)
    }
}

impl SiteUrl {
    /// The URL of decoded path segments, each percent-encoded; `folder` adds the final `/`.
    pub fn from_segments<S: AsRef<str>>(segments: &[S], folder: bool) -> Self {
        let mut url = String::from("/");
        for (i, segment) in segments.iter().enumerate() {
            if i > 0 {
                url.push('/');
            }
            url.extend(utf8_percent_encode(segment.as_ref(), SEGMENT));
        }
        if folder && !segments.is_empty() {
            url.push('/');
        }
        SiteUrl(url)
    }

    /// The output file this URL is served from.
    pub fn output(&self) -> OutputPath {
        url_output(&self.0)
    }

    /// This URL with `#fragment` added (the fragment as written).
    pub fn with_fragment(&self, fragment: Option<&str>) -> String {
        match fragment {
            Some(f) => format!("{}#{f}", self.0),
            None => self.0.clone(),
        }
    }
}

impl OutputPath {
    /// An output file from decoded path segments.
    fn from_segments<S: AsRef<str>>(segments: &[S]) -> Self {
        let parts: Vec<&str> = segments.iter().map(AsRef::as_ref).collect();
        OutputPath(parts.join("/"))
    }

    /// The index file of a folder of this name (`a` → `a/index.html`), for a link that names a
    /// folder without its final `/`.
    pub fn folder_index(&self) -> Option<OutputPath> {
        (self.file_name() != INDEX_FILE).then(|| OutputPath(format!("{}/{INDEX_FILE}", self.0)))
    }

    fn file_name(&self) -> &str {
        self.0.rsplit_once('/').map_or(&self.0, |(_, name)| name)
    }

    /// The URL this file is served at: `a/index.html` → `/a/`, `img/100%.svg` →
    /// `/img/100%25.svg`.
    pub fn url(&self) -> SiteUrl {
        let segments: Vec<&str> = self.0.split('/').collect();
        match segments.split_last() {
            Some((&INDEX_FILE, folders)) => SiteUrl::from_segments(folders, true),
            _ => SiteUrl::from_segments(&segments, false),
        }
    }

    /// Every folder this file needs, outermost first (`a/b/c.html` → `a`, `a/b`).
    pub fn folders(&self) -> impl Iterator<Item = &str> {
        self.0.match_indices('/').map(|(i, _)| &self.0[..i])
    }

    /// Where the share card of the page written here goes: beside its `index.html`
    /// (`a/index.html` → `a/share-card.png`); `None` for any other file.
    pub fn share_card(&self) -> Option<OutputPath> {
        if self.file_name() != INDEX_FILE {
            return None;
        }
        let folder = self.0.rsplit_once('/').map(|(folder, _)| folder);
        Some(OutputPath(match folder {
            Some(folder) => format!("{folder}/{SHARE_CARD_FILE}"),
            None => SHARE_CARD_FILE.to_owned(),
        }))
    }

    /// A path the caller knows is an output file: a generated file's name, or a name taken from
    /// a built [`crate::output::SiteFiles`].
    pub fn known(name: &str) -> Self {
        OutputPath(name.to_owned())
    }
}

/// The output file a site-root URL names (`/a/` → `a/index.html`, `/100%25.svg` →
/// `100%.svg`); query and fragment are ignored. Used by the link checker and the dev server.
pub fn url_output(url: &str) -> OutputPath {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let path = percent_decode_str(&url[..end]).decode_utf8_lossy();
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        OutputPath(format!("{path}{INDEX_FILE}"))
    } else {
        OutputPath(path.to_owned())
    }
}

/// The URL an output file (a [`crate::output::SiteFiles`] name) is served at.
pub fn output_url(output: &str) -> SiteUrl {
    OutputPath(output.to_owned()).url()
}

/// The folder of the URL an output file is served at, as URL segments without the leading `/`
/// (`café/index.html` → `caf%C3%A9`; `a/b.html` → `a`): what relative URLs on that file are
/// resolved against.
pub fn output_url_dir(output: &str) -> String {
    let url = output_url(output);
    let path = url.trim_start_matches('/');
    path.rsplit_once('/').map_or("", |(dir, _)| dir).to_owned()
}

/// Why a request path is refused by the dev server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused;

/// The output file a request path names (`/talks/` → `talks/index.html`), or `Refused` for
/// paths with `..`, `.`, backslashes or NUL, plainly, percent-encoded or double-encoded.
pub fn request_output(raw: &str) -> Result<OutputPath, Refused> {
    let decode = |text: &str| {
        percent_decode_str(text)
            .decode_utf8()
            .map(std::borrow::Cow::into_owned)
            .map_err(|_| Refused)
    };
    let once = decode(raw)?;
    // Decoding a second time catches `%252e%252e`, which some servers decode twice.
    let twice = decode(&once)?;
    for path in [raw, &once, &twice] {
        if path.contains(['\\', '\0']) || path.split('/').any(|s| s == ".." || s == ".") {
            return Err(Refused);
        }
    }
    let path = once.trim_start_matches('/');
    Ok(if path.is_empty() || path.ends_with('/') {
        OutputPath(format!("{path}{INDEX_FILE}"))
    } else {
        OutputPath(path.to_owned())
    })
}

/// `target` (a site-root URL, maybe with `?query` or `#fragment`) written relative to the
/// folder `dir` of a page. With `index_links`, links to folders end in `index.html` (for
/// browsing from disk). A first segment holding `:` gets `./` before it, so it never reads as a
/// scheme.
pub fn relative_url(dir: &str, target: &str, index_links: bool) -> String {
    let split_at = target.find(['?', '#']).unwrap_or(target.len());
    let (path, suffix) = target.split_at(split_at);
    let from: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let is_folder = path.ends_with('/');
    // The last segment of a file path is a file, not a folder to walk into.
    let to_dirs = if is_folder {
        to.len()
    } else {
        to.len().saturating_sub(1)
    };
    let common = from
        .iter()
        .zip(&to[..to_dirs])
        .take_while(|(a, b)| a == b)
        .count();
    let mut url = "../".repeat(from.len() - common);
    let rest = to[common..].join("/");
    if url.is_empty() && rest.split('/').next().is_some_and(|s| s.contains(':')) {
        url.push_str("./");
    }
    url.push_str(&rest);
    if is_folder && common < to.len() {
        url.push('/');
    }
    if index_links && is_folder {
        url.push_str(INDEX_FILE);
    } else if url.is_empty() {
        url.push_str("./");
    }
    url.push_str(suffix);
    url
}

/// What is wrong with `url` as a URL reference, if anything: a character that must be
/// percent-encoded, a `%` not followed by two hex digits, or a second `#`.
pub fn url_problem(url: &str) -> Option<String> {
    let bytes = url.as_bytes();
    let mut hashes = 0;
    for (i, c) in url.char_indices() {
        match c {
            '%' => {
                let hex = bytes.get(i + 1..i + 3);
                if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                    return Some("a `%` must start an escape like `%25`".to_owned());
                }
            }
            '#' => {
                hashes += 1;
                if hashes > 1 {
                    return Some("a second `#` must be written `%23`".to_owned());
                }
            }
            c if c.is_ascii_alphanumeric() || "-._~:/?[]@!$&'()*+,;=".contains(c) => {}
            c => {
                let encoded: String =
                    utf8_percent_encode(c.encode_utf8(&mut [0; 4]), SEGMENT).collect();
                return Some(format!(
                    "`{}` must be written `{encoded}`",
                    c.escape_debug()
                ));
            }
        }
    }
    None
}

/// `url` correctly percent-encoded, when it is not already (see [`url_problem`]): a stray `%`
/// becomes `%25`, a second `#` `%23`, and every other character a URL may not hold its escape.
pub fn url_fixed(url: &str) -> Option<String> {
    url_problem(url)?;
    let bytes = url.as_bytes();
    let mut fixed = String::with_capacity(url.len() + 8);
    let mut seen_hash = false;
    for (i, c) in url.char_indices() {
        match c {
            '%' if bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) =>
            {
                fixed.push('%');
            }
            '%' => fixed.push_str("%25"),
            '#' if seen_hash => fixed.push_str("%23"),
            '#' => {
                seen_hash = true;
                fixed.push('#');
            }
            c if c.is_ascii_alphanumeric() || "-._~:/?[]@!$&'()*+,;=".contains(c) => fixed.push(c),
            c => fixed.extend(utf8_percent_encode(c.encode_utf8(&mut [0; 4]), SEGMENT)),
        }
    }
    Some(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_urls_are_fixed_by_encoding() {
        assert_eq!(url_fixed("/a/"), None);
        assert_eq!(url_fixed("/100%.svg").as_deref(), Some("/100%25.svg"));
        assert_eq!(
            url_fixed("/a b/%20#x#y").as_deref(),
            Some("/a%20b/%20#x%23y")
        );
        assert_eq!(url_fixed("/é").as_deref(), Some("/%C3%A9"));
    }

    #[test]
    fn urls_and_outputs_convert_both_ways() {
        for (output, url) in [
            ("index.html", "/"),
            ("a/b/index.html", "/a/b/"),
            ("img/100%.svg", "/img/100%25.svg"),
            ("a#b?.png", "/a%23b%3F.png"),
            ("café/index.html", "/caf%C3%A9/"),
            ("My Map.png", "/My%20Map.png"),
        ] {
            let output = OutputPath(output.to_owned());
            assert_eq!(output.url(), url);
            assert_eq!(url_output(url), output);
        }
    }

    #[test]
    fn url_output_ignores_query_and_fragment() {
        assert_eq!(url_output("/a/#x"), "a/index.html");
        assert_eq!(url_output("/s.css?v=1"), "s.css");
        assert_eq!(url_output("/100%"), "100%");
    }

    #[test]
    fn relative_urls_take_the_shortest_path() {
        assert_eq!(relative_url("", "/background/", false), "background/");
        assert_eq!(relative_url("", "/", false), "./");
        assert_eq!(relative_url("a/b", "/", false), "../../");
        assert_eq!(relative_url("a/b", "/a/", false), "../");
        assert_eq!(relative_url("a/b", "/a/c/", false), "../c/");
        assert_eq!(relative_url("a/b", "/a/b/#x", false), "./#x");
        assert_eq!(relative_url("a/b", "/style.css", false), "../../style.css");
        assert_eq!(relative_url("a", "/a/x.png", false), "x.png");
        assert_eq!(relative_url("a/b", "/a/b/", true), "index.html");
        assert_eq!(relative_url("a", "/c/", true), "../c/index.html");
        assert_eq!(relative_url("", "/re:invent/", false), "./re:invent/");
        assert_eq!(relative_url("a", "/b:c/", false), "../b:c/");
    }

    #[test]
    fn url_problems_name_the_character() {
        assert_eq!(url_problem("/a/b%20c/?x=1#y"), None);
        assert_eq!(
            url_problem("/100%.svg").as_deref(),
            Some("a `%` must start an escape like `%25`")
        );
        assert_eq!(
            url_problem("/a b").as_deref(),
            Some("` ` must be written `%20`")
        );
        assert_eq!(
            url_problem("/é").as_deref(),
            Some("`é` must be written `%C3%A9`")
        );
        assert_eq!(
            url_problem("/a#b#c").as_deref(),
            Some("a second `#` must be written `%23`")
        );
    }

    #[test]
    fn request_paths_map_to_output_files() {
        assert_eq!(request_output("/").unwrap(), "index.html");
        assert_eq!(request_output("/talks/").unwrap(), "talks/index.html");
        assert_eq!(
            request_output("/My%20Notes/a.png").unwrap(),
            "My Notes/a.png"
        );
        assert_eq!(request_output("/100%").unwrap(), "100%");
        for raw in [
            "/../x",
            "/%2e%2e/x",
            "/%252e%252e/x",
            "/a\\b",
            "/%00",
            "/./a",
            "/%ff",
        ] {
            assert_eq!(request_output(raw), Err(Refused), "{raw}");
        }
    }

    #[test]
    fn url_folders_of_outputs_are_encoded() {
        assert_eq!(output_url_dir("café/index.html"), "caf%C3%A9");
        assert_eq!(output_url_dir("a/b.html"), "a");
        assert_eq!(output_url_dir("index.html"), "");
        assert_eq!(output_url_dir("a/b/index.html"), "a/b");
    }

    #[test]
    fn folders_and_folder_indexes() {
        let path = OutputPath("a/b/c.html".to_owned());
        assert_eq!(path.folders().collect::<Vec<_>>(), ["a", "a/b"]);
        assert_eq!(path.folder_index().unwrap(), "a/b/c.html/index.html");
        assert_eq!(OutputPath("a/index.html".to_owned()).folder_index(), None);
    }
}
