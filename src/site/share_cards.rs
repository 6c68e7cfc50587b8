//! The build stage that adds a share card ([`crate::cards`]) beside every page when site.yaml
//! says `share_cards: true`. The cards' output files were claimed with the rest
//! ([`super::claims`]); a file the site copies to the same place (its own card) wins.

use crate::cards::{CardMaker, CardText};
use crate::config::SiteConfig;
use crate::content::Library;
use crate::error::{Diagnostic, Diagnostics};
use crate::output::{FileSource, SiteFiles};
use rayon::prelude::*;
use std::path::Path;

/// Draws (or takes from the cache) the card of every page; returns how many were drawn.
pub(super) fn add(
    root: &Path,
    config: &SiteConfig,
    library: &Library,
    files: &mut SiteFiles,
    problems: &mut Diagnostics,
) -> usize {
    let maker = CardMaker::new(root);
    let site_description = config.description.as_deref().unwrap_or_default();
    let wanted: Vec<_> = library
        .pages
        .iter()
        .filter_map(|page| Some((page, page.output.share_card()?)))
        .filter(|(_, card)| !files.contains(card.as_str()))
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
    for (page, card, result) in made {
        match result {
            Ok(made) => {
                drawn += usize::from(made.drawn);
                files.insert(card.to_string(), FileSource::Bytes(made.png));
            }
            Err(e) => problems.push(Diagnostic::error(
                page.shown.clone(),
                format!("cannot draw the share card: {e}"),
            )),
        }
    }
    drawn
}
