//! The first render pass: every page's Markdown body, with its shortcodes, to HTML. Finds the
//! page's table of contents, its links (with their positions, for messages) and its shortcode uses.

use super::ids::IdOrigin;
use super::packed::{Packed, Spill};
use super::toolkit::{CallError, PageToolkit};
use crate::content::{Library, Page};
use crate::error::{nearest, Diagnostic};
use crate::links::html::{rewrite, Rewrite};
use crate::links::ContentResolver;
use crate::markdown::{self, CodeBlocks, Footnotes, LinkResolver, TocEntry};
use crate::paths::{url_output, OutputPath};
use crate::render::context::{Link, ShortcodeContext, ShortcodePage, ShortcodeUse};
use crate::render::Templates;
use crate::shortcodes;
use crate::sources::Registry;
use std::collections::{BTreeMap, HashMap};

/// The shortcodes dossier writes itself when the site has no template of that name.
const BUILT_IN: [&str; 3] = ["cite", "event", "figure"];

/// A page's body, rendered.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// Empty while packed (see [`Body::pack_html`]); with `excerpt`, `toc`, `id_origins` and
    /// `written_links` while packed for its page (see [`Body::pack_for_page`]).
    pub html: String,
    /// `html`, compressed, while the build cache keeps the body.
    pub packed_html: Option<Packed>,
    /// `html` and what only its page reads, compressed, while a one-off build waits to render
    /// the page (see [`super::packed_body`]).
    pub packed_parts: Option<Packed>,
    /// The body before a `<!-- more -->` line (`page.summary` in templates).
    pub excerpt: Option<String>,
    pub toc: Vec<TocEntry>,
    pub word_count: usize,
    /// Links written in the Markdown or made by its shortcode calls: (site-root URL, byte offset
    /// in the file of the link or the call).
    pub written_links: Vec<(String, usize)>,
    /// The output file each internal link of the body HTML (Markdown and shortcodes) names,
    /// worked out once when the body is rendered (backlinks read them on every build).
    pub link_outputs: Vec<OutputPath>,
    pub uses: Vec<ShortcodeUse>,
    /// Where each id the body writes comes from (for duplicate ids on the finished page).
    pub id_origins: Vec<IdOrigin>,
    /// Problems that do not stop the build (unreferenced footnotes).
    pub warnings: Vec<Diagnostic>,
    /// Pages this one mentions by name without linking to them (reported by `check`).
    pub unlinked_mentions: Vec<Diagnostic>,
    /// Citations, timeline events and unverified quotations of the page.
    pub toolkit: PageToolkit,
}

impl Body {
    /// Keeps the HTML compressed in memory until [`Body::unpack_html`] (the build cache keeps
    /// bodies so; the rest stays as it is for the next build to read).
    pub fn pack_html(&mut self) {
        if self.packed_html.is_none() && self.packed_parts.is_none() {
            self.packed_html = Some(Packed::new(std::mem::take(&mut self.html).as_bytes(), None));
        }
    }

    /// Keeps the HTML, with what only its page reads, compressed (in `spill`, if given) until
    /// [`Body::unpack_html`]: a one-off build, while the body waits for its page.
    pub fn pack_for_page(&mut self, spill: Option<&Spill>) {
        if self.packed_html.is_none() && self.packed_parts.is_none() {
            let bytes = super::packed_body::take(self);
            self.packed_parts = Some(Packed::new(&bytes, spill));
        }
    }

    /// The HTML, unpacked if it is packed in memory.
    pub fn html_text(&self) -> std::io::Result<std::borrow::Cow<'_, str>> {
        if let Some(packed) = &self.packed_html {
            return Ok(std::borrow::Cow::Owned(text(packed.unpack(None)?)?));
        }
        if let Some(packed) = &self.packed_parts {
            let html = super::packed_body::html(&packed.unpack(None)?).ok_or_else(damaged)?;
            return Ok(std::borrow::Cow::Owned(html));
        }
        Ok(std::borrow::Cow::Borrowed(&self.html))
    }

    /// The HTML (and what was packed with it) back, for the page to be rendered.
    pub fn unpack_html(&mut self, spill: Option<&Spill>) -> std::io::Result<()> {
        if let Some(packed) = self.packed_parts.take() {
            let bytes = packed.unpack(spill)?;
            super::packed_body::restore(self, &bytes).ok_or_else(damaged)?;
        }
        if let Some(packed) = self.packed_html.take() {
            self.html = text(packed.unpack(spill)?)?;
        }
        Ok(())
    }
}

fn text(bytes: Vec<u8>) -> std::io::Result<String> {
    String::from_utf8(bytes).map_err(|_| damaged())
}

fn damaged() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, "damaged")
}

