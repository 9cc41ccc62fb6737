//! Criterion benchmarks of the scoring core, run by `cargo xtask bench` (or `cargo bench -p
//! kapforms-core --bench scoring`). Group `phq9` times the steps a host or the widget takes
//! with the real PHQ-9 definition: parsing (and validating) it, evaluating a full answer set,
//! building and serializing a response, reading a stored response back, and `verify`. Group
//! `per_answer` times one changed answer on generated single-choice questionnaires of 50,
//! 500 and 2000 items with a sum score, to show how the cost of a click grows with the size
//! of the form: `set_answer` is the session's incremental update alone (flat in N),
//! `widget_step` what the widget does in core before the page shows the click (set the answer
//! in place, read the running total), `change_event` what it does just after (build and
//! serialize the `kap-change` response, which holds every answer and so grows with N), and
//! `full_evaluation` a whole evaluation of the answers (what every answer cost before
//! evaluations were incremental). The PHQ-9 definition is read at compile time from the
//! instruments crate's folder, so the core does not depend on kapforms-instruments.

use kapforms_core::LiteMap;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion};
use kapforms_core::{verify, AnswerValue, Evaluation, Questionnaire, Response, Session};
use kapforms_core::{Status, Timestamps};

/// The built-in PHQ-9 definition, as shipped.
const PHQ9: &str = include_str!("../../instruments/definitions/phq9.json");

/// The sizes of the generated questionnaires of the `per_answer` group.
const SIZES: [usize; 3] = [50, 500, 2000];

fn main() {
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    phq9(&mut criterion);
    per_answer(&mut criterion);
    criterion.final_summary();
}

/// A PHQ-9 answer set with every item answered (total 11, item 9 above zero).
fn phq9_answers() -> LiteMap<String, AnswerValue> {
    let scores = ["2", "2", "1", "2", "1", "1", "1", "0", "1"];
    let mut answers: LiteMap<String, AnswerValue> = scores
        .iter()
        .enumerate()
        .map(|(i, value)| (format!("phq9_{}", i + 1), text(value)))
        .collect();
    answers.insert("phq9_difficulty".to_owned(), text("somewhat"));
    answers
}

fn text(value: &str) -> AnswerValue {
    AnswerValue::Text(value.to_owned())
}

fn timestamps(completed: bool) -> Timestamps {
    let at = "2026-11-20T09:06:41.000Z".to_owned();
    Timestamps {
        started_at: Some("2026-11-20T09:00:00.000Z".to_owned()),
        updated_at: at.clone(),
        completed_at: completed.then_some(at),
    }
}

/// A session of `questionnaire` with `answers` set through [`Session::set_answer`].
fn session_with(
    questionnaire: Arc<Questionnaire>,
    answers: &LiteMap<String, AnswerValue>,
) -> Session {
    let mut session = Session::new(questionnaire);
    for (id, value) in answers {
        session
            .set_answer(id, Some(value.clone()))
            .expect("the bench's answers fit the definition");
    }
    session
}

fn phq9(c: &mut Criterion) {
    let questionnaire = Arc::new(Questionnaire::from_json(PHQ9).expect("PHQ-9 is valid"));
    let answers = phq9_answers();
    let session = session_with(Arc::clone(&questionnaire), &answers);
    let response = session.response(Status::Completed, timestamps(true));
    let response_json = response.to_json();

    let mut group = c.benchmark_group("phq9");
    group.bench_function("parse_definition", |b| {
        b.iter(|| Questionnaire::from_json(black_box(PHQ9)))
    });
    group.bench_function("evaluate_answers", |b| {
        b.iter(|| Evaluation::of(black_box(&questionnaire), black_box(&answers)))
    });
    group.bench_function("build_and_serialize_response", |b| {
        b.iter(|| {
            black_box(&session)
                .response(Status::Completed, timestamps(true))
                .to_json()
        })
    });
    group.bench_function("parse_response", |b| {
        b.iter(|| Response::from_json(black_box(&response_json)))
    });
    group.bench_function("verify", |b| {
        b.iter(|| verify(black_box(&questionnaire), black_box(&response)))
    });
    group.finish();
}

/// The JSON text of a questionnaire of `items` required single-choice items (four options
/// scored 0–3, from one option set) and one sum score over all of them.
fn generated_definition(items: usize) -> String {
    let ids: Vec<String> = (1..=items).map(|i| format!("q{i}")).collect();
    let item_json: Vec<String> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            format!(
                r#"{{"id":"{id}","type":"single_choice","required":true,"options":"frequency","text":"Generated question number {} of the benchmark form"}}"#,
                i + 1
            )
        })
        .collect();
    let id_list: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
    let options = [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]
    .iter()
    .enumerate()
    .map(|(score, label)| format!(r#"{{"value":"{score}","label":"{label}","score":{score}}}"#))
    .collect::<Vec<_>>()
    .join(",");
    format!(
        r#"{{"format":"kapforms-definition","schema_version":1,"id":"bench{items}","version":"1.0.0","title":"Generated {items}-item form","option_sets":{{"frequency":[{options}]}},"sections":[{{"id":"all","title":"All items","items":[{items_json}]}}],"scores":[{{"id":"total","label":"Total","method":"sum","items":[{ids}]}}]}}"#,
        items_json = item_json.join(","),
        ids = id_list.join(","),
    )
}

fn per_answer(c: &mut Criterion) {
    let mut group = c.benchmark_group("per_answer");
    // Fewer samples than the default 100: one answer on 2000 items takes milliseconds.
    group.sample_size(20);
    for items in SIZES {
        let questionnaire = Arc::new(
            Questionnaire::from_json(&generated_definition(items))
                .expect("the generated definition is valid"),
        );
        let answers: LiteMap<String, AnswerValue> =
            (1..=items).map(|i| (format!("q{i}"), text("1"))).collect();
        let base = session_with(Arc::clone(&questionnaire), &answers);
        // The item that changes: the middle one, so a linear search costs an average amount.
        let changed = format!("q{}", items / 2);

        let mut session = base.clone();
        let mut flip = false;
        group.bench_with_input(
            BenchmarkId::new("set_answer", items),
            &changed,
            |b, changed| {
                b.iter(|| {
                    flip = !flip;
                    let value = text(if flip { "2" } else { "1" });
                    session.set_answer(black_box(changed), Some(value))
                })
            },
        );

        let mut session = base.clone();
        let mut flip = false;
        group.bench_with_input(
            BenchmarkId::new("widget_step", items),
            &changed,
            |b, changed| {
                b.iter(|| {
                    flip = !flip;
                    let value = text(if flip { "2" } else { "1" });
                    session
                        .set_answer(black_box(changed), Some(value))
                        .map(|()| session.score_progress("total").map(|total| total.value))
                })
            },
        );

        let mut session = base.clone();
        let mut flip = false;
        group.bench_with_input(
            BenchmarkId::new("change_event", items),
            &changed,
            |b, changed| {
                b.iter(|| {
                    flip = !flip;
                    let value = text(if flip { "2" } else { "1" });
                    session
                        .set_answer(black_box(changed), Some(value))
                        .map(|()| {
                            session
                                .response(Status::InProgress, timestamps(false))
                                .to_json()
                        })
                })
            },
        );

        group.bench_with_input(
            BenchmarkId::new("full_evaluation", items),
            &answers,
            |b, answers| b.iter(|| Evaluation::of(black_box(&questionnaire), black_box(answers))),
        );
    }
    group.finish();
}
