//! The shipped explainer: every part exists, reading order and navigation agree, person pages
//! link back to every page that mentions them, and the quotes page lists every quotation, each
//! verbatim from the source article and each short one in context. Editorial limits: no run of
//! 12 words copied from the article, "the article" at most twice a page, and a word budget.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{attrs, texts, TestSite};
use std::collections::BTreeSet;
use std::path::Path;

/// The reading order of the explainer, as output folders.
const ORDER: &[&str] = &[
    "",
    "background/",
    "talks/",
    "reactions/",
    "outlook/",
    "quotes/",
    "participants/",
    "participants/trump/",
    "participants/rubio/",
    "participants/witkoff/",
    "participants/putin/",
    "participants/lavrov/",
    "participants/kremlin-team/",
    "participants/zelensky/",
    "participants/karen-michaels/",
    "sources/",
];

/// A copy of the shipped site with the article's text where `sources.yaml` names it
/// (`sources/article.txt`), when `../shared/source/article.txt` is there (in CI it must be).
fn shipped_site() -> TestSite {
    let site = TestSite::fixture(".");
    if let Some(article) = article_or_skip() {
        site.write("sources/article.txt", article);
    }
    site
}

/// The shipped site, built: with the article's text present, every quotation is verified.
fn built() -> TestSite {
    let site = shipped_site();
    let run = site.build().success();
    if site.path("sources/article.txt").is_file() {
        assert!(
            !run.stderr.contains("not verified"),
            "quotations went unverified:\n{}",
            run.stderr
        );
    }
    site
}

fn page(site: &TestSite, folder: &str) -> scraper::Html {
    site.html(&format!("{folder}index.html"))
}

/// The output folder a relative `href` on the page in `folder` points to (fragment dropped).
fn target(folder: &str, href: &str) -> String {
    let path = href.split('#').next().unwrap_or("");
    let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if joined.is_empty() || joined.ends_with(".html") {
        joined
    } else {
        format!("{joined}/")
    }
}

fn main_links(html: &scraper::Html, folder: &str) -> BTreeSet<String> {
    attrs(html, "main a[href]", "href")
        .iter()
        .map(|h| target(folder, h))
        .collect()
}

#[test]
fn every_part_exists_with_one_heading_and_the_source() {
    let site = built();
    for folder in ORDER {
        let html = page(&site, folder);
        assert_eq!(texts(&html, "h1").len(), 1, "{folder}: one h1");
        let footer = texts(&html, "footer").join(" ");
        assert!(
            footer.contains("Source:"),
            "{folder}: the footer names the source"
        );
        assert!(
            footer.contains("no date"),
            "{folder}: the footer says the article gives no date"
        );
    }
}

#[test]
fn navigation_and_prev_next_follow_the_reading_order() {
    let site = built();
    let top: Vec<&str> = ORDER
        .iter()
        .copied()
        .filter(|f| f.matches('/').count() <= 1)
        .collect();
    let html = page(&site, "");
    let nav: Vec<String> = attrs(&html, "nav[aria-label=Sections] a", "href")
        .iter()
        .map(|h| target("", h))
        .collect();
    assert_eq!(nav, top);
    for (i, folder) in ORDER.iter().enumerate() {
        let html = page(&site, folder);
        let pager: Vec<String> = attrs(&html, "nav[aria-label='Reading order'] a", "href")
            .iter()
            .map(|h| target(folder, h))
            .collect();
        let mut expected = Vec::new();
        if i > 0 {
            expected.push(ORDER[i - 1].to_owned());
        }
        if let Some(next) = ORDER.get(i + 1) {
            expected.push((*next).to_owned());
        }
        assert_eq!(pager, expected, "prev/next on {folder}");
        let current = attrs(
            &html,
            "nav[aria-label=Sections] a[aria-current=page]",
            "href",
        );
        if top.contains(folder) {
            assert_eq!(current.len(), 1, "{folder} is marked in the nav");
        }
    }
}

#[test]
fn every_page_links_onward_and_is_linked_from_another_page_text() {
    let site = built();
    for folder in ORDER {
        let links = main_links(&page(&site, folder), folder);
        let onward: Vec<_> = links
            .iter()
            .filter(|l| ORDER.contains(&l.as_str()) && l != folder)
            .collect();
        assert!(!onward.is_empty(), "{folder} is a dead end");
    }
    site.run(&["check"]).success();
}

