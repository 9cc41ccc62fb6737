//! How the maps keyed by id (answers, a repeating group's rows, option sets) are written to
//! JSON: as objects, keys in sorted order. The maps are [`LiteMap`]s, a sorted vector searched
//! by halving: for the tens to thousands of ids of a form as quick as a B-tree, and in
//! WebAssembly a small fraction of its code (the B-tree compiled once per value type was about
//! 44 KB of the patient's module). litemap's own serde support writes an empty map as `[]`,
//! which is not our format, so these write them instead; reading goes through
//! [`crate::serde_strict::unique_keys`].

use litemap::LiteMap;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;

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
}
