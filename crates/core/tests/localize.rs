//! Rewording a questionnaire (a translation) and switching a running session to it: every
//! piece of wording has a key, a translation replaces text and nothing else, and a session
//! keeps its answers and builds the same response in any wording, apart from the language.

use std::sync::Arc;

use kapforms_core::definition::TextPack;
use kapforms_core::localize::wording;
use kapforms_core::{AnswerValue, Questionnaire, Session, Status, Timestamps};
use serde_json::json;

fn definition() -> Questionnaire {
    let text = json!({
        "format": "kapforms-definition", "schema_version": 1, "id": "mood", "version": "1",
        "title": "Mood", "description": "Two questions.",
        "option_sets": {"freq": [
            {"value": "0", "label": "Not at all", "score": 0},
            {"value": "1", "label": "Often", "score": 1}
        ]},
        "sections": [{"id": "s", "title": "Lately", "intro": "How often?", "items": [
            {"id": "q1", "type": "single_choice", "text": "Low mood", "options": "freq", "required": true},
            {"id": "q2", "type": "single_choice", "text": "Sleep", "help": "Any night", "options": [
                {"value": "a", "label": "Fine", "score": 0}, {"value": "b", "label": "Poor", "score": 1}
            ]},
            {"id": "weight", "type": "integer", "text": "Weight", "unit": "kg"},
            {"id": "meds", "type": "repeating_group", "text": "Medicines", "fields": [
                {"id": "name", "type": "short_text", "text": "Name", "help": "As on the box"}
            ]}
        ]}],
        "scores": [{"id": "total", "label": "Total score", "method": "sum", "items": ["q1", "q2"],
            "bands": [{"min": 0, "max": 1, "label": "Low"}, {"min": 2, "max": 2, "label": "High"}]}]
    });
    Questionnaire::from_json(&text.to_string()).expect("valid definition")
}

fn spanish() -> TextPack {
    kapforms_core::definition::text_pack_from_value(json!({
        "@title": "Ánimo", "@description": "Dos preguntas.",
        "@section:s": "Últimamente", "@intro:s": "¿Con qué frecuencia?",
        "@options:freq/0": "Nunca", "@options:freq/1": "A menudo",
        "q1": "Ánimo bajo", "q2": "Sueño", "q2#help": "Cualquier noche",
        "q2/a": "Bien", "q2/b": "Mal",
        "weight": "Peso", "weight#unit": "kg",
        "meds": "Medicamentos", "meds>name": "Nombre", "meds>name#help": "Como en la caja"
    }))
    .expect("pack")
}

#[test]
fn every_piece_of_wording_has_a_key() {
    let keys: Vec<String> = wording(&definition()).keys().cloned().collect();
    let expected: Vec<String> = spanish().keys().cloned().collect();
    assert_eq!(keys, expected);
}

#[test]
fn a_translation_replaces_wording_and_nothing_else() {
    let english = definition();
    let reworded = english.with_text_pack(&spanish()).expect("fits");
    assert_eq!(reworded.title, "Ánimo");
    assert_eq!(
        reworded.sections[0].intro.as_deref(),
        Some("¿Con qué frecuencia?")
    );
    let q1 = reworded.item("q1").expect("q1");
    assert_eq!(reworded.options_of(q1)[1].label, "A menudo");
    assert_eq!(
        reworded.item("q2").and_then(|i| i.help.as_deref()),
        Some("Cualquier noche")
    );
    assert!(wording(&reworded).values().all(|text| !wording(&english)
        .values()
        .any(|en| en == text && en != "kg")));
    // Structure and scoring are untouched.
    assert_eq!(reworded.scores, english.scores);
    assert_eq!(reworded.flags, english.flags);
    let ids = |q: &Questionnaire| q.items().map(|item| item.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&reworded), ids(&english));
}

#[test]
fn keys_that_name_nothing_are_refused_with_their_path() {
    let pack: TextPack = kapforms_core::definition::text_pack_from_value(json!({
        "@section:nope": "?", "@options:freq/9": "?", "q1#colour": "?", "meds>dose": "?", "@subtitle": "?"
    }))
    .expect("pack");
    let problems = definition()
        .with_text_pack(&pack)
        .expect_err("unknown keys");
    let paths: Vec<&str> = problems.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "text_pack.@options:freq/9",
            "text_pack.@section:nope",
            "text_pack.@subtitle",
            "text_pack.meds>dose",
            "text_pack.q1#colour"
        ]
    );
}