#[test]
fn person_pages_link_back_to_every_page_that_mentions_them() {
    let site = built();
    let people: Vec<&str> = ORDER
        .iter()
        .copied()
        .filter(|f| f.starts_with("participants/") && *f != "participants/")
        .collect();
    assert_eq!(people.len(), 8);
    let mut checked = 0;
    for folder in ORDER {
        let html = page(&site, folder);
        let mut mentioned: BTreeSet<String> = BTreeSet::new();
        // Mentions are links in the page's own text (its article body), not the site navigation.
        for selector in [".content a[href]", "main .quote a[href]"] {
            for href in attrs(&html, selector, "href") {
                mentioned.insert(target(folder, &href));
            }
        }
        for person in &people {
            if mentioned.contains(*person) && person != folder {
                let back = main_links(&page(&site, person), person);
                assert!(
                    back.contains(*folder),
                    "{person} does not link back to {folder}"
                );
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 20,
        "only {checked} mentions found: the check would be too weak"
    );
}

/// Every `quote` shortcode in the content, as (page folder, who, text).
fn quotes_in_content() -> Vec<(String, String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let rel = entry
            .path()
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let folder = match rel.strip_suffix("_index.md") {
            Some(dir) => dir.to_owned(),
            None => format!("{}/", rel.trim_end_matches(".md")),
        };
        let extracted = dossier::shortcodes::extract(&text).unwrap();
        for call in extracted.calls.into_iter().filter(|c| c.name == "quote") {
            let who = call.args["who"].as_str().unwrap().to_owned();
            found.push((folder.clone(), who, call.body.unwrap().trim().to_owned()));
        }
    }
    found
}

#[test]
fn quotes_page_lists_every_quotation_with_its_speaker_and_page() {
    let site = built();
    let quotes = quotes_in_content();
    assert!(
        quotes.len() >= 9,
        "the explainer quotes its sources: {}",
        quotes.len()
    );
    let html = page(&site, "quotes/");
    let figure = scraper::Selector::parse("main figure.quote, main li").unwrap();
    for (folder, who, text) in &quotes {
        let person = format!("participants/{who}/");
        assert!(
            site.public().join(&person).join("index.html").is_file(),
            "{who} has a page"
        );
        let entry = html
            .select(&figure)
            .find(|f| f.text().collect::<String>().contains(text.as_str()));
        let entry = entry.unwrap_or_else(|| panic!("the quotes page lacks “{text}”"));
        let links: Vec<String> = entry
            .select(&scraper::Selector::parse("a[href]").unwrap())
            .map(|a| target("quotes/", a.value().attr("href").unwrap()))
            .collect();
        let section_links: Vec<String> = {
            // The speaker may head the group the quote is listed in.
            let mut node = entry.parent();
            let mut found = Vec::new();
            while let Some(n) = node {
                if let Some(el) = scraper::ElementRef::wrap(n) {
                    found.extend(
                        el.select(&scraper::Selector::parse("h2 a[href]").unwrap())
                            .map(|a| target("quotes/", a.value().attr("href").unwrap())),
                    );
                    if el.value().name() == "section" {
                        break;
                    }
                }
                node = n.parent();
            }
            found
        };
        assert!(
            links.contains(folder),
            "“{text}” does not link to the page it is on ({folder}): {links:?}"
        );
        assert!(
            links.contains(&person) || section_links.contains(&person),
            "“{text}” is not attributed to {person}"
        );
        // And the speaker's page lists it too.
        let person_page = page(&site, &person);
        let listed = texts(&person_page, "main").join(" ");
        assert!(
            listed.contains(text.as_str()),
            "{person} does not list “{text}”"
        );
    }
}

#[test]
fn quotations_are_verbatim_from_the_source_article() {
    let article = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/source/article.txt");
    let Ok(article) = std::fs::read_to_string(&article) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have ../shared/source/article.txt"
        );
        eprintln!("skipped: ../shared/source/article.txt is not beside the repository");
        return;
    };
    for (folder, who, text) in quotes_in_content() {
        assert!(
            article.contains(&text),
            "{folder}: the quote by {who} is not verbatim: “{text}”"
        );
    }
}

