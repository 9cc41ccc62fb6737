//! The committed JSON Schemas (`schema/` at the repository root, shipped in `dist/schema/`)
//! are the ones generated from the wire types, and everything kapforms produces conforms to
//! them: every built-in definition, and the response of every golden case (complete and in
//! progress). A schema that drifted from the code, or output that broke its contract, fails.

use kapforms_core::LiteMap;
use std::sync::Arc;

use kapforms_core::{AnswerValue, Session, Status, Timestamps};
use serde_json::Value;

fn committed(name: &str) -> Value {
    let path = format!("{}/../../schema/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("schema is JSON")
}

#[test]
fn committed_schemas_match_the_generated_ones() {
    assert_eq!(
        committed("definition.schema.json"),
        kapforms_core::schema::definition(),
        "schema/definition.schema.json is stale: run `cargo run -p kapforms-cli -- schema definition > schema/definition.schema.json`"
    );
    assert_eq!(
        committed("response.schema.json"),
        kapforms_core::schema::response(),
        "schema/response.schema.json is stale: run `cargo run -p kapforms-cli -- schema response > schema/response.schema.json`"
    );
}

#[test]
fn every_built_in_definition_conforms_to_the_definition_schema() {
    let validator =
        jsonschema::validator_for(&committed("definition.schema.json")).expect("schema");
    for builtin in kapforms_instruments::ALL {
        let value: Value = serde_json::from_str(builtin.json).expect("json");
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", builtin.id);
    }
    // And the schema is not vacuous: a misspelt field and a wrong type are rejected.
    let mut bad: Value = serde_json::from_str(kapforms_instruments::ALL[0].json).expect("json");
    bad["titel"] = Value::from("x");
    assert!(!validator.is_valid(&bad));
    let mut bad: Value = serde_json::from_str(kapforms_instruments::ALL[0].json).expect("json");
    bad["sections"][0]["items"][0]["type"] = Value::from("slider");
    assert!(!validator.is_valid(&bad));
}

#[test]
fn every_golden_response_conforms_to_the_response_schema() {
    let validator = jsonschema::validator_for(&committed("response.schema.json")).expect("schema");
    let mut checked = 0;
    for (id, text) in kapforms_instruments::golden::CASES {
        let questionnaire = Arc::new(
            kapforms_instruments::load(id)
                .expect("built in")
                .expect("valid"),
        );
        let data: Value = serde_json::from_str(text).expect("cases");
        for case in data["cases"].as_array().expect("cases") {
            let answers: LiteMap<String, AnswerValue> =
                kapforms_core::wire::answers_from_value(case["answers"].clone()).expect("answers");
            let mut session = Session::new(questionnaire.clone());
            for (item, value) in answers {
                session
                    .set_answer(&item, Some(value))
                    .expect("golden answers are valid");
            }
            for status in [Status::InProgress, Status::Completed] {
                let response = session.response(
                    status,
                    Timestamps {
                        started_at: Some("2026-11-27T09:00:00.000Z".into()),
                        updated_at: "2026-11-27T09:05:00.000Z".into(),
                        completed_at: (status == Status::Completed)
                            .then(|| "2026-11-27T09:05:00.000Z".into()),
                    },
                );
                let value = serde_json::to_value(&response).expect("json");
                let errors: Vec<String> = validator
                    .iter_errors(&value)
                    .map(|e| format!("{} at {}", e, e.instance_path()))
                    .collect();
                assert!(errors.is_empty(), "{id} {}: {errors:?}", case["name"]);
                checked += 1;
            }
        }
    }
    assert!(checked >= 200, "only {checked} responses checked");
    let mut bad = serde_json::to_value(
        Session::new(Arc::new(
            kapforms_instruments::load("phq9")
                .expect("phq9")
                .expect("valid"),
        ))
        .response(Status::InProgress, Timestamps::default()),
    )
    .expect("json");
    bad["status"] = Value::from("done");
    assert!(
        !validator.is_valid(&bad),
        "the schema rejects an unknown status"
    );
}
