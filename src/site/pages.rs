//! The second render pass: each page through its Tera template, with its typed context (nav,
//! breadcrumbs, prev/next, backlinks), then made portable by the link rewrite.

use super::bodies::Body;
use crate::config::SiteConfig;
use crate::content::{Library, Page, PageId};
use crate::error::{nearest, Diagnostic};
use crate::links::html::{rewrite, Rewrite, Scan};
use crate::output::FileBytes;
use crate::paths::names::{file_role, FileRole};
use crate::render::context::{
    Link, NavItem, PageContext, PageListing, PageView, SectionView, SiteView,
};
use crate::render::Templates;
use std::sync::Arc;

/// Everything the page pass reads, shared by all pages.
pub struct PageInputs<'a> {
    pub config: &'a SiteConfig,
    pub site: &'a SiteView,
    pub library: &'a Library,
    pub bodies: &'a [Arc<Body>],
    pub listings: &'a [PageListing],
    /// For each page, the pages whose bodies link to it, in reading order.
    pub backlinks: &'a [Vec<PageId>],
    /// For each section, the links from the home page down to it (see [`trails`]).
    pub trails: &'a [Vec<Link>],
    /// For each page, its place in the reading order.
    pub positions: &'a [usize],
    pub templates: &'a Templates,
    pub tera: &'a tera::Tera,
    pub registry: &'a crate::sources::Registry,
    /// The site's folder: a page whose Markdown text was let go of is read again from it to
    /// place a mistake in its front matter.
    pub root: &'a std::path::Path,
}

/// A page ready to be written.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    /// Shared, so a page kept from the previous build is the same bytes, not a copy; packed
    /// when the build cache keeps it.
    pub html: FileBytes,
    pub scan: Arc<Scan>,
    /// Shared, so that keeping the page for another build copies no name.
    pub template: Arc<str>,
}

/// The template a page is rendered with.
pub fn template_for(page: &Page, templates: &Templates) -> Result<String, Diagnostic> {
    if let Some(name) = &page.front.template {
        if templates.has(name) {
            return Ok(name.clone());
        }
        let line = page
            .text
            .lines()
            .position(|l| l.trim_start().starts_with("template:"))
            .map_or(1, |i| i + 1);
        let column = page
            .text
            .lines()
            .nth(line - 1)
            .map_or(1, |l| l.find(name.as_str()).map_or(1, |c| c + 1));
        let hint = match nearest(name, templates.page_template_names()) {
            Some(best) => format!("did you mean `{best}`? Templates live in templates/"),
            None => format!("create templates/{name}, or remove the `template:` line"),
        };
        return Err(
            Diagnostic::error(&page.shown, format!("there is no template `{name}`"))
                .at(&page.text, line, column)
                .with_hint(hint),
        );
    }
    let candidates: &[&str] = match (page.is_home(), page.is_section) {
        (true, _) => &["index.html", "section.html"],
        (false, true) => &["section.html"],
        (false, false) => &["page.html"],
    };
    candidates
        .iter()
        .find(|name| templates.has(name))
        .map(|name| (*name).to_owned())
        .ok_or_else(|| {
            Diagnostic::error(
                &page.shown,
                format!(
                    "there is no template `templates/{}` to render this page",
                    candidates[0]
                ),
            )
            .with_hint(format!(
                "create templates/{}, or name another with `template:` in the front matter",
                candidates[0]
            ))
        })
}

/// Renders `page` through `template` with its context, made by [`page_context_with`].
pub fn render_page_with(
    page: &Page,
    template: &str,
    context: &PageContext<'_>,
    inputs: &PageInputs<'_>,
) -> Result<RenderedPage, Diagnostic> {
    let context = tera::Context::from_serialize(context)
        .map_err(|e| Diagnostic::error(&page.shown, e.to_string()))?;
    let html = crate::render::traps::render(inputs.tera, template, &context).map_err(|err| {
        if let Some(problem) = crate::render::page_error::page_problem(&err) {
            // The template says the page is wrong: reported at the page.
            if page.text.is_empty() {
                let text = crate::content::reread_text(inputs.root, page).unwrap_or_default();
                return problem.diagnostic(&page.shown, &text);
            }
            return problem.diagnostic(&page.shown, &page.text);
        }
        let d = inputs.templates.diagnostic(template, &err);
        let too_deep = d.message.starts_with(crate::render::depth::TOO_DEEP_ERROR);
        if d.line > 0 && !too_deep {
            // Placed at its template line: the same for every page, so reported once.
            return d;
        }
        Diagnostic {
            message: format!("{} (while rendering {})", d.message, page.shown.display()),
            ..d
        }
    })?;
    let how = Rewrite {
        output: &page.output,
        relativize: true,
        base: None,
        index_links: inputs.config.browse_from_disk,
    };
    let (html, scan) = rewrite(&html, how);
    Ok(RenderedPage {
        html: FileBytes::Plain(html.into_bytes().into()),
        scan: Arc::new(scan),
        template: template.into(),
    })
}

