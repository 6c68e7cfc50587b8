//! Walking a source folder (`content/` or `static/`): every file, sorted, without the files
//! editors leave beside the real ones, and never anything from outside the site. Symlinks are
//! followed only while their canonical target stays inside the site's `content/` or `static/`
//! folder; a symlink (to a file or to a folder) that leads anywhere else is refused, and nothing
//! under it is read. A symlink under `static/` may not lead into `content/` either: static files
//! are published as they are, so it would publish the site's Markdown sources.

use super::CONTENT_DIR;
use crate::error::{Diagnostic, Diagnostics};
use crate::paths::identity::FileId;
use crate::paths::SourcePath;
use std::path::{Path, PathBuf};

/// The folders under the site root whose files are published.
const PUBLISHED_DIRS: [&str; 2] = [CONTENT_DIR, STATIC_DIR];
/// The published folder whose files are copied as they are.
const STATIC_DIR: &str = "static";

/// Names of files that editors and tools leave beside the real ones; never content. Emacs
/// autosaves are `#name#`; a name that only starts with `#` (`#1-priority.md`) is a real file.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bck")
        || name == "4913"
}

/// One file found by [`walk`]: its path relative to the folder, the path to read, and the
/// identity of the file checked, which every later read compares (see [`crate::paths::identity`]).
pub type Walked = (SourcePath, PathBuf, Option<FileId>);

/// Every file under `root/folder`, sorted. Symlinks leading outside the published folders are
/// reported in `problems` and skipped.
pub fn walk(root: &Path, folder: &str, problems: &mut Diagnostics) -> Vec<Walked> {
    let dir = root.join(folder);
    // A folder that is read but not published (`data/`) may also link within itself.
    let mut readable: Vec<&str> = PUBLISHED_DIRS.to_vec();
    if !readable.contains(&folder) {
        readable.push(folder);
    }
    let allowed: Vec<PathBuf> = readable
        .iter()
        .filter_map(|d| root.join(d).canonicalize().ok())
        .collect();
    let named = folder_list(&readable);
    let sources = (folder == STATIC_DIR)
        .then(|| root.join(CONTENT_DIR).canonicalize().ok())
        .flatten();
    let mut files = Vec::new();
    let mut walker = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map_or_else(|| dir.clone(), Path::to_path_buf);
                let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                // A symlink to a folder above it is a loop to walkdir; outside the published
                // folders, it is the same refusal as any other symlink out of them.
                let problem = outside(&path, &allowed, &named, &shown)
                    .unwrap_or_else(|| Diagnostic::error(shown, format!("cannot read: {err}")));
                problems.push(problem);
                continue;
            }
        };
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let rel = SourcePath::new(&rel.to_string_lossy());
        if entry.path_is_symlink() && entry.depth() > 0 {
            let shown = Path::new(folder).join(rel.as_str());
            let problem = outside(entry.path(), &allowed, &named, &shown)
                .or_else(|| into_sources(entry.path(), sources.as_deref(), &shown));
            if let Some(problem) = problem {
                problems.push(problem);
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if entry.file_type().is_file() {
            let id = entry.metadata().ok().and_then(|meta| FileId::of(&meta));
            files.push((rel, entry.path().to_path_buf(), id));
        }
    }
    files
}

/// The error for a symlink under `static/` whose canonical target lies in `content/` (`sources`).
fn into_sources(path: &Path, sources: Option<&Path>, shown: &Path) -> Option<Diagnostic> {
    let target = path.canonicalize().ok()?;
    if !target.starts_with(sources?) {
        return None;
    }
    let written = std::fs::read_link(path).unwrap_or(target);
    Some(
        Diagnostic::error(
            shown,
            format!(
                "this symlink points to `{}`, inside content/: files under static/ are published as they are, so it would publish the site's Markdown sources",
                written.display()
            ),
        )
        .with_hint("link from content/ to static/ instead, or copy the files you want published into static/"),
    )
}

/// `content/ and static/`, `content/, static/ and data/`.
fn folder_list(folders: &[&str]) -> String {
    let named: Vec<String> = folders.iter().map(|f| format!("{f}/")).collect();
    match named.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The error for the symlink at `path` (shown as `shown`) when its canonical target lies outside
/// every folder of `allowed` (named `named`).
fn outside(path: &Path, allowed: &[PathBuf], named: &str, shown: &Path) -> Option<Diagnostic> {
    let target = path.canonicalize().ok()?;
    if allowed.iter().any(|dir| target.starts_with(dir)) {
        return None;
    }
    let written = std::fs::read_link(path).unwrap_or_else(|_| target.clone());
    Some(
        Diagnostic::error(
            shown,
            format!(
                "this symlink points to `{}`, outside the site's {named} folders",
                written.display()
            ),
        )
        .with_hint(
            format!("copy the files into the site instead; dossier never publishes files from outside {named}"),
        ),
    )
}
