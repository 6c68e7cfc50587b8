//! Dates, updates and corrections: `date` and `updated` take a day or an RFC 3339 date-time,
//! impossible dates are errors at their line (and the previous output stays as it was), the
//! shipped theme shows "Published"/"Updated", the corrections box and the updates list, the
//! "What changed" page lists every change newest first, the sitemap's `lastmod` is the last
//! change, and Tera's built-in filters and functions work (with a warning for the clock).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::site::{attrs, copy_tree, texts, TestSite};
use std::path::Path;

/// The `toolkit/dates` fixture with the shipped theme (`templates/` and `static/` of the
/// repository).
fn themed() -> TestSite {
    let site = TestSite::fixture("toolkit/dates");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["templates", "static"] {
        copy_tree(&repo.join(part), &site.path(part));
    }
    site
}

#[test]
fn days_and_date_times_are_shown_with_machine_readable_times() {
    let site = themed();
    site.build().success();
    let page = site.html("closure/index.html");
    assert_eq!(
        texts(&page, ".page-dates"),
        ["Published 20 November 2026, 08:00 UTC · Updated 29 November 2026"]
    );
    assert_eq!(
        attrs(&page, ".page-dates time", "datetime"),
        ["2026-11-20T08:00:00Z", "2026-11-29"]
    );
    // Corrections come before the text, in a labelled region; updates after it, newest first.
    let html = site.read("public/closure/index.html");
    let (box_at, text_at, updates_at) = (
        html.find("class=\"corrections\"").unwrap(),
        html.find("The inspection found cracks").unwrap(),
        html.find("class=\"updates\"").unwrap(),
    );
    assert!(box_at < text_at && text_at < updates_at);
    assert_eq!(
        attrs(&page, "section.corrections", "aria-labelledby"),
        ["page-corrections"]
    );
    assert_eq!(texts(&page, "#page-corrections"), ["Correction"]);
    assert_eq!(
        texts(&page, ".corrections li"),
        ["21 November 2026: An earlier version gave the length of the pier as 400 m; it is 340 m."]
    );
    assert_eq!(
        texts(&page, ".updates li"),
        [
            "28 November 2026, 16:45 (UTC+01:00): Added the date of the public hearing.",
            "22 November 2026: Added the council's statement on the inspection report.",
        ]
    );
    assert_eq!(
        attrs(&page, ".updates time", "datetime"),
        ["2026-11-28T16:45:00+01:00", "2026-11-22"]
    );
    // A page with no dates shows none.
    let background = site.html("background/index.html");
    assert!(texts(&background, ".page-dates, .corrections, .updates").is_empty());
}

#[test]
fn the_what_changed_page_lists_every_change_newest_first() {
    let site = themed();
    site.build().success();
    let page = site.html("changes/index.html");
    assert_eq!(
        texts(&page, ".site-change-list .change-meta"),
        [
            "Update · 28 November 2026, 16:45 (UTC+01:00) · Why the harbour closed",
            "Correction · 25 November 2026, 10:30 (UTC-08:00) · What it costs",
            "Update · 22 November 2026 · Why the harbour closed",
            "Correction · 21 November 2026 · Why the harbour closed",
        ]
    );
    assert_eq!(
        attrs(&page, ".site-change-list a", "href"),
        ["../closure/", "../costs/", "../closure/", "../closure/"]
    );
    assert_eq!(
        texts(&page, ".site-change-list .change-note")[1],
        "The repair estimate is €12 million, not €21 million (a figure transposed by <mistake> & not by design)."
    );
    // The function's filters.
    site.write(
        "templates/changes.html",
        "{{ changes(kind=\"correction\") | length }} {{ changes(limit=1) | map(attribute=\"note\") | join(sep=\"\") }}",
    );
    site.build().success();
    assert_eq!(
        site.read("public/changes/index.html"),
        "2 Added the date of the public hearing."
    );
}

#[test]
fn a_site_without_changes_says_so() {
    let site = themed();
    for page in ["closure.md", "costs.md"] {
        site.write(
            &format!("content/{page}"),
            "---\ntitle: Plain\n---\nSee [the changes](@/changes.md).\n",
        );
    }
    site.build().success();
    let page = site.html("changes/index.html");
    assert_eq!(
        texts(&page, ".site-changes > p")[0],
        "Nothing has been updated or corrected since publication."
    );
}

