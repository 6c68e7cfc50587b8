//! Timeline events: the built-in `event` shortcode renders an accessible, anchored block;
//! `timeline()` lists every event of the site in order (dated events by date, then events with
//! only a `seq`), each linked to where it is told; bad dates and arguments are errors at their
//! line, and the previous output stays as it was. A site may restyle `cite` and `event`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;
mod toolkit_support;

use common::site::{attrs, texts};
use toolkit_support::{fails_keeping_output, has_lines, site};

#[test]
fn events_render_as_labelled_sections_with_their_date_and_citation() {
    let site = site("basic");
    site.build().success();
    let html = site.html("story/index.html");
    assert_eq!(
        attrs(&html, "section.event", "id"),
        ["event-1", "event-2", "event-3"]
    );
    assert_eq!(
        attrs(&html, "section.event", "aria-labelledby"),
        ["event-1-title", "event-2-title", "event-3-title"]
    );
    assert_eq!(
        texts(&html, "section.event h3"),
        ["The talks open", "A first draft", "The night before"]
    );
    assert_eq!(
        attrs(&html, "section.event time", "datetime"),
        ["2025-08-15", "2025-08-14T18:00:00-08:00"]
    );
    assert_eq!(
        texts(&html, "section.event time"),
        ["2025-08-15", "2025-08-14 18:00 -08:00"]
    );
    assert_eq!(texts(&html, "#event-1 .event-body em"), ["harbour"]);
    assert_eq!(attrs(&html, "#event-1 sup.cite a", "id"), ["cite-5"]);
}

#[test]
fn the_timeline_lists_dated_events_by_date_then_sequenced_ones() {
    let site = site("basic");
    site.write(
        "content/later.md",
        "---\ntitle: Later\nweight: 5\n---\nSee [the story](@/story.md).\n\n\
         {% event(seq=0, title=\"Rumours\") %}Before anything.{% end %}\n\n\
         {% event(date=\"2025-08-15T09:00:00+00:00\", title=\"Morning\") %}Coffee.{% end %}\n",
    );
    site.build().success();
    let html = site.html("timeline/index.html");
    assert_eq!(
        texts(&html, "ol.timeline a"),
        [
            "The night before",
            "The talks open",
            "Morning",
            "Rumours",
            "A first draft"
        ]
    );
    assert_eq!(
        attrs(&html, "ol.timeline a", "href"),
        [
            "../story/#event-3",
            "../story/#event-1",
            "../later/#event-2",
            "../later/#event-1",
            "../story/#event-2"
        ]
    );
}

fn story_with(site: &common::site::TestSite, from: &str, to: &str) {
    let story = site.read("content/story.md");
    assert!(story.contains(from), "story.md lacks {from:?}");
    site.write("content/story.md", story.replace(from, to));
}

