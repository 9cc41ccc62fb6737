//! Every built-in instrument against its golden cases (`tests/cases/<id>.json`): answers in,
//! expected scores, bands, completeness and flags out, evaluated by kapforms-core exactly as
//! the widget does. Also checks that each case's response round-trips through the native JSON
//! and verifies clean, and that every instrument has cases and every case file is listed.

use kapforms_core::LiteMap;
use std::sync::Arc;

use kapforms_core::{verify, AnswerValue, Response, Session, Status, Timestamps};
use serde_json::Value;

#[test]
fn every_instrument_has_golden_cases_and_every_case_file_is_listed() {
    let listed: Vec<&str> = kapforms_instruments::golden::CASES
        .iter()
        .map(|(id, _)| *id)
        .collect();
    for id in kapforms_instruments::ids() {
        assert!(listed.contains(&id), "no golden cases listed for {id}");
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases");
    for entry in std::fs::read_dir(dir).expect("cases dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let id = name.trim_end_matches(".json");
        assert!(
            listed.contains(&id),
            "{name} is not listed in golden::CASES"
        );
    }
}

#[test]
fn golden_cases() {
    let mut failures = Vec::new();
    let mut count = 0;
    for (id, text) in kapforms_instruments::golden::CASES {
        let data: Value = serde_json::from_str(text).expect("cases parse");
        assert_eq!(data["instrument"], *id);
        let questionnaire = Arc::new(
            kapforms_instruments::load(id)
                .expect("built in")
                .expect("valid"),
        );
        for case in data["cases"].as_array().expect("cases") {
            count += 1;
            let name = format!("{id}: {}", case["name"].as_str().expect("name"));
            let answers: LiteMap<String, AnswerValue> =
                kapforms_core::wire::answers_from_value(case["answers"].clone()).expect("answers");
            let mut session = Session::new(questionnaire.clone());
            for (item, value) in answers {
                if let Err(error) = session.set_answer(&item, Some(value)) {
                    failures.push(format!("{name}: {error}"));
                }
            }
            let evaluation = session.evaluation();
            for (score_id, expected) in case["scores"].as_object().expect("scores") {
                let Some(score) = evaluation.scores.iter().find(|s| &s.id == score_id) else {
                    failures.push(format!("{name}: no score {score_id}"));
                    continue;
                };
                let value = expected["value"].as_f64().expect("value");
                if (score.value - value).abs() > 1e-9 {
                    failures.push(format!(
                        "{name}: {score_id} = {}, expected {value}",
                        score.value
                    ));
                }
                if let Some(complete) = expected.get("complete").and_then(Value::as_bool) {
                    if score.is_complete() != complete {
                        failures.push(format!(
                            "{name}: {score_id} complete = {}",
                            score.is_complete()
                        ));
                    }
                }
                let band = expected.get("band").and_then(Value::as_str);
                if score.band.as_deref() != band {
                    failures.push(format!(
                        "{name}: {score_id} band {:?}, expected {band:?}",
                        score.band
                    ));
                }
            }
            let mut flags: Vec<&str> = evaluation.flags.iter().map(|f| f.id.as_str()).collect();
            let mut expected: Vec<&str> = case["flags"]
                .as_array()
                .expect("flags")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            flags.sort_unstable();
            expected.sort_unstable();
            if flags != expected {
                failures.push(format!("{name}: flags {flags:?}, expected {expected:?}"));
            }
            let response = session.response(
                Status::Completed,
                Timestamps {
                    updated_at: "2026-11-27T10:00:00Z".into(),
                    ..Timestamps::default()
                },
            );
            match Response::from_json(&response.to_json()) {
                Ok(back) if back == response => {
                    if !verify(&questionnaire, &back).is_consistent() {
                        failures.push(format!("{name}: does not verify"));
                    }
                }
                Ok(_) => failures.push(format!("{name}: JSON round trip changed the response")),
                Err(error) => failures.push(format!("{name}: {error}")),
            }
        }
    }
    assert!(count >= 14, "only {count} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
