//! Incremental rebuilds converge: after any sequence of edits, creations, deletions, renames,
//! moves, atomic saves, folder and asset changes, template edits, and changes to the sources
//! (`sources.yaml`, a source's text, citations, verified quotations, timeline events), what is served is byte for
//! byte what a clean `dossier build` of the same files makes, and nothing else is served.
//!
//! The same seeded sequence runs twice: against `dossier serve` (files changed on disk while it
//! watches, compared over HTTP once it settles) and against the library's incremental build
//! directly (compared with a clean build after every step). Set `DOSSIER_SEED` to replay a seed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::serve::{as_built, files_under, Dossier};
use common::site::{built_files, TestSite};
use dossier::paths::names::{content_asset_output, page_url};
use dossier::paths::SourcePath;
use dossier::site::{build, build_with_cache, BuildCache, Silent};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeSet;
use std::fs;
use std::time::Duration;

fn seed() -> u64 {
    std::env::var("DOSSIER_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_240_817)
}

/// The random edits, and what they created, so that gone files can be checked to be gone.
struct Editor<'a> {
    site: &'a TestSite,
    rng: StdRng,
    counter: usize,
    /// Content paths of the pages that may be changed, moved or deleted.
    pages: Vec<String>,
    folders: Vec<String>,
    assets: Vec<String>,
    /// Every output path any page or asset ever had.
    ever: BTreeSet<String>,
    /// Now and then write an impossible date, which fails the build (not while serving: the
    /// served site must settle on a good build).
    impossible_dates: bool,
}

const STABLE: [&str; 3] = ["alice.md", "bob.md", "quotes.md"];

impl<'a> Editor<'a> {
    fn new(site: &'a TestSite, seed: u64) -> Self {
        Editor {
            site,
            rng: StdRng::seed_from_u64(seed),
            counter: 0,
            pages: Vec::new(),
            folders: Vec::new(),
            assets: Vec::new(),
            ever: BTreeSet::new(),
            impossible_dates: false,
        }
    }

    fn next(&mut self) -> usize {
        self.counter += 1;
        self.counter
    }

    fn page_text(&mut self, title: &str) -> String {
        let n = self.next();
        let mut front = format!("---\ntitle: {title}\n");
        if self.rng.random_bool(0.5) {
            front += &format!("weight: {}\n", self.rng.random_range(1..20));
        }
        front += &self.dates_text();
        let mut body = format!("Text {n}.\n");
        if self.rng.random_bool(0.3) {
            body += "\n## A heading\n\nMore.\n";
        }
        if self.rng.random_bool(0.6) {
            let who = if self.rng.random_bool(0.5) {
                "alice"
            } else {
                "bob"
            };
            body += &format!("\n{{% say(who=\"{who}\") %}}Said {n}.{{% end %}}\n");
        }
        if self.rng.random_bool(0.4) {
            // A mention of Bob's names (`known_as`, linked by `link_mentions`).
            body += "\nBob, or Robert, was there.\n";
        }
        if self.rng.random_bool(0.4) {
            let to = STABLE[self.rng.random_range(0..STABLE.len())];
            body += &format!("\nSee [this](@/{to}).\n");
        }
        body += &self.toolkit_text(n);
        front + "---\n" + &body
    }

    /// Citations, a verified quotation and timeline events, at random.
    fn toolkit_text(&mut self, n: usize) -> String {
        let mut body = String::new();
        if self.rng.random_bool(0.3) {
            let source = if self.rng.random_bool(0.5) {
                "s1"
            } else {
                "s2"
            };
            body += &format!("\nCited.{{{{ cite(source=\"{source}\", at=\"p. {n}\") }}}}\n");
        }
        if self.rng.random_bool(0.2) {
            body += "\n{% quote(source=\"s2\") %}Alpha beta gamma{% end %}\n";
        }
        if self.rng.random_bool(0.3) {
            let when = if self.rng.random_bool(0.6) {
                format!(
                    "date=\"2025-0{}-1{}\"",
                    self.rng.random_range(1..10),
                    self.rng.random_range(0..10)
                )
            } else {
                format!("seq={}", self.rng.random_range(1..5))
            };
            body += &format!("\n## Events\n\n{{% event({when}, title=\"Event {n}\") %}}Happened {n}.{{% end %}}\n");
        }
        body
    }

