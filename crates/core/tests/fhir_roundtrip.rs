//! FHIR round trips: a definition exported as a FHIR Questionnaire and imported again is the
//! same definition (every field, not just the scoring), and a response exported as a
//! QuestionnaireResponse reads back as the same answers, which give the same scores and
//! flags. Runs over the built-in PHQ-9 (with its golden cases), every other built-in
//! instrument in `crates/instruments/definitions/`, the scoring-engine probe and a
//! hand-written probe with every item kind and condition form
//! (`fhir/handwritten/roundtrip-probe.definition.json`, answered by
//! `roundtrip-probe.answers.json`).

#[path = "support/definitions.rs"]
mod definitions;

use kapforms_core::LiteMap;
use std::path::PathBuf;

use kapforms_core::fhir;
use kapforms_core::{AnswerValue, Evaluation, Questionnaire, Response, Status, Timestamps};
use serde_json::Value;

const PHQ9: &str = include_str!("../../instruments/definitions/phq9.json");
const PHQ9_CASES: &str = include_str!("../../instruments/tests/cases/phq9.json");
const ENGINE: &str = include_str!("cases/scoring_engine.json");
const PROBE: &str = include_str!("fhir/handwritten/roundtrip-probe.definition.json");
const PROBE_ANSWERS: &str = include_str!("fhir/handwritten/roundtrip-probe.answers.json");

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Exports and imports a definition; the import must succeed without warnings.
fn round_trip(questionnaire: &Questionnaire) -> fhir::Imported {
    let exported = fhir::questionnaire(questionnaire).to_string();
    let imported = fhir::import_questionnaire(&exported).unwrap_or_else(|problems| {
        panic!(
            "{}: the export does not import: {problems:#?}\n{exported}",
            questionnaire.id
        )
    });
    assert!(
        imported.warnings.is_empty(),
        "{}: warnings on a kapforms export: {:#?}",
        questionnaire.id,
        imported.warnings
    );
    imported
}

fn response_of(questionnaire: &Questionnaire, answers: &LiteMap<String, AnswerValue>) -> Response {
    let evaluation = Evaluation::of(questionnaire, answers);
    Response::build(
        questionnaire,
        answers,
        &evaluation,
        Status::Completed,
        Timestamps {
            started_at: Some("2026-11-27T10:00:00.000Z".into()),
            updated_at: "2026-11-27T10:04:12.000Z".into(),
            completed_at: Some("2026-11-27T10:04:12.000Z".into()),
        },
    )
}

/// Exports a response, reads it back against the imported definition, and checks that the
/// answers, scores and flags are the same.
fn check_answers_round_trip(
    original: &Questionnaire,
    imported: &fhir::Imported,
    answers: &LiteMap<String, AnswerValue>,
    case: &str,
) {
    let response = response_of(original, answers);
    let exported = fhir::questionnaire_response(original, &response).to_string();
    let read = imported
        .import_response(&exported)
        .unwrap_or_else(|problems| panic!("{case}: response does not import: {problems:#?}"));
    assert_eq!(
        read, response.answers,
        "{case}: answers differ after the round trip"
    );
    let before = Evaluation::of(original, &response.answers);
    let after = Evaluation::of(&imported.questionnaire, &read);
    assert_eq!(before.scores, after.scores, "{case}: scores differ");
    assert_eq!(before.flags, after.flags, "{case}: flags differ");
    // The same again with the native definition and no link map: exported linkIds are ids.
    let direct =
        fhir::import_questionnaire_response(original, &fhir::LinkIds::default(), &exported)
            .unwrap_or_else(|problems| panic!("{case}: {problems:#?}"));
    assert_eq!(direct, response.answers, "{case}");
}

#[test]
fn phq9_survives_export_and_import_unchanged() {
    let phq9 = Questionnaire::from_json(PHQ9).expect("built-in PHQ-9 is valid");
    let imported = round_trip(&phq9);
    let back = &imported.questionnaire;
    assert_eq!(back, &phq9);
    // Spelled out, for the reader: items, options, scores and range.
    let ids = |q: &Questionnaire| q.items().map(|i| i.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(back), ids(&phq9));
    for item in phq9.items() {
        let other = back.item(&item.id).expect("item survives");
        assert_eq!(back.options_of(other), phq9.options_of(item), "{}", item.id);
    }
    assert_eq!(back.scores, phq9.scores);
    assert_eq!(back.scores[0].range(back), (0.0, 27.0));
    for (id, link) in &imported.link_ids.items {
        assert_eq!(id, link, "a kapforms export keeps every item id as linkId");
    }
    assert_eq!(imported.link_ids.items.len(), phq9.items().count());
}

