//! Site paths under attack: symlinks leading out of the site, sources that would write the same
//! output file (or a file where a folder is needed), and slugs, aliases and file names that
//! would make a broken URL. Every refusal is checked for its exit code, its exact message lines
//! (`file:line:col: error: …` and the hint) and a previous output left byte-for-byte as it was.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{attrs, tree, TestSite};

const FIXTURE: &str = "hardening/paths";

/// A fixture site built once, successfully.
fn built() -> (
    TestSite,
    std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
) {
    let site = TestSite::fixture(FIXTURE);
    site.build().success();
    let before = tree(&site.public());
    (site, before)
}

/// Builds again after the change and checks the refusal: exit code 1, exactly these error
/// lines (each a whole line of stderr, nothing else reported), and the output untouched.
fn refused(
    site: &TestSite,
    before: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
    expected: &[&str],
) {
    let run = site.build().user_error();
    let lines: Vec<&str> = run.stderr.lines().collect();
    for line in expected {
        assert!(
            lines.contains(line),
            "missing line {line:?} in:\n{}",
            run.stderr
        );
    }
    let errors = lines.iter().filter(|l| l.contains(": error: ")).count();
    let expected_errors = expected.iter().filter(|l| l.contains(": error: ")).count();
    assert_eq!(errors, expected_errors, "other errors in:\n{}", run.stderr);
    assert_eq!(&tree(&site.public()), before, "the previous output changed");
}

/// One change to the fixture and the lines it must produce.
fn case(writes: &[(&str, &str)], expected: &[&str]) {
    let (site, before) = built();
    for (path, text) in writes {
        site.write(path, text);
    }
    refused(&site, &before, expected);
}

fn page(front: &str) -> String {
    format!("---\ntitle: \"Later\"\n{front}---\nBack [home](@/_index.md).\n")
}

// ---- item 3: one owner for output paths, collisions found before anything is written ----

#[test]
fn a_file_name_that_slugifies_to_nothing_is_refused_not_written_over_its_section() {
    case(
        &[("content/people/!!!.md", &page(""))],
        &[
            "content/people/!!!.md:1:1: error: the file name `!!!.md` gives an empty URL segment",
            "  = help: rename the file so that its name holds letters or digits, or give it a `slug:` in its front matter",
        ],
    );
    case(
        &[("content/???/a.md", &page("")), ("content/***/b.txt", "b")],
        &[
            "content/???/a.md:1:1: error: the folder name `???` gives an empty URL segment",
            "content/***/b.txt: error: the folder name `***` gives an empty URL segment",
            "  = help: rename the folder so that its name holds letters or digits",
        ],
    );
}

#[test]
fn copied_files_in_folders_that_slugify_alike_clash_at_the_second_file() {
    case(
        &[("content/My Notes/a.txt", "1"), ("content/my-notes/a.txt", "2")],
        &[
            "content/my-notes/a.txt: error: this file would write `my-notes/a.txt`, which the copied file content/My Notes/a.txt writes too",
            "  = help: rename or move one of the two",
        ],
    );
    // Names that differ only in case are one file on macOS and Windows.
    case(
        &[("content/Notes/a.txt", "1"), ("content/notes/A.txt", "2")],
        &["content/notes/A.txt: error: this file would write `notes/A.txt`, and the copied file content/Notes/a.txt writes `notes/a.txt`: names that differ only in case or Unicode form are one file on macOS and Windows"],
    );
    case(
        &[("static/people/amy/index.html", "<p>x</p>")],
        &["static/people/amy/index.html: error: this file would write `people/amy/index.html`, which the page content/people/amy.md writes too"],
    );
}

#[test]
fn pages_that_clash_with_sections_pages_or_case_variants_are_refused_at_their_source() {
    case(
        &[("content/people.md", &page(""))],
        &["content/people.md:1:1: error: this page would write `people/index.html`, which the section content/people/_index.md writes too"],
    );
    case(
        &[("content/people/bob.md", &page("slug: Amy\n"))],
        &[
            "content/people/bob.md:3:1: error: this page would write `people/Amy/index.html`, and the page content/people/amy.md writes `people/amy/index.html`: names that differ only in case or Unicode form are one file on macOS and Windows",
            "  = help: rename one of the files, or set a different `slug:` in its front matter",
        ],
    );
}

