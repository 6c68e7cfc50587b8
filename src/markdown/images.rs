//! Markdown images of known size (`![A map of the region](img/map.png)`): written as one
//! `<img>` with `width` and `height` (no layout shift while the page loads), `loading="lazy"`
//! and `decoding="async"`. An image without alt text gets a warning: Markdown cannot say that
//! an image is decorative, so the `figure` shortcode's `alt=""` is the way to say it.

use super::{escape_attribute, Problem};
use pulldown_cmark::{CowStr, Event};

/// An image being read: what its `<img>` needs.
pub struct SizedImage<'a> {
    /// The destination as written in the Markdown.
    written: String,
    url: CowStr<'a>,
    title: CowStr<'a>,
    size: (u32, u32),
    alt: String,
    offset: usize,
}

impl<'a> SizedImage<'a> {
    pub fn new(
        written: &str,
        url: CowStr<'a>,
        title: CowStr<'a>,
        size: (u32, u32),
        offset: usize,
    ) -> Self {
        SizedImage {
            written: written.to_owned(),
            url,
            title,
            size,
            alt: String::new(),
            offset,
        }
    }

    /// Adds the text of an event inside the image's brackets to its alt text.
    pub fn add_alt(&mut self, event: &Event<'_>) {
        match event {
            Event::Text(text) | Event::Code(text) => self.alt.push_str(text),
            Event::SoftBreak | Event::HardBreak => self.alt.push(' '),
            _ => {}
        }
    }

    /// A warning when the image has no alt text.
    pub fn alt_warning(&self) -> Option<Problem> {
        let written = &self.written;
        self.alt.trim().is_empty().then(|| Problem {
            offset: self.offset,
            message: format!("the image `{written}` has no alt text"),
            hint: "say what it shows: ![A map of the region](…); for a decorative image use {{ figure(src=\"…\", alt=\"\", credit=\"…\") }}".to_owned(),
        })
    }

    /// The `<img>` element.
    pub fn html(&self) -> String {
        let title = if self.title.is_empty() {
            String::new()
        } else {
            format!(" title=\"{}\"", escape_attribute(&self.title))
        };
        format!(
            "<img src=\"{}\" alt=\"{}\" width=\"{}\" height=\"{}\"{title} loading=\"lazy\" decoding=\"async\">",
            escape_attribute(&self.url),
            escape_attribute(&self.alt),
            self.size.0,
            self.size.1,
        )
    }
}
