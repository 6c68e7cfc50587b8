//! Which source writes which output file, checked before anything is rendered: dossier's own
//! files first, then the home page and the sections (outermost first), pages, files copied from
//! `content/` and `static/`, and aliases. A later claim that clashes with an earlier one (the
//! same file, names that differ only in case, a file where a folder is needed) is reported at
//! its own source: the `slug:` or alias line, or the copied file's path.

use super::cache::{Fingerprint, Key};
use super::extras::{generated_files, STATIC_DIR};
use super::tags::Tags;
use crate::config::SiteConfig;
use crate::content::front_matter::{alias_position, split};
use crate::content::{Asset, Library, Page, PageId, CONTENT_DIR};
use crate::error::{Diagnostic, Diagnostics};
use crate::paths::claims::{Claims, Clash};
use crate::paths::names::alias_output;
use crate::paths::reference::PROCESSED_DIR;
use crate::paths::OutputPath;
use std::hash::Hash;
use std::path::Path;

/// Who claims an output file.
#[derive(Debug, Clone, Copy)]
enum Owner {
    Generated(&'static str),
    Page(PageId),
    Content(usize),
    Static(usize),
    Alias(PageId, usize),
    /// A page's share card.
    Card(PageId),
    /// The tag index, or the page of one tag (by its place in [`Tags::tags`]).
    Tag(Option<usize>),
    /// The print page.
    Print,
}

/// Everything that claims an output file.
struct Site<'a> {
    library: &'a Library,
    statics: &'a [Asset],
    tags: &'a Tags,
}

impl Site<'_> {
    fn describe(&self, owner: &Owner) -> String {
        match *owner {
            Owner::Generated(name) => format!("dossier's own `{name}`"),
            Owner::Tag(None) => "dossier's tag index".to_owned(),
            Owner::Tag(Some(i)) => {
                format!("dossier's page for the tag `{}`", self.tags.tags[i].name)
            }
            Owner::Print => "dossier's print page".to_owned(),
            Owner::Page(id) => {
                let page = &self.library.pages[id];
                let kind = if page.is_section { "section" } else { "page" };
                format!("the {kind} {}", page.shown.display())
            }
            Owner::Content(i) => format!(
                "the copied file {CONTENT_DIR}/{}",
                self.library.assets[i].path
            ),
            Owner::Static(i) => format!("the copied file {STATIC_DIR}/{}", self.statics[i].path),
            Owner::Card(id) => format!(
                "the share card of {}",
                self.library.pages[id].shown.display()
            ),
            Owner::Alias(id, i) => {
                let page = &self.library.pages[id];
                format!(
                    "the alias `{}` of {}",
                    page.front.aliases[i],
                    page.shown.display()
                )
            }
        }
    }
}

/// The pages dossier generates from the whole site, which claim their files first.
#[derive(Debug, Clone, Copy)]
pub(super) struct Generated<'a> {
    pub tags: &'a Tags,
    /// The print page is written.
    pub print: bool,
}