fn stamp() -> Timestamps {
    Timestamps {
        started_at: Some("2026-11-27T10:00:00.000Z".into()),
        updated_at: "2026-11-27T10:01:00.000Z".into(),
        completed_at: None,
    }
}

#[test]
fn a_reworded_session_keeps_answers_and_its_response_differs_only_in_language() {
    let english = Arc::new(definition());
    let spanish_wording = Arc::new(english.with_text_pack(&spanish()).expect("fits"));
    let mut session = Session::new(Arc::clone(&english)).with_language("en");
    session
        .set_answer("q1", Some(AnswerValue::Text("1".into())))
        .expect("answer");
    let english_response = session.response(Status::InProgress, stamp());

    let switched = session
        .reworded(Arc::clone(&spanish_wording), "es")
        .expect("same structure");
    assert_eq!(switched.answer("q1"), Some(&AnswerValue::Text("1".into())));
    assert_eq!(switched.questionnaire().title, "Ánimo");
    assert_eq!(switched.definition().title, "Mood");
    let spanish_response = switched.response(Status::InProgress, stamp());
    assert_eq!(english_response.language.as_deref(), Some("en"));
    assert_eq!(spanish_response.language.as_deref(), Some("es"));
    let mut without_language = spanish_response.clone();
    without_language.language = Some("en".into());
    assert_eq!(
        without_language, english_response,
        "scores keep the definition's labels"
    );
    assert_eq!(
        spanish_response.instrument.content_hash,
        english.content_hash()
    );

    // And back again: the definition is the English one, not the Spanish wording.
    let back = switched.reworded(Arc::clone(&english), "en").expect("back");
    assert_eq!(back.response(Status::InProgress, stamp()), english_response);
}

#[test]
fn a_wording_of_another_definition_is_refused() {
    let session = Session::new(Arc::new(definition()));
    let mut other = definition();
    other.version = "2".into();
    assert!(session.reworded(Arc::new(other), "es").is_err());
}

/// A session made with its definition's content hash (a built-in's, from its build) puts that
/// hash in every response, its reworded sessions too: the same responses as a session that
/// computes the hash itself, and what is given is what is reported (it is not recomputed).
#[test]
fn a_session_made_with_its_content_hash_reports_it() {
    let english = Arc::new(definition());
    let hash = english.content_hash();
    let given = Session::with_known_content_hash(Arc::clone(&english), &hash).with_language("en");
    let computed = Session::new(Arc::clone(&english)).with_language("en");
    assert_eq!(
        given.response(Status::InProgress, stamp()),
        computed.response(Status::InProgress, stamp())
    );
    let marked = Session::with_known_content_hash(Arc::clone(&english), "sha256:given");
    assert_eq!(marked.content_hash(), "sha256:given");
    let spanish_wording = Arc::new(english.with_text_pack(&spanish()).expect("fits"));
    let reworded = marked
        .reworded(spanish_wording, "es")
        .expect("same structure");
    assert_eq!(reworded.content_hash(), "sha256:given");
}

/// A session made with its known hash reports that hash from the start, and clearing the
/// answers (a patient's "clear my answers") keeps the hash, the wording and the language: the
/// cleared session's responses are those of a fresh session of the same definition.
#[test]
fn a_session_made_with_its_hash_keeps_it_and_clearing_keeps_hash_wording_and_language() {
    let english = Arc::new(definition());
    let known = Session::with_known_content_hash(Arc::clone(&english), "sha256:known");
    assert_eq!(known.content_hash(), "sha256:known");
    let spanish_wording = Arc::new(english.with_text_pack(&spanish()).expect("fits"));
    let mut reworded = known
        .reworded(Arc::clone(&spanish_wording), "es")
        .expect("same structure");
    reworded
        .set_answer("q1", Some(AnswerValue::Text("1".into())))
        .expect("fits");
    assert_eq!(reworded.answers().len(), 1);
    let cleared = reworded.cleared();
    assert!(cleared.answers().is_empty());
    assert_eq!(cleared.content_hash(), "sha256:known");
    assert!(Arc::ptr_eq(cleared.questionnaire(), &spanish_wording));
    let fresh = Session::with_known_content_hash(Arc::clone(&english), "sha256:known")
        .reworded(spanish_wording, "es")
        .expect("same structure");
    assert_eq!(
        cleared.response(Status::InProgress, stamp()),
        fresh.response(Status::InProgress, stamp())
    );
}
