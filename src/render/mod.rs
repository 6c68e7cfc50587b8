//! Rendering with Tera: loading templates once ([`templates`]), the typed context every page
//! gets ([`context`]), the functions templates can call ([`functions`]), and rendering one page
//! or one shortcode call. Nothing here writes files.

pub mod absolute;
pub mod builtins;
pub mod changes;
pub mod context;
pub mod functions;
pub mod templates;

pub use templates::Templates;
