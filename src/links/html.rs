//! One pass over a finished HTML page (with the `tags` scanner): every site-root URL (`/style.css`) in a URL
//! attribute becomes relative to the page (`../style.css`), so the output works under any
//! sub-path and from disk; and the page's ids (with where they are) and internal links are
//! collected for checking.

use super::strings::{StrList, StrSet};
use super::tags::{decode_attribute, for_each_attribute, splice};
use super::{is_external, join, split_fragment};
pub use crate::paths::relative_url;
use crate::paths::{output_url, output_url_dir};
use std::collections::{BTreeSet, HashMap};

/// Attributes that hold one URL.
const URL_ATTRIBUTES: [&str; 5] = ["href", "src", "poster", "action", "data"];

/// What a page holds, for link checking.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// Every `id` attribute on the page, in order.
    pub ids: StrList,
    /// Every `id` and `<a name>`: what a `#fragment` can land on.
    pub anchors: StrSet,
    /// Ids written more than once, in the order of their first use, each with the byte offset
    /// of every occurrence (of the attribute's value) in the HTML.
    pub duplicate_ids: Vec<(String, Vec<usize>)>,
    /// Every internal link, as a site-root URL with its fragment (`/talks/#moscow`).
    pub links: StrList,
}

/// How to rewrite.
#[derive(Debug, Clone, Copy)]
pub struct Rewrite<'a> {
    /// The page's output file, relative to the output folder (`talks/index.html`).
    pub output: &'a str,
    /// Write relative URLs (false: only scan).
    pub relativize: bool,
    /// Instead of relative URLs, make site-root URLs absolute under this base URL (which ends in
    /// `/`): for pages shown at addresses they cannot know, like `404.html`.
    pub base: Option<&'a str>,
    /// Links to folders end in `index.html` (for browsing from disk).
    pub index_links: bool,
}

/// Rewrites `html` as asked and collects its ids and internal links.
pub fn rewrite(html: &str, how: Rewrite<'_>) -> (String, Scan) {
    let dir = &output_url_dir(how.output);
    let mut scan = Scan::default();
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut id_offsets = Vec::new();
    let mut ids = Vec::new();
    let mut names = Vec::new();
    for_each_attribute(html, |attribute| {
        let name = attribute.name;
        if name.eq_ignore_ascii_case("id") {
            id_offsets.push(attribute.span.start);
            ids.push(decode_attribute(attribute.value));
        } else if name.eq_ignore_ascii_case("name") && attribute.tag.eq_ignore_ascii_case("a") {
            names.push(decode_attribute(attribute.value));
        } else if URL_ATTRIBUTES.iter().any(|a| name.eq_ignore_ascii_case(a)) {
            let value = decode_attribute(attribute.value);
            if let Some(target) = site_target(&value, dir, how.output) {
                scan.links.push(&target);
            }
            if is_site_root(&value) {
                if let Some(url) = rewritten(attribute.value, dir, how) {
                    edits.push((attribute.span, url));
                }
            }
        } else if name.eq_ignore_ascii_case("srcset") {
            let mut candidates = Vec::new();
            let mut changed = false;
            for candidate in attribute.value.split(',') {
                let candidate = candidate.trim();
                let (url, descriptor) = candidate.split_once(' ').unwrap_or((candidate, ""));
                if let Some(target) = site_target(&decode_attribute(url), dir, how.output) {
                    scan.links.push(&target);
                }
                let new_url = is_site_root(url)
                    .then(|| rewritten(url, dir, how))
                    .flatten();
                changed |= new_url.is_some();
                let url = new_url.as_deref().unwrap_or(url);
                candidates.push(format!("{url} {descriptor}").trim().to_owned());
            }
            if changed {
                edits.push((attribute.span, candidates.join(", ")));
            }
        }
    });
    scan.duplicate_ids = duplicates(&ids, &id_offsets);
    scan.anchors = ids.iter().chain(&names).map(|a| &**a).collect();
    scan.ids = ids.iter().map(|id| &**id).collect();
    scan.links.shrink_to_fit();
    if edits.is_empty() {
        return (html.to_owned(), scan);
    }
    (splice(html, edits), scan)
}