#[test]
fn a_file_where_a_folder_is_needed_is_named_at_its_source() {
    case(
        &[("content/later.md", &page("slug: index.html\n"))],
        &["content/later.md:3:1: error: this page would write `index.html/index.html`, which needs a folder `index.html` where the section content/_index.md writes a file"],
    );
    case(
        &[("content/later", "a file beside later.md")],
        &["content/later: error: this file would write the file `later`, but the page content/later.md needs a folder there for `later/index.html`"],
    );
    case(
        &[("content/later.md", &page("slug: 404.html\n"))],
        &["content/later.md:3:1: error: this page would write `404.html/index.html`, which needs a folder `404.html` where dossier's own `404.html` writes a file"],
    );
    case(
        &[("static/sitemap.xml/a.txt", "x"), ("site.yaml", "title: P\nlanguage: en\nbase_url: https://e.org/\n")],
        &["static/sitemap.xml/a.txt: error: this file would write `sitemap.xml/a.txt`, which needs a folder `sitemap.xml` where dossier's own `sitemap.xml` writes a file"],
    );
}

#[test]
fn aliases_onto_other_files_are_refused_at_their_line() {
    let clash = |alias: &str, message: &str| {
        case(
            &[(
                "content/later.md",
                &page(&format!("aliases:\n  - \"{alias}\"\n")),
            )],
            &[
                &format!("content/later.md:4:6: error: {message}"),
                "  = help: remove the alias or choose another path",
            ],
        );
    };
    clash(
        "/404.html",
        "the alias `/404.html` would write `404.html`, which dossier's own `404.html` writes too",
    );
    clash(
        "/",
        "the alias `/` would write `index.html`, which the section content/_index.md writes too",
    );
    clash("/later/index.html", "the alias `/later/index.html` would write `later/index.html`, which the page content/later.md writes too");
    clash("/People/Amy/", "the alias `/People/Amy/` would write `People/Amy/index.html`, and the page content/people/amy.md writes `people/amy/index.html`: names that differ only in case or Unicode form are one file on macOS and Windows");
    clash("/style.css/x", "the alias `/style.css/x` would write `style.css/x/index.html`, which needs a folder `style.css` where the copied file static/style.css writes a file");
}

#[test]
fn malformed_aliases_are_refused_at_their_line() {
    let hint = "  = help: an alias is a path inside the site, like `/old/name/`";
    for (alias, why) in [
        (
            "/./",
            "holds the segment `.`: write the path without `.` and `..`",
        ),
        (
            "/.",
            "holds the segment `.`: write the path without `.` and `..`",
        ),
        (
            "/a/../b/",
            "holds the segment `..`: write the path without `.` and `..`",
        ),
        (
            "/%2e%2e/x/",
            "holds the segment `%2e%2e`: write the path without `.` and `..`",
        ),
        (
            "/%2E/",
            "holds the segment `%2E`: write the path without `.` and `..`",
        ),
        ("/a//b/", "holds an empty segment (`//`)"),
        ("//evil.example/", "holds an empty segment (`//`)"),
        (
            "/a\\b/",
            "holds `\\`: an alias is a path from the site root, like `/old/page/`",
        ),
        (
            "/a?x",
            "holds `?`: an alias is a path from the site root, like `/old/page/`",
        ),
        (
            "/a#x",
            "holds `#`: an alias is a path from the site root, like `/old/page/`",
        ),
        (
            "/.git/hooks",
            "names `.git`: names starting with `.` are hidden and never published",
        ),
        (
            "/a%2Fb/",
            "holds `a%2Fb`, which decodes to a separator or a control character",
        ),
    ] {
        case(
            &[(
                "content/later.md",
                &page(&format!("aliases:\n  - '{alias}'\n")),
            )],
            &[
                &format!("content/later.md:4:6: error: the alias `{alias}` {why}"),
                hint,
            ],
        );
    }
    // A flow sequence on the key's own line.
    case(
        &[("content/later.md", &page("aliases: [\"/.\"]\n"))],
        &["content/later.md:3:12: error: the alias `/.` holds the segment `.`: write the path without `.` and `..`"],
    );
}

