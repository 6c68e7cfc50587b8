//! Shortcode syntax: finds `{{ name(args) }}` and `{% name(args) %}body{% end %}` calls in a
//! Markdown body, parses their arguments, and swaps each call for a placeholder that survives
//! Markdown rendering. Rendering a call with its template is the job of `render`.
//!
//! Calls inside fenced code blocks and inline code spans are left alone.

use serde_json::Value;
use std::collections::BTreeMap;

/// One shortcode call found in a Markdown body.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: BTreeMap<String, Value>,
    /// The text between `{% … %}` and `{% end %}`, for calls with a body.
    pub body: Option<String>,
    /// Byte offset of the call in the original body.
    pub offset: usize,
    /// Byte offset of the call's body (after its opening tag) in the original body.
    pub body_offset: usize,
}

/// A syntax problem at a byte offset of the original body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
    pub hint: String,
}

/// A body with its shortcode calls replaced by placeholders.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    pub text: String,
    pub calls: Vec<Call>,
    /// (offset in `text`, offset in the original) at the start of each stretch copied verbatim.
    offset_map: Vec<(usize, usize)>,
}

impl Extracted {
    /// Maps a byte offset in `text` back to the original body.
    pub fn original_offset(&self, offset: usize) -> usize {
        let index = self.offset_map.partition_point(|&(new, _)| new <= offset);
        match index.checked_sub(1).map(|i| self.offset_map[i]) {
            Some((new, old)) => old + (offset - new),
            None => offset,
        }
    }
}

/// The placeholder that stands for call number `index` until the HTML is ready.
pub fn placeholder(index: usize) -> String {
    format!("dossiershortcode{index}placeholder")
}

/// Replaces the placeholders in `html` with the rendered calls. A call alone in a paragraph
/// replaces the whole paragraph, so block HTML is not wrapped in `<p>`.
pub fn substitute(html: &str, rendered: &[String]) -> String {
    let mut out = html.to_owned();
    for (index, call_html) in rendered.iter().enumerate().rev() {
        let token = placeholder(index);
        let paragraph = format!("<p>{token}</p>");
        if out.contains(&paragraph) {
            out = out.replace(&paragraph, call_html.trim());
        } else {
            out = out.replace(&token, call_html.trim());
        }
    }
    out
}

