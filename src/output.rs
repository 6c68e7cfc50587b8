//! Output: the whole built site as data ([`SiteFiles`]), and writing it to disk safely. A build is
//! written into a staging folder beside the output and swapped in only when complete, so a failed
//! build leaves the previous output as it was and a reader never sees half a site. dossier only
//! ever replaces a folder that carries its marker file, and refuses folders that look like
//! anything else (the site itself, `/`, the home folder). The dev server keeps its output in
//! memory: its pages as [`FileBytes::Packed`], LZ4-compressed and shared by every holder.

use crate::error::Diagnostic;
use crate::paths::identity::{read_walked, FileId};
use crate::paths::OutputPath;
use crate::site::packed::Packed;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

#[cfg(unix)]
mod reuse;
mod staging;
mod swap;

pub use staging::Staging;

/// The file dossier leaves in every output folder it creates, so it knows the folder is its own.
pub const MARKER: &str = ".dossier-output";
const MARKER_TEXT: &str = "This folder is written by dossier and replaced on every build.\n";

/// Where the bytes of one output file come from.
#[derive(Debug, Clone)]
pub enum FileSource {
    /// Rendered by the build.
    Bytes(Arc<[u8]>),
    /// Rendered by the build and kept compressed (a page the dev server keeps).
    Packed(Arc<Packed>),
    /// Copied from a source file: its path, and the identity of the file the walk checked, which
    /// the file read must still have (see [`crate::paths::identity`]).
    Copy(PathBuf, Option<FileId>),
}

impl PartialEq for FileSource {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (FileSource::Bytes(a), FileSource::Bytes(b)) => a == b,
            (FileSource::Packed(a), FileSource::Packed(b)) => {
                FileBytes::Packed(a.clone()).same(&FileBytes::Packed(b.clone()))
            }
            (FileSource::Copy(a, i), FileSource::Copy(b, j)) => a == b && i == j,
            _ => false,
        }
    }
}

impl Eq for FileSource {}

impl FileSource {
    pub fn read(&self) -> io::Result<Cow<'_, [u8]>> {
        match self {
            FileSource::Bytes(bytes) => Ok(Cow::Borrowed(bytes)),
            FileSource::Packed(packed) => Ok(Cow::Owned(packed.unpack(None)?)),
            FileSource::Copy(path, id) => read_walked(path, *id).map(Cow::Owned),
        }
    }
}

/// The bytes of one output file held in memory: as made, or LZ4-compressed ([`Packed`], for
/// text that is kept: the dev server's pages). Cloning shares them; the same page held by the
/// build cache, the snapshot and the served site is one allocation.
#[derive(Debug, Clone)]
pub enum FileBytes {
    Plain(Arc<[u8]>),
    Packed(Arc<Packed>),
}

impl Default for FileBytes {
    fn default() -> Self {
        FileBytes::Plain(Arc::from(&[][..]))
    }
}

impl From<Arc<[u8]>> for FileBytes {
    fn from(bytes: Arc<[u8]>) -> Self {
        FileBytes::Plain(bytes)
    }
}

impl FileBytes {
    /// `text`, compressed.
    pub fn packed(text: &str) -> FileBytes {
        FileBytes::Packed(Arc::new(Packed::new(text.as_bytes(), None)))
    }

    /// These bytes compressed, if they are text and held plain.
    pub fn pack(self) -> FileBytes {
        match &self {
            FileBytes::Plain(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => FileBytes::packed(text),
                Err(_) => self,
            },
            FileBytes::Packed(_) => self,
        }
    }

