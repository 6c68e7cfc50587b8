//! Tera, set up for the build: loading templates once ([`templates`]), the typed context every
//! page gets ([`context`]) and the functions templates can call ([`functions`]). Rendering the
//! pages themselves (which context, which template, in what order) is `site`'s job
//! (`site/pages.rs`, `site/bodies.rs`). Nothing here writes files.

pub mod absolute;
pub mod builtins;
pub mod changes;
pub mod context;
mod culprit;
mod cycles;
pub mod data;
pub mod depth;
pub mod functions;
pub mod images;
pub mod listing;
mod nesting;
pub mod page_error;
pub mod templates;
pub mod traps;

pub use templates::Templates;
