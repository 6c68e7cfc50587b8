//! Replacing the output reuses what did not change: a file whose bytes are unchanged keeps its
//! inode and modification time (it is hard-linked from the previous output), the previous output
//! is kept beside the new one (`.public.dossier-spare`) and recycled as the next staging folder,
//! and none of this follows a symlink or writes through a hard link planted in the output, changes
//! the output after a failed build, or makes the output differ from a clean build.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{tree, TestSite};
use std::fs;
use std::os::unix::fs::{symlink, MetadataExt};
use std::path::Path;
use std::time::{Duration, SystemTime};

const SPARE: &str = ".public.dossier-spare";
const UNCHANGED: &str = "public/background/index.html";
const CHANGED: &str = "public/later/index.html";

fn inode(path: &Path) -> u64 {
    fs::symlink_metadata(path).unwrap().ino()
}

fn modified(path: &Path) -> SystemTime {
    fs::symlink_metadata(path).unwrap().modified().unwrap()
}

/// Sets a file's modification time far in the past, so that any rewrite shows.
fn age(path: &Path) -> SystemTime {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(old)
        .unwrap();
    old
}

#[test]
fn an_unchanged_page_keeps_its_inode_and_time_while_a_changed_one_gets_the_new_bytes() {
    let site = TestSite::fixture("basic");
    site.build().success();
    // The second build makes the spare; the third and fourth recycle it.
    for edit in ["Second edit.", "Third edit.", "Fourth edit."] {
        let kept_inode = inode(&site.path(UNCHANGED));
        let kept_time = age(&site.path(UNCHANGED));
        let kept_bytes = fs::read(site.path(UNCHANGED)).unwrap();
        let changed_time = age(&site.path(CHANGED));
        site.write(
            "content/later.md",
            format!("---\ntitle: \"Later\"\nweight: 30\n---\n{edit}\n"),
        );
        site.build().success();
        assert_eq!(fs::read(site.path(UNCHANGED)).unwrap(), kept_bytes);
        assert_eq!(inode(&site.path(UNCHANGED)), kept_inode, "{edit}: relinked");
        assert_eq!(
            modified(&site.path(UNCHANGED)),
            kept_time,
            "{edit}: rewritten"
        );
        assert!(site.read(CHANGED).contains(edit), "{edit}: not rebuilt");
        assert_ne!(modified(&site.path(CHANGED)), changed_time, "{edit}");
        assert!(site.path(SPARE).join(".dossier-output").is_file());
        assert_eq!(site.staging_leftovers(), Vec::<String>::new());
        site.assert_output_equals_clean_build();
    }
}

#[test]
fn what_a_build_no_longer_writes_is_gone_from_the_recycled_output() {
    let site =
        TestSite::fixture("basic").file("content/extra.md", "---\ntitle: Extra\n---\nSoon gone.\n");
    site.build().success();
    site.build().success();
    assert!(site.path(SPARE).is_dir(), "no spare kept");
    assert!(site.path("public/extra/index.html").is_file());
    fs::write(site.path("public/stray.html"), "planted").unwrap();
    fs::create_dir_all(site.path("public/stray/deep")).unwrap();
    fs::write(site.path("public/stray/deep/x.html"), "planted").unwrap();
    site.remove("content/extra.md");
    // Once into the output, once more so the spare holding the strays is recycled.
    site.build().success();
    site.build().success();
    assert!(
        !site.path("public/extra").exists(),
        "a deleted page lingers"
    );
    assert!(!site.path("public/stray.html").exists());
    assert!(!site.path("public/stray").exists());
    site.assert_output_equals_clean_build();
}

