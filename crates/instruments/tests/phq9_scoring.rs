//! PHQ-9 behaviour beyond its golden cases (which `golden.rs` runs): the response's documented
//! JSON shape, the difficulty question's visibility, and refused answers.

use std::sync::Arc;

use kapforms_core::{AnswerValue, Session, Status, Timestamps};

fn phq9() -> Arc<kapforms_core::Questionnaire> {
    Arc::new(
        kapforms_instruments::load("phq9")
            .expect("phq9 is built in")
            .expect("phq9 is valid"),
    )
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