    /// Rewrites `sources.yaml` (titles, publishers) or writes or removes the text of `s2`.
    fn toolkit_step(&mut self) {
        let n = self.next();
        match self.rng.random_range(0..3) {
            0 => {
                let title = if self.rng.random_bool(0.5) {
                    format!("Source one {n}")
                } else {
                    "Source one".into()
                };
                let publisher = if self.rng.random_bool(0.5) {
                    format!("  publisher: P{n}\n")
                } else {
                    String::new()
                };
                let text = format!("- id: s1\n  title: {title}\n{publisher}- id: s2\n  title: Source two\n  text: sources/s2.txt\n");
                self.site.write("sources.yaml", &text);
            }
            1 => {
                self.site
                    .write("sources/s2.txt", format!("Alpha beta gamma {n}.\n"));
            }
            _ => {
                let _ = fs::remove_file(self.site.path("sources/s2.txt"));
            }
        }
    }

    /// Random `date`, `updated`, `updates:` and `corrections:` lines (now and then an
    /// impossible date, which both builds must refuse alike).
    fn dates_text(&mut self) -> String {
        let mut front = String::new();
        let impossible = self.impossible_dates;
        let day = |rng: &mut StdRng| {
            if impossible && rng.random_bool(0.03) {
                "2026-02-30".to_owned()
            } else if rng.random_bool(0.3) {
                format!(
                    "2026-11-{:02}T10:{:02}:00+01:00",
                    rng.random_range(1..29),
                    rng.random_range(0..60)
                )
            } else {
                format!("2026-11-{:02}", rng.random_range(1..29))
            }
        };
        if self.rng.random_bool(0.4) {
            front += &format!("date: {}\n", day(&mut self.rng));
        }
        if self.rng.random_bool(0.2) {
            front += &format!("updated: {}\n", day(&mut self.rng));
        }
        for list in ["updates", "corrections"] {
            if self.rng.random_bool(0.3) {
                front += &format!("{list}:\n");
                for _ in 0..self.rng.random_range(1..3) {
                    let n = self.next();
                    front += &format!("  - date: {}\n    note: Change {n}.\n", day(&mut self.rng));
                }
            }
        }
        front
    }

    fn stable_text(&mut self, name: &str) -> String {
        let n = self.next();
        match name {
            "alice.md" => {
                let title = if self.rng.random_bool(0.6) {
                    format!("Alice {n}")
                } else {
                    "Alice".into()
                };
                format!("---\ntitle: {title}\nweight: 1\n---\nAlice {n}, who talks to [Bob](@/bob.md).\n\n{{% say(who=\"alice\") %}}I am Alice {n}.{{% end %}}\n")
            }
            "bob.md" => {
                let names = ["", "known_as: [Bob]\n", "known_as: [Robert, Bob]\n"];
                format!(
                    "---\ntitle: Bob\nweight: {}\n{}---\nBob {n}. See [the quotes](@/quotes.md#said-alice).\n",
                    self.rng.random_range(1..5),
                    names[self.rng.random_range(0..names.len())]
                )
            }
            _ => {
                // Now and then a draft: Bob's link to it is then plain text, with a warning.
                let draft = if self.rng.random_bool(0.3) {
                    "draft: true\n"
                } else {
                    ""
                };
                format!(
                    "---\ntitle: Quotes\nweight: 3\ntemplate: quotes.html\n{draft}---\nWho said what ({n}).\n"
                )
            }
        }
    }

    fn remember_page(&mut self, rel: &str) {
        let url = page_url(&SourcePath::new(rel), None).unwrap();
        self.ever.insert(url.output().into());
    }

    fn pick<T: Clone>(&mut self, list: &[T]) -> Option<T> {
        (!list.is_empty()).then(|| list[self.rng.random_range(0..list.len())].clone())
    }

    fn content(&self, rel: &str) -> std::path::PathBuf {
        self.site.path(&format!("content/{rel}"))
    }

    fn write_page(&mut self, rel: &str, text: &str) {
        self.remember_page(rel);
        self.site.write(&format!("content/{rel}"), text);
    }

