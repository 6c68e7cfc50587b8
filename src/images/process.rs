//! Reading and making images with the pure-Rust `image` crate: the facts of an original (size,
//! encoding, a hash of its bytes) and the processed copies a build asked for, made in parallel
//! and kept in `.dossier-cache/images/` under a hash of the original's bytes and the copy's
//! parameters, so a copy is made once and then reused by every later build.
//!
//! Resizing is Lanczos3 on the decoded pixels and encoding is the crate's own (PNG, JPEG at a
//! fixed quality, lossless WebP): the same original always gives the same bytes.

use super::{Facts, Format, Variant};
use crate::paths::identity::{self, FileId};
use crate::paths::{OutputPath, CACHE_DIR};
use image::{DynamicImage, ImageFormat, ImageReader};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

/// Bump when the processing changes, so cached copies are made again.
const PROCESSING_VERSION: &str = "images-1";
/// The JPEG quality of resized JPEG copies.
const JPEG_QUALITY: u8 = 82;

/// The size, encoding and hash of the image at `source`.
/// The file read is the one the walk checked (`walked`), or nothing is read.
pub fn read_facts(source: &Path, walked: Option<FileId>) -> Result<Facts, String> {
    let bytes = identity::read_walked(source, walked).map_err(|e| e.to_string())?;
    let reader = ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let format = match reader.format() {
        Some(ImageFormat::Png) => Format::Png,
        Some(ImageFormat::Jpeg) => Format::Jpeg,
        Some(ImageFormat::WebP) => Format::Webp,
        _ => return Err("it is not a PNG, JPEG or WebP file".to_owned()),
    };
    let (width, height) = reader.into_dimensions().map_err(|e| e.to_string())?;
    Ok(Facts {
        width,
        height,
        format,
        hash: xxh3_64(&bytes),
    })
}

/// What [`produce`] made.
#[derive(Debug, Default)]
pub struct Produced {
    /// Each copy's output file and bytes.
    pub files: Vec<(OutputPath, Arc<[u8]>)>,
    /// Copies made now (the others came from the cache).
    pub processed: usize,
    pub reused: usize,
    /// Originals that could not be processed: (where the original is, why).
    pub failures: Vec<(PathBuf, String)>,
}

/// Makes every copy of `variants`, reading and filling the cache of the site at `root`. Each
/// original is decoded at most once, and originals are processed in parallel.
pub fn produce(root: &Path, variants: impl IntoIterator<Item = Variant>) -> Produced {
    let cache_dir = root.join(CACHE_DIR).join("images");
    let mut by_source: BTreeMap<PathBuf, Vec<Variant>> = BTreeMap::new();
    for variant in variants {
        by_source
            .entry(variant.source.clone())
            .or_default()
            .push(variant);
    }
    let results: Vec<_> = by_source
        .into_par_iter()
        .map(|(source, variants)| (source.clone(), copies_of(&source, &variants, &cache_dir)))
        .collect();
    let mut produced = Produced::default();
    for (source, result) in results {
        match result {
            Ok(copies) => {
                for (output, bytes, made) in copies {
                    if made {
                        produced.processed += 1;
                    } else {
                        produced.reused += 1;
                    }
                    produced.files.push((output, bytes));
                }
            }
            Err(why) => produced.failures.push((source, why)),
        }
    }
    produced
}

/// One processed copy: its output file, its bytes, and whether it was made now.
type MadeCopy = (OutputPath, Arc<[u8]>, bool);

