//! The one way to write a test site, in the style of mdBook's `BookTest`: copy a fixture (or
//! start empty) → write files → run the real `dossier` binary (`build`, `check`, `serve`,
//! `watch`) → look at the output and the diagnostics.
//!
//! ```ignore
//! let site = TestSite::fixture("basic").file("content/later.md", "---\ntitle: Later\n---\n");
//! site.build().success();
//! assert_eq!(site.texts("later/index.html", "h1"), ["Later"]);
//! let run = site.file("site.yaml", "titel: x\n").build().user_error();
//! insta::assert_snapshot!(run.diagnostics());
//! let server = site.serve(&[]); // a `Dossier` (tests/common/serve.rs)
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::serve::Dossier;

/// The fixtures folder of the repository.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A site in a temporary folder (`<scratch>/site`) that tests may change freely.
pub struct TestSite {
    dir: tempfile::TempDir,
    root: PathBuf,
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// The site folder, replaced by `[site]` in [`Run::diagnostics`].
    root: PathBuf,
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

    /// Panics unless the run failed with exit code 1 (a user error), without a panic.
    pub fn user_error(self) -> Run {
        assert_eq!(
            self.code, 1,
            "expected exit code 1:\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        self
    }

    /// stderr with the temporary site folder written as `[site]`, for snapshots
    /// (`insta::assert_snapshot!(run.diagnostics())`).
    pub fn diagnostics(&self) -> String {
        let root = self.root.to_string_lossy();
        let scratch = self.root.parent().map(|p| p.to_string_lossy().into_owned());
        let text = self.stderr.replace(root.as_ref(), "[site]");
        match scratch {
            Some(scratch) => text.replace(&scratch, "[scratch]"),
            None => text,
        }
    }
}

impl TestSite {
    /// The fixture `name` with the repository's theme (`templates/` and `static/`) copied in.
    pub fn fixture_with_shipped_theme(name: &str) -> TestSite {
        let site = TestSite::fixture(name);
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_tree(&repo.join("templates"), &site.path("templates"));
        copy_tree(&repo.join("static"), &site.path("static"));
        site
    }

    /// The output file a URL written on the page `page` (an output path such as
    /// `reports/quay/index.html`) names: site-root URLs from the output folder, others from the
    /// page's folder.
    pub fn output_of(&self, page: &str, url: &str) -> PathBuf {
        let mut path = match url.strip_prefix('/') {
            Some(_) => self.public(),
            None => self.public().join(Path::new(page).parent().unwrap()),
        };
        for segment in url.split('/') {
            match segment {
                ".." => {
                    path.pop();
                }
                "." | "" => {}
                s => path.push(s),
            }
        }
        path
    }

    /// Names beside the output that a staging or old folder of a build would have (the spare,
    /// the previous output kept on purpose, is not one of them).
    pub fn staging_leftovers(&self) -> Vec<String> {
        std::fs::read_dir(self.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("dossier-staging") || n.contains("dossier-old"))
            .collect()
    }

    /// Options for building this site in-process (`dossier::site::build*`), as `dossier build`
    /// would: no drafts, no orphan report, no overrides.
    pub fn options(&self) -> dossier::site::BuildOptions {
        dossier::site::BuildOptions {
            root: self.root().to_path_buf(),
            drafts: false,
            report_orphans: false,
            overrides: Default::default(),
        }
    }

    /// Copies `tests/fixtures/<name>` (`"basic"`, `"serve/converge"`; `"."` for the repository's
    /// own site) to a temporary folder: its `site.yaml`, `sources.yaml`, `content`, `templates`,
    /// `static`, `sources` and `data`, where present.
    pub fn fixture(name: &str) -> TestSite {
        let site = TestSite::empty();
        let source = if name == "." {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        } else {
            fixtures().join(name)
        };
        assert!(source.is_dir(), "no fixture {}", source.display());
        let parts = [
            "site.yaml",
            "sources.yaml",
            "content",
            "templates",
            "static",
            "sources",
            "data",
        ];
        for part in parts {
            copy_tree(&source.join(part), &site.root.join(part));
        }
        site
    }

    /// An empty site folder, to fill with [`TestSite::file`].
    pub fn empty() -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        TestSite { dir, root }
    }

