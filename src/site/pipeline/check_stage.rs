//! The last stages of the [`Pipeline`]: handing each finished file to the sink (`emit`), the
//! link and anchor check over the pages' scans, and telling the sink the site is complete
//! (`write`) only when nothing was wrong.

use super::*;

impl Pipeline<'_> {
    /// Every internal link and anchor of the written pages, ids used twice, and (for `check`)
    /// orphan pages. Works on the pages' scans, not on their bytes.
    pub(super) fn check(
        &mut self,
        bodies: &[Arc<Body>],
        written: &Written,
        emitted: &Emitted,
        problems: &mut Diagnostics,
    ) -> Result<cache::Key, Diagnostics> {
        let names = emitted.take_names();
        let files: FastSet = names.iter().map(String::as_str).collect();
        // Only the pages rendered now, when nothing they could link to changed.
        let anchors = written.made_anchors.iter().map(String::as_str);
        let checked = cache::files_key(names.iter().map(String::as_str), anchors);
        let only =
            (self.cache.as_deref()).and_then(|cache| cache.pages_to_check(checked, &self.library));
        let broken = match (streamed_anchors(&self.library, written), &only) {
            (Some(streamed), _) => {
                streamed_check(&self.library, &files, &streamed, &written.made_now)
            }
            (None, Some(only)) => {
                let mut pages: Vec<&str> = (only.iter().chain(&written.made_now))
                    .map(String::as_str)
                    .collect();
                pages.sort_unstable();
                pages.dedup();
                check_named(&files, &written.scans, &pages)
            }
            (None, None) => check(&files, &written.scans),
        };
        let duplicates = written.scans.values().any(|s| !s.duplicate_ids.is_empty());
        let unpacked;
        let bodies = if !broken.is_empty() || duplicates {
            self.unshelve_texts();
            // What only a page reads of its body (where ids come from, the links as written)
            // is packed with the HTML while the build cache keeps it.
            unpacked = match self.cache.as_deref() {
                Some(cache) => cache.unpacked_bodies(&self.library, bodies),
                None => packed::unpacked_bodies(bodies),
            };
            &unpacked[..]
        } else {
            bodies
        };
        let library = &self.library;
        let streamed = streamed_anchors(library, written);
        let anchors: &dyn PageAnchors = match &streamed {
            Some(streamed) => streamed,
            None => &written.scans,
        };
        for broken in broken {
            problems.push(linking::broken_link_diagnostic(
                library,
                &broken,
                bodies,
                &written.template_of,
                anchors,
                &self.templates,
            ));
        }
        for duplicate in ids::duplicate_ids(library, bodies, &written.scans, &written.template_of) {
            problems.push(duplicate);
        }
        if self.options.report_orphans {
            linking::orphans(library, &written.backlinks).for_each(|d| problems.push(d));
        }
        self.stop_on_errors(emitted, problems).map(|()| checked)
    }

    /// The site is complete and correct: the sink publishes it (a staging folder is swapped in).
    pub(super) fn write(&self, emitted: &Emitted) -> Result<(), Diagnostics> {
        match emitted.failure.get() {
            Some(failure) => Err(Diagnostics::from(failure.clone())),
            None => self.sink.finish().map_err(Diagnostics::from),
        }
    }

    /// Hands one finished file to the sink; after the sink's first failure nothing more is
    /// written, and the build stops at the end of the stage.
    pub(super) fn emit(&self, emitted: &Emitted, name: &str, source: FileSource) {
        if emitted.failure.get().is_some() {
            return;
        }
        let source = match source {
            // Kept (for the dev server) packed like the pages: the generated pages, aliases
            // and the not-found page.
            FileSource::Bytes(bytes) if self.cache.is_some() && name.ends_with(".html") => {
                FileSource::Packed(Arc::new(packed::Packed::new(&bytes, None)))
            }
            source => source,
        };
        match self.sink.put(name, source) {
            Ok(()) => emitted
                .names
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(name.to_owned()),
            Err(failure) => {
                let _ = emitted.failure.set(failure);
            }
        }
    }

    pub(super) fn stop_on_errors(
        &self,
        emitted: &Emitted,
        problems: &mut Diagnostics,
    ) -> Result<(), Diagnostics> {
        if problems.has_errors() {
            return Err(std::mem::take(problems).sorted());
        }
        match emitted.failure.get() {
            Some(failure) => Err(Diagnostics::from(failure.clone())),
            None => Ok(()),
        }
    }
}

impl Emitted {
    pub(super) fn names(&self) -> Vec<String> {
        self.names
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The names, for the last stage that reads them (the check).
    pub(super) fn take_names(&self) -> Vec<String> {
        std::mem::take(&mut self.names.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// A one-off build's pages' anchors (and the generated pages').
pub(super) fn streamed_anchors<'a>(
    library: &'a Library,
    written: &'a Written,
) -> Option<StreamedAnchors<'a>> {
    let links = written.links.as_deref()?;
    Some(StreamedAnchors::new(library, links, &written.scans))
}
