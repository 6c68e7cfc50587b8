//! Data files: YAML, JSON, TOML and CSV files under `data/` read by templates with
//! `load_data(path=…)`; a file that does not parse is an error at its line and column (and the
//! previous output stays as it was); an incremental rebuild after a data file changes equals a
//! clean build; `dossier watch` rebuilds when a data file changes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::serve::Dossier;
use common::site::{copy_tree, fixtures, texts, TestSite};
use dossier::site::{build, build_with_cache, BuildCache, Silent};

/// The `parity/data` fixture with its `data/` folder.
fn site() -> TestSite {
    let site = TestSite::fixture("parity/data");
    copy_tree(&fixtures().join("parity/data/data"), &site.path("data"));
    site
}

const HINT: &str =
    "  = help: fix the file's syntax; templates read it with load_data(path=\"…\")\n";

#[test]
fn templates_read_every_kind_of_data_file() {
    let site = site();
    site.build().success();
    let page = site.html("people/index.html");
    assert_eq!(texts(&page, "h2"), ["Who is who"]);
    assert_eq!(
        texts(&page, ".people li"),
        ["Amy Ng, inspector", "Bo Li, harbour master"]
    );
    assert_eq!(texts(&page, ".numbers th"), ["Repairs", "Closure"]);
    assert_eq!(texts(&page, ".numbers td"), ["1200000", "300000"]);
    assert_eq!(
        texts(&page, ".timeline li"),
        ["1998: The harbour opens", "2026: The harbour closes"]
    );
}

#[test]
fn a_bad_json_file_is_an_error_at_its_line() {
    site().fails_with(&[("data/people.json", "[\n  {\"name\": \"Amy Ng\", \"role\": \"inspector\"\n]\n")],
        &format!("data/people.json:3:1: error: expected `,` or `}}`\n  |\n3 | ]\n  | ^\n{HINT}\nbuild failed: 1 error; the output folder was left as it was\n"),
    );
}

#[test]
fn a_bad_yaml_file_is_an_error_at_its_line() {
    site().fails_with(&[("data/timeline.yaml", "- year: 1998\n  event: The harbour opens\n- year: 2026\n    event: closes\n")],
        &format!("data/timeline.yaml:4:10: error: mapping values are not allowed in this context\n  |\n4 |     event: closes\n  |          ^\n{HINT}\nbuild failed: 1 error; the output folder was left as it was\n"),
    );
}

#[test]
fn a_bad_toml_file_is_an_error_at_its_line() {
    site().fails_with(&[("data/settings.toml", "# Settings\nheading = Who\n")],
        &format!("data/settings.toml:2:11: error: invalid string; expected `\"`, `'`\n  |\n2 | heading = Who\n  |           ^\n{HINT}\nbuild failed: 1 error; the output folder was left as it was\n"),
    );
}

#[test]
fn a_csv_row_of_the_wrong_length_is_an_error_at_its_line() {
    site().fails_with(&[("data/numbers.csv", "what,amount\nRepairs,1200000\nClosure\n")],
        &format!("data/numbers.csv:3:1: error: this row has 1 field, but the header has 2\n  |\n3 | Closure\n  | ^\n{HINT}\nbuild failed: 1 error; the output folder was left as it was\n"),
    );
}

#[test]
fn every_bad_data_file_and_unknown_kind_is_reported_at_once() {
    let site = site();
    site.build().success();
    site.write("data/notes.txt", "not data\n");
    site.write("data/settings.toml", "heading = \n");
    let run = site.build().user_error();
    assert_eq!(
        run.stderr,
        format!("data/notes.txt: error: dossier reads only .yaml, .yml, .json, .toml and .csv files in data/\n  = help: move other files to static/ or content/, or rename the file if it is one of these kinds\n\ndata/settings.toml:1:11: error: invalid string; expected `\"`, `'`\n  |\n1 | heading = \n  |           ^\n{HINT}\nbuild failed: 2 errors; the output folder was left as it was\n")
    );
}

#[test]
fn a_missing_data_file_is_an_error_in_the_template_with_the_nearest_name() {
    let site = site();
    let template = site.read("templates/people.html");
    site.fails_with(&[("templates/people.html", &template.replace("\"people.json\"", "\"peple.json\""))],
        "templates/people.html:4:18: error: `load_data`: there is no data/peple.json; did you mean `people.json`?\n  |\n4 | {%- set people = load_data(path=\"peple.json\") %}\n  |                  ^\n  = help: see the Tera documentation for the syntax: https://keats.github.io/tera/docs/\n\nbuild failed: 1 error; the output folder was left as it was\n",
    );
}

#[test]
fn incremental_builds_after_data_edits_equal_clean_builds() {
    let site = site();
    let options = site.options();
    let files = common::site::built_files;
    let mut cache = BuildCache::default();
    build_with_cache(&options, &mut cache, &Silent).unwrap();
    let edits: &[(&str, Option<&str>)] = &[
        (
            "data/people.json",
            Some("[{\"name\": \"Cy Oh\", \"role\": \"diver\"}]\n"),
        ),
        ("data/numbers.csv", Some("what,amount\nRepairs,1300000\n")),
        ("data/settings.toml", Some("heading = \"People\"\n")),
        ("data/settings.toml", Some("heading = \n")),
        ("data/settings.toml", Some("heading = \"Again\"\n")),
        ("data/timeline.yaml", None),
        (
            "data/timeline.yaml",
            Some("- {year: 2027, event: Reopening}\n"),
        ),
    ];
    for (step, (path, text)) in edits.iter().enumerate() {
        match text {
            Some(text) => {
                site.write(path, text);
            }
            None => {
                site.remove(path);
            }
        }
        let incremental = build_with_cache(&options, &mut cache, &Silent);
        let clean = build(&options, &Silent);
        match (incremental, clean) {
            (Ok(a), Ok(b)) => assert_eq!(files(&a), files(&b), "step {step}"),
            (Err(a), Err(b)) => assert_eq!(a, b, "step {step}"),
            (a, b) => panic!(
                "step {step}: one build failed\n{:?}\n{:?}",
                a.err(),
                b.err()
            ),
        }
    }
    let last = build_with_cache(&options, &mut cache, &Silent).unwrap();
    let page = last.files.get("people/index.html").unwrap().read().unwrap();
    let html = String::from_utf8_lossy(&page);
    assert!(html.contains("<li>2027: Reopening</li>"), "{html}");
    assert!(html.contains("<li>Cy Oh, diver</li>"), "{html}");
}

#[test]
fn watch_rebuilds_when_a_data_file_changes() {
    let site = site();
    let watcher = Dossier::watch(site.root());
    site.write(
        "data/people.json",
        "[{\"name\": \"Di Fox\", \"role\": \"diver\"}]\n",
    );
    watcher.wait_for_rebuilds(1);
    let page = site.html("people/index.html");
    assert_eq!(texts(&page, ".people li"), ["Di Fox, diver"]);
}
