//! The parts of a one-off build's `pages` stage that let go of what is written: each page
//! slimmed to what the check reads once its bytes are written (`slim`), each body let go of or
//! kept without its HTML (`slim_body`), and the final check of the links the pages left
//! unsettled, with every link of the generated pages, against the complete output
//! (`streamed_check`). A build kept between builds (`serve`, `watch`) uses none of it.

use super::bodies::Body;
use super::cache::KeptOrMade;
use super::page_links::{PageLinks, StreamedAnchors};
use super::pages::RenderedPage;
use crate::content::Library;
use crate::error::Diagnostic;
use crate::links::check::{broken_link, BrokenLink, Checked, FastSet};
use crate::output::FileBytes;
use std::borrow::Borrow;
use std::collections::HashSet;
use std::sync::Arc;

/// The body of `page` could not be read back from where it was set aside.
pub(super) fn spill_error(page: &crate::content::Page, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        &page.shown,
        format!("cannot read back the rendered body: {err}"),
    )
    .with_hint(
        "check that the disk is not full and build again; the output folder was left as it was",
    )
}

/// A one-off build's broken links: those its pages left unsettled, and every link of the
/// generated pages (`made_now`; their scans are the anchors' `generated`), against the
/// complete output.
pub(super) fn streamed_check(
    library: &Library,
    files: &FastSet<'_>,
    anchors: &StreamedAnchors<'_>,
    made_now: &HashSet<String>,
) -> Vec<BrokenLink> {
    let pages = (library.pages.iter())
        .zip(anchors.pages)
        .flat_map(|(page, links)| {
            (links.unsettled.iter()).map(move |link| (page.output.as_str(), link.as_str()))
        });
    let generated = (anchors.generated.iter())
        .filter(|(output, _)| made_now.contains(output.as_str()))
        .flat_map(|(output, scan)| scan.links.iter().map(move |link| (output.as_str(), link)));
    let mut checked = Checked::default();
    (pages.chain(generated))
        .filter_map(|(from, link)| broken_link(&mut checked, from, link, files, anchors))
        .collect()
}

/// The page without its bytes, once they are written (a one-off build): its links are in its
/// [`PageLinks`], and its scan is kept only when it wrote an id twice (for the message).
pub(super) fn slim(page: RenderedPage) -> RenderedPage {
    let scan = if page.scan.duplicate_ids.is_empty() {
        Arc::default()
    } else {
        let mut scan = page.scan;
        if let Some(scan) = Arc::get_mut(&mut scan) {
            scan.links = Default::default();
        }
        scan
    };
    RenderedPage {
        html: FileBytes::default(),
        scan,
        ..page
    }
}

/// A one-off build's body once its page is written: let go of, unless the check may place a
/// message with it (a link the output must settle, an id written twice); then without its HTML.
pub(super) fn slim_body(
    mut body: Arc<Body>,
    page: &KeptOrMade<impl Borrow<RenderedPage>, Option<Diagnostic>>,
    links: Option<&PageLinks>,
) -> Option<Arc<Body>> {
    let duplicates = match page {
        KeptOrMade::Kept(done) | KeptOrMade::Made(done) => {
            !done.borrow().scan.duplicate_ids.is_empty()
        }
        KeptOrMade::Failed(_) => false,
    };
    let unsettled = links.is_some_and(|l| !l.unsettled.is_empty());
    if !duplicates && !unsettled {
        return None;
    }
    if let Some(body) = Arc::get_mut(&mut body) {
        // Rendered into the page: the check needs only its links and ids.
        body.html = String::new();
        body.excerpt = None;
    }
    Some(body)
}
