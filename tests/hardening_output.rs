//! The output folder: outputs inside the sources are refused, leftovers of killed builds are
//! cleaned up (and a `.git` they hold is put back), a symlinked output is written through, an
//! alias cannot write into the kept `.git`, and an
//! output that is a mount point is built into.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{tree, TestSite};
use std::fs;
use std::path::Path;

/// The pid of a process that has already ended.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

fn stderr_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().collect()
}

#[test]
fn outputs_inside_the_sources_are_refused() {
    for (output, folder) in [
        ("content/sub", "content"),
        ("static/sub", "static"),
        ("templates/x", "templates"),
        ("./static/../content/deep/er", "content"),
    ] {
        let site = TestSite::fixture("basic");
        site.build().success();
        let before = tree(site.root());
        let run = site.run(&["build", "--output", output]).user_error();
        assert_eq!(
            stderr_lines(&run.stderr)[..2],
            [
                format!("{output}: error: refusing to write the site here: it is inside the site's sources ({folder}/), so every build would read its own output").as_str(),
                "  = help: write the site outside content/, static/ and templates/, e.g. --output public",
            ],
            "{output}"
        );
        assert_eq!(tree(site.root()), before, "{output}: something was written");
    }
}

#[test]
fn an_output_holding_the_sources_is_refused() {
    let site = TestSite::fixture("basic");
    let run = site.run(&["build", "--output", "."]).user_error();
    assert_eq!(
        stderr_lines(&run.stderr)[0],
        ".: error: refusing to write the site here: it holds the site's own sources"
    );
}

