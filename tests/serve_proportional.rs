//! The dev server's rebuild after one body edit at 10,000 pages does work proportional to the
//! change, not to the site: the load reads the one changed file and keeps every other page as
//! it was arranged, and the bodies and pages passes look at (make a key for, check the trace
//! of) only the pages the change reaches. Counted through `Report` (never timed), so a return to
//! a pass over every page fails here. The output stays a clean build's, byte for byte.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::generated;
use common::site::{clean_files, rebuild_counted, TestSite};
use dossier::site::Silent;
use dossier::watch::{RebuildOutcome, Rebuilder};

const SECTIONS: usize = 100;
const PER_SECTION: usize = 100;

fn page<'a>(files: &'a [(String, Vec<u8>)], output: &str) -> &'a str {
    let (_, bytes) = files.iter().find(|(name, _)| name == output).unwrap();
    std::str::from_utf8(bytes).unwrap()
}

fn edit(site: &TestSite, section: usize, page: usize, title: &str, extra: &str) {
    let text = generated::page_text(section, page, PER_SECTION, title, extra);
    site.write(&format!("content/s{section:02}/p{page:03}.md"), text);
}

#[test]
fn one_body_edit_looks_only_at_what_it_reaches_at_ten_thousand_pages() {
    let site = generated::large_site(SECTIONS, PER_SECTION);
    let mut rebuilder = Rebuilder::new(site.options(), None);
    assert!(matches!(
        rebuilder.rebuild(&Silent),
        RebuildOutcome::Built(_)
    ));
    let (first, _) = rebuild_counted(&mut rebuilder, &[]);
    let all = first.pages;
    assert!(all > SECTIONS * PER_SECTION, "{all} pages");

    // A new sentence in one body: one file read, one body and one page looked at.
    edit(&site, 42, 17, "Page 42-17", "A new sentence.\n");
    let (report, files) = rebuild_counted(&mut rebuilder, &["content/s42/p017.md"]);
    assert!(page(&files, "s42/p017/index.html").contains("A new sentence."));
    assert_eq!(report.files_looked_at, 1);
    assert_eq!(report.bodies_visited, 1);
    assert_eq!(report.pages_visited, 1);
    assert_eq!(report.pages_rendered, 1);

    // A link added in a body: the page it leads to shows a new backlink, and is looked at too.
    edit(&site, 42, 17, "Page 42-17", "See [one](@/s07/p003.md).\n");
    let (report, files) = rebuild_counted(&mut rebuilder, &["content/s42/p017.md"]);
    assert!(page(&files, "s07/p003/index.html").contains("Page 42-17"));
    assert_eq!(report.files_looked_at, 1);
    assert_eq!(report.bodies_visited, 1);
    assert_eq!(report.pages_visited, 2);
    assert_eq!(report.pages_rendered, 2);

    // A new title changes what other pages show: every page is looked at again.
    edit(&site, 42, 17, "Renamed", "See [one](@/s07/p003.md).\n");
    let (report, _) = rebuild_counted(&mut rebuilder, &["content/s42/p017.md"]);
    assert_eq!(report.pages_visited, all);
    assert!(report.pages_rendered < all);

    // And the next body edit is narrow again.
    edit(&site, 3, 5, "Page 3-5", "Another sentence.\n");
    let (report, files) = rebuild_counted(&mut rebuilder, &["content/s03/p005.md"]);
    assert_eq!(report.files_looked_at, 1);
    assert_eq!(report.pages_visited, 1);
    assert!(page(&files, "s03/p005/index.html").contains("Another sentence."));
    assert!(files == clean_files(&site), "differs from a clean build");
}
