//! The command line: clap types, turned into option structs for the commands. Nothing here
//! touches the file system.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// dossier builds explainer sites: a small, tightly linked set of pages that explains one story.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default: public/).
    Build(SiteArgs),
    /// Build into a temporary folder and run every check (links, anchors, orphan pages); writes nothing.
    Check(CheckArgs),
    /// Create a new site with a working starter in DIR.
    Init(InitArgs),
    /// Create a new page with front matter under content/.
    New(NewArgs),
    /// Rebuild the output folder whenever an input changes.
    Watch(SiteArgs),
    /// Build, serve on 127.0.0.1, rebuild on every change and reload the browser.
    Serve(ServeArgs),
}

/// The output folder when no `--output` is given.
pub const DEFAULT_OUTPUT: &str = "public";

/// Flags shared by the commands that build.
#[derive(Debug, Clone, Args)]
pub struct SiteArgs {
    /// The site folder: the one with site.yaml, content/ and templates/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The output folder (default: public/), taken from the site folder when relative. Only
    /// `build` and `watch` write one: `check` and `serve` refuse the flag.
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// The address the site is published at, for canonical links and the sitemap (overrides
    /// `base_url` in site.yaml; internal links stay relative either way).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

impl SiteArgs {
    /// The output folder, taken from the site root when relative.
    pub fn output_dir(&self) -> PathBuf {
        let output = self
            .output
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_OUTPUT));
        if output.is_absolute() || self.root == std::path::Path::new(".") {
            output
        } else {
            self.root.join(output)
        }
    }

    /// For the commands that write no output folder (`check`, `serve`): an `--output` given to
    /// them would be silently ignored, so it is refused.
    pub fn refuse_output(&self, command: &str) -> Result<(), crate::error::Diagnostic> {
        match &self.output {
            None => Ok(()),
            Some(dir) => Err(crate::error::Diagnostic::error(
                "",
                format!("`dossier {command}` writes no output folder, so `--output {}` would do nothing", dir.display()),
            )
            .with_hint("leave out --output, or run `dossier build --output DIR` to write the site there")),
        }
    }
}

/// `dossier check`: the build flags, and the check of links to other sites.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Also ask every other site the pages link to whether the page is still there (needs the
    /// network; answers are kept in .dossier-cache/ for --recheck-after days).
    #[arg(long)]
    pub external: bool,
    /// With --external: seconds to wait for one site's answer.
    #[arg(long, value_name = "SECS", default_value_t = 10, requires = "external")]
    pub timeout: u64,
    /// With --external: milliseconds between two requests to the same host.
    #[arg(long, value_name = "MS", default_value_t = 500, requires = "external")]
    pub host_delay: u64,
    /// With --external: requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 8, requires = "external")]
    pub concurrency: usize,
    /// With --external: days an answer is trusted before the link is asked again.
    #[arg(long, value_name = "DAYS", default_value_t = 7, requires = "external")]
    pub recheck_after: u64,
}

#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// The folder to create (it must not exist or be empty).
    pub dir: PathBuf,
    /// Write the minimal one-page starter instead of the small explainer with the shipped theme.
    #[arg(long)]
    pub bare: bool,
}

#[derive(Debug, Clone, Args)]
pub struct NewArgs {
    /// Path of the page under content/, e.g. `participants/putin.md`.
    pub path: PathBuf,
    /// The page title (default: made from the file name).
    #[arg(long)]
    pub title: Option<String>,
    /// The site folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on. Anything but loopback exposes your drafts to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}
