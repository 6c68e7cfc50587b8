//! Bounding template recursion while rendering. The static check ([`super::cycles`]) refuses
//! recursion that can never end, but a macro that calls itself inside an `{% if %}` or a
//! `{% for %}` may end or may not, depending on the data; Tera has no depth limit, and a recursion
//! that does not end overflows the stack, which aborts the whole process (the dev server too).
//!
//! So every macro body gets, when the templates are loaded, a call to [`GUARD`] as its first node:
//! inserted into the parsed syntax tree, not the text, so no line or column of the template moves.
//! The guard measures the stack left to the rendering thread and fails the render, naming the macro
//! it guards, when less than [`STACK_MARGIN`] is left. The threads that render are given
//! [`RENDER_STACK`] bytes of stack (the command's thread and rayon's, in `main.rs`; the dev
//! server's rebuild thread, in `cmd/serve.rs`), so a legitimate recursion (a tree hundreds of
//! levels deep) fits, and a runaway one stops before the end.

use std::collections::HashMap;
use tera::ast::{Expr, ExprVal, FunctionCall, Node, WS};
use tera::{Tera, Value};

/// The name of the internal function called at the start of every macro body.
pub const GUARD: &str = "__dossier_depth_guard";

/// The stack every thread that renders templates is given.
pub const RENDER_STACK: usize = 16 << 20;

/// The stack a render stops at. One level of a macro's recursion (a macro call with its
/// arguments, `if` and `for` frames around it) takes about 2 KB in a release build and 25 KB in a
/// debug build, so this leaves room for dozens of levels between two checks, and [`RENDER_STACK`]
/// lets a legitimate recursion go about 7,000 levels deep (600 in a debug build).
pub const STACK_MARGIN: usize = 1 << 20;

/// The start of the guard's error message; `templates.rs` recognises it to report the chain.
pub(crate) const TOO_DEEP: &str = "template recursion too deep in";

/// The start of the message of the error [`super::cycles`] makes of a guard's error.
pub const TOO_DEEP_ERROR: &str = "template recursion too deep:";

/// Registers the guard and inserts a call to it at the start of every macro body.
pub(crate) fn install(tera: &mut Tera) {
    tera.register_function(GUARD, guard);
    for template in tera.templates.values_mut() {
        let file = template.name.clone();
        for (name, definition) in &mut template.macros {
            definition.body.insert(0, guard_call(&file, name));
        }
    }
}

/// `{{ __dossier_depth_guard(file="…", name="…") }}`, which writes nothing.
fn guard_call(file: &str, name: &str) -> Node {
    let text = |s: &str| Expr::new(ExprVal::String(s.to_owned()));
    let args = HashMap::from([
        ("file".to_owned(), text(file)),
        ("name".to_owned(), text(name)),
    ]);
    let call = FunctionCall {
        name: GUARD.to_owned(),
        args,
    };
    Node::VariableBlock(WS::default(), Expr::new(ExprVal::FunctionCall(call)))
}

fn guard(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let low = stacker::remaining_stack().is_some_and(|left| left < STACK_MARGIN);
    if !low {
        return Ok(Value::String(String::new()));
    }
    let arg = |key: &str| args.get(key).and_then(Value::as_str).unwrap_or_default();
    Err(tera::Error::msg(format!(
        "{TOO_DEEP} macro `{}` of '{}'",
        arg("name"),
        arg("file")
    )))
}

/// The macro (file, name) a guard error names, if `message` is one.
pub(crate) fn runaway_macro(message: &str) -> Option<(&str, &str)> {
    let rest = message.strip_prefix(TOO_DEEP)?.strip_prefix(" macro `")?;
    let (name, rest) = rest.split_once("` of '")?;
    let file = rest.strip_suffix('\'')?;
    Some((file, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guard_writes_nothing_and_moves_no_line() {
        let mut tera = Tera::default();
        tera.add_raw_template("m.html", "{% macro m(n) %}[{{ n }}]{% endmacro m %}")
            .unwrap();
        tera.add_raw_template("a.html", "{% import \"m.html\" as m %}{{ m::m(n=1) }}")
            .unwrap();
        install(&mut tera);
        let html = tera.render("a.html", &tera::Context::new()).unwrap();
        assert_eq!(html, "[1]");
    }

    #[test]
    fn its_message_names_the_macro() {
        let message = format!("{TOO_DEEP} macro `tree` of 'shared/m.html'");
        assert_eq!(runaway_macro(&message), Some(("shared/m.html", "tree")));
        assert_eq!(runaway_macro("Variable `x` not found"), None);
    }
}
