//! Content loading: walks `content/`, parses every Markdown file's front matter, and arranges the
//! pages into sections, in reading order, each with its URL. Other files are assets, copied as they
//! are. Nothing here renders anything.

mod arrange;
pub mod change_log;
pub mod dates;
pub mod front_matter;
mod kept;
mod known;
pub mod page;
pub mod stamp;
mod walk;

use crate::error::{Diagnostic, Diagnostics};
use crate::paths::identity::{self, FileId};
use crate::paths::names::{content_asset_output, page_url, NameProblem};
use crate::paths::{OutputPath, SiteUrl, SourcePath};
pub use kept::Reused;
use page::{file_role, FileRole};
pub use page::{Page, PageId};
use rayon::prelude::*;
use stamp::Stamp;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
pub use walk::{is_ignored_name, walk};

/// The folder under the site root that holds the content.
pub const CONTENT_DIR: &str = "content";

/// A file copied to the output as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Path relative to its source folder, with `/` separators.
    pub path: SourcePath,
    /// Where it is read from.
    pub source: PathBuf,
    /// The identity of the file the walk checked, compared when it is read.
    pub id: Option<FileId>,
    /// Where it lands, relative to the output folder.
    pub output: OutputPath,
}

impl Asset {
    /// The URL it is served at, percent-encoded.
    pub fn url(&self) -> SiteUrl {
        self.output.url()
    }
}

/// Every page of the site, arranged.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// Every page, depth-first: a section, then its children.
    pub reading_order: Vec<PageId>,
    by_path: HashMap<String, PageId>,
    /// Source paths of the pages marked `draft: true` that this build leaves out.
    pub drafts_left_out: std::collections::BTreeSet<String>,
}

impl Library {
    pub fn home(&self) -> &Page {
        &self.pages[self.reading_order[0]]
    }

    /// The page of a source path (`participants/putin.md`).
    pub fn by_path(&self, path: &str) -> Option<&Page> {
        self.by_path.get(path).map(|&id| &self.pages[id])
    }

    pub fn section_count(&self) -> usize {
        self.pages.iter().filter(|p| p.is_section).count()
    }
}

/// What to load.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    pub drafts: bool,
    /// Keep only each page's front matter in `text` (see [`Page::text_hash`]): a build reads
    /// each body again when it renders it, rather than holding every file at once (the dev
    /// server's cache too, which renders few bodies again).
    pub lean: bool,
}

/// A file read from disk, before it is arranged.
enum Loaded {
    Page(Arc<Page>),
    Asset(Asset),
}

/// Markdown files parsed before, kept between builds while they stay unchanged (see [`Stamp`]),
/// and the last listing of `content/`, reused when the caller says which files changed.
#[derive(Default)]
pub struct SourceCache {
    pages: HashMap<PathBuf, (Stamp, Arc<Page>)>,
    listing: known::KnownListing,
    /// The library of the last successful build, handed back by it (see [`kept`]).
    library: Option<Library>,
    reused: Reused,
}

impl SourceCache {
    /// Tells the next load which paths under `content/` (relative to it) changed since the last
    /// load with this cache, and that nothing else did: it then reuses the last listing and
    /// looks at those files only. A change it cannot apply that way (a file created or removed,
    /// a folder) makes it walk as usual.
    pub fn changes_known(&mut self, changed: Vec<PathBuf>) {
        self.listing.changes_known(changed);
    }

    /// The next load walks `content/` and checks every file's stamp (the default).
    pub fn changes_unknown(&mut self) {
        self.listing.changes_unknown();
    }

    /// Keeps the library a build loaded (and did not change), for the next load to reuse when
    /// only page texts changed.
    pub fn keep_library(&mut self, library: Library) {
        self.library = Some(library);
    }

    /// What the last load kept of the one before.
    pub fn reused(&self) -> &Reused {
        &self.reused
    }

    /// The bytes of Markdown text this cache holds (its pages' and the kept library's, each
    /// text counted once however many pages share it).
    pub fn held_text_bytes(&self) -> usize {
        let mut seen = HashSet::new();
        let mut held = 0;
        let mut count = |page: &Page| {
            if seen.insert(Arc::as_ptr(&page.text).cast::<u8>()) {
                held += page.text.len();
            }
        };
        self.pages.values().for_each(|(_, page)| count(page));
        (self.library.iter()).for_each(|library| library.pages.iter().for_each(&mut count));
        held
    }
}

/// Loads `root/content` into a [`Library`], or every problem found on the way.
pub fn load(root: &Path, options: LoadOptions) -> Result<Library, Diagnostics> {
    load_into(root, options, &mut SourceCache::default(), false)
}