#[test]
fn leftovers_of_killed_builds_are_removed() {
    let site = TestSite::fixture("basic");
    site.build().success();
    let dead = dead_pid();
    let stale_staging = site.path(&format!(".public.dossier-staging-{dead}"));
    let stale_old = site.path(&format!(".public.dossier-old-{dead}"));
    for dir in [&stale_staging, &stale_old] {
        fs::create_dir_all(dir.join("people")).unwrap();
        fs::write(dir.join(".dossier-output"), "").unwrap();
        fs::write(dir.join("people/index.html"), "half").unwrap();
    }
    // Not dossier's (no marker), and a live process's: both left alone.
    let foreign = site.path(&format!(".public.dossier-staging-{}", dead + 1_000_000));
    fs::create_dir_all(&foreign).unwrap();
    fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let live = site.path(&format!(".public.dossier-staging-{}", std::process::id()));
    fs::create_dir_all(&live).unwrap();
    fs::write(live.join(".dossier-output"), "").unwrap();

    site.build().success();
    assert!(!stale_staging.exists(), "stale staging folder kept");
    assert!(!stale_old.exists(), "stale old folder kept");
    assert_eq!(
        fs::read_to_string(foreign.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(
        live.join(".dossier-output").is_file(),
        "a live build's folder was removed"
    );
}

#[test]
fn a_git_stranded_by_a_killed_build_is_put_back() {
    let site = TestSite::fixture("basic");
    site.build().success();
    let staging = site.path(&format!(".public.dossier-staging-{}", dead_pid()));
    fs::create_dir_all(staging.join(".git")).unwrap();
    fs::write(staging.join(".dossier-output"), "").unwrap();
    fs::write(staging.join(".git/HEAD"), "ref: refs/heads/pages\n").unwrap();
    site.build().success();
    assert_eq!(
        site.read("public/.git/HEAD"),
        "ref: refs/heads/pages\n",
        "the deploy checkout was lost"
    );
    assert!(!staging.exists());
}

#[test]
fn an_output_lost_between_two_renames_is_recovered_with_its_git() {
    let site = TestSite::fixture("basic");
    site.build().success();
    fs::create_dir(site.path("public/.git")).unwrap();
    fs::write(site.path("public/.git/HEAD"), "deploy\n").unwrap();
    let old = site.path(&format!(".public.dossier-old-{}", dead_pid()));
    fs::rename(site.public(), &old).unwrap();
    site.build().success();
    assert_eq!(site.read("public/.git/HEAD"), "deploy\n");
    assert!(site.path("public/index.html").is_file());
    assert!(!old.exists());
}

#[test]
fn a_symlinked_output_is_written_through() {
    let site = TestSite::fixture("basic");
    fs::create_dir(site.path("www")).unwrap();
    std::os::unix::fs::symlink("www", site.public()).unwrap();
    site.build().success();
    assert!(fs::symlink_metadata(site.public())
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(
        site.path("www/index.html").is_file(),
        "the site did not land in www/"
    );
    fs::create_dir(site.path("www/.git")).unwrap();
    fs::write(site.path("www/.git/HEAD"), "deploy\n").unwrap();
    site.write(
        "content/later.md",
        "---\ntitle: \"Later, changed\"\n---\nNew.\n",
    );
    site.build().success();
    assert!(fs::symlink_metadata(site.public())
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(site.read("www/later/index.html").contains("Later, changed"));
    assert_eq!(site.read("www/.git/HEAD"), "deploy\n");
    let hidden: Vec<_> = fs::read_dir(site.root())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.contains("dossier-"))
        .collect();
    // The previous output, kept beside the folder the link names, to be recycled; nothing else.
    assert_eq!(hidden, [".www.dossier-spare"], "left behind: {hidden:?}");
    assert!(site.path(".www.dossier-spare/.dossier-output").is_file());
}

#[test]
fn a_dangling_output_link_gets_its_folder() {
    let site = TestSite::fixture("basic");
    std::os::unix::fs::symlink("deploy/www", site.public()).unwrap();
    site.build().success();
    assert!(site.path("deploy/www/index.html").is_file());
}

#[test]
fn an_output_linked_into_the_sources_is_refused() {
    let site = TestSite::fixture("basic");
    std::os::unix::fs::symlink("content/img", site.public()).unwrap();
    let before = tree(site.root());
    let run = site.build().user_error();
    let first = stderr_lines(&run.stderr)[0];
    assert!(
        first.ends_with("error: refusing to write the site here: it is inside the site's sources (content/), so every build would read its own output"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(site.root()), before);
}

#[test]
fn an_alias_into_the_kept_git_is_a_located_error() {
    let site = TestSite::fixture("basic");
    site.build().success();
    fs::create_dir(site.path("public/.git")).unwrap();
    fs::write(site.path("public/.git/HEAD"), "deploy\n").unwrap();
    let before = tree(&site.public());
    for (alias, name) in [
        ("/.git/hooks", ".git"),
        (".git", ".git"),
        ("/%2egit/x", ".git"),
        ("/.dossier-output/", ".dossier-output"),
    ] {
        site.write(
            "content/later.md",
            format!("---\ntitle: \"Later\"\naliases: [\"/old/\", \"{alias}\"]\n---\nText.\n"),
        );
        let run = site.build().user_error();
        let column = "aliases: [\"/old/\", \"".len() + 1;
        assert_eq!(
            stderr_lines(&run.stderr)[0],
            format!("content/later.md:3:{column}: error: the alias `{alias}` names `{name}`: names starting with `.` are hidden and never published"),
        );
        assert!(run
            .stderr
            .contains("  = help: an alias is a path inside the site, like `/old/name/`"));
        assert_eq!(tree(&site.public()), before, "{alias}");
    }
    site.write(
        "content/later.md",
        "---\ntitle: \"Later\"\naliases: [\"/old/\"]\n---\nText.\n",
    );
    site.build().success();
    site.build().success();
    assert_eq!(site.read("public/.git/HEAD"), "deploy\n");
    assert!(site.path("public/old/index.html").is_file());
}

/// A tmpfs mounted on the output (needs the right to mount; elsewhere the contents replacement
/// is covered by the unit tests of `output`).
#[test]
fn a_mounted_output_is_built_into() {
    let site = TestSite::fixture("basic");
    fs::create_dir(site.public()).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "none"])
        .arg(site.public())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("cannot mount a tmpfs here; covered by output's unit tests");
        return;
    }
    let result = std::panic::catch_unwind(|| {
        site.build().success();
        fs::create_dir(site.path("public/.git")).unwrap();
        fs::write(site.path("public/.git/HEAD"), "deploy\n").unwrap();
        fs::write(site.path("public/stale.html"), "old").unwrap();
        site.build().success();
        assert!(site.path("public/index.html").is_file());
        assert!(!site.path("public/stale.html").exists());
        assert_eq!(site.read("public/.git/HEAD"), "deploy\n");
        let left: Vec<_> = fs::read_dir(site.root())
            .unwrap()
            .chain(fs::read_dir(site.public()).unwrap())
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.contains("dossier-staging") || n.contains("dossier-old"))
            .collect();
        assert!(left.is_empty(), "left behind: {left:?}");
    });
    let _ = std::process::Command::new("umount")
        .arg(site.public())
        .status();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
    assert!(Path::new(&site.public()).exists());
}
