//! Configurable thresholds (declared in a definition, named by flag tests, set by a clinic,
//! recorded in responses) and licensed-wording modules (an embedded skeleton withheld until a
//! text pack fills it), on small definitions written here.

use kapforms_core::LiteMap;
use std::sync::Arc;

use kapforms_core::definition::ThresholdValues;
use kapforms_core::{verify, AnswerValue, Mismatch, Questionnaire, Session, Status, Timestamps};
use serde_json::{json, Value};

fn screener(flag_when: Value, severity: &str, label: &str) -> Value {
    json!({
        "format": "kapforms-definition", "schema_version": 1, "id": "screener", "version": "1",
        "title": "Screener",
        "sections": [{"id": "s", "title": "S", "items": [
            {"id": "reading", "type": "integer", "text": "Reading", "min": 0, "max": 300},
            {"id": "later", "type": "yes_no", "text": "Later?",
             "enable_when": {"answer": {"item": "reading", "score_above": 100}}}
        ]}],
        "thresholds": [{"id": "high", "label": "Reading above which we look", "default": 140,
                        "min": 120, "max": 180, "unit": "mmHg"}],
        "flags": [{"id": "raised", "label": label, "severity": severity, "when": flag_when}]
    })
}

fn valid() -> Questionnaire {
    Questionnaire::from_json(
        &screener(
            json!({"answer": {"item": "reading", "score_above": 140, "threshold": "high"}}),
            "monitor",
            "Reading above {high}",
        )
        .to_string(),
    )
    .expect("valid")
}

fn problems(definition: Value) -> Vec<String> {
    match Questionnaire::from_json(&definition.to_string()) {
        Ok(_) => Vec::new(),
        Err(error) => error
            .diagnostics()
            .iter()
            .map(ToString::to_string)
            .collect(),
    }
}

fn session(questionnaire: &Questionnaire, reading: i64) -> Session {
    let mut session = Session::new(Arc::new(questionnaire.clone()));
    session
        .set_answer("reading", Some(AnswerValue::Integer(reading)))
        .expect("fits");
    session
}

#[test]
fn a_threshold_sets_its_tests_bound_and_the_label_says_the_value() {
    let definition = valid();
    assert!(session(&definition, 140).evaluation().flags.is_empty());
    let raised = session(&definition, 141);
    assert_eq!(raised.evaluation().flags[0].label, "Reading above 140");

    let values: ThresholdValues = [("high".to_owned(), 150.0)].into_iter().collect();
    let clinic = definition.with_thresholds(&values).expect("in range");
    assert_eq!(clinic.content_hash(), definition.content_hash());
    assert!(session(&clinic, 150).evaluation().flags.is_empty());
    let raised = session(&clinic, 151);
    assert_eq!(raised.evaluation().flags[0].label, "Reading above 150");
    let response = session(&clinic, 145).response(
        Status::Completed,
        Timestamps {
            updated_at: "2026-11-27T10:00:00Z".into(),
            ..Timestamps::default()
        },
    );
    let json: Value = serde_json::from_str(&response.to_json()).expect("json");
    assert_eq!(json["thresholds"], json!({"high": 150}));
    // Re-scored with the recorded value it agrees (145 is not above 150); with the value
    // dropped, the default 140 raises the flag the response does not list.
    assert!(response.flags.is_empty());
    assert!(verify(&definition, &response).is_consistent());
    let mut edited = response.clone();
    edited.thresholds.clear();
    assert!(verify(&definition, &edited)
        .mismatches
        .iter()
        .any(|m| matches!(m, Mismatch::MissingFlag { id } if id == "raised")));
}

#[test]
fn threshold_declarations_and_uses_are_checked_with_paths() {
    let wrong_bound = problems(screener(
        json!({"answer": {"item": "reading", "score_above": 150, "threshold": "high"}}),
        "monitor",
        "Raised",
    ));
    assert!(
        wrong_bound
            .iter()
            .any(|p| p.starts_with("flags[0].when.answer.threshold") && p.contains("default")),
        "{wrong_bound:?}"
    );
    let unknown = problems(screener(
        json!({"answer": {"item": "reading", "score_above": 140, "threshold": "nope"}}),
        "monitor",
        "Raised",
    ));
    assert!(unknown
        .iter()
        .any(|p| p.contains("no threshold has the id `nope`")));
    let safety = problems(screener(
        json!({"answer": {"item": "reading", "score_above": 140, "threshold": "high"}}),
        "safety",
        "Raised",
    ));
    assert!(
        safety
            .iter()
            .any(|p| p.starts_with("flags[0].when") && p.contains("safety flag")),
        "{safety:?}"
    );
    let stray_placeholder = problems(screener(
        json!({"answer": {"item": "reading", "score_above": 100}}),
        "monitor",
        "Above {high}",
    ));
    assert!(stray_placeholder
        .iter()
        .any(|p| p.starts_with("flags[0].label")));
    let mut bad_default = screener(
        json!({"answer": {"item": "reading", "score_above": 100}}),
        "monitor",
        "Raised",
    );
    bad_default["thresholds"][0]["default"] = json!(200);
    assert!(problems(bad_default)
        .iter()
        .any(|p| p.starts_with("thresholds[0].default")));
    let mut in_enable_when = screener(
        json!({"answer": {"item": "reading", "score_above": 140, "threshold": "high"}}),
        "monitor",
        "Raised",
    );
    in_enable_when["sections"][0]["items"][1]["enable_when"] =
        json!({"answer": {"item": "reading", "score_above": 140, "threshold": "high"}});
    assert!(problems(in_enable_when)
        .iter()
        .any(|p| p.starts_with("sections[0].items[1].enable_when.answer.threshold")));
}

