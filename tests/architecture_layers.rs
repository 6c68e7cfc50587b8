//! The layering ARCHITECTURE.md promises, checked on the source: the build core never names the
//! dev-mode libraries or the command layer, and `watch` and `serve` neither name the command layer
//! nor print (they hand back values that `cmd` words).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The `.rs` files of a top-level module: `src/<name>.rs` and everything under `src/<name>/`.
fn module_files(name: &str) -> Vec<PathBuf> {
    let src = Path::new(ROOT).join("src");
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(src.join(name))
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .collect();
    let single = src.join(format!("{name}.rs"));
    if single.is_file() {
        files.push(single);
    }
    assert!(!files.is_empty(), "src/{name} has no source files");
    files
}

/// Every `file: line` of the module's source that mentions one of `forbidden`.
fn mentions(module: &str, forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for file in module_files(module) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            for word in forbidden {
                if line.contains(word) {
                    let rel = file.strip_prefix(ROOT).unwrap().display();
                    found.push(format!("{rel}:{}: mentions `{word}`", i + 1));
                }
            }
        }
    }
    found
}

#[test]
fn the_build_core_never_names_serve_watch_or_cmd() {
    let forbidden = ["crate::serve", "crate::watch", "crate::cmd"];
    let found: Vec<String> = ["site", "render", "markdown", "content", "links"]
        .iter()
        .flat_map(|module| mentions(module, &forbidden))
        .collect();
    assert_eq!(
        found,
        Vec::<String>::new(),
        "the build core must not know the layers above it"
    );
}

#[test]
fn watch_and_serve_never_name_cmd_nor_print() {
    let forbidden = ["crate::cmd", "anstream", "println!", "print!("];
    let found: Vec<String> = ["watch", "serve"]
        .iter()
        .flat_map(|module| mentions(module, &forbidden))
        .collect();
    assert_eq!(
        found,
        Vec::<String>::new(),
        "watch and serve report through values and callbacks"
    );
}

#[test]
fn the_check_sees_a_mention() {
    // The scan reads real files: `cmd/serve.rs` does name `crate::serve`.
    let found = mentions("cmd", &["crate::serve"]);
    assert!(
        found
            .iter()
            .any(|line| line.starts_with("src/cmd/serve.rs:")),
        "{found:?}"
    );
}
