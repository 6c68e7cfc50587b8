//! Images: the catalog of every PNG, JPEG and WebP file a build copies (from `content/` and
//! `static/`), what pages ask of them, and the processed copies made for them.
//!
//! A page names an image by the rule of [`crate::paths::reference`]. [`ImageCatalog::picture`]
//! answers with the image's size and, for the widths asked, the URLs of resized copies (in its
//! own format, in lossless WebP beside a PNG and in lossy AVIF beside a JPEG) for `srcset`. Asking registers the copies; once every
//! page is rendered, [`process::produce`] makes the registered copies in parallel, reading and
//! filling `.dossier-cache/images/` so that an unchanged image is never processed twice.
//!
//! An image's bytes are read (and hashed) only when a page asks for it, once per build. The
//! catalog is made afresh by every build, and what it answers is traced like every template
//! function, so an edited image re-renders exactly the pages that show it.

pub mod process;

use crate::error::nearest;
use crate::paths::identity::FileId;
use crate::paths::reference::{file_reference, processed_image, FileReference};
use crate::paths::OutputPath;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// The file extensions read as images.
const EXTENSIONS: [&str; 4] = ["png", "jpg", "jpeg", "webp"];

/// Widths made when a figure asks for none: enough for phones, the text column and 2× screens.
pub const DEFAULT_WIDTHS: [u32; 3] = [480, 960, 1600];

/// The encodings dossier reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Png,
    Jpeg,
    Webp,
    /// Written only (copies of JPEG originals), never read.
    Avif,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpg",
            Format::Webp => "webp",
            Format::Avif => "avif",
        }
    }

    /// The MIME type, for `<source type=…>`.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Webp => "image/webp",
            Format::Avif => "image/avif",
        }
    }
}

/// What reading an image tells: its size, its encoding and a hash of its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub hash: u64,
}

/// One copied image file.
#[derive(Debug)]
struct ImageFile {
    source: PathBuf,
    /// The identity the walk checked, compared when the file is read.
    walked: Option<FileId>,
    /// How it is named in messages (`content/img/map.png`).
    shown: String,
    facts: OnceLock<Result<Facts, String>>,
}

/// A processed copy to make: `source` at `width` in `format`, written to `output`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Variant {
    pub output: OutputPath,
    pub source: PathBuf,
    pub hash: u64,
    pub width: u32,
    pub height: u32,
    pub format: Format,
}

/// One image as templates see it (`image(…)`, and `image` in a `figure` template).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Picture {
    /// The original's URL (site-root).
    pub url: String,
    pub width: u32,
    pub height: u32,
    /// The original's encoding: `png`, `jpeg` or `webp`.
    pub format: Format,
    /// The copies in the original's encoding, and the original itself, as a `srcset` value.
    pub srcset: String,
    /// The WebP copies as a `srcset` value, when WebP copies are made (for PNG originals).
    pub webp_srcset: Option<String>,
    /// The AVIF copies as a `srcset` value, when AVIF copies are made (for JPEG originals).
    pub avif_srcset: Option<String>,
    /// Every copy, narrowest first.
    pub variants: Vec<VariantListing>,
}

/// One processed copy, as templates see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VariantListing {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub format: Format,
}

/// How a page names an image, for hints.
pub const RULE: &str = "a relative path starts at the Markdown file's folder in content/; a path starting with `/` is a file of static/ or content/ by its site address";

/// Why an image named on a page cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFound {
    pub message: String,
    pub hint: String,
}

/// Every image of the site, by the output file it is copied to.
#[derive(Debug, Default)]
pub struct ImageCatalog {
    files: BTreeMap<OutputPath, ImageFile>,
    /// Copies asked for during this build.
    requested: Mutex<BTreeSet<Variant>>,
}

impl ImageCatalog {
    /// The catalog of the copied files (`content/` first, then `static/`), by their output path.
    /// `shown` names each in messages.
    /// `walked` is the identity the walk recorded, so a file swapped since is not read.
    pub fn new<'a>(
        copied: impl IntoIterator<Item = (&'a OutputPath, PathBuf, Option<FileId>, String)>,
    ) -> Self {
        let files = copied
            .into_iter()
            .filter(|(output, ..)| is_image(output))
            .map(|(output, source, walked, shown)| {
                let file = ImageFile {
                    source,
                    walked,
                    shown,
                    facts: OnceLock::new(),
                };
                (output.clone(), file)
            })
            .collect();
        ImageCatalog {
            files,
            requested: Mutex::default(),
        }
    }

