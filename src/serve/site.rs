//! The site as the dev server holds it: every output file's bytes (HTML with the live-reload
//! script added), content type and ETag, made from a build's [`Snapshot`]. A new `ServedSite` is
//! made beside the old one and swapped in whole, so a reader gets one build or the other, never
//! a mix. Files that did not change are shared with the previous `ServedSite`, not recomputed.
//! A page is held once, as the build made it: the script tag is put in while it is sent, so a
//! large site is not kept twice in memory.

use super::inject;
use crate::paths::OutputPath;
use crate::watch::{Diff, Snapshot};
use axum::body::Bytes;
use axum::http::HeaderValue;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::Arc;

/// One file, ready to send.
#[derive(Debug)]
pub struct Served {
    /// The bytes the build made (before the script was added).
    pub raw: Arc<[u8]>,
    /// The bytes sent, but for the script tag, which goes in at `script_at` (see [`Served::body`]).
    sent: Bytes,
    /// Where the live-reload script tag goes, for HTML pages.
    script_at: Option<usize>,
    pub content_type: HeaderValue,
    pub etag: HeaderValue,
    /// A hash of `raw`: what a page tells the server it was built from.
    pub version: String,
}

/// Every file of one build.
#[derive(Debug, Default)]
pub struct ServedSite {
    pub files: HashMap<OutputPath, Arc<Served>>,
    /// False until a build has succeeded.
    pub ready: bool,
}

fn hash(bytes: &[u8]) -> String {
    let mut h = DefaultHasher::new();
    h.write(bytes);
    format!("{:016x}", h.finish())
}

/// The `Content-Type` of an output path.
pub fn content_type(path: &str) -> HeaderValue {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.subtype().as_str(),
            "javascript" | "json" | "xml" | "svg"
        );
    let value = if text && mime.get_param("charset").is_none() {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    };
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

impl Served {
    pub fn new(path: &str, raw: Arc<[u8]>) -> Served {
        let version = hash(&raw);
        let (sent, script_at) = if path == "404.html" {
            // Served at any address: its site-root-relative links must resolve from the root.
            let page = Bytes::from(inject::base_root(&raw));
            let at = inject::script_position(&page);
            (page, Some(at))
        } else if path.ends_with(".html") {
            let page = Bytes::from_owner(raw.clone());
            (page.clone(), Some(inject::script_position(&page)))
        } else {
            (Bytes::from_owner(raw.clone()), None)
        };
        // The tag carries `version`, a hash of `raw`: together they name the bytes sent.
        let tagged = script_at.is_some();
        let etag = HeaderValue::from_str(&format!("\"{}{}\"", hash(&sent), u8::from(tagged)))
            .unwrap_or(HeaderValue::from_static("\"0\""));
        Served {
            raw,
            sent,
            script_at,
            content_type: content_type(path),
            etag,
            version,
        }
    }

    /// The bytes to send: HTML pages with the live-reload script tag put in.
    pub fn body(&self) -> Bytes {
        match self.script_at {
            Some(at) => Bytes::from(inject::insert_tag(&self.sent, at, &self.version)),
            None => self.sent.clone(),
        }
    }
}

impl ServedSite {
    /// The site after a build that made `snapshot`, which differs from this one by `diff`.
    pub fn next(&self, snapshot: &Snapshot, diff: &Diff) -> ServedSite {
        let mut files = if self.ready {
            self.files.clone()
        } else {
            HashMap::with_capacity(snapshot.files.len())
        };
        for name in &diff.removed {
            files.remove(name);
        }
        for (name, raw) in &snapshot.files {
            let fresh = match files.get(name) {
                Some(old) => !Arc::ptr_eq(&old.raw, raw) && old.raw[..] != raw[..],
                None => true,
            };
            if fresh {
                files.insert(name.clone(), Arc::new(Served::new(name, raw.clone())));
            }
        }
        ServedSite { files, ready: true }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_name_their_charset() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("app.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("photo.png"), "image/png");
        assert_eq!(content_type("data.bin"), "application/octet-stream");
    }

    #[test]
    fn pages_are_held_once_and_sent_with_the_script() {
        let raw: Arc<[u8]> = Arc::from(&b"<html><body><p>x</p></body></html>"[..]);
        let served = Served::new("a/index.html", raw.clone());
        assert_eq!(served.sent.as_ptr(), raw.as_ptr(), "not copied");
        let sent = served.body();
        assert_eq!(sent, Bytes::from(inject::script(&raw, &served.version)));
    }

    #[test]
    fn unchanged_files_are_shared_with_the_previous_site() {
        let mut snapshot = Snapshot::default();
        snapshot.files.insert(
            OutputPath::known("a.html"),
            Arc::from(&b"<body></body>"[..]),
        );
        snapshot
            .files
            .insert(OutputPath::known("b.css"), Arc::from(&b"b{}"[..]));
        let all = Diff {
            changed: vec![OutputPath::known("a.html"), OutputPath::known("b.css")],
            removed: vec![],
        };
        let first = ServedSite::default().next(&snapshot, &all);
        snapshot
            .files
            .insert(OutputPath::known("b.css"), Arc::from(&b"b{color:red}"[..]));
        let second = first.next(&snapshot, &Diff::default());
        assert!(Arc::ptr_eq(&first.files["a.html"], &second.files["a.html"]));
        assert_eq!(&second.files["b.css"].body()[..], b"b{color:red}");
        assert_ne!(first.files["b.css"].etag, second.files["b.css"].etag);
    }
}
