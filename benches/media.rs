//! Media benchmark: what the caches of processed images and share cards save. A generated site
//! (the shipped theme, four pages of figures with alt text and credits, twelve 1600×900 photos,
//! half JPEG and half PNG, share cards on) is built cold (`.dossier-cache/images` and
//! `.dossier-cache/cards` removed), warm (caches kept, nothing changed) and with one photo
//! changed, each timed as `site::build` plus writing the output. The work counts come from the
//! build's own `Stats` and its output. Run with `cargo bench --bench media`; the figures go into
//! BENCHMARKS.md.

// A benchmark/tool program: a failure should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)]
#[path = "support/generate.rs"]
mod generate;

use dossier::output::write_site;
use dossier::paths::{CACHE_DIR, SHARE_CARD_FILE};
use dossier::site::{build, BuildOptions, Silent};
use generate::copy_dir;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

/// How big the generated site is.
struct Size {
    photos: usize,
    width: u32,
    height: u32,
    pages: usize,
}

/// One timed build and the work it did.
struct Measured {
    time: Duration,
    /// CPU time the process spent (user + system), less sensitive to a busy machine than wall time.
    cpu: Option<Duration>,
    images_processed: usize,
    images_reused: usize,
    cards_drawn: usize,
    cards_reused: usize,
}

/// A photo-like image: soft gradients with a little deterministic grain, so that encoders have
/// real work to do. `seed` changes every pixel.
fn photo(width: u32, height: u32, seed: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        let mut h = x
            .wrapping_mul(374_761_393)
            .wrapping_add(y.wrapping_mul(668_265_263))
            .wrapping_add(seed.wrapping_mul(2_246_822_519));
        h = (h ^ (h >> 13)).wrapping_mul(1_274_126_177);
        let grain = (h >> 28) as u8; // 0..16
        let shade = |v: u32| (v % 240) as u8 + grain;
        image::Rgb([
            shade(x / 7 + seed * 31),
            shade(y / 4 + seed * 17),
            shade((x + y) / 11),
        ])
    })
}

fn write_photo(root: &Path, index: usize, size: &Size, seed: u32) {
    let image = image::DynamicImage::ImageRgb8(photo(size.width, size.height, seed));
    let mut bytes = Vec::new();
    if index % 2 == 0 {
        image
            .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
                &mut bytes, 85,
            ))
            .unwrap();
    } else {
        image
            .write_with_encoder(image::codecs::png::PngEncoder::new(&mut bytes))
            .unwrap();
    }
    fs::write(root.join(photo_path(index)), bytes).unwrap();
}

fn photo_name(index: usize) -> String {
    let ext = if index % 2 == 0 { "jpg" } else { "png" };
    format!("photo-{index:02}.{ext}")
}

fn photo_path(index: usize) -> String {
    format!("content/photos/img/{}", photo_name(index))
}

/// Writes the site: the shipped theme, a home page, a section of `size.pages` pages sharing
/// the photos among them as figures.
fn generate(root: &Path, size: &Size) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["templates", "static"] {
        copy_dir(&repo.join(part), &root.join(part));
    }
    fs::create_dir_all(root.join("content/photos/img")).unwrap();
    fs::write(
        root.join("site.yaml"),
        "title: \"Harbour Watch\"\ndescription: \"An explainer about the harbour, in photos.\"\nlanguage: en\nshare_cards: true\n",
    )
    .unwrap();
    let mut home = String::from("---\ntitle: \"Harbour Watch\"\ndescription: \"The flood, in photos.\"\n---\nThe photo pages:\n\n");
    for page in 0..size.pages {
        writeln!(home, "- [Photos, part {page}](@/photos/p{page}.md)").unwrap();
    }
    fs::write(root.join("content/_index.md"), home).unwrap();
    fs::write(
        root.join("content/photos/_index.md"),
        "---\ntitle: \"Photos\"\ndescription: \"Every photo of the flood.\"\n---\nThe photo pages.\n",
    )
    .unwrap();
    for page in 0..size.pages {
        let mut text = format!(
            "---\ntitle: \"Photos, part {page}\"\ndescription: \"Part {page} of the photos of the flood.\"\n---\n"
        );
        for index in (page..size.photos).step_by(size.pages) {
            write!(
                text,
                "Paragraph before photo {index}, saying what it shows and why it matters.\n\n\
                 {{{{ figure(src=\"img/{}\", alt=\"The quay at high tide, view {index}\", \
                 caption=\"The water at the quay, view {index}.\", credit=\"Photo: Jane Doe / Agency\") }}}}\n\n",
                photo_name(index)
            )
            .unwrap();
        }
        fs::write(root.join(format!("content/photos/p{page}.md")), text).unwrap();
    }
    for index in 0..size.photos {
        write_photo(root, index, size, index as u32);
    }
}

