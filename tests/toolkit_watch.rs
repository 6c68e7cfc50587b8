//! `dossier watch` rebuilds when `sources.yaml` or a source's text in `sources/` changes: a new
//! title reaches every citing page, and a text that no longer holds a quotation fails the
//! rebuild at the quotation's line (the last good output stays).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;
mod toolkit_support;

use common::serve::{wait_until, Dossier};

#[test]
fn watch_rebuilds_when_the_sources_or_a_source_text_change() {
    let site = toolkit_support::site("basic");
    let watcher = Dossier::watch(site.root());
    let story =
        || std::fs::read_to_string(site.path("public/story/index.html")).unwrap_or_default();
    assert!(story().contains("Evening report"));

    let yaml = site
        .read("sources.yaml")
        .replace("Evening report", "Late report");
    site.write("sources.yaml", yaml);
    wait_until("the new title", || story().contains("Late report"));

    let text = site
        .read("sources/statement.txt")
        .replace("We don’t know yet", "We cannot say yet");
    site.write("sources/statement.txt", text);
    wait_until("the failed rebuild", || {
        watcher
            .stderr()
            .contains("content/story.md:9:1: error: the quotation differs from source `statement` at “know”: the source has “say”")
    });
    assert!(
        story().contains("Late report"),
        "the last good output stays"
    );
}
