//! Images: the built-in `figure` shortcode and the `image()` template function write resized
//! copies in `srcset` (WebP beside a PNG), `width` and `height`, lazy loading and a caption with
//! a credit; Markdown images get their size written too. `alt` is required (a located error),
//! a missing image is a located error with a did-you-mean, the same relative path names the same
//! file in Markdown and in a shortcode, and processed copies are kept in `.dossier-cache/images/`
//! so a second build processes nothing (the summary line counts the work).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{attrs, srcset_entries as entries, tree, TestSite};
use dossier::site::{build, build_with_cache, BuildCache, Silent};
use std::path::Path;

const STORY: &str = "reports/story/index.html";
const MAP: &str = "content/reports/img/map.png";

/// A PNG of `width`×`height` whose pixels depend on `shade`.
fn png(width: u32, height: u32, shade: u8) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, shade])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(pixels)
        .write_with_encoder(image::codecs::png::PngEncoder::new(&mut bytes))
        .unwrap();
    bytes
}

/// The images fixture with the shipped theme and its two images: a 1600×900 map beside the
/// story and a 200×100 logo in static/.
fn site() -> TestSite {
    let site = TestSite::fixture_with_shipped_theme("parity/images");
    site.write(MAP, png(1600, 900, 40));
    site.write("static/img/logo.png", png(200, 100, 200));
    site
}