fn skeleton() -> Value {
    json!({
        "format": "kapforms-definition", "schema_version": 1, "id": "licensed", "version": "3",
        "title": "Licensed scale", "restricted_text": true,
        "provenance": {"source": "test", "licence": "wording licensed"},
        "sections": [{"id": "l", "title": "Licensed", "items": [
            {"id": "q1", "type": "yes_no", "text": "", "required": true, "yes_score": 1, "no_score": 0},
            {"id": "q2", "type": "yes_no", "text": "", "required": true, "yes_score": 1, "no_score": 0}
        ]}],
        "scores": [{"id": "total", "label": "Licensed total", "method": "sum", "items": ["q1", "q2"]}],
        "thresholds": [{"id": "cut", "label": "Cut-off", "default": 2, "min": 1, "max": 2}],
        "flags": [{"id": "positive", "label": "At least {cut}", "severity": "monitor",
                   "when": {"score": {"score": "total", "at_least": 2, "threshold": "cut"}}}]
    })
}

fn host() -> Questionnaire {
    let host = json!({
        "format": "kapforms-definition", "schema_version": 1, "id": "host", "version": "1",
        "title": "Host",
        "sections": [
            {"id": "ours", "title": "Ours", "items": [
                {"id": "ok", "type": "yes_no", "text": "Are you well?", "required": true}]},
            {"id": "lic", "title": "Licensed part", "module": "licensed"},
            {"id": "later", "title": "Optional part", "module": "licensed", "optional": true}
        ]
    });
    let resolve = |id: &str| {
        (id == "licensed")
            .then(|| Questionnaire::parse_unchecked(&skeleton().to_string()).expect("reads"))
    };
    Questionnaire::from_json_with(&host.to_string(), &resolve).expect("valid host")
}

#[test]
fn an_embedded_skeleton_is_withheld_not_the_host() {
    let host = host();
    assert!(!host.restricted_text);
    assert_eq!(host.withheld_sections(), ["lic.l", "later.l"]);
    assert_eq!(
        host.thresholds
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>(),
        ["lic.cut", "later.cut"]
    );
    assert!(host.item("later.q1").is_some_and(|item| !item.required));
    assert!(host.item("lic.q1").is_some_and(|item| item.required));
    let mut session = Session::new(Arc::new(host.clone()));
    session
        .set_answer("ok", Some(AnswerValue::Bool(true)))
        .expect("fits");
    assert!(session.is_complete(), "withheld questions are not required");
    assert!(!session.is_section_visible(1));
    let unavailable: Vec<bool> = session
        .evaluation()
        .scores
        .iter()
        .map(|s| s.available)
        .collect();
    assert_eq!(unavailable, [false, false]);

    // A key written for the instrument alone (`q1`) is ambiguous when it is embedded twice,
    // so it is refused; the embedded ids fill each module separately.
    let ambiguous: LiteMap<String, String> = [("q1".to_owned(), "Question one".to_owned())]
        .into_iter()
        .collect();
    assert!(host.with_text_pack(&ambiguous).is_err());
    let pack: LiteMap<String, String> = [
        ("lic.q1".to_owned(), "Question one".to_owned()),
        ("lic.q2".to_owned(), "Question two".to_owned()),
    ]
    .into_iter()
    .collect();
    let filled = host.with_text_pack(&pack).expect("fits");
    assert_eq!(filled.withheld_sections(), ["later.l"]);
    let mut session = Session::new(Arc::new(filled));
    for (id, value) in [("ok", true), ("lic.q1", true), ("lic.q2", true)] {
        session
            .set_answer(id, Some(AnswerValue::Bool(value)))
            .expect("fits");
    }
    let flags: Vec<&str> = session
        .evaluation()
        .flags
        .iter()
        .map(|f| f.label.as_str())
        .collect();
    assert_eq!(flags, ["At least 2"]);
    let values: ThresholdValues = [("lic.cut".to_owned(), 1.0)].into_iter().collect();
    assert!(host.with_thresholds(&values).is_ok());
}
