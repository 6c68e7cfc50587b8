//! Never a panic: the parsers that read user files (front matter, shortcode calls, Markdown with
//! links, the HTML link rewrite) are fed thousands of random, hostile inputs built from the
//! characters their syntax cares about. Each must return a value or an error, never panic.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

use dossier::links::html::{rewrite, Rewrite};
use dossier::markdown::{render, LinkResolver, Resolution};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::Path;

/// Pieces that matter to one parser or another, plus multi-byte characters.
const PIECES: &[&str] = &[
    "---",
    "\n",
    "\r\n",
    "title: ",
    "weight: ",
    "\"",
    "'",
    "{{",
    "}}",
    "{%",
    "%}",
    "end",
    "(",
    ")",
    "=",
    ",",
    "quote",
    "who",
    "[",
    "]",
    "(@/",
    ".md",
    "#",
    "<a href=\"",
    "<a href=",
    "/",
    ">",
    "<",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "&amp;",
    "%2e",
    "é",
    "🙂",
    " ",
    "\t",
    "x",
    "1",
    "true",
    "```",
    "`",
    "![",
    "srcset=\"",
    " 2x, ",
    "id=\"",
];

fn hostile(rng: &mut StdRng) -> String {
    let len = rng.random_range(0..40);
    (0..len)
        .map(|_| PIECES[rng.random_range(0..PIECES.len())])
        .collect()
}

struct Anything;
impl LinkResolver for Anything {
    fn resolve(&self, destination: &str) -> Resolution {
        match destination.len() % 3 {
            0 => Resolution::Keep,
            1 => Resolution::Url(format!("/{destination}/")),
            _ => Resolution::Broken {
                message: "broken".into(),
                hint: "fix".into(),
            },
        }
    }
}

#[test]
fn parsers_never_panic_on_hostile_input() {
    let mut rng = StdRng::seed_from_u64(0x00d0_551e);
    let path = Path::new("content/fuzz.md");
    for _ in 0..5_000 {
        let text = hostile(&mut rng);
        let _ = dossier::content::front_matter::parse(path, &text);
        if let Ok(extracted) = dossier::shortcodes::extract(&text) {
            for offset in 0..=extracted.text.len() {
                let _ = extracted.original_offset(offset);
            }
        }
        let rendered = render(&text, &Anything);
        for problem in rendered.problems {
            assert!(problem.offset <= text.len());
        }
        for output in ["index.html", "a/b/index.html"] {
            let how = Rewrite {
                output,
                relativize: true,
                base: None,
                index_links: rng.random(),
            };
            // Any text goes through; the rewrite only touches attribute values.
            let (out, _) = rewrite(&text, how);
            if !text.contains('/') {
                assert_eq!(out, text);
            }
        }
    }
}

#[test]
fn errors_point_inside_the_file() {
    let mut rng = StdRng::seed_from_u64(7);
    let path = Path::new("content/fuzz.md");
    for _ in 0..2_000 {
        let text = format!("---\n{}", hostile(&mut rng));
        if let Err(problems) = dossier::content::front_matter::parse(path, &text) {
            let lines = text.lines().count().max(1);
            for problem in problems {
                assert!(
                    problem.line >= 1 && problem.line <= lines + 1,
                    "{problem}\nin {text:?}"
                );
            }
        }
    }
}
