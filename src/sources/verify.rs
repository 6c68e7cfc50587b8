//! Verifying a quotation against the plain text of its source. Only whitespace and typographic
//! variants of quotes, apostrophes and dashes may differ; an ellipsis (`…` or `...`) marks an
//! elision, and the pieces around it must appear in order; a `[bracketed insertion]` is the
//! editor's and is skipped (the source may have a few other words in its place); the first letter
//! of each piece may change case. When a quotation is not in the text, [`verify`] finds the
//! closest passage and the first word that differs. Pure: it reads no files.

/// A source's text, normalised for comparison, with the way back to the original.
#[derive(Debug)]
pub struct SourceText {
    original: String,
    normalized: String,
    /// For each byte of `normalized`, the byte offset in `original` it came from.
    origin: Vec<usize>,
}

/// Why a quotation is not in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The first word of the quotation that differs from the closest passage.
    pub quote_word: String,
    /// The word the source has in its place, if the passage goes on.
    pub source_word: Option<String>,
    /// The closest passage of the source, as written there (whitespace collapsed).
    pub passage: String,
    /// 1-based line of the source where the passage starts.
    pub line: usize,
    /// The words are all in the source, but not in the quotation's order.
    pub misplaced: bool,
}

/// How the piece of a quotation is joined to the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gap {
    Start,
    Elision,
    Bracket,
}

/// How far (in normalised bytes) the words replaced by a bracketed insertion may run.
const BRACKET_REACH: usize = 40;

fn typographic(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '«' | '»' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => '-',
        other => other,
    }
}

/// Normalises `text`, calling `keep(char, original offset)` for each character kept: runs of
/// whitespace become one space, and a dash (or a run of them, like `--`) always stands between
/// two spaces (so `a—b`, `a -- b` and `a - b` are all `a - b`).
fn normalize(text: &str, mut keep: impl FnMut(char, usize)) {
    let mut started = false;
    let mut after_dash = false;
    let mut space: Option<usize> = None;
    for (offset, c) in text.char_indices() {
        if c.is_whitespace() {
            if started && space.is_none() {
                space = Some(offset);
            }
            continue;
        }
        let c = typographic(c);
        if c == '-' && after_dash {
            continue;
        }
        after_dash = c == '-';
        if c == '-' {
            if started {
                keep(' ', space.unwrap_or(offset));
            }
            keep('-', offset);
            space = Some(offset);
            started = true;
            continue;
        }
        if let Some(at) = space.take() {
            keep(' ', at);
        }
        if c == '\u{2026}' {
            keep('.', offset);
            keep('.', offset);
            keep('.', offset);
        } else {
            keep(c, offset);
        }
        started = true;
    }
}

fn normalized(text: &str) -> String {
    let mut out = String::new();
    normalize(text, |c, _| out.push(c));
    out.trim().to_owned()
}

impl SourceText {
    pub fn new(original: &str) -> SourceText {
        let mut normalized = String::new();
        let mut origin = Vec::new();
        normalize(original, |c, at| {
            normalized.push(c);
            origin.extend(std::iter::repeat_n(at, c.len_utf8()));
        });
        SourceText {
            original: original.to_owned(),
            normalized,
            origin,
        }
    }

    /// Where `piece` (normalised) first occurs at or after `from`, allowing a change of case of
    /// its first letter and, unless `loose_start`/`loose_end`, only on word boundaries.
    fn find(&self, piece: &str, from: usize, loose_start: bool, loose_end: bool) -> Option<usize> {
        let mut variants = vec![piece.to_owned()];
        let mut chars = piece.chars();
        if let Some(first) = chars.next() {
            let rest = chars.as_str();
            variants.extend(first.to_lowercase().map(|c| format!("{c}{rest}")));
            variants.extend(first.to_uppercase().map(|c| format!("{c}{rest}")));
        }
        variants
            .iter()
            .filter_map(|v| self.find_exact(v, from, loose_start, loose_end))
            .min()
    }

    fn find_exact(
        &self,
        piece: &str,
        from: usize,
        loose_start: bool,
        loose_end: bool,
    ) -> Option<usize> {
        let text = &self.normalized;
        let mut at = from;
        while at <= text.len() {
            let found = at + text.get(at..)?.find(piece)?;
            let end = found + piece.len();
            let starts_word = loose_start || !word_char_before(text, found);
            let ends_word = loose_end
                || !text[end..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric);
            if starts_word && ends_word {
                return Some(found);
            }
            at = found + text[found..].chars().next().map_or(1, char::len_utf8);
        }
        None
    }

