//! The dev server's rebuild after one body edit at 10,000 pages notes for the link check only
//! the pages it rendered again: every other page's scan and template are the last build's,
//! kept by the build cache, not named and noted page by page again. Counted through `Report`
//! (`outputs_noted`, never timed). A build that fails leaves no kept outputs behind, so the one
//! after it notes every page again; after each step the output is a clean build's.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::generated;
use common::site::{change_of, clean_files, rebuild_counted, TestSite};
use dossier::site::Silent;
use dossier::watch::{RebuildOutcome, Rebuilder};

const SECTIONS: usize = 100;
const PER_SECTION: usize = 100;

fn edit(site: &TestSite, section: usize, page: usize, title: &str, extra: &str) -> String {
    let text = generated::page_text(section, page, PER_SECTION, title, extra);
    let path = format!("content/s{section:02}/p{page:03}.md");
    site.write(&path, text);
    path
}

#[test]
fn a_body_edit_notes_only_the_pages_it_rendered_for_the_check() {
    let site = generated::large_site(SECTIONS, PER_SECTION);
    let mut rebuilder = Rebuilder::new(site.options(), None);
    assert!(matches!(
        rebuilder.rebuild(&Silent),
        RebuildOutcome::Built(_)
    ));
    let all = rebuilder.cache().report().pages;
    assert!(all > SECTIONS * PER_SECTION, "{all} pages");
    assert_eq!(rebuilder.cache().report().outputs_noted, all);

    // A new sentence in one body: its page alone is noted again.
    let path = edit(&site, 42, 17, "Page 42-17", "A new sentence.\n");
    let (report, files) = rebuild_counted(&mut rebuilder, &[&path]);
    assert_eq!(report.pages_rendered, 1);
    assert_eq!(report.outputs_noted, 1);
    assert!(files == clean_files(&site), "differs from a clean build");

    // A link added: the page it leads to shows a new backlink and is noted too.
    let path = edit(&site, 42, 17, "Page 42-17", "See [one](@/s07/p003.md).\n");
    let (report, files) = rebuild_counted(&mut rebuilder, &[&path]);
    assert_eq!(report.outputs_noted, 2);
    assert!(files == clean_files(&site), "differs from a clean build");

    // A link to an anchor no page has: the build fails, and keeps nothing to start from...
    let path = edit(&site, 3, 5, "Page 3-5", "See [gone](/s07/p003/#nowhere).\n");
    let failed = rebuilder.rebuild_after(&change_of(&[&path]), &Silent);
    let RebuildOutcome::Failed(diagnostics) = failed else {
        panic!("a link to a missing anchor must fail the build");
    };
    assert!(
        diagnostics.to_string().contains("#nowhere"),
        "{diagnostics}"
    );

    // ...so the fix notes every page again, and the output is a clean build's.
    let path = edit(&site, 3, 5, "Page 3-5", "Fixed.\n");
    let (report, files) = rebuild_counted(&mut rebuilder, &[&path]);
    assert_eq!(report.outputs_noted, all);
    assert!(files == clean_files(&site), "differs from a clean build");

    // A new title changes what other pages show: every page is noted again.
    let path = edit(&site, 42, 17, "Renamed", "See [one](@/s07/p003.md).\n");
    let (report, files) = rebuild_counted(&mut rebuilder, &[&path]);
    assert_eq!(report.outputs_noted, all);
    assert!(files == clean_files(&site), "differs from a clean build");

    // And the next body edit is narrow again.
    let path = edit(&site, 9, 9, "Page 9-9", "Another sentence.\n");
    let (report, files) = rebuild_counted(&mut rebuilder, &[&path]);
    assert_eq!(report.outputs_noted, 1);
    assert!(files == clean_files(&site), "differs from a clean build");
}
