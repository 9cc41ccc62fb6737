//! Fuzz target `definition`: arbitrary UTF-8 through `Questionnaire::from_json` (parse and
//! validate). A definition it accepts must also be usable: it round-trips through JSON, a
//! session takes a few answers drawn from the input bytes, and the response built from them
//! reads back and verifies as consistent. Any panic or failed check is a crash.

#![no_main]

use std::sync::Arc;

use kapforms_core::{
    verify, AnswerValue, ItemKind, Questionnaire, Response, Session, Status, Timestamps,
};
use libfuzzer_sys::fuzz_target;

/// A possible answer to `item`, chosen by `pick` (valid or not: the session checks).
fn answer(questionnaire: &Questionnaire, item: &kapforms_core::Item, pick: u8) -> AnswerValue {
    let options = questionnaire.options_of(item);
    let code = |n: u8| {
        options
            .get(usize::from(n) % options.len().max(1))
            .map_or_else(|| "x".to_owned(), |o| o.value.clone())
    };
    match (&item.kind, pick % 4) {
        (_, 3) => AnswerValue::Text(format!("free {pick}")),
        (ItemKind::SingleChoice { .. }, _) => AnswerValue::Text(code(pick)),
        (ItemKind::MultipleChoice { .. }, _) => {
            AnswerValue::Choices(vec![code(pick), code(pick / 2)])
        }
        (ItemKind::YesNo { .. }, _) => AnswerValue::Bool(pick.is_multiple_of(2)),
        (ItemKind::Integer { min, .. }, _) => {
            AnswerValue::Integer(min.unwrap_or(0).saturating_add(i64::from(pick / 4)))
        }
        (ItemKind::Date, _) => AnswerValue::Text(format!("2024-02-{:02}", pick % 31)),
        (ItemKind::RepeatingGroup { fields, .. }, _) => AnswerValue::Rows(
            fields
                .iter()
                .take(usize::from(pick % 3))
                .map(|field| {
                    let value = answer(questionnaire, field, pick / 3);
                    std::iter::once((field.id.clone(), value)).collect()
                })
                .collect(),
        ),
        _ => AnswerValue::Text("text".to_owned()),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(questionnaire) = Questionnaire::from_json(text) else {
        return;
    };
    let written = serde_json::to_string(&questionnaire).expect("an accepted definition serializes");
    let reread = Questionnaire::from_json(&written).expect("what was written reads back");
    assert_eq!(reread, questionnaire, "the definition round-trips");

    let questionnaire = Arc::new(questionnaire);
    let mut session = Session::new(questionnaire.clone());
    let ids: Vec<String> = questionnaire.items().map(|item| item.id.clone()).collect();
    for (index, pick) in data.iter().rev().take(16).enumerate() {
        let id = &ids[(index + usize::from(*pick)) % ids.len()];
        if let Some(item) = questionnaire.item(id) {
            let value = answer(&questionnaire, item, *pick);
            let _ = session.set_answer(id, Some(value));
        }
    }
    let response = session.response(
        Status::Completed,
        Timestamps {
            started_at: None,
            updated_at: "2026-01-01T00:00:00Z".to_owned(),
            completed_at: Some("2026-01-01T00:00:00Z".to_owned()),
        },
    );
    let json = response.to_json();
    let parsed = Response::from_json(&json)
        .unwrap_or_else(|d| panic!("a built response does not read back: {d}\n{json}"));
    let verification = verify(&questionnaire, &parsed);
    assert!(
        verification.is_consistent() && verification.content_hash_matches,
        "a built response does not verify: {:?}",
        verification.mismatches
    );
});