    /// The closest passage to the words of `piece` and the first word that differs.
    fn mismatch(&self, piece: &str) -> Mismatch {
        let words: Vec<&str> = piece.split(' ').collect();
        // The longest run of consecutive words of the quotation found in the source.
        let mut best: Option<(usize, usize, usize)> = None; // (first word, words, offset)
        for first in 0..words.len() {
            let mut count = 0;
            let mut offset = 0;
            while first + count < words.len() {
                let run = words[first..=first + count].join(" ");
                match self.find(&run, 0, false, false) {
                    Some(at) => {
                        offset = at;
                        count += 1;
                    }
                    None => break,
                }
            }
            if count > 0 && best.is_none_or(|(_, c, _)| count > c) {
                best = Some((first, count, offset));
            }
        }
        let Some((first, count, offset)) = best else {
            let start = 0;
            return Mismatch {
                quote_word: words.first().map_or(String::new(), |w| (*w).to_owned()),
                source_word: None,
                passage: self.passage(start, start).0,
                line: self.passage(start, start).1,
                misplaced: false,
            };
        };
        let end = offset + words[first..first + count].join(" ").len();
        let (quote_word, source_word) = if first + count < words.len() {
            (words[first + count], self.word_after(end))
        } else if let Some(before) = first.checked_sub(1) {
            (words[before], self.word_before(offset))
        } else {
            (words[0], None)
        };
        Mismatch {
            quote_word: quote_word.to_owned(),
            source_word,
            passage: self.passage(offset, end).0,
            line: self.passage(offset, end).1,
            misplaced: count == words.len(),
        }
    }

    fn word_after(&self, at: usize) -> Option<String> {
        let rest = self.normalized.get(at..)?.trim_start();
        rest.split(' ')
            .next()
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
    }

    fn word_before(&self, at: usize) -> Option<String> {
        let before = self.normalized.get(..at)?.trim_end();
        before
            .rsplit(' ')
            .next()
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
    }

    fn original_offset(&self, normalized: usize) -> usize {
        self.origin
            .get(normalized)
            .copied()
            .unwrap_or(self.original.len())
    }

    /// A window of the original text around `start..end` (normalised offsets), whitespace
    /// collapsed, cut at words, with `…` where it was cut; and the line where it starts.
    fn passage(&self, start: usize, end: usize) -> (String, usize) {
        const BEFORE: usize = 60;
        const AFTER: usize = 80;
        let from = self.original_offset(start);
        let to = self.original_offset(end);
        let mut lo = from.saturating_sub(BEFORE);
        while !self.original.is_char_boundary(lo) {
            lo -= 1;
        }
        let mut hi = (to + AFTER).min(self.original.len());
        while !self.original.is_char_boundary(hi) {
            hi += 1;
        }
        if lo > 0 {
            lo = self.original[lo..from]
                .find(char::is_whitespace)
                .map_or(from, |i| lo + i);
        }
        if hi < self.original.len() {
            hi = self.original[to..hi]
                .rfind(char::is_whitespace)
                .map_or(hi, |i| to + i);
        }
        let window: Vec<&str> = self.original[lo..hi].split_whitespace().collect();
        let first_word = self.original[lo..].len() - self.original[lo..].trim_start().len();
        let line = self.original[..lo + first_word].matches('\n').count() + 1;
        let mut passage = window.join(" ");
        if lo > 0 {
            passage.insert(0, '…');
        }
        if hi < self.original.len() {
            passage.push('…');
        }
        (passage, line)
    }
}

