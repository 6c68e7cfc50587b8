//! The files a site needs beside its pages: theme files from `static/`, `404.html`, redirect
//! pages for aliases, `robots.txt`, and `sitemap.xml` when `base_url` is set.

use crate::config::SiteConfig;
use crate::content::change_log::PageDates;
use crate::content::{walk, Asset, Library};
use crate::error::{Diagnostic, Diagnostics};
use crate::markdown::escape_attribute;
use crate::paths::names::static_output;
use crate::paths::{output_url, output_url_dir, relative_url, OutputPath, SiteUrl};
use crate::render::context::{Link, NavItem, PageContext, PageListing, PageView, SiteView};
use crate::render::Templates;
use std::path::Path;

/// The folder under the site root whose files are copied to the output root.
pub const STATIC_DIR: &str = "static";

/// Every file under `root/static` (problems, such as a symlink leading out of the site, go to
/// `problems`).
pub fn static_files(root: &Path, problems: &mut Diagnostics) -> Vec<Asset> {
    if !root.join(STATIC_DIR).is_dir() {
        return Vec::new();
    }
    walk(root, STATIC_DIR, problems)
        .into_iter()
        .map(|(path, source, id)| Asset {
            output: static_output(&path),
            path,
            source,
            id,
        })
        .collect()
}

/// A file dossier writes itself, not made from one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    /// Its output file (`404.html`).
    pub name: &'static str,
    /// A copied file of the same name (`static/robots.txt`) takes its place.
    pub yields_to_copied: bool,
}

/// The files dossier generates for this site. A new generated file is added here, so every
/// collision with it is found before anything is written.
pub fn generated_files(config: &SiteConfig) -> Vec<Generated> {
    let mut files = vec![
        Generated {
            name: NOT_FOUND,
            yields_to_copied: false,
        },
        Generated {
            name: ROBOTS,
            yields_to_copied: true,
        },
        Generated {
            name: super::feed::FEED_FILE,
            yields_to_copied: true,
        },
    ];
    if config.base_url_with_slash().is_some() {
        files.push(Generated {
            name: SITEMAP,
            yields_to_copied: false,
        });
    }
    files
}

/// The generated files' names.
pub const NOT_FOUND: &str = "404.html";
pub const ROBOTS: &str = "robots.txt";
pub const SITEMAP: &str = "sitemap.xml";
/// The shipped theme's stylesheets (`static/reading.css`, then `static/style.css`), which the
/// built-in `404.html` links, in this order, when present.
pub const STYLESHEETS: [&str; 2] = ["reading.css", "style.css"];

/// Those of [`STYLESHEETS`] the site has among its copied `static/` files, in order.
pub fn theme_stylesheets(statics: &[Asset]) -> Vec<&'static str> {
    STYLESHEETS
        .into_iter()
        .filter(|name| statics.iter().any(|a| a.output == *name))
        .collect()
}

/// A minimal page for `404.html` and other pages without a Markdown source.
pub fn not_found_listing() -> PageListing {
    generated_listing("Page not found", &output_url(NOT_FOUND), None)
}

/// The listing of a page dossier generates (`/tags/`, `/print/`, `404.html`).
pub fn generated_listing(title: &str, url: &SiteUrl, description: Option<String>) -> PageListing {
    PageListing {
        title: title.to_owned(),
        description,
        url: url.to_string(),
        path: String::new(),
        date: None,
        updated: None,
        dates: Default::default(),
        weight: None,
        tags: Vec::new(),
        tag_links: Vec::new(),
        extra: Default::default(),
        is_section: false,
    }
}

/// The context of a page dossier generates, shaped like a content page's so that the theme's
/// `base.html` works for it: no body, no section, no neighbours.
pub fn generated_context<'a>(
    site: &'a SiteView,
    listing: &'a PageListing,
    nav: Vec<NavItem>,
    breadcrumbs: &'a [Link],
) -> PageContext<'a> {
    let slug = listing
        .url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let page = PageView {
        listing,
        slug,
        permalink: site.base_url.as_ref().map_or_else(
            || listing.url.clone(),
            |b| format!("{b}{}", listing.url.trim_start_matches('/')),
        ),
        content: "",
        excerpt: None,
        toc: &[],
        word_count: 0,
        reading_minutes: 0,
        is_home: false,
        backlinks: Vec::new(),
        ancestors: breadcrumbs,
        sources: Vec::new(),
    };
    PageContext {
        site,
        page,
        section: None,
        nav,
        breadcrumbs,
        prev: None,
        next: None,
        toc: &[],
    }
}

