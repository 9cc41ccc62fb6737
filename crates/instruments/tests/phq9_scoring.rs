//! PHQ-9 golden cases: answers in, total, band and flags out, from `cases/phq9.json` (every
//! band edge, item 9 at 0 and 1, an incomplete form). Also checks the response round-trips
//! through the native wire format and verifies clean.

use std::sync::Arc;

use kapforms_core::{verify, AnswerValue, Response, Session, Status, Timestamps};

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    answers: Vec<Option<u8>>,
    total: f64,
    band: Option<String>,
    flags: Vec<String>,
}

fn phq9() -> Arc<kapforms_core::Questionnaire> {
    Arc::new(
        kapforms_instruments::load("phq9")
            .expect("phq9 is built in")
            .expect("phq9 is valid"),
    )
}

#[test]
fn phq9_golden_cases() {
    let cases: Vec<Case> =
        serde_json::from_str(include_str!("cases/phq9.json")).expect("cases parse");
    assert!(cases.len() >= 12);
    let questionnaire = phq9();
    for case in cases {
        let mut session = Session::new(questionnaire.clone());
        for (index, answer) in case.answers.iter().enumerate() {
            if let Some(code) = answer {
                session
                    .set_answer(
                        &format!("phq9_{}", index + 1),
                        Some(AnswerValue::Text(code.to_string())),
                    )
                    .unwrap_or_else(|e| panic!("{}: {e}", case.name));
            }
        }
        let evaluation = session.evaluation();
        let total = &evaluation.scores[0];
        assert_eq!(total.id, "phq9_total");
        assert_eq!(total.value, case.total, "{}: total", case.name);
        assert_eq!(total.band, case.band, "{}: band", case.name);
        let flags: Vec<&str> = evaluation.flags.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(flags, case.flags, "{}: flags", case.name);
        assert_eq!(
            evaluation.has_safety_flag(),
            !case.flags.is_empty(),
            "{}: safety",
            case.name
        );

        let response = session.response(
            Status::Completed,
            Timestamps {
                updated_at: "2026-11-27T10:00:00Z".into(),
                ..Timestamps::default()
            },
        );
        let text = response.to_json();
        let back = Response::from_json(&text).expect("round trip");
        assert_eq!(back, response, "{}: round trip", case.name);
        assert!(
            verify(&questionnaire, &back).is_consistent(),
            "{}",
            case.name
        );
    }
}

#[test]
fn response_json_has_the_documented_shape() {
    let questionnaire = phq9();
    let mut session = Session::new(questionnaire);
    for item in 1..=9 {
        let code = if item == 9 { "1" } else { "2" };
        session
            .set_answer(
                &format!("phq9_{item}"),
                Some(AnswerValue::Text(code.into())),
            )
            .expect("valid answer");
    }
    let value: serde_json::Value = serde_json::from_str(
        &session
            .response(Status::Completed, Timestamps::default())
            .to_json(),
    )
    .expect("json");
    assert_eq!(value["format"], "kapforms-response");
    assert_eq!(value["schema_version"], 1);
    assert_eq!(value["instrument"]["id"], "phq9");
    assert!(value["instrument"]["content_hash"]
        .as_str()
        .is_some_and(|h| h.starts_with("sha256:") && h.len() == 71));
    assert_eq!(value["status"], "completed");
    assert_eq!(value["answers"]["phq9_9"], "1");
    assert_eq!(value["scores"][0]["value"], 17);
    assert_eq!(value["scores"][0]["band"], "Moderately severe");
    assert_eq!(value["flags"][0]["severity"], "safety");
    assert_eq!(value["flags"][0]["items"][0], "phq9_9");
}

#[test]
fn the_difficulty_item_shows_only_after_a_problem_is_checked() {
    let mut session = Session::new(phq9());
    assert!(!session.is_visible("phq9_difficulty"));
    session
        .set_answer("phq9_3", Some(AnswerValue::Text("2".into())))
        .expect("valid");
    assert!(session.is_visible("phq9_difficulty"));
    session
        .set_answer("phq9_difficulty", Some(AnswerValue::Text("very".into())))
        .expect("valid");
    session
        .set_answer("phq9_3", Some(AnswerValue::Text("0".into())))
        .expect("valid");
    assert!(!session.is_visible("phq9_difficulty"));
    // The answer is kept for the patient but not sent.
    assert!(session.answer("phq9_difficulty").is_some());
    let response = session.response(Status::InProgress, Timestamps::default());
    assert!(!response.answers.contains_key("phq9_difficulty"));
}

#[test]
fn a_bad_answer_is_refused_and_changes_nothing() {
    let mut session = Session::new(phq9());
    let error = session
        .set_answer("phq9_1", Some(AnswerValue::Text("4".into())))
        .expect_err("4 is not an option");
    assert_eq!(error.path, "answers.phq9_1");
    let error = session
        .set_answer("phq9_1", Some(AnswerValue::Integer(1)))
        .expect_err("wrong shape");
    assert!(error.message.contains("option code"), "{error}");
    assert!(session.answers().is_empty());
    assert_eq!(session.missing_required().len(), 9);
}
