//! Skeletons of licence-restricted instruments: they carry structure and scoring but no
//! wording; a clinic's text pack fills it in, and unknown keys are refused with their path.

use kapforms_core::definition::TextPack;
use kapforms_core::Questionnaire;
use serde_json::json;

fn skeleton(restricted: bool) -> String {
    json!({
        "format": "kapforms-definition", "schema_version": 1, "id": "skeleton", "version": "1",
        "title": "Licensed screener", "restricted_text": restricted,
        "option_sets": {"levels": [{"value": "low", "label": ""}, {"value": "high", "label": ""}]},
        "sections": [{"id": "s", "title": "Screening questions", "items": [
            {"id": "q1", "type": "yes_no", "text": "", "yes_score": 1, "no_score": 0},
            {"id": "q2", "type": "single_choice", "text": "", "options": "levels"}
        ]}]
    })
    .to_string()
}

#[test]
fn a_skeleton_is_valid_and_names_the_wording_it_lacks() {
    let questionnaire = Questionnaire::from_json(&skeleton(true)).expect("skeleton is valid");
    assert_eq!(
        questionnaire.missing_text(),
        vec!["q1", "q2", "q2/low", "q2/high"]
    );
}

#[test]
fn empty_wording_is_an_error_outside_a_skeleton() {
    let error = Questionnaire::from_json(&skeleton(false)).expect_err("empty text");
    assert!(error
        .diagnostics()
        .iter()
        .any(|d| d.path == "sections[0].items[0].text"));
}

#[test]
fn a_text_pack_fills_items_and_option_labels() {
    let questionnaire = Questionnaire::from_json(&skeleton(true)).expect("valid");
    let pack: TextPack = kapforms_core::definition::text_pack_from_value(json!({
        "q1": "Licensed question one?",
        "q2": "Licensed question two?",
        "q2/low": "Licensed low",
        "q2/high": "Licensed high"
    }))
    .expect("pack");
    let filled = questionnaire.with_text_pack(&pack).expect("fits");
    assert!(filled.missing_text().is_empty());
    let q2 = filled.item("q2").expect("q2");
    assert_eq!(q2.text, "Licensed question two?");
    assert_eq!(filled.options_of(q2)[1].label, "Licensed high");
    assert!(
        questionnaire.missing_text().len() == 4,
        "the skeleton itself is unchanged"
    );
}

#[test]
fn a_text_pack_with_unknown_keys_is_refused() {
    let questionnaire = Questionnaire::from_json(&skeleton(true)).expect("valid");
    let pack: TextPack = kapforms_core::definition::text_pack_from_value(
        json!({"q9": "?", "q2/medium": "?", "q1/yes": "?"}),
    )
    .expect("pack");
    let problems = questionnaire
        .with_text_pack(&pack)
        .expect_err("unknown keys");
    let paths: Vec<&str> = problems.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        vec!["text_pack.q1/yes", "text_pack.q2/medium", "text_pack.q9"]
    );
}
