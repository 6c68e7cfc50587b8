//! The print page in incremental builds: it keeps each chapter's content and the page rendered
//! with stand-ins for the contents, yet after every kind of edit (a body, a citation that
//! renumbers the later chapters' citations, a title, the page order, a link to another page's
//! source, the template) it is byte for byte what a clean build makes; and an edit to one body
//! makes one chapter again, not every chapter.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{built_files, TestSite};
use dossier::site::{build, build_with_cache, BuildCache, Report, Silent};

/// The `parity/print` fixture with the shipped theme and `more` pages in a folder of their own,
/// each citing the report and linking to the next.
fn site(more: usize) -> TestSite {
    let site = TestSite::fixture_with_shipped_theme("parity/print");
    site.write(
        "content/more/_index.md",
        "---\ntitle: More\nweight: 9\n---\nThe rest.\n",
    );
    for n in 0..more {
        site.write(&format!("content/more/m{n:05}.md"), more_text(n, more, ""));
    }
    site
}

fn more_text(n: usize, more: usize, extra: &str) -> String {
    let next = if n + 1 < more {
        format!(" Next: [page {}](@/more/m{:05}.md).", n + 1, n + 1)
    } else {
        String::new()
    };
    format!(
        "---\ntitle: \"Page {n}\"\nweight: {n}\n---\n## Part {n}\n\nSaid {n}.{{{{ cite(source=\"report\", at=\"p. {n}\") }}}}{next}\n{extra}"
    )
}

/// Builds with `cache` and clean; both must give the same files and warnings. Returns the report.
fn same_as_clean(site: &TestSite, cache: &mut BuildCache, step: &str) -> Report {
    let options = site.options();
    let incremental = build_with_cache(&options, cache, &Silent).unwrap();
    let clean = build(&options, &Silent).unwrap();
    let print = |built: &dossier::site::Built| {
        let bytes = built.files.get("print/index.html").unwrap().read().unwrap();
        String::from_utf8(bytes.into_owned()).unwrap()
    };
    assert_eq!(print(&incremental), print(&clean), "{step}: the print page");
    assert!(
        built_files(&incremental) == built_files(&clean),
        "{step}: differs from a clean build"
    );
    assert_eq!(incremental.warnings, clean.warnings, "{step}");
    cache.report()
}

#[test]
fn the_print_page_equals_a_clean_build_after_every_kind_of_edit() {
    let site = site(6);
    let mut cache = BuildCache::default();
    same_as_clean(&site, &mut cache, "first build");
    let amy = site.read("content/people/amy.md");
    let home = site.read("content/_index.md");
    let steps: Vec<(&str, &str, String)> = vec![
        (
            "a body",
            "content/more/m00002.md",
            more_text(2, 6, "Edited.\n"),
        ),
        (
            "a new citation, early: every later citation renumbered",
            "content/_index.md",
            home.replace(
                "closes this year.",
                "closes this year.{{ cite(source=\"minutes\") }}",
            ),
        ),
        (
            "a title",
            "content/more/m00003.md",
            more_text(3, 6, "").replace("title: \"Page 3\"", "title: \"Page three\""),
        ),
        (
            "the page order",
            "content/people/amy.md",
            amy.replace("weight: 1", "weight: 30"),
        ),
        (
            "a link to another page's source",
            "content/more/m00004.md",
            more_text(4, 6, "See [its first source](@/people/amy.md#source-1).\n"),
        ),
        (
            "the linked page's sources moved",
            "content/people/amy.md",
            amy.replace("{{ cite(source=\"minutes\") }}", ""),
        ),
        (
            "a link to another page's citation, which keeps its id",
            "content/more/m00002.md",
            more_text(2, 6, "Back to [the citation](@/people/amy.md#cite-1).\n"),
        ),
        (
            "the link to it gone",
            "content/more/m00002.md",
            more_text(2, 6, ""),
        ),
        (
            "a page's anchor",
            "content/more/m00005.md",
            more_text(5, 6, "See [the home page](@/_index.md#background).\n"),
        ),
    ];
    for (i, (step, path, text)) in steps.iter().enumerate() {
        site.write(path, text);
        let report = same_as_clean(&site, &mut cache, step);
        if i == 0 {
            // Only that chapter made again, spliced into the page as it was.
            assert_eq!(
                (report.print_chapters_rendered, report.print_spliced),
                (1, true),
                "{report:?}"
            );
        }
    }
    site.remove("content/more/m00001.md");
    site.write("content/more/m00000.md", more_text(0, 1, ""));
    same_as_clean(&site, &mut cache, "a page removed");
    let report = same_as_clean(&site, &mut cache, "nothing changed");
    assert_eq!(report.print_chapters_rendered, 0, "{report:?}");
    assert!(report.print_spliced, "{report:?}");
}

