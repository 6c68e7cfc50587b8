//! `atom.xml`: an Atom 1.0 feed of the site's pages, updates and corrections.
//!
//! Entries: one per page, one per update and one per correction. A page's entry is `published`
//! at its `date` and `updated` at its last change (the latest of `updated`, `updates` and
//! `corrections`, else `date`); an update's or a correction's entry at its own date, with its
//! note as the summary. Dated entries come first, newest first (the same moment keeps the
//! reading order); pages with no date at all follow in reading order, stamped with the newest
//! date of the feed (or the Unix epoch on a site without any date), because Atom requires a
//! stamp and a build never reads the clock.
//!
//! With `base_url`, ids are the pages' absolute URLs (a change adds `#update-<UTC stamp>` or
//! `#correction-<UTC stamp>`) and links are absolute. Without it, ids are `urn:uuid:` values
//! hashed from the site's title and the page's path (and the change's stamp), stable from build
//! to build, and links are relative to the feed, which sits at the site root. The feed's own id
//! is made the same way from `/atom.xml`.

use crate::config::SiteConfig;
use crate::content::change_log::{ChangeKind, PageDates};
use crate::content::{Library, Page};
use crate::markdown::escape_attribute as escape;
use crate::render::context::SiteView;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::sync::Arc;

/// The feed's output path.
pub const FEED_FILE: &str = "atom.xml";

/// Stamp of every undated entry on a site that has no date at all.
const EPOCH: &str = "1970-01-01T00:00:00Z";

/// One `<entry>`.
struct Entry<'a> {
    /// What follows the page's URL in the entry's id (empty for the page itself).
    fragment: String,
    title: Cow<'a, str>,
    /// UTC, RFC 3339; `None` for an undated page (stamped later).
    updated: Option<String>,
    /// A page's `date`, UTC.
    published: Option<String>,
    page: &'a Page,
    summary: Option<Cow<'a, str>>,
    kind: Option<ChangeKind>,
}

/// Where the feed's ids and links point.
struct Addresses<'a> {
    base: Option<String>,
    site_title: &'a str,
}

impl Addresses<'_> {
    /// The id of a page (`fragment` empty) or of one of its changes.
    fn id(&self, url: &str, fragment: &str) -> String {
        match &self.base {
            Some(base) => format!("{base}{}{fragment}", url.trim_start_matches('/')),
            None => urn_uuid(&format!("{}\n{url}{fragment}", self.site_title)),
        }
    }

    /// The link to a site-root URL: absolute with `base_url`, else relative to the feed.
    fn link(&self, url: &str) -> String {
        let path = url.trim_start_matches('/');
        match &self.base {
            Some(base) => format!("{base}{path}"),
            None if path.is_empty() => "./".to_owned(),
            None => path.to_owned(),
        }
    }
}

/// A `urn:uuid:` from a 128-bit hash of `name` (version 8, RFC 9562: custom).
fn urn_uuid(name: &str) -> String {
    let mut bytes = xxhash_rust::xxh3::xxh3_128(name.as_bytes()).to_be_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// The feed of every page of `library`.
pub fn atom(config: &SiteConfig, site: &SiteView, library: &Library) -> String {
    let mut xml = String::new();
    Feed::new(config, site, library).write(&mut xml);
    xml
}

/// [`atom`] as bytes, made in one allocation of their exact size: the feed is written twice,
/// once to count its bytes and once into place, so that a feed of tens of megabytes (100,000
/// pages) is never held twice over, as growing a string and copying it would.
pub fn atom_bytes(config: &SiteConfig, site: &SiteView, library: &Library) -> Arc<[u8]> {
    let feed = Feed::new(config, site, library);
    let mut counted = Counted(0);
    feed.write(&mut counted);
    let mut bytes: Arc<[u8]> = std::iter::repeat_n(0, counted.0).collect();
    let Some(room) = Arc::get_mut(&mut bytes) else {
        return atom(config, site, library).into_bytes().into();
    };
    feed.write(&mut Filled { room, at: 0 });
    bytes
}

/// Counts what is written.
struct Counted(usize);

impl fmt::Write for Counted {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

/// Writes into room counted before.
struct Filled<'a> {
    room: &'a mut [u8],
    at: usize,
}

impl fmt::Write for Filled<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.at + s.len();
        let into = self.room.get_mut(self.at..end).ok_or(fmt::Error)?;
        into.copy_from_slice(s.as_bytes());
        self.at = end;
        Ok(())
    }
}

/// The feed's entries in order, and what its head says.
struct Feed<'a> {
    config: &'a SiteConfig,
    site: &'a SiteView,
    addresses: Addresses<'a>,
    dated: Vec<Entry<'a>>,
    undated: Vec<Entry<'a>>,
    newest: String,
}

impl<'a> Feed<'a> {
    fn new(config: &'a SiteConfig, site: &'a SiteView, library: &'a Library) -> Self {
        let pages = library.reading_order.iter().map(|&id| &library.pages[id]);
        let (mut dated, undated) = entries(pages);
        dated.sort_by(|a, b| b.updated.cmp(&a.updated));
        let newest = dated
            .first()
            .and_then(|e| e.updated.clone())
            .unwrap_or_else(|| EPOCH.to_owned());
        Feed {
            config,
            site,
            addresses: Addresses {
                base: config.base_url_with_slash(),
                site_title: &site.title,
            },
            dated,
            undated,
            newest,
        }
    }

