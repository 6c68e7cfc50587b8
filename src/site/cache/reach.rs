//! The reverse index: from each input a kept body or page read (a template function call, the
//! links of Markdown, the name table) to the pages that read it. After a change, only the
//! pages an input that now answers differently leads to are looked at again; every other kept
//! entry stays without its trace being replayed.
//!
//! This module must not render; it only says which pages a change reaches.

use super::trace::{Key, Lookup};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

/// Source paths of pages, asked for once per page by a rebuild: hashed fast.
pub(in crate::site) type PathSet = HashSet<String, Xxh3DefaultBuilder>;

/// Something in the rest of the site a render read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Input {
    /// One template function call, by the hash of its name and arguments.
    Call(Key),
    /// Where the links written in Markdown lead (see [`super::trace::links_key`]).
    Links,
    /// The table of names that mentions are found by.
    Names,
    /// The sizes of images named in Markdown: their readers are always checked again (few
    /// pages have them, and a file's size is not fingerprinted here).
    ImageSizes,
}

impl Input {
    fn of(lookup: &Lookup) -> Input {
        match lookup {
            Lookup::Link { .. } => Input::Links,
            Lookup::Function { call, .. } => Input::Call(*call),
            Lookup::Names { .. } => Input::Names,
            Lookup::ImageSize { .. } => Input::ImageSizes,
        }
    }
}

/// A call some kept render made, with what it takes to ask it again and the answer it got.
pub(super) struct Call {
    pub name: &'static str,
    pub args: BTreeMap<String, Value>,
    pub answer: Key,
}

/// The inputs of one pass (bodies or pages) with their readers.
#[derive(Default)]
pub(super) struct Dependents {
    readers: HashMap<Input, HashSet<String>>,
    calls: HashMap<Key, Call>,
    /// The links key and the name table's key when the readers last read them.
    links: Option<Key>,
    names: Option<Key>,
}

/// What changed since the last pass, and the pages it reaches.
#[derive(Default)]
pub(in crate::site) struct Reach {
    /// Source paths of the pages whose traces must be checked again.
    pub pages: PathSet,
    /// Calls that answer differently now, with their new answers.
    answers: Vec<(Key, Key)>,
    links: Key,
    names: Option<Key>,
}

impl Dependents {
    /// Adds the inputs of `trace`, read by the page at `path`.
    pub fn remember(&mut self, path: &str, trace: &[Lookup]) {
        for lookup in trace {
            if let Lookup::Function {
                name,
                args,
                call,
                answer,
            } = lookup
            {
                self.calls.entry(*call).or_insert_with(|| Call {
                    name,
                    args: args.clone(),
                    answer: *answer,
                });
            }
            let readers = self.readers.entry(Input::of(lookup)).or_default();
            if !readers.contains(path) {
                readers.insert(path.to_owned());
            }
        }
    }

    /// Removes the inputs of `trace`, which the page at `path` no longer reads.
    pub fn forget(&mut self, path: &str, trace: &[Lookup]) {
        for lookup in trace {
            let input = Input::of(lookup);
            if let Some(readers) = self.readers.get_mut(&input) {
                readers.remove(path);
                if readers.is_empty() {
                    self.readers.remove(&input);
                    if let Input::Call(call) = input {
                        self.calls.remove(&call);
                    }
                }
            }
        }
    }

    /// The pages reached by what answers differently now: each call is asked once
    /// (`answer_now`), the links and the name table by their keys.
    pub fn reached(
        &self,
        answer_now: impl Fn(&Call) -> Option<Key>,
        links: Key,
        names: Option<Key>,
    ) -> Reach {
        let mut reach = Reach {
            links,
            names,
            ..Reach::default()
        };
        let mut touched = vec![Input::ImageSizes];
        for (&key, call) in &self.calls {
            let now = answer_now(call);
            if now != Some(call.answer) {
                touched.push(Input::Call(key));
                if let Some(now) = now {
                    reach.answers.push((key, now));
                }
            }
        }
        if self.links != Some(links) {
            touched.push(Input::Links);
        }
        if self.names != names {
            touched.push(Input::Names);
        }
        for input in touched {
            if let Some(readers) = self.readers.get(&input) {
                reach.pages.extend(readers.iter().cloned());
            }
        }
        reach
    }

    /// After a pass: every reader of a changed input was checked again or rendered anew, so the
    /// new answers are the ones all readers got.
    pub fn settle(&mut self, reach: Reach) {
        for (key, answer) in reach.answers {
            if let Some(call) = self.calls.get_mut(&key) {
                call.answer = answer;
            }
        }
        self.links = Some(reach.links);
        self.names = reach.names;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(answer: Key) -> Lookup {
        Lookup::Function {
            name: "url",
            args: BTreeMap::new(),
            call: 7,
            answer,
        }
    }

    #[test]
    fn a_changed_answer_reaches_only_its_readers() {
        let mut deps = Dependents::default();
        deps.remember("a.md", &[call(1)]);
        deps.remember("b.md", &[Lookup::Names { answer: 3 }]);
        deps.settle(deps.reached(|c| Some(c.answer), 9, Some(3)));
        let same = deps.reached(|c| Some(c.answer), 9, Some(3));
        assert!(same.pages.is_empty());
        let changed = deps.reached(|_| Some(2), 9, Some(3));
        assert_eq!(changed.pages, PathSet::from_iter(["a.md".to_owned()]));
        let names = deps.reached(|c| Some(c.answer), 9, Some(4));
        assert_eq!(names.pages, PathSet::from_iter(["b.md".to_owned()]));
        deps.forget("a.md", &[call(1)]);
        assert!(deps.reached(|_| Some(2), 9, Some(3)).pages.is_empty());
    }
}
