//! The build stage for images: the catalog of the site's images, made before bodies render
//! (pages ask it for sizes and copies), and the processed copies pages asked for, made once
//! every page is rendered (see [`crate::images`]).

use super::STATIC_DIR;
use crate::content::{Asset, Library, CONTENT_DIR};
use crate::error::{display_path, Diagnostic, Diagnostics};
use crate::images::process::{produce, Produced};
use crate::images::ImageCatalog;
use crate::render::functions::SiteIndex;
use std::path::Path;

/// Every image the site copies: content/ first, then static/ (a copied file is claimed once, so
/// no two share an output file).
pub(super) fn catalog(library: &Library, statics: &[Asset]) -> ImageCatalog {
    let content = (library.assets.iter()).map(|a| (a, format!("{CONTENT_DIR}/{}", a.path)));
    let statics = (statics.iter()).map(|a| (a, format!("{STATIC_DIR}/{}", a.path)));
    ImageCatalog::new(
        content
            .chain(statics)
            .map(|(a, shown)| (&a.output, a.source.clone(), a.id, shown)),
    )
}

/// Makes the copies of images that pages asked for (or takes them from the cache of the site
/// at `root`); an original that cannot be decoded is an error on its file.
pub(super) fn process(root: &Path, index: &SiteIndex, problems: &mut Diagnostics) -> Produced {
    let produced = produce(root, index.images.requested());
    for (source, why) in &produced.failures {
        problems.push(
            Diagnostic::error(
                display_path(root, source),
                format!("this image cannot be processed: {why}"),
            )
            .with_hint("save it again as a PNG, JPEG or WebP file"),
        );
    }
    produced
}
