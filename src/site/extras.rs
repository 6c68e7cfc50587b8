//! The files a site needs beside its pages: theme files from `static/`, `404.html`, redirect
//! pages for aliases, `robots.txt`, and `sitemap.xml` when `base_url` is set.

use crate::config::SiteConfig;
use crate::content::change_log::PageDates;
use crate::content::{is_ignored_name, links_outside, outside_error, Asset, Library};
use crate::error::Diagnostic;
use crate::links::html::relative_url;
use crate::markdown::escape_attribute;
use crate::render::context::{NavItem, PageContext, PageSummary, PageView, SiteView};
use crate::render::Templates;
use std::path::Path;

/// The folder under the site root whose files are copied to the output root.
pub const STATIC_DIR: &str = "static";

/// Every file under `root/static`.
pub fn static_files(root: &Path) -> Result<Vec<Asset>, Diagnostic> {
    let dir = root.join(STATIC_DIR);
    let mut assets = Vec::new();
    if !dir.is_dir() {
        return Ok(assets);
    }
    let walker = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry =
            entry.map_err(|e| Diagnostic::error(STATIC_DIR, format!("cannot read: {e}")))?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            if entry.path_is_symlink() && links_outside(entry.path(), root) {
                return Err(outside_error(&Path::new(STATIC_DIR).join(&rel)));
            }
            assets.push(Asset {
                output: rel.clone(),
                path: rel,
                source: entry.path().to_path_buf(),
            });
        }
    }
    Ok(assets)
}

/// A minimal page for `404.html` and other pages without a Markdown source.
pub fn not_found_summary() -> PageSummary {
    PageSummary {
        title: "Page not found".to_owned(),
        description: None,
        url: "/404.html".to_owned(),
        path: String::new(),
        date: None,
        updated: None,
        dates: Default::default(),
        weight: None,
        tags: Vec::new(),
        extra: Default::default(),
        is_section: false,
    }
}

/// `404.html`: the site's own template if it has one, else a plain page.
pub fn not_found_page(
    site: &SiteView,
    nav: Vec<NavItem>,
    library: &Library,
    templates: &Templates,
    tera: &tera::Tera,
) -> Result<String, Diagnostic> {
    if !templates.has("404.html") {
        let home = relative_url("", &library.home().url, false);
        return Ok(format!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Page not found — {}</title>\n</head>\n<body>\n<main>\n<h1>Page not found</h1>\n<p>There is no page at this address. <a href=\"{home}\">Go to the home page</a>.</p>\n</main>\n</body>\n</html>\n",
            escape_attribute(&site.language),
            escape_attribute(&site.title)
        ));
    }
    let summary = not_found_summary();
    let page = PageView {
        summary: &summary,
        slug: "404".to_owned(),
        permalink: site
            .base_url
            .as_ref()
            .map_or_else(|| summary.url.clone(), |b| format!("{b}404.html")),
        content: "",
        summary_html: None,
        toc: &[],
        word_count: 0,
        reading_minutes: 0,
        is_home: false,
        backlinks: Vec::new(),
        ancestors: &[],
    };
    let context = PageContext {
        site,
        page,
        section: None,
        nav,
        breadcrumbs: &[],
        prev: None,
        next: None,
        toc: &[],
    };
    let context = tera::Context::from_serialize(&context)
        .map_err(|e| Diagnostic::error("templates/404.html", e.to_string()))?;
    tera.render("404.html", &context)
        .map_err(|err| templates.diagnostic("404.html", &err))
}

/// A page at an old address that sends readers to the page's new one.
pub fn alias_page(
    alias_output: &str,
    target_url: &str,
    title: &str,
    config: &SiteConfig,
) -> String {
    let dir = alias_output.rsplit_once('/').map_or("", |(d, _)| d);
    let to = escape_attribute(&relative_url(dir, target_url, config.browse_from_disk));
    let language = &config.language;
    let title = escape_attribute(title);
    let language = escape_attribute(language);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={to}\">\n<link rel=\"canonical\" href=\"{to}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{to}\">{title}</a>.</p>\n</body>\n</html>\n"
    )
}

/// Output file of an alias (`/old/` → `old/index.html`, `/old.html` → `old.html`).
pub fn alias_output(alias: &str) -> String {
    let path = alias.trim_start_matches('/');
    let last = path.rsplit('/').next().unwrap_or(path);
    if path.ends_with('/') || !last.contains('.') {
        format!("{}/index.html", path.trim_end_matches('/'))
    } else {
        path.to_owned()
    }
}

/// `robots.txt`, pointing at the sitemap when there is one.
pub fn robots(config: &SiteConfig) -> String {
    let mut text = "User-agent: *\nAllow: /\n".to_owned();
    if let Some(base) = config.base_url_with_slash() {
        text += &format!("Sitemap: {base}sitemap.xml\n");
    }
    text
}

/// `sitemap.xml` with every page's absolute URL, in reading order, and its last change (the
/// latest of `updated`, `updates` and `corrections`, else `date`) as `lastmod`.
pub fn sitemap(base: &str, library: &Library) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for &id in &library.reading_order {
        let page = &library.pages[id];
        xml += &format!(
            "  <url><loc>{}{}</loc>",
            escape_attribute(base),
            escape_attribute(page.url.trim_start_matches('/'))
        );
        let dates = PageDates::of(&page.front);
        if let Some(last) = dates.last_modified() {
            xml += &format!("<lastmod>{}</lastmod>", last.datetime);
        }
        xml += "</url>\n";
    }
    xml + "</urlset>\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_outputs() {
        assert_eq!(alias_output("/old/"), "old/index.html");
        assert_eq!(alias_output("old/name"), "old/name/index.html");
        assert_eq!(alias_output("/old.html"), "old.html");
    }

    #[test]
    fn alias_pages_redirect_relatively() {
        let config: SiteConfig = serde_yaml::from_str("title: T").unwrap();
        let html = alias_page("old/index.html", "/new/", "New", &config);
        assert!(html.contains("content=\"0; url=../new/\""));
        assert!(html.contains("<a href=\"../new/\">New</a>"));
    }
}