#[test]
fn the_sitemap_lastmod_is_the_last_change() {
    let site = themed();
    site.run(&["build", "--base-url", "https://example.org/harbour/"])
        .success();
    let sitemap = site.read("public/sitemap.xml");
    let lines: Vec<&str> = sitemap.lines().filter(|l| l.contains("<url>")).collect();
    assert_eq!(
        lines,
        [
            "  <url><loc>https://example.org/harbour/</loc><lastmod>2026-11-20</lastmod></url>",
            // `updated: 2026-11-29` is later than every update and correction.
            "  <url><loc>https://example.org/harbour/closure/</loc><lastmod>2026-11-29</lastmod></url>",
            // The correction, with its offset, is later than `date`.
            "  <url><loc>https://example.org/harbour/costs/</loc><lastmod>2026-11-25T10:30:00-08:00</lastmod></url>",
            "  <url><loc>https://example.org/harbour/background/</loc></url>",
            "  <url><loc>https://example.org/harbour/changes/</loc></url>",
        ]
    );
    // Without `updated`, the newest update wins.
    let text = site
        .read("content/closure.md")
        .replace("updated: 2026-11-29\n", "");
    site.write("content/closure.md", text);
    site.run(&["build", "--base-url", "https://example.org/harbour/"])
        .success();
    assert!(site
        .read("public/sitemap.xml")
        .contains("<loc>https://example.org/harbour/closure/</loc><lastmod>2026-11-28T16:45:00+01:00</lastmod>"));
}

#[test]
fn impossible_dates_are_errors_at_their_line() {
    let site = themed();
    site.fails_with(&[(
            "content/background.md",
            "---\ntitle: Background\ndate: 2026-02-30\nupdated: 2026-11-29T10:30:00\nupdates:\n  - date: 2026-11-22\n    note: Fine.\n  - date: 2025-13-01\n    note: Month thirteen.\ncorrections:\n  - date: 2026-11-21\n    note: \"  \"\n  - {date: 2026-11-29T25:00:00Z, note: Late}\n---\nSee [why it closed](@/closure.md).\n",
        )],
        "\
content/background.md:3:7: error: `2026-02-30` is not a real date: February 2026 has 28 days
  |
3 | date: 2026-02-30
  |       ^
  = help: check the day of the month; write dates as YYYY-MM-DD

content/background.md:4:10: error: `2026-11-29T10:30:00` has no time zone
  |
4 | updated: 2026-11-29T10:30:00
  |          ^
  = help: add `Z` for UTC or an offset such as `+01:00`, e.g. `2026-11-29T10:30:00Z`

content/background.md:8:11: error: `2025-13-01` is not a real date: there is no month 13
  |
8 |   - date: 2025-13-01
  |           ^
  = help: months run from 01 to 12; write dates as YYYY-MM-DD

content/background.md:12:11: error: the note of this correction is empty
   |
12 |     note: \"  \"
   |           ^
  = help: say in a sentence what was wrong and what is right

content/background.md:13:12: error: `2026-11-29T25:00:00Z` is not a real time of day
   |
13 |   - {date: 2026-11-29T25:00:00Z, note: Late}
   |            ^
  = help: hours run from 00 to 23, minutes and seconds from 00 to 59

build failed: 5 errors; the output folder was left as it was
",
    );
}

#[test]
fn wrong_shapes_of_change_lists_are_errors_at_their_line() {
    let site = themed();
    site.fails_with(&[
            (
                "content/background.md",
                "---\ntitle: Background\ncorrections:\n  - date: 2026-11-21\n    notes: A typo in the key.\n---\n",
            ),
            (
                "content/costs.md",
                "---\ntitle: Costs\nupdates: Added a paragraph.\n---\n",
            ),
            (
                "content/closure.md",
                "---\ntitle: Closure\nupdates:\n  - date: 2026-11-21\n---\n",
            ),
            (
                "content/changes.md",
                "---\ntitle: What changed\ndate: 29 November 2026\n---\n",
            ),
        ],
        "\
content/background.md:5:5: error: unknown field `notes`
  |
5 |     notes: A typo in the key.
  |     ^
  = help: did you mean `note`? Valid keys: date, note

content/changes.md:3:7: error: `29 November 2026` is not a date
  |
3 | date: 29 November 2026
  |       ^
  = help: write a day as YYYY-MM-DD or a date and time as RFC 3339, e.g. `2026-11-29` or `2026-11-29T10:30:00Z`

content/closure.md:4:5: error: updates[0]: missing field `note`
  |
4 |   - date: 2026-11-21
  |     ^
  = help: add `note: …` to this entry

content/costs.md:3:10: error: updates: invalid type: string \"Added a paragraph.\", expected a sequence
  |
3 | updates: Added a paragraph.
  |          ^
  = help: this key takes a list: write each item on its own line, starting with `- `

build failed: 4 errors; the output folder was left as it was
",
    );
}

