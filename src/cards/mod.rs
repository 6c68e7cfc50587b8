//! Share cards: one 1200×630 PNG per page (`share-card.png` beside its `index.html`) with the
//! site's name, the page's title and its description, for the `og:image` of links shared on
//! social sites. Drawn from an SVG template ([`svg`]) with resvg and the DejaVu Sans Bold font
//! shipped in `fonts/` (no system fonts, so every machine draws the same pixels), and kept in
//! `.dossier-cache/cards/` under a hash of what was drawn, so an unchanged card is never drawn
//! twice. Turned on by `share_cards: true` in site.yaml.

mod svg;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use xxhash_rust::xxh3::xxh3_128;

pub use crate::paths::SHARE_CARD_FILE;
/// The card's size in pixels, the size Open Graph and Twitter recommend.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// The font every card is drawn with.
const FONT: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");
/// The font's family name, as the SVG template asks for it.
const FONT_FAMILY: &str = "DejaVu Sans";
/// Bump when the drawing changes, so cached cards are drawn again.
const DRAWING_VERSION: &str = "card-1";

/// What a card shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CardText<'a> {
    pub site: &'a str,
    pub title: &'a str,
    pub description: &'a str,
}

/// A drawn card, and whether it had to be drawn (false: it came from the cache).
pub struct Card {
    pub png: Arc<[u8]>,
    pub drawn: bool,
}

/// Draws cards, reading and filling the cache under `root`.
pub struct CardMaker {
    cache_dir: PathBuf,
}

impl CardMaker {
    /// A card maker for the site at `root`.
    pub fn new(root: &Path) -> Self {
        CardMaker {
            cache_dir: root.join(crate::paths::CACHE_DIR).join("cards"),
        }
    }

    /// The card for `text`: from the cache when it was drawn before, else drawn and kept.
    pub fn card(&self, text: &CardText<'_>) -> Result<Card, String> {
        let svg = svg::card(text, &measure);
        let key = xxh3_128(format!("{DRAWING_VERSION}\n{svg}").as_bytes());
        let cached = self.cache_dir.join(format!("{key:032x}.png"));
        if let Ok(png) = std::fs::read(&cached) {
            return Ok(Card {
                png: png.into(),
                drawn: false,
            });
        }
        let png = draw(&svg)?;
        // A cache that cannot be written only costs drawing the card again next time.
        let _ =
            std::fs::create_dir_all(&self.cache_dir).and_then(|()| std::fs::write(&cached, &png));
        Ok(Card {
            png: png.into(),
            drawn: true,
        })
    }
}

/// Fonts and options for usvg, made once.
fn options() -> &'static resvg::usvg::Options<'static> {
    static OPTIONS: OnceLock<resvg::usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut fonts = resvg::usvg::fontdb::Database::new();
        fonts.load_font_data(FONT.to_vec());
        resvg::usvg::Options {
            font_family: FONT_FAMILY.to_owned(),
            fontdb: Arc::new(fonts),
            ..resvg::usvg::Options::default()
        }
    })
}

/// The width in pixels of `line` set in the card font at `size` px.
fn measure(line: &str, size: f32) -> f32 {
    let probe = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="200"><text x="0" y="100" font-family="{FONT_FAMILY}" font-weight="bold" font-size="{size}">{}</text></svg>"#,
        svg::escape(line)
    );
    resvg::usvg::Tree::from_str(&probe, options())
        .map_or(f32::MAX, |tree| tree.root().abs_bounding_box().width())
}

/// Renders the card's SVG to PNG bytes.
fn draw(svg: &str) -> Result<Vec<u8>, String> {
    let tree = resvg::usvg::Tree::from_str(svg, options()).map_err(|e| e.to_string())?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT)
        .ok_or_else(|| "cannot make the card's canvas".to_owned())?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_is_a_png_of_the_right_size_drawn_once_then_read_from_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let maker = CardMaker::new(dir.path());
        let text = CardText {
            site: "The site",
            title: "A title long enough to need two lines on the card, or even three of them",
            description: "A description.",
        };
        let first = maker.card(&text).unwrap();
        assert!(first.drawn);
        assert_eq!(&first.png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&first.png[16..24], &[0, 0, 4, 176, 0, 0, 2, 118]);
        let second = maker.card(&text).unwrap();
        assert!(!second.drawn);
        assert_eq!(first.png, second.png);
        std::fs::remove_dir_all(dir.path().join(crate::paths::CACHE_DIR)).unwrap();
        let again = maker.card(&text).unwrap();
        assert!(again.drawn);
        assert_eq!(again.png, first.png, "drawing is deterministic");
    }

    #[test]
    fn text_is_measured_with_the_shipped_font() {
        assert!(measure("WWWW", 40.0) > measure("iiii", 40.0) * 2.0);
        assert!(measure("abc", 80.0) > measure("abc", 40.0) * 1.8);
    }
}