/// Like [`load`], reusing the pages of `cache` whose files did not change.
pub fn load_cached(
    root: &Path,
    options: LoadOptions,
    cache: &mut SourceCache,
) -> Result<Library, Diagnostics> {
    load_into(root, options, cache, true)
}

/// Loads with `cache`, keeping what it read there for the next load when `keeping`.
fn load_into(
    root: &Path,
    options: LoadOptions,
    cache: &mut SourceCache,
    keeping: bool,
) -> Result<Library, Diagnostics> {
    let dir = root.join(CONTENT_DIR);
    if !dir.is_dir() {
        return Err(Diagnostic::error(CONTENT_DIR, "there is no content folder")
            .with_hint("create `content/_index.md` for the home page, or run `dossier init DIR`")
            .into());
    }
    let mut problems = Diagnostics::new();
    let previous = cache.library.take();
    cache.reused = Reused::default();
    let mut changed_count = 0;
    let (files, known) = match cache.listing.take_updated(&dir) {
        Some((files, changed)) => {
            if let Some(library) = reuse_library(cache, previous, &files, &changed, options.lean) {
                cache.listing.keep_updated(files);
                return Ok(library);
            }
            changed_count = changed.len();
            // Only these files changed: every other kept page is reused without a look.
            changed.iter().for_each(|abs| {
                cache.pages.remove(abs);
            });
            (files, true)
        }
        None => (walk(root, CONTENT_DIR, &mut problems), false),
    };
    let walk_was_clean = problems.is_empty();
    cache.reused.files_looked_at = match known {
        true => changed_count,
        false => files
            .iter()
            .filter(|(rel, _, _)| rel.ends_with(".md"))
            .count(),
    };
    let loaded: Vec<LoadResult> = files
        .par_iter()
        .map(|(rel, abs, id)| {
            let reuse = keeping.then_some(&cache.pages);
            load_or_reuse(rel, abs, *id, reuse, known, options.lean)
        })
        .collect();
    // Every file is most often a page: one allocation, not a doubling one (a quarter of it spare).
    let mut pages = Vec::with_capacity(files.len());
    let mut assets = Vec::new();
    let mut drafts_left_out = std::collections::BTreeSet::new();
    // Told what changed, the kept pages are those of the last load but the changed ones.
    let mut kept = if known {
        std::mem::take(&mut cache.pages)
    } else {
        HashMap::with_capacity(files.len())
    };
    for ((_, abs, _), result) in files.iter().zip(loaded) {
        match result {
            Ok((Loaded::Page(page), stamp)) => {
                let included = !page.front.draft || options.drafts;
                if !included {
                    drafts_left_out.insert(page.path.to_string());
                }
                match stamp.filter(|_| !kept.contains_key(abs)) {
                    Some(stamp) => {
                        if included {
                            pages.push(Page::clone(&page));
                        }
                        kept.insert(abs.clone(), (stamp, page));
                    }
                    // Nothing kept for a next load (a lean one): the page itself, not a copy.
                    None if included => pages.push(Arc::unwrap_or_clone(page)),
                    None => {}
                }
            }
            Ok((Loaded::Asset(asset), _)) => assets.push(asset),
            Err(errs) => errs.into_iter().for_each(|d| problems.push(d)),
        }
    }
    cache.pages = kept;
    if known {
        cache.listing.keep_updated(files);
    } else {
        cache.listing.keep(&dir, files, walk_was_clean);
    }
    if problems.has_errors() {
        return Err(problems.sorted());
    }
    let mut library = arrange::arrange(pages, assets)?;
    library.drafts_left_out = drafts_left_out;
    Ok(library)
}

/// The last library with the changed pages' new texts, when nothing but page texts changed.
fn reuse_library(
    cache: &mut SourceCache,
    previous: Option<Library>,
    files: &[walk::Walked],
    changed: &[PathBuf],
    lean: bool,
) -> Option<Library> {
    let mut library = previous?;
    let reloaded = kept::reload_texts(&library, files, changed, lean)?;
    kept::swap_texts(&mut library, &reloaded);
    cache.reused = Reused {
        changed_texts: Some(reloaded.iter().map(|(p, _)| p.path.to_string()).collect()),
        files_looked_at: reloaded.len(),
    };
    for ((page, stamp), abs) in reloaded.into_iter().zip(changed) {
        match stamp {
            Some(stamp) => cache.pages.insert(abs.clone(), (stamp, page)),
            None => cache.pages.remove(abs),
        };
    }
    Some(library)
}

/// A file loaded (with the stamp to keep it under), or what is wrong with it.
type LoadResult = Result<(Loaded, Option<Stamp>), Vec<Diagnostic>>;

