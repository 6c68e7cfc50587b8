//! Processed images, continued: AVIF copies beside JPEG originals, lossless WebP beside PNG ones
//! (the same bytes on every build, made once and then reused), `image()` in the generated pages' templates (a tag's
//! page, the print page) makes its copies like any page's, and the cache of processed copies
//! keeps only what builds still use.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{attrs, srcset_entries as entries, tree, TestSite};
use std::collections::BTreeSet;

const STORY: &str = "reports/story/index.html";
const QUAY: &str = "reports/quay/index.html";

/// An RGB image of `width`×`height` with soft gradients, like a photo or a map.
fn pixels(width: u32, height: u32, shade: u8) -> image::DynamicImage {
    image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x / 7 % 256) as u8, (y / 5 % 256) as u8, shade])
    }))
}

fn png(width: u32, height: u32, shade: u8) -> Vec<u8> {
    let mut bytes = Vec::new();
    pixels(width, height, shade)
        .write_with_encoder(image::codecs::png::PngEncoder::new(&mut bytes))
        .unwrap();
    bytes
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    pixels(width, height, 60)
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut bytes, 85,
        ))
        .unwrap();
    bytes
}

/// The images fixture with the shipped theme: an 800×450 PNG map beside the story (as a
/// figure), a 200×100 logo in static/, and a 720×480 JPEG photo on its own page.
fn site() -> TestSite {
    let site = TestSite::fixture_with_shipped_theme("parity/images");
    site.write("content/reports/img/map.png", png(800, 450, 40));
    site.write("static/img/logo.png", png(200, 100, 200));
    site.write("content/reports/img/quay.jpg", jpeg(720, 480));
    site.write(
        "content/reports/quay.md",
        "---\ntitle: \"The quay\"\n---\n{{ figure(src=\"img/quay.jpg\", alt=\"The quay at high tide\", credit=\"Photo: Jane Doe / Agency\") }}\n\nSee [the story](@/reports/story.md).\n",
    );
    site
}

/// The brand and the pixel size an AVIF file declares (its `ftyp` box and its `ispe`
/// property), without decoding it.
fn avif_facts(bytes: &[u8]) -> (String, u32, u32) {
    let brand = String::from_utf8_lossy(&bytes[4..12]).into_owned();
    let at = bytes
        .windows(4)
        .position(|w| w == b"ispe")
        .expect("an ispe property");
    let word = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    // `ispe`, then a version and flags, then the width and the height.
    (brand, word(at + 8), word(at + 12))
}