#[test]
fn pages_load_nothing_from_other_hosts_and_need_no_javascript() {
    let site = built();
    for (path, bytes) in common::site::tree(&site.public()) {
        let name = path.to_string_lossy();
        if name.ends_with(".css") {
            let css = String::from_utf8_lossy(&bytes);
            assert!(
                !css.contains("@import") && !css.contains("//"),
                "{name} pulls in other files: keep the theme self-contained"
            );
        }
        if !name.ends_with(".html") {
            continue;
        }
        let html = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        // The only script element allowed is JSON-LD: data, never run, never loaded from a file.
        let code = r#"script:not([type="application/ld+json"])"#;
        assert!(
            attrs(&html, "script", "src").is_empty() && texts(&html, code).is_empty(),
            "{name} has a script"
        );
        for (selector, attribute) in [
            ("link", "href"),
            ("img", "src"),
            ("source", "src"),
            ("iframe", "src"),
            ("video", "src"),
            ("audio", "src"),
        ] {
            for url in attrs(&html, selector, attribute) {
                let external = url.contains("://") || url.starts_with("//");
                assert!(!external, "{name} loads {url} from another host");
            }
        }
    }
}

#[test]
fn the_narrative_comes_before_the_person_pages() {
    // A reader following "Next" from the overview reads the story first, then the reference pages.
    let position = |folder: &str| ORDER.iter().position(|f| *f == folder).unwrap();
    let first_person = ORDER
        .iter()
        .position(|f| f.starts_with("participants/") && *f != "participants/")
        .unwrap();
    for narrative in ["background/", "talks/", "reactions/", "outlook/"] {
        assert!(
            position(narrative) < first_person,
            "{narrative} comes after a person page"
        );
    }
}

/// The source article, or `None` (skip) when it is not beside the repository outside CI.
fn article_or_skip() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/source/article.txt");
    if let Ok(text) = std::fs::read_to_string(path) {
        return Some(text);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must have ../shared/source/article.txt"
    );
    eprintln!("skipped: ../shared/source/article.txt is not beside the repository");
    None
}

/// Lower-case words with everything but letters and digits taken out ("US-Russia" → "usrussia").
fn normalized_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// The text of `element` in stretches that quotations (`q`, `blockquote`) interrupt: quoted
/// words are the speakers', not the site's, and a run of words must not be joined across them.
fn text_between_quotations(element: scraper::ElementRef, stretches: &mut Vec<String>) {
    for child in element.children() {
        if let Some(child_element) = scraper::ElementRef::wrap(child) {
            if matches!(child_element.value().name(), "q" | "blockquote") {
                stretches.push(String::new());
            } else {
                text_between_quotations(child_element, stretches);
            }
        } else if let Some(text) = child.value().as_text() {
            match stretches.last_mut() {
                Some(last) => last.push_str(text),
                None => stretches.push(text.to_string()),
            }
        }
    }
}

const COPIED_RUN: usize = 12;

#[test]
fn no_run_of_twelve_words_is_copied_from_the_article() {
    let Some(article) = article_or_skip() else {
        return;
    };
    let words = normalized_words(&article);
    let runs: BTreeSet<&[String]> = words.windows(COPIED_RUN).collect();
    let site = built();
    let mut checked_words = 0;
    for (path, bytes) in common::site::tree(&site.public()) {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        let mut stretches = attrs(&html, "meta[name=description]", "content");
        let body = scraper::Selector::parse("body").unwrap();
        for element in html.select(&body) {
            stretches.push(String::new());
            text_between_quotations(element, &mut stretches);
        }
        for stretch in &stretches {
            let own = normalized_words(stretch);
            checked_words += own.len();
            for window in own.windows(COPIED_RUN) {
                assert!(
                    !runs.contains(window),
                    "{}: {COPIED_RUN} words copied from the article: “{}”",
                    path.display(),
                    window.join(" ")
                );
            }
        }
    }
    assert!(checked_words > 2000, "only {checked_words} words checked");
}

/// How many times the visible text of `main` leans on "the article" (or "the source article").
fn mentions_of_the_article(html: &scraper::Html) -> usize {
    let text = texts(html, "main").join(" ").to_lowercase();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    ["the article", "the source article", "the news article"]
        .iter()
        .map(|phrase| text.matches(phrase).count())
        .sum()
}

#[test]
fn no_page_says_the_article_more_than_twice() {
    // Claims are attributed to whoever made them (the White House, observers, analysts…).
    let site = built();
    for folder in ORDER {
        let count = mentions_of_the_article(&page(&site, folder));
        assert!(count <= 2, "{folder} says “the article” {count} times");
    }
    let crowded = scraper::Html::parse_document(
        "<main><p>The article says. The article adds. The source article ends.</p></main>",
    );
    assert_eq!(
        mentions_of_the_article(&crowded),
        3,
        "the count itself works"
    );
}