    /// The image `written` names on a page whose folder under `content/` is `page_dir`, with its
    /// facts; or what is wrong, with a hint (a did-you-mean when a name is close).
    pub fn find(&self, page_dir: &str, written: &str) -> Result<(OutputPath, Facts), NotFound> {
        let reference = file_reference(page_dir, written).ok_or_else(|| NotFound {
            message: format!("`{written}` points outside content/"),
            hint: RULE.to_owned(),
        })?;
        let found = reference
            .output()
            .and_then(|output| self.files.get_key_value(&output));
        let Some((output, file)) = found else {
            return Err(self.missing(page_dir, written, &reference));
        };
        let facts = file
            .facts
            .get_or_init(|| process::read_facts(&file.source, file.walked));
        match facts {
            Ok(facts) => Ok((output.clone(), *facts)),
            Err(why) => Err(NotFound {
                message: format!("{} cannot be read as an image: {why}", file.shown),
                hint: "save it again as a PNG, JPEG or WebP file".to_owned(),
            }),
        }
    }

    fn missing(&self, page_dir: &str, written: &str, reference: &FileReference) -> NotFound {
        // Candidates written as this page would write them: relative below its folder, else
        // from the site root.
        let prefix = if page_dir.is_empty() {
            String::new()
        } else {
            format!("{page_dir}/")
        };
        let candidates: Vec<String> = self
            .files
            .iter()
            .map(|(output, file)| {
                let relative = file
                    .shown
                    .strip_prefix("content/")
                    .and_then(|p| p.strip_prefix(prefix.as_str()));
                match relative {
                    Some(relative) if !written.starts_with('/') => relative.to_owned(),
                    _ => format!("/{output}"),
                }
            })
            .collect();
        let hint = match nearest(written, candidates.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => RULE.to_owned(),
        };
        NotFound {
            message: format!("there is no image {}", reference.shown()),
            hint,
        }
    }

    /// The picture of an image found by [`Self::find`], with copies at each of `widths` narrower
    /// than the original (never wider: nothing is enlarged), and AVIF and WebP copies beside it
    /// (see [`modern_formats`]). No widths, no copies. Asking registers the copies.
    pub fn picture(&self, output: &OutputPath, facts: &Facts, widths: &[u32]) -> Picture {
        let Some(file) = self.files.get(output).filter(|_| !widths.is_empty()) else {
            return original_only(output, facts);
        };
        let mut widths: Vec<u32> = widths
            .iter()
            .copied()
            .filter(|&w| w > 0 && w < facts.width)
            .collect();
        widths.sort_unstable();
        widths.dedup();
        let variant = |width: u32, format: Format| Variant {
            output: processed_image(output, facts.hash, width, format.extension()),
            source: file.source.clone(),
            hash: facts.hash,
            width,
            height: height_at(facts, width),
            format,
        };
        let mut made: Vec<Variant> = widths.iter().map(|&w| variant(w, facts.format)).collect();
        // Every width and the original's own, in each modern format the original gets.
        let modern = modern_formats(facts.format);
        for &format in &modern {
            let all = widths.iter().copied().chain([facts.width]);
            made.extend(all.map(|w| variant(w, format)));
        }
        let url = output.url().to_string();
        let mut srcset = srcset_of(&made, facts.format);
        srcset.push(format!("{url} {}w", facts.width));
        let made_in = |format: Format| {
            (modern.contains(&format)).then(|| srcset_of(&made, format).join(", "))
        };
        let (webp_srcset, avif_srcset) = (made_in(Format::Webp), made_in(Format::Avif));
        let variants = made
            .iter()
            .map(|v| VariantListing {
                url: v.output.url().to_string(),
                width: v.width,
                height: v.height,
                format: v.format,
            })
            .collect();
        if let Ok(mut requested) = self.requested.lock() {
            requested.extend(made);
        }
        Picture {
            url,
            width: facts.width,
            height: facts.height,
            format: facts.format,
            srcset: srcset.join(", "),
            webp_srcset,
            avif_srcset,
            variants,
        }
    }