fn link(page: &Page) -> Link {
    Link {
        title: page.link_title().to_owned(),
        url: page.url.to_string(),
    }
}

/// Everything the template of `page` sees, with the page's body given (a one-off build hands
/// each body over to its page and lets go of it once the page is rendered). What it reads enters
/// the page's key in `site/cache/context.rs`, which must follow any change here.
pub fn page_context_with<'a>(
    page: &'a Page,
    body: &'a Body,
    inputs: &'a PageInputs<'a>,
) -> PageContext<'a> {
    page_context_html(page, body, &body.html, inputs)
}

/// [`page_context_with`] with the body's HTML given apart (the build cache keeps it packed).
pub fn page_context_html<'a>(
    page: &'a Page,
    body: &'a Body,
    html: &'a str,
    inputs: &'a PageInputs<'a>,
) -> PageContext<'a> {
    let library = inputs.library;
    let view = PageView {
        listing: &inputs.listings[page.id],
        slug: page
            .url
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_owned(),
        permalink: match inputs.config.base_url_with_slash() {
            Some(base) => format!("{base}{}", page.url.trim_start_matches('/')),
            None => page.url.to_string(),
        },
        content: html,
        excerpt: body.excerpt.as_deref(),
        toc: &body.toc,
        word_count: body.word_count,
        reading_minutes: body.word_count.div_ceil(200).max(1),
        is_home: page.is_home(),
        backlinks: inputs.backlinks[page.id]
            .iter()
            .map(|&id| link(&library.pages[id]))
            .collect(),
        ancestors: breadcrumbs_of(page, inputs.trails),
        sources: crate::sources::cited::page_sources(
            inputs.registry,
            &page.url,
            &body.toolkit.citations,
        ),
    };
    let section = page.is_section.then(|| {
        let (subsections, pages): (Vec<PageId>, Vec<PageId>) = page
            .children
            .iter()
            .partition(|&&c| library.pages[c].is_section);
        SectionView {
            page: view.clone(),
            pages: pages.iter().map(|&c| &inputs.listings[c]).collect(),
            subsections: subsections.iter().map(|&c| &inputs.listings[c]).collect(),
        }
    });
    let position = inputs.positions[page.id];
    let order = &library.reading_order;
    let neighbour = |i: Option<usize>| {
        i.and_then(|i| order.get(i))
            .map(|&id| link(&library.pages[id]))
    };
    PageContext {
        site: inputs.site,
        page: view,
        section,
        nav: nav(Some(page), library),
        breadcrumbs: breadcrumbs_of(page, inputs.trails),
        prev: neighbour(position.checked_sub(1)),
        next: neighbour(Some(position + 1)),
        toc: &body.toc,
    }
}

/// The home page and the top-level entries, with the current one (if any) marked.
pub fn nav(current: Option<&Page>, library: &Library) -> Vec<NavItem> {
    let home = library.home();
    std::iter::once(home)
        .chain(
            home.children
                .iter()
                .map(|&id| &library.pages[id])
                .filter(|entry| is_top_level(entry)),
        )
        .map(|entry| {
            let is_current = current.is_some_and(|c| c.id == entry.id);
            let inside =
                !entry.is_home() && current.is_some_and(|c| c.url.starts_with(entry.url.as_str()));
            NavItem {
                title: entry.link_title().to_owned(),
                url: entry.url.to_string(),
                current: is_current,
                active: is_current || inside,
            }
        })
        .collect()
}

/// Whether `page` is a top-level part of the site (`people/_index.md`, `about.md`,
/// `report/index.md`). A page deeper in a folder without `_index.md` joins the home section but
/// is not a part of its own, so the top-level navigation leaves it out.
fn is_top_level(page: &Page) -> bool {
    let dir = page.source_dir();
    match file_role(&page.path) {
        FileRole::Leaf => dir.is_empty(),
        FileRole::Section | FileRole::Bundle => !dir.is_empty() && !dir.contains('/'),
    }
}

/// For each section (by page id), the links from the home page down to and including it; empty
/// for pages that are not sections. Pages share their section's trail instead of each building
/// their own.
pub fn trails(library: &Library) -> Vec<Vec<Link>> {
    let mut trails = vec![Vec::new(); library.pages.len()];
    // The reading order visits every section before the sections inside it.
    for &id in &library.reading_order {
        let page = &library.pages[id];
        if page.is_section {
            let mut trail = page.parent.map_or_else(Vec::new, |p| trails[p].clone());
            trail.push(link(page));
            trails[id] = trail;
        }
    }
    trails
}

/// The breadcrumbs of `page`: the trail of its section.
pub fn breadcrumbs_of<'a>(page: &Page, trails: &'a [Vec<Link>]) -> &'a [Link] {
    page.parent.map_or(&[], |parent| &trails[parent])
}
