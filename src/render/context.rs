//! The typed data every template sees (documented in docs/templates.md). Built from the site
//! model by `site`; serialised once per page, never copied whole into every page.

use crate::content::change_log::PageDates;
use crate::markdown::TocEntry;
use serde::Serialize;
use serde_json::{Map, Value};

/// `site`: the settings of `site.yaml` that templates need.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    pub author: Option<String>,
    pub base_url: Option<String>,
    /// Every page has a `share-card.png` beside it (`share_cards: true`).
    pub share_cards: bool,
    /// The URL of the tag index (`/tags/`), or null when the site has none.
    pub tags_url: Option<String>,
    /// The URL of the page holding the whole site in reading order (`/print/`), or null.
    pub print_url: Option<String>,
    pub extra: Map<String, Value>,
}

/// A title and a URL.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// One entry of the site navigation.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub title: String,
    pub url: String,
    /// This entry is the page being rendered.
    pub current: bool,
    /// The page being rendered is this entry or inside it.
    pub active: bool,
}

/// A page as listings and `get_page` give it (the docs call it a PageListing). Not to be confused
/// with the `<!-- more -->` excerpt, which templates read as `page.summary`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageListing {
    pub title: String,
    pub description: Option<String>,
    pub url: String,
    pub path: String,
    /// `date` as written.
    pub date: Option<String>,
    /// `updated` as written.
    pub updated: Option<String>,
    /// `published`, `last_updated`, `updates` and `corrections`, checked and normalised.
    #[serde(flatten)]
    pub dates: PageDates,
    pub weight: Option<i64>,
    pub tags: Vec<String>,
    /// A link to each tag's page, titled as this page writes the tag (empty when the site has
    /// no `templates/tag.html`).
    pub tag_links: Vec<Link>,
    pub extra: Map<String, Value>,
    pub is_section: bool,
}

/// `page`: the page being rendered.
#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    #[serde(flatten)]
    pub listing: &'a PageListing,
    pub slug: String,
    pub permalink: String,
    pub content: &'a str,
    /// The body before a `<!-- more -->` line, if it has one; templates know it as `summary`.
    #[serde(rename = "summary")]
    pub excerpt: Option<&'a str>,
    pub toc: &'a [TocEntry],
    pub word_count: usize,
    pub reading_minutes: usize,
    pub is_home: bool,
    pub backlinks: Vec<Link>,
    pub ancestors: &'a [Link],
    /// The sources cited on the page, by number (see docs/templates.md, "Sources").
    pub sources: Vec<crate::sources::cited::PageSource>,
}

/// `section`: set when the page is an `_index.md`.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView<'a> {
    #[serde(flatten)]
    pub page: PageView<'a>,
    pub pages: Vec<&'a PageListing>,
    pub subsections: Vec<&'a PageListing>,
}

/// Everything a page template sees.
#[derive(Debug, Clone, Serialize)]
pub struct PageContext<'a> {
    pub site: &'a SiteView,
    pub page: PageView<'a>,
    pub section: Option<SectionView<'a>>,
    pub nav: Vec<NavItem>,
    pub breadcrumbs: &'a [Link],
    pub prev: Option<Link>,
    pub next: Option<Link>,
    pub toc: &'a [TocEntry],
}

/// A tag, as `tag.html` and `tags.html` see it.
#[derive(Debug, Clone, Serialize)]
pub struct TagView<'a> {
    /// As first written in reading order.
    pub name: &'a str,
    pub slug: &'a str,
    /// `/tags/<slug>/`.
    pub url: &'a str,
    pub page_count: usize,
    /// The pages carrying it, in reading order.
    pub pages: Vec<&'a PageListing>,
}

/// What `tag.html` (with `tag`) and `tags.html` (with `tags`) see: a page context for the
/// generated page, plus the tag or every tag.
#[derive(Debug, Clone, Serialize)]
pub struct TaggedContext<'a> {
    #[serde(flatten)]
    pub base: PageContext<'a>,
    pub tag: Option<&'a TagView<'a>>,
    pub tags: &'a [TagView<'a>],
}

/// One page on the print page (`chapters` in `print.html`).
#[derive(Debug, Clone, Serialize)]
pub struct PrintChapter<'a> {
    /// The page, as listings give it.
    pub page: &'a PageListing,
    /// The chapter's id on the print page (`page-people-amy`).
    pub anchor: String,
    /// 0 for the home page, 1 for the pages and sections in it, and so on.
    pub depth: usize,
    /// The page's body with its ids prefixed and its links to other pages led to their
    /// chapters.
    pub content: &'a str,
}

/// What `print.html` sees: a page context for `/print/`, plus every page as a chapter and the
/// sources they cite, listed once.
#[derive(Debug, Clone, Serialize)]
pub struct PrintContext<'a> {
    #[serde(flatten)]
    pub base: PageContext<'a>,
    pub chapters: &'a [PrintChapter<'a>],
    /// Every source cited on a page, numbered in the order of first citation through the
    /// reading order (anchors `source-1`, `source-2`…), each with its citations (ids prefixed
    /// like the bodies').
    pub sources: &'a [crate::sources::cited::PageSource],
}

/// A shortcode call, as its template sees it (its arguments are added as variables).
#[derive(Debug, Clone, Serialize)]
pub struct ShortcodeContext<'a> {
    pub body: Option<&'a str>,
    pub body_html: Option<&'a str>,
    pub id: String,
    pub page: ShortcodePage<'a>,
    pub nth: usize,
}

/// The page a shortcode is called from.
#[derive(Debug, Clone, Serialize)]
pub struct ShortcodePage<'a> {
    pub title: &'a str,
    pub path: &'a str,
    pub url: &'a str,
}

/// One use of a shortcode anywhere on the site (`shortcode_uses(name=…)`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ShortcodeUse {
    pub name: String,
    pub args: Map<String, Value>,
    pub body: Option<String>,
    pub body_html: Option<String>,
    pub id: String,
    pub url: String,
    pub page: Link,
}
