//! Share cards (`share_cards: true`): a 1200×630 PNG beside every page, named in `og:image`,
//! drawn deterministically with the shipped font, and kept in `.dossier-cache/cards/` so a
//! second build draws nothing (the build's summary line counts the cards it drew).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{attrs, tree, TestSite};

/// The cards fixture with the shipped theme copied in.
fn themed() -> TestSite {
    TestSite::fixture_with_shipped_theme("parity/cards")
}

/// Width and height from a PNG's header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let number = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (number(16), number(20))
}

const PAGES: [&str; 4] = ["", "story/", "participants/", "participants/amy/"];

#[test]
fn every_page_gets_a_card_named_in_its_open_graph_tags() {
    let site = themed();
    let run = site.build().success();
    assert!(
        run.stdout
            .starts_with("Built 2 pages, 2 sections, 3 files copied, 4 share cards drawn in "),
        "{}",
        run.stdout
    );
    for page in PAGES {
        let card = std::fs::read(site.public().join(format!("{page}share-card.png"))).unwrap();
        assert_eq!(png_size(&card), (1200, 630), "{page}");
        let html = site.html(&format!("{page}index.html"));
        assert_eq!(
            attrs(&html, r#"meta[property="og:image"]"#, "content"),
            [format!("https://example.org/harbour/{page}share-card.png")]
        );
        assert_eq!(
            attrs(&html, r#"meta[name="twitter:card"]"#, "content"),
            ["summary_large_image"]
        );
    }
    assert!(!site.public().join("404.htmlshare-card.png").exists());
    let missing = site.html("404.html");
    assert!(attrs(&missing, r#"meta[property="og:image"]"#, "content").is_empty());
}

#[test]
fn a_second_build_draws_nothing_and_gives_the_same_bytes() {
    let site = themed();
    site.build().success();
    let first = tree(&site.public());
    let run = site.build().success();
    assert!(
        run.stdout
            .starts_with("Built 2 pages, 2 sections, 3 files copied in "),
        "{}",
        run.stdout
    );
    assert!(tree(&site.public()) == first, "the second build differs");

    // Without the cache every card is drawn again, to the same bytes.
    std::fs::remove_dir_all(site.path(".dossier-cache")).unwrap();
    let run = site.build().success();
    assert!(
        run.stdout.contains(", 4 share cards drawn in "),
        "{}",
        run.stdout
    );
    assert!(
        tree(&site.public()) == first,
        "drawing is not deterministic"
    );
}

#[test]
fn changing_a_title_draws_that_card_only() {
    let site = themed();
    site.build().success();
    let before = std::fs::read(site.public().join("participants/amy/share-card.png")).unwrap();
    let text = site
        .read("content/participants/amy.md")
        .replace("Amy Example", "Amy Q. Example");
    site.write("content/participants/amy.md", text);
    let run = site.build().success();
    assert!(
        run.stdout.contains(", 1 share card drawn in "),
        "{}",
        run.stdout
    );
    let after = std::fs::read(site.public().join("participants/amy/share-card.png")).unwrap();
    assert_ne!(before, after);
}

#[test]
fn a_card_of_the_sites_own_replaces_the_drawn_one() {
    let site = themed();
    site.write("static/story/share-card.png", b"my own card");
    let run = site.build().success();
    assert!(
        run.stdout.contains(", 3 share cards drawn in "),
        "{}",
        run.stdout
    );
    assert_eq!(site.read("public/story/share-card.png"), "my own card");
}

#[test]
fn without_share_cards_no_card_is_drawn_or_named() {
    let site = themed();
    let settings = site.read("site.yaml").replace("share_cards: true", "");
    site.write("site.yaml", settings);
    site.build().success();
    assert!(!site.public().join("share-card.png").exists());
    assert!(!site.path(".dossier-cache").exists());
    let home = site.html("index.html");
    assert!(attrs(&home, r#"meta[property="og:image"]"#, "content").is_empty());
}
