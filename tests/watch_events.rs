//! `dossier watch` against the real binary: every kind of input change is seen (pages, folders
//! deleted and made again, co-located assets, templates, static files, `site.yaml` saved by
//! remove-then-create), editors' saves give one rebuild and their swap files none, the output
//! folder never triggers a rebuild, and a failed rebuild leaves the output as it was.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::serve::wait_until;
use common::site::TestSite;
use std::fs;
use std::time::Duration;

/// Long enough for any event to have been reported and acted on.
const QUIET: Duration = Duration::from_millis(400);

fn output(site: &TestSite, rel: &str) -> String {
    fs::read_to_string(site.path(&format!("public/{rel}"))).unwrap_or_default()
}

#[test]
fn the_output_folder_is_written_and_never_watched() {
    let site = TestSite::fixture("serve/basic");
    let watcher = site.watch();
    assert!(site.path("public/.dossier-output").is_file());
    assert!(output(&site, "notes/first/index.html").contains("The first note."));
    assert!(
        !output(&site, "index.html").contains("__dossier"),
        "watch wrote the live-reload script"
    );
    site.write(
        "content/notes/first.md",
        "---\ntitle: First note\nweight: 1\n---\nEdited.\n",
    );
    wait_until("the edit", || {
        output(&site, "notes/first/index.html").contains("Edited.")
    });
    std::thread::sleep(QUIET);
    assert_eq!(
        watcher.rebuilds(),
        1,
        "{:?}\nstderr:\n{}",
        watcher.stdout(),
        watcher.stderr()
    );
    let line = watcher
        .stdout()
        .into_iter()
        .find(|l| l.contains("rebuilt in"))
        .unwrap();
    assert!(
        line.starts_with("content/notes/first.md changed: rebuilt in "),
        "{line}"
    );
    assert!(line.contains("1 page rewritten (1 re-rendered)"), "{line}");
}

#[test]
fn editor_saves_give_one_rebuild_and_swap_files_none() {
    let site = TestSite::fixture("serve/basic");
    let watcher = site.watch();
    let notes = site.path("content/notes");
    // Swap and backup files alone change nothing.
    fs::write(notes.join(".first.md.swp"), "swap").unwrap();
    fs::write(notes.join("first.md~"), "backup").unwrap();
    fs::write(notes.join("first.md.bck"), "backup").unwrap();
    fs::write(notes.join("4913"), "").unwrap();
    fs::remove_file(notes.join("4913")).unwrap();
    std::thread::sleep(QUIET);
    assert_eq!(watcher.rebuilds(), 0, "{:?}", watcher.stdout());
    // Vim: probe file, move the original aside, write anew, drop the backup.
    fs::write(notes.join("4913"), "").unwrap();
    fs::remove_file(notes.join("4913")).unwrap();
    fs::rename(notes.join("first.md"), notes.join("first.md~")).unwrap();
    fs::write(
        notes.join("first.md"),
        "---\ntitle: First note\nweight: 1\n---\nSaved by vim.\n",
    )
    .unwrap();
    fs::remove_file(notes.join("first.md~")).unwrap();
    wait_until("the vim save", || {
        output(&site, "notes/first/index.html").contains("Saved by vim.")
    });
    std::thread::sleep(QUIET);
    assert_eq!(watcher.rebuilds(), 1, "{:?}", watcher.stdout());
    // Most other editors: write a temporary file, rename it over the page.
    fs::write(
        notes.join(".second.md.tmp"),
        "---\ntitle: Second note\nweight: 2\n---\nAtomic.\n",
    )
    .unwrap();
    fs::rename(notes.join(".second.md.tmp"), notes.join("second.md")).unwrap();
    wait_until("the atomic save", || {
        output(&site, "notes/second/index.html").contains("Atomic.")
    });
    std::thread::sleep(QUIET);
    assert_eq!(watcher.rebuilds(), 2, "{:?}", watcher.stdout());
}

#[test]
fn a_failed_rebuild_leaves_the_output_and_watching_goes_on() {
    let site = TestSite::fixture("serve/basic");
    let watcher = site.watch();
    let before = output(&site, "notes/first/index.html");
    site.write(
        "content/notes/first.md",
        "---\ntitle: [First\nweight: 1\n---\nBroken.\n",
    );
    wait_until("the failure", || {
        watcher.stderr().contains("build failed with 1 error")
    });
    let stderr = watcher.stderr();
    insta::assert_snapshot!("failed_rebuild", watcher.diagnostics(&site));
    assert!(stderr.contains("content/notes/first.md:2:"), "{stderr}");
    assert!(
        stderr.contains("the output folder was left as it was"),
        "{stderr}"
    );
    assert_eq!(output(&site, "notes/first/index.html"), before);
    site.write(
        "content/notes/first.md",
        "---\ntitle: First note\nweight: 1\n---\nFixed.\n",
    );
    wait_until("the fix", || {
        output(&site, "notes/first/index.html").contains("Fixed.")
    });
}

