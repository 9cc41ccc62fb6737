//! Bad definitions get a clear error naming the path of the problem, never a panic. Cases are
//! data (`cases/invalid_definitions.json`): each patches a small valid definition (or gives raw
//! text) and names the path and part of the message expected.

use kapforms_core::Questionnaire;
use serde_json::{json, Value};

fn valid() -> Value {
    json!({
        "format": "kapforms-definition",
        "schema_version": 1,
        "id": "demo",
        "version": "1",
        "title": "Demo",
        "option_sets": {"scale": [
            {"value": "0", "label": "No", "score": 0},
            {"value": "3", "label": "Yes", "score": 3}
        ]},
        "sections": [{"id": "s1", "title": "One", "items": [
            {"id": "q1", "type": "single_choice", "text": "First?", "options": "scale"}
        ]}],
        "scores": [{"id": "total", "label": "Total", "method": "sum", "items": ["q1"],
                    "bands": [{"min": 0, "max": 1, "label": "Low"}, {"min": 2, "max": 3, "label": "High"}]}]
    })
}

#[test]
fn the_base_definition_is_valid() {
    Questionnaire::from_json(&valid().to_string()).expect("base is valid");
}

#[test]
fn invalid_definitions_name_the_path_of_the_problem() {
    let cases: Vec<Value> =
        serde_json::from_str(include_str!("cases/invalid_definitions.json")).expect("cases");
    assert!(cases.len() >= 30);
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let text = if let Some(text) = case.get("text").and_then(Value::as_str) {
            if text == "DEEP" {
                let deep = format!(
                    r#""enable_when":{}{{"answer":{{"item":"q1","answered":true}}}}{}"#,
                    r#"{"all":["#.repeat(10_000),
                    "]}".repeat(10_000)
                );
                valid()
                    .to_string()
                    .replacen(r#""id":"q1","#, &format!(r#"{deep},"id":"q1","#), 1)
            } else {
                text.to_owned()
            }
        } else {
            let mut definition = valid();
            if let Some(patch) = case.get("patch").and_then(Value::as_object) {
                for (key, value) in patch {
                    definition[key] = value.clone();
                }
            }
            if let Some(item) = case.get("item") {
                definition["sections"][0]["items"]
                    .as_array_mut()
                    .expect("items")
                    .push(item.clone());
            }
            definition.to_string()
        };
        let error =
            Questionnaire::from_json(&text).expect_err(&format!("{name}: should be rejected"));
        let diagnostics = error.diagnostics();
        let prefix_only = case.get("path_prefix").is_some();
        let expected_path = case["path"]
            .as_str()
            .or_else(|| case["path_prefix"].as_str())
            .expect("path or path_prefix");
        let expected_message = case["message"].as_str().expect("message");
        if !diagnostics.iter().any(|d| {
            let path_fits = if prefix_only {
                d.path.starts_with(expected_path)
            } else {
                d.path == expected_path
            };
            path_fits && d.message.contains(expected_message)
        }) {
            failures.push(format!(
                "{name}: expected `{expected_path}: …{expected_message}…`, got {diagnostics:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let text = format!("\u{feff}{}", valid());
    Questionnaire::from_json(&text).expect("BOM is skipped");
}

#[test]
fn the_content_hash_ignores_layout_but_not_content() {
    let compact = Questionnaire::from_json(&valid().to_string()).expect("valid");
    let pretty = Questionnaire::from_json(&serde_json::to_string_pretty(&valid()).expect("json"))
        .expect("valid");
    assert_eq!(compact.content_hash(), pretty.content_hash());
    let mut changed = valid();
    changed["sections"][0]["items"][0]["text"] = json!("First question?");
    let changed = Questionnaire::from_json(&changed.to_string()).expect("valid");
    assert_ne!(compact.content_hash(), changed.content_hash());
}

#[test]
fn the_content_hash_covers_every_field_but_provenance() {
    let without = Questionnaire::from_json(&valid().to_string()).expect("valid");
    let mut cited = valid();
    cited["provenance"] = json!({
        "source": "Our own wording.",
        "licence": "CC0-1.0",
        "citations": [{"supports": "the total", "reference": "A book, 2001."}]
    });
    let cited = Questionnaire::from_json(&cited.to_string()).expect("valid");
    assert!(cited.provenance.is_some());
    assert_eq!(cited.content_hash(), without.content_hash());
    // The same bytes as hashing the whole definition with its provenance taken out: every
    // other field, in its order and serialization, is covered.
    let mut stripped = cited.clone();
    stripped.provenance = None;
    let whole = serde_json::to_vec(&stripped).expect("serializes");
    let digest: String = sha256_hex(&whole);
    assert_eq!(cited.content_hash(), format!("sha256:{digest}"));
    let mut retitled = valid();
    retitled["title"] = json!("Another title");
    let retitled = Questionnaire::from_json(&retitled.to_string()).expect("valid");
    assert_ne!(retitled.content_hash(), without.content_hash());
}

/// SHA-256 of `bytes` in lower-case hex.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[test]
fn text_that_is_not_utf8_is_refused_with_its_place() {
    let mut bytes = br#"{"format": "kapforms-definition", "title": "Caf"#.to_vec();
    bytes.push(0xE9); // Latin-1 "é", not UTF-8
    bytes.extend_from_slice(br#"", "id": "x"}"#);
    let error = kapforms_core::decode_utf8(&bytes).expect_err("not UTF-8");
    assert_eq!(error.path, "title");
    assert!(
        error.message.contains("byte 47, line 1, column 48"),
        "{error}"
    );
    assert!(kapforms_core::decode_utf8(b"{\"a\": 1}").is_ok());
}

#[test]
fn only_the_trusted_reader_skips_validation() {
    // Parses, but a score names an item that does not exist: validation's problem, not JSON's.
    let mut broken = valid();
    broken["scores"][0]["items"] = json!(["nowhere"]);
    let text = broken.to_string();
    let refused = Questionnaire::from_json(&text).expect_err("validated");
    assert!(
        matches!(refused, kapforms_core::DefinitionError::Invalid(_)),
        "{refused:?}"
    );
    assert!(refused
        .diagnostics()
        .iter()
        .any(|d| d.path.starts_with("scores")));
    let trusted = Questionnaire::from_trusted_json_with(&text, &kapforms_core::modules::no_modules)
        .expect("not validated");
    assert_eq!(trusted.scores.len(), 1);
    // A valid definition reads the same either way.
    let text = valid().to_string();
    assert_eq!(
        Questionnaire::from_trusted_json_with(&text, &kapforms_core::modules::no_modules)
            .expect("reads"),
        Questionnaire::from_json(&text).expect("valid")
    );
}
