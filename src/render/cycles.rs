//! Finding template recursion before anything is rendered. Tera has no depth limit, so a template
//! that includes itself (directly, through other templates, a shortcode template or a macro)
//! would overflow the stack and abort the process. This module walks every template's syntax
//! tree, builds the graph of what rendering one thing renders next, and reports each cycle as a
//! located error at the template that closes it, with the whole chain.
//!
//! Includes always recurse (they see the same context), so any include cycle is an error. A macro
//! that calls itself (or a chain of macros that come back) is an error only when the call is not
//! inside an `{% if %}` or `{% for %}`: guarded recursion over data (a tree) is legitimate.

use crate::error::Diagnostic;
use std::collections::{BTreeMap, BTreeSet};
use tera::ast::{Expr, ExprVal, Node};

/// Something that renders other things: a whole template, or one macro of a template.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Template(String),
    Macro { file: String, name: String },
}

/// One "renders" edge, with the text that makes it (to find its line).
#[derive(Debug, Clone)]
struct Edge {
    to: Unit,
    /// The template file holding the call.
    file: String,
    /// A snippet of the call as written, searched for in the source to place the error.
    needle: String,
    verb: &'static str,
}

/// Every unguarded recursion among `templates` (name → parsed template, name → source).
pub(crate) fn find(
    templates: &BTreeMap<String, tera::Template>,
    sources: &BTreeMap<String, String>,
) -> Vec<Diagnostic> {
    let graph = build_graph(templates);
    let mut reported = BTreeSet::new();
    let mut problems = Vec::new();
    for start in graph.keys() {
        if let Some(cycle) = cycle_from(start, &graph, &mut Search::default()) {
            let mut key: Vec<String> = cycle.iter().map(|e| format!("{:?}", e.to)).collect();
            key.sort();
            if reported.insert(key) {
                problems.push(diagnostic(&cycle, sources));
            }
        }
    }
    problems
}

/// Depth-first search for a cycle through `unit`; returns the edges of the cycle, in order.
fn cycle_from(
    unit: &Unit,
    graph: &BTreeMap<Unit, Vec<Edge>>,
    search: &mut Search,
) -> Option<Vec<Edge>> {
    search.stack.push(unit.clone());
    for edge in graph.get(unit).into_iter().flatten() {
        if let Some(first) = search.stack.iter().position(|u| *u == edge.to) {
            search.path.push(edge.clone());
            return Some(search.path[first..].to_vec());
        }
        if search.done.contains(&edge.to) {
            continue;
        }
        search.path.push(edge.clone());
        if let Some(found) = cycle_from(&edge.to, graph, search) {
            return Some(found);
        }
        search.path.pop();
    }
    search.stack.pop();
    search.done.insert(unit.clone());
    None
}

/// The state of one depth-first search: the units being visited, the edges between them, and
/// the units known to lead to no cycle.
#[derive(Default)]
struct Search {
    stack: Vec<Unit>,
    path: Vec<Edge>,
    done: BTreeSet<Unit>,
}

fn build_graph(templates: &BTreeMap<String, tera::Template>) -> BTreeMap<Unit, Vec<Edge>> {
    let mut graph = BTreeMap::new();
    for (name, template) in templates {
        let namespaces: BTreeMap<&str, &str> = template
            .imported_macro_files
            .iter()
            .map(|(file, ns)| (ns.as_str(), file.as_str()))
            .collect();
        let walker = Walker {
            file: name,
            namespaces: &namespaces,
        };
        let mut edges = Vec::new();
        walker.nodes(&template.ast, false, &mut edges);
        if let Some(parent) = &template.parent {
            edges.push(Edge {
                to: Unit::Template(parent.clone()),
                file: name.clone(),
                needle: format!("\"{parent}\""),
                verb: "extends",
            });
        }
        graph.insert(Unit::Template(name.clone()), edges);
        for (macro_name, definition) in &template.macros {
            let mut edges = Vec::new();
            walker.nodes(&definition.body, false, &mut edges);
            let unit = Unit::Macro {
                file: name.clone(),
                name: macro_name.clone(),
            };
            graph.insert(unit, edges);
        }
    }
    // Only edges between things that exist (a missing include is reported elsewhere).
    let known: BTreeSet<Unit> = graph.keys().cloned().collect();
    for edges in graph.values_mut() {
        edges.retain(|e| known.contains(&e.to));
    }
    graph
}

/// Collects the edges of a body; `guarded` is true inside an `if` or a `for`.
struct Walker<'a> {
    file: &'a str,
    namespaces: &'a BTreeMap<&'a str, &'a str>,
}

