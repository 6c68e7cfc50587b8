//! A file that is named like an image but cannot be read as one (a damaged or mislabelled
//! file) is an error at every line that shows it, in Markdown and in a `figure`, and the
//! previous output is left as it was.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::TestSite;

/// A 400×200 PNG.
fn png() -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(400, 200, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, 90])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(pixels)
        .write_with_encoder(image::codecs::png::PngEncoder::new(&mut bytes))
        .unwrap();
    bytes
}

#[test]
fn an_image_that_cannot_be_read_is_an_error_at_each_line_that_shows_it() {
    let site = TestSite::fixture_with_shipped_theme("parity/images");
    site.write("content/reports/img/map.png", png());
    site.write("static/img/logo.png", png());
    let mut damaged = png();
    damaged.truncate(40);
    site.build().success();
    let before = common::site::tree(&site.public());
    site.write("content/reports/img/map.png", damaged);
    let run = site.build().user_error();
    assert_eq!(
        run.stderr,
        "content/reports/story.md:7:1: error: content/reports/img/map.png cannot be read as an image: unexpected end of file\n  |\n7 | ![The quay and the flooded streets behind it](img/map.png)\n  | ^\n  = help: save it again as a PNG, JPEG or WebP file\n\n\
         content/reports/story.md:11:1: error: content/reports/img/map.png cannot be read as an image: unexpected end of file\n   |\n11 | {{ figure(src=\"img/map.png\", alt=\"The quay and the flooded streets behind it\", caption=\"Where the water came in.\", credit=\"Map: Harbour Watch\") }}\n   | ^\n  = help: save it again as a PNG, JPEG or WebP file\n\n\
         build failed: 2 errors; the output folder was left as it was\n",
        "stderr was:\n{}",
        run.stderr
    );
    assert_eq!(
        common::site::tree(&site.public()),
        before,
        "the output changed"
    );
}