#[test]
fn symlinks_and_hard_links_planted_in_the_output_are_never_followed_or_written_through() {
    let site = TestSite::fixture("basic");
    site.build().success();
    site.build().success();
    let outside = site.scratch().join("outside");
    fs::create_dir_all(outside.join("folder")).unwrap();
    // A symlink to a file holding exactly the page's bytes: following it would keep the link.
    let page_bytes = fs::read(site.path(UNCHANGED)).unwrap();
    fs::write(outside.join("same.html"), &page_bytes).unwrap();
    fs::remove_file(site.path(UNCHANGED)).unwrap();
    symlink(outside.join("same.html"), site.path(UNCHANGED)).unwrap();
    // A hard link to someone's file, at a page that will change.
    fs::write(outside.join("mine.html"), "mine").unwrap();
    fs::remove_file(site.path(CHANGED)).unwrap();
    fs::hard_link(outside.join("mine.html"), site.path(CHANGED)).unwrap();
    // A folder of the site swapped for a symlink to a folder outside.
    fs::write(outside.join("folder/index.html"), "outside").unwrap();
    fs::remove_dir_all(site.path("public/people")).unwrap();
    symlink(outside.join("folder"), site.path("public/people")).unwrap();
    let outside_before = tree(&outside);
    // The planted links go into the output's replacement, then into the spare it recycles.
    for edit in ["One.", "Two.", "Three."] {
        site.write(
            "content/later.md",
            format!("---\ntitle: \"Later\"\nweight: 30\n---\n{edit}\n"),
        );
        site.build().success();
        assert_eq!(tree(&outside), outside_before, "{edit}: written outside");
        for page in [UNCHANGED, CHANGED, "public/people"] {
            let kind = fs::symlink_metadata(site.path(page)).unwrap().file_type();
            assert!(!kind.is_symlink(), "{edit}: {page} is still a symlink");
        }
        assert_ne!(
            inode(&site.path(UNCHANGED)),
            inode(&outside.join("same.html"))
        );
        assert!(site.read(CHANGED).contains(edit));
        site.assert_output_equals_clean_build();
    }
    // Gone from the output and then from the spare: nothing of dossier's names it any more.
    assert_eq!(fs::metadata(outside.join("mine.html")).unwrap().nlink(), 1);
}

#[test]
fn a_page_hard_linked_to_a_file_outside_is_never_changed_through_the_link() {
    let site = TestSite::fixture("basic");
    site.build().success();
    site.build().success();
    // Someone links the built page elsewhere (a deploy folder, a backup): same bytes.
    let elsewhere = site.scratch().join("backup.html");
    fs::hard_link(site.path(CHANGED), &elsewhere).unwrap();
    let backup = fs::read(&elsewhere).unwrap();
    for edit in ["One.", "Two.", "Three."] {
        site.write(
            "content/later.md",
            format!("---\ntitle: \"Later\"\nweight: 30\n---\n{edit}\n"),
        );
        site.build().success();
        assert_eq!(
            fs::read(&elsewhere).unwrap(),
            backup,
            "{edit}: changed through a link"
        );
        assert!(site.read(CHANGED).contains(edit));
    }
}

/// A page template that links to an address nothing writes: found only by the final check,
/// after every page was written into the (recycled) staging folder.
const LATE_BROKEN_LINK: &str = "{% extends \"base.html\" %}\n{% block main %}<a href=\"/nowhere/\">x</a>{{ page.content | safe }}{% endblock %}\n";

#[test]
fn a_failed_build_over_a_recycled_folder_leaves_the_output_as_it_was() {
    let site = TestSite::fixture("basic");
    for _ in 0..3 {
        site.build().success();
    }
    let before = tree(&site.public());
    let inodes: Vec<(u64, SystemTime)> = [UNCHANGED, CHANGED]
        .iter()
        .map(|p| (inode(&site.path(p)), modified(&site.path(p))))
        .collect();
    site.write(
        "content/later.md",
        "---\ntitle: \"Later\"\nweight: 30\n---\nChanged.\n",
    );
    site.write("templates/page.html", LATE_BROKEN_LINK);
    let run = site.build().user_error();
    assert!(
        run.stderr.contains("broken link: `/nowhere/`"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&site.public()), before, "the output changed");
    let after: Vec<(u64, SystemTime)> = [UNCHANGED, CHANGED]
        .iter()
        .map(|p| (inode(&site.path(p)), modified(&site.path(p))))
        .collect();
    assert_eq!(after, inodes, "an output file was touched");
    assert_eq!(site.staging_leftovers(), Vec::<String>::new());
    site.write(
        "templates/page.html",
        fs::read(common::site::fixtures().join("basic/templates/page.html")).unwrap(),
    );
    site.build().success();
    assert!(site.read(CHANGED).contains("Changed."));
    site.assert_output_equals_clean_build();
}

#[test]
fn a_spare_folder_without_the_marker_is_neither_recycled_nor_deleted() {
    let site = TestSite::fixture("basic");
    site.build().success();
    fs::create_dir(site.path(SPARE)).unwrap();
    fs::write(site.path(SPARE).join("notes.txt"), "mine").unwrap();
    site.build().success();
    site.build().success();
    assert_eq!(site.read(&format!("{SPARE}/notes.txt")), "mine");
    assert!(!site.path(SPARE).join(".dossier-output").exists());
    site.assert_output_equals_clean_build();
}