/// Words of body text: the Markdown body of a page as built (`main .content`, so not the title,
/// description, navigation or the lists templates add), one word per whitespace-separated token
/// that contains a letter (so "#" heading anchors and bare numbers do not count).
fn body_words(html: &scraper::Html) -> usize {
    texts(html, "main .content")
        .iter()
        .flat_map(|t| t.split_whitespace())
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count()
}

/// Word budget for the whole explainer: concise for a source of about 1,130 words.
const BODY_WORDS: std::ops::RangeInclusive<usize> = 2_000..=2_800;

#[test]
fn body_text_stays_within_the_word_budget() {
    let site = built();
    let mut per_page = Vec::new();
    for (path, bytes) in common::site::tree(&site.public()) {
        // The one-page version repeats every page's text.
        if path.file_name().is_none_or(|n| n != "index.html") || path.starts_with("print") {
            continue;
        }
        let html = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        per_page.push((path.display().to_string(), body_words(&html)));
    }
    assert!(per_page.len() >= ORDER.len(), "every page counted");
    let total: usize = per_page.iter().map(|(_, n)| n).sum();
    eprintln!("{total} words of body text");
    assert!(
        BODY_WORDS.contains(&total),
        "{total} words of body text, outside {BODY_WORDS:?}: {per_page:?}"
    );
}

/// Every `quote` call in the content, with the folder of the page it is on.
fn quote_calls() -> Vec<(String, dossier::shortcodes::Call)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let rel = entry.path().strip_prefix(&root).unwrap();
        let rel = rel.to_string_lossy().replace('\\', "/");
        let folder = match rel.strip_suffix("_index.md") {
            Some(dir) => dir.to_owned(),
            None => format!("{}/", rel.trim_end_matches(".md")),
        };
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let extracted = dossier::shortcodes::extract(&text).unwrap();
        for call in extracted.calls.into_iter().filter(|c| c.name == "quote") {
            found.push((folder.clone(), call));
        }
    }
    found
}

fn arg<'a>(call: &'a dossier::shortcodes::Call, name: &str) -> Option<&'a str> {
    call.args.get(name).and_then(|v| v.as_str())
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn short_quotations_are_listed_with_their_context_under_every_speaker() {
    let site = built();
    let quotes_page = page(&site, "quotes/");
    let entries: Vec<String> = texts(&quotes_page, "main .quote-list li")
        .iter()
        .map(|t| squeeze(t))
        .collect();
    let calls = quote_calls();
    let mut in_context = 0;
    for (folder, call) in &calls {
        let body = call.body.as_deref().unwrap().trim();
        let inline = call.args.get("inline").and_then(serde_json::Value::as_bool) == Some(true);
        let Some(context) = arg(call, "context") else {
            assert!(
                !inline,
                "{folder}: “{body}” is a fragment without a context"
            );
            continue;
        };
        assert_eq!(
            context.matches("{quote}").count(),
            1,
            "{folder}: the context of “{body}” marks where the quotation goes with one {{quote}}"
        );
        let shown = squeeze(&context.replace("{quote}", body));
        assert!(
            entries.iter().any(|e| e.contains(&shown)),
            "the quotes page lacks “{shown}”"
        );
        let speakers = [arg(call, "who"), arg(call, "also")];
        for who in speakers.into_iter().flatten() {
            let person = page(&site, &format!("participants/{who}/"));
            let listed = squeeze(&texts(&person, "main .person-quotes").join(" "));
            assert!(listed.contains(&shown), "{who}'s page lacks “{shown}”");
            let group = squeeze(
                &texts(
                    &quotes_page,
                    &format!("section[aria-labelledby=said-{who}]"),
                )
                .join(" "),
            );
            assert!(
                group.contains(&shown),
                "“{shown}” is not listed under {who}"
            );
        }
        in_context += 1;
    }
    assert!(in_context >= 6, "only {in_context} quotations in context");
    assert!(
        calls.iter().any(|(_, c)| arg(c, "also").is_some()),
        "words the article credits to both leaders are credited to both"
    );
}