/// Builds the site and writes it to `public/`, timing both.
fn timed_build(root: &Path) -> Measured {
    let options = BuildOptions {
        root: root.to_path_buf(),
        drafts: false,
        report_orphans: false,
        overrides: Default::default(),
    };
    let cpu_before = cpu_time();
    let started = Instant::now();
    let built = build(&options, &Silent).expect("the benchmark site builds");
    write_site(&built.files, &root.join("public"), root).expect("the output is written");
    let time = started.elapsed();
    let cpu = cpu_time()
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before));
    let cards = built
        .files
        .names()
        .filter(|name| name.rsplit('/').next() == Some(SHARE_CARD_FILE))
        .count();
    Measured {
        time,
        cpu,
        images_processed: built.stats.images_processed,
        images_reused: built.stats.images_reused,
        cards_drawn: built.stats.cards_drawn,
        cards_reused: cards - built.stats.cards_drawn,
    }
}

/// The CPU time this process has used so far (user + system), from `/proc/self/stat` on Linux
/// (in clock ticks, 100 a second); `None` elsewhere.
fn cpu_time() -> Option<Duration> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may contain spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    Some(Duration::from_millis((ticks(11)? + ticks(12)?) * 10))
}

fn remove_caches(root: &Path) {
    for cache in ["images", "cards"] {
        let dir = root.join(CACHE_DIR).join(cache);
        if dir.exists() {
            fs::remove_dir_all(dir).unwrap();
        }
    }
}

fn report(name: &str, runs: &[Measured]) {
    let ms: Vec<f64> = runs.iter().map(|m| m.time.as_secs_f64() * 1000.0).collect();
    let min = ms.iter().copied().fold(f64::INFINITY, f64::min);
    let max = ms.iter().copied().fold(0.0, f64::max);
    let mut sorted = ms.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let cpu: Vec<f64> = runs
        .iter()
        .filter_map(|m| m.cpu)
        .map(|d| d.as_secs_f64() * 1000.0)
        .collect();
    let cpu = if cpu.len() == runs.len() {
        let min = cpu.iter().copied().fold(f64::INFINITY, f64::min);
        let max = cpu.iter().copied().fold(0.0, f64::max);
        format!("  CPU {min:.0}–{max:.0} ms")
    } else {
        String::new()
    };
    let counts = |f: fn(&Measured) -> usize| {
        let mut all: Vec<usize> = runs.iter().map(f).collect();
        all.dedup();
        all.iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join("/")
    };
    println!(
        "{name:<22} {min:>9.1}–{max:.1} ms (median {median:.1}, {} runs){cpu}  images: {} processed, {} reused  cards: {} drawn, {} reused",
        runs.len(),
        counts(|m| m.images_processed),
        counts(|m| m.images_reused),
        counts(|m| m.cards_drawn),
        counts(|m| m.cards_reused),
    );
}

fn main() {
    // `cargo test --benches` runs this binary with `--bench` absent; keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let (size, runs) = if quick {
        let size = Size {
            photos: 2,
            width: 320,
            height: 180,
            pages: 2,
        };
        (size, 1)
    } else {
        let size = Size {
            photos: 12,
            width: 1600,
            height: 900,
            pages: 4,
        };
        (size, 5)
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    generate(root, &size);
    println!(
        "{} photos of {}×{} (JPEG and PNG) on {} pages, share cards on",
        size.photos, size.width, size.height, size.pages
    );
    let (mut cold, mut warm, mut changed) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs {
        remove_caches(root);
        cold.push(timed_build(root));
        warm.push(timed_build(root));
        // A new version of the first photo (a JPEG), different on every run.
        write_photo(root, 0, &size, 1000 + run as u32);
        changed.push(timed_build(root));
    }
    report("cold (no cache)", &cold);
    report("warm (nothing changed)", &warm);
    report("one photo changed", &changed);
}
