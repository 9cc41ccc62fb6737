//! The FHIR import's rules and heuristics, one small hand-written Questionnaire (or response)
//! per rule, as data in `fhir/import_rules.json`: how linkIds become ids, how groups flatten
//! and intros are found, how each `enableWhen` operator reads, where options and scores come
//! from, what is left out with a warning, and that every error names its JSON path.

use kapforms_core::definition::ItemKind;
use kapforms_core::fhir;
use kapforms_core::LiteMap;
use kapforms_core::{AnswerValue, Evaluation};
use serde_json::{json, Value};

const RULES: &str = include_str!("fhir/import_rules.json");

fn source(case: &Value, key: &str) -> String {
    match case.get("text") {
        Some(text) if key == "questionnaire" => text.as_str().expect("text").to_owned(),
        _ => case[key].to_string(),
    }
}

/// Checks that `problems` are exactly the expected errors, in order.
fn expect_errors(name: &str, problems: &[kapforms_core::Diagnostic], expected: &Value) {
    let expected = expected.as_array().expect("errors");
    let found: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), expected.len(), "{name}: {found:#?}");
    for (problem, want) in problems.iter().zip(expected) {
        assert_eq!(
            problem.path,
            want["path"].as_str().expect("path"),
            "{name}: {found:#?}"
        );
        let needle = want["contains"].as_str().expect("contains");
        assert!(
            problem.message.contains(needle),
            "{name}: {problem} lacks {needle:?}"
        );
    }
}

#[test]
fn questionnaire_rules() {
    let rules: Value = serde_json::from_str(RULES).expect("rules");
    for case in rules["questionnaires"].as_array().expect("questionnaires") {
        let name = case["name"].as_str().expect("name");
        let result = fhir::import_questionnaire(&source(case, "questionnaire"));
        if let Some(errors) = case.get("errors") {
            let problems = result.expect_err(name);
            expect_errors(name, &problems, errors);
            continue;
        }
        let imported = result.unwrap_or_else(|problems| panic!("{name}: {problems:#?}"));
        let q = &imported.questionnaire;
        if let Some(ids) = case.get("ids") {
            let found: Vec<&str> = q.items().map(|i| i.id.as_str()).collect();
            assert_eq!(json!(found), *ids, "{name}");
        }
        for (id, link) in case["link_ids"].as_object().into_iter().flatten() {
            assert_eq!(
                imported.link_ids.items.get(id).map(String::as_str),
                link.as_str(),
                "{name}: {id}"
            );
        }
        if let Some(sections) = case.get("sections") {
            let found: Vec<Value> = q
                .sections
                .iter()
                .map(|s| json!({"id": s.id, "title": s.title, "intro": s.intro}))
                .collect();
            assert_eq!(json!(found), *sections, "{name}");
        }
        for (id, condition) in case["enable_when"].as_object().into_iter().flatten() {
            let item = q.item(id).unwrap_or_else(|| panic!("{name}: no {id}"));
            assert_eq!(
                serde_json::to_value(&item.enable_when).expect("json"),
                *condition,
                "{name}: {id}"
            );
        }
        for (id, kind) in case["kinds"].as_object().into_iter().flatten() {
            let item = q.item(id).unwrap_or_else(|| panic!("{name}: no {id}"));
            assert_eq!(
                item.kind.type_name(),
                kind.as_str().expect("kind"),
                "{name}: {id}"
            );
        }
        for (id, values) in case["options"].as_object().into_iter().flatten() {
            let item = q.item(id).unwrap_or_else(|| panic!("{name}: no {id}"));
            let found: Vec<&str> = q
                .options_of(item)
                .iter()
                .map(|o| o.value.as_str())
                .collect();
            assert_eq!(json!(found), *values, "{name}: {id}");
        }
        for (set, expected) in case["option_sets"].as_object().into_iter().flatten() {
            let found: Vec<Value> = q.option_sets[set]
                .iter()
                .map(|o| json!([o.value, o.score]))
                .collect();
            let expected: Vec<Value> = expected
                .as_array()
                .expect("pairs")
                .iter()
                .map(|pair| json!([pair[0], pair[1].as_f64()]))
                .collect();
            assert_eq!(found, expected, "{name}: {set}");
        }
        for (id, range) in case["integer"].as_object().into_iter().flatten() {
            let item = q.item(id).unwrap_or_else(|| panic!("{name}: no {id}"));
            let ItemKind::Integer { min, max, unit } = &item.kind else {
                panic!("{name}: {id} is not an integer item");
            };
            assert_eq!(
                json!({"min": min, "max": max, "unit": unit}),
                *range,
                "{name}: {id}"
            );
        }
        for (id, help) in case["help"].as_object().into_iter().flatten() {
            let item = q.item(id).unwrap_or_else(|| panic!("{name}: no {id}"));
            assert_eq!(item.help.as_deref(), help.as_str(), "{name}: {id}");
        }
        let ignored: Vec<&str> = imported
            .link_ids
            .ignored
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(
            json!(ignored),
            case.get("ignored").cloned().unwrap_or(json!([])),
            "{name}"
        );
        if let Some(scores) = case["scores"].as_array() {
            assert_eq!(q.scores.len(), scores.len(), "{name}: {:?}", q.scores);
            for (rule, want) in q.scores.iter().zip(scores) {
                let (min, max) = rule.range(q);
                assert_eq!(json!(rule.id), want["id"], "{name}");
                assert_eq!(json!(rule.items), want["items"], "{name}");
                assert_eq!(Some(min), want["min"].as_f64(), "{name}");
                assert_eq!(Some(max), want["max"].as_f64(), "{name}");
            }
        }
        let warnings: Vec<String> = imported.warnings.iter().map(ToString::to_string).collect();
        let expected: Vec<&str> = case["warnings"]
            .as_array()
            .map(|w| w.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        assert_eq!(warnings.len(), expected.len(), "{name}: {warnings:#?}");
        for (warning, start) in warnings.iter().zip(&expected) {
            assert!(warning.starts_with(start), "{name}: {warning} vs {start}");
        }
        if let Some(response) = case.get("response") {
            let answers = imported
                .import_response(&response.to_string())
                .unwrap_or_else(|problems| panic!("{name}: {problems:#?}"));
            let expected: LiteMap<String, AnswerValue> =
                kapforms_core::wire::answers_from_value(case["answers"].clone()).expect("answers");
            assert_eq!(answers, expected, "{name}");
            let evaluation = Evaluation::of(q, &answers);
            for (id, value) in case["score_values"].as_object().into_iter().flatten() {
                let score = evaluation
                    .scores
                    .iter()
                    .find(|s| &s.id == id)
                    .expect("score");
                assert_eq!(Some(score.value), value.as_f64(), "{name}: {id}");
            }
        }
    }
}

#[test]
fn response_rules() {
    let rules: Value = serde_json::from_str(RULES).expect("rules");
    for case in rules["responses"].as_array().expect("responses") {
        let name = case["name"].as_str().expect("name");
        let imported = fhir::import_questionnaire(&case["questionnaire"].to_string())
            .unwrap_or_else(|problems| panic!("{name}: {problems:#?}"));
        let result = imported.import_response(&case["response"].to_string());
        if let Some(errors) = case.get("errors") {
            expect_errors(name, &result.expect_err(name), errors);
            continue;
        }
        let answers = result.unwrap_or_else(|problems| panic!("{name}: {problems:#?}"));
        let expected: LiteMap<String, AnswerValue> =
            kapforms_core::wire::answers_from_value(case["answers"].clone()).expect("answers");
        assert_eq!(answers, expected, "{name}");
    }
}