/// The names of the files in the cache of processed copies.
fn cached(site: &TestSite) -> BTreeSet<String> {
    std::fs::read_dir(site.path(".dossier-cache/images"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect()
}

/// The `N images processed (M reused)` part of a build's summary.
fn work(stdout: &str) -> &str {
    let end = stdout.find(" reused)").expect("a count of images") + " reused)".len();
    let start = stdout[..end].rfind(", ").unwrap() + 2;
    &stdout[start..end]
}

#[test]
fn a_jpeg_gets_avif_copies_and_a_png_lossless_webp_ones() {
    let site = site();
    site.build().success();

    let story = site.html(STORY);
    assert_eq!(
        attrs(&story, "figure.figure picture source", "type"),
        ["image/webp"]
    );
    let quay = site.html(QUAY);
    let avif = r#"figure.figure picture source[type="image/avif"]"#;
    assert_eq!(
        attrs(&quay, "figure.figure picture source", "type"),
        ["image/avif"]
    );
    assert_eq!(
        attrs(&quay, avif, "sizes"),
        attrs(&quay, "figure.figure picture img", "sizes")
    );
    let set = entries(&attrs(&quay, avif, "srcset")[0]);
    assert_eq!(set.iter().map(|e| e.1).collect::<Vec<_>>(), [480, 720]);
    for (url, width) in &set {
        assert!(url.ends_with(&format!("-{width}.avif")), "{url}");
        let bytes = std::fs::read(site.output_of(QUAY, url)).unwrap();
        let height = width * 480 / 720;
        assert_eq!(avif_facts(&bytes), ("ftypavif".to_owned(), *width, height));
    }

    // Lossy: fewer bytes than the JPEG copy of the same width.
    let size = |url: &str| std::fs::metadata(site.output_of(QUAY, url)).unwrap().len();
    let jpeg_480 = entries(&attrs(&quay, "figure.figure img", "srcset")[0])[0].clone();
    assert_eq!((jpeg_480.1, set[0].1), (480, 480));
    assert!(
        size(&set[0].0) < size(&jpeg_480.0),
        "the AVIF copy is not smaller than the JPEG one"
    );
}

#[test]
fn avif_copies_are_the_same_bytes_on_every_build_and_made_once() {
    let site = site();
    // The map: PNG 480; WebP 480, 800. The photo: JPEG 480; AVIF 480, 720.
    let run = site.build().success();
    assert_eq!(work(&run.stdout), "6 images processed (0 reused)");
    let first = tree(&site.public());
    let run = site.build().success();
    assert_eq!(work(&run.stdout), "0 images processed (6 reused)");
    assert!(tree(&site.public()) == first, "the second build differs");

    std::fs::remove_dir_all(site.path(".dossier-cache")).unwrap();
    let run = site.build().success();
    assert_eq!(work(&run.stdout), "6 images processed (0 reused)");
    assert!(
        tree(&site.public()) == first,
        "encoding again gave other bytes"
    );
}

#[test]
fn image_calls_in_a_tag_page_and_the_print_page_make_their_copies() {
    let site = site();
    site.write(
        "content/reports/story.md",
        site.read("content/reports/story.md")
            .replace("description:", "tags: [\"Floods\"]\ndescription:"),
    );
    let logo_at = |width: u32| {
        format!(
            "{{% set logo = image(path=\"/img/logo.png\", widths=[{width}]) %}}<img class=\"logo\" src=\"{{{{ logo.variants[0].url }}}}\" srcset=\"{{{{ logo.srcset }}}}\" width=\"{{{{ logo.variants[0].width }}}}\" height=\"{{{{ logo.variants[0].height }}}}\" alt=\"\">"
        )
    };
    for (template, width) in [("tag.html", 120), ("print.html", 80)] {
        let path = format!("templates/{template}");
        let theme = site.read(&path);
        site.write(
            &path,
            theme.replace(
                "{% block content %}",
                &format!("{{% block content %}}\n{}", logo_at(width)),
            ),
        );
    }
    site.build().success();

    for (page, width) in [("tags/floods/index.html", 120), ("print/index.html", 80)] {
        let html = site.html(page);
        let src = attrs(&html, "img.logo", "src");
        assert_eq!(src.len(), 1, "{page}");
        assert!(src[0].ends_with(&format!("-{width}.png")), "{}", src[0]);
        let file = site.output_of(page, &src[0]);
        assert_eq!(
            image::image_dimensions(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
            (width, width / 2)
        );
        for (url, _) in entries(&attrs(&html, "img.logo", "srcset")[0]) {
            assert!(site.output_of(page, &url).is_file(), "{page}: {url}");
        }
    }
}

#[test]
fn copies_no_build_uses_any_more_leave_the_cache_and_other_files_stay() {
    let site = site();
    site.build().success();
    let all = cached(&site);
    assert_eq!(all.len(), 6, "{all:?}");
    site.write(".dossier-cache/images/notes.txt", "mine");

    // The photo's page goes, and with it the photo's three copies.
    site.remove("content/reports/quay.md");
    site.remove("content/reports/img/quay.jpg");
    let run = site.build().success();
    assert_eq!(work(&run.stdout), "0 images processed (3 reused)");
    let left = cached(&site);
    // The map's three copies, and the file dossier did not make.
    assert_eq!(left.len(), 4, "{left:?}");
    assert!(left.contains("notes.txt"));
    assert!(left
        .iter()
        .all(|name| name == "notes.txt" || all.contains(name)));

    // What is left is what the build uses: nothing is made again.
    let run = site.build().success();
    assert_eq!(work(&run.stdout), "0 images processed (3 reused)");
    assert_eq!(cached(&site), left);
}
