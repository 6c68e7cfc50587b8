//! Folders of the output and of the recycled spare that were removed, replaced or swapped for
//! symlinks between builds: a build keeps folders open while it fills them and lists the spare's
//! folders as it opens them, and must still publish exactly a clean build, follow no symlink,
//! and keep the inode of every unchanged file it finds in the output.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{copy_tree, tree, TestSite};
use std::fs;
use std::os::unix::fs::{symlink, MetadataExt};
use std::path::Path;

const SPARE: &str = ".public.dossier-spare";

fn inode(path: &Path) -> u64 {
    fs::symlink_metadata(path).unwrap().ino()
}

/// The basic site with more pages in one section, so that its folder serves many pages.
fn site_with_a_full_section() -> TestSite {
    let mut site = TestSite::fixture("basic");
    for n in 0..12 {
        site = site.file(
            &format!("content/people/p{n:02}.md"),
            format!(
                "---\ntitle: \"Person {n}\"\nweight: {}\n---\nPerson {n}.\n",
                n + 10
            ),
        );
    }
    site
}

#[test]
fn folders_removed_or_replaced_in_the_spare_and_the_output_still_give_a_clean_build() {
    let site = site_with_a_full_section();
    for _ in 0..3 {
        site.build().success();
    }
    let spare = site.path(SPARE);
    assert!(spare.join(".dossier-output").is_file(), "no spare kept");
    let outside = site.scratch().join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("index.html"), "outside").unwrap();
    fs::write(outside.join("map.svg"), "outside").unwrap();
    // The spare (the next staging folder): a section gone, a page folder now a file, strays
    // inside kept folders, a folder swapped for a symlink to a folder outside.
    fs::remove_dir_all(spare.join("people")).unwrap();
    fs::remove_dir_all(spare.join("later")).unwrap();
    fs::write(spare.join("later"), "a file where a folder was").unwrap();
    fs::write(spare.join("background/stray.html"), "stray").unwrap();
    fs::create_dir_all(spare.join("background/stray/deep")).unwrap();
    fs::write(spare.join("background/stray/deep/x.html"), "stray").unwrap();
    fs::remove_dir_all(spare.join("img")).unwrap();
    symlink(&outside, spare.join("img")).unwrap();
    // The output: a page folder gone, the section's folder replaced by a copy (new inodes, the
    // same bytes).
    fs::remove_dir_all(site.path("public/people/p03")).unwrap();
    let copy = site.scratch().join("people-copy");
    copy_tree(&site.path("public/people"), &copy);
    fs::remove_dir_all(site.path("public/people")).unwrap();
    fs::rename(&copy, site.path("public/people")).unwrap();
    let copied = inode(&site.path("public/people/p05/index.html"));
    let background = inode(&site.path("public/background/index.html"));
    let outside_before = tree(&outside);

    site.build().success();
    site.assert_output_equals_clean_build();
    assert_eq!(site.staging_leftovers(), Vec::<String>::new());
    assert_eq!(tree(&outside), outside_before, "written outside");
    assert!(!fs::symlink_metadata(site.path("public/img"))
        .unwrap()
        .file_type()
        .is_symlink());
    // Unchanged files keep the inode the output had for them, the copy's included.
    assert_eq!(inode(&site.path("public/people/p05/index.html")), copied);
    assert_eq!(
        inode(&site.path("public/background/index.html")),
        background
    );

    // Once more, recycling the output those changes were made to.
    site.build().success();
    site.assert_output_equals_clean_build();
    assert_eq!(inode(&site.path("public/people/p05/index.html")), copied);
    assert_eq!(tree(&outside), outside_before, "written outside");
}

#[test]
fn pages_removed_from_a_section_leave_nothing_in_the_output_or_the_recycled_spare() {
    let site = site_with_a_full_section();
    for _ in 0..3 {
        site.build().success();
    }
    for n in 0..12 {
        site.remove(&format!("content/people/p{n:02}.md"));
    }
    for _ in 0..2 {
        site.build().success();
        site.assert_output_equals_clean_build();
        assert!(!site.path("public/people/p00").exists());
        assert!(!site.path("public/people/p11").exists());
        assert!(site.path("public/people/robert/index.html").is_file());
    }
}
