//! Who links to whom: backlinks from page bodies, pages no other page's text links to, and the
//! messages for broken links, placed at the Markdown line when the link was written there.

use super::bodies::Body;
use crate::content::{Library, PageId};
use crate::error::{nearest, Diagnostic};
use crate::links::check::{BrokenLink, PageAnchors};
use crate::paths::{url_output, OutputPath};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// For each page, the other pages whose bodies link to it, in reading order.
pub(super) fn backlinks(library: &Library, bodies: &[Arc<Body>]) -> Vec<Vec<PageId>> {
    let by_output: HashMap<&OutputPath, PageId> =
        library.pages.iter().map(|p| (&p.output, p.id)).collect();
    backlinks_from(library, |from| {
        (bodies[from].link_outputs.iter()).filter_map(|output| by_output.get(output).copied())
    })
}

/// [`backlinks`] from the pages each page's body links to, in the order it links to them.
pub(super) fn backlinks_from<I: IntoIterator<Item = PageId>>(
    library: &Library,
    links_to: impl Fn(PageId) -> I,
) -> Vec<Vec<PageId>> {
    let mut incoming = vec![Vec::new(); library.pages.len()];
    for &from in &library.reading_order {
        for to in links_to(from) {
            if to != from && incoming[to].last() != Some(&from) {
                incoming[to].push(from);
            }
        }
    }
    incoming
}

/// Pages that no other page's text links to. Navigation, listings and prev/next reach every page;
/// an explainer's pages should also be woven into its text, so only links from other pages'
/// bodies count.
pub(super) fn orphans<'a>(
    library: &'a Library,
    backlinks: &'a [Vec<PageId>],
) -> impl Iterator<Item = Diagnostic> + 'a {
    backlinks.iter().enumerate().filter_map(|(id, incoming)| {
        let page = &library.pages[id];
        (incoming.is_empty() && !page.is_home()).then(|| {
            Diagnostic::error(&page.shown, "no other page's text links to this page").with_hint(
                format!(
                    "link to it from a related page: `{}`",
                    markdown_link(&page.title, &format!("@/{}", page.path))
                ),
            )
        })
    })
}

/// A Markdown link that parses as one whatever the text and path hold: brackets in the text are
/// escaped, and a path with spaces or parentheses goes in angle brackets (`[A b](<@/A b.md>)`).
fn markdown_link(text: &str, destination: &str) -> String {
    let text = text
        .replace('\\', "\\\\")
        .replace('[', "\\[")
        .replace(']', "\\]");
    if destination.contains([' ', '(', ')', '<', '>']) {
        let inner = destination.replace('<', "\\<").replace('>', "\\>");
        format!("[{text}](<{inner}>)")
    } else {
        format!("[{text}]({destination})")
    }
}

pub(super) fn broken_link_diagnostic(
    library: &Library,
    broken: &BrokenLink,
    bodies: &[Arc<Body>],
    template_of: &HashMap<String, String>,
    anchors: &dyn PageAnchors,
    templates: &crate::render::Templates,
) -> Diagnostic {
    let page = library.pages.iter().find(|p| p.output == broken.from);
    let encoded = crate::paths::url_fixed(&broken.link).map(|url| format!("write it `{url}`"));
    let hint = encoded.or_else(|| anchor_hint(&broken.link, anchors)).unwrap_or_else(|| {
        "link to a page with `@/path.md`, to a heading with `#id`, or to a file in static/ with `/name`".to_owned()
    });
    if let Some(page) = page {
        let written = bodies[page.id]
            .written_links
            .iter()
            .find(|(url, _)| url == &broken.link);
        if let Some((_, offset)) = written {
            return Diagnostic::error(&page.shown, format!("broken link: {}", broken.problem))
                .at_offset(&page.text, *offset)
                .with_hint(hint);
        }
        let template = template_of.get(&broken.from).cloned().unwrap_or_default();
        if let Some(diagnostic) = in_template_text(templates, &template, broken) {
            return diagnostic.with_hint(hint);
        }
        return Diagnostic::error(
            Path::new("templates").join(template),
            format!(
                "broken link: {} (on {})",
                broken.problem,
                page.shown.display()
            ),
        )
        .with_hint(hint);
    }
    Diagnostic::error(&broken.from, format!("broken link: {}", broken.problem)).with_hint(hint)
}

/// A broken link written as such in a template (the page's, a parent or an included one): one
/// error at the template line, the same for every page that uses it.
fn in_template_text(
    templates: &crate::render::Templates,
    template: &str,
    broken: &BrokenLink,
) -> Option<Diagnostic> {
    let quoted = [format!("\"{}\"", broken.link), format!("'{}'", broken.link)];
    let (name, offset) = quoted.iter().find_map(|needle| {
        let (name, offset) =
            crate::render::templates::find_in_templates(templates, template, needle)?;
        Some((name, offset + 1))
    })?;
    let source = templates.source(&name)?;
    Some(
        Diagnostic::error(
            Path::new("templates").join(&name),
            format!("broken link: {}", broken.problem),
        )
        .at_offset(source, offset),
    )
}

/// "Did you mean" for a link whose page exists but whose anchor does not.
fn anchor_hint(link: &str, anchors: &dyn PageAnchors) -> Option<String> {
    let (_, fragment) = link.split_once('#')?;
    let names = anchors.anchor_names(url_output(link).as_str());
    let best = nearest(fragment, names)?;
    Some(format!("did you mean `#{best}`?"))
}

#[cfg(test)]
mod tests {
    use super::markdown_link;

    #[test]
    fn suggested_links_are_valid_markdown() {
        assert_eq!(
            markdown_link("Amy", "@/people/amy.md"),
            "[Amy](@/people/amy.md)"
        );
        assert_eq!(
            markdown_link("What we know", "@/What we know.md"),
            "[What we know](<@/What we know.md>)"
        );
        assert_eq!(
            markdown_link("[Draft] notes", "@/a (b).md"),
            "[\\[Draft\\] notes](<@/a (b).md>)"
        );
    }
}
