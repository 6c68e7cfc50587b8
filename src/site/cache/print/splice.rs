//! Whether a chapter's content can be spliced into a print page rendered with stand-ins: every
//! template hands `chapters[i].content` to the page untouched (`{{ chapter.content | safe }}`
//! inside `{% for chapter in chapters %}`), and reads it nowhere else; and cutting such a page
//! at its stand-ins.

use super::Piece;
use tera::ast::{Expr, ExprVal, FunctionCall, Node};

/// The name of the print page's list of chapters in its template's context.
const CHAPTERS: &str = "chapters";
/// A chapter's content, in the context.
const CONTENT: &str = "content";
/// What starts and ends a stand-in: never in a body's HTML (Markdown turns it into U+FFFD).
const MARK: char = '\u{0}';

/// The stand-in for chapter `i`'s content.
pub(in crate::site) fn stand_in(i: usize) -> String {
    format!("{MARK}chapter {i}{MARK}")
}

/// The page cut at its stand-ins, each of which must name one of `chapters` chapters.
pub(super) fn cut(html: &str, chapters: usize) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(MARK) {
        let after = &rest[start + 1..];
        let end = after.find(MARK)?;
        let i: usize = after[..end].strip_prefix("chapter ")?.parse().ok()?;
        if i >= chapters {
            return None;
        }
        pieces.push(Piece::Text(rest[..start].to_owned()));
        pieces.push(Piece::Chapter(i));
        rest = &after[end + 1..];
    }
    pieces.push(Piece::Text(rest.to_owned()));
    Some(pieces)
}

/// Whether every template of `tera` reads a chapter's content only to put it on the page as
/// it is. Conservative: anything it cannot follow (a chapter passed whole to a macro, an
/// include inside the loop, a filtered list of chapters…) says no.
pub(super) fn contents_only_copied(tera: &tera::Tera) -> bool {
    tera.get_template_names().all(|name| {
        tera.get_template(name).is_ok_and(|template| {
            nodes_ok(&template.ast, &Scope::default())
                && (template.macros.values()).all(|m| nodes_ok(&m.body, &Scope::default()))
        })
    })
}

/// The names bound to one chapter in the nodes being looked at, and whether a filter section
/// encloses them.
#[derive(Default, Clone)]
struct Scope {
    chapter_names: Vec<String>,
    filtered: bool,
}

fn nodes_ok(nodes: &[Node], scope: &Scope) -> bool {
    nodes.iter().all(|node| node_ok(node, scope))
}

fn node_ok(node: &Node, scope: &Scope) -> bool {
    match node {
        Node::VariableBlock(_, expr) => copied_content(expr, scope) || expr_ok(expr, scope),
        Node::MacroDefinition(_, definition, _) => {
            nodes_ok(&definition.body, &Scope::default())
                && (definition.args.values().flatten()).all(|e| expr_ok(e, &Scope::default()))
        }
        Node::Include(..) => scope.chapter_names.is_empty(),
        Node::Set(_, set) => expr_ok(&set.value, scope) && !binds_chapter(&set.key, scope),
        Node::FilterSection(_, section, _) => {
            let inner = Scope {
                filtered: true,
                ..scope.clone()
            };
            call_ok(&section.filter, scope) && nodes_ok(&section.body, &inner)
        }
        Node::Block(_, block, _) => nodes_ok(&block.body, scope),
        Node::Forloop(_, forloop, _) => {
            let over_chapters = is_chapters(&forloop.container);
            if !over_chapters && !expr_ok(&forloop.container, scope) {
                return false;
            }
            let mut inner = scope.clone();
            if over_chapters {
                if forloop.key.is_some() {
                    return false;
                }
                inner.chapter_names.push(forloop.value.clone());
            } else if binds_chapter(&forloop.value, scope)
                || forloop
                    .key
                    .as_ref()
                    .is_some_and(|k| binds_chapter(k, scope))
            {
                return false;
            }
            nodes_ok(&forloop.body, &inner)
                && (forloop.empty_body.as_ref()).is_none_or(|body| nodes_ok(body, scope))
        }
        Node::If(branches, _) => {
            branches
                .conditions
                .iter()
                .all(|(_, cond, body)| expr_ok(cond, scope) && nodes_ok(body, scope))
                && (branches.otherwise.as_ref()).is_none_or(|(_, body)| nodes_ok(body, scope))
        }
        Node::Super
        | Node::Text(_)
        | Node::Extends(..)
        | Node::ImportMacro(..)
        | Node::Raw(..)
        | Node::Break(_)
        | Node::Continue(_)
        | Node::Comment(..) => true,
    }
}

/// A name that would hide a chapter's name (or the list) for the rest of its scope.
fn binds_chapter(name: &str, scope: &Scope) -> bool {
    name == CHAPTERS || scope.chapter_names.iter().any(|n| n == name)
}

/// `{% for … in chapters %}`, unfiltered.
fn is_chapters(expr: &Expr) -> bool {
    matches!(&expr.val, ExprVal::Ident(name) if name == CHAPTERS)
        && expr.filters.is_empty()
        && !expr.negated
}