#[test]
fn impossible_dates_and_bad_arguments_are_errors_at_their_lines() {
    let site = site("basic");
    let run = fails_keeping_output(&site, |s| {
        story_with(
            s,
            "event(date=\"2025-08-15\", title=\"The talks open\"",
            "event(date=\"2026-02-30\", title=\"The talks open\"",
        );
        story_with(
            s,
            "event(seq=1, title=\"A first draft\")",
            "event(seq=1, date=\"2025-08-15\", title=\"A first draft\")",
        );
        story_with(
            s,
            "event(date=\"2025-08-14T18:00:00-08:00\", title=\"The night before\")",
            "event(title=\"The night before\")",
        );
        let story = s.read("content/story.md")
            + "\n{% event(date=\"2025-08-15T25:00:00Z\", title=\"Bad time\") %}x{% end %}\n\
               \n{% event(seq=\"two\", title=\"Bad seq\") %}x{% end %}\n\
               \n{% event(seq=3) %}x{% end %}\n\
               \n{% event(seq=4, title=\"T\", source=\"statment\") %}x{% end %}\n";
        s.write("content/story.md", story);
    });
    let date_hint = "  = help: write a date as YYYY-MM-DD (2025-08-15) or an RFC 3339 date-time with an offset (2025-08-15T10:30:00-08:00)";
    has_lines(
        &run,
        &[
            "content/story.md:15:1: error: `2026-02-30` is not a real date",
            "   |",
            "15 | {% event(date=\"2026-02-30\", title=\"The talks open\", source=\"statement\", at=\"first paragraph\") %}",
            "   | ^",
            date_hint,
        ],
    );
    has_lines(
        &run,
        &[
            "content/story.md:19:1: error: an event takes `date` or `seq`, not both",
            "   |",
            "19 | {% event(seq=1, date=\"2025-08-15\", title=\"A first draft\") %}",
            "   | ^",
            "  = help: keep `date` when the date is known; `seq` orders events whose date is unknown",
        ],
    );
    has_lines(
        &run,
        &[
            "content/story.md:23:1: error: an event needs a `date` or a `seq`",
            "   |",
            "23 | {% event(title=\"The night before\") %}",
            "   | ^",
            "  = help: write a date as YYYY-MM-DD (2025-08-15) or an RFC 3339 date-time with an offset (2025-08-15T10:30:00-08:00), or give its place in a sequence with seq=1",
        ],
    );
    has_lines(
        &run,
        &[
            "content/story.md:29:1: error: `2025-08-15T25:00:00Z` is not a date (YYYY-MM-DD) or an RFC 3339 date-time",
            "   |",
            "29 | {% event(date=\"2025-08-15T25:00:00Z\", title=\"Bad time\") %}x{% end %}",
            "   | ^",
            date_hint,
        ],
    );
    has_lines(
        &run,
        &[
            "content/story.md:31:1: error: `seq` must be a whole number, not \"two\"",
            "   |",
            "31 | {% event(seq=\"two\", title=\"Bad seq\") %}x{% end %}",
            "   | ^",
            "  = help: number events whose date is unknown in order: seq=1, seq=2, …",
        ],
    );
    has_lines(
        &run,
        &[
            "content/story.md:33:1: error: an event needs a `title`",
            "   |",
            "33 | {% event(seq=3) %}x{% end %}",
            "   | ^",
            "  = help: write {% event(date=\"2025-08-15\", title=\"…\") %}…{% end %}",
        ],
    );
    has_lines(
        &run,
        &[
            "content/story.md:35:1: error: unknown source `statment`",
            "   |",
            "35 | {% event(seq=4, title=\"T\", source=\"statment\") %}x{% end %}",
            "   | ^",
            "  = help: did you mean `statement`? Sources are listed in sources.yaml",
        ],
    );
    has_lines(
        &run,
        &["build failed: 7 errors; the output folder was left as it was"],
    );
}

#[test]
fn a_site_may_restyle_cite_and_event_with_its_own_templates() {
    let site = site("basic");
    site.write(
        "templates/shortcodes/cite.html",
        "<sup class=\"my-cite\"><a id=\"{{ id }}\" href=\"{{ href }}\">{{ source.publisher | default(value=source.title) }} {{ number }}</a></sup>",
    );
    site.write(
        "templates/shortcodes/event.html",
        "<div class=\"my-event\" id=\"{{ id }}\"><p>{{ title }}{% if when %} ({{ when }}){% endif %}</p>{{ body_html | safe }}{{ citation | safe }}</div>",
    );
    site.build().success();
    let html = site.html("story/index.html");
    assert_eq!(
        texts(&html, "sup.my-cite a"),
        ["Harbour Office 1", "Coast Radio 2"]
    );
    assert_eq!(attrs(&html, "sup.my-cite a", "id"), ["cite-1", "cite-2"]);
    assert_eq!(
        texts(&html, ".my-event > p:first-child"),
        [
            "The talks open (2025-08-15)",
            "A first draft",
            "The night before (2025-08-14 18:00 -08:00)"
        ]
    );
    // Numbering goes on across built-in and restyled calls alike.
    assert_eq!(attrs(&html, ".my-event sup.cite a", "id"), ["cite-5"]);
}
