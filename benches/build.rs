//! Build benchmark: a clean `site::build` plus writing the output, and the streamed build
//! `dossier build` runs (`site::build_into` a staging folder), on the shipped explainer and on
//! generated sites of 1,000 and 10,000 pages. Run with `cargo bench --bench build`; the figures
//! go into BENCHMARKS.md. `benches/scale.sh` times the real binary against Hugo up to 100,000 pages.

// A benchmark/tool program: a failure should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)]
#[path = "support/generate.rs"]
mod generate;

use dossier::output::{write_site, Staging};
use dossier::site::{build, build_into, BuildOptions, Silent};
use std::path::Path;
use std::time::{Duration, Instant};

fn measure(name: &str, root: &Path, runs: usize) {
    let options = BuildOptions {
        root: root.to_path_buf(),
        drafts: false,
        report_orphans: false,
        overrides: Default::default(),
    };
    let output = root.join("public");
    let mut build_times = Vec::new();
    let mut total_times = Vec::new();
    let mut streamed_times = Vec::new();
    let mut pages = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let built = build(&options, &Silent).expect("the benchmark site builds");
        build_times.push(started.elapsed());
        write_site(&built.files, &output, root).expect("the output is written");
        total_times.push(started.elapsed());
        pages = built.stats.pages + built.stats.sections;
        drop(built);
        let started = Instant::now();
        let staging = Staging::begin(&output, root).expect("the output can be staged");
        build_into(&options, &Silent, &staging).expect("the benchmark site builds");
        streamed_times.push(started.elapsed());
    }
    println!(
        "{name:<28} {pages:>6} pages  build (in memory) median {:>8.1} ms  build + write median {:>8.1} ms  (min {:.1} ms)  streamed median {:>8.1} ms  ({runs} runs)",
        ms(median(&mut build_times)),
        ms(median(&mut total_times)),
        ms(*total_times.iter().min().unwrap()),
        ms(median(&mut streamed_times)),
    );
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    // `cargo test --benches` runs this binary with `--bench` absent; keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let explainer = tempfile::tempdir().unwrap();
    generate::copy_explainer(explainer.path());
    measure(
        "shipped explainer",
        explainer.path(),
        if quick { 1 } else { 20 },
    );
    if quick {
        return;
    }
    for (pages, runs) in [(1_000, 10), (10_000, 5)] {
        let dir = tempfile::tempdir().unwrap();
        generate::generate(dir.path(), pages);
        measure(&format!("generated, {pages} pages"), dir.path(), runs);
    }
}