fn word_char_before(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

/// The pieces of a quotation between its elisions and bracketed insertions, normalised.
fn pieces(quote: &str) -> Vec<(Gap, String)> {
    let mut out = Vec::new();
    let mut gap = Gap::Start;
    let mut current = String::new();
    let mut rest = quote;
    while let Some(c) = rest.chars().next() {
        let (next_gap, skip) = if c == '\u{2026}' {
            (Some(Gap::Elision), c.len_utf8())
        } else if rest.starts_with("...") {
            (Some(Gap::Elision), 3)
        } else if c == '[' {
            match rest.find(']') {
                Some(close) => (Some(Gap::Bracket), close + 1),
                None => (None, 1),
            }
        } else {
            (None, c.len_utf8())
        };
        match next_gap {
            Some(next) => {
                let piece = normalized(&current);
                if !piece.is_empty() {
                    out.push((gap, piece));
                    gap = next;
                } else {
                    // Markers with no words between them: the loosest wins, and a leading
                    // ellipsis changes nothing.
                    gap = match (gap, next) {
                        (Gap::Elision, _) | (_, Gap::Bracket) => {
                            if gap == Gap::Elision {
                                gap
                            } else {
                                Gap::Bracket
                            }
                        }
                        (g, Gap::Elision) => {
                            if g == Gap::Start {
                                g
                            } else {
                                Gap::Elision
                            }
                        }
                        (g, Gap::Start) => g,
                    };
                }
                current.clear();
            }
            None => current.push_str(&rest[..skip]),
        }
        rest = &rest[skip..];
    }
    let piece = normalized(&current);
    if !piece.is_empty() {
        out.push((gap, piece));
    }
    out
}

/// Checks that `quote` (plain text) is in `source`.
pub fn verify(quote: &str, source: &SourceText) -> Result<(), Mismatch> {
    let pieces = pieces(quote);
    let mut from = 0;
    let mut matched_any = false;
    for (i, (gap, piece)) in pieces.iter().enumerate() {
        let loose_start = *gap == Gap::Bracket;
        let loose_end = pieces.get(i + 1).is_some_and(|(g, _)| *g == Gap::Bracket);
        let found = source
            .find(piece, from, loose_start, loose_end)
            .filter(|&at| !(matched_any && *gap == Gap::Bracket && at > from + BRACKET_REACH));
        match found {
            Some(at) => {
                from = at + piece.len();
                matched_any = true;
            }
            None => return Err(source.mismatch(piece)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "The President said: \u{201C}We don\u{2019}t know yet \u{2014} it is early.\u{201D}\n\
        Later, the minister added that the talks were\n   very constructive and that more would follow.\n\
        Nobody expected a ceasefire.";

    fn check(quote: &str) -> Result<(), Mismatch> {
        verify(quote, &SourceText::new(TEXT))
    }

    #[test]
    fn verbatim_and_typographic_variants_pass() {
        check("We don't know yet - it is early.").unwrap();
        check("We don\u{2019}t know yet \u{2014} it is early.").unwrap();
        check("We don't know yet--it is early.").unwrap();
        check("the talks were very   constructive").unwrap();
        check("\"We don't know yet").unwrap();
    }

    #[test]
    fn elisions_brackets_and_first_letter_case_pass() {
        check("We don't know yet … more would follow.").unwrap();
        check("the minister added that ... more would follow").unwrap();
        check("[The talks] were very constructive").unwrap();
        check("The talks were very constructive").unwrap();
        check("[T]he talks were very constructive").unwrap();
        check("nobody expected a ceasefire").unwrap();
    }

    #[test]
    fn elided_pieces_must_be_in_order() {
        let m = check("more would follow … We don't know yet").unwrap_err();
        assert_eq!(m.quote_word, "We");
        assert!(m.misplaced);
        assert_eq!(m.line, 1);
    }

    #[test]
    fn one_changed_word_is_named_with_the_closest_passage() {
        let m = check("the talks were very productive and that more would follow").unwrap_err();
        assert_eq!(m.quote_word, "productive");
        assert_eq!(m.source_word.as_deref(), Some("constructive"));
        assert!(!m.misplaced);
        // The line where the passage shown starts.
        assert_eq!(m.line, 2);
        assert!(
            m.passage.contains("the talks were very constructive"),
            "{}",
            m.passage
        );
    }

    #[test]
    fn a_sentence_stitched_from_two_places_fails() {
        let m =
            check("the talks were very constructive. Nobody expected a ceasefire.").unwrap_err();
        assert_eq!(m.quote_word, "constructive.");
        assert_eq!(m.source_word.as_deref(), Some("constructive"));
    }

    #[test]
    fn a_changed_first_word_is_found_from_the_rest() {
        let m = check("Somebody expected a ceasefire.").unwrap_err();
        assert_eq!(m.quote_word, "Somebody");
        assert_eq!(m.source_word.as_deref(), Some("Nobody"));
        assert_eq!(m.line, 3);
    }

    #[test]
    fn pieces_must_match_whole_words() {
        let m = check("he talks were").unwrap_err();
        assert_eq!(
            (m.quote_word.as_str(), m.source_word.as_deref()),
            ("he", Some("the"))
        );
    }
}