#[test]
fn phq9_golden_answers_survive_the_response_round_trip() {
    let phq9 = Questionnaire::from_json(PHQ9).expect("valid");
    let imported = round_trip(&phq9);
    let cases: Value = serde_json::from_str(PHQ9_CASES).expect("golden cases");
    let cases = cases["cases"].as_array().expect("cases");
    assert!(cases.len() > 5);
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let answers: LiteMap<String, AnswerValue> =
            kapforms_core::wire::answers_from_value(case["answers"].clone()).expect("answers");
        check_answers_round_trip(&phq9, &imported, &answers, name);
        // And the score comes back as the golden value.
        let read = imported
            .import_response(
                &fhir::questionnaire_response(&phq9, &response_of(&phq9, &answers)).to_string(),
            )
            .expect("imports");
        let evaluation = Evaluation::of(&imported.questionnaire, &read);
        let expected = case["scores"]["phq9_total"]["value"]
            .as_f64()
            .expect("value");
        assert_eq!(evaluation.scores[0].value, expected, "{name}");
    }
}

#[test]
fn every_built_in_instrument_survives_both_round_trips() {
    let definitions = manifest_dir().join("../instruments/definitions");
    let cases_dir = manifest_dir().join("../instruments/tests/cases");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&definitions)
        .expect("instrument definitions")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 5, "expected the built-in instruments");
    let mut answered_cases = 0;
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("readable");
        let questionnaire = definitions::load_definition(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if definitions::has_repeating_group(&questionnaire) {
            // FHIR import does not read repeating groups back yet (export writes them).
            continue;
        }
        let imported = round_trip(&questionnaire);
        assert_eq!(
            imported.questionnaire,
            questionnaire,
            "{}: the definition changed in the round trip",
            path.display()
        );
        let Some(name) = path.file_name() else {
            continue;
        };
        let Ok(cases) = std::fs::read_to_string(cases_dir.join(name)) else {
            continue;
        };
        let cases: Value = serde_json::from_str(&cases).expect("golden cases");
        for case in cases["cases"].as_array().into_iter().flatten() {
            let answers: LiteMap<String, AnswerValue> =
                kapforms_core::wire::answers_from_value(case["answers"].clone()).expect("answers");
            let label = format!("{} / {}", questionnaire.id, case["name"]);
            check_answers_round_trip(&questionnaire, &imported, &answers, &label);
            answered_cases += 1;
        }
    }
    assert!(
        answered_cases > 50,
        "only {answered_cases} golden cases ran"
    );
}

#[test]
fn the_scoring_engine_probe_survives_both_round_trips() {
    let data: Value = serde_json::from_str(ENGINE).expect("json");
    let questionnaire =
        Questionnaire::from_json(&data["definition"].to_string()).expect("probe is valid");
    let imported = round_trip(&questionnaire);
    assert_eq!(imported.questionnaire, questionnaire);
    for case in data["cases"].as_array().expect("cases") {
        let answers: LiteMap<String, AnswerValue> =
            kapforms_core::wire::answers_from_value(case["answers"].clone()).expect("answers");
        check_answers_round_trip(
            &questionnaire,
            &imported,
            &answers,
            case["name"].as_str().unwrap_or("case"),
        );
    }
}

#[test]
fn every_item_kind_and_condition_form_survives_both_round_trips() {
    let questionnaire = Questionnaire::from_json(PROBE).expect("probe is valid");
    let imported = round_trip(&questionnaire);
    assert_eq!(imported.questionnaire, questionnaire);
    let answer_sets: Value = serde_json::from_str(PROBE_ANSWERS).expect("answer sets");
    for (index, answers) in answer_sets.as_array().expect("sets").iter().enumerate() {
        let answers: LiteMap<String, AnswerValue> =
            kapforms_core::wire::answers_from_value(answers.clone()).expect("answers");
        check_answers_round_trip(
            &questionnaire,
            &imported,
            &answers,
            &format!("probe answers {index}"),
        );
    }
}