/// Reports every clash between output files of the site.
pub(super) fn check(
    config: &SiteConfig,
    library: &Library,
    statics: &[Asset],
    generated: Generated<'_>,
    problems: &mut Diagnostics,
) {
    let site = Site {
        library,
        statics,
        tags: generated.tags,
    };
    let mut claims = Claims::default();
    for generated in generated_files(config) {
        let output = OutputPath::known(generated.name);
        // The generated names are distinct, so they never clash with each other.
        let _ = claims.generated(
            &output,
            Owner::Generated(generated.name),
            generated.yields_to_copied,
        );
    }
    // Generated pages come before content: a page at `tags/` or `print/` is the mistake.
    for (tag, output) in generated.tags.outputs() {
        let place = tag.and_then(|t| generated.tags.tags.iter().position(|o| o.slug == t.slug));
        let _ = claims.generated(&output, Owner::Tag(place), false);
    }
    if generated.print {
        let _ = claims.generated(&super::print::output(), Owner::Print, false);
    }
    let mut pages: Vec<&Page> = library.pages.iter().collect();
    // Sections before pages, outer before inner: a page clashing with its section is the page's
    // mistake.
    pages.sort_by_key(|p| (!p.is_section, p.url.matches('/').count(), p.path.as_str()));
    for page in pages {
        if let Err(clash) = claims.claim(&page.output, Owner::Page(page.id), false) {
            problems.push(page_clash(&site, page, &clash));
        }
    }
    if config.share_cards {
        for page in &library.pages {
            let Some(card) = page.output.share_card() else {
                continue;
            };
            // A copied file may replace a card: it is the site's own.
            if let Err(clash) = claims.generated(&card, Owner::Card(page.id), true) {
                let message = clash.message("its share card", &card, |o| site.describe(o));
                problems.push(Diagnostic::error(page.shown.clone(), message).with_hint(
                    "rename the page or the other file, or turn off `share_cards` in site.yaml",
                ));
            }
        }
    }
    for (i, asset) in library.assets.iter().enumerate() {
        if let Err(clash) = claims.claim(&asset.output, Owner::Content(i), true) {
            problems.push(copied_clash(&site, CONTENT_DIR, asset, &clash));
        }
    }
    for (i, asset) in statics.iter().enumerate() {
        if let Err(clash) = claims.claim(&asset.output, Owner::Static(i), true) {
            problems.push(copied_clash(&site, STATIC_DIR, asset, &clash));
        }
    }
    reserved_folder(&site, problems);
    for page in &library.pages {
        for (i, alias) in page.front.aliases.iter().enumerate() {
            // A malformed alias was reported with the front matter.
            let Ok(output) = alias_output(alias) else {
                continue;
            };
            if let Err(clash) = claims.claim(&output, Owner::Alias(page.id, i), false) {
                problems.push(alias_clash(&site, page, alias, &output, &clash));
            }
        }
    }
}

/// A fingerprint of everything that claims an output file, in the order it claims it. Claims
/// that read the same as those of a build that found no clash have none either, so a rebuild
/// after an edit that moved no output file need not check them again. `pages` is the pages'
/// part ([`pages_fingerprint`]).
pub(super) fn fingerprint_with(
    pages: Key,
    config: &SiteConfig,
    library: &Library,
    statics: &[Asset],
    generated: Generated<'_>,
) -> Key {
    let mut h = Fingerprint::default();
    for file in generated_files(config) {
        (file.name, file.yields_to_copied).hash(&mut h);
    }
    for (_, output) in generated.tags.outputs() {
        output.hash(&mut h);
    }
    (generated.print, config.share_cards).hash(&mut h);
    pages.hash(&mut h);
    for asset in library.assets.iter().chain(statics) {
        asset.output.hash(&mut h);
    }
    library.assets.len().hash(&mut h);
    h.digest()
}

/// What the pages claim (the part of [`fingerprint_with`] that reads every page), kept by the
/// cache while the load keeps its library.
pub(super) fn pages_fingerprint(library: &Library) -> Key {
    let mut h = Fingerprint::default();
    for page in &library.pages {
        (page.is_section, &page.url, &page.path, &page.output).hash(&mut h);
        page.front.aliases.hash(&mut h);
    }
    h.digest()
}

/// Whether `output` is inside the folder of processed images.
fn in_processed_folder(output: &OutputPath) -> bool {
    output
        .split_once('/')
        .is_some_and(|(first, _)| first.eq_ignore_ascii_case(PROCESSED_DIR))
}