#[test]
fn a_template_that_lists_the_citations_keeps_their_ids_as_pages_change() {
    let site = site(4);
    let template = site.read("templates/print.html");
    site.write(
        "templates/print.html",
        template.replace("cited_at=false", "cited_at=true"),
    );
    let mut cache = BuildCache::default();
    same_as_clean(&site, &mut cache, "first build");
    site.write("content/more/m00001.md", more_text(1, 4, "Edited.\n"));
    let report = same_as_clean(&site, &mut cache, "a body");
    assert!(report.print_spliced, "{report:?}");
    let home = site.read("content/_index.md");
    site.write(
        "content/_index.md",
        home.replace(
            "closes this year.",
            "closes this year.{{ cite(source=\"minutes\") }}",
        ),
    );
    same_as_clean(&site, &mut cache, "a new citation");
}

#[test]
fn an_id_a_body_edit_repeats_on_the_print_page_fails_both_builds_alike() {
    let site = site(3);
    let template = site.read("templates/print.html");
    site.write(
        "templates/print.html",
        template.replace("<h1>", "<h1 id=\"page-more-m00001--extra\">"),
    );
    let mut cache = BuildCache::default();
    same_as_clean(&site, &mut cache, "first build");
    site.write("content/more/m00001.md", more_text(1, 3, "Edited.\n"));
    let report = same_as_clean(&site, &mut cache, "a body");
    assert!(report.print_spliced, "{report:?}");

    site.write(
        "content/more/m00001.md",
        more_text(1, 3, "## Extra\n\nMore.\n"),
    );
    let options = site.options();
    let incremental = build_with_cache(&options, &mut cache, &Silent).unwrap_err();
    let clean = build(&options, &Silent).unwrap_err();
    assert_eq!(incremental, clean);
    assert_eq!(
        incremental.to_string().lines().next(),
        Some("templates/print.html: error: the print page writes the id `page-more-m00001--extra` more than once")
    );

    site.write("content/more/m00001.md", more_text(1, 3, "Fine again.\n"));
    same_as_clean(&site, &mut cache, "the id gone");
}

#[test]
fn a_template_that_reads_the_contents_is_rendered_in_full_every_time() {
    let site = site(3);
    let template = site.read("templates/print.html");
    site.write(
        "templates/print.html",
        template.replace(
            "<div class=\"content\">",
            "<div class=\"content\" data-length=\"{{ chapter.content | length }}\">",
        ),
    );
    let mut cache = BuildCache::default();
    same_as_clean(&site, &mut cache, "first build");
    site.write("content/more/m00001.md", more_text(1, 3, "Longer now.\n"));
    let report = same_as_clean(&site, &mut cache, "a body");
    assert!(!report.print_spliced, "{report:?}");
    assert_eq!(report.print_chapters_rendered, 1, "{report:?}");
}

#[test]
fn a_body_edit_makes_one_chapter_at_ten_thousand_pages() {
    let site = site(10_000);
    let mut cache = BuildCache::default();
    let options = site.options();
    build_with_cache(&options, &mut cache, &Silent).unwrap();
    let first = cache.report();
    assert_eq!(first.print_chapters_rendered, first.pages, "{first:?}");

    site.write(
        "content/more/m05000.md",
        more_text(5_000, 10_000, "One more sentence.\n"),
    );
    build_with_cache(&options, &mut cache, &Silent).unwrap();
    let report = cache.report();
    assert_eq!(
        (report.print_chapters_rendered, report.print_spliced),
        (1, true),
        "{report:?}"
    );

    // A new citation early on renumbers the citations of every later chapter.
    let home = site.read("content/_index.md");
    site.write(
        "content/_index.md",
        home.replace(
            "closes this year.",
            "closes this year.{{ cite(source=\"minutes\") }}",
        ),
    );
    build_with_cache(&options, &mut cache, &Silent).unwrap();
    let report = cache.report();
    assert!(
        report.print_chapters_rendered >= 3,
        "the chapters with moved citations: {report:?}"
    );
    let incremental = build_with_cache(&options, &mut cache, &Silent).unwrap();
    assert_eq!(cache.report().print_chapters_rendered, 0);
    let clean = build(&options, &Silent).unwrap();
    assert!(
        built_files(&incremental) == built_files(&clean),
        "differs from a clean build"
    );
}
