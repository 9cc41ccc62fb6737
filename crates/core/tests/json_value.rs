//! `json_value::parse`, the patient's bundle's JSON parser, against serde_json's: every JSON
//! file of the project (definitions, translations, fixtures, schemas, the FHIR corpus beside
//! the repository when it is there) parses to the same value; a table of edge cases (numbers,
//! escapes, surrogates, nesting, commas, keys written twice) is accepted or refused as
//! serde_json accepts or refuses it; random values written by serde_json read back the same,
//! and random damage to them is refused exactly when serde_json refuses it. `json_value::write`
//! writes every one of those values as `serde_json::to_string` does.

use std::path::{Path, PathBuf};

use kapforms_core::json_value;
use proptest::prelude::*;
use serde_json::Value;

/// Every `.json` file under `dir`, skipping build output and installed packages.
fn json_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "target" && name != "node_modules" && name != ".git" {
                json_files(&path, found);
            }
        } else if path.extension().is_some_and(|ext| ext == "json") {
            found.push(path);
        }
    }
}

/// Whether two parsed values are the same, numbers of either kind compared exactly when
/// `exact`, else floats within two units in the last place (the two parsers may round a
/// number of more than 15 significant digits or an exponent beyond ±22 differently:
/// serde_json, as the native tests build it, rounds correctly with `float_roundtrip`).
fn same(a: &Value, b: &Value, exact: bool) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            if x == y {
                return true;
            }
            if exact || !(x.is_f64() && y.is_f64()) {
                return false;
            }
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            (x.to_bits() as i64 - y.to_bits() as i64).unsigned_abs() <= 2
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b, exact))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && same(va, vb, exact))
        }
        _ => a == b,
    }
}

/// `None` when both parsers agree on `text` (values compared by [`same`]), else what differs.
fn disagreement(text: &str, exact: bool) -> Option<String> {
    let ours = json_value::parse(text);
    let theirs = serde_json::from_str::<Value>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) if same(a, b, exact) => None,
        (Err(_), Err(_)) => None,
        _ => Some(format!(
            "{text:?}: ours {ours:?}, serde_json {:?}",
            theirs.map_err(|e| e.to_string())
        )),
    }
}

