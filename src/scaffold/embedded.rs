//! The files of the explainer starter (`dossier init`): its own content and settings, and the
//! shipped theme, embedded from the repository's `templates/` and `static/` so the starter can
//! never drift from the theme the shipped explainer is built with.

/// The shipped theme, as (path, contents); a test checks it equals `templates/` and `static/`.
pub(super) const THEME: &[(&str, &str)] = &[
    (
        "static/favicon.svg",
        include_str!("../../static/favicon.svg"),
    ),
    (
        "static/reading.css",
        include_str!("../../static/reading.css"),
    ),
    ("static/style.css", include_str!("../../static/style.css")),
    (
        "templates/404.html",
        include_str!("../../templates/404.html"),
    ),
    (
        "templates/base.html",
        include_str!("../../templates/base.html"),
    ),
    (
        "templates/changes.html",
        include_str!("../../templates/changes.html"),
    ),
    (
        "templates/index.html",
        include_str!("../../templates/index.html"),
    ),
    (
        "templates/macros.html",
        include_str!("../../templates/macros.html"),
    ),
    (
        "templates/page.html",
        include_str!("../../templates/page.html"),
    ),
    (
        "templates/participants.html",
        include_str!("../../templates/participants.html"),
    ),
    (
        "templates/person.html",
        include_str!("../../templates/person.html"),
    ),
    (
        "templates/print.html",
        include_str!("../../templates/print.html"),
    ),
    (
        "templates/quotes.html",
        include_str!("../../templates/quotes.html"),
    ),
    (
        "templates/section.html",
        include_str!("../../templates/section.html"),
    ),
    (
        "templates/shortcodes/known.html",
        include_str!("../../templates/shortcodes/known.html"),
    ),
    (
        "templates/shortcodes/quote.html",
        include_str!("../../templates/shortcodes/quote.html"),
    ),
    (
        "templates/shortcodes/unknown.html",
        include_str!("../../templates/shortcodes/unknown.html"),
    ),
    (
        "templates/sources.html",
        include_str!("../../templates/sources.html"),
    ),
    (
        "templates/tag.html",
        include_str!("../../templates/tag.html"),
    ),
    (
        "templates/tags.html",
        include_str!("../../templates/tags.html"),
    ),
    (
        "templates/timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
];

/// The explainer starter's settings and pages, as (path, contents).
pub(super) const CONTENT: &[(&str, &str)] = &[
    (
        "content/_index.md",
        include_str!("explainer/content/_index.md"),
    ),
    (
        "content/background.md",
        include_str!("explainer/content/background.md"),
    ),
    (
        "content/changes.md",
        include_str!("explainer/content/changes.md"),
    ),
    (
        "content/participants/_index.md",
        include_str!("explainer/content/participants/_index.md"),
    ),
    (
        "content/participants/alex-doe.md",
        include_str!("explainer/content/participants/alex-doe.md"),
    ),
    (
        "content/participants/sam-roe.md",
        include_str!("explainer/content/participants/sam-roe.md"),
    ),
    (
        "content/quotes.md",
        include_str!("explainer/content/quotes.md"),
    ),
    ("site.yaml", include_str!("explainer/site.yaml")),
    ("sources.yaml", include_str!("explainer/sources.yaml")),
    (
        "sources/statement.txt",
        include_str!("explainer/sources/statement.txt"),
    ),
    (
        ".gitignore",
        "/public\n/.public.dossier-*\n/.dossier-cache\n",
    ),
];

#[cfg(test)]
mod tests {
    use super::THEME;
    use std::path::Path;

    /// Every file under the repository's `templates/` and `static/`, as (path, contents).
    fn theme_on_disk() -> Vec<(String, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<(String, String)> = ["templates", "static"]
            .iter()
            .flat_map(|top| walkdir::WalkDir::new(root.join(top)))
            .map(Result::unwrap)
            .filter(|entry| entry.file_type().is_file())
            .map(|entry| {
                let path = entry.path().strip_prefix(root).unwrap();
                let name = path.to_string_lossy().replace('\\', "/");
                (name, std::fs::read_to_string(entry.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn the_starter_theme_is_the_shipped_theme_file_for_file() {
        let mut embedded: Vec<(String, String)> = THEME
            .iter()
            .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
            .collect();
        embedded.sort();
        let names = |files: &[(String, String)]| -> Vec<String> {
            files.iter().map(|(name, _)| name.clone()).collect()
        };
        let on_disk = theme_on_disk();
        assert_eq!(
            names(&embedded),
            names(&on_disk),
            "add every file of templates/ and static/ to THEME in src/scaffold/embedded.rs"
        );
        assert!(
            embedded == on_disk,
            "the embedded theme differs from the repository's"
        );
    }
}
