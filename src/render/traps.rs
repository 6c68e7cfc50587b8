//! Template constructs that Tera accepts but panics on while rendering, refused when the
//! templates are loaded. Today one: `{{ super() }}` written more than once in one block (Tera
//! pops the block's frame after the first, and the second finds none), or outside any block.
//! Any other panic inside Tera is caught by [`render`] and becomes an error.

use crate::error::Diagnostic;
use std::path::Path;
use tera::ast::Node;

/// The error for the first such construct in `template` (shown as `shown`, text `source`).
pub(crate) fn check(shown: &Path, template: &tera::Template, source: &str) -> Option<Diagnostic> {
    let mut supers = 0;
    let trap = first_trap(&template.ast, None, &mut supers)?;
    // The n-th `super()` of the file (the AST has no positions).
    let offset = source.match_indices("super()").nth(trap).map(|(o, _)| o);
    let diagnostic = Diagnostic::error(
        shown,
        "`super()` may be written once per block, and only inside a block",
    )
    .with_hint(
        "write `{{ super() }}` once in the block: Tera cannot render the parent's block twice",
    );
    Some(match offset {
        Some(offset) => {
            let (line, column) = crate::error::line_column(source, offset);
            diagnostic.at(source, line, column)
        }
        None => diagnostic,
    })
}

/// The index (among all `super()` of the file, in order) of the first one that is a second in
/// its block or outside a block. `in_block` counts the `super()` seen in the current block.
fn first_trap(nodes: &[Node], mut in_block: Option<&mut usize>, seen: &mut usize) -> Option<usize> {
    for node in nodes {
        let found = match node {
            Node::Super => {
                let index = *seen;
                *seen += 1;
                match in_block.as_deref_mut() {
                    Some(count) if *count == 0 => {
                        *count += 1;
                        None
                    }
                    _ => Some(index),
                }
            }
            Node::Block(_, block, _) => first_trap(&block.body, Some(&mut 0), seen),
            Node::MacroDefinition(_, definition, _) => first_trap(&definition.body, None, seen),
            // (Inside a loop Tera reads `super()` as a function call, which fails cleanly.)
            Node::Forloop(_, forloop, _) => {
                first_trap(&forloop.body, in_block.as_deref_mut(), seen).or_else(|| {
                    let empty = forloop.empty_body.as_deref().unwrap_or_default();
                    first_trap(empty, in_block.as_deref_mut(), seen)
                })
            }
            Node::If(branches, _) => {
                let mut found = None;
                for (_, _, body) in &branches.conditions {
                    found = found.or_else(|| first_trap(body, in_block.as_deref_mut(), seen));
                }
                if let Some((_, body)) = &branches.otherwise {
                    found = found.or_else(|| first_trap(body, in_block.as_deref_mut(), seen));
                }
                found
            }
            Node::FilterSection(_, section, _) => {
                first_trap(&section.body, in_block.as_deref_mut(), seen)
            }
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// `tera.render(name, context)`, with a panic inside Tera turned into an error.
pub fn render(tera: &tera::Tera, name: &str, context: &tera::Context) -> tera::Result<String> {
    let rendered =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| tera.render(name, context)));
    rendered.unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(tera::Error::msg(format!(
            "the template engine failed on '{name}' ({why})"
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trap(source: &str) -> Option<String> {
        let template = tera::Template::new("t.html", None, source).unwrap();
        check(Path::new("templates/t.html"), &template, source).map(|d| d.to_string())
    }

    #[test]
    fn one_super_per_block_passes() {
        assert_eq!(trap("{% block a %}{{ super() }}{% block b %}{{ super() }}{% endblock b %}{% endblock a %}"), None);
    }

    #[test]
    fn a_second_super_in_a_block_is_found() {
        let found =
            trap("{% block a %}{{ super() }}\n{% if x %}{{ super() }}{% endif %}{% endblock a %}")
                .unwrap();
        assert!(
            found.starts_with(
                "templates/t.html:2:14: error: `super()` may be written once per block"
            ),
            "{found}"
        );
    }
}