    /// Writes a file (creating its folders) and hands the site on: the chainable [`TestSite::write`].
    #[must_use]
    pub fn file(self, rel: &str, text: impl AsRef<[u8]>) -> Self {
        self.write(rel, text);
        self
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The temporary folder around the site, for files outside it (other output folders, clean
    /// builds to compare with).
    pub fn scratch(&self) -> &Path {
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
            root: self.root.clone(),
        }
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// Builds (which must succeed), makes `writes`, and checks that the next build fails with
    /// exactly `expected` on stderr and leaves the output as it was.
    pub fn fails_with(&self, writes: &[(&str, &str)], expected: &str) {
        self.build().success();
        let before = tree(&self.public());
        for (path, text) in writes {
            self.write(path, text);
        }
        let run = self.build().user_error();
        assert_eq!(run.stderr, expected, "stderr was:\n{}", run.stderr);
        assert_eq!(tree(&self.public()), before, "the output changed");
    }

    pub fn check(&self) -> Run {
        self.run(&["check"])
    }

    /// A clean `dossier build` of the site into `output`, which must succeed.
    pub fn build_into(&self, output: &Path) -> Run {
        let output = output.to_str().unwrap();
        self.run(&["build", "--output", output]).success()
    }

    /// Asserts that the site's output equals a clean build of the same sources into an empty
    /// folder.
    pub fn assert_output_equals_clean_build(&self) {
        let clean = self.scratch().join("clean");
        let _ = std::fs::remove_dir_all(&clean);
        self.build_into(&clean);
        assert_eq!(
            tree(&self.public()),
            tree(&clean),
            "differs from a clean build"
        );
        std::fs::remove_dir_all(&clean).unwrap();
    }

    /// `dossier serve --port 0 EXTRA`, once it prints its address.
    pub fn serve(&self, extra: &[&str]) -> Dossier {
        Dossier::serve(self.root(), extra)
    }

    /// `dossier watch`, once it says it is watching.
    pub fn watch(&self) -> Dossier {
        Dossier::watch(self.root())
    }

    /// The built page at `rel` (e.g. `talks/index.html`), parsed.
    pub fn html(&self, rel: &str) -> scraper::Html {
        scraper::Html::parse_document(
            &std::fs::read_to_string(self.public().join(rel))
                .unwrap_or_else(|e| panic!("{rel}: {e}")),
        )
    }

    /// Text of every element matching `selector` on the built page `rel`.
    pub fn texts(&self, rel: &str, selector: &str) -> Vec<String> {
        texts(&self.html(rel), selector)
    }
}

/// Every file of an in-process build, with its bytes, in output order (to compare two builds).
pub fn built_files(built: &dossier::site::Built) -> Vec<(String, Vec<u8>)> {
    built
        .files
        .iter()
        .map(|(name, source)| (name.to_string(), source.read().unwrap().into_owned()))
        .collect()
}

/// What a clean build of `site` makes, as (output path, bytes).
pub fn clean_files(site: &TestSite) -> Vec<(String, Vec<u8>)> {
    built_files(&dossier::site::build(&site.options(), &dossier::site::Silent).unwrap())
}

/// The change the dev server's watcher reports when it names exactly these files.
pub fn change_of(paths: &[&str]) -> dossier::watch::Change {
    dossier::watch::Change {
        paths: paths.iter().map(PathBuf::from).collect(),
        rescan: false,
    }
}

/// The rebuild after the watcher named `paths`, which must succeed: what it counted, and its
/// files as (output path, bytes).
pub fn rebuild_counted(
    rebuilder: &mut dossier::watch::Rebuilder,
    paths: &[&str],
) -> (dossier::site::Report, Vec<(String, Vec<u8>)>) {
    match rebuilder.rebuild_after(&change_of(paths), &dossier::site::Silent) {
        dossier::watch::RebuildOutcome::Built(rebuilt) => {
            let report = rebuilt.report;
            let built = dossier::watch::RebuildOutcome::Built(rebuilt);
            (report, rebuilt_files(built))
        }
        dossier::watch::RebuildOutcome::Failed(d) => panic!("the rebuild failed: {d}"),
    }
}

/// The files of a rebuild that must have succeeded, as (output path, bytes).
pub fn rebuilt_files(outcome: dossier::watch::RebuildOutcome) -> Vec<(String, Vec<u8>)> {
    match outcome {
        dossier::watch::RebuildOutcome::Built(rebuilt) => rebuilt
            .snapshot
            .files
            .iter()
            .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
            .collect(),
        dossier::watch::RebuildOutcome::Failed(d) => panic!("the rebuild failed: {d}"),
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

/// Each `url 480w` entry of a `srcset`: (url, width).
pub fn srcset_entries(srcset: &str) -> Vec<(String, u32)> {
    srcset
        .split(", ")
        .map(|entry| {
            let (url, width) = entry.rsplit_once(' ').unwrap();
            (url.to_owned(), width.trim_end_matches('w').parse().unwrap())
        })
        .collect()
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
