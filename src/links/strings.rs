//! Lists of short strings (the links, ids and anchors of a scanned page) held in one allocation
//! for their text and one for where each ends, rather than one allocation per string: the dev
//! server keeps every page's scan, and a page links to every section of the navigation.

/// Strings in the order they were pushed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StrList {
    text: String,
    ends: Vec<u32>,
}

impl StrList {
    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The strings, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.ends.len()).filter_map(|i| self.get(i))
    }

    /// The string at `index`.
    pub fn get(&self, index: usize) -> Option<&str> {
        let start = match index {
            0 => 0,
            i => *self.ends.get(i - 1)? as usize,
        };
        self.text.get(start..*self.ends.get(index)? as usize)
    }

    pub fn contains(&self, s: &str) -> bool {
        self.iter().any(|x| x == s)
    }

    /// Lets go of the room kept for more strings.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// The bytes held in memory.
    pub fn held_bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * std::mem::size_of::<u32>()
    }
}

impl<'a> FromIterator<&'a str> for StrList {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Self {
        let mut list = StrList::default();
        iter.into_iter().for_each(|s| list.push(s));
        list.shrink_to_fit();
        list
    }
}

/// Distinct strings, sorted: found by a binary search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StrSet(StrList);

impl StrSet {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The strings, sorted.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.0.iter()
    }

    pub fn contains(&self, s: &str) -> bool {
        let (mut low, mut high) = (0, self.0.len());
        while low < high {
            let middle = (low + high) / 2;
            match self.0.get(middle).map(|m| m.cmp(s)) {
                Some(std::cmp::Ordering::Less) => low = middle + 1,
                Some(std::cmp::Ordering::Greater) => high = middle,
                _ => return self.0.get(middle).is_some(),
            }
        }
        false
    }

    /// The bytes held in memory.
    pub fn held_bytes(&self) -> usize {
        self.0.held_bytes()
    }
}

impl<'a> FromIterator<&'a str> for StrSet {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Self {
        let mut all: Vec<&str> = iter.into_iter().collect();
        all.sort_unstable();
        all.dedup();
        StrSet(all.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_gives_back_its_strings_in_order() {
        let list: StrList = ["/a/", "", "/b/#x", "/a/"].into_iter().collect();
        assert_eq!(list.iter().collect::<Vec<_>>(), ["/a/", "", "/b/#x", "/a/"]);
        assert_eq!(list.len(), 4);
        assert!(list.contains("/b/#x") && list.contains("") && !list.contains("/b/"));
        assert_eq!(list.held_bytes(), 11 + 4 * 4);
    }

    #[test]
    fn a_set_is_sorted_distinct_and_found() {
        let set: StrSet = ["top", "b", "top", "a-1", ""].into_iter().collect();
        assert_eq!(set.iter().collect::<Vec<_>>(), ["", "a-1", "b", "top"]);
        for s in ["", "a-1", "b", "top"] {
            assert!(set.contains(s), "{s}");
        }
        for s in ["a", "c", "tops", " "] {
            assert!(!set.contains(s), "{s}");
        }
        assert!(!StrSet::default().contains(""));
    }
}