#[test]
fn a_static_robots_txt_replaces_the_generated_one() {
    let site = TestSite::fixture(FIXTURE);
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    site.build().success();
    assert_eq!(
        site.read("public/robots.txt"),
        "User-agent: *\nDisallow: /\n"
    );
}

// ---- item 4: every URL dossier writes is a valid, percent-encoded relative reference ----

#[test]
fn slugs_that_would_break_a_url_are_refused_with_a_valid_one_as_hint() {
    for (slug, written, why, hint) in [
        (
            "re:invent",
            "\"re:invent\"",
            "`:` is not allowed",
            "use `slug: re-invent`",
        ),
        ("?x", "\"?x\"", "`?` is not allowed", "use `slug: x`"),
        ("#x", "\"#x\"", "`#` is not allowed", "use `slug: x`"),
        ("100%", "\"100%\"", "`%` is not allowed", "use `slug: 100`"),
        ("a b", "\"a b\"", "` ` is not allowed", "use `slug: a-b`"),
        ("a/b", "\"a/b\"", "`/` is not allowed", "use `slug: a-b`"),
        ("a\\b", "'a\\b'", "`\\` is not allowed", "use `slug: a-b`"),
        (
            "..",
            "\"..\"",
            "a slug may not start or end with `.`",
            "use letters and digits, like `slug: my-page`",
        ),
        (
            "%2e%2e",
            "\"%2e%2e\"",
            "`%` is not allowed",
            "use `slug: 2e-2e`",
        ),
        (
            "．．",
            "\"．．\"",
            "`．` is not allowed",
            "use letters and digits, like `slug: my-page`",
        ),
        (
            ".hidden",
            "\".hidden\"",
            "a slug may not start or end with `.`",
            "use `slug: hidden`",
        ),
    ] {
        let why = if why.starts_with('`') {
            format!("{why}: a slug holds only letters, digits, `-`, `_`, `.` and `~`")
        } else {
            why.to_owned()
        };
        case(
            &[("content/later.md", &page(&format!("slug: {written}\n")))],
            &[
                &format!(
                    "content/later.md:3:8: error: the slug `{slug}` cannot be a URL segment: {why}"
                ),
                &format!("  = help: {hint}"),
            ],
        );
    }
}

