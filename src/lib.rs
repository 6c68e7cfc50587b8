//! dossier: a static-site generator for explainer pages.
//!
//! The build core is [`site::build`]: a pure function of the site folder (plus options) to the
//! whole output as data, which [`output`] writes to disk. `watch` and `serve` drive the same core;
//! the core never knows they exist. See ARCHITECTURE.md for the map.

pub mod cards;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod error;
#[cfg(feature = "external-links")]
pub mod external;
pub mod images;
pub mod language;
pub mod links;
pub mod markdown;
pub mod output;
pub mod paths;
pub mod render;
pub mod scaffold;
#[cfg(feature = "serve")]
pub mod serve;
pub mod shortcodes;
pub mod site;
pub mod sources;
pub mod watch;
pub mod yaml;