impl Walker<'_> {
    fn nodes(&self, nodes: &[Node], guarded: bool, edges: &mut Vec<Edge>) {
        for node in nodes {
            self.node(node, guarded, edges);
        }
    }

    fn node(&self, node: &Node, guarded: bool, edges: &mut Vec<Edge>) {
        match node {
            Node::VariableBlock(_, expr) => self.expr(expr, guarded, edges),
            Node::Set(_, set) => self.expr(&set.value, guarded, edges),
            Node::Include(_, names, _) => {
                for name in names {
                    edges.push(Edge {
                        to: Unit::Template(name.clone()),
                        file: self.file.to_owned(),
                        needle: format!("\"{name}\""),
                        verb: "includes",
                    });
                }
            }
            Node::FilterSection(_, section, _) => self.nodes(&section.body, guarded, edges),
            Node::Block(_, block, _) => self.nodes(&block.body, guarded, edges),
            Node::Forloop(_, forloop, _) => {
                self.expr(&forloop.container, guarded, edges);
                self.nodes(&forloop.body, true, edges);
                if let Some(empty) = &forloop.empty_body {
                    self.nodes(empty, true, edges);
                }
            }
            Node::If(branches, _) => {
                for (_, condition, body) in &branches.conditions {
                    self.expr(condition, guarded, edges);
                    self.nodes(body, true, edges);
                }
                if let Some((_, body)) = &branches.otherwise {
                    self.nodes(body, true, edges);
                }
            }
            _ => {}
        }
    }

    fn expr(&self, expr: &Expr, guarded: bool, edges: &mut Vec<Edge>) {
        for filter in &expr.filters {
            for arg in filter.args.values() {
                self.expr(arg, guarded, edges);
            }
        }
        match &expr.val {
            ExprVal::MacroCall(call) => {
                for arg in call.args.values() {
                    self.expr(arg, guarded, edges);
                }
                let file = if call.namespace == "self" {
                    Some(self.file)
                } else {
                    self.namespaces.get(call.namespace.as_str()).copied()
                };
                if let (Some(file), false) = (file, guarded) {
                    edges.push(Edge {
                        to: Unit::Macro {
                            file: file.to_owned(),
                            name: call.name.clone(),
                        },
                        file: self.file.to_owned(),
                        needle: format!("{}::{}", call.namespace, call.name),
                        verb: "calls",
                    });
                }
            }
            ExprVal::FunctionCall(call) => {
                for arg in call.args.values() {
                    self.expr(arg, guarded, edges);
                }
            }
            ExprVal::Math(m) => {
                self.expr(&m.lhs, guarded, edges);
                self.expr(&m.rhs, guarded, edges);
            }
            ExprVal::Logic(l) => {
                self.expr(&l.lhs, guarded, edges);
                self.expr(&l.rhs, guarded, edges);
            }
            ExprVal::In(i) => {
                self.expr(&i.lhs, guarded, edges);
                self.expr(&i.rhs, guarded, edges);
            }
            ExprVal::Array(items) => {
                for item in items {
                    self.expr(item, guarded, edges);
                }
            }
            ExprVal::Test(test) => {
                for arg in &test.args {
                    self.expr(arg, guarded, edges);
                }
            }
            _ => {}
        }
    }
}

/// The error for one cycle, placed at its last edge (the one that comes back).
fn diagnostic(cycle: &[Edge], sources: &BTreeMap<String, String>) -> Diagnostic {
    let located = |edge: &Edge| {
        let source = sources.get(&edge.file).map_or("", String::as_str);
        let offset = source.find(&edge.needle);
        let (line, column) = offset.map_or((0, 0), |o| crate::error::line_column(source, o));
        (source, line, column)
    };
    let chain: Vec<String> = cycle
        .iter()
        .map(|edge| {
            let (_, line, _) = located(edge);
            format!("{}:{line} {} {}", edge.file, edge.verb, describe(&edge.to))
        })
        .collect();
    let Some(last) = cycle.last() else {
        return Diagnostic::error("templates", "template recursion");
    };
    let (source, line, column) = located(last);
    let diagnostic = Diagnostic::error(
        std::path::Path::new(super::templates::TEMPLATES_DIR).join(&last.file),
        format!("template recursion never ends: {}", chain.join(" → ")),
    );
    let diagnostic = if line > 0 {
        diagnostic.at(source, line, column)
    } else {
        diagnostic
    };
    diagnostic.with_hint(
        "a template must not include itself, directly or through others; a macro may call itself only inside `{% if %}` or `{% for %}`",
    )
}

fn describe(unit: &Unit) -> String {
    match unit {
        Unit::Template(name) => name.clone(),
        Unit::Macro { file, name } => format!("macro `{name}` of {file}"),
    }
}
