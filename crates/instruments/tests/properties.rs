//! Property tests over every built-in instrument: random complete answers give every score a
//! value within its declared range; raising a single answer that a sum score counts without
//! reversing never lowers that score; responses and definitions round-trip through JSON exactly.

use std::collections::BTreeMap;
use std::sync::Arc;

use kapforms_core::{
    AnswerValue, Evaluation, Item, ItemKind, Questionnaire, Response, Session, Status, Timestamps,
};
use proptest::prelude::*;

/// Every built-in instrument, loaded once for all cases.
fn instruments() -> Vec<Arc<Questionnaire>> {
    static LOADED: std::sync::OnceLock<Vec<Arc<Questionnaire>>> = std::sync::OnceLock::new();
    LOADED
        .get_or_init(|| {
            kapforms_instruments::ids()
                .map(|id| {
                    Arc::new(
                        kapforms_instruments::load(id)
                            .expect("built in")
                            .expect("valid"),
                    )
                })
                .collect()
        })
        .clone()
}

/// A valid answer to `item`, chosen by `pick`.
fn answer_for(questionnaire: &Questionnaire, item_id: &str, pick: u32) -> Option<AnswerValue> {
    answer_for_item(questionnaire, questionnaire.item(item_id)?, pick)
}

/// A valid answer to `item` (a question or a repeating group's field), chosen by `pick`.
fn answer_for_item(questionnaire: &Questionnaire, item: &Item, pick: u32) -> Option<AnswerValue> {
    let options = questionnaire.options_of(item);
    let pick = pick as usize;
    match &item.kind {
        ItemKind::SingleChoice { .. } => Some(AnswerValue::Text(
            options[pick % options.len()].value.clone(),
        )),
        ItemKind::MultipleChoice { .. } => Some(AnswerValue::Choices(
            options
                .iter()
                .enumerate()
                .filter(|(index, _)| pick >> (index % 31) & 1 == 1)
                .map(|(_, option)| option.value.clone())
                .collect(),
        )),
        ItemKind::YesNo { .. } => Some(AnswerValue::Bool(pick % 2 == 1)),
        ItemKind::Integer { min, max, .. } => {
            let low = min.unwrap_or(0);
            let high = max.unwrap_or(low + 100);
            let span = u64::try_from(high - low).unwrap_or(0) + 1;
            Some(AnswerValue::Integer(
                low + i64::try_from(pick as u64 % span).unwrap_or(0),
            ))
        }
        ItemKind::ShortText { .. } | ItemKind::LongText { .. } => {
            Some(AnswerValue::Text(format!("text {pick}")))
        }
        ItemKind::Date => Some(AnswerValue::Text(format!(
            "20{:02}-0{}-1{}",
            pick % 100,
            pick % 9 + 1,
            pick % 9
        ))),
        ItemKind::Display => None,
        ItemKind::RepeatingGroup { fields, max_rows } => {
            let rows = (pick % 3).min(max_rows.map_or(3, |limit| limit as usize));
            Some(AnswerValue::Rows(
                (0..rows)
                    .map(|row| {
                        fields
                            .iter()
                            .filter_map(|field| {
                                answer_for_item(questionnaire, field, (pick + row) as u32)
                                    .map(|value| (field.id.clone(), value))
                            })
                            .collect()
                    })
                    .collect(),
            ))
        }
    }
}

fn answers(questionnaire: &Questionnaire, picks: &[u32]) -> BTreeMap<String, AnswerValue> {
    questionnaire
        .items()
        .zip(picks.iter().cycle())
        .filter_map(|(item, pick)| {
            answer_for(questionnaire, &item.id, *pick).map(|value| (item.id.clone(), value))
        })
        .collect()
}

fn session(questionnaire: &Arc<Questionnaire>, answers: &BTreeMap<String, AnswerValue>) -> Session {
    Session::with_answers(questionnaire.clone(), answers.clone())
        .unwrap_or_else(|e| panic!("{}: {e}", questionnaire.id))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn scores_stay_within_their_range(picks in prop::collection::vec(any::<u32>(), 1..64)) {
        for questionnaire in instruments() {
            let session = session(&questionnaire, &answers(&questionnaire, &picks));
            for score in &session.evaluation().scores {
                prop_assert!(
                    score.value >= score.min - 1e-9 && score.value <= score.max + 1e-9,
                    "{}: {} = {} outside {}..{}", questionnaire.id, score.id, score.value, score.min, score.max
                );
            }
        }
    }

    #[test]
    fn raising_one_counted_answer_never_lowers_a_sum(
        picks in prop::collection::vec(any::<u32>(), 1..64),
        which in any::<prop::sample::Index>(),
    ) {
        for questionnaire in instruments() {
            let base = answers(&questionnaire, &picks);
            for rule in questionnaire.scores.iter().filter(|r| r.method == kapforms_core::scoring::ScoreMethod::Sum) {
                let candidates: Vec<&String> =
                    rule.items.iter().filter(|id| !rule.reverse.contains(id)).collect();
                if candidates.is_empty() {
                    continue;
                }
                let item_id = candidates[which.index(candidates.len())];
                let item = questionnaire.item(item_id).expect("item");
                let ItemKind::SingleChoice { .. } = item.kind else { continue };
                let options = questionnaire.options_of(item);
                // Scores straight from the answers: building a session answer by answer
                // re-evaluates after each one, which the long built-ins make slow.
                let before = Evaluation::of(&questionnaire, &base);
                let current = match base.get(item_id.as_str()) {
                    Some(AnswerValue::Text(code)) => code.clone(),
                    _ => continue,
                };
                let current_score = options.iter().find(|o| o.value == current).and_then(|o| o.score);
                for option in options {
                    if option.score < current_score {
                        continue;
                    }
                    let mut raised = base.clone();
                    raised.insert(item_id.clone(), AnswerValue::Text(option.value.clone()));
                    let after = Evaluation::of(&questionnaire, &raised);
                    let value = |e: &Evaluation| {
                        e.scores.iter().find(|x| x.id == rule.id).map(|x| x.value)
                    };
                    prop_assert!(
                        value(&after) >= value(&before),
                        "{}: raising {} to {} lowered {}", questionnaire.id, item_id, option.value, rule.id
                    );
                }
            }
        }
    }

    #[test]
    fn responses_round_trip_through_json(picks in prop::collection::vec(any::<u32>(), 1..64), complete in any::<bool>()) {
        for questionnaire in instruments() {
            let session = session(&questionnaire, &answers(&questionnaire, &picks));
            let status = if complete { Status::Completed } else { Status::InProgress };
            let response = session.response(status, Timestamps {
                started_at: Some("2026-11-27T09:00:00.000Z".into()),
                updated_at: "2026-11-27T09:05:00.000Z".into(),
                completed_at: complete.then(|| "2026-11-27T09:05:00.000Z".into()),
            });
            let text = response.to_json();
            let back = Response::from_json(&text).expect("parses");
            prop_assert_eq!(&back, &response);
            prop_assert_eq!(back.to_json(), text);
        }
    }
}

#[test]
fn definitions_round_trip_through_json() {
    for questionnaire in instruments() {
        let text = serde_json::to_string(&*questionnaire).expect("serializes");
        let back = Questionnaire::from_json(&text).expect("parses");
        assert_eq!(back, *questionnaire);
        assert_eq!(back.content_hash(), questionnaire.content_hash());
    }
}