    fn write(&self, xml: &mut impl fmt::Write) {
        head(xml, self.config, self.site, &self.addresses, &self.newest);
        for entry in self.dated.iter().chain(&self.undated) {
            write_entry(xml, &self.addresses, entry, &self.newest);
        }
        let _ = xml.write_str("</feed>\n");
    }
}

/// The dated entries (pages with a date, updates, corrections) and the undated pages.
fn entries<'a>(
    in_reading_order: impl Iterator<Item = &'a Page>,
) -> (Vec<Entry<'a>>, Vec<Entry<'a>>) {
    let mut dated = Vec::new();
    let mut undated = Vec::new();
    for page in in_reading_order {
        let dates = PageDates::of(&page.front);
        let entry = Entry {
            fragment: String::new(),
            title: Cow::Borrowed(&page.title),
            updated: dates.last_modified().map(|w| w.utc.clone()),
            published: dates.published.as_ref().map(|w| w.utc.clone()),
            page,
            summary: page.front.description.as_deref().map(Cow::Borrowed),
            kind: None,
        };
        if entry.updated.is_some() {
            dated.push(entry);
        } else {
            undated.push(entry);
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        for change in dates.updates.into_iter().chain(dates.corrections) {
            let (label, word) = match change.kind {
                ChangeKind::Update => ("Update", "update"),
                ChangeKind::Correction => ("Correction", "correction"),
            };
            let mut fragment = format!("#{word}-{}", change.date.utc);
            let count = seen.entry(fragment.clone()).or_default();
            *count += 1;
            if *count > 1 {
                let _ = write!(fragment, "-{count}");
            }
            dated.push(Entry {
                fragment,
                title: Cow::Owned(format!("{label}: {}", page.title)),
                updated: Some(change.date.utc.clone()),
                published: None,
                page,
                summary: Some(Cow::Owned(change.note)),
                kind: Some(change.kind),
            });
        }
    }
    (dated, undated)
}

fn head(
    xml: &mut impl fmt::Write,
    config: &SiteConfig,
    site: &SiteView,
    addresses: &Addresses<'_>,
    updated: &str,
) {
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(&site.language)
    );
    let _ = writeln!(xml, "  <title>{}</title>", escape(&site.title));
    if let Some(description) = &site.description {
        let _ = writeln!(xml, "  <subtitle>{}</subtitle>", escape(description));
    }
    // The feed's own address (or a uuid from it): never the same as the home page's entry.
    let _ = writeln!(
        xml,
        "  <id>{}</id>",
        escape(&addresses.id(&format!("/{FEED_FILE}"), ""))
    );
    let _ = writeln!(xml, "  <updated>{updated}</updated>");
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&addresses.link(&format!("/{FEED_FILE}")))
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&addresses.link("/"))
    );
    let author = config.author.as_deref().unwrap_or(&site.title);
    let _ = writeln!(xml, "  <author><name>{}</name></author>", escape(author));
    let _ = xml.write_str("  <generator>dossier</generator>\n");
}

fn write_entry(
    xml: &mut impl fmt::Write,
    addresses: &Addresses<'_>,
    entry: &Entry<'_>,
    newest: &str,
) {
    let updated = entry.updated.as_deref().unwrap_or(newest);
    let _ = writeln!(xml, "  <entry>");
    let _ = writeln!(xml, "    <title>{}</title>", escape(&entry.title));
    let _ = writeln!(
        xml,
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&addresses.link(&entry.page.url))
    );
    let id = addresses.id(&entry.page.url, &entry.fragment);
    let _ = writeln!(xml, "    <id>{}</id>", escape(&id));
    let _ = writeln!(xml, "    <updated>{updated}</updated>");
    if let Some(published) = &entry.published {
        let _ = writeln!(xml, "    <published>{published}</published>");
    }
    if let Some(kind) = entry.kind {
        let term = match kind {
            ChangeKind::Update => "update",
            ChangeKind::Correction => "correction",
        };
        let _ = writeln!(xml, "    <category term=\"{term}\"/>");
    }
    if let Some(summary) = entry.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        let _ = writeln!(xml, "    <summary>{}</summary>", escape(summary));
    }
    let _ = writeln!(xml, "  </entry>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_stable_and_well_formed() {
        let a = urn_uuid("Site\n/a/");
        assert_eq!(a, urn_uuid("Site\n/a/"));
        assert_ne!(a, urn_uuid("Site\n/b/"));
        let parts: Vec<&str> = a.trim_start_matches("urn:uuid:").split('-').collect();
        let lengths: Vec<usize> = parts.iter().map(|p| p.len()).collect();
        assert_eq!(lengths, [8, 4, 4, 4, 12]);
        assert!(parts[2].starts_with('8'), "{a}");
        assert!(
            matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
            "{a}"
        );
    }

    #[test]
    fn links_are_relative_to_the_feed_without_a_base() {
        let without = Addresses {
            base: None,
            site_title: "S",
        };
        assert_eq!(without.link("/"), "./");
        assert_eq!(without.link("/a/b/"), "a/b/");
        let with = Addresses {
            base: Some("https://example.org/x/".into()),
            site_title: "S",
        };
        assert_eq!(with.link("/a/"), "https://example.org/x/a/");
        assert_eq!(
            with.id("/a/", "#update-2026-01-01T00:00:00Z"),
            "https://example.org/x/a/#update-2026-01-01T00:00:00Z"
        );
    }
}
