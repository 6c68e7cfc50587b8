//! The built-in `figure` shortcode, as the body pass meets it:
//! `{{ figure(src="img/map.png", alt="…", caption="…", credit="…") }}` (or a Markdown caption
//! between `{% figure(…) %}` and `{% end %}`). It writes a `<figure>` with resized copies in
//! `srcset` (and AVIF and WebP copies beside them in `<picture>`), `width` and `height`, lazy loading, and a
//! `<figcaption>` with the caption and the credit. `alt` and `credit` are required: `alt=""` says
//! the image is decoration. A site may restyle it with `templates/shortcodes/figure.html`, which
//! sees the same checked arguments and the image as `image` (see docs/templates.md).
//!
//! The image is looked up as `image(path=src, beside=page.path, widths=…)` would, and the lookup
//! is traced, so the page is rendered again when the image changes.

use super::toolkit::{CallError, Prepared};
use crate::content::Page;
use crate::images::{is_image, Format, Picture, DEFAULT_WIDTHS};
use crate::markdown::escape_attribute;
use crate::render::functions::SiteIndex;
use crate::render::images::{answer, picture, widths};
use crate::shortcodes::Call;
use serde_json::Value;
use std::collections::HashMap;

/// The `sizes` of a figure that sets none: the text column of the shipped theme (40rem), or the
/// whole width on a small screen.
pub const DEFAULT_SIZES: &str = "(min-width: 42.5rem) 40rem, 100vw";

const EXAMPLE: &str =
    "{{ figure(src=\"img/map.png\", alt=\"What the image shows\", credit=\"Photo: Jane Doe\") }}";

fn text<'a>(call: &'a Call, name: &str) -> Result<Option<&'a str>, CallError> {
    match call.args.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err((
            format!("`{name}` of `figure` must be text, not {other}"),
            format!("put the value in quotes: {name}=\"…\""),
        )),
    }
}

/// Checks a `figure` call, finds its image and writes its built-in HTML. With the site's own
/// template (`overridden`), a file that is not a PNG, JPEG or WebP image (an SVG) is left to
/// that template, without `image`.
pub fn prepare(
    page: &Page,
    call: &Call,
    nth: usize,
    index: &SiteIndex,
    body_html: Option<&str>,
    overridden: bool,
) -> Result<Prepared, CallError> {
    let Some(src) = text(call, "src")? else {
        return Err((
            "a figure needs `src`, the image to show".to_owned(),
            format!("write {EXAMPLE}"),
        ));
    };
    let Some(alt) = text(call, "alt")? else {
        return Err((
            "a figure needs `alt`, a text that says what the image shows".to_owned(),
            "write alt=\"…\" for readers who cannot see the image, or alt=\"\" if it is only decoration".to_owned(),
        ));
    };
    let credit = text(call, "credit")?.filter(|c| !c.trim().is_empty());
    let Some(credit) = credit else {
        return Err((
            "a figure needs a `credit`: who made the image".to_owned(),
            "write credit=\"Photo: Jane Doe / Agency\", or credit=\"Graphic: the newsroom\" for your own".to_owned(),
        ));
    };
    let caption = text(call, "caption")?;
    let sizes = text(call, "sizes")?.unwrap_or(DEFAULT_SIZES);
    let asked =
        widths(call.args.get("widths")).map_err(|m| (m, "write widths=[480, 960]".to_owned()))?;
    let widths = if asked.is_empty() {
        DEFAULT_WIDTHS.to_vec()
    } else {
        asked
    };
    let caption_html = match (body_html.map(str::trim).filter(|b| !b.is_empty()), caption) {
        (Some(body), _) => body.to_owned(),
        (None, Some(caption)) => format!("<p>{}</p>", escape_attribute(caption)),
        (None, None) => String::new(),
    };
    let mut vars = vec![
        ("sizes", sizes.into()),
        ("caption_html", caption_html.clone().into()),
    ];
    if !is_image(src.split(['?', '#']).next().unwrap_or_default()) {
        if overridden {
            return Ok(Prepared {
                vars,
                ..Prepared::default()
            });
        }
        return Err((
            format!("the built-in figure shows PNG, JPEG and WebP images, not `{src}`"),
            format!("show it with Markdown, ![What it shows]({src}), or write your own templates/shortcodes/figure.html"),
        ));
    }
    let args: HashMap<String, Value> = [
        ("path", Value::from(src)),
        ("beside", Value::from(page.path.as_str())),
        ("widths", Value::from(widths)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let found = picture(index, &args);
    super::cache::record_call("image", &args, &answer(found.clone()));
    let image = found.map_err(|e| (e.message, e.hint))?;
    let id = format!("figure-{nth}");
    let html = figure_html(&FigureParts {
        id: &id,
        image: &image,
        alt,
        sizes,
        caption_html: &caption_html,
        credit,
    });
    vars.push(("image", serde_json::to_value(&image).unwrap_or_default()));
    Ok(Prepared {
        builtin_html: Some(html),
        vars,
        id: Some(id),
        citation: None,
    })
}

struct FigureParts<'a> {
    id: &'a str,
    image: &'a Picture,
    alt: &'a str,
    sizes: &'a str,
    caption_html: &'a str,
    credit: &'a str,
}

fn figure_html(parts: &FigureParts<'_>) -> String {
    let image = parts.image;
    let sizes = escape_attribute(parts.sizes);
    let img = format!(
        "<img src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\">",
        image.url,
        image.srcset,
        image.width,
        image.height,
        escape_attribute(parts.alt)
    );
    // The browser takes the first source it can show, else the `<img>`'s copies.
    let sources: Vec<String> = [
        (Format::Avif, &image.avif_srcset),
        (Format::Webp, &image.webp_srcset),
    ]
    .into_iter()
    .filter_map(|(format, srcset)| {
        let srcset = srcset.as_ref()?;
        Some(format!(
            "<source type=\"{}\" srcset=\"{srcset}\" sizes=\"{sizes}\">\n",
            format.mime()
        ))
    })
    .collect();
    let picture = if sources.is_empty() {
        img
    } else {
        format!("<picture>\n{}{img}\n</picture>", sources.concat())
    };
    let caption = if parts.caption_html.is_empty() {
        String::new()
    } else {
        format!("<div class=\"figure-caption\">{}</div>", parts.caption_html)
    };
    format!(
        "<figure class=\"figure\" id=\"{}\">\n{picture}\n<figcaption>{caption}<p class=\"figure-credit\">{}</p></figcaption>\n</figure>",
        parts.id,
        escape_attribute(parts.credit)
    )
}
