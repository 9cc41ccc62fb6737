//! The scoring engine on a probe definition that uses every feature (reverse items, mean,
//! count with a threshold, multiply, a prorating missing-answer rule, option weights, yes/no and
//! integer scores, flags on scores, `not`, `one_of`). Cases are data in
//! `cases/scoring_engine.json`: answers in, expected scores and flags out.

use kapforms_core::LiteMap;
use kapforms_core::{AnswerValue, Evaluation, Questionnaire};
use serde_json::Value;

#[test]
fn scoring_engine_cases() {
    let data: Value =
        serde_json::from_str(include_str!("cases/scoring_engine.json")).expect("json");
    let questionnaire = Questionnaire::from_json(&data["definition"].to_string())
        .expect("probe definition is valid");
    let mut failures = Vec::new();
    for case in data["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let answers: LiteMap<String, AnswerValue> =
            kapforms_core::wire::answers_from_value(case["answers"].clone()).expect("answers");
        let evaluation = Evaluation::of(&questionnaire, &answers);
        for (id, expected) in case["scores"].as_object().expect("scores") {
            let Some(score) = evaluation.scores.iter().find(|s| &s.id == id) else {
                failures.push(format!("{name}: no score {id}"));
                continue;
            };
            let value = expected["value"].as_f64().expect("value");
            if (score.value - value).abs() > 1e-9 {
                failures.push(format!("{name}: {id} = {}, expected {value}", score.value));
            }
            let complete = expected["complete"].as_bool().expect("complete");
            if score.is_complete() != complete {
                failures.push(format!("{name}: {id} complete = {}", score.is_complete()));
            }
            if let Some(band) = expected.get("band") {
                if score.band.as_deref() != band.as_str() {
                    failures.push(format!(
                        "{name}: {id} band {:?}, expected {band}",
                        score.band
                    ));
                }
            }
            if !complete && score.band.is_some() {
                failures.push(format!("{name}: {id} is incomplete but has a band"));
            }
            if let Some(missing) = expected.get("missing") {
                let missing: Vec<String> = serde_json::from_value(missing.clone()).expect("ids");
                if score.missing != missing {
                    failures.push(format!("{name}: {id} missing {:?}", score.missing));
                }
            }
            if let Some(prorated) = expected.get("prorated") {
                if Some(score.prorated) != prorated.as_bool() {
                    failures.push(format!("{name}: {id} prorated = {}", score.prorated));
                }
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
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn flags_raised_by_scores_name_the_score_items() {
    let data: Value =
        serde_json::from_str(include_str!("cases/scoring_engine.json")).expect("json");
    let questionnaire = Questionnaire::from_json(&data["definition"].to_string()).expect("valid");
    let answers: LiteMap<String, AnswerValue> =
        kapforms_core::wire::answers_from_value(serde_json::json!({"a": "3", "b": "3", "c": "0"}))
            .expect("answers");
    let evaluation = Evaluation::of(&questionnaire, &answers);
    let flag = evaluation
        .flags
        .iter()
        .find(|f| f.id == "high_sum")
        .expect("raised");
    assert_eq!(flag.items, vec!["a", "b", "c"]);
}