/// `404.html`: the site's own template if it has one, else a plain page.
pub fn not_found_page(
    site: &SiteView,
    nav: Vec<NavItem>,
    library: &Library,
    templates: &Templates,
    tera: &tera::Tera,
    stylesheets: &[&str],
) -> Result<String, Diagnostic> {
    if !templates.has("404.html") {
        // Site-root URLs: `not_found_links` makes them absolute with `base_url`, since this
        // page is served at any depth.
        let home = escape_attribute(&library.home().url);
        let style: String = stylesheets
            .iter()
            .map(|name| {
                format!(
                    "<link rel=\"stylesheet\" href=\"/{}\">\n",
                    escape_attribute(name)
                )
            })
            .collect();
        return Ok(format!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Page not found — {}</title>\n{style}</head>\n<body>\n<main>\n<h1>Page not found</h1>\n<p>There is no page at this address. <a href=\"{home}\">Go to the home page</a>.</p>\n</main>\n</body>\n</html>\n",
            escape_attribute(&site.language),
            escape_attribute(&site.title)
        ));
    }
    let listing = not_found_listing();
    let mut context = generated_context(site, &listing, nav, &[]);
    context.page.slug = "404".to_owned();
    let context = tera::Context::from_serialize(&context)
        .map_err(|e| Diagnostic::error("templates/404.html", e.to_string()))?;
    crate::render::traps::render(tera, "404.html", &context)
        .map_err(|err| templates.diagnostic("404.html", &err))
}

/// A page at an old address that sends readers to the page's new one.
pub fn alias_page(
    alias_output: &OutputPath,
    target_url: &str,
    title: &str,
    config: &SiteConfig,
) -> String {
    let dir = output_url_dir(alias_output);
    let to = escape_attribute(&relative_url(&dir, target_url, config.browse_from_disk));
    // A canonical link should be absolute; it can be only when the site's address is known.
    let canonical = config.base_url_with_slash().map_or_else(
        || to.clone(),
        |base| escape_attribute(&format!("{base}{}", target_url.trim_start_matches('/'))),
    );
    let language = &config.language;
    let title = escape_attribute(title);
    let language = escape_attribute(language);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={to}\">\n<link rel=\"canonical\" href=\"{canonical}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{to}\">{title}</a>.</p>\n</body>\n</html>\n"
    )
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
/// latest of `updated`, `updates` and `corrections`, else `date`) as `lastmod`; then the
/// `generated` pages' URLs (the tag pages).
pub fn sitemap(base: &str, library: &Library, generated: &[SiteUrl]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    // Room for every page at once (with its `lastmod`): at 100,000 pages the sitemap is
    // megabytes, and growing it by doubling would hold far more.
    let urls: usize = (library.pages.iter()).map(|p| p.url.len()).sum();
    xml.reserve(urls + library.pages.len() * (base.len() + 64));
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
    for url in generated {
        xml += &format!(
            "  <url><loc>{}{}</loc></url>\n",
            escape_attribute(base),
            escape_attribute(url.trim_start_matches('/'))
        );
    }
    xml + "</urlset>\n"
}

/// `404.html` is served at any address, so its links are made absolute when `base_url` is
/// known, and relative to the site root otherwise.
pub(super) fn not_found_links(html: &str, config: &SiteConfig) -> String {
    use crate::links::html::{rewrite, Rewrite};
    let base = config.base_url_with_slash();
    let how = Rewrite {
        output: NOT_FOUND,
        relativize: true,
        base: base.as_deref(),
        index_links: config.browse_from_disk,
    };
    rewrite(html, how).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_pages_redirect_relatively() {
        let config: SiteConfig = serde_yaml::from_str("title: T").unwrap();
        let output = crate::paths::names::alias_output("/old/").unwrap();
        let html = alias_page(&output, "/new/", "New", &config);
        assert!(html.contains("content=\"0; url=../new/\""));
        assert!(html.contains("<a href=\"../new/\">New</a>"));
        assert!(html.contains("<link rel=\"canonical\" href=\"../new/\">"));
    }

    #[test]
    fn alias_pages_have_an_absolute_canonical_link_with_base_url() {
        let config: SiteConfig =
            serde_yaml::from_str("title: T\nbase_url: https://e.org/x").unwrap();
        let output = crate::paths::names::alias_output("/old/").unwrap();
        let html = alias_page(&output, "/new/", "New", &config);
        assert!(html.contains("<link rel=\"canonical\" href=\"https://e.org/x/new/\">"));
        assert!(html.contains("content=\"0; url=../new/\""));
    }
}
