//! Syntax highlighting of fenced code blocks at build time, with syntect's pure-Rust regex engine:
//! each token becomes a `<span>` with one class for its kind (`hl-keyword`, `hl-string`, …), and
//! the theme's stylesheet colours them for light and dark. No JavaScript, no inline styles. A block whose language is unknown (or not given) is written as plain code. The block
//! can be focused (`tabindex="0"`), so a keyboard can scroll a long line on a narrow screen.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use std::sync::LazyLock;
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Token classes, by scope name prefix: each token gets the class of its innermost scope that
/// has one. A handful of classes keeps pages light (one short class per token, none for plain
/// text) and is all a theme needs to colour code.
const CLASSES: &[(&str, &str)] = &[
    ("comment", "hl-comment"),
    ("string", "hl-string"),
    ("constant", "hl-constant"),
    ("keyword", "hl-keyword"),
    ("storage", "hl-keyword"),
    ("entity.name", "hl-name"),
    ("support.function", "hl-name"),
    ("invalid", "hl-invalid"),
];

/// The syntaxes syntect ships, loaded on first use only (a site without code never pays for
/// them). Read-only data, the same for every build.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The language a fenced block names: the first word of its info string (`rust ignore` → `rust`).
pub fn language(kind: &CodeBlockKind<'_>) -> Option<String> {
    match kind {
        CodeBlockKind::Fenced(info) => info
            .split([' ', ',', '{'])
            .next()
            .filter(|l| !l.is_empty())
            .map(str::to_owned),
        CodeBlockKind::Indented => None,
    }
}

/// The class prefixes of [`CLASSES`] as scopes, made once: a token's scopes are compared with
/// them as numbers (`Scope::is_prefix_of`), never as strings.
static PREFIXES: LazyLock<Vec<(Scope, &'static str)>> = LazyLock::new(|| {
    CLASSES
        .iter()
        .filter_map(|(prefix, class)| Some((Scope::new(prefix).ok()?, *class)))
        .collect()
});

/// The HTML of a code block in `language`: highlighted when syntect knows the language, else
/// `None` (and the block is written as pulldown-cmark writes it).
pub fn highlight(language: &str, code: &str) -> Option<String> {
    let syntax = SYNTAXES.find_syntax_by_token(language)?;
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut html = Spans::with_capacity(code.len() * 2);
    for line in LinesWithEndings::from(code) {
        let ops = state.parse_line(line, &SYNTAXES).ok()?;
        let mut at = 0;
        for (position, op) in &ops {
            html.push(&line[at..*position], &stack);
            at = *position;
            stack.apply(op).ok()?;
        }
        html.push(&line[at..], &stack);
    }
    let class = crate::markdown::escape_attribute(language);
    Some(format!(
        "<pre class=\"highlight\" tabindex=\"0\"><code class=\"language-{class}\">{}</code></pre>\n",
        html.finish()
    ))
}

/// The class of a token inside the scopes of `stack`: that of its innermost scope that has one.
fn token_class(stack: &ScopeStack) -> Option<&'static str> {
    stack.as_slice().iter().rev().find_map(|scope| {
        PREFIXES
            .iter()
            .find_map(|(prefix, class)| prefix.is_prefix_of(*scope).then_some(*class))
    })
}

/// Highlighted HTML being written: neighbouring tokens of one class share a span.
struct Spans {
    html: String,
    open: Option<&'static str>,
}

impl Spans {
    fn with_capacity(capacity: usize) -> Spans {
        Spans {
            html: String::with_capacity(capacity),
            open: None,
        }
    }

    /// Writes `text`, a token inside the scopes of `stack`.
    fn push(&mut self, text: &str, stack: &ScopeStack) {
        if text.is_empty() {
            return;
        }
        let class = token_class(stack);
        if class != self.open {
            if self.open.is_some() {
                self.html.push_str("</span>");
            }
            if let Some(class) = class {
                self.html.push_str("<span class=\"");
                self.html.push_str(class);
                self.html.push_str("\">");
            }
            self.open = class;
        }
        push_escaped(&mut self.html, text);
    }

    fn finish(mut self) -> String {
        if self.open.is_some() {
            self.html.push_str("</span>");
        }
        self.html
    }
}