/// What rendering a body needs from the rest of the site.
pub struct BodyInputs<'a> {
    pub library: &'a Library,
    /// Content assets: source path → output path.
    pub assets: &'a HashMap<String, String>,
    pub templates: &'a Templates,
    /// Templates with the site's functions registered.
    pub tera: &'a tera::Tera,
    /// Every page's `known_as` names, for mentions.
    pub names: &'a super::mentions::NameTable,
    pub registry: &'a Registry,
    /// What template functions read: the images, for `figure`.
    pub index: &'a crate::render::functions::SiteIndex,
    /// Whether fenced code is highlighted (`highlight_code`).
    pub code: CodeBlocks,
}

/// Renders the body of `page`, or says everything that is wrong with it.
pub fn render_body(page: &Page, inputs: &BodyInputs<'_>) -> Result<Body, Vec<Diagnostic>> {
    let body_start = page.body_offset;
    let at = |offset: usize, message: String, hint: String| {
        let d = Diagnostic::error(&page.shown, message).at_offset(&page.text, body_start + offset);
        // A shortcode's `page_error` may give no hint.
        if hint.is_empty() {
            d
        } else {
            d.with_hint(hint)
        }
    };
    let extracted = shortcodes::extract(page.body()).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| at(e.offset, e.message, e.hint))
            .collect::<Vec<_>>()
    })?;
    // Traced, so an incremental rebuild knows which link lookups this body depends on.
    let resolver = super::cache::TracedResolver(
        ContentResolver::new(inputs.library, inputs.assets, page).with_images(&inputs.index.images),
    );
    let mut problems = Vec::new();
    let mut uses = Vec::new();
    let mut call_html = Vec::new();
    let mut call_links = Vec::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut id_origins = Vec::new();
    let mut toolkit = PageToolkit::default();
    // Footnotes are matched across the text and every shortcode body of the page.
    let pieces = extracted.calls.iter().filter_map(|c| c.body.as_deref());
    let mut notes = Footnotes::for_page(pieces.chain([extracted.text.as_str()]));
    for call in &extracted.calls {
        let nth = counts.entry(call.name.as_str()).or_insert(0);
        *nth += 1;
        match render_call(
            page,
            call,
            *nth,
            &resolver,
            inputs,
            &mut notes,
            &mut toolkit,
        ) {
            Ok((html, used)) => {
                let how = Rewrite {
                    output: &page.output,
                    relativize: false,
                    base: None,
                    index_links: false,
                };
                let (_, scan) = rewrite(&html, how);
                let what = format!("shortcode `{}`", call.name);
                id_origins.extend(IdOrigin::all(&scan.ids, body_start + call.offset, &what));
                call_links
                    .extend((scan.links.iter()).map(|l| (l.to_owned(), body_start + call.offset)));
                call_html.push(html);
                uses.push(used);
            }
            Err((message, hint)) => {
                call_html.push(String::new());
                problems.push(at(call.offset, message, hint));
            }
        }
    }
    let to_page = |offset: usize| body_start + extracted.original_offset(offset);
    let link_to = |id: usize| super::mentions::url_of(inputs.library, id);
    let mut mentions = inputs.names.finder(page, &link_to);
    let rendered = markdown::render_piece(
        &extracted.text,
        &resolver,
        &mut notes,
        &to_page,
        Some(&mut mentions),
        inputs.code,
    );
    for problem in &rendered.problems {
        let offset = extracted.original_offset(problem.offset);
        problems.push(at(offset, problem.message.clone(), problem.hint.clone()));
    }
    let html = shortcodes::substitute(&rendered.html, &call_html);
    notes.rewrite_definitions(|definition| shortcodes::substitute(definition, &call_html));
    let excerpt = html
        .find("<!-- more -->")
        .map(|i| markdown::footnotes::strip_markers(&html[..i]));
    let notes = notes.finish(&html);
    problems.extend(
        notes
            .errors
            .iter()
            .map(|p| footnote_diagnostic(page, p, true)),
    );
    let mut warnings: Vec<Diagnostic> = (notes.warnings.iter())
        .map(|p| footnote_diagnostic(page, p, false))
        .collect();
    warnings.extend(rendered.warnings.iter().map(|p| {
        Diagnostic::warning(&page.shown, p.message.clone())
            .at_offset(&page.text, to_page(p.offset))
            .with_hint(p.hint.clone())
    }));
    if !problems.is_empty() {
        problems.extend(warnings);
        return Err(problems);
    }
    let html = notes.html;
    for (id, &offset) in rendered.heading_ids.iter().zip(&rendered.heading_offsets) {
        id_origins.push(IdOrigin::heading(id, to_page(offset)));
    }
    for (id, offset) in &notes.ids {
        id_origins.push(IdOrigin::footnote(id, *offset));
    }
    let mut written_links: Vec<(String, usize)> = rendered
        .links
        .iter()
        .map(|l| {
            let url = match l.url.strip_prefix('#') {
                Some(fragment) => format!("{}#{fragment}", page.url),
                None => l.url.clone(),
            };
            (url, body_start + extracted.original_offset(l.offset))
        })
        .collect();
    written_links.extend(call_links);
    let how = Rewrite {
        output: &page.output,
        relativize: false,
        base: None,
        index_links: false,
    };
    let links = rewrite(&html, how).1.links;
    let mut found = std::mem::take(&mut mentions.found);
    found.iter_mut().for_each(|m| m.offset = to_page(m.offset));
    let unlinked_mentions = super::mentions::unlinked(page, inputs.library, &found, &links);
    let link_outputs = links.iter().map(url_output).collect();
    Ok(Body {
        link_outputs,
        unlinked_mentions,
        excerpt,
        toc: rendered.toc,
        word_count: page.body().split_whitespace().count(),
        written_links,
        uses,
        html,
        packed_html: None,
        packed_parts: None,
        id_origins,
        warnings,
        toolkit,
    })
}