/// The pixel size of the image file at `path`.
fn size_of(path: &Path) -> (u32, u32) {
    image::image_dimensions(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_figure_has_srcset_sizes_dimensions_lazy_loading_webp_and_a_credit() {
    let site = site();
    site.build().success();
    let html = site.html(STORY);
    let one = |selector: &str, attribute: &str| {
        let found = attrs(&html, selector, attribute);
        assert_eq!(found.len(), 1, "{selector} {attribute}: {found:?}");
        found[0].clone()
    };
    let img = "figure.figure picture img";
    assert_eq!(one(img, "width"), "1600");
    assert_eq!(one(img, "height"), "900");
    assert_eq!(one(img, "loading"), "lazy");
    assert_eq!(one(img, "decoding"), "async");
    assert_eq!(
        one(img, "alt"),
        "The quay and the flooded streets behind it"
    );
    assert_eq!(one(img, "sizes"), "(min-width: 42.5rem) 40rem, 100vw");
    assert_eq!(one(img, "src"), "../img/map.png");
    let webp = r#"figure.figure picture source[type="image/webp"]"#;
    assert_eq!(one(webp, "sizes"), one(img, "sizes"));

    let png_set = entries(&one(img, "srcset"));
    let webp_set = entries(&one(webp, "srcset"));
    let widths = |set: &[(String, u32)]| set.iter().map(|e| e.1).collect::<Vec<_>>();
    assert_eq!(widths(&png_set), [480, 960, 1600]);
    assert_eq!(widths(&webp_set), [480, 960, 1600]);
    for (url, width) in png_set.iter().chain(&webp_set) {
        let file = site.output_of(STORY, url);
        let height = width * 900 / 1600;
        assert_eq!(size_of(&file), (*width, height), "{url}");
        let bytes = std::fs::read(&file).unwrap();
        let expected = if url.ends_with(".webp") {
            image::ImageFormat::WebP
        } else {
            image::ImageFormat::Png
        };
        assert_eq!(image::guess_format(&bytes).unwrap(), expected, "{url}");
    }
    assert_eq!(
        common::site::texts(&html, "figure.figure figcaption .figure-caption"),
        ["Where the water came in."]
    );
    assert_eq!(
        common::site::texts(&html, "figure.figure figcaption .figure-credit"),
        ["Map: Harbour Watch"]
    );
}

#[test]
fn markdown_images_get_their_size_and_name_the_same_file_as_a_figure() {
    let site = site();
    site.build().success();
    let html = site.html(STORY);
    let markdown = "p > img";
    assert_eq!(attrs(&html, markdown, "src"), ["../img/map.png"]);
    assert_eq!(attrs(&html, markdown, "width"), ["1600"]);
    assert_eq!(attrs(&html, markdown, "height"), ["900"]);
    assert_eq!(attrs(&html, markdown, "loading"), ["lazy"]);
    let figure = attrs(&html, "figure.figure img", "src");
    // `img/map.png` in the Markdown and in the shortcode: one file, beside the Markdown file.
    assert_eq!(
        site.output_of(STORY, &figure[0]),
        site.output_of(STORY, &attrs(&html, markdown, "src")[0])
    );
    assert_eq!(
        std::fs::read(site.output_of(STORY, &figure[0])).unwrap(),
        std::fs::read(site.path(MAP)).unwrap()
    );
    // A `/` path is the file of static/ at that address.
    let home = site.html("index.html");
    assert_eq!(attrs(&home, "p > img", "src"), ["img/logo.png"]);
    assert_eq!(attrs(&home, "p > img", "width"), ["200"]);
    assert_eq!(attrs(&home, "p > img", "height"), ["100"]);
}

#[test]
fn a_figure_without_alt_is_an_error_at_its_line() {
    let site = site();
    let story = site.read("content/reports/story.md");
    let without = story.replace("alt=\"The quay and the flooded streets behind it\", ", "");
    site.fails_with(
        &[("content/reports/story.md", &without)],
        "content/reports/story.md:11:1: error: a figure needs `alt`, a text that says what the image shows\n   |\n11 | {{ figure(src=\"img/map.png\", caption=\"Where the water came in.\", credit=\"Map: Harbour Watch\") }}\n   | ^\n  = help: write alt=\"…\" for readers who cannot see the image, or alt=\"\" if it is only decoration\n\nbuild failed: 1 error; the output folder was left as it was\n",
    );
}

#[test]
fn an_empty_alt_says_the_image_is_decoration() {
    let site = site();
    let story = site.read("content/reports/story.md");
    site.write(
        "content/reports/story.md",
        story.replace(
            "alt=\"The quay and the flooded streets behind it\"",
            "alt=\"\"",
        ),
    );
    let run = site.build().success();
    assert!(!run.stderr.contains("alt"), "{}", run.stderr);
    assert_eq!(attrs(&site.html(STORY), "figure.figure img", "alt"), [""]);
}

#[test]
fn a_figure_without_a_credit_is_an_error_at_its_line() {
    let site = site();
    let story = site.read("content/reports/story.md");
    let without = story.replace(", credit=\"Map: Harbour Watch\"", "");
    site.fails_with(
        &[("content/reports/story.md", &without)],
        "content/reports/story.md:11:1: error: a figure needs a `credit`: who made the image\n   |\n11 | {{ figure(src=\"img/map.png\", alt=\"The quay and the flooded streets behind it\", caption=\"Where the water came in.\") }}\n   | ^\n  = help: write credit=\"Photo: Jane Doe / Agency\", or credit=\"Graphic: the newsroom\" for your own\n\nbuild failed: 1 error; the output folder was left as it was\n",
    );
}

#[test]
fn a_missing_image_is_an_error_at_its_line_with_the_nearest_name() {
    let site = site();
    let story = site.read("content/reports/story.md");
    let misspelt = story.replace("img/map.png", "img/mapp.png");
    site.fails_with(
        &[("content/reports/story.md", &misspelt)],
        "content/reports/story.md:7:1: error: broken link `img/mapp.png`: there is no content/reports/img/mapp.png\n  |\n7 | ![The quay and the flooded streets behind it](img/mapp.png)\n  | ^\n  = help: did you mean `img/map.png`?\n\ncontent/reports/story.md:11:1: error: there is no image content/reports/img/mapp.png\n   |\n11 | {{ figure(src=\"img/mapp.png\", alt=\"The quay and the flooded streets behind it\", caption=\"Where the water came in.\", credit=\"Map: Harbour Watch\") }}\n   | ^\n  = help: did you mean `img/map.png`?\n\nbuild failed: 2 errors; the output folder was left as it was\n",
    );
}

#[test]
fn a_markdown_image_without_alt_text_is_a_warning() {
    let site = site();
    let story = site.read("content/reports/story.md");
    site.write(
        "content/reports/story.md",
        story.replace("![The quay and the flooded streets behind it]", "![]"),
    );
    let run = site.build().success();
    assert_eq!(
        run.stderr,
        "content/reports/story.md:7:1: warning: the image `img/map.png` has no alt text\n  |\n7 | ![](img/map.png)\n  | ^\n  = help: say what it shows: ![A map of the region](…); for a decorative image use {{ figure(src=\"…\", alt=\"\", credit=\"…\") }}\n"
    );
}

#[test]
fn a_second_build_processes_nothing_and_an_edited_image_is_processed_again() {
    let site = site();
    let run = site.build().success();
    assert!(
        run.stdout.contains(", 5 images processed (0 reused) in "),
        "{}",
        run.stdout
    );
    let first = tree(&site.public());
    let run = site.build().success();
    assert!(
        run.stdout.contains(", 0 images processed (5 reused) in "),
        "{}",
        run.stdout
    );
    assert!(tree(&site.public()) == first, "the second build differs");

    // Without the cache every copy is made again, to the same bytes.
    std::fs::remove_dir_all(site.path(".dossier-cache")).unwrap();
    let run = site.build().success();
    assert!(
        run.stdout.contains(", 5 images processed (0 reused) in "),
        "{}",
        run.stdout
    );
    assert!(
        tree(&site.public()) == first,
        "processing again changed the bytes"
    );

    // An edited image is processed again, under new names.
    let before = attrs(&site.html(STORY), "figure.figure img", "srcset");
    site.write(MAP, png(1600, 900, 90));
    let run = site.build().success();
    assert!(
        run.stdout.contains(", 5 images processed (0 reused) in "),
        "{}",
        run.stdout
    );
    let after = attrs(&site.html(STORY), "figure.figure img", "srcset");
    assert_ne!(before, after);
}

#[test]
fn an_incremental_rebuild_after_an_image_edit_equals_a_clean_build() {
    let site = site();
    let options = site.options();
    let mut cache = BuildCache::default();
    build_with_cache(&options, &mut cache, &Silent).unwrap();
    // A bigger map: new size, new copies, new srcset.
    site.write(MAP, png(2000, 1000, 90));
    let warm = build_with_cache(&options, &mut cache, &Silent).unwrap();
    assert!(cache.report().bodies_rendered >= 1, "{:?}", cache.report());
    let clean = build(&options, &Silent).unwrap();
    let files = |built: &dossier::site::Built| {
        built
            .files
            .iter()
            .map(|(name, source)| (name.to_owned(), source.read().unwrap().to_vec()))
            .collect::<Vec<_>>()
    };
    assert!(
        files(&warm) == files(&clean),
        "the warm build differs from a clean one"
    );
    let story = files(&warm)
        .into_iter()
        .find(|(name, _)| name == STORY)
        .unwrap();
    let story = String::from_utf8(story.1).unwrap();
    assert!(story.contains("width=\"2000\" height=\"1000\""), "{story}");
}

#[test]
fn a_sites_figure_template_sees_the_checked_image_and_the_image_function_works_in_templates() {
    let site = site();
    site.write(
        "templates/shortcodes/figure.html",
        "{% set logo = image(path=\"/img/logo.png\", widths=[100]) -%}\n<figure class=\"mine\" id=\"{{ id }}\"><img src=\"{{ image.url }}\" srcset=\"{{ image.srcset }}\" width=\"{{ image.width }}\" height=\"{{ image.height }}\" alt=\"{{ alt }}\"><figcaption>{{ caption }} ({{ credit }}) <img src=\"{{ logo.variants[0].url }}\" width=\"{{ logo.variants[0].width }}\" height=\"{{ logo.variants[0].height }}\" alt=\"\"></figcaption></figure>\n",
    );
    site.build().success();
    let html = site.html(STORY);
    assert_eq!(attrs(&html, "figure.mine > img", "width"), ["1600"]);
    let logo = attrs(&html, "figcaption img", "src");
    assert_eq!(attrs(&html, "figcaption img", "width"), ["100"]);
    assert_eq!(size_of(&site.output_of(STORY, &logo[0])), (100, 50));
}

#[test]
fn the_image_pages_are_valid_html() {
    let site = site();
    site.build().success();
    let Some(jar) = common::a11y::vnu_or_skip() else {
        return;
    };
    common::a11y::check_vnu(&jar, &site.public()).unwrap();
    let Some(browser) = common::a11y::browser_or_skip() else {
        return;
    };
    common::a11y::check_axe_pages(&browser, &site.public(), &[STORY, "index.html"]).unwrap();
}

#[test]
fn a_jpeg_figure_gets_jpeg_copies_and_a_markdown_caption() {
    let site = site();
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(1200, 800, |x, y| {
        image::Rgb([(x % 200) as u8, (y % 180) as u8, 60])
    }))
    .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
        &mut jpeg, 80,
    ))
    .unwrap();
    site.write("content/reports/img/quay.jpg", jpeg);
    site.write(
        "content/reports/quay.md",
        "---\ntitle: \"The quay\"\n---\n{% figure(src=\"img/quay.jpg\", alt=\"The quay at high tide\",\n           credit=\"Photo: Jane Doe / Agency\") %}\nThe quay on *12 March*.\n{% end %}\n\nSee [the story](@/reports/story.md).\n",
    );
    site.build().success();
    let page = "reports/quay/index.html";
    let html = site.html(page);
    // Beside a JPEG: AVIF copies (a lossless WebP of a photo outweighs its JPEG).
    assert_eq!(attrs(&html, "figure.figure source", "type"), ["image/avif"]);
    assert_eq!(attrs(&html, "figure.figure img", "width"), ["1200"]);
    assert_eq!(attrs(&html, "figure.figure img", "height"), ["800"]);
    let set = entries(&attrs(&html, "figure.figure img", "srcset")[0]);
    assert_eq!(
        set.iter().map(|e| e.1).collect::<Vec<_>>(),
        [480, 960, 1200]
    );
    let (small, _) = &set[0];
    assert!(small.ends_with("-480.jpg"), "{small}");
    assert_eq!(size_of(&site.output_of(page, small)), (480, 320));
    assert_eq!(
        common::site::texts(&html, ".figure-caption em"),
        ["12 March"]
    );
}