/// The copies of one original.
fn copies_of(
    source: &Path,
    variants: &[Variant],
    cache_dir: &Path,
) -> Result<Vec<MadeCopy>, String> {
    let mut decoded: Option<DynamicImage> = None;
    let mut copies = Vec::with_capacity(variants.len());
    for variant in variants {
        let cached = cache_dir.join(cache_name(variant));
        if let Ok(bytes) = std::fs::read(&cached) {
            copies.push((variant.output.clone(), bytes.into(), false));
            continue;
        }
        let image = match &mut decoded {
            Some(image) => image,
            None => decoded.insert(decode(source, variant.hash)?),
        };
        let bytes = encode(image, variant)?;
        // A cache that cannot be written only costs processing the copy again next time.
        let _ = std::fs::create_dir_all(cache_dir).and_then(|()| std::fs::write(&cached, &bytes));
        copies.push((variant.output.clone(), bytes.into(), true));
    }
    Ok(copies)
}

/// The cache file of a copy: a hash of everything the copy's bytes depend on.
fn cache_name(variant: &Variant) -> String {
    let key = format!(
        "{PROCESSING_VERSION}\n{:016x}\n{}x{}\n{:?}",
        variant.hash, variant.width, variant.height, variant.format
    );
    format!(
        "{:032x}.{}",
        xxh3_128(key.as_bytes()),
        variant.format.extension()
    )
}

fn decode(source: &Path, hash: u64) -> Result<DynamicImage, String> {
    let bytes = std::fs::read(source).map_err(|e| e.to_string())?;
    if xxh3_64(&bytes) != hash {
        return Err("it changed during the build; build again".to_owned());
    }
    ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .decode()
        .map_err(|e| e.to_string())
}

/// `image` resized to the copy's size and encoded in its format.
fn encode(image: &DynamicImage, variant: &Variant) -> Result<Vec<u8>, String> {
    let resized = if image.width() == variant.width {
        image.clone()
    } else {
        image.resize_exact(
            variant.width,
            variant.height,
            image::imageops::FilterType::Lanczos3,
        )
    };
    let mut bytes = Vec::new();
    let written = match variant.format {
        Format::Png => resized.write_with_encoder(image::codecs::png::PngEncoder::new(&mut bytes)),
        Format::Jpeg => DynamicImage::ImageRgb8(resized.to_rgb8()).write_with_encoder(
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY),
        ),
        Format::Webp => {
            let pixels = if resized.color().has_alpha() {
                DynamicImage::ImageRgba8(resized.to_rgba8())
            } else {
                DynamicImage::ImageRgb8(resized.to_rgb8())
            };
            pixels.write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut bytes))
        }
    };
    written.map_err(|e| e.to_string())?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x * 7 % 256) as u8, (y * 5 % 256) as u8, 90])
        });
        let mut bytes = Vec::new();
        DynamicImage::ImageRgb8(image)
            .write_with_encoder(image::codecs::png::PngEncoder::new(&mut bytes))
            .unwrap();
        bytes
    }

    #[test]
    fn copies_are_made_once_then_reused_and_are_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("map.png");
        std::fs::write(&source, png(64, 32)).unwrap();
        let facts = read_facts(&source, None).unwrap();
        assert_eq!(
            (facts.width, facts.height, facts.format),
            (64, 32, Format::Png)
        );
        let variants = [Format::Png, Format::Webp].map(|format| Variant {
            output: OutputPath::known(&format!("x.{}", format.extension())),
            source: source.clone(),
            hash: facts.hash,
            width: 16,
            height: 8,
            format,
        });
        let first = produce(dir.path(), variants.clone());
        assert_eq!((first.processed, first.reused), (2, 0));
        let second = produce(dir.path(), variants);
        assert_eq!((second.processed, second.reused), (0, 2));
        assert_eq!(first.files, second.files);
        let webp = &second.files[1].1;
        let copy = image::load_from_memory(webp).unwrap();
        assert_eq!((copy.width(), copy.height()), (16, 8));
    }

    #[test]
    fn a_file_that_is_not_an_image_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("x.png");
        std::fs::write(&source, "not an image").unwrap();
        assert_eq!(
            read_facts(&source, None).unwrap_err(),
            "it is not a PNG, JPEG or WebP file"
        );
    }
}