    /// Makes one random change on disk.
    fn step(&mut self) {
        if self.rng.random_bool(0.12) {
            self.toolkit_step();
            return;
        }
        let roll = self.rng.random_range(0..100);
        match roll {
            0..=14 => {
                // Edit a page's body or front matter.
                if let Some(rel) = self.pick(&self.pages.clone()) {
                    let n = self.next();
                    let text = self.page_text(&format!("Page {n}"));
                    self.write_page(&rel, &text);
                }
            }
            15..=22 => {
                let name = STABLE[self.rng.random_range(0..STABLE.len())];
                let text = self.stable_text(name);
                self.write_page(name, &text);
            }
            23..=34 => {
                let n = self.next();
                let folder = if self.rng.random_bool(0.4) {
                    self.pick(&self.folders.clone())
                } else {
                    None
                };
                let rel = match folder {
                    Some(f) => format!("{f}/v{n}.md"),
                    None => format!("v{n}.md"),
                };
                let text = self.page_text(&format!("Page {n}"));
                self.write_page(&rel, &text);
                self.pages.push(rel);
            }
            35..=42 => {
                if let Some(i) =
                    (!self.pages.is_empty()).then(|| self.rng.random_range(0..self.pages.len()))
                {
                    let rel = self.pages.swap_remove(i);
                    let _ = fs::remove_file(self.content(&rel));
                }
            }
            43..=54 => {
                // Rename, or move into or out of a folder.
                if let Some(i) =
                    (!self.pages.is_empty()).then(|| self.rng.random_range(0..self.pages.len()))
                {
                    let n = self.next();
                    let target = match self.pick(&self.folders.clone()) {
                        Some(f) if self.rng.random_bool(0.5) => format!("{f}/v{n}.md"),
                        _ => format!("v{n}.md"),
                    };
                    let from = self.pages[i].clone();
                    if fs::rename(self.content(&from), self.content(&target)).is_ok() {
                        self.remember_page(&target);
                        self.pages[i] = target;
                    }
                }
            }
            55..=64 => {
                // An editor's atomic save: a temporary file renamed over the page.
                let rel = match self.pick(&self.pages.clone()) {
                    Some(rel) if self.rng.random_bool(0.7) => rel,
                    _ => "alice.md".to_owned(),
                };
                let text = if rel == "alice.md" {
                    self.stable_text("alice.md")
                } else {
                    let n = self.next();
                    self.page_text(&format!("Saved {n}"))
                };
                let target = self.content(&rel);
                let temporary = target.with_file_name(format!(
                    ".{}.tmp{}",
                    target.file_name().unwrap().to_string_lossy(),
                    self.next()
                ));
                fs::write(&temporary, text).unwrap();
                fs::rename(&temporary, &target).unwrap();
            }
            65..=69 => {
                // Vim's save: probe file, backup by rename, write anew, drop the backup.
                if let Some(rel) = self.pick(&self.pages.clone()) {
                    let target = self.content(&rel);
                    let dir = target.parent().unwrap().to_path_buf();
                    fs::write(dir.join("4913"), "").unwrap();
                    fs::remove_file(dir.join("4913")).unwrap();
                    let backup = dir.join(format!(
                        "{}~",
                        target.file_name().unwrap().to_string_lossy()
                    ));
                    fs::rename(&target, &backup).unwrap();
                    let n = self.next();
                    let text = self.page_text(&format!("Vim {n}"));
                    fs::write(&target, text).unwrap();
                    fs::remove_file(&backup).unwrap();
                }
            }
            70..=76 => {
                let n = self.next();
                let folder = format!("f{n}");
                let text = format!(
                    "---\ntitle: Folder {n}\nweight: {}\n---\nA folder.\n",
                    self.rng.random_range(1..9)
                );
                self.write_page(&format!("{folder}/_index.md"), &text);
                self.folders.push(folder.clone());
                let page = format!("{folder}/v{}.md", self.next());
                let text = self.page_text("In a folder");
                self.write_page(&page, &text);
                self.pages.push(page);
            }
            77..=81 => {
                if let Some(i) =
                    (!self.folders.is_empty()).then(|| self.rng.random_range(0..self.folders.len()))
                {
                    let folder = self.folders.swap_remove(i);
                    let prefix = format!("{folder}/");
                    self.pages.retain(|p| !p.starts_with(&prefix));
                    self.assets
                        .retain(|a| !a.starts_with(&format!("content/{prefix}")));
                    fs::remove_dir_all(self.content(&folder)).unwrap();
                }
            }
            82..=89 => {
                let n = self.next();
                let rel = match (self.rng.random_bool(0.5), self.pick(&self.folders.clone())) {
                    (true, _) => format!("static/s{n}.css"),
                    (false, Some(f)) => format!("content/{f}/a{n}.txt"),
                    (false, None) => format!("content/a{n}.txt"),
                };
                self.site.write(&rel, format!("asset {n}\n"));
                let output = match rel.strip_prefix("static/") {
                    Some(rest) => rest.to_owned(),
                    None => {
                        content_asset_output(&SourcePath::new(rel.trim_start_matches("content/")))
                            .unwrap()
                            .into()
                    }
                };
                self.ever.insert(output);
                self.assets.push(rel);
            }
            90..=95 => {
                if let Some(i) =
                    (!self.assets.is_empty()).then(|| self.rng.random_range(0..self.assets.len()))
                {
                    let rel = self.assets.swap_remove(i);
                    let _ = fs::remove_file(self.site.path(&rel));
                }
            }
            _ => {
                let n = self.next();
                let text = format!("{{% extends \"base.html\" %}}\n{{# edit {n} #}}\n{{% block content %}}<div class=\"v{}\">{{{{ page.content | safe }}}}</div>{{% endblock content %}}\n", n % 3);
                self.site.write("templates/page.html", &text);
            }
        }
    }
}

