//! `Trees` on its own: how many folders a build opens, and what pruning a recycled staging
//! folder keeps, without a site around it.

use super::*;
use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::{symlink, MetadataExt};
use std::path::PathBuf;

/// The files and folders under `dir` (relative, folders with a trailing `/`), symlinks as `@`.
fn listing(dir: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in fs::read_dir(dir.join(&rel)).unwrap() {
            let entry = entry.unwrap();
            let name = rel.join(entry.file_name());
            let kind = entry.file_type().unwrap();
            let shown = name.to_string_lossy().into_owned();
            if kind.is_symlink() {
                found.insert(format!("{shown}@"));
            } else if kind.is_dir() {
                found.insert(format!("{shown}/"));
                stack.push(name);
            } else {
                found.insert(shown);
            }
        }
    }
    found
}

/// `sections` folders of `pages` page folders, each with an `index.html`.
fn page_names(sections: usize, pages: usize) -> Vec<String> {
    (0..sections)
        .flat_map(|s| (0..pages).map(move |p| format!("s{s}/page-{p}/index.html")))
        .collect()
}

fn put_all(trees: &Trees, names: &[String]) {
    for name in names {
        let bytes = format!("<p>{name}</p>");
        trees.put(name, Content::Bytes(bytes.as_bytes())).unwrap();
    }
}

#[test]
fn a_page_costs_one_folder_opened_in_each_tree_not_one_per_part_of_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let (output, staging) = (dir.path().join("out"), dir.path().join("staging"));
    let names = page_names(3, 20);
    fs::create_dir(&output).unwrap();
    put_all(
        &Trees::open(&output, Path::new("/nonexistent"), false).unwrap(),
        &names,
    );
    fs::create_dir(&staging).unwrap();
    let trees = Trees::open(&staging, &output, false).unwrap();
    put_all(&trees, &names);
    // Each section's folder once (kept open), each page's folder once in the staging folder; the
    // output's page folders are looked up with their file.
    assert_eq!(trees.folders_opened(), (3 + 60, 3));
    for name in &names {
        let (made, old) = (staging.join(name), output.join(name));
        assert_eq!(
            fs::metadata(made).unwrap().ino(),
            fs::metadata(old).unwrap().ino()
        );
    }
}

#[test]
fn pruning_a_recycled_folder_keeps_exactly_what_the_build_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let (output, staging) = (dir.path().join("out"), dir.path().join("staging"));
    // A folder of several files (opened once for each), one of them in the older output too.
    let several = ["img/a.svg", "img/b.svg", "img/c.svg"].map(String::from);
    let names = [&page_names(2, 3)[..], &several[..]].concat();
    fs::create_dir(&output).unwrap();
    put_all(
        &Trees::open(&output, Path::new("/nonexistent"), false).unwrap(),
        &names,
    );
    // The staging folder: an older output, with what this build will not write, at every depth.
    let gone = ["img/b.svg".to_owned(), "img/z.svg".to_owned()];
    let older = [&page_names(2, 3)[..], &page_names(3, 4)[..], &gone[..]].concat();
    fs::create_dir(&staging).unwrap();
    put_all(
        &Trees::open(&staging, Path::new("/nonexistent"), false).unwrap(),
        &older,
    );
    fs::write(staging.join(".dossier-output"), "marker").unwrap();
    fs::write(staging.join("stray.html"), "stray").unwrap();
    fs::write(staging.join("s0/page-0/stray.css"), "stray").unwrap();
    fs::create_dir_all(staging.join("s1/gone/deep")).unwrap();
    fs::write(staging.join("s1/gone/deep/x.html"), "stray").unwrap();
    fs::remove_dir_all(staging.join("s1/page-2")).unwrap();
    fs::write(staging.join("s1/page-2"), "a file where a folder was").unwrap();
    let outside = dir.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("index.html"), "outside").unwrap();
    fs::remove_dir_all(staging.join("s0/page-1")).unwrap();
    symlink(&outside, staging.join("s0/page-1")).unwrap();
    symlink(&outside, staging.join("s1/link")).unwrap();

    let trees = Trees::open(&staging, &output, true).unwrap();
    put_all(&trees, &names);
    let written: HashSet<String> = names.iter().cloned().collect();
    prune(&trees, &written, &[".dossier-output"]).unwrap();

    let mut expected: BTreeSet<String> = names.iter().cloned().collect();
    for folder in [
        "img/",
        "s0/",
        "s1/",
        "s0/page-0/",
        "s0/page-1/",
        "s0/page-2/",
    ] {
        expected.insert(folder.to_owned());
    }
    for folder in ["s1/page-0/", "s1/page-1/", "s1/page-2/"] {
        expected.insert(folder.to_owned());
    }
    expected.insert(".dossier-output".to_owned());
    assert_eq!(listing(&staging), expected);
    for name in &names {
        let bytes = fs::read(staging.join(name)).unwrap();
        assert_eq!(bytes, format!("<p>{name}</p>").as_bytes());
    }
    assert_eq!(
        fs::read_to_string(outside.join("index.html")).unwrap(),
        "outside"
    );
}