/// The ids of `ids` that occur more than once, with the offsets of each occurrence.
pub fn duplicates<S: AsRef<str>>(ids: &[S], offsets: &[usize]) -> Vec<(String, Vec<usize>)> {
    let ids: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
    if ids.len() == ids.iter().collect::<BTreeSet<_>>().len() {
        return Vec::new();
    }
    let mut found: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut order = Vec::new();
    for (id, &offset) in ids.iter().zip(offsets) {
        let places = found.entry(id).or_default();
        if places.is_empty() {
            order.push(*id);
        }
        places.push(offset);
    }
    order
        .into_iter()
        .filter_map(|id| {
            let places = found.remove(id)?;
            (places.len() > 1).then(|| (id.to_owned(), places))
        })
        .collect()
}

/// What the site-root URL `url` on a page in `dir` becomes, if anything.
fn rewritten(url: &str, dir: &str, how: Rewrite<'_>) -> Option<String> {
    match how.base {
        Some(base) => Some(format!(
            "{}{}",
            crate::markdown::escape_attribute(base),
            &url[1..]
        )),
        None => how
            .relativize
            .then(|| relative_url(dir, url, how.index_links)),
    }
}

fn is_site_root(url: &str) -> bool {
    url.starts_with('/') && !url.starts_with("//")
}

/// The site-root form of an internal URL found on the page in `dir`; `None` for external ones.
fn site_target(url: &str, dir: &str, output: &str) -> Option<String> {
    if url.is_empty() || is_external(url) {
        return None;
    }
    if is_site_root(url) {
        return Some(url.to_owned());
    }
    if let Some(fragment) = url.strip_prefix('#') {
        return Some(output_url(output).with_fragment(Some(fragment)));
    }
    let (path, fragment) = split_fragment(url);
    let trailing = if path.ends_with('/') || path.is_empty() {
        "/"
    } else {
        ""
    };
    let joined = join(dir, path)?;
    let root = if joined.is_empty() {
        "/".to_owned()
    } else {
        format!("/{joined}{trailing}")
    };
    Some(match fragment {
        Some(f) => format!("{root}#{f}"),
        None => root,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_ids_are_found_with_their_offsets() {
        let html =
            r#"<h2 id="a">A</h2><p id="b"></p><a name="b"></a><div id="a"></div><i id="a"></i>"#;
        let how = Rewrite {
            output: "index.html",
            relativize: false,
            base: None,
            index_links: false,
        };
        let (_, scan) = rewrite(html, how);
        assert_eq!(scan.ids.iter().collect::<Vec<_>>(), ["a", "b", "a", "a"]);
        assert_eq!(scan.anchors.len(), 2);
        let offsets: Vec<usize> = ["<h2 id=", "<div id=", "<i id="]
            .iter()
            .map(|tag| html.find(tag).unwrap() + tag.len() + 1)
            .collect();
        assert_eq!(scan.duplicate_ids, [("a".to_owned(), offsets)]);
    }

    #[test]
    fn with_a_base_site_root_urls_become_absolute() {
        let html = r#"<a href="/talks/">t</a><script src="//cdn.example.org/x.js"></script><img srcset="/a.png 1x">"#;
        let how = Rewrite {
            output: "404.html",
            relativize: true,
            base: Some("https://e.org/x/"),
            index_links: false,
        };
        let (out, _) = rewrite(html, how);
        assert_eq!(
            out,
            r#"<a href="https://e.org/x/talks/">t</a><script src="//cdn.example.org/x.js"></script><img srcset="https://e.org/x/a.png 1x">"#
        );
    }

    #[test]
    fn rewrites_site_root_urls_and_collects_ids_and_links() {
        let html = r##"<h2 id="x">X</h2><a href="/talks/#moscow">t</a><a href="#x">self</a>
<img src="/img/a.png" srcset="/img/a.png 1x, /img/b.png 2x"><a href="https://e.org/">e</a><link href="../style.css" rel="stylesheet">"##;
        let (out, scan) = rewrite(
            html,
            Rewrite {
                output: "people/putin/index.html",
                relativize: true,
                base: None,
                index_links: false,
            },
        );
        assert!(out.contains(r#"href="../../talks/#moscow""#), "{out}");
        assert!(out.contains(r#"src="../../img/a.png""#));
        assert!(
            out.contains(r#"srcset="../../img/a.png 1x, ../../img/b.png 2x""#),
            "{out}"
        );
        assert!(out.contains(r#"href="https://e.org/""#));
        assert_eq!(scan.ids.iter().collect::<Vec<_>>(), ["x"]);
        assert!(scan.duplicate_ids.is_empty());
        assert_eq!(
            scan.links.iter().collect::<Vec<_>>(),
            [
                "/talks/#moscow",
                "/people/putin/#x",
                "/img/a.png",
                "/img/a.png",
                "/img/b.png",
                "/people/style.css"
            ]
        );
    }
}
