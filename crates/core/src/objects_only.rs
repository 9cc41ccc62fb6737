//! A serde `Deserializer` adapter that reads every struct from a JSON object, never from an
//! array. serde_json reads a struct from either (`[1, 2]` as its fields in order), so every
//! struct's derived reader is compiled twice, once per shape, for a shape no kapforms document
//! uses: the JSON Schemas and the definition format say objects. Wrapped in [`ObjectsOnly`],
//! serde_json is asked for a map wherever a struct is read, so only the object reader is
//! compiled (6.5 to 9 KiB less gzipped WebAssembly in each of dist's three bundles when it came
//! in), and a struct written as an array is an error ("invalid type: sequence, expected
//! struct ..."), with serde_json's position. `json_path::parse`, which reads every kapforms
//! document, reads through it.
//!
//! The adapter is for self-describing formats in which a struct and a map look the same (JSON):
//! it wraps every deserializer, visitor, seed and access it hands on, so nested structs are
//! read the same way, and reads a struct variant's fields as a newtype variant's value, which
//! in JSON is the same text.

use std::fmt;

use serde::de::{
    DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

/// A deserializer that reads structs (and struct variants) from maps only.
pub struct ObjectsOnly<D>(pub D);

/// Forwards `deserialize_*` methods that take only a visitor, wrapping the visitor.
macro_rules! forward_deserialize {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                self.0.$method(Wrapped(visitor))
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectsOnly<D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_option deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, Wrapped(visitor))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, Wrapped(visitor))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Wrapped(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, Wrapped(visitor))
    }

    /// The point of the adapter: a struct is read as a map.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Wrapped(visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, Wrapped(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// A visitor whose nested deserializers and accesses are wrapped too.
struct Wrapped<T>(T);

/// Forwards `visit_*` methods that take one plain value.
macro_rules! forward_visit {
    ($($method:ident: $type:ty)*) => {
        $(
            fn $method<E: serde::de::Error>(self, value: $type) -> Result<V::Value, E> {
                self.0.$method(value)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrapped<V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(formatter)
    }

    forward_visit! {
        visit_bool: bool visit_i8: i8 visit_i16: i16 visit_i32: i32 visit_i64: i64
        visit_i128: i128 visit_u8: u8 visit_u16: u16 visit_u32: u32 visit_u64: u64
        visit_u128: u128 visit_f32: f32 visit_f64: f64 visit_char: char visit_str: &str
        visit_borrowed_str: &'de str visit_string: String visit_bytes: &[u8]
        visit_borrowed_bytes: &'de [u8] visit_byte_buf: Vec<u8>
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(ObjectsOnly(deserializer))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(ObjectsOnly(deserializer))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Wrapped(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Wrapped(map))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Wrapped(data))
    }
}

/// A seed that deserializes through [`ObjectsOnly`].
impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Wrapped<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(ObjectsOnly(deserializer))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Wrapped<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Wrapped(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Wrapped<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Wrapped(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Wrapped(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Wrapped<A> {
    type Error = A::Error;
    type Variant = Wrapped<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), A::Error> {
        self.0
            .variant_seed(Wrapped(seed))
            .map(|(value, variant)| (value, Wrapped(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Wrapped<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Wrapped(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Wrapped(visitor))
    }

    /// In JSON a struct variant's value is its fields' object, as a newtype variant's value is
    /// the value: read it as one, so that the fields are read as a map.
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.newtype_variant_seed(StructFields(visitor))
    }
}

/// A struct variant's fields, read as a map.
struct StructFields<V>(V);

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for StructFields<V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        deserializer.deserialize_map(Wrapped(self.0))
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::ObjectsOnly;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Point {
        x: i32,
        y: i32,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Shape {
        Dot(Point),
        Line { from: Point, to: Point },
        Empty,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Drawing {
        shapes: Vec<Shape>,
        origin: Option<Point>,
        pair: (u8, u8),
    }

    fn read<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let value = T::deserialize(ObjectsOnly(&mut deserializer))?;
        deserializer.end()?;
        Ok(value)
    }

    #[test]
    fn objects_read_as_plain_serde_json_reads_them() {
        let text = r#"{"shapes": [{"dot": {"x": 1, "y": 2}}, "empty",
            {"line": {"from": {"x": 0, "y": 0}, "to": {"y": 4, "x": 3}}}],
            "origin": {"x": -1, "y": 5}, "pair": [7, 8]}"#;
        let expected: Drawing = serde_json::from_str(text).expect("plain serde_json reads it");
        assert_eq!(read::<Drawing>(text).expect("read"), expected);
        assert_eq!(
            expected.shapes[2],
            Shape::Line {
                from: Point { x: 0, y: 0 },
                to: Point { x: 3, y: 4 }
            }
        );
    }

    #[test]
    fn a_struct_written_as_an_array_is_an_error_at_its_position() {
        // Plain serde_json takes the fields in order.
        let text = r#"{"shapes": [], "origin": [1, 2], "pair": [7, 8]}"#;
        assert!(serde_json::from_str::<Drawing>(text).is_ok());
        let error = read::<Drawing>(text).expect_err("an array is not a Point");
        assert_eq!(
            error.to_string(),
            "invalid type: sequence, expected struct Point at line 1 column 25"
        );
        let nested = r#"{"shapes": [{"line": {"from": [0, 0], "to": {"x": 1, "y": 1}}}],
            "origin": null, "pair": [1, 2]}"#;
        let error = read::<Drawing>(nested).expect_err("nor in a variant");
        assert!(
            error.to_string().starts_with("invalid type: sequence"),
            "{error}"
        );
        let variant = r#"{"shapes": [{"line": [{"x": 0, "y": 0}, {"x": 1, "y": 1}]}],
            "origin": null, "pair": [1, 2]}"#;
        assert!(serde_json::from_str::<Drawing>(variant).is_ok());
        assert!(
            read::<Drawing>(variant).is_err(),
            "a struct variant's fields"
        );
    }
}