#[test]
fn folders_deleted_and_made_again_are_still_watched() {
    let site = TestSite::fixture("serve/basic");
    let watcher = site.watch();
    site.write("content/extra/_index.md", "---\ntitle: Extra\n---\n");
    site.write("content/extra/page.md", "---\ntitle: Page\n---\nFirst.\n");
    wait_until("the new folder", || {
        output(&site, "extra/page/index.html").contains("First.")
    });
    fs::remove_dir_all(site.path("content/extra")).unwrap();
    wait_until("the folder to go", || !site.path("public/extra").exists());
    site.write("content/extra/_index.md", "---\ntitle: Extra again\n---\n");
    site.write("content/extra/new.md", "---\ntitle: New\n---\nNew one.\n");
    wait_until("the folder made again", || {
        output(&site, "extra/new/index.html").contains("New one.")
    });
    site.write("content/extra/new.md", "---\ntitle: New\n---\nNew two.\n");
    wait_until("an edit in it", || {
        output(&site, "extra/new/index.html").contains("New two.")
    });
    // A folder moved in from outside the site, and out again.
    let outside = site.scratch().join("moved");
    fs::create_dir(&outside).unwrap();
    fs::write(
        outside.join("_index.md"),
        "---\ntitle: Moved\n---\nMoved in.\n",
    )
    .unwrap();
    fs::rename(&outside, site.path("content/moved")).unwrap();
    wait_until("the folder moved in", || {
        output(&site, "moved/index.html").contains("Moved in.")
    });
    fs::rename(site.path("content/moved"), &outside).unwrap();
    wait_until("the folder moved out", || {
        !site.path("public/moved").exists()
    });
    assert!(watcher.rebuilds() >= 4);
}

#[test]
fn templates_static_files_assets_and_config_are_inputs() {
    let site = TestSite::fixture("serve/basic");
    let _watcher = site.watch();
    let base = site
        .read("templates/base.html")
        .replace("<main>", "<main class=\"edited\">");
    site.write("templates/base.html", &base);
    wait_until("the template", || {
        output(&site, "long/index.html").contains("class=\"edited\"")
    });
    site.write("static/style.css", "body { color: red; }\n");
    wait_until("the stylesheet", || {
        output(&site, "style.css").contains("red")
    });
    site.write("content/notes/other.png", "not really a png");
    wait_until("the asset", || {
        output(&site, "notes/other.png") == "not really a png"
    });
    fs::remove_file(site.path("content/notes/other.png")).unwrap();
    wait_until("the asset to go", || {
        !site.path("public/notes/other.png").exists()
    });
    // Neovim and others save by removing the file and creating it again.
    fs::remove_file(site.path("site.yaml")).unwrap();
    site.write("site.yaml", "title: \"Renamed fixture\"\nlanguage: en\n");
    wait_until("the new title", || {
        output(&site, "index.html").contains("Renamed fixture")
    });
}

#[test]
fn a_burst_of_a_hundred_files_gives_one_rebuild() {
    let site = TestSite::fixture("serve/basic");
    let watcher = site.watch();
    // Like a `git checkout`: many files written one after the other.
    for i in 0..100 {
        site.write(
            &format!("content/burst/p{i:03}.md"),
            format!("---\ntitle: Burst {i}\n---\nBurst page {i}.\n"),
        );
    }
    wait_until("the burst", || {
        output(&site, "burst/p099/index.html").contains("Burst page 99.")
    });
    std::thread::sleep(QUIET);
    assert_eq!(
        watcher.rebuilds(),
        1,
        "{:?}\nstderr:\n{}",
        watcher.stdout(),
        watcher.stderr()
    );
    let line = watcher
        .stdout()
        .into_iter()
        .find(|l| l.contains("rebuilt in"))
        .unwrap();
    // Files made before the watch on their new folder was in place are not named one by one;
    // the rebuild reads the whole folder anyway.
    assert!(
        line.starts_with("content/burst") && line.contains(" other files changed: "),
        "{line}"
    );
}