#[test]
fn an_unknown_key_near_the_new_ones_gets_a_suggestion() {
    let site = themed();
    site.fails_with(&[(
            "content/background.md",
            "---\ntitle: Background\nupdate: 2026-11-29\n---\n",
        )],
        "\
content/background.md:3:1: error: unknown field `update`
  |
3 | update: 2026-11-29
  | ^
  = help: did you mean `updates`? Valid keys: title, link_title, description, weight, date, updated, updates, corrections, draft, slug, template, aliases, tags, known_as, extra

build failed: 1 error; the output folder was left as it was
",
    );
}

#[test]
fn tera_builtins_work_and_the_clock_is_warned_about() {
    let site = themed();
    site.write(
        "templates/changes.html",
        "{{ page.date | default(value=\"2026-11-29T10:30:00Z\") | date(format=\"%Y/%m/%d\") }} {{ page.title | slugify }} {{ \"a b&c\" | urlencode_strict }} {{ 123456 | filesizeformat }}\n",
    );
    let run = site.build().success();
    assert_eq!(
        site.read("public/changes/index.html"),
        "2026/11/29 what-changed a%20b%26c 120.56 kB\n"
    );
    assert_eq!(run.stderr, "");
    site.write(
        "templates/changes.html",
        "<p>© {{ now() | date(format=\"%Y\") }}</p>\n",
    );
    let run = site.build().success();
    assert_eq!(
        run.stderr,
        "\
templates/changes.html:1:9: warning: `now()` makes the output depend on the clock: two builds of the same files will differ
  |
1 | <p>© {{ now() | date(format=\"%Y\") }}</p>
  |         ^
  = help: use a date from the front matter (`page.date`, `page.updated`) or from site.yaml's `extra` instead
"
    );
}

#[test]
fn an_unknown_filter_gets_the_closest_built_in() {
    let site = themed();
    site.fails_with(&[("templates/changes.html", "{{ page.title | slugfy }}\n")],
        "\
templates/changes.html:1:17: error: Filter 'slugfy' not found
  |
1 | {{ page.title | slugfy }}
  |                 ^
  = help: did you mean the filter `slugify`? see the filters in docs/templates.md and https://keats.github.io/tera/docs/#built-in-filters

build failed: 1 error; the output folder was left as it was
",
    );
}

#[test]
fn the_starter_uses_dates_an_update_a_correction_and_what_changed() {
    let site = TestSite::fixture("toolkit/dates");
    site.run(&["init", "--bare", "starter"]).success();
    site.run(&["check", "--root", "starter"]).success();
    site.run(&["build", "--root", "starter"]).success();
    let background =
        scraper::Html::parse_document(&site.read("starter/public/background/index.html"));
    assert_eq!(
        texts(&background, ".dates"),
        ["Published 15 January 2026 · Updated 17 January 2026"]
    );
    assert_eq!(
        texts(&background, ".corrections li"),
        ["17 January 2026: An earlier version misspelled a name."]
    );
    let changes = scraper::Html::parse_document(&site.read("starter/public/changes/index.html"));
    let items: Vec<String> = texts(&changes, "main ol li")
        .iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        items,
        [
            "Correction, 17 January 2026, Background: An earlier version misspelled a name.",
            "Update, 16 January 2026, Background: Added why it matters.",
        ]
    );
    let feed = site.read("starter/public/atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 5);
}

#[test]
fn a_change_dated_before_publication_is_warned_about() {
    let site = themed();
    let text = site
        .read("content/closure.md")
        .replace("  - date: 2026-11-22", "  - date: 2025-11-22")
        .replace("updated: 2026-11-29", "updated: 2026-11-19");
    site.write("content/closure.md", text);
    let run = site.build().success();
    assert_eq!(
        run.stderr,
        "\
content/closure.md:6:10: warning: `updated` (2026-11-19) is before the page's `date` (2026-11-20T08:00:00Z)
  |
6 | updated: 2026-11-19
  |          ^
  = help: check the year: a page changes after it is published
content/closure.md:8:11: warning: this update (2025-11-22) is before the page's `date` (2026-11-20T08:00:00Z)
  |
8 |   - date: 2025-11-22
  |           ^
  = help: check the year: a page changes after it is published
"
    );
}