    /// Every copy asked for so far in this build.
    pub fn requested(&self) -> BTreeSet<Variant> {
        self.requested.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

fn original_only(output: &OutputPath, facts: &Facts) -> Picture {
    let url = output.url().to_string();
    Picture {
        srcset: format!("{url} {}w", facts.width),
        url,
        width: facts.width,
        height: facts.height,
        format: facts.format,
        webp_srcset: None,
        avif_srcset: None,
        variants: Vec::new(),
    }
}

/// The encodings made beside an original's own. A JPEG is a photo: lossy AVIF, about half its
/// bytes (a lossless WebP would outweigh it). A PNG is a chart, a map or a screenshot, whose
/// sharp edges and text lossy AVIF would blur: lossless WebP, smaller than the PNG. A WebP
/// original is modern already.
fn modern_formats(original: Format) -> Vec<Format> {
    match original {
        Format::Png => vec![Format::Webp],
        Format::Jpeg => vec![Format::Avif],
        Format::Webp | Format::Avif => Vec::new(),
    }
}

/// The `srcset` entries of the copies in `format`, narrowest first.
fn srcset_of(made: &[Variant], format: Format) -> Vec<String> {
    made.iter()
        .filter(|v| v.format == format)
        .map(|v| format!("{} {}w", v.output.url(), v.width))
        .collect()
}

/// The height of `facts`' image scaled to `width`, rounded, at least 1.
fn height_at(facts: &Facts, width: u32) -> u32 {
    let scaled = (u64::from(facts.height) * u64::from(width) + u64::from(facts.width) / 2)
        / u64::from(facts.width.max(1));
    u32::try_from(scaled.max(1)).unwrap_or(u32::MAX)
}

/// Whether the file's extension is one of the images dossier processes.
pub fn is_image(path: &str) -> bool {
    path.rsplit_once('.').is_some_and(|(_, ext)| {
        EXTENSIONS
            .iter()
            .any(|known| ext.eq_ignore_ascii_case(known))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heights_keep_the_aspect_ratio() {
        let facts = Facts {
            width: 1600,
            height: 900,
            format: Format::Png,
            hash: 1,
        };
        assert_eq!(height_at(&facts, 480), 270);
        assert_eq!(height_at(&facts, 1), 1);
    }

    fn catalog(dir: &std::path::Path) -> (ImageCatalog, OutputPath) {
        let source = dir.join("map.png");
        let pixels = image::RgbImage::from_pixel(800, 400, image::Rgb([10, 20, 30]));
        pixels.save(&source).unwrap();
        let output = OutputPath::known("reports/img/map.png");
        let shown = "content/reports/img/map.png".to_owned();
        let walked = FileId::of(&std::fs::metadata(&source).unwrap());
        (
            ImageCatalog::new([(&output, source, walked, shown)]),
            output,
        )
    }

    #[test]
    fn a_picture_has_copies_narrower_than_the_original_and_webp_beside_a_png() {
        let dir = tempfile::tempdir().unwrap();
        let (catalog, output) = catalog(dir.path());
        let (found, facts) = catalog.find("reports", "img/map.png").unwrap();
        assert_eq!(found, output);
        assert_eq!((facts.width, facts.height), (800, 400));
        assert_eq!(catalog.find("", "/reports/img/map.png").unwrap().0, output);
        let picture = catalog.picture(&output, &facts, &[3000, 400, 400]);
        let hash = format!("{:016x}", facts.hash);
        assert_eq!(
            picture.srcset,
            format!("/processed_images/map-{hash}-400.png 400w, /reports/img/map.png 800w")
        );
        assert_eq!(
            picture.webp_srcset.unwrap(),
            format!("/processed_images/map-{hash}-400.webp 400w, /processed_images/map-{hash}-800.webp 800w")
        );
        assert!(picture.avif_srcset.is_none());
        assert_eq!(catalog.requested().len(), 3);
    }

    #[cfg(unix)]
    #[test]
    fn an_image_swapped_for_a_symlink_after_the_walk_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let (catalog, _) = catalog(dir.path());
        let outside = dir.path().join("outside.png");
        let secret = image::RgbImage::from_pixel(1200, 30, image::Rgb([1, 2, 3]));
        secret.save(&outside).unwrap();
        let source = dir.path().join("map.png");
        std::fs::remove_file(&source).unwrap();
        std::os::unix::fs::symlink(&outside, &source).unwrap();
        let refused = catalog.find("reports", "img/map.png").unwrap_err();
        assert_eq!(
            refused.message,
            format!(
                "content/reports/img/map.png cannot be read as an image: {}",
                crate::paths::identity::CHANGED
            )
        );
    }

    #[test]
    fn no_widths_no_copies() {
        let dir = tempfile::tempdir().unwrap();
        let (catalog, output) = catalog(dir.path());
        let (_, facts) = catalog.find("reports", "img/map.png").unwrap();
        let picture = catalog.picture(&output, &facts, &[]);
        assert_eq!(picture.srcset, "/reports/img/map.png 800w");
        assert!(picture.variants.is_empty() && picture.webp_srcset.is_none());
        assert!(picture.avif_srcset.is_none());
        assert!(catalog.requested().is_empty());
    }

    #[test]
    fn a_missing_image_suggests_the_nearest_as_the_page_would_write_it() {
        let dir = tempfile::tempdir().unwrap();
        let (catalog, _) = catalog(dir.path());
        let missing = catalog.find("reports", "img/mapp.png").unwrap_err();
        assert_eq!(
            missing.message,
            "there is no image content/reports/img/mapp.png"
        );
        assert_eq!(missing.hint, "did you mean `img/map.png`?");
        let missing = catalog.find("", "/img/map.png").unwrap_err();
        assert_eq!(missing.hint, "did you mean `/reports/img/map.png`?");
    }

    #[test]
    fn extensions() {
        assert!(is_image("a/b.PNG"));
        assert!(is_image("x.jpeg"));
        assert!(!is_image("x.svg"));
        assert!(!is_image("png"));
    }
}
