//! Large sites made in the test: the convergence fixture with `sections` × `per_section` more
//! small pages, each linking to the next one of its section.

use super::site::TestSite;

/// The text of page `page` of section `section`, with `extra` after its body.
pub fn page_text(
    section: usize,
    page: usize,
    per_section: usize,
    title: &str,
    extra: &str,
) -> String {
    let next = if page + 1 < per_section {
        format!(" See [the next page](@/s{section:02}/p{:03}.md).", page + 1)
    } else {
        String::new()
    };
    format!("---\ntitle: {title}\nweight: {page}\n---\nText of page {page}.{next}\n{extra}")
}

/// The convergence fixture with `sections` folders of `per_section` pages each.
pub fn large_site(sections: usize, per_section: usize) -> TestSite {
    let site = TestSite::fixture("serve/converge");
    for s in 0..sections {
        site.write(
            &format!("content/s{s:02}/_index.md"),
            format!("---\ntitle: Section {s}\nweight: {}\n---\n", s + 10),
        );
        for p in 0..per_section {
            let title = format!("Page {s}-{p}");
            site.write(
                &format!("content/s{s:02}/p{p:03}.md"),
                page_text(s, p, per_section, &title, ""),
            );
        }
    }
    site
}
