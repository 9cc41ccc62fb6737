//! Modules (a questionnaire embedding another instrument, scored as that instrument),
//! repeating groups (rows of fields, e.g. one row per medicine) and the medication-class rule.

use kapforms_core::LiteMap;
use kapforms_core::{AnswerValue, Evaluation, Questionnaire, Session, Status, Timestamps};
use serde_json::{json, Value};

fn inner() -> Value {
    json!({
        "format": "kapforms-definition", "schema_version": 1, "id": "inner", "version": "2.1",
        "title": "Inner scale",
        "provenance": {"source": "test", "licence": "test licence"},
        "option_sets": {"scale": [{"value": "0", "label": "No", "score": 0}, {"value": "1", "label": "Yes", "score": 1}]},
        "sections": [{"id": "s", "title": "Inner title", "intro": "Inner stem", "items": [
            {"id": "a", "type": "single_choice", "text": "A?", "options": "scale", "required": true},
            {"id": "b", "type": "single_choice", "text": "B?", "options": "scale",
             "enable_when": {"answer": {"item": "a", "equals": "1"}}}
        ]}],
        "scores": [{"id": "total", "label": "Inner total", "method": "sum", "items": ["a", "b"],
                    "bands": [{"min": 0, "max": 1, "label": "Low"}, {"min": 2, "max": 2, "label": "High"}]}],
        "flags": [{"id": "high", "label": "Inner high", "severity": "monitor",
                   "when": {"score": {"score": "total", "at_least": 2}}}]
    })
}

fn host(module: &str) -> Value {
    json!({
        "format": "kapforms-definition", "schema_version": 1, "id": "host", "version": "1",
        "title": "Host",
        "sections": [
            {"id": "first", "title": "First", "items": [
                {"id": "meds", "type": "repeating_group", "text": "Your medicines", "max_rows": 3,
                 "fields": [
                    {"id": "name", "type": "short_text", "text": "Name", "required": true},
                    {"id": "dose", "type": "short_text", "text": "Dose"}
                 ]}
            ]},
            {"id": "mood", "title": "Our title for the module", "intro": "Our own words first.", "module": module}
        ],
        "flags": [
            {"id": "benzo", "label": "Takes a benzodiazepine", "severity": "monitor",
             "when": {"medication_class": {"item": "meds", "field": "name", "class": "benzodiazepines"}}},
            {"id": "unknown_meds", "label": "Medicines not recognised", "severity": "info",
             "when": {"medication_unrecognised": {"item": "meds", "field": "name"}}},
            {"id": "inner_and_benzo", "label": "Both", "severity": "monitor",
             "when": {"all": [{"score": {"score": "mood.total", "at_least": 2}},
                              {"medication_class": {"item": "meds", "field": "name", "class": "benzodiazepines"}}]}}
        ]
    })
}

fn resolver(id: &str) -> Option<Questionnaire> {
    match id {
        "inner" => Questionnaire::parse_unchecked(&inner().to_string()).ok(),
        "loop" => Questionnaire::parse_unchecked(
            &host("loop")
                .to_string()
                .replace("\"id\":\"host\"", "\"id\":\"loop\""),
        )
        .ok(),
        _ => None,
    }
}

fn load() -> Questionnaire {
    Questionnaire::from_json_with(&host("inner").to_string(), &resolver)
        .expect("host with module is valid")
}

#[test]
fn a_module_is_spliced_in_with_prefixed_ids_and_its_own_wording() {
    let questionnaire = load();
    let ids: Vec<&str> = questionnaire.items().map(|item| item.id.as_str()).collect();
    assert_eq!(ids, vec!["meds", "mood.intro", "mood.a", "mood.b"]);
    let section = &questionnaire.sections[1];
    assert_eq!(section.id, "mood.s");
    assert_eq!(section.title, "Our title for the module");
    assert_eq!(
        section.intro.as_deref(),
        Some("Inner stem"),
        "the module's stem is kept verbatim"
    );
    assert_eq!(questionnaire.item("mood.a").expect("a").text, "A?");
    assert_eq!(questionnaire.scores[0].id, "mood.total");
    assert_eq!(
        questionnaire
            .flags
            .iter()
            .filter(|f| f.id == "mood.high")
            .count(),
        1
    );
    let provenance = questionnaire
        .provenance
        .as_ref()
        .expect("module provenance travels");
    assert_eq!(provenance.modules[0].instrument, "inner@2.1");
    assert_eq!(provenance.modules[0].provenance.licence, "test licence");
}

#[test]
fn module_scores_are_that_instruments_and_visibility_follows_renamed_conditions() {
    let questionnaire = std::sync::Arc::new(load());
    let mut session = Session::new(questionnaire);
    session
        .set_answer("mood.a", Some(AnswerValue::Text("0".into())))
        .expect("valid");
    assert!(!session.is_visible("mood.b"), "b shows only when a is 1");
    session
        .set_answer("mood.a", Some(AnswerValue::Text("1".into())))
        .expect("valid");
    assert!(session.is_visible("mood.b"));
    session
        .set_answer("mood.b", Some(AnswerValue::Text("1".into())))
        .expect("valid");
    let response = session.response(Status::Completed, Timestamps::default());
    let score = &response.scores[0];
    assert_eq!(score.id, "mood.total");
    assert_eq!(score.instrument, "inner@2.1");
    assert_eq!(score.value, 2.0);
    assert_eq!(score.band.as_deref(), Some("High"));
    assert!(response.flags.iter().any(|f| f.id == "mood.high"));
    assert!(kapforms_core::verify(session.questionnaire(), &response).is_consistent());
}

