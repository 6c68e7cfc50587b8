//! Tags: the `tags:` of every page gathered into one list, each with its slug, address and pages
//! (in reading order), and the generated pages that show them: `templates/tag.html` once per
//! tag at `/tags/<slug>/` and `templates/tags.html` at `/tags/`. A site without one of these
//! templates gets none of those pages (and its pages' `tag_links` are empty), so a theme
//! without tags never gets pages it cannot style.
//!
//! Two spellings with one slug (`Foreign Policy`, `foreign policy`) are one tag, shown as the
//! spelling met first in reading order; each other spelling is a warning at its line. Tag pages
//! are rendered afresh on every build from the whole site, so adding a tag to a page updates
//! them during `watch` and `serve` without any trace.

use super::pages::nav;
use crate::content::front_matter::{split, tag_position};
use crate::content::{Library, Page, PageId};
use crate::error::Diagnostic;
use crate::links::html::{rewrite, Rewrite, Scan};
use crate::paths::generated::{generated_output, tag_index_url, tag_slug, tag_url};
use crate::paths::{OutputPath, SiteUrl};
use crate::render::context::{Link, PageListing, SiteView, TagView, TaggedContext};
use crate::render::Templates;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The template of a tag's page.
pub const TAG_TEMPLATE: &str = "tag.html";
/// The template of the tag index.
pub const TAGS_TEMPLATE: &str = "tags.html";

/// One tag of the site.
#[derive(Debug, Clone)]
pub struct Tag {
    /// As first written in reading order.
    pub name: String,
    pub slug: String,
    pub url: SiteUrl,
    pub output: OutputPath,
    /// The pages carrying it, in reading order.
    pub pages: Vec<PageId>,
}

/// Every tag of the site, by slug, and which tag pages are written.
#[derive(Debug, Clone, Default)]
pub struct Tags {
    pub tags: Vec<Tag>,
    /// `templates/tag.html` exists: a page per tag is written, and pages link their tags.
    pub pages: bool,
    /// `templates/tags.html` exists (and the site has a tag): `/tags/` is written.
    pub index: bool,
    /// Each spelling met → its slug (each spelling slugified once, not once per page).
    slugs: HashMap<String, String>,
}

impl Tags {
    /// The tags of `library`'s pages; a second spelling of a tag is a warning in `warnings`.
    pub fn collect(
        library: &Library,
        templates: &Templates,
        warnings: &mut Vec<Diagnostic>,
    ) -> Tags {
        let mut by_slug: BTreeMap<String, Tag> = BTreeMap::new();
        let mut slugs: HashMap<String, String> = HashMap::new();
        for &id in &library.reading_order {
            let page = &library.pages[id];
            for name in &page.front.tags {
                let slug = match slugs.get(name) {
                    Some(slug) => slug.clone(),
                    // A tag without a slug was reported with the front matter.
                    None => match tag_slug(name) {
                        Ok(slug) => {
                            slugs.insert(name.clone(), slug.clone());
                            slug
                        }
                        Err(_) => continue,
                    },
                };
                let url = tag_url(&slug);
                let tag = by_slug.entry(slug.clone()).or_insert_with(|| Tag {
                    name: name.clone(),
                    output: generated_output(&url),
                    url,
                    slug,
                    pages: Vec::new(),
                });
                if tag.name != *name {
                    warnings.push(second_spelling(page, name, tag));
                }
                if tag.pages.last() != Some(&id) {
                    tag.pages.push(id);
                }
            }
        }
        let tags: Vec<Tag> = by_slug.into_values().collect();
        Tags {
            pages: templates.has(TAG_TEMPLATE),
            index: templates.has(TAGS_TEMPLATE) && !tags.is_empty(),
            tags,
            slugs,
        }
    }

    /// The output files of the tag pages this site gets, with the index first.
    pub fn outputs(&self) -> Vec<(Option<&Tag>, OutputPath)> {
        let mut outputs = Vec::new();
        if self.index {
            outputs.push((None, generated_output(&tag_index_url())));
        }
        if self.pages {
            outputs.extend(self.tags.iter().map(|t| (Some(t), t.output.clone())));
        }
        outputs
    }

    /// The URLs of the tag pages, for the sitemap: the index, then each tag by slug.
    pub fn sitemap_urls(&self) -> Vec<SiteUrl> {
        self.outputs().into_iter().map(|(_, o)| o.url()).collect()
    }

    /// The links to the tags of a page, as the page writes them, when tag pages are written.
    pub fn links_of(&self, page: &Page) -> Vec<Link> {
        if !self.pages {
            return Vec::new();
        }
        page.front
            .tags
            .iter()
            .filter_map(|name| {
                let slug = match self.slugs.get(name) {
                    Some(slug) => slug.clone(),
                    None => tag_slug(name).ok()?,
                };
                Some(Link {
                    title: name.clone(),
                    url: tag_url(&slug).to_string(),
                })
            })
            .collect()
    }
}

