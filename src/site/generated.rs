//! The pages dossier generates from the whole site (the tag pages, `site/tags.rs`, and the print
//! page, `site/print.rs`), put together after the content pages. They read every page, so they
//! are made afresh on every build rather than kept whole by the cache: an incremental rebuild
//! gives the same bytes as a clean one without tracing them. The print page is put together
//! from parts the build cache keeps (`site/cache/print`), each kept only while what it is made
//! from is the same.

use super::bodies::Body;
use super::cache::print::{stand_in, PageInputs, PrintCache, PrintHtml};
use super::cache::Fingerprint;
use super::pages::nav;
use super::print::{chapters, Chapter, PRINT_TEMPLATE};
use super::tags::{render_generated, TagInputs, Tags, Written};
use crate::content::Library;
use crate::error::Diagnostic;
use crate::links::html::{rewrite, Rewrite};
use crate::paths::generated::print_url;
use crate::paths::OutputPath;
use crate::render::context::{Link, PageListing, PrintContext, SiteView};
use crate::render::Templates;
use std::sync::Arc;

/// What the generated pages read.
pub(super) struct GeneratedInputs<'a> {
    pub site: &'a SiteView,
    pub library: &'a Library,
    pub listings: &'a Arc<[PageListing]>,
    pub bodies: &'a [Arc<Body>],
    pub registry: &'a crate::sources::Registry,
    pub tera: &'a tera::Tera,
    pub templates: &'a Templates,
    pub index_links: bool,
    pub tags: &'a Tags,
    /// The print page is written.
    pub print: bool,
    /// The template set and the sources.
    pub fingerprint: super::cache::Key,
    pub index: &'a Arc<crate::render::functions::SiteIndex>,
    /// Source path → URL of content assets.
    pub assets: &'a std::collections::HashMap<String, String>,
}

/// The generated pages of a build.
pub(super) struct GeneratedPages {
    pub pages: Vec<Written>,
    /// The pages whose scan is the very one of the last build (what their links lead to was
    /// checked then).
    pub same_scan: Vec<OutputPath>,
}

/// Every generated page: the tag index, each tag's page and the print page. A page that
/// cannot be rendered stops here; an id repeated on the print page is a problem in `problems`
/// (the page is still written, so links to it are not reported as broken too).
pub(super) fn render_all(
    inputs: &GeneratedInputs<'_>,
    print: Option<&mut PrintCache>,
    problems: &mut Vec<Diagnostic>,
) -> Result<GeneratedPages, Diagnostic> {
    let mut same_scan = Vec::new();
    let mut written = super::tags::render(
        inputs.tags,
        &TagInputs {
            site: inputs.site,
            library: inputs.library,
            listings: inputs.listings,
            tera: inputs.tera,
            templates: inputs.templates,
            index_links: inputs.index_links,
        },
    )?;
    if inputs.print {
        let (page, scan_kept) = print_page(inputs, print, problems)?;
        if scan_kept {
            same_scan.push(page.0.clone());
        }
        written.push(page);
    }
    Ok(GeneratedPages {
        pages: written,
        same_scan,
    })
}

fn print_page(
    inputs: &GeneratedInputs<'_>,
    mut kept: Option<&mut PrintCache>,
    problems: &mut Vec<Diagnostic>,
) -> Result<(Written, bool), Diagnostic> {
    let (chapters, sources) = chapters(
        inputs.library,
        inputs.bodies,
        inputs.listings,
        inputs.registry,
        kept.as_deref_mut(),
    );
    let about = format!("Every page of {}, in reading order.", inputs.site.title);
    let listing = super::extras::generated_listing("One-page version", &print_url(), Some(about));
    let home = inputs.library.home();
    let trail = [Link {
        title: home.link_title().to_owned(),
        url: home.url.to_string(),
    }];
    let base = || {
        super::extras::generated_context(inputs.site, &listing, nav(None, inputs.library), &trail)
    };
    // With stand-ins for the contents, or with the contents.
    let render = |stand_ins: bool| {
        let stand_ins: Vec<String> = match stand_ins {
            true => (0..chapters.len()).map(stand_in).collect(),
            false => Vec::new(),
        };
        let views: Vec<_> = (chapters.iter().enumerate())
            .map(|(i, chapter)| match stand_ins.get(i) {
                Some(stand_in) => chapter.view(stand_in),
                None => chapter.view(&chapter.content),
            })
            .collect();
        let context = PrintContext {
            base: base(),
            chapters: &views,
            sources: &sources,
        };
        render_generated(inputs.tera, inputs.templates, PRINT_TEMPLATE, &context)
    };
    let html = match kept {
        Some(kept) => {
            let contents: Vec<_> = chapters.iter().map(|c| c.content.clone()).collect();
            let page = PageInputs {
                listings: inputs.listings,
                key: skeleton_key(inputs, &base(), &chapters, &sources),
                chapters: chapters.len(),
                index: inputs.index,
                library: inputs.library,
                assets: inputs.assets,
                tera: inputs.tera,
                index_links: inputs.index_links,
            };
            kept.page_html(&page, &contents, render)?
        }
        None => PrintHtml::Rendered(render(false)?),
    };
    let output = super::print::output();
    let (html, scan, scan_kept) = match html {
        PrintHtml::Done(html, scan, kept) => (html, scan, kept),
        PrintHtml::Rendered(html) => {
            let how = Rewrite {
                output: &output,
                relativize: true,
                base: None,
                index_links: inputs.index_links,
            };
            let (html, scan) = rewrite(&super::print::finished(&html), how);
            (html.into_bytes().into(), Arc::new(scan), false)
        }
    };
    for (id, _) in &scan.duplicate_ids {
        problems.push(
            Diagnostic::error(
                std::path::Path::new("templates").join(PRINT_TEMPLATE),
                format!("the print page writes the id `{id}` more than once"),
            )
            .with_hint("give the template's own elements ids that do not start with `page-`"),
        );
    }
    let page = (output, html, scan, PRINT_TEMPLATE);
    Ok((page, scan_kept))
}

/// A fingerprint of what the print page's template reads besides the chapters' contents and
/// their listings (compared apart) and the template functions' answers (traced).
fn skeleton_key(
    inputs: &GeneratedInputs<'_>,
    base: &crate::render::context::PageContext<'_>,
    chapters: &[Chapter<'_>],
    sources: &[crate::sources::cited::PageSource],
) -> super::cache::Key {
    use std::hash::Hash;
    let mut h = Fingerprint::default().json(base).json(&sources);
    (inputs.fingerprint, inputs.index_links).hash(&mut h);
    for chapter in chapters {
        (&chapter.anchor, chapter.depth, &chapter.page.url).hash(&mut h);
    }
    h.digest()
}