#[test]
fn module_problems_are_refused_with_their_path() {
    let error = Questionnaire::from_json_with(&host("missing").to_string(), &resolver)
        .expect_err("unknown");
    assert!(error
        .diagnostics()
        .iter()
        .any(|d| d.path == "sections[1].module"
            && d.message.contains("no instrument is called `missing`")));
    let error =
        Questionnaire::from_json_with(&host("loop").to_string(), &resolver).expect_err("cycle");
    assert!(
        error
            .diagnostics()
            .iter()
            .any(|d| d.message.contains("embeds itself")),
        "{error}"
    );
    let error = Questionnaire::from_json(&host("inner").to_string()).expect_err("no resolver");
    assert!(error
        .diagnostics()
        .iter()
        .any(|d| d.path == "sections[1].module"));
}

fn rows(names: &[&str]) -> AnswerValue {
    AnswerValue::Rows(
        names
            .iter()
            .map(|name| {
                LiteMap::from_iter([("name".to_owned(), AnswerValue::Text((*name).to_owned()))])
            })
            .collect(),
    )
}

#[test]
fn medication_rows_raise_class_flags_with_the_names_that_matched() {
    let questionnaire = load();
    let answers = LiteMap::from_iter([(
        "meds".to_owned(),
        rows(&["Xanax 0.5 mg", "sertraline", "Vitamin D"]),
    )]);
    let evaluation = Evaluation::of(&questionnaire, &answers);
    let benzo = evaluation
        .flags
        .iter()
        .find(|f| f.id == "benzo")
        .expect("benzodiazepine flag");
    assert_eq!(benzo.details, vec!["Xanax 0.5 mg"]);
    let unknown = evaluation
        .flags
        .iter()
        .find(|f| f.id == "unknown_meds")
        .expect("unrecognised");
    assert_eq!(unknown.details, vec!["sertraline", "Vitamin D"]);
    let answers = LiteMap::from_iter([("meds".to_owned(), rows(&["sertraline"]))]);
    let evaluation = Evaluation::of(&questionnaire, &answers);
    assert!(!evaluation.flags.iter().any(|f| f.id == "benzo"));
}

#[test]
fn repeating_group_rows_are_checked_and_incomplete_rows_are_missing() {
    let mut session = Session::new(std::sync::Arc::new(load()));
    let too_many = rows(&["a", "b", "c", "d"]);
    assert!(
        session.set_answer("meds", Some(too_many)).is_err(),
        "max_rows is 3"
    );
    let stray: AnswerValue =
        serde_json::from_value(json!([{"name": "x", "colour": "red"}])).expect("rows");
    let error = session
        .set_answer("meds", Some(stray))
        .expect_err("unknown field");
    assert!(error.message.contains("`colour` is not a field"), "{error}");
    // A row with a dose but no name is kept (the patient is typing) but counts as missing.
    let partial: AnswerValue = serde_json::from_value(json!([{"dose": "10 mg"}])).expect("rows");
    session
        .set_answer("meds", Some(partial))
        .expect("partial rows are kept");
    assert!(session
        .missing_required()
        .iter()
        .any(|item| item.id == "meds"));
    let complete: AnswerValue =
        serde_json::from_value(json!([{"name": "lamotrigine", "dose": "100 mg"}])).expect("rows");
    session.set_answer("meds", Some(complete)).expect("valid");
    assert!(!session
        .missing_required()
        .iter()
        .any(|item| item.id == "meds"));
    let response = session.response(Status::InProgress, Timestamps::default());
    let text = response.to_json();
    assert!(
        text.contains(r#""meds":[{"dose":"100 mg","name":"lamotrigine"}]"#),
        "{text}"
    );
    assert_eq!(
        kapforms_core::Response::from_json(&text).expect("round trip"),
        response
    );
}

#[test]
fn repeating_group_definitions_are_validated() {
    let mut bad = host("inner");
    bad["sections"][0]["items"][0]["fields"][1]["id"] = json!("name");
    bad["sections"][0]["items"][0]["fields"]
        .as_array_mut()
        .expect("fields")
        .push(json!({"id": "sub", "type": "repeating_group", "text": "Nested", "fields": []}));
    let error = Questionnaire::from_json_with(&bad.to_string(), &resolver).expect_err("invalid");
    let paths: Vec<String> = error.diagnostics().iter().map(|d| d.path.clone()).collect();
    assert!(
        paths.contains(&"sections[0].items[0].fields[1].id".to_owned()),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"sections[0].items[0].fields[2].type".to_owned()),
        "{paths:?}"
    );
    let mut bad = host("inner");
    bad["flags"][0]["when"]["medication_class"]["class"] = json!("antihistamines");
    let error = Questionnaire::from_json_with(&bad.to_string(), &resolver).expect_err("class");
    assert!(error
        .diagnostics()
        .iter()
        .any(|d| d.path == "flags[0].when.medication_class.class"));
}