#[test]
fn watch_rebuilds_the_pages_that_show_an_edited_image() {
    let site = site();
    let watcher = common::serve::Dossier::watch(site.root());
    let before = attrs(&site.html(STORY), "figure.figure img", "srcset");
    site.write(MAP, png(1200, 600, 120));
    watcher.wait_for_rebuilds(1);
    let html = site.html(STORY);
    assert_eq!(attrs(&html, "figure.figure img", "width"), ["1200"]);
    assert_eq!(attrs(&html, "p > img", "height"), ["600"]);
    let after = attrs(&html, "figure.figure img", "srcset");
    assert_ne!(before, after);
    for (url, width) in entries(&after[0]) {
        assert_eq!(size_of(&site.output_of(STORY, &url)).0, width, "{url}");
    }
}

#[test]
fn the_shipped_person_template_shows_a_credited_portrait() {
    let site = site();
    site.write(
        "content/participants/_index.md",
        "---\ntitle: \"People\"\n---\nWho is who: [Amy](@/participants/amy/index.md).\n",
    );
    let amy = "---\ntitle: \"Amy Ng\"\ntemplate: person.html\nextra:\n  role: \"Harbour master\"\n  photo: \"amy.png\"\n  photo_credit: \"Photo: Harbour Watch\"\n---\nAmy runs the harbour. [Home](@/_index.md).\n";
    site.write("content/participants/amy/index.md", amy);
    site.write("content/participants/amy/amy.png", png(600, 800, 10));
    site.build().success();
    let page = "participants/amy/index.html";
    let html = site.html(page);
    assert_eq!(attrs(&html, "figure.portrait img", "width"), ["600"]);
    assert_eq!(attrs(&html, "figure.portrait img", "height"), ["800"]);
    let webp = attrs(
        &html,
        r#"figure.portrait source[type="image/webp"]"#,
        "srcset",
    );
    let set = entries(&webp[0]);
    assert_eq!(set.iter().map(|e| e.1).collect::<Vec<_>>(), [160, 320, 600]);
    assert_eq!(size_of(&site.output_of(page, &set[0].0)), (160, 213));
    assert_eq!(
        common::site::texts(&html, "figure.portrait figcaption"),
        ["Photo: Harbour Watch"]
    );
    if let Some(jar) = common::a11y::vnu_or_skip() {
        common::a11y::check_vnu(&jar, &site.public()).unwrap();
    }

    // A photo without a credit is an error at the page's `photo:` line.
    site.fails_with(
        &[(
            "content/participants/amy/index.md",
            &amy.replace("  photo_credit: \"Photo: Harbour Watch\"\n", ""),
        )],
        "content/participants/amy/index.md:6:3: error: the portrait `extra.photo` has no credit\n  |\n6 |   photo: \"amy.png\"\n  |   ^\n  = help: add `photo_credit: \"Photo: Jane Doe / Agency\"` under `extra:`, who took the photo\n\nbuild failed: 1 error; the output folder was left as it was\n",
    );
}

#[test]
fn nothing_else_may_write_into_the_folder_of_processed_images() {
    let site = site();
    site.fails_with(
        &[("static/processed_images/map.png", "not mine")],
        "static/processed_images/map.png: error: the copied file static/processed_images/map.png would write `processed_images/map.png`, inside `processed_images/`, where dossier writes the processed copies of images\n  = help: move it out of a folder named `processed_images`\n\nbuild failed: 1 error; the output folder was left as it was\n",
    );
}