/// Finds every call in `body`.
pub fn extract(body: &str) -> Result<Extracted, Vec<SyntaxError>> {
    let mut out = Extracted::default();
    let mut errors = Vec::new();
    let mut copied_from = 0;
    let mut pos = 0;
    let code = code_ranges(body);
    while let Some(found) = next_opening(body, pos) {
        if let Some(&(_, end)) = code.iter().find(|&&(s, e)| (s..e).contains(&found)) {
            pos = end;
            continue;
        }
        match parse_call(body, found) {
            Ok((call, end)) if nested_call(&call).is_some() => {
                let inner = nested_call(&call).unwrap_or_default();
                errors.push(SyntaxError {
                    offset: call.body_offset + inner,
                    message: format!(
                        "a shortcode call inside the body of `{}` is not supported",
                        call.name
                    ),
                    hint: "close the outer shortcode with `{% end %}` before this call, or write the inner content as Markdown or HTML".to_owned(),
                });
                pos = matching_end(body, found).unwrap_or(end);
            }
            Ok((call, end)) => {
                out.offset_map.push((out.text.len(), copied_from));
                out.text.push_str(&body[copied_from..found]);
                out.text.push_str(&placeholder(out.calls.len()));
                out.calls.push(call);
                copied_from = end;
                pos = end;
            }
            Err(err) => {
                errors.push(err);
                pos = found + 2;
            }
        }
    }
    out.offset_map.push((out.text.len(), copied_from));
    out.text.push_str(&body[copied_from..]);
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Offset, in the call's body, of a shortcode call nested in it (outside code), if any.
fn nested_call(call: &Call) -> Option<usize> {
    let body = call.body.as_deref()?;
    let code = code_ranges(body);
    let mut pos = 0;
    while let Some(found) = next_opening(body, pos) {
        match code.iter().find(|&&(s, e)| (s..e).contains(&found)) {
            Some(&(_, end)) => pos = end,
            None => return Some(found),
        }
    }
    None
}

/// The end of the `{% end %}` that closes the body call at `start`, counting nested body calls.
fn matching_end(body: &str, start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut pos = start;
    loop {
        let opening = next_opening(body, pos).filter(|&i| body[i..].starts_with("{%"));
        let closing = find_end_tag(body, pos);
        match (opening, closing) {
            (Some(open), Some((close, _))) if open < close => {
                depth += 1;
                pos = open + 2;
            }
            (_, Some((_, end))) => {
                depth = depth.saturating_sub(1);
                pos = end;
                if depth == 0 {
                    return Some(end);
                }
            }
            (_, None) => return None,
        }
    }
}

/// The next `{{` or `{%` that starts with an identifier and `(`, i.e. looks like a call.
fn next_opening(body: &str, from: usize) -> Option<usize> {
    let mut pos = from;
    while let Some(i) = body[pos..].find('{').map(|i| i + pos) {
        let rest = &body[i..];
        if rest.starts_with("{{") || rest.starts_with("{%") {
            let inner = rest[2..].trim_start();
            let name_len = inner
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(inner.len());
            if name_len > 0 && inner[name_len..].trim_start().starts_with('(') {
                return Some(i);
            }
        }
        pos = i + 1;
    }
    None
}

fn parse_call(body: &str, start: usize) -> Result<(Call, usize), SyntaxError> {
    let has_body = body[start..].starts_with("{%");
    let close = if has_body { "%}" } else { "}}" };
    let error = |offset: usize, message: String, hint: &str| SyntaxError {
        offset,
        message,
        hint: hint.to_owned(),
    };
    let inner_start = start + 2;
    let mut parser = ArgParser {
        text: body,
        pos: inner_start,
    };
    parser.skip_space();
    let name = parser.identifier();
    parser.skip_space();
    parser.expect('(').map_err(|_| {
        error(
            start,
            format!("expected `(` after shortcode name `{name}`"),
            "write `name(arg=\"value\")`",
        )
    })?;
    let args = parser.arguments().map_err(|(offset, message)| {
        error(
            offset,
            message,
            "arguments are `key=value`, separated by commas; strings in quotes, numbers, true or false",
        )
    })?;
    parser.skip_space();
    if !body[parser.pos..].starts_with(close) {
        return Err(error(
            parser.pos,
            format!("shortcode `{name}` is not closed with `{close}`"),
            "end the call with the same kind of brace it opened with",
        ));
    }
    let mut end = parser.pos + 2;
    let body_offset = end;
    let mut call_body = None;
    if has_body {
        let Some(found) = find_end_tag(body, end) else {
            return Err(error(
                start,
                format!("shortcode `{name}` has no `{{% end %}}`"),
                "close a shortcode with a body with `{% end %}`",
            ));
        };
        call_body = Some(body[end..found.0].to_owned());
        end = found.1;
    }
    Ok((
        Call {
            name,
            args,
            body: call_body,
            offset: start,
            body_offset,
        },
        end,
    ))
}

/// Start and end offsets of the next `{% end %}` after `from`.
fn find_end_tag(body: &str, from: usize) -> Option<(usize, usize)> {
    let mut pos = from;
    while let Some(i) = body[pos..].find("{%").map(|i| i + pos) {
        let rest = &body[i + 2..];
        let trimmed = rest.trim_start();
        if let Some(after) = trimmed.strip_prefix("end") {
            let after_trim = after.trim_start();
            if after_trim.starts_with("%}") {
                let end = body.len() - after_trim.len() + 2;
                return Some((i, end));
            }
        }
        pos = i + 2;
    }
    None
}

/// Byte ranges of fenced code blocks and inline code spans.
fn code_ranges(body: &str) -> Vec<(usize, usize)> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new(body)
        .into_offset_iter()
        .filter(|(e, _)| matches!(e, Event::Start(Tag::CodeBlock(_)) | Event::Code(_)))
        .map(|(_, r)| (r.start, r.end))
        .collect()
}

