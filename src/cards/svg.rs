//! The share card's SVG: a dark panel with the site's name, the title (up to three lines) and the
//! description (up to three lines), each wrapped by measuring the words in the card font and cut
//! with an ellipsis when it runs longer.

use super::{CardText, FONT_FAMILY, HEIGHT, WIDTH};
use std::fmt::Write as _;

/// Left and right margin, in px.
const MARGIN: f32 = 80.0;

/// One block of wrapped text.
struct Block {
    size: f32,
    lines: Vec<String>,
    fill: &'static str,
    line_height: f32,
}

/// The card for `text`; `measure(line, size)` gives a line's width in px.
pub(super) fn card(text: &CardText<'_>, measure: &dyn Fn(&str, f32) -> f32) -> String {
    let width = WIDTH as f32 - 2.0 * MARGIN;
    let title = Block {
        size: 64.0,
        lines: wrap(text.title, 64.0, width, 3, measure),
        fill: "#ffffff",
        line_height: 1.2,
    };
    let description = Block {
        size: 32.0,
        lines: wrap(text.description, 32.0, width, 3, measure),
        fill: "#d5dde8",
        line_height: 1.35,
    };
    let site = Block {
        size: 30.0,
        lines: wrap(text.site, 30.0, width, 1, measure),
        fill: "#9fc3ff",
        line_height: 1.0,
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"><rect width="{WIDTH}" height="{HEIGHT}" fill="#14213d"/><rect x="{MARGIN}" y="{bar}" width="120" height="8" fill="#9fc3ff"/>"##,
        bar = 96
    );
    // `y` is a baseline: each block starts a gap plus its own size below the last one.
    let mut y = 160.0;
    y = text_block(&mut svg, &site, y);
    y = text_block(&mut svg, &title, y + 40.0 + title.size);
    text_block(&mut svg, &description, y + 36.0 + description.size);
    svg.push_str("</svg>");
    svg
}

/// Writes `block` with its first baseline at `y`; returns the baseline after its last line.
fn text_block(svg: &mut String, block: &Block, mut y: f32) -> f32 {
    for (i, line) in block.lines.iter().enumerate() {
        if i > 0 {
            y += block.size * block.line_height;
        }
        let _ = write!(
            svg,
            r#"<text x="{MARGIN}" y="{y}" font-family="{FONT_FAMILY}" font-weight="bold" font-size="{}" fill="{}">{}</text>"#,
            block.size,
            block.fill,
            escape(line)
        );
    }
    y
}

/// `text` in lines no wider than `width` at `size`, at most `max_lines`, the last one cut with
/// "…" when the text runs longer. A word wider than a line is cut too.
fn wrap(
    text: &str,
    size: f32,
    width: f32,
    max_lines: usize,
    measure: &dyn Fn(&str, f32) -> f32,
) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut placed = 0;
    for word in &words {
        let candidate = if current.is_empty() {
            (*word).to_owned()
        } else {
            format!("{current} {word}")
        };
        if current.is_empty() || measure(&candidate, size) <= width {
            current = candidate;
            placed += 1;
            continue;
        }
        lines.push(std::mem::take(&mut current));
        if lines.len() == max_lines {
            break;
        }
        current = (*word).to_owned();
        placed += 1;
    }
    if !current.is_empty() && lines.len() < max_lines {
        lines.push(current);
    }
    for line in &mut lines {
        if measure(line, size) > width {
            *line = shorten(line, size, width, measure);
        }
    }
    if placed < words.len() {
        if let Some(last) = lines.last_mut() {
            if !last.ends_with('…') {
                *last = shorten(last, size, width, measure);
            }
        }
    }
    lines
}

/// `line` cut, word by word (then character by character), until it and a "…" fit.
fn shorten(line: &str, size: f32, width: f32, measure: &dyn Fn(&str, f32) -> f32) -> String {
    let mut kept = line.to_owned();
    loop {
        let with = format!("{}…", kept.trim_end());
        if measure(&with, size) <= width || kept.is_empty() {
            return with;
        }
        match kept.trim_end().rfind(' ') {
            Some(space) if measure(&kept[..space], size) > width * 0.6 => kept.truncate(space),
            _ => {
                kept.pop();
            }
        }
    }
}

/// Text for SVG: `&`, `<`, `>` and quotes escaped.
pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character 10 px wide at any size.
    fn fixed(line: &str, _size: f32) -> f32 {
        line.chars().count() as f32 * 10.0
    }

    #[test]
    fn words_wrap_to_the_width_and_long_text_ends_in_an_ellipsis() {
        assert_eq!(
            wrap("aaa bbb ccc", 1.0, 70.0, 3, &fixed),
            ["aaa bbb", "ccc"]
        );
        assert_eq!(
            wrap("aaa bbb ccc ddd eee", 1.0, 70.0, 2, &fixed),
            ["aaa bbb", "ccc dd…"]
        );
        let long = wrap("abcdefghijklmnop", 1.0, 70.0, 1, &fixed);
        assert_eq!(long, ["abcdef…"]);
        assert!(wrap("", 1.0, 70.0, 3, &fixed).is_empty());
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape(r#"<a & "b">"#), "&lt;a &amp; &quot;b&quot;&gt;");
    }
}