/// Compares everything `server` serves with a clean build of `site`, and checks that every
/// file that ever existed but is not in the clean build is gone.
fn compare_with_clean_build(server: &Dossier, site: &TestSite, editor: &Editor<'_>, label: &str) {
    let clean = site.scratch().join(format!("clean-{label}"));
    site.build_into(&clean);
    let names = files_under(&clean);
    for name in &names {
        if name == ".dossier-output" {
            continue;
        }
        let path = format!("/{}", name.strip_suffix("index.html").unwrap_or(name));
        let reply = server.get(&path);
        assert_eq!(reply.status, 200, "{label}: {path}");
        let served = as_built(name, &reply.body);
        let built = fs::read(clean.join(name)).unwrap();
        assert!(
            served == built,
            "{label}: {name} differs from a clean build\nserved:\n{}\nclean:\n{}",
            String::from_utf8_lossy(&served),
            String::from_utf8_lossy(&built)
        );
    }
    let names: BTreeSet<_> = names.into_iter().collect();
    for gone in editor.ever.difference(&names) {
        let path = format!("/{}", gone.strip_suffix("index.html").unwrap_or(gone));
        assert_eq!(
            server.get(&path).status,
            404,
            "{label}: {path} is still served"
        );
    }
}

#[test]
fn the_served_site_converges_to_a_clean_build() {
    let site = TestSite::fixture("serve/converge");
    let server = site.serve(&[]);
    let seed = seed();
    let mut editor = Editor::new(&site, seed);
    // Compared after every 30 steps as well as at the end: each settled state is a check.
    for round in 0..8 {
        for _ in 0..30 {
            editor.step();
            let pause = editor.rng.random_range(0..25);
            std::thread::sleep(Duration::from_millis(pause));
        }
        let label = format!("seed {seed}, after {} steps", (round + 1) * 30);
        server.settle(&site, &label);
        compare_with_clean_build(&server, &site, &editor, &label);
    }
    assert!(
        server.rebuilds() > 20,
        "too few rebuilds to test anything: {}",
        server.rebuilds()
    );
    assert!(!site.path("public").exists());
}

#[test]
fn incremental_builds_equal_clean_builds_at_every_step() {
    let site = TestSite::fixture("serve/converge");
    let options = site.options();
    let seed = seed() + 1;
    let mut editor = Editor::new(&site, seed);
    editor.impossible_dates = true;
    let mut cache = BuildCache::default();
    let mut rendered = 0;
    let mut pages = 0;
    for step in 0..150 {
        editor.step();
        let incremental = build_with_cache(&options, &mut cache, &Silent);
        let clean = build(&options, &Silent);
        match (incremental, clean) {
            (Ok(a), Ok(b)) => {
                assert_eq!(built_files(&a), built_files(&b), "seed {seed}, step {step}");
                assert_eq!(a.warnings, b.warnings, "seed {seed}, step {step}");
                rendered += cache.report().pages_rendered;
                pages += cache.report().pages;
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "seed {seed}, step {step}"),
            (a, b) => panic!(
                "seed {seed}, step {step}: one build failed\n{:?}\n{:?}",
                a.err(),
                b.err()
            ),
        }
    }
    // Most steps here change the top-level navigation, which every page shows, so many pages
    // render again; still, some must have been kept.
    assert!(
        rendered < pages,
        "nothing was kept: {rendered} of {pages} pages rendered"
    );
}

