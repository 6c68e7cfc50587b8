//! What the link check reads of the last build's pages, kept for the next build: each page's
//! scan and template by output file. A rebuild that looks only at what a change reaches (see
//! [`super::visit`]) starts from them and puts in only the pages it rendered again, instead of
//! naming, scanning and noting every page of the site again.
//!
//! They are handed out once per build (`take_outputs`) and given back only by a build that
//! passed its check, so a build that failed half-way leaves none behind and the next one makes
//! them afresh from every page.

use super::BuildCache;
use crate::links::html::Scan;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The scans and templates of a build's output pages, by output file.
#[derive(Default)]
pub(in crate::site) struct PageOutputs {
    pub scans: BTreeMap<String, Arc<Scan>>,
    pub template_of: HashMap<String, String>,
    /// The output files of the generated pages among them (tag pages, the print page), made
    /// again by every build.
    pub generated: Vec<String>,
}

impl PageOutputs {
    /// Without the generated pages (their next versions are put in by the build).
    fn without_generated(mut self) -> Self {
        for name in std::mem::take(&mut self.generated) {
            self.scans.remove(&name);
            self.template_of.remove(&name);
        }
        self
    }
}

impl BuildCache {
    /// The last checked build's page outputs, for a build whose pages pass looks only at what
    /// the change reaches (`narrowed`): its pages are those of the last build, at the same
    /// output files. Taken either way, so that none outlive a build that does not give them back.
    pub(in crate::site) fn take_outputs(&mut self, narrowed: bool) -> Option<PageOutputs> {
        let kept = self.outputs.take();
        kept.filter(|_| narrowed)
            .map(PageOutputs::without_generated)
    }

    /// Notes how many pages' outputs this build noted again (see [`super::Report`]).
    pub(in crate::site) fn outputs_noted(&mut self, pages: usize) {
        self.report.outputs_noted = pages;
    }

    /// Keeps a checked build's page outputs for the next build.
    pub(in crate::site) fn keep_outputs(&mut self, outputs: PageOutputs) {
        self.outputs = Some(outputs);
    }
}
