//! The build stage that adds a share card ([`crate::cards`]) beside every page when site.yaml
//! says `share_cards: true`. The cards' output files were claimed with the rest
//! ([`super::claims`]); a file the site copies to the same place (its own card) wins.

use crate::cards::{CardMaker, CardText};
use crate::config::SiteConfig;
use crate::content::Library;
use crate::error::{Diagnostic, Diagnostics};
use crate::links::check::FastSet;
use crate::output::FileSource;
use rayon::prelude::*;
use std::path::Path;

/// Draws (or takes from the cache) the card of every page whose card is not among the `taken`
/// output files; returns the cards and how many were drawn.
pub(super) fn add(
    root: &Path,
    config: &SiteConfig,
    library: &Library,
    taken: &FastSet<'_>,
    problems: &mut Diagnostics,
) -> (Vec<(String, FileSource)>, usize) {
    let maker = CardMaker::new(root);
    let site_description = config.description.as_deref().unwrap_or_default();
    let wanted: Vec<_> = library
        .pages
        .iter()
        .filter_map(|page| Some((page, page.output.share_card()?)))
        .filter(|(_, card)| !taken.contains(card.as_str()))
        .collect();
    let made: Vec<_> = wanted
        .par_iter()
        .map(|(page, card)| {
            let text = CardText {
                site: &config.title,
                title: &page.title,
                description: page
                    .front
                    .description
                    .as_deref()
                    .unwrap_or(site_description),
            };
            (page, card, maker.card(&text))
        })
        .collect();
    let mut drawn = 0;
    let mut cards = Vec::new();
    for (page, card, result) in made {
        match result {
            Ok(made) => {
                drawn += usize::from(made.drawn);
                cards.push((card.to_string(), FileSource::Bytes(made.png)));
            }
            Err(e) => problems.push(Diagnostic::error(
                page.shown.clone(),
                format!("cannot draw the share card: {e}"),
            )),
        }
    }
    (cards, drawn)
}
