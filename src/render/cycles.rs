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
    /// The macro whose body holds the call, or `None` for the template's own text.
    in_macro: Option<String>,
}

/// Every unguarded recursion among `templates` (name → parsed template, name → source).
pub(crate) fn find(
    templates: &BTreeMap<String, tera::Template>,
    sources: &BTreeMap<String, String>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for cycle in cycles(&build_graph(templates, false)) {
        problems.push(diagnostic(&cycle, sources));
    }
    for cycle in cycles(&import_graph(templates)) {
        problems.push(
            located_chain(&cycle, &cycle, sources, "templates import each other").with_hint(
                "Tera cannot load macro files that import each other, directly or in a ring: put the macros that call each other in one file and call them with `self::`",
            ),
        );
    }
    problems
}

/// Every cycle of `graph`, each once.
fn cycles(graph: &BTreeMap<Unit, Vec<Edge>>) -> Vec<Vec<Edge>> {
    let mut reported = BTreeSet::new();
    let mut found = Vec::new();
    for start in graph.keys() {
        if let Some(cycle) = cycle_from(start, graph, &mut Search::default()) {
            let mut key: Vec<String> = cycle.iter().map(|e| format!("{:?}", e.to)).collect();
            key.sort();
            if reported.insert(key) {
                found.push(cycle);
            }
        }
    }
    found
}