    /// The file's bytes (decompressed if packed; a packed text is made in memory by the build,
    /// so it cannot be damaged: should it be, it reads as empty).
    pub fn bytes(&self) -> Cow<'_, [u8]> {
        match self {
            FileBytes::Plain(bytes) => Cow::Borrowed(bytes),
            FileBytes::Packed(packed) => Cow::Owned(packed.unpack(None).unwrap_or_default()),
        }
    }

    /// The file's bytes, owned.
    pub fn to_vec(&self) -> Vec<u8> {
        self.bytes().into_owned()
    }

    /// What is held in memory: the bytes, or their compressed form.
    pub fn held(&self) -> &[u8] {
        match self {
            FileBytes::Plain(bytes) => bytes,
            FileBytes::Packed(packed) => match &**packed {
                Packed::Held(bytes) => bytes,
                Packed::Spilled { .. } => &[],
            },
        }
    }

    /// Whether both are the very same allocation.
    pub fn shares(&self, other: &FileBytes) -> bool {
        match (self, other) {
            (FileBytes::Plain(a), FileBytes::Plain(b)) => Arc::ptr_eq(a, b),
            (FileBytes::Packed(a), FileBytes::Packed(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// Whether both hold the same file (compression is deterministic: equal texts pack to equal
    /// bytes, so packed files are compared packed).
    pub fn same(&self, other: &FileBytes) -> bool {
        match (self, other) {
            (FileBytes::Plain(_), FileBytes::Plain(_))
            | (FileBytes::Packed(_), FileBytes::Packed(_)) => {
                self.shares(other) || self.held() == other.held()
            }
            _ => self.bytes() == other.bytes(),
        }
    }

    /// The file as the build hands it over.
    pub fn source(&self) -> FileSource {
        match self {
            FileBytes::Plain(bytes) => FileSource::Bytes(bytes.clone()),
            FileBytes::Packed(packed) => FileSource::Packed(packed.clone()),
        }
    }
}

/// Every file of a built site, by output path (`talks/index.html`), in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteFiles(BTreeMap<OutputPath, FileSource>);

impl SiteFiles {
    pub fn insert(&mut self, path: OutputPath, source: FileSource) {
        self.0.insert(path, source);
    }

    pub fn contains(&self, path: &str) -> bool {
        self.0.contains_key(path)
    }

    pub fn get(&self, path: &str) -> Option<&FileSource> {
        self.0.get(path)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(OutputPath::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&OutputPath, &FileSource)> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl IntoIterator for SiteFiles {
    type Item = (OutputPath, FileSource);
    type IntoIter = std::collections::btree_map::IntoIter<OutputPath, FileSource>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Checks that `output` may be replaced by a build of the site at `root`.
pub fn check_output_dir(output: &Path, root: &Path) -> Result<(), Diagnostic> {
    let shown = output.display().to_string();
    let refuse = |why: String| {
        Err(
            Diagnostic::error(&shown, format!("refusing to write the site here: {why}")).with_hint(
                "choose an empty folder, or one that dossier made before, with --output DIR",
            ),
        )
    };
    let output_abs = absolute(output);
    let root_abs = absolute(root);
    if output_abs.parent().is_none() {
        return refuse("it is the root of the file system".into());
    }
    if std::env::var_os("HOME").is_some_and(|home| absolute(Path::new(&home)) == output_abs) {
        return refuse("it is your home folder".into());
    }
    if root_abs.starts_with(&output_abs) {
        return refuse("it holds the site's own sources".into());
    }
    for sources in [
        crate::content::CONTENT_DIR,
        crate::site::STATIC_DIR,
        crate::render::templates::TEMPLATES_DIR,
    ] {
        if output_abs.starts_with(root_abs.join(sources)) {
            return Err(Diagnostic::error(
                &shown,
                format!("refusing to write the site here: it is inside the site's sources ({sources}/), so every build would read its own output"),
            )
            .with_hint("write the site outside content/, static/ and templates/, e.g. --output public"));
        }
    }
    // The other folders dossier reads (data files, quoted sources) or keeps (its cache).
    for kept in [
        crate::site::data::DATA_DIR,
        crate::sources::SOURCES_DIR,
        crate::paths::CACHE_DIR,
    ] {
        if output_abs.starts_with(root_abs.join(kept)) {
            return Err(Diagnostic::error(
                &shown,
                format!("refusing to write the site here: it is inside the site's {kept}/ folder, which dossier reads or keeps between builds"),
            )
            .with_hint(format!("write the site outside {kept}/, e.g. --output public")));
        }
    }
    if !output.exists() {
        return Ok(());
    }
    if !output.is_dir() {
        return refuse("it is a file, not a folder".into());
    }
    if output.join("content").exists() || output.join(crate::config::CONFIG_FILE).exists() {
        return refuse("it looks like a site (it has content/ or site.yaml)".into());
    }
    let is_empty = fs::read_dir(output).is_ok_and(|mut d| d.next().is_none());
    if !is_empty && !output.join(MARKER).is_file() {
        return refuse(format!(
            "it is not empty and dossier did not create it (no {MARKER} file)"
        ));
    }
    Ok(())
}

/// A path made absolute and cleaned of `.` and `..`, with its longest existing ancestor resolved
/// (symlinks included), so paths that do not exist yet compare like those that do.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    let joined = cleaned(&std::env::current_dir().unwrap_or_default().join(path));
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    while let Some(parent) = existing.parent() {
        rest.push(existing.file_name().unwrap_or_default().to_owned());
        existing = parent;
        if let Ok(canonical) = existing.canonicalize() {
            return rest.iter().rev().fold(canonical, |p, part| p.join(part));
        }
    }
    joined
}

/// `path` without `.` and `..` parts.
fn cleaned(joined: &Path) -> PathBuf {
    let mut clean = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

/// Writes `files` to `output` through a staging folder, replacing what was there. A symlinked
/// output is written through: the site lands in the folder the link names.
pub fn write_site(files: &SiteFiles, output: &Path, root: &Path) -> Result<(), Diagnostic> {
    let staging = Staging::begin(output, root)?;
    for name in files.names() {
        staging::check_reserved(name, output)?;
    }
    let entries: Vec<_> = files.iter().collect();
    entries
        .par_iter()
        .try_for_each(|(name, source)| staging.write(name, source))?;
    staging.finish()
}

/// The folder a symlinked output names (following chains of links), or `output` itself.
fn resolve_link(output: &Path) -> PathBuf {
    let mut path = output.to_path_buf();
    for _ in 0..40 {
        let Ok(link) = fs::read_link(&path) else {
            break;
        };
        path = match path.parent() {
            Some(parent) if link.is_relative() => parent.join(link),
            _ => link,
        };
    }
    path
}

/// Where a build hands each finished output file, from any thread, as soon as it is final: a
/// [`Staging`] folder on disk (`dossier build`) or [`Collected`] files in memory (`serve`,
/// `watch`). Every name is handed over once.
pub trait OutputSink: Sync {
    fn put(&self, name: &str, source: FileSource) -> Result<(), Diagnostic>;

    /// Every file was handed over and the build found nothing wrong: publish the site.
    fn finish(&self) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// A sink that keeps every file in memory, to hand back as [`SiteFiles`]. Files are handed over
/// from every thread at once: each is only pushed while the lock is held, and they are put in
/// order once, at the end.
#[derive(Debug, Default)]
pub struct Collected(Mutex<Vec<(OutputPath, FileSource)>>);

impl Collected {
    /// Room for `files` files at once: a list grown file by file is copied into fresh memory
    /// over and over (which the kernel zeroes first).
    pub fn with_capacity(files: usize) -> Self {
        Collected(Mutex::new(Vec::with_capacity(files)))
    }

    pub fn into_files(self) -> SiteFiles {
        let files = self.0.into_inner().unwrap_or_else(PoisonError::into_inner);
        // Sorted once (stably: of a name handed over twice, the last one stays, as with an
        // insert) and built in one pass.
        SiteFiles(files.into_iter().collect())
    }
}

impl OutputSink for Collected {
    fn put(&self, name: &str, source: FileSource) -> Result<(), Diagnostic> {
        let name = OutputPath::known(name);
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((name, source));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The previous output, kept beside `public` for the next build to recycle.
    const SPARE_BESIDE: &str = ".public.dossier-spare";

    /// What is beside the output (sorted, the spare last): no staging or old folder may be.
    fn names_beside(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort_by_key(|n| (n == SPARE_BESIDE, n.clone()));
        names
    }

    fn files() -> SiteFiles {
        let mut f = SiteFiles::default();
        f.insert(
            OutputPath::known("index.html"),
            FileSource::Bytes(Arc::from(&b"home"[..])),
        );
        f.insert(
            OutputPath::known("a/b/index.html"),
            FileSource::Bytes(Arc::from(&b"b"[..])),
        );
        f
    }

    #[test]
    fn writes_and_replaces_its_own_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&files(), &out, dir.path().join("site").as_path()).unwrap();
        assert_eq!(fs::read(out.join("a/b/index.html")).unwrap(), b"b");
        assert!(out.join(MARKER).is_file());
        fs::write(out.join("stale.html"), "old").unwrap();
        fs::create_dir(out.join(".git")).unwrap();
        write_site(&files(), &out, dir.path().join("site").as_path()).unwrap();
        assert!(!out.join("stale.html").exists());
        assert!(out.join(".git").is_dir());
        assert_eq!(names_beside(dir.path()), ["public", SPARE_BESIDE]);
    }

    #[test]
    fn an_unreadable_source_is_reported_on_itself_not_on_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let out = dir.path().join("public");
        write_site(&files(), &out, &site).unwrap();
        let before = fs::read(out.join("a/b/index.html")).unwrap();
        let mut broken = files();
        let gone = site.join("content/img/gone.svg");
        broken.insert(
            OutputPath::known("img/gone.svg"),
            FileSource::Copy(gone, None),
        );
        let err = write_site(&broken, &out, &site).unwrap_err();
        assert_eq!(
            err.to_string().lines().next().unwrap(),
            "content/img/gone.svg: error: cannot read: No such file or directory (os error 2)"
        );
        assert_eq!(fs::read(out.join("a/b/index.html")).unwrap(), before);
        assert_eq!(names_beside(dir.path()), ["public", SPARE_BESIDE]);
    }

    /// A copied file, or a folder above it, swapped for a symlink between the walk and the copy:
    /// the identity the walk recorded no longer matches, and nothing is published.
    #[cfg(unix)]
    #[test]
    fn a_copied_file_swapped_after_the_walk_is_not_published() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let out = dir.path().join("public");
        let secret = dir.path().join("secret");
        fs::create_dir_all(secret.join("img")).unwrap();
        fs::write(secret.join("img/a.svg"), "secret").unwrap();
        fs::create_dir_all(site.join("static/img")).unwrap();
        let file = site.join("static/img/a.svg");
        fs::write(&file, "<svg/>").unwrap();
        write_site(&files(), &out, &site).unwrap();
        let before = fs::read(out.join("a/b/index.html")).unwrap();
        let walked = crate::paths::identity::FileId::of(&fs::metadata(&file).unwrap());
        let swaps: [&dyn Fn(); 2] = [
            &|| {
                fs::remove_file(&file).unwrap();
                symlink(secret.join("img/a.svg"), &file).unwrap();
            },
            &|| {
                fs::remove_file(&file).unwrap();
                fs::remove_dir(site.join("static/img")).unwrap();
                symlink(secret.join("img"), site.join("static/img")).unwrap();
            },
        ];
        for swap in swaps {
            swap();
            let mut copied = files();
            copied.insert(
                OutputPath::known("img/a.svg"),
                FileSource::Copy(file.clone(), walked),
            );
            let err = write_site(&copied, &out, &site).unwrap_err();
            assert_eq!(
                err.to_string().lines().next().unwrap(),
                format!(
                    "static/img/a.svg: error: cannot read: {}",
                    crate::paths::identity::CHANGED
                )
            );
            assert_eq!(
                err.hint.as_deref(),
                Some("run the build again; a file swapped during a build is never published")
            );
            assert_eq!(fs::read(out.join("a/b/index.html")).unwrap(), before);
            assert!(!out.join("img").exists());
            assert_eq!(
                names_beside(dir.path()),
                ["public", "secret", "site", SPARE_BESIDE]
            );
            // Put the real file back for the next swap.
            let _ = fs::remove_file(&file);
            let _ = fs::remove_file(site.join("static/img"));
            fs::create_dir_all(site.join("static/img")).unwrap();
            fs::write(&file, "<svg/>").unwrap();
        }
    }

    #[test]
    fn refuses_folders_it_did_not_create() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("docs");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        let err = write_site(&files(), &out, dir.path()).unwrap_err();
        assert!(err.message.contains("dossier did not create it"), "{err}");
        assert_eq!(fs::read(out.join("notes.txt")).unwrap(), b"mine");
    }

    #[test]
    fn refuses_the_site_root_and_its_parents() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir(&site).unwrap();
        assert!(check_output_dir(&site, &site).is_err());
        assert!(check_output_dir(dir.path(), &site).is_err());
        assert!(check_output_dir(Path::new("/"), &site).is_err());
    }
}
