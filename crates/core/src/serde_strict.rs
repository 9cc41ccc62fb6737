//! Stricter reading than serde's derives give, where their leniency would hide an author's
//! mistake or mislead them. JSON objects read as maps refuse a key written twice (serde keeps
//! the last one silently, while another JSON reader may keep the first, so two systems would
//! see different answers). Values named by a string (a flag severity, a score method) report
//! the wrong JSON type as such: serde_json's own enum reader says "expected value" even though
//! a value is there (for the enums still read by derive, [`crate::json_path`] rewrites that
//! message).

use litemap::Entry;
use litemap::LiteMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};

/// Reads a JSON object into a map, refusing a key that occurs twice. For
/// `#[serde(deserialize_with = "...")]`.
pub fn unique_keys<'de, D, V>(deserializer: D) -> Result<LiteMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: DeserializeOwned,
{
    struct UniqueKeys<V>(PhantomData<V>);

    impl<'de, V: DeserializeOwned> Visitor<'de> for UniqueKeys<V> {
        type Value = LiteMap<String, V>;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("a JSON object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut entries = LiteMap::new();
            while let Some(key) = map.next_key::<String>()? {
                // Refuse before reading the value: the error's position, just past the
                // repeated key, gives the path `...<key>`. One search of the map per key:
                // the entry says whether the key is new and is where its value goes.
                match entries.entry(key) {
                    Entry::Occupied(entry) => {
                        return Err(de::Error::custom(format_args!(
                            "duplicate key `{}`: each key may occur once",
                            crate::diagnostic::quoted(entry.key())
                        )));
                    }
                    Entry::Vacant(entry) => {
                        entry.insert(map.next_value::<V>()?);
                    }
                }
            }
            Ok(entries)
        }
    }

    deserializer.deserialize_map(UniqueKeys(PhantomData))
}

/// Reads a value written as one of a fixed set of names: `all` lists the values, `name`
/// gives each one's JSON name. A name outside the set, or a value that is not a string,
/// is an error naming what is allowed.
pub fn by_name<'de, D, T>(
    deserializer: D,
    all: &[T],
    name: fn(T) -> &'static str,
    names: &'static [&'static str],
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Copy,
{
    struct ByName<'a, T> {
        all: &'a [T],
        name: fn(T) -> &'static str,
        names: &'static [&'static str],
    }

    impl<'de, T: Copy> Visitor<'de> for ByName<'_, T> {
        type Value = T;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("a string")
        }

        // The name is checked inside the reader's call, so the error's position is the
        // string's own.
        fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
            self.all
                .iter()
                .copied()
                .find(|value| (self.name)(*value) == text)
                .ok_or_else(|| E::unknown_variant(text, self.names))
        }
    }

    deserializer.deserialize_str(ByName { all, name, names })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Doc {
        #[serde(deserialize_with = "unique_keys")]
        map: LiteMap<String, u32>,
    }

    #[test]
    fn a_key_written_twice_is_refused() {
        let error = serde_json::from_str::<Doc>(r#"{"map": {"a": 1, "a": 2}}"#)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("duplicate key `a`"), "{error}");
        let doc: Doc = serde_json::from_str(r#"{"map": {"a": 1, "b": 2}}"#).expect("valid");
        assert_eq!(doc.map.len(), 2);
    }

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Colour {
        Red,
        Blue,
    }

    fn colour_name(colour: Colour) -> &'static str {
        match colour {
            Colour::Red => "red",
            Colour::Blue => "blue",
        }
    }

    fn colour(text: &str) -> Result<Colour, String> {
        let mut de = serde_json::Deserializer::from_str(text);
        by_name(
            &mut de,
            &[Colour::Red, Colour::Blue],
            colour_name,
            &["red", "blue"],
        )
        .map_err(|e| e.to_string())
    }

    #[test]
    fn names_read_and_wrong_types_say_so() {
        assert_eq!(colour(r#""blue""#), Ok(Colour::Blue));
        let wrong_type = colour("3").err().unwrap_or_default();
        assert!(
            wrong_type.starts_with("invalid type: integer `3`"),
            "{wrong_type}"
        );
        let unknown = colour(r#""green""#).err().unwrap_or_default();
        assert!(unknown.contains("expected `red` or `blue`"), "{unknown}");
    }
}
