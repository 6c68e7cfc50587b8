//! The README says what dossier deliberately does not do (or not yet), so nobody spends an hour
//! finding out: a section of its own, each entry a bold "No …" with the reason or the way
//! around it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

const README: &str = include_str!("../README.md");

#[test]
fn the_readme_lists_what_dossier_does_not_do() {
    let start = README
        .find("\n## What dossier does not do\n")
        .expect("README has no `## What dossier does not do` section");
    let section = &README[start + 1..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let entries: Vec<&str> = section
        .lines()
        .filter(|line| line.starts_with("- "))
        .collect();
    assert!(entries.len() >= 5, "only {} entries", entries.len());
    for entry in entries {
        assert!(entry.starts_with("- **No "), "not a bold \"No …\": {entry}");
        let (_, after) = entry[4..].split_once("**").unwrap();
        assert!(
            after.trim_start_matches([',', ':']).trim().len() > 3,
            "no reason or way around it: {entry}"
        );
    }
    // Two of the deliberate ones, which other parts of the docs rely on.
    for needle in ["No JavaScript in built pages", "no minification"] {
        assert!(section.contains(needle), "the section lost {needle:?}");
    }
}
