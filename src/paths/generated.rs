//! The addresses of the pages dossier generates without a Markdown source: the tag index
//! (`/tags/`), one page per tag (`/tags/<slug>/`) and the one-page reading copy (`/print/`),
//! and the rule for files read beside a page (`load_data(path="list.csv", beside=page.path)`).
//! Like every other address they come from here, so the claims check, the writer and the link
//! checker agree on them.

use super::{NameProblem, OutputPath, SiteUrl, SourcePath};

/// The folder of the tag pages (`/tags/`).
pub const TAGS_DIR: &str = "tags";

/// The folder of the page holding the whole site in reading order (`/print/`).
pub const PRINT_DIR: &str = "print";

/// The slug of a tag (`Foreign Policy` → `foreign-policy`); a tag with no letter or digit is
/// refused, since it would have no address.
pub fn tag_slug(tag: &str) -> Result<String, NameProblem> {
    let slug = slug::slugify(tag);
    if slug.is_empty() {
        return Err(NameProblem {
            message: format!("the tag `{tag}` gives an empty URL segment"),
            hint: "use letters or digits in the tag".to_owned(),
            in_slug: false,
        });
    }
    Ok(slug)
}

/// The URL of the tag index: `/tags/`.
pub fn tag_index_url() -> SiteUrl {
    SiteUrl::from_segments(&[TAGS_DIR], true)
}

/// The URL of a tag's page, from its slug: `/tags/foreign-policy/`.
pub fn tag_url(slug: &str) -> SiteUrl {
    SiteUrl::from_segments(&[TAGS_DIR, slug], true)
}

/// The URL of the print page: `/print/`.
pub fn print_url() -> SiteUrl {
    SiteUrl::from_segments(&[PRINT_DIR], true)
}

/// The output file of a generated page's URL (`/tags/x/` → `tags/x/index.html`).
pub fn generated_output(url: &SiteUrl) -> OutputPath {
    url.output()
}

/// The file `relative` names beside the page `page` (both under `content/`): relative to the
/// page's folder, `..` going up, never out of `content/`. A leading `/` is refused (a path from
/// the content root is written `@/people/list.csv`, which this also takes).
pub fn beside(page: &SourcePath, relative: &str) -> Result<SourcePath, String> {
    if let Some(from_root) = relative.strip_prefix("@/") {
        return normalised(Vec::new(), from_root, relative);
    }
    if relative.starts_with('/') || relative.contains('\\') {
        return Err(format!(
            "`{relative}` is not a path relative to the page: write it like `list.csv` or `../data/list.csv`"
        ));
    }
    let start: Vec<&str> = page.dir().split('/').filter(|s| !s.is_empty()).collect();
    normalised(start, relative, relative)
}

fn normalised<'a>(
    mut parts: Vec<&'a str>,
    path: &'a str,
    written: &str,
) -> Result<SourcePath, String> {
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!("`{written}` leads out of content/"));
                }
            }
            name => parts.push(name),
        }
    }
    if parts.is_empty() {
        return Err(format!("`{written}` names no file"));
    }
    Ok(SourcePath::new(&parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_have_slugged_addresses() {
        assert_eq!(tag_slug("Foreign Policy").unwrap(), "foreign-policy");
        assert_eq!(tag_slug("foreign  policy!").unwrap(), "foreign-policy");
        assert!(tag_slug("!!!").is_err());
        assert_eq!(tag_url("foreign-policy"), "/tags/foreign-policy/");
        assert_eq!(
            generated_output(&tag_url("foreign-policy")),
            "tags/foreign-policy/index.html"
        );
        assert_eq!(generated_output(&tag_index_url()), "tags/index.html");
        assert_eq!(generated_output(&print_url()), "print/index.html");
    }

    #[test]
    fn files_beside_a_page_are_found_from_its_folder() {
        let bundle = SourcePath::new("people/index.md");
        assert_eq!(beside(&bundle, "list.csv").unwrap(), "people/list.csv");
        assert_eq!(beside(&bundle, "./a/b.json").unwrap(), "people/a/b.json");
        assert_eq!(beside(&bundle, "../top.csv").unwrap(), "top.csv");
        assert_eq!(
            beside(&SourcePath::new("about.md"), "list.csv").unwrap(),
            "list.csv"
        );
        assert_eq!(beside(&bundle, "@/x/y.csv").unwrap(), "x/y.csv");
        assert_eq!(
            beside(&bundle, "../../x.csv").unwrap_err(),
            "`../../x.csv` leads out of content/"
        );
        assert!(beside(&bundle, "/x.csv").is_err());
    }
}