/// `{{ chapter.content | safe }}`, outside any filter section.
fn copied_content(expr: &Expr, scope: &Scope) -> bool {
    let ExprVal::Ident(name) = &expr.val else {
        return false;
    };
    let is_content = (name.split_once('.')).is_some_and(|(root, field)| {
        field == CONTENT && scope.chapter_names.iter().any(|n| n == root)
    });
    is_content
        && !scope.filtered
        && !expr.negated
        && matches!(expr.filters.as_slice(), [safe] if safe.name == "safe" && safe.args.is_empty())
}

/// An expression that reads neither the list of chapters nor a chapter's content, nor a
/// chapter whole.
fn expr_ok(expr: &Expr, scope: &Scope) -> bool {
    val_ok(&expr.val, scope) && expr.filters.iter().all(|f| call_ok(f, scope))
}

fn call_ok(call: &FunctionCall, scope: &Scope) -> bool {
    call.args.values().all(|e| expr_ok(e, scope))
}

fn val_ok(val: &ExprVal, scope: &Scope) -> bool {
    match val {
        ExprVal::Ident(name) => ident_ok(name, scope),
        ExprVal::Math(math) => expr_ok(&math.lhs, scope) && expr_ok(&math.rhs, scope),
        ExprVal::Logic(logic) => expr_ok(&logic.lhs, scope) && expr_ok(&logic.rhs, scope),
        ExprVal::In(within) => expr_ok(&within.lhs, scope) && expr_ok(&within.rhs, scope),
        ExprVal::Test(test) => {
            ident_ok(&test.ident, scope) && test.args.iter().all(|e| expr_ok(e, scope))
        }
        ExprVal::MacroCall(call) => call.args.values().all(|e| expr_ok(e, scope)),
        ExprVal::FunctionCall(call) => call_ok(call, scope),
        ExprVal::Array(items) => items.iter().all(|e| expr_ok(e, scope)),
        ExprVal::StringConcat(concat) => concat.values.iter().all(|v| val_ok(v, scope)),
        ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => true,
    }
}

/// A variable that is not the list of chapters, the whole context, a chapter whole or its
/// content (`chapter.page.title` is fine).
fn ident_ok(name: &str, scope: &Scope) -> bool {
    let root_end = name.find(['.', '[']).unwrap_or(name.len());
    let root = &name[..root_end];
    if root == CHAPTERS || root == "__tera_context" {
        return false;
    }
    if !scope.chapter_names.iter().any(|n| n == root) {
        return true;
    }
    let Some(path) = name[root_end..].strip_prefix('.') else {
        return false;
    };
    let field = path.split(['.', '[']).next().unwrap_or_default();
    !field.is_empty() && field != CONTENT
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only_copied(source: &str) -> bool {
        let mut tera = tera::Tera::default();
        tera.add_raw_template("macros.html", "{% macro m(x) %}{{ x }}{% endmacro %}")
            .unwrap();
        tera.add_raw_template("print.html", source).unwrap();
        contents_only_copied(&tera)
    }

    #[test]
    fn a_content_put_as_it_is_can_be_spliced() {
        assert!(only_copied(
            "{% import \"macros.html\" as m %}{% for c in chapters %}<h2 id=\"{{ c.anchor }}\">\
             {{ m::m(x=c.page.title) }}</h2>{{- c.content | safe }}{% endfor %}"
        ));
    }

    #[test]
    fn a_content_read_any_other_way_cannot() {
        for source in [
            "{% for c in chapters %}{{ c.content }}{% endfor %}",
            "{% for c in chapters %}{{ c.content | safe | upper }}{% endfor %}",
            "{% for c in chapters %}{% if c.content is containing(\"x\") %}x{% endif %}{% endfor %}",
            "{% for c in chapters %}{{ c.content | length }}{% endfor %}",
            "{% for c in chapters %}{% filter upper %}{{ c.content | safe }}{% endfilter %}{% endfor %}",
            "{% for c in chapters %}{% set d = c %}{{ d.content | safe }}{% endfor %}",
            "{% import \"macros.html\" as m %}{% for c in chapters %}{{ m::m(x=c) }}{% endfor %}",
            "{% for c in chapters | reverse %}{{ c.content | safe }}{% endfor %}",
            "{% for c in chapters %}{{ c[\"content\"] | safe }}{% endfor %}",
            "{{ chapters | json_encode }}",
            "{% set all = chapters %}",
            "{% for c in chapters %}{% include \"macros.html\" %}{% endfor %}",
            "{{ __tera_context }}",
        ] {
            assert!(!only_copied(source), "{source}");
        }
    }

    #[test]
    fn a_page_is_cut_at_its_stand_ins() {
        let html = format!("a{}b{}c", stand_in(1), stand_in(0));
        let pieces = cut(&html, 2).unwrap();
        let shape: Vec<String> = pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.clone(),
                Piece::Chapter(i) => format!("[{i}]"),
            })
            .collect();
        assert_eq!(shape, ["a", "[1]", "b", "[0]", "c"]);
        assert!(cut(&html, 1).is_none());
        assert!(cut("a\u{0}chapter 1", 2).is_none());
    }
}