/// The cached page of `abs` when its file is unchanged, else the file loaded afresh. With
/// `known`, a cached page is unchanged (the caller said which files changed and dropped theirs).
/// Without `cached`, the load keeps nothing for a next one.
fn load_or_reuse(
    rel: &SourcePath,
    abs: &Path,
    id: Option<FileId>,
    cached: Option<&HashMap<PathBuf, (Stamp, Arc<Page>)>>,
    known: bool,
    lean: bool,
) -> LoadResult {
    let Some(cached) = cached.filter(|_| rel.ends_with(".md")) else {
        return load_file(rel, abs, id, lean).map(|loaded| (loaded, None));
    };
    if let (true, Some((stamp, page))) = (known, cached.get(abs)) {
        return Ok((Loaded::Page(page.clone()), Some(*stamp)));
    }
    let meta = std::fs::metadata(abs).ok();
    if let (Some(meta), Some((stamp, page))) = (&meta, cached.get(abs)) {
        if stamp.still_matches(meta) {
            return Ok((Loaded::Page(page.clone()), Some(*stamp)));
        }
    }
    let stamp = meta.as_ref().and_then(Stamp::of);
    load_file(rel, abs, id, lean).map(|loaded| (loaded, stamp))
}

fn load_file(
    rel: &SourcePath,
    abs: &Path,
    id: Option<FileId>,
    lean: bool,
) -> Result<Loaded, Vec<Diagnostic>> {
    let shown = Path::new(CONTENT_DIR).join(rel.as_str());
    if !rel.ends_with(".md") {
        let output = content_asset_output(rel)
            .map_err(|p| vec![Diagnostic::error(&shown, p.message).with_hint(p.hint)])?;
        return Ok(Loaded::Asset(Asset {
            path: rel.clone(),
            source: abs.to_path_buf(),
            id,
            output,
        }));
    }
    let bytes = identity::read_walked(abs, id).map_err(|err| vec![read_error(&shown, &err)])?;
    let text = decode(&shown, bytes).map_err(|d| vec![d])?;
    let (front, body_offset) = front_matter::parse(&shown, &text)?;
    let url = page_url(rel, front.slug.as_deref())
        .map_err(|p| vec![name_diagnostic(&shown, &text, p)])?;
    let text_hash = lean.then(|| xxhash_rust::xxh3::xxh3_128(text.as_bytes()));
    let text: Arc<str> = match text_hash {
        Some(_) => Arc::from(text.get(..body_offset).unwrap_or(&text)),
        None => Arc::from(text),
    };
    Ok(Loaded::Page(Arc::new(Page {
        id: PageId::default(),
        path: rel.clone(),
        shown,
        is_section: file_role(rel) == FileRole::Section,
        title: front.title.clone().unwrap_or_default(),
        front: Arc::new(front),
        text,
        text_hash,
        body_offset,
        output: url.output(),
        url,
        parent: None,
        children: Vec::new(),
    })))
}

/// The error for a source file that cannot be read, or was swapped during the build.
pub fn read_error(shown: &Path, err: &std::io::Error) -> Diagnostic {
    if identity::is_changed(err) {
        return Diagnostic::error(shown, format!("cannot read: {err}"))
            .with_hint("run the build again; a file swapped during a build is never published");
    }
    Diagnostic::error(shown, format!("cannot read: {err}"))
}

/// A page's name problem, at the top of the file. (A bad `slug:` is already reported at its line
/// by the front matter check.)
fn name_diagnostic(shown: &Path, text: &str, problem: NameProblem) -> Diagnostic {
    Diagnostic::error(shown, problem.message)
        .at(text, 1, 1)
        .with_hint(problem.hint)
}

/// UTF-8 text without a byte-order mark, with `\n` line endings.
/// The text of `page` read again from `root` (a one-off build lets go of it once every body is
/// rendered), normalised as when it was loaded; `None` when it cannot be read.
pub fn reread_text(root: &Path, page: &Page) -> Option<String> {
    let bytes = std::fs::read(root.join(&page.shown)).ok()?;
    decode(&page.shown, bytes).ok()
}