/// `processed_images/` holds the processed copies of images, named only once pages are
/// rendered: no page, copied file or alias may write there.
fn reserved_folder(site: &Site<'_>, problems: &mut Diagnostics) {
    let message = |what: String, output: &OutputPath| {
        format!("{what} would write `{output}`, inside `{PROCESSED_DIR}/`, where dossier writes the processed copies of images")
    };
    for page in &site.library.pages {
        if in_processed_folder(&page.output) {
            let what = site.describe(&Owner::Page(page.id));
            let line = slug_line(page).unwrap_or(1);
            problems.push(
                Diagnostic::error(&page.shown, message(what, &page.output))
                    .at(&page.text, line, 1)
                    .with_hint("rename the file or its folder, or give it another `slug:`"),
            );
        }
    }
    for page in &site.library.pages {
        for alias in &page.front.aliases {
            match alias_output(alias) {
                Ok(output) if in_processed_folder(&output) => {
                    let what = format!("the alias `{alias}`");
                    problems.push(
                        Diagnostic::error(&page.shown, message(what, &output))
                            .with_hint("remove the alias or choose another path"),
                    );
                }
                _ => {}
            }
        }
    }
    let copied = (site.library.assets.iter().map(|a| (CONTENT_DIR, a)))
        .chain(site.statics.iter().map(|a| (STATIC_DIR, a)));
    for (folder, asset) in copied {
        if in_processed_folder(&asset.output) {
            let shown = Path::new(folder).join(asset.path.as_str());
            let what = format!("the copied file {}", shown.display());
            problems.push(
                Diagnostic::error(shown, message(what, &asset.output))
                    .with_hint(format!("move it out of a folder named `{PROCESSED_DIR}`")),
            );
        }
    }
}

fn page_clash(site: &Site<'_>, page: &Page, clash: &Clash<Owner>) -> Diagnostic {
    let describe = |o: &Owner| site.describe(o);
    let message = match clash {
        Clash::SameFile {
            other: Owner::Page(other),
            theirs,
        } if *theirs == page.output && !site.library.pages[*other].is_section => {
            let other = &site.library.pages[*other];
            match [page, other]
                .into_iter()
                .find_map(|p| p.front.slug.as_deref())
            {
                Some(slug) => format!(
                    "two pages have the slug `{slug}`: this one and {}",
                    other.shown.display()
                ),
                None => format!(
                    "this page and {} both produce {}",
                    other.shown.display(),
                    page.url
                ),
            }
        }
        _ => {
            let subject = if page.is_section {
                "this section"
            } else {
                "this page"
            };
            clash.message(subject, &page.output, describe)
        }
    };
    let line = slug_line(page).unwrap_or(1);
    Diagnostic::error(&page.shown, message)
        .at(&page.text, line, 1)
        .with_hint("rename one of the files, or set a different `slug:` in its front matter")
}

/// The 1-based line of the page's `slug:`, if it has one.
fn slug_line(page: &Page) -> Option<usize> {
    page.front.slug.as_ref()?;
    page.text
        .lines()
        .position(|l| l.starts_with("slug:"))
        .map(|i| i + 1)
}

fn copied_clash(site: &Site<'_>, folder: &str, asset: &Asset, clash: &Clash<Owner>) -> Diagnostic {
    let message = clash.message("this file", &asset.output, |o| site.describe(o));
    Diagnostic::error(Path::new(folder).join(asset.path.as_str()), message)
        .with_hint("rename or move one of the two")
}

fn alias_clash(
    site: &Site<'_>,
    page: &Page,
    alias: &str,
    output: &OutputPath,
    clash: &Clash<Owner>,
) -> Diagnostic {
    let message = clash.message(&format!("the alias `{alias}`"), output, |o| {
        site.describe(o)
    });
    let (line, column) = split(&page.shown, &page.text)
        .ok()
        .and_then(|s| {
            alias_position(s.yaml, alias).map(|(line, column)| (line + s.yaml_first_line, column))
        })
        .unwrap_or((1, 1));
    Diagnostic::error(&page.shown, message)
        .at(&page.text, line, column)
        .with_hint("remove the alias or choose another path")
}
