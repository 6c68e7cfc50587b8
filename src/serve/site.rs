//! The site as the dev server holds it: every output file's bytes, content type and ETag, made
//! from a build's [`Snapshot`]. A new `ServedSite` is made beside the old one and swapped in
//! whole, so a reader gets one build or the other, never a mix. Files that did not change are
//! shared with the previous `ServedSite`, not recomputed.
//!
//! A file is held once, as the build made it and in the very allocation the snapshot (and, for a
//! page, the build cache) holds: pages LZ4-packed, unpacked as they are sent, with the live-reload
//! script tag put in then. So a large site is held compressed, and never twice.

use super::inject;
use crate::output::FileBytes;
use crate::paths::OutputPath;
use crate::watch::{Diff, Snapshot};
use axum::body::Bytes;
use axum::http::HeaderValue;
use std::collections::HashMap;
use std::sync::Arc;
use xxhash_rust::xxh3::xxh3_64;

/// One file, ready to send.
#[derive(Debug)]
pub struct Served {
    /// The bytes the build made (before the script was added), as the snapshot holds them.
    file: FileBytes,
    /// An HTML page: sent with the live-reload script tag (see [`Served::body`]).
    tagged: bool,
    /// The not-found page, shown at any address: sent with a base at the site root.
    not_found: bool,
    pub content_type: HeaderValue,
    pub etag: HeaderValue,
    /// A hash of the file: what a page tells the server it was built from.
    pub version: String,
}

/// Every file of one build.
#[derive(Debug, Default)]
pub struct ServedSite {
    pub files: HashMap<OutputPath, Arc<Served>>,
    /// False until a build has succeeded.
    pub ready: bool,
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
    pub fn new(path: &str, file: FileBytes) -> Served {
        // Packing is deterministic: the packed bytes name the file as well as the plain ones.
        let version = format!("{:016x}", xxh3_64(file.held()));
        let tagged = path.ends_with(".html");
        // The tag carries `version`: together they name the bytes sent.
        let etag = HeaderValue::from_str(&format!("\"{version}{}\"", u8::from(tagged)))
            .unwrap_or(HeaderValue::from_static("\"0\""));
        Served {
            file,
            tagged,
            not_found: path == "404.html",
            content_type: content_type(path),
            etag,
            version,
        }
    }

    /// The same file held in `file`, an allocation with the same bytes.
    fn held_in(&self, file: FileBytes) -> Served {
        Served {
            file,
            content_type: self.content_type.clone(),
            etag: self.etag.clone(),
            version: self.version.clone(),
            ..*self
        }
    }

    /// The bytes as the build made them, as held.
    pub fn file(&self) -> &FileBytes {
        &self.file
    }

    /// The bytes to send: HTML pages unpacked, with the live-reload script tag put in.
    pub fn body(&self) -> Bytes {
        if !self.tagged {
            return match &self.file {
                FileBytes::Plain(bytes) => Bytes::from_owner(bytes.clone()),
                FileBytes::Packed(_) => Bytes::from(self.file.to_vec()),
            };
        }
        let raw = self.file.bytes();
        // Served at any address: its site-root-relative links must resolve from the root.
        let page = if self.not_found {
            std::borrow::Cow::Owned(inject::base_root(&raw))
        } else {
            raw
        };
        let at = inject::script_position(&page);
        Bytes::from(inject::insert_tag(&page, at, &self.version))
    }
}

impl ServedSite {
    /// The site after a build that made `snapshot`, which differs from this one by `diff`. Every
    /// file is held in the snapshot's allocation: an unchanged file made again by the build
    /// moves to the new one, so the old one is let go of rather than kept beside it.
    pub fn next(&self, snapshot: &Snapshot, diff: &Diff) -> ServedSite {
        let mut files = if self.ready {
            self.files.clone()
        } else {
            HashMap::with_capacity(snapshot.files.len())
        };
        for name in &diff.removed {
            files.remove(name);
        }
        for (name, file) in &snapshot.files {
            let served = match files.get(name) {
                Some(old) if old.file.shares(file) => continue,
                Some(old) if old.file.same(file) => old.held_in(file.clone()),
                _ => Served::new(name, file.clone()),
            };
            files.insert(name.clone(), Arc::new(served));
        }
        ServedSite { files, ready: true }
    }

    /// The bytes this site holds in memory for its files (packed pages count packed).
    pub fn held_bytes(&self) -> usize {
        self.files.values().map(|f| f.file.held().len()).sum()
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
    fn pages_are_held_packed_and_sent_with_the_script() {
        let html = "<html><body><p>x</p></body></html>".repeat(20);
        let file = FileBytes::packed(&html);
        let served = Served::new("a/index.html", file.clone());
        assert!(served.file().shares(&file), "not copied");
        assert!(file.held().len() * 3 < html.len());
        let sent = served.body();
        assert_eq!(
            sent,
            Bytes::from(inject::script(html.as_bytes(), &served.version))
        );
    }

    #[test]
    fn unchanged_files_are_shared_with_the_previous_site() {
        let mut snapshot = Snapshot::default();
        snapshot.files.insert(
            OutputPath::known("a.html"),
            FileBytes::packed("<body></body>"),
        );
        snapshot.files.insert(
            OutputPath::known("b.css"),
            FileBytes::Plain(Arc::from(&b"b{}"[..])),
        );
        let all = Diff {
            changed: vec![OutputPath::known("a.html"), OutputPath::known("b.css")],
            removed: vec![],
        };
        let first = ServedSite::default().next(&snapshot, &all);
        snapshot.files.insert(
            OutputPath::known("b.css"),
            FileBytes::Plain(Arc::from(&b"b{color:red}"[..])),
        );
        let second = first.next(&snapshot, &Diff::default());
        assert!(Arc::ptr_eq(&first.files["a.html"], &second.files["a.html"]));
        assert_eq!(&second.files["b.css"].body()[..], b"b{color:red}");
        assert_ne!(first.files["b.css"].etag, second.files["b.css"].etag);
    }
}
