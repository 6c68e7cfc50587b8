//! A one-off build's bodies between the body pass and their pages, held as little as possible:
//! each body's HTML and what only its page reads are packed and set aside ([`Parked`]), the pages
//! its links name are kept as page ids (for backlinks) instead of output paths, and the [`Body`]
//! itself is one shared empty body unless it holds what the site-wide indexes read (shortcode
//! uses, the toolkit, warnings, names mentioned but not linked). The page takes its body back
//! whole with [`unpark`].

use super::bodies::Body;
use super::packed::{Packed, Spill};
use crate::content::{Library, PageId};
use crate::paths::OutputPath;
use std::collections::HashMap;
use std::sync::Arc;

/// What only its page reads of a body, set aside until the page is rendered.
#[derive(Debug)]
pub(super) struct Parked {
    parts: Packed,
    word_count: usize,
}

/// A body as a one-off build holds it until its page: the site-wide part, the set-aside part,
/// and the pages its links name.
pub(super) struct ParkedBody {
    pub body: Arc<Body>,
    pub parked: Option<Parked>,
    pub links_to: Box<[PageId]>,
}

impl From<Arc<Body>> for ParkedBody {
    /// A body held whole.
    fn from(body: Arc<Body>) -> Self {
        ParkedBody {
            body,
            parked: None,
            links_to: Box::default(),
        }
    }
}

/// Which page writes each output file, to turn a body's link outputs into page ids.
pub(super) fn pages_by_output(library: &Library) -> HashMap<&OutputPath, PageId> {
    library.pages.iter().map(|p| (&p.output, p.id)).collect()
}

/// Sets aside what only the page reads of `body` (in `spill`, if given), keeping the pages its
/// links name, in order; the body left is `empty` when nothing else reads it.
pub(super) fn park(
    mut body: Body,
    spill: Option<&Spill>,
    by_output: &HashMap<&OutputPath, PageId>,
    empty: &Arc<Body>,
) -> ParkedBody {
    let links_to = std::mem::take(&mut body.link_outputs)
        .iter()
        .filter_map(|output| by_output.get(output).copied())
        .collect();
    body.pack_for_page(spill);
    let parked = body.packed_parts.take().map(|parts| Parked {
        parts,
        word_count: std::mem::take(&mut body.word_count),
    });
    let site_wide = !body.uses.is_empty()
        || !body.warnings.is_empty()
        || !body.unlinked_mentions.is_empty()
        || !body.toolkit.is_empty()
        || body.packed_html.is_some();
    ParkedBody {
        body: if site_wide {
            Arc::new(body)
        } else {
            empty.clone()
        },
        parked,
        links_to,
    }
}

/// The whole body back for its page (`body` as it was parked, with what was set aside).
pub(super) fn unpark(
    body: Option<Arc<Body>>,
    parked: Option<Parked>,
    spill: Option<&Spill>,
) -> std::io::Result<Option<Arc<Body>>> {
    let Some(parked) = parked else {
        return Ok(body);
    };
    let mut whole = match body {
        Some(body) => Arc::try_unwrap(body).unwrap_or_else(|shared| Body::clone(&shared)),
        None => Body::default(),
    };
    whole.packed_parts = Some(parked.parts);
    whole.word_count = parked.word_count;
    whole.unpack_html(spill)?;
    Ok(Some(Arc::new(whole)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::TocEntry;
    use crate::paths::url_output;

    fn body(html: &str) -> Body {
        Body {
            html: html.to_owned(),
            excerpt: Some("<p>Avant</p>".into()),
            toc: vec![TocEntry {
                level: 2,
                id: "suite".into(),
                title: "La suite".into(),
                children: Vec::new(),
            }],
            word_count: 42,
            written_links: vec![("/b/".into(), 17)],
            link_outputs: vec![
                url_output("/b/"),
                url_output("/nowhere/"),
                url_output("/a/"),
            ],
            ..Body::default()
        }
    }

    #[test]
    fn a_parked_body_comes_back_whole_and_shares_the_empty_one_meanwhile() {
        let a = url_output("/a/");
        let b = url_output("/b/");
        let by_output = HashMap::from([(&a, PageId::at(0)), (&b, PageId::at(1))]);
        let empty = Arc::new(Body::default());
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::new(dir.path()).unwrap();
        let parked = park(body("<p>Corps</p>"), Some(&spill), &by_output, &empty);
        assert!(Arc::ptr_eq(&parked.body, &empty));
        assert_eq!(&*parked.links_to, &[PageId::at(1), PageId::at(0)]);
        let back = unpark(Some(parked.body), parked.parked, Some(&spill))
            .unwrap()
            .unwrap();
        let expected = Body {
            link_outputs: Vec::new(),
            ..body("<p>Corps</p>")
        };
        assert_eq!(format!("{back:?}"), format!("{expected:?}"));
        assert!(empty.html.is_empty() && empty.word_count == 0);
    }

    #[test]
    fn a_body_the_site_reads_keeps_its_own_place() {
        let empty = Arc::new(Body::default());
        let mut warned = body("<p>Corps</p>");
        warned.warnings.push(crate::error::Diagnostic::warning(
            "content/a.md",
            "a footnote is never referenced",
        ));
        let parked = park(warned, None, &HashMap::new(), &empty);
        assert!(!Arc::ptr_eq(&parked.body, &empty));
        assert_eq!(parked.body.warnings.len(), 1);
        assert!(parked.body.html.is_empty() && parked.links_to.is_empty());
        let back = unpark(Some(parked.body), parked.parked, None)
            .unwrap()
            .unwrap();
        assert_eq!(back.html, "<p>Corps</p>");
        assert_eq!((back.word_count, back.warnings.len()), (42, 1));
    }
}
