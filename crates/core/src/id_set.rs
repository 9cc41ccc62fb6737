//! A set of ids (the items a patient is shown, the ids a FHIR conversion has used), kept
//! sorted in one vector and searched by halving. For the tens to thousands of ids of a form it
//! is as quick as a B-tree and, in WebAssembly, a small fraction of its code.

use litemap::LiteMap;

/// A sorted set of ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdSet {
    ids: LiteMap<String, ()>,
}

impl IdSet {
    /// An empty set.
    pub fn new() -> IdSet {
        IdSet::default()
    }

    /// Adds `id`; false if it was already there.
    pub fn insert(&mut self, id: String) -> bool {
        self.ids.insert(id, ()).is_none()
    }

    /// Whether `id` is in the set.
    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains_key(id)
    }

    /// The ids, in sorted order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.ids.keys()
    }

    /// How many ids the set holds.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

impl FromIterator<String> for IdSet {
    fn from_iter<I: IntoIterator<Item = String>>(ids: I) -> IdSet {
        IdSet {
            ids: crate::id_map::collect(ids.into_iter().map(|id| (id, ()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::IdSet;

    #[test]
    fn keeps_each_id_once_in_sorted_order() {
        let mut set: IdSet = ["q3", "q1"].map(String::from).into_iter().collect();
        assert!(set.insert("q2".into()));
        assert!(!set.insert("q1".into()), "q1 was already there");
        assert_eq!(set.len(), 3);
        assert!(set.contains("q2") && !set.contains("q4"));
        let ids: Vec<&str> = set.iter().map(String::as_str).collect();
        assert_eq!(ids, ["q1", "q2", "q3"]);
        let duplicates: IdSet = ["a", "a"].map(String::from).into_iter().collect();
        assert_eq!(duplicates.len(), 1);
    }
}
