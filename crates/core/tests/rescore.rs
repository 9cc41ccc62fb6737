//! `verify::rescore` (the verification `kapforms score` uses for its text report, which stops
//! at the evaluation) finds exactly what `verify::verify_against` finds, and its evaluation is
//! the recomputed response's scores and flags, for consistent and tampered responses alike.

use kapforms_core::verify::{rescore, verify_against};
use kapforms_core::wire::WireScore;
use kapforms_core::{Questionnaire, Response};
use serde_json::{json, Value};

fn definition() -> Questionnaire {
    Questionnaire::from_json(
        &json!({
            "format": "kapforms-definition", "schema_version": 1, "id": "mood", "version": "2",
            "title": "Mood",
            "option_sets": {"freq": [
                {"value": "0", "label": "Never", "score": 0},
                {"value": "1", "label": "Sometimes", "score": 1},
                {"value": "2", "label": "Often", "score": 2}
            ]},
            "sections": [{"id": "s", "title": "S", "items": [
                {"id": "low", "type": "single_choice", "text": "Low?", "options": "freq"},
                {"id": "tired", "type": "single_choice", "text": "Tired?", "options": "freq"},
                {"id": "harm", "type": "single_choice", "text": "Harm?", "options": "freq"},
                {"id": "note", "type": "short_text", "text": "Anything else?"}
            ]}],
            "scores": [{"id": "total", "label": "Total", "method": "sum",
                        "items": ["low", "tired", "harm"],
                        "bands": [{"min": 0, "max": 2, "label": "Low"},
                                  {"min": 3, "max": 6, "label": "High"}]}],
            "flags": [{"id": "harm_any", "label": "Harm above never", "severity": "safety",
                       "when": {"answer": {"item": "harm", "score_at_least": 1}}}]
        })
        .to_string(),
    )
    .expect("valid definition")
}

/// A response to [`definition`] with these answers, its scores and flags as the
/// definition computes them.
fn consistent(questionnaire: &Questionnaire, answers: Value) -> Response {
    let draft = json!({
        "format": "kapforms-response", "schema_version": 1,
        "instrument": {"id": "mood", "version": "2", "content_hash": questionnaire.content_hash()},
        "status": "completed", "updated_at": "2026-11-27T10:00:00Z",
        "answers": answers, "scores": [], "flags": []
    });
    let draft = Response::from_json(&draft.to_string()).expect("response");
    verify_against(questionnaire, &questionnaire.content_hash(), &draft).recomputed
}

fn assert_same(questionnaire: &Questionnaire, response: &Response) -> usize {
    let hash = questionnaire.content_hash();
    let verification = verify_against(questionnaire, &hash, response);
    let rescored = rescore(questionnaire, &hash, response);
    assert_eq!(rescored.mismatches, verification.mismatches);
    assert_eq!(
        rescored.content_hash_matches,
        verification.content_hash_matches
    );
    assert_eq!(rescored.is_consistent(), verification.is_consistent());
    let scores: Vec<WireScore> = rescored
        .evaluation
        .scores
        .iter()
        .map(|score| WireScore::of(questionnaire, score))
        .collect();
    assert_eq!(scores, verification.recomputed.scores);
    let flags: Vec<(&str, &str)> = rescored
        .evaluation
        .flags
        .iter()
        .map(|flag| (flag.id.as_str(), flag.label.as_str()))
        .collect();
    let recomputed: Vec<(&str, &str)> = verification
        .recomputed
        .flags
        .iter()
        .map(|flag| (flag.id.as_str(), flag.label.as_str()))
        .collect();
    assert_eq!(flags, recomputed);
    rescored.mismatches.len()
}

#[test]
fn rescore_finds_what_verification_finds() {
    let questionnaire = definition();
    let response = consistent(
        &questionnaire,
        json!({"low": "2", "tired": "1", "harm": "1", "note": "fine"}),
    );
    assert_eq!(response.scores[0].band.as_deref(), Some("High"));
    assert_eq!(response.flags.len(), 1);
    assert_eq!(assert_same(&questionnaire, &response), 0);

    let mut edited_value = response.clone();
    edited_value.scores[0].value = 1.0;
    let mut edited_band = response.clone();
    edited_band.scores[0].band = Some("Low".into());
    let mut incomplete = response.clone();
    incomplete.scores[0].complete = false;
    let mut dropped_flag = response.clone();
    dropped_flag.flags.clear();
    let mut unknown_score = response.clone();
    let mut extra = response.scores[0].clone();
    extra.id = "other".into();
    unknown_score.scores.push(extra);
    let mut missing_score = response.clone();
    missing_score.scores.clear();
    let mut bad_answer = response.clone();
    bad_answer
        .answers
        .insert("low".into(), kapforms_core::AnswerValue::Text("7".into()));
    let mut unknown_item = response.clone();
    unknown_item.answers.insert(
        "nowhere".into(),
        kapforms_core::AnswerValue::Text("1".into()),
    );
    let mut threshold = response.clone();
    threshold.thresholds.insert("none".into(), 3.0);
    let mut withheld = response.clone();
    withheld.withheld_sections.push("s".into());
    let mut other_hash = response.clone();
    other_hash.instrument.content_hash = "sha256:00".into();
    let mut other_instrument = response.clone();
    other_instrument.instrument.id = "other".into();

    for (name, tampered) in [
        ("value", &edited_value),
        ("band", &edited_band),
        ("complete", &incomplete),
        ("flag", &dropped_flag),
        ("unknown score", &unknown_score),
        ("missing score", &missing_score),
        ("answer", &bad_answer),
        ("item", &unknown_item),
        ("threshold", &threshold),
        ("withheld", &withheld),
        ("instrument", &other_instrument),
    ] {
        assert!(
            assert_same(&questionnaire, tampered) > 0,
            "{name}: no mismatch"
        );
    }
    assert_eq!(assert_same(&questionnaire, &other_hash), 0);
    assert!(
        !rescore(&questionnaire, &questionnaire.content_hash(), &other_hash).content_hash_matches
    );

    // A flag listed that the answers do not raise.
    let calm = consistent(
        &questionnaire,
        json!({"low": "0", "tired": "0", "harm": "0"}),
    );
    assert_eq!(assert_same(&questionnaire, &calm), 0);
    let mut unexpected = calm.clone();
    unexpected.flags = response.flags.clone();
    assert!(assert_same(&questionnaire, &unexpected) > 0);
}
