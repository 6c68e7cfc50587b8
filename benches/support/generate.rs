//! Generates explainer-shaped sites of any size for benchmarks: parts of ten chapters of 100
//! pages, each page with headings and internal links (with anchors), rendered with the shipped
//! theme.

use std::fs;
use std::path::Path;

/// Pages per chapter, chapters per part: a 10,000-page site has 10 parts of 10 chapters.
const PER_CHAPTER: usize = 100;
const CHAPTERS_PER_PART: usize = 10;

/// Writes a site of `pages` pages into `root`, using the repository's templates and static files,
/// so the numbers reflect the real theme.
pub fn generate(root: &Path, pages: usize) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&repo.join("templates"), &root.join("templates"));
    copy_dir(&repo.join("static"), &root.join("static"));
    fs::copy(repo.join("site.yaml"), root.join("site.yaml")).unwrap();
    let content = root.join("content");
    fs::create_dir_all(&content).unwrap();
    fs::write(
        content.join("_index.md"),
        "---\ntitle: Generated explainer\n---\nStart with [the first part](@/p0/_index.md).\n",
    )
    .unwrap();
    let chapters = pages.div_ceil(PER_CHAPTER);
    for c in 0..chapters {
        let part = c / CHAPTERS_PER_PART;
        let part_dir = content.join(format!("p{part}"));
        if c % CHAPTERS_PER_PART == 0 {
            fs::create_dir_all(&part_dir).unwrap();
            fs::write(
                part_dir.join("_index.md"),
                format!("---\ntitle: Part {part}\nweight: {part}\n---\nPart {part} begins with [its first chapter](@/p{part}/c{c}/_index.md).\n"),
            )
            .unwrap();
        }
        let dir = part_dir.join(format!("c{c}"));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("_index.md"),
            format!("---\ntitle: Chapter {c}\nweight: {c}\n---\nChapter {c} of [part {part}](@/p{part}/_index.md).\n"),
        )
        .unwrap();
        for p in 0..PER_CHAPTER.min(pages - c * PER_CHAPTER) {
            fs::write(dir.join(format!("n{p}.md")), page(part, c, p)).unwrap();
        }
    }
}

/// The source path of page `p` of chapter `c` in part `part`.
pub fn page_path(part: usize, c: usize, p: usize) -> String {
    format!("content/p{part}/c{c}/n{p}.md")
}

/// One page: front matter, four sections of text, links to its neighbour and its chapter.
pub fn page(part: usize, chapter: usize, page: usize) -> String {
    let neighbour = (page + 1) % PER_CHAPTER;
    let mut text = format!(
        "---\ntitle: Page {chapter}-{page}\nweight: {page}\ndescription: Page {page} of chapter {chapter}\n---\n"
    );
    for h in 0..4 {
        text += &format!(
            "## Heading {h}\n\nParagraph {h} of page {page}, with *emphasis*, a [link](@/p{part}/c{chapter}/n{neighbour}.md#heading-1) \
             and [its chapter](@/p{part}/c{chapter}/_index.md). Enough words to look like a real paragraph of an explainer, \
             which says what happened, who took part and why it matters.\n\n"
        );
    }
    text
}

/// Copies the repository's own site (the shipped explainer) into `root`.
pub fn copy_explainer(root: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["content", "templates", "static"] {
        copy_dir(&repo.join(part), &root.join(part));
    }
    for file in ["site.yaml", "sources.yaml"] {
        if repo.join(file).is_file() {
            fs::copy(repo.join(file), root.join(file)).unwrap();
        }
    }
    // The shipped explainer's source text is git-ignored; with a copy beside the repository,
    // the benchmark verifies the quotations as an author's build does.
    let article = repo.join("../shared/source/article.txt");
    if article.is_file() {
        fs::create_dir_all(root.join("sources")).unwrap();
        fs::copy(article, root.join("sources/article.txt")).unwrap();
    }
}

/// Copies the folder `from` to `to`, creating what is missing.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}