#[test]
fn names_with_reserved_characters_are_percent_encoded_in_every_link() {
    let site = TestSite::fixture(FIXTURE);
    site.write(
        "content/100%.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write("content/a#b.txt", "hash");
    site.write("content/what?.txt", "query");
    site.write("content/Ünïcode.txt", "unicode");
    site.write(
        "content/#1-priority.md",
        "---\ntitle: \"Priority\"\n---\nFirst.\n",
    );
    site.write(
        "content/later.md",
        page("slug: café\n").replace(
            "Back",
            "[c](100%.svg) [h](a%23b.txt) [q](what%3F.txt) [u](Ünïcode.txt) [p](@/%231-priority.md) Back",
        ),
    );
    // A relative URL written by a template on a page whose address is percent-encoded.
    let template = site
        .read("templates/page.html")
        .replace("<main>", "<nav><a href=\"./\">here</a></nav><main>");
    site.write("templates/page.html", template);
    site.build().success();
    let html = site.html("café/index.html");
    assert_eq!(attrs(&html, "nav a", "href"), ["./"]);
    assert_eq!(
        attrs(&html, "main a", "href"),
        [
            "../100%25.svg",
            "../a%23b.txt",
            "../what%3F.txt",
            "../%C3%9Cn%C3%AFcode.txt",
            "../1-priority/",
            "../"
        ]
    );
    for file in [
        "100%.svg",
        "a#b.txt",
        "what?.txt",
        "Ünïcode.txt",
        "1-priority/index.html",
    ] {
        assert!(site.public().join(file).is_file(), "{file}");
    }
    // A page whose slug is outside ASCII is linked percent-encoded from the home page.
    site.build().success();
    assert!(attrs(&site.html("index.html"), "main a", "href").contains(&"caf%C3%A9/".to_owned()));
    site.run(&["check"]).success();
}

#[test]
fn a_hash_in_a_file_name_is_reported_at_the_markdown_line() {
    let (site, before) = built();
    site.write("content/a#b.txt", "hash");
    site.write("content/what?.txt", "query");
    site.write(
        "content/#1-priority.md",
        "---\ntitle: \"Priority\"\n---\nFirst.\n",
    );
    site.write(
        "content/later.md",
        "---\ntitle: \"Later\"\n---\nBack [home](@/_index.md).\n\nSee [the file](<a#b.txt>).\n\nAnd [the priority](@/#1-priority.md).\n\nAsk [the question](what?.txt).\n",
    );
    refused(
        &site,
        &before,
        &[
            "content/later.md:6:5: error: broken link `a#b.txt`: there is no content/a",
            "  = help: write the `#` in the file name as `%23`: `a%23b.txt`",
            "content/later.md:8:5: error: broken link `@/#1-priority.md`: it names no file (`#` starts an anchor)",
            "  = help: write the `#` in the file name as `%23`: `@/%231-priority.md`",
            "content/later.md:10:5: error: broken link `what?.txt`: there is no content/what",
            "  = help: write the `?` in the file name as `%3F`: `what%3F.txt`",
        ],
    );
}

#[test]
fn check_says_when_a_template_writes_an_invalid_url() {
    let (site, before) = built();
    let template = site.read("templates/page.html").replace(
        "<main>",
        "<main><a href=\"/100%.svg\">a</a><a href=\"/a b/\">b</a>",
    );
    site.write(
        "content/100%.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write(
        "content/a b/_index.md",
        "---\ntitle: \"AB\"\n---\nBack [home](@/_index.md).\n",
    );
    let home = site
        .read("content/_index.md")
        .replace("Start", "See [AB](<@/a b/_index.md>). Start");
    site.write("content/_index.md", home);
    site.write("templates/page.html", template);
    let run = site.run(&["check"]).user_error();
    let mut errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    errors.sort_unstable();
    assert_eq!(
        errors,
        [
            // One mistake in a shared template: one error at its line, not one per page.
            "templates/page.html:9:16: error: broken link: `/100%.svg` is not a valid URL: a `%` must start an escape like `%25`",
            "templates/page.html:9:41: error: broken link: `/a b/` is not a valid URL: ` ` must be written `%20`",
        ],
        "{}",
        run.stderr
    );
    assert_eq!(tree(&site.public()), before);
    for hint in [
        "  = help: write it `/100%25.svg`",
        "  = help: write it `/a%20b/`",
    ] {
        assert!(run.stderr.lines().any(|l| l == hint), "{}", run.stderr);
    }
    // `build` refuses the same output.
    refused(
        &site,
        &before,
        &[
            // One mistake in a shared template: one error at its line, not one per page.
            "templates/page.html:9:16: error: broken link: `/100%.svg` is not a valid URL: a `%` must start an escape like `%25`",
            "templates/page.html:9:41: error: broken link: `/a b/` is not a valid URL: ` ` must be written `%20`",
        ],
    );
}

// ---- item 1: nothing from outside the site, through a symlink to a file or a folder ----

#[cfg(unix)]
#[test]
fn symlinked_folders_leading_out_of_the_site_are_refused() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    std::fs::create_dir(outside.path().join("sub")).unwrap();
    std::fs::write(outside.path().join("sub/key.md"), "---\ntitle: K\n---\n").unwrap();
    let target = outside.path().display().to_string();
    let hint = "  = help: copy the files into the site instead; dossier never publishes files from outside content/ and static/";
    for folder in ["content", "static"] {
        let (site, before) = built();
        symlink(outside.path(), site.path(&format!("{folder}/leak"))).unwrap();
        refused(
            &site,
            &before,
            &[
                &format!("{folder}/leak: error: this symlink points to `{target}`, outside the site's content/ and static/ folders"),
                hint,
            ],
        );
    }
    // Into the site, but not a published folder: templates/ and the site root.
    let (site, before) = built();
    symlink("../../templates", site.path("content/people/tpl")).unwrap();
    symlink("..", site.path("static/root")).unwrap();
    refused(
        &site,
        &before,
        &[
            "content/people/tpl: error: this symlink points to `../../templates`, outside the site's content/ and static/ folders",
            "static/root: error: this symlink points to `..`, outside the site's content/ and static/ folders",
        ],
    );
    // A symlink inside a symlinked folder that stays inside is checked on its own.
    let (site, before) = built();
    std::fs::create_dir(site.path("content/shared")).unwrap();
    symlink(
        outside.path().join("secret.txt"),
        site.path("content/shared/secret.txt"),
    )
    .unwrap();
    symlink("shared", site.path("content/mirror")).unwrap();
    refused(
        &site,
        &before,
        &[
            &format!("content/mirror/secret.txt: error: this symlink points to `{target}/secret.txt`, outside the site's content/ and static/ folders"),
            &format!("content/shared/secret.txt: error: this symlink points to `{target}/secret.txt`, outside the site's content/ and static/ folders"),
        ],
    );
}