fn decode(shown: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text.trim_start_matches('\u{feff}').replace("\r\n", "\n")),
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let valid = String::from_utf8_lossy(valid);
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(Diagnostic::error(shown, "the file is not valid UTF-8")
                .at(&String::from_utf8_lossy(err.as_bytes()), line, column)
                .with_hint("save the file with UTF-8 encoding"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(CONTENT_DIR).join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn titles(lib: &Library) -> Vec<&str> {
        lib.reading_order
            .iter()
            .map(|&id| lib.pages[id].title.as_str())
            .collect()
    }

    #[test]
    fn reading_order_is_depth_first_by_weight_then_title() {
        let dir = site(&[
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("b.md", "---\ntitle: B\nweight: 2\n---\n"),
            ("a.md", "---\ntitle: A\nweight: 3\n---\n"),
            ("people/_index.md", "---\ntitle: People\nweight: 1\n---\n"),
            ("people/zed.md", "---\ntitle: Zed\n---\n"),
            ("people/amy.md", "---\ntitle: Amy\n---\n"),
            ("people/amy.png", "png"),
        ]);
        let lib = load(dir.path(), LoadOptions::default()).unwrap();
        assert_eq!(titles(&lib), ["Home", "People", "Amy", "Zed", "B", "A"]);
        assert_eq!(lib.assets[0].output, "people/amy.png");
        assert_eq!(lib.by_path("people/amy.md").unwrap().url, "/people/amy/");
    }

    #[test]
    fn drafts_are_left_out_unless_asked_for() {
        let files = [
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("d.md", "---\ntitle: D\ndraft: true\n---\n"),
        ];
        let dir = site(&files);
        assert_eq!(
            load(dir.path(), LoadOptions::default())
                .unwrap()
                .pages
                .len(),
            1
        );
        let all = load(
            dir.path(),
            LoadOptions {
                drafts: true,
                lean: false,
            },
        )
        .unwrap();
        assert_eq!(all.pages.len(), 2);
    }

    #[test]
    fn the_cache_reuses_unchanged_pages_and_sees_changes() {
        let dir = site(&[
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("a.md", "---\ntitle: A\n---\n"),
        ]);
        let mut cache = SourceCache::default();
        load_cached(dir.path(), LoadOptions::default(), &mut cache).unwrap();
        assert_eq!(cache.pages.len(), 2);
        // Pretend the files were read long after they were written, so their stamps are trusted.
        for (stamp, page) in cache.pages.values_mut() {
            *stamp = stamp.aged_for_tests();
            Arc::make_mut(page).title = format!("cached {}", page.title);
        }
        let lib = load_cached(dir.path(), LoadOptions::default(), &mut cache).unwrap();
        assert_eq!(lib.by_path("a.md").unwrap().title, "cached A");
        std::fs::write(
            dir.path().join("content/a.md"),
            "---\ntitle: A changed\n---\n",
        )
        .unwrap();
        let lib = load_cached(dir.path(), LoadOptions::default(), &mut cache).unwrap();
        assert_eq!(lib.by_path("a.md").unwrap().title, "A changed");
        std::fs::remove_file(dir.path().join("content/a.md")).unwrap();
        let lib = load_cached(dir.path(), LoadOptions::default(), &mut cache).unwrap();
        assert!(lib.by_path("a.md").is_none());
        assert_eq!(cache.pages.len(), 1);
    }

    #[test]
    fn pages_in_a_folder_without_index_join_the_nearest_section() {
        let dir = site(&[
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("x/y/deep.md", "---\ntitle: Deep\n---\n"),
        ]);
        let lib = load(dir.path(), LoadOptions::default()).unwrap();
        assert_eq!(
            lib.by_path("x/y/deep.md").unwrap().parent,
            Some(lib.home().id)
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_to_files_outside_the_site_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        let dir = site(&[
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("inside.txt", "ok"),
        ]);
        let content = dir.path().join(CONTENT_DIR);
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), content.join("leak.txt"))
            .unwrap();
        std::os::unix::fs::symlink(content.join("inside.txt"), content.join("alias.txt")).unwrap();
        let errs: Vec<_> = load(dir.path(), LoadOptions::default())
            .unwrap_err()
            .into_iter()
            .collect();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].path, Path::new("content/leak.txt"));
        std::fs::remove_file(content.join("leak.txt")).unwrap();
        assert_eq!(
            load(dir.path(), LoadOptions::default())
                .unwrap()
                .assets
                .len(),
            2
        );
    }

    #[test]
    fn bom_and_crlf_are_tolerated() {
        let dir = site(&[("_index.md", "\u{feff}---\r\ntitle: Home\r\n---\r\nHi\r\n")]);
        let lib = load(dir.path(), LoadOptions::default()).unwrap();
        assert_eq!(lib.home().body(), "Hi\n");
    }

    #[test]
    fn every_bad_file_is_reported_at_once() {
        let dir = site(&[
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("a.md", "---\ntitel: A\n---\n"),
            ("b.md", "no front matter\n"),
        ]);
        let errs: Vec<_> = load(dir.path(), LoadOptions::default())
            .unwrap_err()
            .into_iter()
            .collect();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].path, Path::new("content/a.md"));
        assert_eq!(errs[1].path, Path::new("content/b.md"));
    }
}
