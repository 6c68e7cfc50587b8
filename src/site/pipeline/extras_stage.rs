//! The extras stage of the [`Pipeline`]: the generated pages (tag pages, the print page), the
//! processed images, and the other files made from the whole site (the sitemap, the feed,
//! `robots.txt`, aliases, the 404 page, share cards).

use super::*;

impl Pipeline<'_> {
    /// The processed copies of images (resized, re-encoded) that the pages asked for, made once
    /// every page is rendered, the generated ones too. Returns how many were made and how many came from the cache.
    pub(super) fn images(
        &self,
        indexed: &Indexed,
        emitted: &Emitted,
        problems: &mut Diagnostics,
    ) -> Result<(usize, usize), Diagnostics> {
        let produced = images::process(self.options.root.as_path(), &indexed.index, problems);
        for (output, bytes) in produced.files {
            self.emit(emitted, &output, FileSource::Bytes(bytes));
        }
        // Problems found here are reported with the check's, as one list.
        match emitted.failure.get() {
            Some(failure) => Err(Diagnostics::from(failure.clone())),
            None => Ok((produced.processed, produced.reused)),
        }
    }

    /// The pages made from the whole site (the tag index, a page per tag, the print page),
    /// rendered afresh on every build.
    pub(super) fn generated(
        &mut self,
        indexed: &Indexed,
        bodies: &[Arc<Body>],
        written: &mut Written,
        emitted: &Emitted,
        problems: &mut Diagnostics,
    ) -> Result<(), Diagnostics> {
        let inputs = generated::GeneratedInputs {
            site: &indexed.site,
            library: &self.library,
            listings: &indexed.listings,
            bodies,
            registry: &self.registry,
            tera: &indexed.tera,
            templates: &self.templates,
            index_links: self.config.browse_from_disk,
            tags: &self.tags,
            print: self.print,
            fingerprint: indexed.fingerprint,
            index: &indexed.index,
            assets: &indexed.content_assets,
        };
        let mut generated_problems = Vec::new();
        let kept = self.cache.as_deref_mut().map(|cache| &mut cache.print);
        let pages = generated::render_all(&inputs, kept, &mut generated_problems).map_err(|d| {
            problems.push(d);
            std::mem::take(problems).sorted()
        })?;
        generated_problems
            .into_iter()
            .for_each(|d| problems.push(d));
        for (output, html, scan, template) in pages.pages {
            // A page whose scan is the last build's needs its links checked only when what
            // they lead to changed (as a kept page).
            if !pages.same_scan.contains(&output) {
                written.made_now.insert(output.to_string());
            }
            written
                .made_anchors
                .extend(scan.anchors.iter().map(str::to_owned));
            self.emit(emitted, &output, FileSource::Bytes(html));
            written.generated.push(output.to_string());
            written.scans.insert(output.to_string(), scan);
            written
                .template_of
                .insert(output.to_string(), template.to_owned());
        }
        Ok(())
    }

    /// The files that are not pages: aliases, `404.html`, `robots.txt`, the sitemap, the feed
    /// and the share cards. Returns how many cards were drawn.
    pub(super) fn extras(
        &mut self,
        indexed: &Indexed,
        emitted: &Emitted,
        problems: &mut Diagnostics,
    ) -> Result<usize, Diagnostics> {
        let made = (self.cache.is_some()).then(|| self.site_wide_files(&indexed.site));
        let library = &self.library;
        let put = |name: &str, text: String| {
            self.emit(emitted, name, FileSource::Bytes(text.into_bytes().into()));
        };
        // Every output was claimed once before rendering (`claims`), so nothing here overwrites.
        for page in &library.pages {
            for alias in &page.front.aliases {
                let Ok(output) = alias_output(alias) else {
                    continue;
                };
                put(
                    &output,
                    extras::alias_page(&output, &page.url, &page.title, &self.config),
                );
            }
        }
        match extras::not_found_page(
            &indexed.site,
            pages::nav(None, library),
            library,
            &self.templates,
            &indexed.tera,
            &extras::theme_stylesheets(&self.statics),
        ) {
            Ok(html) => put(
                extras::NOT_FOUND,
                extras::not_found_links(&html, &self.config),
            ),
            Err(d) => problems.push(d),
        }
        if !self.copied(extras::ROBOTS) {
            put(extras::ROBOTS, extras::robots(&self.config));
        }
        if let Some(made) = made {
            self.emit_site_wide(made, emitted);
        }
        let mut cards_drawn = 0;
        if self.config.share_cards {
            let root = self.options.root.as_path();
            let names = emitted.names();
            let taken: FastSet = names.iter().map(String::as_str).collect();
            let (cards, drawn) = share_cards::add(root, &self.config, library, &taken, problems);
            for (name, png) in cards {
                self.emit(emitted, &name, png);
            }
            cards_drawn = drawn;
        }
        // Problems found here are reported with the check's, as one list.
        match emitted.failure.get() {
            Some(failure) => Err(Diagnostics::from(failure.clone())),
            None => Ok(cards_drawn),
        }
    }

    /// Whether a copied file (content or static) is written to `name`.
    pub(super) fn copied(&self, name: &str) -> bool {
        (self.library.assets.iter())
            .chain(&self.statics)
            .any(|a| a.output == name)
    }

    /// Makes and writes the sitemap and the feed.
    pub(super) fn site_wide(&mut self, site: &SiteView, emitted: &Emitted) {
        let made = self.site_wide_files(site);
        self.emit_site_wide(made, emitted);
    }

    /// Writes the sitemap (if there is one) and the feed (unless a copied file has its name).
    pub(super) fn emit_site_wide(&self, (sitemap, atom): SiteWideFiles, emitted: &Emitted) {
        if let Some(sitemap) = sitemap {
            self.emit(emitted, extras::SITEMAP, sitemap);
        }
        if !self.copied(feed::FEED_FILE) {
            self.emit(emitted, feed::FEED_FILE, atom);
        }
    }

    /// The sitemap (with `base_url`) and the Atom feed, made from every page's place and front
    /// matter: kept by the cache while those and the settings they read are the same.
    pub(super) fn site_wide_files(&mut self, site: &SiteView) -> SiteWideFiles {
        let library = &self.library;
        let mut cache = self.cache.as_deref_mut();
        if let Some(cache) = cache.as_deref_mut() {
            cache.site_pages(library);
        }
        let keeping = cache.is_some();
        let mut kept = |name, key: cache::Key, make: &dyn Fn() -> String| -> FileSource {
            match cache.as_deref_mut() {
                Some(cache) => cache.site_file(name, key, make).source(),
                None => FileSource::Bytes(make().into_bytes().into()),
            }
        };
        let sitemap = self.config.base_url_with_slash().map(|base| {
            let generated = self.tags.sitemap_urls();
            let key = cache::Fingerprint::default()
                .json(&(&base, &generated))
                .digest();
            kept(extras::SITEMAP, key, &|| {
                extras::sitemap(&base, library, &generated)
            })
        });
        let key = (cache::Fingerprint::default().json(&self.config))
            .json(site)
            .digest();
        let atom = match keeping {
            true => kept(feed::FEED_FILE, key, &|| {
                feed::atom(&self.config, site, library)
            }),
            false => FileSource::Bytes(feed::atom_bytes(&self.config, site, library)),
        };
        (sitemap, atom)
    }
}
