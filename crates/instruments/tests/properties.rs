//! Property tests over every built-in instrument: random complete answers give every score a
//! value within its declared range; raising a single answer that a sum score counts without
//! reversing never lowers that score; responses and definitions round-trip through JSON exactly.

use kapforms_core::LiteMap;
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

fn answers(questionnaire: &Questionnaire, picks: &[u32]) -> LiteMap<String, AnswerValue> {
    questionnaire
        .items()
        .zip(picks.iter().cycle())
        .filter_map(|(item, pick)| {
            answer_for(questionnaire, &item.id, *pick).map(|value| (item.id.clone(), value))
        })
        .collect()
}

fn session(questionnaire: &Arc<Questionnaire>, answers: &LiteMap<String, AnswerValue>) -> Session {
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
            // Written by hand (`Response::to_value`) exactly as serde's writer writes it.
            prop_assert_eq!(&text, &serde_json::to_string(&response).expect("JSON"));
            let back = Response::from_json(&text).expect("parses");
            prop_assert_eq!(&back, &response);
            prop_assert_eq!(back.to_json(), text);
        }
    }
}

/// Every built-in that has a translation, with a clinic's threshold values set (each halfway
/// through its range, so that they differ from the defaults), and its Spanish wording.
fn translated() -> Vec<(Arc<Questionnaire>, Arc<Questionnaire>)> {
    kapforms_instruments::ids()
        .filter_map(|id| {
            let worded =
                kapforms_instruments::translations::load_in(id, "es")?.expect("valid translation");
            let definition = kapforms_instruments::load(id)?.expect("valid");
            let values: kapforms_core::definition::ThresholdValues = definition
                .thresholds
                .iter()
                .map(|threshold| (threshold.id.clone(), (threshold.min + threshold.max) / 2.0))
                .collect();
            let definition = definition.with_thresholds(&values).expect("in range");
            Some((Arc::new(definition), Arc::new(worded.questionnaire)))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// A translation's responses, built from the live evaluation relabelled (what the patient's
    /// bundle does, `Session::reworded_in_texts`), are those the definition gives when its
    /// answers are evaluated again from the start (`Session::reworded`); and the FHIR form of
    /// a response written from the response itself (`questionnaire_response_as_built`, what
    /// `kap-submit` sends) is the one written by evaluating its answers again.
    #[test]
    fn a_translations_response_and_its_fhir_form_equal_the_definitions(
        picks in prop::collection::vec(any::<u32>(), 1..64),
        complete in any::<bool>(),
    ) {
        let translated = translated();
        prop_assert!(translated.len() >= 3, "the built-ins with a Spanish translation");
        let stamp = Timestamps {
            started_at: None,
            updated_at: "2026-11-28T09:05:00.000Z".into(),
            completed_at: complete.then(|| "2026-11-28T09:05:00.000Z".into()),
        };
        let status = if complete { Status::Completed } else { Status::InProgress };
        for (definition, wording) in &translated {
            let english = session(definition, &answers(definition, &picks));
            let again = english.reworded(Arc::clone(wording), "es").expect("a rewording");
            let live = english.reworded_in_texts(Arc::clone(wording), "es").expect("texts only");
            let response = live.response(status, stamp.clone());
            prop_assert_eq!(&response, &again.response(status, stamp.clone()), "{}", definition.id);
            prop_assert_eq!(
                kapforms_core::fhir::questionnaire_response_as_built(definition, &response),
                kapforms_core::fhir::questionnaire_response(definition, &response),
                "{}", definition.id
            );
        }
        for definition in instruments() {
            let response = session(&definition, &answers(&definition, &picks)).response(status, stamp.clone());
            prop_assert_eq!(
                kapforms_core::fhir::questionnaire_response_as_built(&definition, &response),
                kapforms_core::fhir::questionnaire_response(&definition, &response),
                "{}", definition.id
            );
        }
    }
}

/// A translation's responses carry the definition's labels of scores and raised flags, not the
/// wording's (the built-ins' translations leave flag labels in English today; a translated
/// one must not reach the clinician's record).
#[test]
fn a_translations_response_carries_the_definitions_labels() {
    let definition = Arc::new(
        kapforms_instruments::load("phq9")
            .expect("built in")
            .expect("valid"),
    );
    let mut wording = kapforms_instruments::translations::load_in("phq9", "es")
        .expect("translated")
        .expect("valid")
        .questionnaire;
    for flag in &mut wording.flags {
        flag.label = format!("(es) {}", flag.label);
    }
    for score in &mut wording.scores {
        score.label = format!("(es) {}", score.label);
    }
    let wording = Arc::new(wording);
    let english = (0..8)
        .map(|pick| session(&definition, &answers(&definition, &[pick])))
        .find(|session| !session.flags().is_empty())
        .expect("some answers raise the PHQ-9's flag");
    let stamp = Timestamps {
        started_at: None,
        updated_at: "2026-11-28T09:05:00.000Z".into(),
        completed_at: None,
    };
    let expected = english.response(Status::InProgress, stamp.clone());
    let translated = english
        .reworded_in_texts(wording, "es")
        .expect("texts only");
    assert!(
        translated.flags()[0].label.starts_with("(es) "),
        "shown as worded"
    );
    let mut response = translated.response(Status::InProgress, stamp);
    assert_eq!(response.language.as_deref(), Some("es"));
    response.language = expected.language.clone();
    assert_eq!(response, expected);
}

/// A wording that scores or flags otherwise than its definition is refused by
/// `reworded_in_texts` (its responses would not be the definition's).
#[test]
fn a_wording_with_other_rules_is_refused_for_the_live_evaluation() {
    let (definition, wording) = translated().into_iter().next().expect("a translation");
    let english = session(&definition, &LiteMap::new());
    let mut fewer_scores = (*wording).clone();
    fewer_scores.scores.pop();
    let mut renamed_flag = (*wording).clone();
    renamed_flag.flags[0].id.push_str("_other");
    for other in [fewer_scores, renamed_flag] {
        let refused = english.reworded_in_texts(Arc::new(other), "es");
        assert!(refused.is_err(), "{}", definition.id);
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

/// The definitions the incremental evaluation is checked on: every built-in (the intake has
/// `enable_when` chains, repeating groups, modules, a withheld skeleton and thresholds), the
/// intake with a clinic's thresholds, and a generated form of `enable_when` chains with
/// overlapping scores and flags on answers and scores.
fn incremental_cases() -> Vec<Arc<Questionnaire>> {
    static LOADED: std::sync::OnceLock<Vec<Arc<Questionnaire>>> = std::sync::OnceLock::new();
    LOADED
        .get_or_init(|| {
            let mut cases = instruments();
            let intake = kapforms_instruments::load("intake")
                .expect("built in")
                .expect("valid");
            let thresholds: LiteMap<String, f64> = intake
                .thresholds
                .iter()
                .map(|threshold| (threshold.id.clone(), threshold.max))
                .collect();
            cases.push(Arc::new(
                intake.with_thresholds(&thresholds).expect("in range"),
            ));
            cases.push(Arc::new(
                Questionnaire::from_json(&chained_definition(60)).expect("valid"),
            ));
            cases
        })
        .clone()
}

/// A generated form of `items` single-choice items in three sections, where every fifth item
/// is shown only while an earlier one scores at least 1 (chains of visibility), two sum
/// scores (all items; the odd ones, prorated) and a mean, and flags on an answer and on a
/// score.
fn chained_definition(items: usize) -> String {
    let item = |i: usize| {
        let mut json = serde_json::json!({
            "id": format!("q{i}"), "type": "single_choice", "required": i % 3 != 0,
            "options": "frequency", "text": format!("Question {i}"),
        });
        if i % 5 == 0 && i > 1 {
            json["enable_when"] = serde_json::json!({"any": [
                {"answer": {"item": format!("q{}", i - 1), "score_at_least": 1}},
                {"answer": {"item": format!("q{}", i / 2), "one_of": ["3"]}},
            ]});
        }
        json
    };
    let per_section = items.div_ceil(3);
    let sections: Vec<serde_json::Value> = (0..3)
        .map(|s| {
            let members: Vec<serde_json::Value> = (1..=items)
                .skip(s * per_section)
                .take(per_section)
                .map(item)
                .collect();
            serde_json::json!({"id": format!("s{s}"), "title": format!("Part {s}"), "items": members})
        })
        .collect();
    let all: Vec<String> = (1..=items).map(|i| format!("q{i}")).collect();
    let odd: Vec<String> = (1..=items).step_by(2).map(|i| format!("q{i}")).collect();
    serde_json::json!({
        "format": "kapforms-definition", "schema_version": 1, "id": "chained", "version": "1.0.0",
        "title": "Generated chains",
        "option_sets": {"frequency": [
            {"value": "0", "label": "Not at all", "score": 0},
            {"value": "1", "label": "Several days", "score": 1},
            {"value": "2", "label": "More than half the days", "score": 2.5},
            {"value": "3", "label": "Nearly every day", "score": 3.1},
        ]},
        "sections": sections,
        "scores": [
            {"id": "total", "label": "Total", "method": "sum", "items": all},
            {"id": "odd", "label": "Odd", "method": "sum", "items": odd,
             "missing": {"prorate_up_to": 5, "citation": "A published rule, 2001"}},
            {"id": "mean", "label": "Mean", "method": "mean", "items": all, "reverse": ["q2"]},
        ],
        "flags": [
            {"id": "high", "label": "High total", "severity": "monitor",
             "when": {"score": {"score": "odd", "at_least": 20}}},
            {"id": "q7", "label": "Item 7", "severity": "safety",
             "when": {"answer": {"item": "q7", "score_at_least": 1}}},
        ],
        "running_total": "total",
    })
    .to_string()
}

/// Checks everything a session says incrementally against a full evaluation of its answers.
fn check_against_full(
    questionnaire: &Questionnaire,
    session: &Session,
) -> Result<(), TestCaseError> {
    let full = Evaluation::of(questionnaire, session.answers());
    prop_assert_eq!(session.evaluation(), &full, "{}", questionnaire.id);
    prop_assert_eq!(session.flags(), full.flags.as_slice());
    prop_assert_eq!(session.has_safety_flag(), full.has_safety_flag());
    for item in questionnaire.items() {
        prop_assert_eq!(
            session.is_visible(&item.id),
            full.visible.contains(&item.id)
        );
    }
    for score in &full.scores {
        let progress = session.score_progress(&score.id).expect("a score");
        prop_assert_eq!(
            progress.value.to_bits(),
            score.value.to_bits(),
            "{}",
            score.id
        );
        prop_assert_eq!(progress.complete, score.is_complete());
        prop_assert_eq!(&progress.band, &score.band);
        prop_assert_eq!((progress.min, progress.max), (score.min, score.max));
    }
    // Missing answers, decided afresh from the full evaluation's visibility.
    let missing: Vec<&str> = questionnaire
        .items()
        .filter(|item| full.visible.contains(&item.id))
        .filter(|item| {
            let answer = session.answers().get(&item.id);
            match (&item.kind, answer) {
                (ItemKind::RepeatingGroup { fields, .. }, Some(AnswerValue::Rows(rows))) => rows
                    .iter()
                    .filter(|row| !row.values().all(AnswerValue::is_empty))
                    .any(|row| {
                        fields
                            .iter()
                            .filter(|field| field.required)
                            .any(|field| row.get(&field.id).is_none_or(AnswerValue::is_empty))
                    }),
                _ => item.required && answer.is_none(),
            }
        })
        .map(|item| item.id.as_str())
        .collect();
    let said: Vec<&str> = session
        .missing_required()
        .iter()
        .map(|item| item.id.as_str())
        .collect();
    prop_assert_eq!(&said, &missing);
    prop_assert_eq!(session.is_complete(), missing.is_empty());
    for (index, section) in questionnaire.sections.iter().enumerate() {
        prop_assert_eq!(
            session.is_section_visible(index),
            section
                .items
                .iter()
                .any(|item| full.visible.contains(&item.id))
        );
        let in_section: Vec<&str> = session
            .missing_required_in(index)
            .iter()
            .map(|item| item.id.as_str())
            .collect();
        let expected: Vec<&str> = missing
            .iter()
            .copied()
            .filter(|id| section.items.iter().any(|item| item.id == *id))
            .collect();
        prop_assert_eq!(in_section, expected);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Answer by answer (set, changed, cleared, in random order), what a session keeps up to
    /// date incrementally equals a full evaluation of its answers, exactly.
    #[test]
    fn an_incremental_evaluation_equals_a_full_one(
        steps in prop::collection::vec((any::<prop::sample::Index>(), any::<u32>(), 0u8..6), 1..80),
    ) {
        for questionnaire in incremental_cases() {
            let items: Vec<&Item> = questionnaire.items().filter(|item| item.kind.takes_answer()).collect();
            let mut session = Session::new(questionnaire.clone());
            for (which, pick, action) in &steps {
                let item = items[which.index(items.len())];
                let value = if *action == 0 { None } else { answer_for_item(&questionnaire, item, *pick) };
                // Some generated answers do not fit (a date that does not exist): refused,
                // and the session stays as it was.
                let _ = session.set_answer(&item.id, value);
                check_against_full(&questionnaire, &session)?;
            }
        }
    }
}
