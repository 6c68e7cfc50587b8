//! Work proportional to the change at 10,000 pages, for the checks and files made from the
//! whole site: a body-only edit checks no output claim again, reuses the backlinks and makes no
//! sitemap or feed again; an edit that changes what one of them reads runs that one again, and
//! the result is byte for byte a clean build's. Counted through `BuildCache::report`, never
//! timed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::generated;
use common::site::{built_files, TestSite};
use dossier::site::{build, build_with_cache, BuildCache, Report, Silent};

const SECTIONS: usize = 100;
const PER_SECTION: usize = 100;

fn page_text(section: usize, page: usize, title: &str, extra: &str) -> String {
    generated::page_text(section, page, PER_SECTION, title, extra)
}

/// Builds incrementally; what was run again over the whole site, and the pages rendered.
fn rebuild(site: &TestSite, cache: &mut BuildCache) -> ((bool, bool, usize), Vec<String>) {
    build_with_cache(&site.options(), cache, &Silent).unwrap();
    let Report {
        claims_checked,
        backlinks_made,
        site_files_made,
        ..
    } = cache.report();
    (
        (claims_checked, backlinks_made, site_files_made),
        cache.rendered().to_vec(),
    )
}

#[test]
fn a_body_edit_runs_no_site_wide_check_or_file_again_at_ten_thousand_pages() {
    let site = generated::large_site(SECTIONS, PER_SECTION);
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{config}base_url: https://example.org/\n"),
    );
    let mut cache = BuildCache::default();
    // The first build runs everything: the claims, the backlinks, the sitemap and the feed.
    let (site_wide, _) = rebuild(&site, &mut cache);
    assert_eq!(site_wide, (true, true, 2));

    // A new sentence in one body: that page alone, nothing site-wide.
    site.write(
        "content/s42/p017.md",
        page_text(42, 17, "Page 42-17", "A new sentence.\n"),
    );
    assert_eq!(
        rebuild(&site, &mut cache),
        ((false, false, 0), vec!["s42/p017.md".to_owned()])
    );

    // A new link in a body: the backlinks again (and the page it now links to shows them).
    site.write(
        "content/s42/p017.md",
        page_text(42, 17, "Page 42-17", "See [a page](@/s07/p003.md).\n"),
    );
    let (site_wide, rendered) = rebuild(&site, &mut cache);
    assert_eq!(site_wide, (false, true, 0));
    assert_eq!(rendered, ["s07/p003.md", "s42/p017.md"]);

    // A new title: the sitemap and the feed again, no claim and no backlink.
    site.write(
        "content/s42/p017.md",
        page_text(42, 17, "Renamed", "See [a page](@/s07/p003.md).\n"),
    );
    assert_eq!(rebuild(&site, &mut cache).0, (false, false, 2));

    // A new page: everything site-wide again.
    site.write("content/s42/p100.md", page_text(42, 100, "Added", ""));
    assert_eq!(rebuild(&site, &mut cache).0, (true, true, 2));

    // Nothing changed: nothing again.
    assert_eq!(rebuild(&site, &mut cache), ((false, false, 0), Vec::new()));
    let incremental = build_with_cache(&site.options(), &mut cache, &Silent).unwrap();
    let clean = build(&site.options(), &Silent).unwrap();
    assert!(
        built_files(&incremental) == built_files(&clean),
        "an incremental build differs from a clean one"
    );
}