fn second_spelling(page: &Page, name: &str, tag: &Tag) -> Diagnostic {
    let (line, column) = split(&page.shown, &page.text)
        .ok()
        .and_then(|s| {
            tag_position(s.yaml, name).map(|(line, column)| (line + s.yaml_first_line, column))
        })
        .unwrap_or((1, 1));
    Diagnostic::warning(
        &page.shown,
        format!(
            "the tag `{name}` is the tag `{}` written another way: both are shown as `{}` at {}",
            tag.name, tag.name, tag.url
        ),
    )
    .at(&page.text, line, column)
    .with_hint(format!("write `{}` on every page", tag.name))
}

/// What rendering the tag pages needs.
pub(super) struct TagInputs<'a> {
    pub site: &'a SiteView,
    pub library: &'a Library,
    pub listings: &'a [PageListing],
    pub tera: &'a tera::Tera,
    pub templates: &'a Templates,
    pub index_links: bool,
}

/// A rendered tag page: its output file, HTML and scan.
pub(super) type Written = (OutputPath, Arc<[u8]>, Arc<Scan>, &'static str);

/// Renders the tag index and every tag's page.
pub(super) fn render(tags: &Tags, inputs: &TagInputs<'_>) -> Result<Vec<Written>, Diagnostic> {
    let views: Vec<TagView<'_>> = tags.tags.iter().map(|t| view(t, inputs)).collect();
    let home = inputs.library.home();
    let home = Link {
        title: home.link_title().to_owned(),
        url: home.url.to_string(),
    };
    let index_url = tag_index_url();
    let index_trail = [home.clone()];
    let mut tag_trail = vec![home];
    let mut written = Vec::new();
    if tags.index {
        tag_trail.push(Link {
            title: "Tags".to_owned(),
            url: index_url.to_string(),
        });
        let listing = super::extras::generated_listing("Tags", &index_url, None);
        let page = Generated {
            template: TAGS_TEMPLATE,
            output: generated_output(&index_url),
            listing: &listing,
            trail: &index_trail,
        };
        written.push(render_one(inputs, page, None, &views)?);
    }
    if tags.pages {
        for (tag, view) in tags.tags.iter().zip(&views) {
            let title = format!("Tagged “{}”", tag.name);
            let about = format!("Every page tagged “{}”.", tag.name);
            let listing = super::extras::generated_listing(&title, &tag.url, Some(about));
            let page = Generated {
                template: TAG_TEMPLATE,
                output: tag.output.clone(),
                listing: &listing,
                trail: &tag_trail,
            };
            written.push(render_one(inputs, page, Some(view), &[])?);
        }
    }
    Ok(written)
}

/// One generated tag page: its template, file, listing and breadcrumbs.
struct Generated<'a> {
    template: &'static str,
    output: OutputPath,
    listing: &'a PageListing,
    trail: &'a [Link],
}

fn render_one(
    inputs: &TagInputs<'_>,
    page: Generated<'_>,
    tag: Option<&TagView<'_>>,
    tags: &[TagView<'_>],
) -> Result<Written, Diagnostic> {
    let context = TaggedContext {
        base: super::extras::generated_context(
            inputs.site,
            page.listing,
            nav(None, inputs.library),
            page.trail,
        ),
        tag,
        tags,
    };
    let html = render_generated(inputs.tera, inputs.templates, page.template, &context)?;
    let how = Rewrite {
        output: &page.output,
        relativize: true,
        base: None,
        index_links: inputs.index_links,
    };
    let (html, scan) = rewrite(&html, how);
    Ok((
        page.output,
        html.into_bytes().into(),
        Arc::new(scan),
        page.template,
    ))
}

fn view<'a>(tag: &'a Tag, inputs: &TagInputs<'a>) -> TagView<'a> {
    TagView {
        name: &tag.name,
        slug: &tag.slug,
        url: tag.url.as_str(),
        page_count: tag.pages.len(),
        pages: tag.pages.iter().map(|&id| &inputs.listings[id]).collect(),
    }
}

/// Renders `template` with a context of a generated page; errors are placed in the template.
pub(super) fn render_generated(
    tera: &tera::Tera,
    templates: &Templates,
    template: &str,
    context: &impl serde::Serialize,
) -> Result<String, Diagnostic> {
    let context = tera::Context::from_serialize(context).map_err(|e| {
        Diagnostic::error(
            std::path::Path::new("templates").join(template),
            e.to_string(),
        )
    })?;
    crate::render::traps::render(tera, template, &context)
        .map_err(|err| templates.diagnostic(template, &err))
}