/// The article's section headings, the locators its citations use (`at=`); its untitled opening
/// is "Introduction".
const ARTICLE_SECTIONS: &[&str] = &[
    "Introduction",
    "Warm Welcome and Symbolic Gestures",
    "Delegation-Level Talks: Who Was Present?",
    "Ukraine Ceasefire Discussions: The Core Issue",
    "Joint Press Conference: Highlights",
    "Vladimir Putin’s Remarks",
    "Donald Trump’s Remarks",
    "Invitation to Moscow: A Diplomatic Gesture",
    "Reactions from Ukraine and Europe",
    "India Dragged into the Equation",
    "Why Alaska? The Symbolism of the Venue",
    "Expert Analysis: Constructive, But No Breakthrough",
    "What Comes Next?",
    "Conclusion",
];

#[test]
fn the_locators_are_the_article_s_own_section_headings() {
    let Some(article) = article_or_skip() else {
        return;
    };
    let lines: Vec<&str> = article.lines().map(str::trim).collect();
    for heading in ARTICLE_SECTIONS.iter().filter(|h| **h != "Introduction") {
        assert!(
            lines.contains(heading),
            "the article has no heading “{heading}”"
        );
    }
}

/// The pages whose body text must cite the article: every page but the Sources page, which is
/// the list of sources itself.
fn cited_pages() -> impl Iterator<Item = &'static str> {
    ORDER.iter().copied().filter(|f| *f != "sources/")
}

/// Paragraphs that only point the reader to other pages of the site and state no fact: they
/// need no citation. Listed one by one (page, opening words) so that the exception stays narrow.
const SIGNPOSTS: &[(&str, &str)] = &[
    ("", "Every quotation is gathered on"),
    ("reactions/", "What these responses could mean"),
];

/// The locator of a citation, from its accessible name (`Source 1: <title>, <at>`).
fn locator(aria_label: &str, title: &str) -> Option<String> {
    let prefix = format!(": {title}, ");
    aria_label.split_once(&prefix).map(|(_, at)| at.to_owned())
}

fn cites_in(element: scraper::ElementRef) -> Vec<String> {
    let selector = scraper::Selector::parse("sup.cite a[href^='#source-']").unwrap();
    element
        .select(&selector)
        .map(|a| a.value().attr("aria-label").unwrap_or_default().to_owned())
        .collect()
}

/// The nearest ancestor of `element` (itself included) matching one of `names` ("tag.class").
fn inside<'a>(element: scraper::ElementRef<'a>, names: &[&str]) -> Option<scraper::ElementRef<'a>> {
    let mut node = Some(*element);
    while let Some(n) = node {
        if let Some(el) = scraper::ElementRef::wrap(n) {
            let tag = el.value().name();
            let hit = names.iter().any(|name| match name.split_once('.') {
                Some((t, class)) => t == tag && el.value().classes().any(|c| c == class),
                None => *name == tag,
            });
            if hit {
                return Some(el);
            }
        }
        node = n.parent();
    }
    None
}

#[test]
fn every_paragraph_of_body_text_cites_the_article_at_one_of_its_sections() {
    // Body text is `main .content`. Not body text: quotations (figure, blockquote), the
    // callout's title line ("Note"), the "What we know / what we don't" lists (each fact there
    // links to the section of the site where it is told and cited; an open question has no
    // source), and the signposts above. A paragraph inside an event is cited by its event (the
    // citation closes the event, after its body). Every other list item carries a citation too.
    let site = built();
    let title = "A news article on the Trump–Putin meeting in Alaska";
    let paragraphs = scraper::Selector::parse("main .content p, main .content li").unwrap();
    let mut report = Vec::new();
    for folder in cited_pages() {
        let html = page(&site, folder);
        let mut checked = 0;
        for p in html.select(&paragraphs) {
            let text = squeeze(&p.text().collect::<String>());
            let skip = [
                "figure",
                "blockquote",
                "p.callout-title",
                "section.findings",
            ];
            if inside(p, &skip).is_some()
                || (p.value().name() == "p" && inside(p, &["li"]).is_some())
                || SIGNPOSTS
                    .iter()
                    .any(|(f, start)| *f == folder && text.starts_with(start))
            {
                continue;
            }
            let holder = inside(p, &["section.event"]).unwrap_or(p);
            let cites = cites_in(holder);
            assert!(!cites.is_empty(), "{folder}: no citation in “{text}”");
            for label in &cites {
                let at = locator(label, title)
                    .unwrap_or_else(|| panic!("{folder}: “{label}” does not cite the article"));
                assert!(
                    ARTICLE_SECTIONS.contains(&at.as_str()),
                    "{folder}: “{at}” is not a section of the article"
                );
            }
            checked += 1;
        }
        assert!(checked > 0, "{folder}: no body text checked");
        let total = attrs(&html, "main sup.cite a", "id").len();
        report.push(format!("{folder}: {total}"));
        // The page lists the article under "Sources", with a link back to every citation.
        assert_eq!(
            texts(&html, "main .page-sources cite"),
            [title],
            "{folder} lists its source"
        );
    }
    eprintln!("citations per page: {}", report.join(", "));
    // The signposts exist as written (an exception for a paragraph that is gone is a hole).
    for (folder, start) in SIGNPOSTS {
        let found = texts(&page(&site, folder), "main .content p")
            .iter()
            .any(|t| squeeze(t).starts_with(start));
        assert!(found, "{folder}: no signpost “{start}”");
    }
}

