//! Reading and making images with the pure-Rust `image` crate: the facts of an original (size,
//! encoding, a hash of its bytes) and the processed copies a build asked for, made in parallel
//! and kept in `.dossier-cache/images/` under a hash of the original's bytes and the copy's
//! parameters, so a copy is made once and then reused by every later build. The copies no page
//! asks for any more are then removed from the cache (only files named as dossier names them).
//!
//! Resizing is Lanczos3 on the decoded pixels and encoding is the crate's own (PNG, JPEG at a
//! fixed quality, lossless WebP, and AVIF through `ravif`/`rav1e`, pure Rust, at a fixed speed
//! and quality on one thread): the same original always gives the same bytes.

use super::{Facts, Format, Variant};
use crate::paths::identity::{self, FileId};
use crate::paths::{OutputPath, CACHE_DIR};
use image::codecs::avif::AvifEncoder;
use image::{DynamicImage, ImageFormat, ImageReader};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

/// Bump when the processing changes, so cached copies are made again.
const PROCESSING_VERSION: &str = "images-1";
/// The JPEG quality of resized JPEG copies.
const JPEG_QUALITY: u8 = 82;
/// The quality of AVIF copies (1–100): about what [`JPEG_QUALITY`] shows, in far fewer bytes.
const AVIF_QUALITY: u8 = 70;
/// The speed of the AVIF encoder (1 slowest – 10 fastest): the slower settings take several
/// times as long for a few per cent fewer bytes. Even copies made once and then cached are paid
/// on every clean build (and every test), so the fastest.
const AVIF_SPEED: u8 = 10;

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
    /// Cached copies removed because this build used them no more.
    pub pruned: usize,
}

/// Makes every copy of `variants`, reading and filling the cache of the site at `root`. Each
/// original is decoded at most once, and originals are processed in parallel.
pub fn produce(root: &Path, variants: impl IntoIterator<Item = Variant>) -> Produced {
    let cache_dir = root.join(CACHE_DIR).join("images");
    let mut by_source: BTreeMap<PathBuf, Vec<Variant>> = BTreeMap::new();
    let mut used = HashSet::new();
    for variant in variants {
        used.insert(cache_name(&variant));
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
    // An original that failed keeps its copies: it may be fixed by the next build.
    if produced.failures.is_empty() {
        produced.pruned = prune(&cache_dir, &used);
    }
    produced
}

/// Removes from `cache_dir` every copy dossier made (a name as [`cache_name`] makes them) that
/// is not in `used`; anything else there is left alone. Returns how many were removed.
pub fn prune(cache_dir: &Path, used: &HashSet<String>) -> usize {
    let Ok(entries) = std::fs::read_dir(cache_dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && is_cache_name(name) && !used.contains(name) {
            // One that cannot be removed is only kept until a later build tries again.
            if std::fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
    }
    removed
}

/// Whether `name` is one [`cache_name`] makes: 32 lowercase hex digits and a copy's extension.
fn is_cache_name(name: &str) -> bool {
    let Some((hash, extension)) = name.split_once('.') else {
        return false;
    };
    let formats = [Format::Png, Format::Jpeg, Format::Webp, Format::Avif];
    hash.len() == 32
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && formats.iter().any(|f| f.extension() == extension)
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
        Format::Webp => eight_bit(&resized)
            .write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut bytes)),
        Format::Avif => {
            // One thread: the same bytes on every machine, and originals run in parallel.
            let encoder = AvifEncoder::new_with_speed_quality(&mut bytes, AVIF_SPEED, AVIF_QUALITY)
                .with_num_threads(Some(1));
            eight_bit(&resized).write_with_encoder(encoder)
        }
    };
    written.map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// `image` as 8-bit RGB, or RGBA when it has an alpha channel: what the WebP and AVIF encoders
/// take.
fn eight_bit(image: &DynamicImage) -> DynamicImage {
    if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.to_rgb8())
    }
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
    fn copies_no_build_uses_are_pruned_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join(CACHE_DIR).join("images");
        std::fs::create_dir_all(&cache).unwrap();
        let ours = |n: u8, ext: &str| format!("{}.{ext}", format!("{n:x}").repeat(32));
        for name in [ours(1, "png"), ours(2, "avif"), ours(3, "webp")] {
            std::fs::write(cache.join(name), "copy").unwrap();
        }
        let others = [
            "notes.txt",
            "ABCDEF0123456789ABCDEF0123456789.png",
            "1111.png",
        ];
        for name in others {
            std::fs::write(cache.join(name), "mine").unwrap();
        }
        std::fs::create_dir(cache.join(ours(4, "jpg"))).unwrap();
        let used: HashSet<String> = [ours(2, "avif")].into_iter().collect();
        assert_eq!(prune(&cache, &used), 2);
        let mut left: Vec<String> = std::fs::read_dir(&cache)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        let mut expected: Vec<String> = others.iter().map(|s| (*s).to_owned()).collect();
        expected.extend([ours(2, "avif"), ours(4, "jpg")]);
        expected.sort();
        assert_eq!(left, expected);
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
