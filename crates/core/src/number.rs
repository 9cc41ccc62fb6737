//! Serialization of score numbers: integral values are written as JSON integers (`27`, not
//! `27.0`), so hosts that compare or display scores see what a person would write.

use std::fmt;

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
    map: &litemap::LiteMap<String, f64>,
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

/// A number as a JSON value, as [`serialize`] writes it: an integer when it has no
/// fractional part, `null` when it is not finite (as serde_json writes such a float).
pub fn to_value(value: f64) -> serde_json::Value {
    if value.fract() == 0.0 && value.abs() < EXACT_INTEGER_LIMIT {
        #[allow(clippy::cast_possible_truncation)]
        serde_json::Value::from(value as i64)
    } else {
        serde_json::Number::from_f64(value)
            .map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

/// Formats a score for people: `27`, `1.5`.
pub fn display(value: f64) -> String {
    Number(value).to_string()
}

/// A score as people read it (`27`, `1.5`), written straight into a formatter: what
/// [`display`] returns, without a string of its own (for reports written line by line).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number(pub f64);

/// Integral values below this are displayed from an `i64`, which holds each of them exactly.
const DISPLAYED_INTEGER_LIMIT: f64 = 9_223_372_036_854_775_808.0;

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = self.0;
        if value.fract() == 0.0 && value.abs() < DISPLAYED_INTEGER_LIMIT {
            // An integral value is written from its integer: the same digits as `{value:.0}`
            // without the float formatter's exact-decimal machinery (a tenth of the
            // instructions `kapforms score` spent per response). Negative zero keeps its
            // sign, as `{:.0}` does.
            if value == 0.0 && value.is_sign_negative() {
                return f.write_str("-0");
            }
            #[allow(clippy::cast_possible_truncation)]
            fmt::Display::fmt(&(value as i64), f)
        } else if value.is_finite() {
            // The shortest digits that read back as this value, as `{value}` writes them
            // (`1.5`, `91.33333333333333`), by the formatter serde_json already uses to write
            // numbers: the standard library's float formatter would be a second one in the
            // WebAssembly module (about 6 KB). Only beyond what a score can be, below 1e-5 or
            // from 2^63 up, does it write an exponent (`1e-7`, `1e300`), which `{value}` does
            // not.
            f.write_str(zmij::Buffer::new().format_finite(value))
        } else if value.is_nan() {
            f.write_str("NaN")
        } else if value > 0.0 {
            f.write_str("inf")
        } else {
            f.write_str("-inf")
        }
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
    fn integral_values_are_displayed_like_the_float_formatter() {
        for value in [
            0.0,
            -0.0,
            1.0,
            -3.0,
            27.0,
            100.0,
            4_503_599_627_370_496.0,
            -9_007_199_254_740_991.0,
        ] {
            assert_eq!(super::display(value), format!("{value:.0}"), "{value:?}");
        }
        assert_eq!(super::display(1.5), "1.5");
        assert_eq!(super::display(9_007_199_254_740_992.0), "9007199254740992");
        assert_eq!(super::display(f64::NAN), "NaN");
        assert_eq!(format!("{}", super::Number(-4.0)), "-4");
        assert_eq!(format!("{}", super::Number(0.25)), "0.25");
        assert_eq!(super::display(f64::INFINITY), "inf");
        assert_eq!(super::display(f64::NEG_INFINITY), "-inf");
        assert_eq!(
            super::display(-9_223_372_036_854_774_784.0),
            "-9223372036854774784"
        );
        assert_eq!(super::display(1e-7), "1e-7");
    }

    #[test]
    fn fractional_scores_are_displayed_with_the_shortest_digits_like_the_float_formatter() {
        let mut value = -1000.0_f64;
        while value < 1000.0 {
            assert_eq!(super::display(value), format!("{value}"), "{value:?}");
            value += 1.0 / 3.0 + 1.0 / 64.0;
        }
        for value in [274.0 / 3.0, 0.1, 0.2 + 0.1, 2.75, 12.345, 1e-5, 1e15 + 0.5] {
            assert_eq!(super::display(value), format!("{value}"), "{value:?}");
        }
    }

    /// Natively (the CLI, a host server) serde_json reads a float back exactly as it wrote it
    /// (its `float_roundtrip` feature, which `Cargo.toml` turns on for every target but the
    /// patient's WebAssembly bundle of built-ins): a stored fractional score round-trips.
    #[test]
    fn floats_read_back_exactly_natively() {
        let written = 274.0_f64 / 3.0;
        let text = serde_json::to_string(&written).expect("writes");
        let read: f64 = serde_json::from_str(&text).expect("reads");
        assert_eq!(read.to_bits(), written.to_bits(), "{text}");
    }

    #[test]
    fn integral_values_are_written_as_integers() {
        let text = serde_json::to_string(&Probe { value: 27.0 }).unwrap();
        assert_eq!(text, r#"{"value":27}"#);
        let text = serde_json::to_string(&Probe { value: 1.5 }).unwrap();
        assert_eq!(text, r#"{"value":1.5}"#);
    }
}
