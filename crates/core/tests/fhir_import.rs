//! FHIR import of real-world Questionnaires and QuestionnaireResponses (copied with their
//! provenance into `fhir/fixtures/`, see `SOURCES.md` there). Data-driven from
//! `fhir/import_cases.json`: every Questionnaire fixture imports, with the expected
//! questions, scored items, sections, option sets, scores (method, item count, range,
//! code), linkId map and warnings; every response fixture reads back as the expected answers,
//! which re-score to the total the response itself records.

use kapforms_core::LiteMap;
use std::path::PathBuf;

use kapforms_core::definition::ItemKind;
use kapforms_core::fhir;
use kapforms_core::scoring::item_score_range;
use kapforms_core::{AnswerValue, Evaluation};
use serde_json::{json, Value};

fn read(relative: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fhir")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn cases() -> Value {
    serde_json::from_str(&read("import_cases.json")).expect("import_cases.json")
}

fn import(file: &str) -> fhir::Imported {
    fhir::import_questionnaire(&read(file))
        .unwrap_or_else(|problems| panic!("{file} does not import: {problems:#?}"))
}

#[test]
fn every_questionnaire_fixture_imports_as_expected() {
    let cases = cases();
    let mut failures = Vec::new();
    for case in cases["questionnaires"].as_array().expect("questionnaires") {
        let file = case["file"].as_str().expect("file");
        let mut fail = |what: String| failures.push(format!("{file}: {what}"));
        let imported = import(file);
        let q = &imported.questionnaire;
        if let Some(id) = case["id"].as_str() {
            if q.id != id {
                fail(format!("id {} (expected {id})", q.id));
            }
        }
        if let Some(version) = case["version"].as_str() {
            if q.version != version {
                fail(format!("version {} (expected {version})", q.version));
            }
        }
        let questions = q.items().filter(|i| i.kind.takes_answer()).count();
        if Some(questions as u64) != case["questions"].as_u64() {
            fail(format!("{questions} questions"));
        }
        let scored = q
            .items()
            .filter(|i| {
                matches!(
                    i.kind,
                    ItemKind::SingleChoice { .. } | ItemKind::MultipleChoice { .. }
                ) && item_score_range(q, &i.id).is_some()
            })
            .count();
        if Some(scored as u64) != case["scored_items"].as_u64() {
            fail(format!("{scored} scored choice items"));
        }
        if let Some(sections) = case["sections"].as_array() {
            let found: Vec<Value> = q
                .sections
                .iter()
                .map(|s| json!({"id": s.id, "intro": s.intro.is_some(), "items": s.items.len()}))
                .collect();
            if &found != sections {
                fail(format!("sections {found:?}"));
            }
        }
        if let Some(sets) = case["option_sets"].as_array() {
            let found: Vec<Value> = q.option_sets.keys().map(|k| json!(k)).collect();
            if &found != sets {
                fail(format!("option sets {found:?}"));
            }
        }
        let expected_scores = case["scores"].as_array().expect("scores");
        if q.scores.len() != expected_scores.len() {
            fail(format!("{} scores", q.scores.len()));
        }
        for (rule, expected) in q.scores.iter().zip(expected_scores) {
            let (min, max) = rule.range(q);
            let found = json!({
                "id": rule.id,
                "link_id": imported.link_ids.scores.get(&rule.id),
                "method": rule.method.as_str(),
                "items": rule.items.len(),
                "min": min,
                "max": max,
                "code": rule.code.as_ref().map(|c| c.code.clone()),
            });
            let same = ["id", "link_id", "method", "items", "code"]
                .iter()
                .all(|key| found[key] == expected[key])
                && found["min"].as_f64() == expected["min"].as_f64()
                && found["max"].as_f64() == expected["max"].as_f64();
            if !same {
                fail(format!("score {found} (expected {expected})"));
            }
            // Every summed item is a scored question.
            for id in &rule.items {
                if item_score_range(q, id).is_none() {
                    fail(format!("score {} sums unscored {id}", rule.id));
                }
            }
        }
        for (id, link) in case["link_ids"].as_object().into_iter().flatten() {
            if imported.link_ids.items.get(id).map(String::as_str) != link.as_str() {
                fail(format!(
                    "link id of {id}: {:?}",
                    imported.link_ids.items.get(id)
                ));
            }
        }
        // Every question keeps a way back to its linkId.
        for item in q.items().filter(|i| i.kind.takes_answer()) {
            if !imported.link_ids.items.contains_key(&item.id) {
                fail(format!("no original linkId for {}", item.id));
            }
        }
        let ignored: Vec<Value> = imported.link_ids.ignored.iter().map(|l| json!(l)).collect();
        if ignored != case["ignored"].as_array().cloned().unwrap_or_default() {
            fail(format!("ignored {ignored:?}"));
        }
        let expected_warnings: Vec<&str> = case["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let warnings: Vec<String> = imported.warnings.iter().map(ToString::to_string).collect();
        if warnings.len() != expected_warnings.len()
            || !expected_warnings
                .iter()
                .all(|start| warnings.iter().any(|w| w.starts_with(start)))
        {
            fail(format!("warnings {warnings:#?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn every_response_fixture_reads_back_and_rescores_to_its_recorded_total() {
    let cases = cases();
    for case in cases["responses"].as_array().expect("responses") {
        let what = case["what"].as_str().expect("what");
        let imported = import(case["questionnaire"].as_str().expect("questionnaire"));
        let text = read(case["response"].as_str().expect("response"));
        let answers = imported
            .import_response(&text)
            .unwrap_or_else(|problems| panic!("{what}: {problems:#?}"));
        let expected: LiteMap<String, AnswerValue> =
            kapforms_core::wire::answers_from_value(case["answers"].clone()).expect("answers");
        assert_eq!(answers, expected, "{what}");
        let evaluation = Evaluation::of(&imported.questionnaire, &answers);
        for (id, value) in case["scores"].as_object().expect("scores") {
            let score = evaluation
                .scores
                .iter()
                .find(|s| &s.id == id)
                .unwrap_or_else(|| panic!("{what}: no score {id}"));
            assert!(score.is_complete(), "{what}: {id} incomplete");
            assert_eq!(Some(score.value), value.as_f64(), "{what}: {id}");
            // The response's own record of the total agrees with the re-scored value.
            let link = case["recorded_total"].as_str().expect("recorded_total");
            assert_eq!(recorded(&text, link), Some(score.value), "{what}: recorded");
        }
    }
}

/// The total a response records under `link` (valueDecimal, valueInteger or
/// valueQuantity.value), wherever the response sits in the file.
fn recorded(text: &str, link: &str) -> Option<f64> {
    fn find(node: &Value, link: &str) -> Option<f64> {
        if node["linkId"] == link && node["answer"].is_array() {
            let answer = &node["answer"][0];
            return answer["valueDecimal"]
                .as_f64()
                .or_else(|| answer["valueInteger"].as_f64())
                .or_else(|| answer["valueQuantity"]["value"].as_f64());
        }
        match node {
            Value::Object(map) => map.values().find_map(|v| find(v, link)),
            Value::Array(list) => list.iter().find_map(|v| find(v, link)),
            _ => None,
        }
    }
    find(&serde_json::from_str(text).ok()?, link)
}

#[test]
fn codings_without_system_match_by_code() {
    // The MII PHQ-9 response's linkIds (PHQ.1 …) are not those of the lforms PHQ-9, so the
    // real response cannot be read against it: the import says so, at the item's path …
    let lforms = import("fixtures/lforms__phq9.json");
    let mii = read(
        "fixtures/kerndatensatzmodul-proms__QuestionnaireResponse-mii-exa-pro-phq-9-response.json",
    );
    let problems = lforms.import_response(&mii).expect_err("foreign linkIds");
    assert_eq!(problems[0].path, "item[0].linkId");
    assert!(problems[0].message.contains("`PHQ.1`"), "{}", problems[0]);
    // … so a hand-written response in the same terse style (code only: no system, no
    // display) is read against it instead: the codes still find their LOINC options.
    let response = json!({
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": "Questionnaire/phq9",
        "item": [
            {"linkId": "/44250-9", "answer": [{"valueCoding": {"code": "LA6571-9"}}]},
            {"linkId": "/44255-8", "answer": [{"valueCoding": {"code": "LA6570-1"}}]},
            {"linkId": "/44259-0", "answer": [{"valueCoding": {"code": "LA6569-3"}}]},
            {"linkId": "/44254-1", "answer": [{"valueCoding": {"code": "LA6568-5"}}]},
            {"linkId": "/44251-7", "answer": [{"valueCoding": {"code": "LA6568-5"}}]},
            {"linkId": "/44258-2", "answer": [{"valueCoding": {"code": "LA6568-5"}}]},
            {"linkId": "/44252-5", "answer": [{"valueCoding": {"code": "LA6568-5"}}]},
            {"linkId": "/44253-3", "answer": [{"valueCoding": {"code": "LA6568-5"}}]},
            {"linkId": "/44260-8", "answer": [{"valueCoding": {"code": "LA6569-3",
                "system": "http://loinc.org"}}]},
            {"linkId": "/44261-6", "answer": [{"valueQuantity": {"value": 7, "code": "score"}}]},
            {"linkId": "/69722-7", "answer": [{"valueCoding": {"code": "LA6574-3"}}]}
        ]
    });
    let answers = lforms
        .import_response(&response.to_string())
        .expect("code-only answers read back");
    assert_eq!(answers.len(), 10, "the total is skipped: {answers:?}");
    assert_eq!(
        answers.get("44250-9"),
        Some(&AnswerValue::Text("LA6571-9".into()))
    );
    assert_eq!(
        answers.get("69722-7"),
        Some(&AnswerValue::Text("LA6574-3".into()))
    );
    let evaluation = Evaluation::of(&lforms.questionnaire, &answers);
    assert_eq!(evaluation.scores[0].value, 3.0 + 2.0 + 1.0 + 1.0);
    // A code that is in no option, or a system that does not match, is an error at its path.
    let mut wrong = response.clone();
    wrong["item"][1]["answer"][0]["valueCoding"] = json!({"code": "LA0000-0"});
    wrong["item"][2]["answer"][0]["valueCoding"] =
        json!({"code": "LA6569-3", "system": "http://snomed.info/sct"});
    let problems = lforms
        .import_response(&wrong.to_string())
        .expect_err("bad codes");
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "item[1].answer[0].valueCoding",
            "item[2].answer[0].valueCoding"
        ]
    );
}

#[test]
fn the_gad7_bundle_response_scores_13_from_the_imported_questionnaire() {
    // The brief's headline case, spelled out.
    let bundle = read("fixtures/kerndatensatzmodul-proms__Bundle-mii-exa-pro-gad-7-bundle.json");
    let imported = fhir::import_questionnaire(&bundle).expect("the Bundle's Questionnaire");
    let answers = imported
        .import_response(&bundle)
        .expect("the Bundle's response");
    let ordinals: Vec<f64> = imported
        .questionnaire
        .items()
        .filter_map(|item| {
            let code = match answers.get(&item.id)? {
                AnswerValue::Text(code) => code,
                _ => return None,
            };
            imported
                .questionnaire
                .options_of(item)
                .iter()
                .find(|o| &o.value == code)?
                .score
        })
        .collect();
    assert_eq!(ordinals, [2.0, 3.0, 2.0, 1.0, 2.0, 1.0, 2.0]);
    let evaluation = Evaluation::of(&imported.questionnaire, &answers);
    assert_eq!(evaluation.scores.len(), 1, "the T-score is not imported");
    assert_eq!(evaluation.scores[0].value, 13.0);
    assert_eq!(
        (evaluation.scores[0].min, evaluation.scores[0].max),
        (0.0, 21.0)
    );
}