#[cfg(unix)]
#[test]
fn symlinks_that_stay_inside_content_and_static_are_followed() {
    use std::os::unix::fs::symlink;
    let site = TestSite::fixture(FIXTURE);
    site.write("static/img/logo.txt", "logo");
    symlink("../static/img", site.path("content/pictures")).unwrap();
    symlink("people", site.path("content/folks")).unwrap();
    site.write("content/_index.md", "---\ntitle: \"Home\"\n---\n[People](@/people/_index.md), [Amy](@/people/amy.md), [Later](@/later.md), [again](@/folks/amy.md), [folks](@/folks/_index.md).\n");
    site.build().success();
    assert_eq!(site.read("public/pictures/logo.txt"), "logo");
    assert!(site.public().join("folks/amy/index.html").is_file());
}

#[test]
fn more_clashes_each_at_the_second_source() {
    case(
        &[
            ("content/Guide/_index.md", "---\ntitle: \"G\"\n---\n[home](@/_index.md)\n"),
            ("content/guide/_index.md", "---\ntitle: \"g\"\n---\n[home](@/_index.md)\n"),
        ],
        &["content/guide/_index.md:1:1: error: this section would write `guide/index.html`, which the section content/Guide/_index.md writes too"],
    );
    // The same name in Unicode normal forms C and D is one file on macOS.
    case(
        &[("content/caf\u{e9}.txt", "nfc"), ("content/cafe\u{301}.txt", "nfd")],
        &["content/caf\u{e9}.txt: error: this file would write `caf\u{e9}.txt`, and the copied file content/cafe\u{301}.txt writes `cafe\u{301}.txt`: names that differ only in case or Unicode form are one file on macOS and Windows"],
    );
    case(
        &[("static/404.html", "<p>mine</p>")],
        &["static/404.html: error: this file would write `404.html`, which dossier's own `404.html` writes too"],
    );
    case(
        &[("content/index.html", "<p>raw</p>")],
        &["content/index.html: error: this file would write `index.html`, which the section content/_index.md writes too"],
    );
    case(
        &[("content/img/a.png", "1"), ("static/img/a.png", "2")],
        &["static/img/a.png: error: this file would write `img/a.png`, which the copied file content/img/a.png writes too"],
    );
    case(
        &[("content/people/amy/index.md", "---\ntitle: \"Amy again\"\n---\n[home](@/_index.md)\n")],
        &["content/people/amy/index.md:1:1: error: this page and content/people/amy.md both produce /people/amy/"],
    );
    case(
        &[("content/later.md", &page("aliases: [\"/atom.xml\"]\n"))],
        &["content/later.md:3:12: error: the alias `/atom.xml` would write `atom.xml`, which dossier's own `atom.xml` writes too"],
    );
    case(
        &[("content/later.md", &page("aliases: [\"/robots.txt\"]\n"))],
        &["content/later.md:3:12: error: the alias `/robots.txt` would write `robots.txt`, which dossier's own `robots.txt` writes too"],
    );
}
