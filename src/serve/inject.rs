//! The live-reload script: its source (served at [`SCRIPT_PATH`]) and the one tag the dev server
//! adds to every HTML page it serves, just before `</body>`. Nothing here reaches `dossier build`
//! output: the tag is added to the served bytes only.

/// Where the script is served. `/__dossier/` is reserved for the dev server.
pub const SCRIPT_PATH: &str = "/__dossier/live.js";

/// The script: listens to the server's events, reloads (keeping the scroll position), swaps
/// stylesheets in place, and shows or hides the error overlay.
pub const SCRIPT: &str = include_str!("live.js");

/// The tag added to pages; `version` lets the server tell a page built before a change.
pub fn tag(version: &str) -> String {
    format!("<script src=\"{SCRIPT_PATH}\" data-version=\"{version}\"></script>")
}

/// `html` with the script tag added before the last `</body>` (or at the end).
#[cfg(test)]
pub fn script(html: &[u8], version: &str) -> Vec<u8> {
    insert_tag(html, script_position(html), version)
}

/// Where [`script`] puts the tag: before the last `</body>`, or at the end.
pub fn script_position(html: &[u8]) -> usize {
    find_last_body_end(html).unwrap_or(html.len())
}

/// `html` with the script tag for `version` put in at byte `at`.
pub fn insert_tag(html: &[u8], at: usize, version: &str) -> Vec<u8> {
    let tag = tag(version);
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// `html` with `<base href="/">` right after its `<head>` tag, unless it already has a base.
///
/// The not-found page is built with links relative to the site root (it cannot know the address
/// it will be shown at), and the dev server shows it at every missing address; the base makes its
/// stylesheet and links work there too.
pub fn base_root(html: &[u8]) -> Vec<u8> {
    let lower = html.to_ascii_lowercase();
    let has_base = lower.windows(5).any(|w| w == b"<base");
    let head_end = lower
        .windows(5)
        .position(|w| w == b"<head")
        .and_then(|start| {
            lower[start..]
                .iter()
                .position(|&b| b == b'>')
                .map(|end| start + end + 1)
        });
    match head_end {
        Some(at) if !has_base => [&html[..at], b"<base href=\"/\">", &html[at..]].concat(),
        _ => html.to_vec(),
    }
}

fn find_last_body_end(html: &[u8]) -> Option<usize> {
    const END: &[u8] = b"</body";
    (0..=html.len().checked_sub(END.len())?)
        .rev()
        .find(|&i| html[i..i + END.len()].eq_ignore_ascii_case(END))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_goes_before_the_last_body_end() {
        let html = b"<html><body><p>a</p></BODY></html>\n";
        let out = String::from_utf8(script(html, "v1")).unwrap();
        assert_eq!(
            out,
            "<html><body><p>a</p><script src=\"/__dossier/live.js\" data-version=\"v1\"></script></BODY></html>\n"
        );
    }

    #[test]
    fn the_not_found_page_gets_a_root_base() {
        let out = base_root(b"<html><head lang=x><title>t</title></head></html>");
        assert_eq!(
            out,
            b"<html><head lang=x><base href=\"/\"><title>t</title></head></html>"
        );
        let kept = b"<head><base href=\"/x/\"></head>";
        assert_eq!(base_root(kept), kept.to_vec());
    }

    #[test]
    fn pages_without_body_get_the_tag_at_the_end() {
        let out = String::from_utf8(script(b"<p>x", "v")).unwrap();
        assert!(out.starts_with("<p>x<script"), "{out}");
        assert!(String::from_utf8(script(b"", "v"))
            .unwrap()
            .starts_with("<script"));
    }
}