/// A footnote problem (its offset is already in the page's file) as a diagnostic.
fn footnote_diagnostic(page: &Page, problem: &markdown::Problem, error: bool) -> Diagnostic {
    let diagnostic = if error {
        Diagnostic::error(&page.shown, problem.message.clone())
    } else {
        Diagnostic::warning(&page.shown, problem.message.clone())
    };
    diagnostic
        .at_offset(&page.text, problem.offset)
        .with_hint(problem.hint.clone())
}

fn render_call(
    page: &Page,
    call: &shortcodes::Call,
    nth: usize,
    resolver: &dyn LinkResolver,
    inputs: &BodyInputs<'_>,
    notes: &mut Footnotes,
    toolkit: &mut PageToolkit,
) -> Result<(String, ShortcodeUse), CallError> {
    let template = Templates::shortcode_template(&call.name);
    let body_html = call.body.as_deref().map(|body| {
        let start = body_offset(page, call, body);
        let to_page = |offset| start + offset;
        markdown::render_piece(body, resolver, notes, &to_page, None, inputs.code).html
    });
    let prepared = match call.name.as_str() {
        "figure" => {
            let overridden = inputs.templates.has(&template);
            let body = body_html.as_deref();
            super::figure::prepare(page, call, nth, inputs.index, body, overridden)?
        }
        _ => toolkit.prepare(page, call, inputs.registry, body_html.as_deref())?,
    };
    let id = prepared
        .id
        .clone()
        .unwrap_or_else(|| format!("{}-{nth}", call.name));
    let used = |body_html: Option<String>| ShortcodeUse {
        name: call.name.clone(),
        args: call.args.clone().into_iter().collect(),
        body: call.body.clone(),
        // Footnote references are numbered on this page only; elsewhere they are left out.
        body_html: body_html.map(|html| markdown::footnotes::strip_markers(&html)),
        url: format!("{}#{id}", page.url),
        id: id.clone(),
        page: Link {
            title: page.title.clone(),
            url: page.url.to_string(),
        },
    };
    if let (Some(html), false) = (&prepared.builtin_html, inputs.templates.has(&template)) {
        return Ok((html.clone(), used(body_html)));
    }
    if !inputs.templates.has(&template) {
        let names = inputs.templates.shortcode_names().chain(BUILT_IN);
        let hint = match nearest(&call.name, names) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("create templates/{template} to define it"),
        };
        return Err((format!("unknown shortcode `{}`", call.name), hint));
    }
    let shortcode = ShortcodeContext {
        body: call.body.as_deref(),
        body_html: body_html.as_deref(),
        id: id.clone(),
        page: ShortcodePage {
            title: &page.title,
            path: &page.path,
            url: &page.url,
        },
        nth,
    };
    let mut context =
        tera::Context::from_serialize(&shortcode).map_err(|e| (e.to_string(), String::new()))?;
    for (key, value) in &call.args {
        context.insert(key, value);
    }
    for (key, value) in &prepared.vars {
        context.insert(*key, value);
    }
    let html = crate::render::traps::render(inputs.tera, &template, &context).map_err(|err| {
        if let Some(problem) = crate::render::page_error::page_problem(&err) {
            // The template says the page is wrong: reported at the call, as the template said.
            return problem.in_shortcode();
        }
        let d = inputs.templates.diagnostic(&template, &err);
        (
            format!(
                "shortcode `{}` failed: {} ({})",
                call.name,
                d.message,
                d.location()
            ),
            d.hint.unwrap_or_default(),
        )
    })?;
    toolkit.keep_if_shown(&prepared, &html);
    Ok((html, used(body_html)))
}

/// Byte offset in the page's file where the body of `call` starts.
fn body_offset(page: &Page, call: &shortcodes::Call, body: &str) -> usize {
    let call_start = page.body_offset + call.offset;
    let after_call = page.text.get(call_start..).unwrap_or("");
    call_start + after_call.find(body).unwrap_or(0)
}
