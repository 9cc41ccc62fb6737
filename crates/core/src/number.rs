//! Serialization of score numbers: integral values are written as JSON integers (`27`, not
//! `27.0`), so hosts that compare or display scores see what a person would write.

use serde::Serializer;

/// Largest integer an `f64` holds exactly.
const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

/// Serializes an `f64`, as an integer when it has no fractional part.
pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.fract() == 0.0 && value.abs() < EXACT_INTEGER_LIMIT {
        #[allow(clippy::cast_possible_truncation)]
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}

/// Serializes an `Option<f64>` with [`serialize`].
pub fn serialize_option<S: Serializer>(
    value: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(number) => serialize(number, serializer),
        None => serializer.serialize_none(),
    }
}

/// Serializes a map of numbers with [`serialize`] for each value.
pub fn serialize_map<S: Serializer>(
    map: &std::collections::BTreeMap<String, f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    struct Number(f64);
    impl serde::Serialize for Number {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize(&self.0, serializer)
        }
    }
    let mut out = serializer.serialize_map(Some(map.len()))?;
    for (key, value) in map {
        out.serialize_entry(key, &Number(*value))?;
    }
    out.end()
}

/// Formats a score for people: `27`, `1.5`.
pub fn display(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < EXACT_INTEGER_LIMIT {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize)]
    struct Probe {
        #[serde(serialize_with = "super::serialize")]
        value: f64,
    }

    #[test]
    fn integral_values_are_written_as_integers() {
        let text = serde_json::to_string(&Probe { value: 27.0 }).unwrap();
        assert_eq!(text, r#"{"value":27}"#);
        let text = serde_json::to_string(&Probe { value: 1.5 }).unwrap();
        assert_eq!(text, r#"{"value":1.5}"#);
    }
}