struct ArgParser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> ArgParser<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn identifier(&mut self) -> String {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        self.pos += len;
        rest[..len].to_owned()
    }

    fn expect(&mut self, c: char) -> Result<(), ()> {
        if self.rest().starts_with(c) {
            self.pos += c.len_utf8();
            Ok(())
        } else {
            Err(())
        }
    }

    fn arguments(&mut self) -> Result<BTreeMap<String, Value>, (usize, String)> {
        let mut args = BTreeMap::new();
        loop {
            self.skip_space();
            if self.expect(')').is_ok() {
                return Ok(args);
            }
            let at = self.pos;
            let key = self.identifier();
            if key.is_empty() {
                return Err((at, "expected an argument name or `)`".to_owned()));
            }
            self.skip_space();
            if self.expect('=').is_err() {
                return Err((self.pos, format!("expected `=` after argument `{key}`")));
            }
            self.skip_space();
            let value = self.value()?;
            if args.insert(key.clone(), value).is_some() {
                return Err((at, format!("argument `{key}` is given twice")));
            }
            self.skip_space();
            if self.expect(',').is_err() && !self.rest().starts_with(')') {
                return Err((self.pos, "expected `,` or `)` after an argument".to_owned()));
            }
        }
    }

    fn value(&mut self) -> Result<Value, (usize, String)> {
        let at = self.pos;
        let rest = self.rest();
        if let Some(quote) = rest.chars().next().filter(|&c| c == '"' || c == '\'') {
            let Some(len) = rest[1..].find(quote) else {
                return Err((at, "this string is never closed".to_owned()));
            };
            self.pos += len + 2;
            return Ok(Value::String(rest[1..1 + len].to_owned()));
        }
        let len = rest
            .find(|c: char| c == ',' || c == ')' || c.is_whitespace())
            .unwrap_or(rest.len());
        let word = &rest[..len];
        self.pos += len;
        match word {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => {
                if let Ok(n) = word.parse::<i64>() {
                    Ok(n.into())
                } else if let Some(n) = word
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                {
                    Ok(Value::Number(n))
                } else {
                    Err((
                        at,
                        format!("`{word}` is not a valid value; put text in quotes"),
                    ))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_and_body_calls_with_typed_arguments() {
        let body = "A {{ figure(src=\"a.png\", n=2, wide=true) }} and\n{% quote(who='putin') %}Hi *there*{% end %} z";
        let e = extract(body).unwrap();
        assert_eq!(e.calls.len(), 2);
        assert_eq!(e.calls[0].name, "figure");
        assert_eq!(e.calls[0].args["n"], Value::from(2));
        assert_eq!(e.calls[0].args["wide"], Value::Bool(true));
        assert_eq!(e.calls[1].body.as_deref(), Some("Hi *there*"));
        assert_eq!(
            e.text,
            format!("A {} and\n{} z", placeholder(0), placeholder(1))
        );
        assert_eq!(&body[e.calls[1].offset..e.calls[1].offset + 8], "{% quote");
    }

    #[test]
    fn offsets_map_back_to_the_original() {
        let body = "{{ a() }}xyz";
        let e = extract(body).unwrap();
        let in_text = e.text.find("xyz").unwrap();
        assert_eq!(e.original_offset(in_text), body.find("xyz").unwrap());
    }

    #[test]
    fn code_is_left_alone() {
        let body = "`{{ a() }}`\n\n```\n{{ b() }}\n```\n";
        assert!(extract(body).unwrap().calls.is_empty());
    }

    #[test]
    fn bad_arguments_and_missing_end_are_errors_at_their_offset() {
        let errs = extract("x {{ a(b=nope) }}").unwrap_err();
        assert_eq!(errs[0].offset, 9);
        assert!(errs[0].message.contains("`nope`"));
        let errs = extract("{% q() %} never closed").unwrap_err();
        assert!(errs[0].message.contains("no `{% end %}`"));
    }

    #[test]
    fn calls_nested_in_a_body_are_errors_at_the_inner_call() {
        for (body, inner) in [
            (
                "{% note() %}a {% note() %}b{% end %} c{% end %} after",
                "{% note() %}b",
            ),
            ("x\n{% note() %}a {{ fig() }} c{% end %}", "{{ fig() }}"),
            (
                "{% a() %}1{% b() %}2{% c() %}3{% end %}{% end %}{% end %}",
                "{% b()",
            ),
        ] {
            let errs = extract(body).unwrap_err();
            assert_eq!(errs.len(), 1, "{body}: {errs:?}");
            assert_eq!(errs[0].offset, body.find(inner).unwrap(), "{body}");
            assert!(errs[0]
                .message
                .starts_with("a shortcode call inside the body of"));
        }
        // Calls shown as code inside a body are text.
        let e = extract("{% note() %}`{{ fig() }}`{% end %}").unwrap();
        assert_eq!(e.calls[0].body.as_deref(), Some("`{{ fig() }}`"));
    }

    #[test]
    fn block_calls_replace_their_paragraph() {
        let html = format!("<p>{}</p>\n<p>x {} y</p>", placeholder(0), placeholder(1));
        let out = substitute(&html, &["<figure>f</figure>".into(), "<q>q</q>".into()]);
        assert_eq!(out, "<figure>f</figure>\n<p>x <q>q</q> y</p>");
    }
}