/// Which template imports which. Tera collects a template's macros by loading its imports
/// before it notes the template as loaded, so a ring of imports recurses for ever.
fn import_graph(templates: &BTreeMap<String, tera::Template>) -> BTreeMap<Unit, Vec<Edge>> {
    let mut graph: BTreeMap<Unit, Vec<Edge>> = templates
        .iter()
        .map(|(name, template)| {
            let edges = template
                .imported_macro_files
                .iter()
                .map(|(file, _)| Edge {
                    to: Unit::Template(file.clone()),
                    file: name.clone(),
                    needle: format!("\"{file}\""),
                    verb: "imports",
                    in_macro: None,
                })
                .collect();
            (Unit::Template(name.clone()), edges)
        })
        .collect();
    let known: BTreeSet<Unit> = graph.keys().cloned().collect();
    for edges in graph.values_mut() {
        edges.retain(|e| known.contains(&e.to));
    }
    graph
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

/// What rendering each unit renders next; with `with_guarded`, also the macro calls inside an
/// `if` or a `for` (which may or may not run).
fn build_graph(
    templates: &BTreeMap<String, tera::Template>,
    with_guarded: bool,
) -> BTreeMap<Unit, Vec<Edge>> {
    let mut graph = BTreeMap::new();
    for (name, template) in templates {
        let mut namespaces = BTreeMap::new();
        macro_namespaces(name, templates, &mut BTreeSet::new(), &mut namespaces);
        let walker = Walker {
            file: name,
            namespaces: &namespaces,
            with_guarded,
        };
        let mut edges = Vec::new();
        walker.nodes(&template.ast, false, &mut edges);
        if let Some(parent) = &template.parent {
            edges.push(Edge {
                to: Unit::Template(parent.clone()),
                file: name.clone(),
                needle: format!("\"{parent}\""),
                verb: "extends",
                in_macro: None,
            });
        }
        graph.insert(Unit::Template(name.clone()), edges);
        for (macro_name, definition) in &template.macros {
            let mut edges = Vec::new();
            walker.nodes(&definition.body, false, &mut edges);
            for edge in &mut edges {
                edge.in_macro = Some(macro_name.clone());
            }
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

/// The macro namespaces a template sees, as Tera resolves them: its own imports, then what
/// those files import, then its parents' (an earlier name wins).
fn macro_namespaces<'a>(
    name: &'a str,
    templates: &'a BTreeMap<String, tera::Template>,
    seen: &mut BTreeSet<&'a str>,
    namespaces: &mut BTreeMap<&'a str, &'a str>,
) {
    let Some(template) = templates.get(name) else {
        return;
    };
    if !seen.insert(name) {
        return;
    }
    for (file, namespace) in &template.imported_macro_files {
        namespaces
            .entry(namespace.as_str())
            .or_insert(file.as_str());
    }
    let further = template.imported_macro_files.iter().map(|(file, _)| file);
    for other in further.chain(&template.parents) {
        macro_namespaces(other, templates, seen, namespaces);
    }
}

/// Collects the edges of a body; `guarded` is true inside an `if` or a `for`.
struct Walker<'a> {
    file: &'a str,
    namespaces: &'a BTreeMap<&'a str, &'a str>,
    with_guarded: bool,
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
                        in_macro: None,
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
                if let (Some(file), false) = (file, guarded && !self.with_guarded) {
                    edges.push(Edge {
                        to: Unit::Macro {
                            file: file.to_owned(),
                            name: call.name.clone(),
                        },
                        file: self.file.to_owned(),
                        needle: format!("{}::{}", call.namespace, call.name),
                        verb: "calls",
                        in_macro: None,
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
    located_chain(cycle, cycle, sources, "template recursion never ends").with_hint(
        "a template must not include itself, directly or through others; a macro may call itself only inside `{% if %}` or `{% for %}`",
    )
}

/// The error for a guarded recursion that went too deep while rendering `rendered`: the macro
/// `name` of `file` was entered once too often. It names the way from `rendered` to the macro and
/// the cycle that comes back to it, and is placed at the call that comes back.
pub(crate) fn too_deep(
    templates: &BTreeMap<String, tera::Template>,
    sources: &BTreeMap<String, String>,
    rendered: &str,
    file: &str,
    name: &str,
) -> Diagnostic {
    let graph = build_graph(templates, true);
    let target = Unit::Macro {
        file: file.to_owned(),
        name: name.to_owned(),
    };
    let entry = shortest_path(&graph, &Unit::Template(rendered.to_owned()), &target);
    let cycle = shortest_path(&graph, &target, &target).unwrap_or_default();
    let (mut chain, cycle) = joined(entry.unwrap_or_default(), cycle);
    chain.extend(cycle.iter().cloned());
    let what = super::depth::TOO_DEEP_ERROR.trim_end_matches(':');
    let diagnostic = if cycle.is_empty() {
        let needle = format!("macro {name}(");
        let edge = Edge {
            to: target,
            file: file.to_owned(),
            needle,
            verb: "defines",
            in_macro: None,
        };
        let edges = [edge];
        located_chain(&edges, &edges, sources, what)
    } else {
        located_chain(&cycle, &chain, sources, what)
    };
    diagnostic.with_hint(
        "the recursive call is inside `{% if %}` or `{% for %}`, but here it did not stop: make sure every call works on less (a child list, a smaller number) so the condition ends it",
    )
}

/// The way in cut where it first reaches the cycle, and the cycle turned to start there.
fn joined(mut entry: Vec<Edge>, mut cycle: Vec<Edge>) -> (Vec<Edge>, Vec<Edge>) {
    let reached = entry
        .iter()
        .position(|edge| cycle.iter().any(|c| c.to == edge.to));
    if let Some(at) = reached {
        entry.truncate(at + 1);
        let unit = &entry[at].to;
        if let Some(end) = cycle.iter().position(|c| c.to == *unit) {
            let len = cycle.len();
            cycle.rotate_left((end + 1) % len);
        }
    }
    (entry, cycle)
}

/// The shortest chain of edges from `from` to `to` (at least one edge), breadth first.
fn shortest_path(graph: &BTreeMap<Unit, Vec<Edge>>, from: &Unit, to: &Unit) -> Option<Vec<Edge>> {
    let mut came_by: BTreeMap<&Unit, (&Unit, &Edge)> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([from]);
    while let Some(unit) = queue.pop_front() {
        for edge in graph.get(unit).into_iter().flatten() {
            if came_by.contains_key(&edge.to) {
                continue;
            }
            came_by.insert(&edge.to, (unit, edge));
            if edge.to == *to {
                let mut path = Vec::new();
                let mut at = &edge.to;
                while let Some(&(before, edge)) = came_by.get(at) {
                    path.push(edge.clone());
                    if before == from || path.len() > came_by.len() {
                        break;
                    }
                    at = before;
                }
                path.reverse();
                return Some(path);
            }
            queue.push_back(&edge.to);
        }
    }
    None
}

/// An error `what: <chain>`, placed where the last edge of `placed` is written.
fn located_chain(
    placed: &[Edge],
    chain: &[Edge],
    sources: &BTreeMap<String, String>,
    what: &str,
) -> Diagnostic {
    let located = |edge: &Edge| {
        let source = sources.get(&edge.file).map_or("", String::as_str);
        let offset = position(source, edge);
        let (line, column) = offset.map_or((0, 0), |o| crate::error::line_column(source, o));
        (source, line, column)
    };
    let shown: Vec<String> = chain
        .iter()
        .map(|edge| {
            let (_, line, _) = located(edge);
            format!("{}:{line} {} {}", edge.file, edge.verb, describe(&edge.to))
        })
        .collect();
    let Some(last) = placed.last() else {
        return Diagnostic::error(super::templates::TEMPLATES_DIR, what);
    };
    let (source, line, column) = located(last);
    let diagnostic = Diagnostic::error(
        std::path::Path::new(super::templates::TEMPLATES_DIR).join(&last.file),
        format!("{what}: {}", shown.join(" → ")),
    );
    if line > 0 {
        diagnostic.at(source, line, column)
    } else {
        diagnostic
    }
}

/// Where `edge` is written in `source`: the first match of its needle inside the macro that
/// holds it (or outside every macro, for the template's own text), else the first match.
fn position(source: &str, edge: &Edge) -> Option<usize> {
    let regions = macro_regions(source);
    let needles = [edge.needle.clone(), edge.needle.replace('"', "'")];
    let fitting = needles.iter().find_map(|needle| {
        source
            .match_indices(needle.as_str())
            .find_map(|(offset, _)| {
                let region = regions.iter().find(|(_, r)| r.contains(&offset));
                let fits = match (&edge.in_macro, region) {
                    (Some(name), Some((region_name, _))) => name == region_name,
                    (None, None) => true,
                    _ => false,
                };
                fits.then_some(offset)
            })
    });
    fitting.or_else(|| needles.iter().find_map(|n| source.find(n.as_str())))
}

/// Each macro definition of `source`: its name and the bytes from `{% macro` to `endmacro`.
fn macro_regions(source: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut regions = Vec::new();
    let mut from = 0;
    while let Some(found) = source[from..].find("{%") {
        let start = from + found;
        let tag = source[start + 2..].trim_start_matches('-').trim_start();
        from = start + 2;
        let Some(after) = tag.strip_prefix("macro") else {
            continue;
        };
        let name: String = after
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let end = source[start..]
            .find("endmacro")
            .map_or(source.len(), |e| start + e);
        regions.push((name, start..end));
        from = end.max(from);
    }
    regions
}

fn describe(unit: &Unit) -> String {
    match unit {
        Unit::Template(name) => name.clone(),
        Unit::Macro { file, name } => format!("macro `{name}` of {file}"),
    }
}