#[test]
fn every_json_file_of_the_project_parses_as_serde_json_parses_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    json_files(&root, &mut files);
    json_files(&root.join("../shared"), &mut files);
    assert!(
        files.len() > 100,
        "the project's JSON files: {}",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let ours = json_value::parse(text);
        let theirs = serde_json::from_str::<Value>(text);
        if let Ok(value) = &theirs {
            if json_value::write(value) != serde_json::to_string(value).expect("JSON") {
                failures.push(format!("{}: written otherwise", path.display()));
            }
        }
        match (&ours, &theirs) {
            // Exactly: the project's numbers are all within the exact range.
            (Ok(a), Ok(b)) if a == b => {}
            (Err(_), Err(_)) => {}
            _ => failures.push(format!(
                "{}: ours {}, serde_json {}",
                path.display(),
                ours.is_ok(),
                theirs.is_ok()
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn edge_cases_are_accepted_and_refused_as_serde_json_does() {
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let nested_objects =
        |depth: usize| format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    let cases: Vec<String> = [
        // Literals and whitespace.
        "null",
        "true",
        "false",
        " \t\r\n null \n",
        "nul",
        "nulll",
        "True",
        "",
        " ",
        "\u{a0}1",
        // Numbers.
        "0",
        "-0",
        "-0.0",
        "0.0",
        "00",
        "01",
        "-01",
        "1.",
        ".5",
        "-",
        "+1",
        "1e",
        "1e+",
        "1E-2",
        "1e5",
        "1.5e3",
        "2.5",
        "-2.5",
        "0.1",
        "123456789012345",
        "1.23456789012345",
        "18446744073709551615",
        "18446744073709551616",
        "184467440737095516150",
        "-9223372036854775808",
        "-9223372036854775809",
        "9223372036854775807",
        "-18446744073709551616",
        "1e22",
        "1e-22",
        "4.35",
        "72.5",
        "1e308",
        "1e309",
        "-1e309",
        "1e-400",
        "0e99999999999",
        "1e99999999999",
        "1e-99999999999",
        "-1e-99999999999",
        "12345678901234567890.5",
        "18446744073709551616.05",
        "18446744073709551616.95",
        "0.000000000000000000001",
        "1.5e-7",
        "NaN",
        "Infinity",
        "0x10",
        "1_000",
        // Strings.
        r#""""#,
        r#""a""#,
        r#""é ü 中 🙂""#,
        r#""\"\\\/\b\f\n\r\t""#,
        r#""\u0041\u00e9""#,
        r#""\ud83d\ude42""#,
        r#""\ud83d""#,
        r#""\ude42""#,
        r#""\ud83dx""#,
        r#""\ud83d\u0041""#,
        r#""\ud83d\n""#,
        r#""\u12""#,
        r#""\u12g4""#,
        r#""\x41""#,
        r#""\a""#,
        "\"tab\there\"",
        "\"line\nbreak\"",
        "\"\u{1f}\"",
        "\"\u{7f}\"",
        r#""unterminated"#,
        r#""a"b"#,
        r#""\uDBFF\uDFFF""#,
        r#""\u0000""#,
        // Arrays and objects.
        "[]",
        "[ ]",
        "[1,2]",
        "[1,]",
        "[,1]",
        "[1 2]",
        "[",
        "]",
        "{}",
        "{ }",
        r#"{"a":1}"#,
        r#"{"a":1,}"#,
        r#"{"a" 1}"#,
        r#"{a:1}"#,
        r#"{"a":1 "b":2}"#,
        r#"{"a":1,"a":2}"#,
        r#"{"b":1,"a":2,"b":3}"#,
        r#"{"a":[1,{"b":null}],"c":"d"}"#,
        r#"{"a":}"#,
        r#"{1:2}"#,
        "[1]x",
        "{}{}",
        r#"["a","b"]"#,
    ]
    .iter()
    .map(|case| (*case).to_owned())
    .chain([
        nested(127),
        nested(128),
        nested_objects(127),
        nested_objects(128),
    ])
    .collect();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| disagreement(case, false))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Numbers within the exact range come out bit for bit as serde_json's.
    for case in [
        "0.1",
        "2.5",
        "72.5",
        "1.5e-7",
        "1e22",
        "1e-22",
        "123456789012345",
        "-0",
    ] {
        assert_eq!(disagreement(case, true), None);
    }
    // A key written twice keeps its first place and its last value.
    let parsed = json_value::parse(r#"{"b":1,"a":2,"b":3}"#).expect("JSON");
    let keys: Vec<&String> = parsed.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["b", "a"]);
    assert_eq!(parsed["b"], 3);
}

/// A JSON value of any shape, with strings of any characters and numbers of every kind.
fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        (any::<i32>(), 0u32..6)
            .prop_map(|(n, places)| Value::from(f64::from(n) / 10f64.powi(places as i32))),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((any::<String>(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_values_are_written_as_serde_json_writes_them(value in any_value()) {
        prop_assert_eq!(json_value::write(&value), serde_json::to_string(&value).expect("JSON"));
    }

    #[test]
    fn random_values_read_back_as_serde_json_reads_them(value in any_value(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&value).expect("JSON")
        } else {
            serde_json::to_string(&value).expect("JSON")
        };
        prop_assert_eq!(disagreement(&text, false), None);
    }

    #[test]
    fn damaged_texts_are_refused_exactly_when_serde_json_refuses_them(
        value in any_value(),
        at in any::<prop::sample::Index>(),
        damage in prop_oneof![
            Just(None),
            prop::sample::select(vec!['"', '\\', ',', ':', '[', ']', '{', '}', '-', '.', 'e', '0', '9', ' ', 'u', '\u{1}']).prop_map(Some),
        ],
    ) {
        let text = serde_json::to_string(&value).expect("JSON");
        let boundaries: Vec<usize> = (0..=text.len()).filter(|i| text.is_char_boundary(*i)).collect();
        let cut = boundaries[at.index(boundaries.len())];
        let damaged = match damage {
            // Truncated.
            None => text[..cut].to_owned(),
            // One character inserted.
            Some(c) => format!("{}{c}{}", &text[..cut], &text[cut..]),
        };
        prop_assert_eq!(disagreement(&damaged, false), None);
    }
}

#[test]
fn an_object_of_entries_is_what_json_builds_in_the_same_order() {
    let built = json_value::object([
        ("b", Value::from(1)),
        ("a", Value::from("x")),
        ("b", Value::Bool(true)),
    ]);
    assert_eq!(built, serde_json::json!({ "b": true, "a": "x" }));
    assert_eq!(
        serde_json::to_string(&built).expect("JSON"),
        r#"{"b":true,"a":"x"}"#
    );
}