/// Appends `text` to `html` with `&`, `<` and `>` escaped, in one pass.
fn push_escaped(html: &mut String, text: &str) {
    let mut written = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => continue,
        };
        html.push_str(&text[written..i]);
        html.push_str(entity);
        written = i + 1;
    }
    html.push_str(&text[written..]);
}

/// A fenced block being read: its language, where it starts, its text, and its events as
/// parsed (written back as they were when the language is unknown).
struct OpenBlock<'a> {
    language: String,
    offset: usize,
    code: String,
    events: Vec<(Event<'a>, usize)>,
}

/// Replaces each fenced code block in a known language in `events` with one HTML event holding
/// the highlighted block.
pub fn highlight_blocks(events: &mut Vec<(Event<'_>, usize)>) {
    let mut out = Vec::with_capacity(events.len());
    let mut open: Option<OpenBlock<'_>> = None;
    for (event, offset) in events.drain(..) {
        match (event, open.as_mut()) {
            (Event::Start(Tag::CodeBlock(kind)), None) => match language(&kind) {
                Some(language) => {
                    open = Some(OpenBlock {
                        language,
                        offset,
                        code: String::new(),
                        events: vec![(Event::Start(Tag::CodeBlock(kind)), offset)],
                    });
                }
                None => out.push((Event::Start(Tag::CodeBlock(kind)), offset)),
            },
            (Event::End(TagEnd::CodeBlock), Some(_)) => {
                let Some(mut block) = open.take() else {
                    continue;
                };
                match highlight(&block.language, &block.code) {
                    Some(html) => out.push((Event::Html(CowStr::from(html)), block.offset)),
                    None => {
                        block.events.push((Event::End(TagEnd::CodeBlock), offset));
                        out.append(&mut block.events);
                    }
                }
            }
            (event, Some(block)) => {
                if let Event::Text(text) = &event {
                    block.code.push_str(text);
                }
                block.events.push((event, offset));
            }
            (event, None) => out.push((event, offset)),
        }
    }
    *events = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn known_languages_get_classed_spans() {
        let html = highlight("rust", "fn main() {} // hi\n").unwrap();
        assert!(html
            .starts_with("<pre class=\"highlight\" tabindex=\"0\"><code class=\"language-rust\">"));
        assert!(
            html.contains(
                "<span class=\"hl-keyword\">fn</span> <span class=\"hl-name\">main</span>"
            ),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-comment\">// hi\n</span>"),
            "{html}"
        );
        assert!(!html.contains("style="));
    }

    #[test]
    fn text_is_escaped_and_strings_keep_their_quotes() {
        let html = highlight("python", "x = \"<b>&\"\n").unwrap();
        assert!(
            html.contains("<span class=\"hl-string\">\"&lt;b&gt;&amp;\"</span>"),
            "{html}"
        );
    }

    #[test]
    fn a_class_prefix_matches_whole_scope_atoms_only() {
        let stack = |scopes: &str| ScopeStack::from_str(scopes).unwrap();
        assert_eq!(
            token_class(&stack("source.rust entity.name.function.rust")),
            Some("hl-name")
        );
        // The innermost scope with a class wins.
        assert_eq!(
            token_class(&stack("source.rust comment.line string.quoted")),
            Some("hl-string")
        );
        assert_eq!(token_class(&stack("source.rust entity.other")), None);
        assert_eq!(token_class(&stack("source.rust commentary")), None);
    }

    #[test]
    fn escaping_covers_every_special_character_once() {
        let mut html = String::from("x");
        push_escaped(&mut html, "a<b>&&c");
        assert_eq!(html, "xa&lt;b&gt;&amp;&amp;c");
    }

    #[test]
    fn unknown_languages_are_left_alone() {
        assert_eq!(highlight("klingon", "x"), None);
    }

    #[test]
    fn the_language_is_the_first_word_of_the_info_string() {
        let kind = CodeBlockKind::Fenced(CowStr::from("python linenos"));
        assert_eq!(language(&kind).as_deref(), Some("python"));
        assert_eq!(language(&CodeBlockKind::Fenced(CowStr::from(""))), None);
    }
}
