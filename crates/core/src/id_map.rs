//! The maps keyed by id (answers, a repeating group's rows, option sets): how they are built
//! from pairs in any order ([`collect`]) and written to JSON: as objects, keys in sorted
//! order. The maps are [`LiteMap`]s, a sorted vector searched by halving: for the tens to thousands of ids of a form as quick as a B-tree, and in
//! WebAssembly a small fraction of its code (the B-tree compiled once per value type was about
//! 44 KB of the patient's module). litemap's own serde support writes an empty map as `[]`,
//! which is not our format, so these write them instead; reading goes through
//! [`crate::serde_strict::unique_keys`].

use litemap::LiteMap;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;

/// The map of `pairs`, given in any order; a key given twice keeps its last value, as
/// `LiteMap`'s own `collect` does. That one sorts the pairs themselves, which compiles a stable
/// sort for every value type; this sorts their
/// positions by key with one sort shared by every map ([`order_by_key`]), then inserts the
/// pairs in that order, each at the end of the map or over the value of its key.
pub fn collect<V>(pairs: impl IntoIterator<Item = (String, V)>) -> LiteMap<String, V> {
    let mut slots: Vec<Option<(String, V)>> = pairs.into_iter().map(Some).collect();
    let keys: Vec<&str> = slots
        .iter()
        .map(|slot| slot.as_ref().map_or("", |(key, _)| key.as_str()))
        .collect();
    let order = order_by_key(&keys);
    let mut map = LiteMap::with_capacity(slots.len());
    for position in order {
        if let Some((key, value)) = slots.get_mut(position).and_then(Option::take) {
            map.insert(key, value);
        }
    }
    map
}

/// The positions of `keys` in the order of their keys; equal keys keep their order (a
/// stable sort).
fn order_by_key(keys: &[&str]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by_key(|&position| keys.get(position).copied().unwrap_or_default());
    order
}

/// Writes `map` as a JSON object. For `#[serde(serialize_with = "...")]`.
pub fn serialize<S: Serializer, V: Serialize>(
    map: &LiteMap<String, V>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut out = serializer.serialize_map(Some(map.len()))?;
    for (key, value) in map {
        out.serialize_entry(key, value)?;
    }
    out.end()
}

/// Writes a list of maps (a repeating group's rows) as a JSON array of objects.
pub fn serialize_rows<S: Serializer, V: Serialize>(
    rows: &[LiteMap<String, V>],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    /// One row, written as an object.
    struct Row<'a, V>(&'a LiteMap<String, V>);
    impl<V: Serialize> Serialize for Row<'_, V> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize(self.0, serializer)
        }
    }
    let mut out = serializer.serialize_seq(Some(rows.len()))?;
    for row in rows {
        out.serialize_element(&Row(row))?;
    }
    out.end()
}

#[cfg(test)]
mod tests {
    use crate::answer::AnswerValue;
    use litemap::LiteMap;

    #[test]
    fn empty_and_filled_maps_are_json_objects_in_key_order() {
        #[derive(serde::Serialize)]
        struct Holder {
            #[serde(serialize_with = "super::serialize")]
            map: LiteMap<String, u32>,
        }
        let empty = Holder {
            map: LiteMap::new(),
        };
        assert_eq!(serde_json::to_string(&empty).unwrap(), r#"{"map":{}}"#);
        let filled = Holder {
            map: [("b".to_owned(), 2), ("a".to_owned(), 1)]
                .into_iter()
                .collect(),
        };
        assert_eq!(
            serde_json::to_string(&filled).unwrap(),
            r#"{"map":{"a":1,"b":2}}"#
        );
        let rows = AnswerValue::Rows(vec![
            LiteMap::new(),
            LiteMap::from_iter([("x".to_owned(), AnswerValue::Bool(true))]),
        ]);
        assert_eq!(serde_json::to_string(&rows).unwrap(), r#"[{},{"x":true}]"#);
    }

    #[test]
    fn collect_builds_the_map_litemap_would_keeping_a_repeated_keys_last_value() {
        let cases: [&[(&str, u32)]; 5] = [
            &[],
            &[("b", 1), ("a", 2), ("c", 3)],
            &[("a", 1), ("b", 2), ("a", 3), ("b", 4), ("a", 5)],
            &[
                ("q10", 1),
                ("q2", 2),
                ("q1", 3),
                ("Q1", 4),
                ("é", 5),
                ("", 6),
            ],
            &[("z", 1), ("z", 2), ("z", 3)],
        ];
        for pairs in cases {
            let owned = || pairs.iter().map(|&(key, value)| (key.to_owned(), value));
            let ours = super::collect(owned());
            let theirs: LiteMap<String, u32> = owned().collect();
            assert_eq!(ours, theirs, "{pairs:?}");
        }
    }
}
