//! A fixture site in a temporary folder, driven through the real `dossier` binary:
//! copy a fixture → change files → run a command → look at the output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The fixtures folder of the repository.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A copy of a fixture site that tests may change freely.
pub struct TestSite {
    dir: tempfile::TempDir,
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with the whole of stderr unless it contains `needle`.
    pub fn expect_stderr(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    /// Panics with the output unless the run succeeded.
    pub fn success(self) -> Run {
        assert_eq!(
            self.code, 0,
            "dossier failed:\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }

    /// Panics unless the run failed with exit code 1.
    pub fn user_error(self) -> Run {
        assert_eq!(
            self.code, 1,
            "expected exit code 1:\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }
}

impl TestSite {
    /// Copies `tests/fixtures/<name>` (or the repository itself for `"."`) to a temporary folder.
    pub fn fixture(name: &str) -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        let source = if name == "." {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        } else {
            fixtures().join(name)
        };
        for part in ["site.yaml", "content", "templates", "static"] {
            copy_tree(&source.join(part), &dir.path().join(part));
        }
        TestSite { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.path(rel)).unwrap();
        self
    }

    /// Runs `dossier ARGS` with the site as working directory.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(args)
            .current_dir(self.root())
            .env_remove("CI")
            .output()
            .expect("run dossier");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// The built page at `rel` (e.g. `talks/index.html`), parsed.
    pub fn html(&self, rel: &str) -> scraper::Html {
        scraper::Html::parse_document(
            &std::fs::read_to_string(self.public().join(rel))
                .unwrap_or_else(|e| panic!("{rel}: {e}")),
        )
    }
}

/// Every file under `dir` with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

pub fn copy_tree(from: &Path, to: &Path) {
    if from.is_file() {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
        return;
    }
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Text of every element matching `selector`.
pub fn texts(html: &scraper::Html, selector: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).unwrap();
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

/// An attribute of every element matching `selector`.
pub fn attrs(html: &scraper::Html, selector: &str, attribute: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).unwrap();
    html.select(&selector)
        .filter_map(|e| e.value().attr(attribute))
        .map(str::to_owned)
        .collect()
}

/// Every internal `href`/`src` in every HTML file under `public`, as (page, url).
pub fn internal_urls(public: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    for (path, bytes) in tree(public) {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        for attribute in ["href", "src"] {
            for url in attrs(&html, &format!("[{attribute}]"), attribute) {
                let external =
                    url.contains("://") || url.starts_with("mailto:") || url.starts_with("data:");
                if !external {
                    found.push((path.clone(), url));
                }
            }
        }
    }
    found
}
