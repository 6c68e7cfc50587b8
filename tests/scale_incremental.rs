//! Work proportional to the change at 10,000 pages: after an edit, an incremental build renders
//! again exactly the pages the change reaches (counted through `BuildCache::rendered`) and its
//! output is byte for byte a clean build's. The site is generated here
//! (`common::generated`): the convergence fixture (templates that call `get_page`,
//! `shortcode_uses` and `changes`, sources, shortcodes) with 100 sections of 100 small pages,
//! each linking to the next.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::generated;
use common::site::{built_files, TestSite};
use dossier::site::{build, build_with_cache, BuildCache, BuildOptions, Silent};

const SECTIONS: usize = 100;
const PER_SECTION: usize = 100;

fn page_text(section: usize, page: usize, title: &str, extra: &str) -> String {
    generated::page_text(section, page, PER_SECTION, title, extra)
}

fn options(site: &TestSite) -> BuildOptions {
    BuildOptions {
        root: site.root().to_path_buf(),
        drafts: false,
        report_orphans: false,
        overrides: Default::default(),
    }
}

/// Builds incrementally and hands back the source paths of the pages rendered again.
fn rebuild(site: &TestSite, cache: &mut BuildCache) -> Vec<String> {
    build_with_cache(&options(site), cache, &Silent).unwrap();
    cache.rendered().to_vec()
}

/// Builds incrementally and compares the result with a clean build (at the end only: a clean
/// build of 10,000 pages is what this test is not about).
fn assert_equals_clean_build(site: &TestSite, cache: &mut BuildCache) {
    let incremental = build_with_cache(&options(site), cache, &Silent).unwrap();
    assert!(
        cache.rendered().is_empty(),
        "nothing changed since the last build"
    );
    let clean = build(&options(site), &Silent).unwrap();
    assert!(
        built_files(&incremental) == built_files(&clean),
        "an incremental build differs from a clean one"
    );
    assert_eq!(incremental.warnings, clean.warnings);
}

#[test]
fn an_edit_renders_only_what_it_reaches_at_ten_thousand_pages() {
    let site = generated::large_site(SECTIONS, PER_SECTION);
    let mut cache = BuildCache::default();
    build_with_cache(&options(&site), &mut cache, &Silent).unwrap();
    let all = cache.report().pages;
    assert_eq!(cache.report().pages_rendered, all);
    assert!(all > SECTIONS * PER_SECTION, "{all} pages");

    // A new sentence in one body: that page alone.
    let edited = page_text(42, 17, "Page 42-17", "A new sentence.\n");
    site.write("content/s42/p017.md", edited);
    let rendered = rebuild(&site, &mut cache);
    assert_eq!(rendered, ["s42/p017.md"]);
    assert_eq!(cache.report().bodies_rendered, 1);

    // Nothing changed: nothing is rendered.
    assert!(rebuild(&site, &mut cache).is_empty());
    assert_eq!(cache.report().bodies_rendered, 0);

    // A new title: the page, its section (which lists it), the pages before and after it
    // (which show its title as prev/next), and the page it links to (whose backlinks show it).
    site.write(
        "content/s42/p017.md",
        page_text(42, 17, "Renamed", "A new sentence.\n"),
    );
    let rendered = rebuild(&site, &mut cache);
    assert_eq!(
        rendered,
        ["s42/_index.md", "s42/p016.md", "s42/p017.md", "s42/p018.md"]
    );

    // A quotation: the page, and the quotes page that lists every use of `say` (Bob's page
    // gains a backlink too, since the quote links to him).
    site.write(
        "content/s07/p003.md",
        page_text(7, 3, "Page 7-3", "{% say(who=\"bob\") %}Hello{% end %}\n"),
    );
    let rendered = rebuild(&site, &mut cache);
    assert_eq!(rendered, ["bob.md", "quotes.md", "s07/p003.md"]);
    assert_equals_clean_build(&site, &mut cache);
}
