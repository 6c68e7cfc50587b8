//! `dossier build` streams: each file goes into the staging folder as soon as it is final. The
//! streamed output is byte for byte what the in-memory build (the one `serve` and `watch` use)
//! makes, and a build that fails late, after pages were written, publishes nothing: the previous
//! output stays as it was and no staging folder is left behind.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{tree, TestSite};
use dossier::error::Diagnostic;
use dossier::output::{FileSource, OutputSink, MARKER};
use dossier::site::{build, build_into, BuildOptions, Silent};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        drafts: false,
        report_orphans: false,
        overrides: Default::default(),
    }
}

/// The in-memory build's files, read as they would be written.
fn in_memory(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let built = build(&options(root), &Silent).unwrap();
    built
        .files
        .iter()
        .map(|(name, source)| {
            (
                PathBuf::from(name.as_str()),
                source.read().unwrap().into_owned(),
            )
        })
        .collect()
}

/// `dossier build` of `site` (streamed) equals the in-memory build, file for file.
fn assert_streamed_equals_in_memory(site: &TestSite) {
    site.build().success();
    let mut streamed = tree(&site.public());
    assert!(streamed.remove(Path::new(MARKER)).is_some(), "no marker");
    let expected = in_memory(site.root());
    assert!(expected.len() > 5, "too small a site to compare");
    let names = |t: &BTreeMap<PathBuf, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&streamed), names(&expected));
    for (name, bytes) in &expected {
        assert!(streamed[name] == *bytes, "{} differs", name.display());
    }
}

#[test]
fn a_streamed_build_of_the_shipped_site_is_byte_identical_to_the_in_memory_build() {
    assert_streamed_equals_in_memory(&TestSite::fixture("."));
}

#[test]
fn a_streamed_build_of_the_basic_fixture_is_byte_identical_to_the_in_memory_build() {
    assert_streamed_equals_in_memory(&TestSite::fixture("basic"));
}

/// Records what a build hands over, and whether it was told the site is complete.
#[derive(Default)]
struct Recorder {
    files: Mutex<Vec<String>>,
    finished: Mutex<usize>,
}

impl OutputSink for Recorder {
    fn put(&self, name: &str, _source: FileSource) -> Result<(), Diagnostic> {
        assert_eq!(
            *self.finished.lock().unwrap(),
            0,
            "{name} came after finish"
        );
        self.files.lock().unwrap().push(name.to_owned());
        Ok(())
    }

    fn finish(&self) -> Result<(), Diagnostic> {
        *self.finished.lock().unwrap() += 1;
        Ok(())
    }
}

#[test]
fn every_file_is_handed_over_once_and_then_the_site_is_finished_once() {
    let site = TestSite::fixture("basic");
    let recorder = Recorder::default();
    build_into(&options(site.root()), &Silent, &recorder).unwrap();
    let mut handed = recorder.files.into_inner().unwrap();
    handed.sort();
    let expected: Vec<String> = in_memory(site.root())
        .keys()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    assert_eq!(handed, expected);
    assert_eq!(*recorder.finished.lock().unwrap(), 1);
}

/// A page template that links to an address nothing writes: found only by the check, after every
/// page was rendered and handed over.
const LATE_BROKEN_LINK: &str = "{% extends \"base.html\" %}\n{% block main %}<a href=\"/nowhere/\">x</a>{{ page.content | safe }}{% endblock %}\n";

#[test]
fn a_link_broken_in_a_template_is_found_after_the_pages_were_handed_over_and_nothing_is_finished() {
    let site = TestSite::fixture("basic").file("templates/page.html", LATE_BROKEN_LINK);
    let recorder = Recorder::default();
    let errors = build_into(&options(site.root()), &Silent, &recorder).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|d| d.message == "broken link: `/nowhere/` does not exist in the output"),
        "{errors:?}"
    );
    let handed = recorder.files.into_inner().unwrap();
    assert!(
        handed.iter().any(|n| n == "later/index.html"),
        "pages were not handed over before the check: {handed:?}"
    );
    assert_eq!(
        *recorder.finished.lock().unwrap(),
        0,
        "a failed build finished"
    );
}

/// What `dossier build` prints for [`LATE_BROKEN_LINK`].
const LATE_BROKEN_LINK_ERROR: &str = "\
templates/page.html:2:26: error: broken link: `/nowhere/` does not exist in the output
  |
2 | {% block main %}<a href=\"/nowhere/\">x</a>{{ page.content | safe }}{% endblock %}
  |                          ^
  = help: link to a page with `@/path.md`, to a heading with `#id`, or to a file in static/ with `/name`

build failed: 1 error; the output folder was left as it was
";

#[test]
fn a_streamed_build_that_fails_at_the_check_leaves_the_previous_output_and_no_staging_folder() {
    let site = TestSite::fixture("basic");
    // Builds, breaks the template, and checks the exact error and that the output is unchanged.
    site.fails_with(
        &[("templates/page.html", LATE_BROKEN_LINK)],
        LATE_BROKEN_LINK_ERROR,
    );
    assert_eq!(site.staging_leftovers(), Vec::<String>::new());
}

#[test]
fn a_first_streamed_build_that_fails_late_leaves_no_output_and_no_staging_folder() {
    let site = TestSite::fixture("basic").file("templates/page.html", LATE_BROKEN_LINK);
    let run = site.build().user_error();
    assert_eq!(run.stderr, LATE_BROKEN_LINK_ERROR);
    assert!(
        !site.public().exists(),
        "a failed first build made an output"
    );
    assert_eq!(site.staging_leftovers(), Vec::<String>::new());
}