#[test]
fn editing_one_body_renders_one_page() {
    let site = TestSite::fixture("serve/converge");
    site.write(
        "content/notes/_index.md",
        "---\ntitle: Notes\nweight: 5\n---\n",
    );
    site.write("content/notes/plain.md", "---\ntitle: Plain\n---\nOne.\n");
    site.write(
        "content/more/_index.md",
        "---\ntitle: More\nweight: 6\n---\n",
    );
    site.write("content/more/x.md", "---\ntitle: X\n---\nX.\n");
    site.write("content/more/y.md", "---\ntitle: Y\n---\nY.\n");
    let options = site.options();
    let mut cache = BuildCache::default();
    build_with_cache(&options, &mut cache, &Silent).unwrap();
    assert_eq!(cache.report().pages_rendered, cache.report().pages);
    build_with_cache(&options, &mut cache, &Silent).unwrap();
    assert_eq!(cache.report().pages_rendered, 0, "nothing changed");
    site.write("content/notes/plain.md", "---\ntitle: Plain\n---\nTwo.\n");
    build_with_cache(&options, &mut cache, &Silent).unwrap();
    assert_eq!(
        (
            cache.report().bodies_rendered,
            cache.report().pages_rendered
        ),
        (1, 1)
    );
    // A new quote: the quoting page, the page that lists every quote, and Bob's page, whose
    // backlinks now include the quoting page (the quote links to Bob).
    site.write(
        "content/notes/plain.md",
        "---\ntitle: Plain\n---\n{% say(who=\"bob\") %}Hi{% end %}\n",
    );
    build_with_cache(&options, &mut cache, &Silent).unwrap();
    assert_eq!(cache.report().pages_rendered, 3);
    // A new title: the page, its section and neighbours, the quotes list and Bob's backlinks;
    // not the pages of the other folder.
    site.write(
        "content/notes/plain.md",
        "---\ntitle: Plainer\n---\n{% say(who=\"bob\") %}Hi{% end %}\n",
    );
    build_with_cache(&options, &mut cache, &Silent).unwrap();
    let report = cache.report();
    assert!(
        report.pages_rendered >= 4 && report.pages_rendered <= 6,
        "{report:?}"
    );
}

#[test]
fn a_ten_thousand_page_site_converges_to_a_clean_build() {
    // 100 sections of 100 pages, then edits to the generated pages and random steps; the
    // incremental result is compared with a clean build at the end (a clean build of 10,000
    // pages per step would make this test slow, not stronger).
    let site = common::generated::large_site(100, 100);
    let options = site.options();
    let mut cache = BuildCache::default();
    build_with_cache(&options, &mut cache, &Silent).unwrap();
    let text =
        |s, p, title: &str, extra: &str| common::generated::page_text(s, p, 100, title, extra);
    site.write("content/s10/p005.md", text(10, 5, "Renamed", ""));
    site.write(
        "content/s30/p100.md",
        text(
            30,
            100,
            "Added",
            "Back to [the first](@/s30/p000.md#a-new-heading).\n",
        ),
    );
    site.write(
        "content/s30/p000.md",
        text(30, 0, "Page 30-0", "\n## A new heading\n\nMore.\n"),
    );
    site.write(
        "content/s55/p055.md",
        text(55, 55, "Page 55-55", "Edited.\n"),
    );
    let mut editor = Editor::new(&site, seed() + 2);
    // Random steps often touch what every page shows (the top-level navigation, the sources,
    // a template), so they are few here; `tests/scale_incremental.rs` counts what is rendered.
    let mut results = Vec::new();
    for _ in 0..4 {
        editor.step();
        results.push(build_with_cache(&options, &mut cache, &Silent).is_ok());
    }
    let incremental = build_with_cache(&options, &mut cache, &Silent);
    let clean = build(&options, &Silent);
    match (incremental, clean) {
        (Ok(a), Ok(b)) => {
            assert!(
                built_files(&a) == built_files(&b),
                "differs from a clean build"
            );
            assert_eq!(a.warnings, b.warnings);
        }
        (Err(a), Err(b)) => assert_eq!(a, b),
        (a, b) => panic!("one build failed\n{:?}\n{:?}", a.err(), b.err()),
    }
    assert!(results.iter().any(|ok| *ok), "no step built");
}