#[test]
fn every_quotation_is_tied_to_the_article_and_verified_at_build_time() {
    let calls = quote_calls();
    for (folder, call) in &calls {
        let body = call.body.as_deref().unwrap_or_default().trim();
        assert_eq!(
            arg(call, "source"),
            Some("article"),
            "{folder}: “{body}” is not tied to the article"
        );
        let at = arg(call, "at").unwrap_or_default();
        assert!(
            ARTICLE_SECTIONS.contains(&at),
            "{folder}: “{body}” names no section of the article: {at:?}"
        );
    }
    let Some(_) = article_or_skip() else {
        return;
    };
    // With the text present the build verifies every quotation (`built` checks that it warns of
    // none unverified); one word changed in one shipped quotation fails the build at its line.
    let site = built();
    let before = common::site::tree(&site.public());
    let reactions = site.read("content/reactions.md");
    let line = reactions
        .lines()
        .position(|l| l.starts_with("{% quote(who=\"karen-michaels\""))
        .expect("the Karen Michaels quotation")
        + 1;
    site.write(
        "content/reactions.md",
        reactions.replace(
            "This was a symbolic meeting.",
            "This was a historic meeting.",
        ),
    );
    let run = site.build().user_error();
    let expected = format!(
        "content/reactions.md:{line}:1: error: the quotation differs from source `article` at “historic”: the source has “symbolic”"
    );
    assert!(
        run.stderr.lines().any(|l| l == expected),
        "expected the line\n{expected}\nin:\n{}",
        run.stderr
    );
    assert_eq!(
        common::site::tree(&site.public()),
        before,
        "a failed build changed the output"
    );
}

/// The steps of the visit, in the order the article tells them (it gives no date).
const VISIT: &[&str] = &[
    "Arrival and a red-carpet welcome",
    "A limousine ride to the venue",
    "A one-on-one without an interpreter",
    "The delegation-level talks",
    "A joint press conference, without questions",
];

#[test]
fn the_timeline_lists_the_five_steps_of_the_visit_in_order() {
    let site = built();
    let overview = page(&site, "");
    assert_eq!(
        texts(&overview, "main ol.timeline .timeline-title a"),
        VISIT
    );
    let targets: Vec<String> = attrs(&overview, "main ol.timeline .timeline-title a", "href");
    let expected: Vec<String> = (1..=VISIT.len())
        .map(|n| format!("talks/#event-{n}"))
        .collect();
    assert_eq!(targets, expected, "each step links to where it is told");
    for (n, when) in texts(&overview, "main ol.timeline .timeline-when")
        .iter()
        .enumerate()
    {
        assert_eq!(*when, format!("Date unknown (step {})", n + 1));
    }
    // On the talks page each step is an event that cites the article's section for it.
    let talks = page(&site, "talks/");
    assert_eq!(texts(&talks, "main section.event h3"), VISIT);
    let sections = [
        "Warm Welcome and Symbolic Gestures",
        "Warm Welcome and Symbolic Gestures",
        "Warm Welcome and Symbolic Gestures",
        "Delegation-Level Talks: Who Was Present?",
        "Joint Press Conference: Highlights",
    ];
    let selector = scraper::Selector::parse("main section.event").unwrap();
    for (event, section) in talks.select(&selector).zip(sections) {
        let cites = cites_in(event);
        assert_eq!(cites.len(), 1);
        assert!(
            cites[0].ends_with(&format!(", {section}")),
            "{}: {}",
            cites[0],
            section
        );
    }
}
