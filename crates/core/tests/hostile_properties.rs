//! Property tests over random VALID definitions: random sections; items of every kind (with
//! repeating groups and their medication rules) with random options, option sets and scores;
//! `enable_when` on earlier items (alone or under `all`/`any`/`not`); sum, mean and count
//! scores with reversed items, factors, prorating rules and bands that exactly cover their
//! range; flags on answers, on scores and on medicines named in groups; and text full of
//! quotes, markup and non-ASCII. Random answers, valid and invalid, are given to a session.
//! Checked: the definition round-trips through JSON unchanged; a session takes exactly the
//! valid answers and refuses the others at `answers.<id>`; after each answer given or cleared,
//! the session's incrementally kept evaluation equals a full one; nothing panics; every complete
//! score lies within its range and has the band holding it (where hidden items and prorating
//! allow: see the comment in the test); the built response round-trips
//! through native JSON byte for byte; and `verify` finds it consistent, and finds a tampered
//! score or a dropped flag.

use std::sync::Arc;

use kapforms_core::scoring::{item_score_range, ScoreMethod};
use kapforms_core::{
    verify, AnswerValue, Evaluation, Mismatch, Questionnaire, Response, Session, Status, Timestamps,
};
use proptest::prelude::*;
use serde_json::{json, Value};

/// One item as drawn: which kind, and the raw numbers its details are picked from.
#[derive(Debug, Clone)]
struct ItemSpec {
    kind: u8,
    text: String,
    help: Option<String>,
    required: bool,
    /// Option scores (their count is the number of options, 1 to 5); halves allowed.
    option_scores: Vec<i8>,
    scored: bool,
    use_set: bool,
    yes_no: Option<(i8, i8)>,
    max_length: Option<u32>,
    range: (Option<i16>, Option<u8>),
    enable: Option<(u32, u8, u32, u8)>,
}

/// One score rule as drawn.
#[derive(Debug, Clone)]
struct ScoreSpec {
    method: u8,
    items: u64,
    reverse: u64,
    multiply: Option<i8>,
    threshold: i8,
    prorate: Option<u8>,
    cuts: Vec<u8>,
}

/// One flag rule as drawn.
#[derive(Debug, Clone)]
struct FlagSpec {
    on_score: bool,
    pick: u32,
    test: u8,
    bound: i16,
    wrap: u8,
    severity: u8,
}

/// A whole definition as drawn.
#[derive(Debug, Clone)]
struct Spec {
    title: String,
    sections: Vec<(String, Option<String>, Vec<ItemSpec>)>,
    scores: Vec<ScoreSpec>,
    flags: Vec<FlagSpec>,
    running_total: Option<u8>,
    provenance: Option<String>,
}

/// Text with quotes, backslashes, markup, control characters and non-ASCII.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "(?s).{0,12}",
        Just("<script>window.__pwned=1</script>".to_owned()),
        Just("\"'\\/\u{0}\u{1b}[31m".to_owned()),
        Just("Ünïcødé 問卷 \u{202e}RTL\u{202c} 🧠".to_owned()),
    ]
}

fn item_spec() -> impl Strategy<Value = ItemSpec> {
    (
        (
            0u8..9,
            hostile_text(),
            proptest::option::of(hostile_text()),
            any::<bool>(),
        ),
        (
            prop::collection::vec(-6i8..20, 1..6),
            any::<bool>(),
            any::<bool>(),
            proptest::option::of((-4i8..8, -4i8..8)),
        ),
        (
            proptest::option::of(1u32..40),
            (
                proptest::option::of(-50i16..50),
                proptest::option::of(0u8..40),
            ),
            proptest::option::of((any::<u32>(), any::<u8>(), any::<u32>(), any::<u8>())),
        ),
    )
        .prop_map(
            |(
                (kind, text, help, required),
                (option_scores, scored, use_set, yes_no),
                (max_length, range, enable),
            )| ItemSpec {
                kind,
                text,
                help,
                required,
                option_scores,
                scored,
                use_set,
                yes_no,
                max_length,
                range,
                enable,
            },
        )
}

fn score_spec() -> impl Strategy<Value = ScoreSpec> {
    (
        0u8..3,
        any::<u64>(),
        any::<u64>(),
        proptest::option::of(-3i8..5),
        -2i8..8,
        proptest::option::of(any::<u8>()),
        prop::collection::vec(any::<u8>(), 0..4),
    )
        .prop_map(
            |(method, items, reverse, multiply, threshold, prorate, cuts)| ScoreSpec {
                method,
                items,
                reverse,
                multiply,
                threshold,
                prorate,
                cuts,
            },
        )
}

fn flag_spec() -> impl Strategy<Value = FlagSpec> {
    (
        any::<bool>(),
        any::<u32>(),
        any::<u8>(),
        -20i16..60,
        0u8..4,
        0u8..5,
    )
        .prop_map(|(on_score, pick, test, bound, wrap, severity)| FlagSpec {
            on_score,
            pick,
            test,
            bound,
            wrap,
            severity,
        })
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        hostile_text(),
        prop::collection::vec(
            (
                hostile_text(),
                proptest::option::of(hostile_text()),
                prop::collection::vec(item_spec(), 0..6),
            ),
            1..4,
        ),
        prop::collection::vec(score_spec(), 0..4),
        prop::collection::vec(flag_spec(), 0..4),
        proptest::option::of(any::<u8>()),
        proptest::option::of(hostile_text()),
    )
        .prop_map(
            |(title, sections, scores, flags, running_total, provenance)| Spec {
                title,
                sections,
                scores,
                flags,
                running_total,
                provenance,
            },
        )
}

const TYPES: [&str; 9] = [
    "single_choice",
    "multiple_choice",
    "yes_no",
    "short_text",
    "long_text",
    "integer",
    "date",
    "display",
    "repeating_group",
];

const SEVERITIES: [&str; 5] = [
    "safety",
    "exclude_pending_review",
    "medical_clearance",
    "monitor",
    "info",
];

/// What the builder knows of an item it wrote, to refer to it and to answer it.
#[derive(Debug, Clone)]
struct Built {
    id: String,
    kind: &'static str,
    codes: Vec<String>,
    scorable: bool,
    range: (Option<i64>, Option<i64>),
    max_length: Option<u32>,
    max_rows: Option<u32>,
}

/// A value that is a valid answer to `item`, chosen by `pick`; `None` for a display item.
fn valid_answer(item: &Built, pick: u32) -> Option<Value> {
    let pick = pick as usize;
    Some(match item.kind {
        "single_choice" => json!(item.codes[pick % item.codes.len()]),
        "multiple_choice" => {
            let chosen: Vec<&String> = item
                .codes
                .iter()
                .enumerate()
                .filter(|(index, _)| (pick >> index) & 1 == 1)
                .map(|(_, code)| code)
                .collect();
            if chosen.is_empty() {
                json!([item.codes[0]])
            } else {
                json!(chosen)
            }
        }
        "yes_no" => json!(pick % 2 == 0),
        "integer" => {
            let low = item.range.0.unwrap_or(-1000);
            let high = item.range.1.unwrap_or(low + 1000);
            let span = usize::try_from(high - low).unwrap_or(0) + 1;
            json!(low + i64::try_from(pick % span).unwrap_or(0))
        }
        "date" => json!(format!(
            "{:04}-{:02}-{:02}",
            1900 + pick % 200,
            pick % 12 + 1,
            pick % 28 + 1
        )),
        "repeating_group" => {
            let names = ["Xanax XR 1mg", "aspirin", "<b>unknown</b> \"pill\""];
            let rows: Vec<Value> = (0..=pick % item.max_rows.unwrap_or(3) as usize)
                .map(|row| json!({"name": names[(pick + row) % names.len()], "n": (pick + row) % 10}))
                .collect();
            json!(rows)
        }
        "short_text" | "long_text" => {
            let limit = item.max_length.unwrap_or(20) as usize;
            let text: String = "<b>\"free\" text</b> ünï 🧠"
                .chars()
                .cycle()
                .take(1 + pick % limit.max(1))
                .collect();
            json!(if text.trim().is_empty() {
                "x".to_owned()
            } else {
                text
            })
        }
        _ => return None,
    })
}

/// A value that is NOT a valid answer to `item` (wrong shape, unknown code, out of range,
/// too long, not a date), chosen by `pick`.
fn invalid_answer(item: &Built, pick: u32) -> Value {
    match (item.kind, pick % 2) {
        ("single_choice", 0) => json!("no such code"),
        ("single_choice", _) => json!(true),
        ("multiple_choice", 0) => json!([item.codes[0], item.codes[0]]),
        ("multiple_choice", _) => json!([format!("{}-unknown", item.codes[0])]),
        ("yes_no", 0) => json!("yes"),
        ("yes_no", _) => json!(1),
        ("integer", _) if item.range.1.is_some() => json!(item.range.1.unwrap_or(0) + 1),
        ("integer", _) => json!("12"),
        ("date", 0) => json!("2023-02-29"),
        ("date", _) => json!("27/11/2026"),
        ("short_text" | "long_text", _) if item.max_length.is_some() => {
            json!("x".repeat(item.max_length.unwrap_or(0) as usize + 1))
        }
        ("short_text" | "long_text", _) => json!(["text"]),
        ("repeating_group", 0) => json!([{"name": "x", "colour": "red"}]),
        ("repeating_group", _) => json!([{"name": "x", "n": 10}]),
        _ => json!("anything"),
    }
}

/// A condition on an earlier item, or on any item for a flag.
fn answer_condition(item: &Built, test: u8, pick: u32) -> Value {
    let id = &item.id;
    let answered = json!({"answer": {"item": id, "answered": pick % 2 == 0}});
    match test % 5 {
        1 => match valid_answer(item, pick) {
            Some(value) => json!({"answer": {"item": id, "equals": value}}),
            None => answered,
        },
        2 if item.kind == "single_choice" => {
            let codes: Vec<&String> = item.codes.iter().take(1 + pick as usize % 3).collect();
            json!({"answer": {"item": id, "one_of": codes}})
        }
        3 if item.kind == "multiple_choice" => {
            json!({"answer": {"item": id, "includes": item.codes[pick as usize % item.codes.len()]}})
        }
        4 if item.scorable => {
            json!({"answer": {"item": id, "score_at_least": f64::from(pick % 7) - 2.0}})
        }
        _ => answered,
    }
}

fn wrap(condition: Value, how: u8) -> Value {
    match how % 4 {
        1 => json!({"not": condition}),
        2 => json!({"all": [condition, {"not": {"not": condition}}]}),
        3 => json!({"any": [{"not": condition}, condition]}),
        _ => condition,
    }
}

/// Builds the definition (without bands), what it holds, and the answers' raw material.
fn build(spec: &Spec) -> (Value, Vec<Built>) {
    let mut option_sets = serde_json::Map::new();
    let mut built: Vec<Built> = Vec::new();
    let mut sections = Vec::new();
    for (s, (title, intro, items)) in spec.sections.iter().enumerate() {
        let mut section_items = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let id = format!("s{s}.i{i}");
            let kind = TYPES[usize::from(item.kind) % TYPES.len()];
            let mut json = json!({"id": id, "type": kind, "text": format!("Q {}", item.text)});
            if let Some(help) = &item.help {
                json["help"] = json!(help);
            }
            if item.required && kind != "display" {
                json["required"] = json!(true);
            }
            let mut record = Built {
                id: id.clone(),
                kind,
                codes: Vec::new(),
                scorable: false,
                range: (None, None),
                max_length: None,
                max_rows: None,
            };
            match kind {
                "single_choice" | "multiple_choice" => {
                    let options: Vec<Value> = item
                        .option_scores
                        .iter()
                        .enumerate()
                        .map(|(j, score)| {
                            let code =
                                format!("{j}:{}", item.text.chars().take(3).collect::<String>());
                            record.codes.push(code.clone());
                            let mut option =
                                json!({"value": code, "label": format!("{j} {}", item.text)});
                            if item.scored {
                                option["score"] = json!(f64::from(*score) / 2.0);
                            }
                            option
                        })
                        .collect();
                    record.scorable = item.scored;
                    if item.use_set {
                        let name = format!("set-{s}-{i}");
                        option_sets.insert(name.clone(), json!(options));
                        json["options"] = json!(name);
                    } else {
                        json["options"] = json!(options);
                    }
                }
                "yes_no" => {
                    if let Some((yes, no)) = item.yes_no {
                        json["yes_score"] = json!(yes);
                        json["no_score"] = json!(no);
                        record.scorable = true;
                    }
                }
                "short_text" | "long_text" => {
                    if let Some(limit) = item.max_length {
                        json["max_length"] = json!(limit);
                        record.max_length = Some(limit);
                    }
                }
                "repeating_group" => {
                    json["fields"] = json!([
                        {"id": "name", "type": "short_text", "text": format!("Name {}", item.text)},
                        {"id": "n", "type": "integer", "text": "How many?", "min": 0, "max": 9}
                    ]);
                    if let Some(limit) = item.max_length {
                        let rows = limit % 4 + 1;
                        json["max_rows"] = json!(rows);
                        record.max_rows = Some(rows);
                    }
                }
                "integer" => {
                    let min = item.range.0.map(i64::from);
                    let max = item.range.1.map(|span| min.unwrap_or(0) + i64::from(span));
                    if let Some(min) = min {
                        json["min"] = json!(min);
                    }
                    if let Some(max) = max {
                        json["max"] = json!(max);
                    }
                    record.range = (min, max);
                    record.scorable = min.is_some() && max.is_some();
                }
                _ => {}
            }
            let earlier: Vec<&Built> = built.iter().filter(|b| b.kind != "display").collect();
            if let (Some((pick, test, param, how)), false) = (item.enable, earlier.is_empty()) {
                let target = earlier[pick as usize % earlier.len()];
                json["enable_when"] = wrap(answer_condition(target, test, param), how);
            }
            built.push(record);
            section_items.push(json);
        }
        let mut section =
            json!({"id": format!("s{s}"), "title": format!("S {title}"), "items": section_items});
        if let Some(intro) = intro {
            section["intro"] = json!(intro);
        }
        sections.push(section);
    }
    if !built.iter().any(|b| b.kind != "display") {
        built.push(Built {
            id: "last".into(),
            kind: "yes_no",
            codes: Vec::new(),
            scorable: true,
            range: (None, None),
            max_length: None,
            max_rows: None,
        });
        sections.push(json!({"id": "last", "title": "Last", "items": [
            {"id": "last", "type": "yes_no", "text": "Last?", "yes_score": 1, "no_score": 0}]}));
    }

    let scorable: Vec<&Built> = built.iter().filter(|b| b.scorable).collect();
    let mut scores = Vec::new();
    if !scorable.is_empty() {
        for (k, score) in spec.scores.iter().enumerate() {
            let mut items: Vec<&String> = scorable
                .iter()
                .enumerate()
                .filter(|(index, _)| (score.items >> (index % 64)) & 1 == 1)
                .map(|(_, b)| &b.id)
                .collect();
            if items.is_empty() {
                items.push(&scorable[score.items as usize % scorable.len()].id);
            }
            let reverse: Vec<&String> = items
                .iter()
                .enumerate()
                .filter(|(index, _)| (score.reverse >> (index % 64)) & 1 == 1)
                .map(|(_, id)| *id)
                .collect();
            let method = ["sum", "mean", "count"][usize::from(score.method) % 3];
            let mut rule = json!({"id": format!("score{k}"), "label": format!("Score {k}"),
                                  "method": method, "items": items});
            if !reverse.is_empty() {
                rule["reverse"] = json!(reverse);
            }
            if method == "count" {
                rule["threshold"] = json!(f64::from(score.threshold) / 2.0);
            }
            match score.multiply {
                Some(0) => rule["multiply"] = json!(0.5),
                Some(factor) => rule["multiply"] = json!(factor),
                None => {}
            }
            if let (Some(up_to), true) = (score.prorate, items.len() > 1) {
                rule["missing"] = json!({"prorate_up_to": usize::from(up_to) % (items.len() - 1) + 1,
                                         "citation": "A published rule, 2001"});
            }
            scores.push(rule);
        }
    }

    let all: Vec<&Built> = built.iter().filter(|b| b.kind != "display").collect();
    let flags: Vec<Value> = spec
        .flags
        .iter()
        .enumerate()
        .map(|(k, flag)| {
            let condition = if flag.on_score && !scores.is_empty() {
                let score = format!("score{}", flag.pick as usize % scores.len());
                let bound = f64::from(flag.bound) / 2.0;
                let test = match flag.test % 4 {
                    0 => json!({"score": score, "at_least": bound}),
                    1 => json!({"score": score, "at_most": bound}),
                    2 => json!({"score": score, "below": bound}),
                    _ => json!({"score": score, "at_least": bound, "below": bound + 5.0}),
                };
                json!({"score": test})
            } else {
                let target = all[flag.pick as usize % all.len()];
                match (target.kind, flag.test % 3) {
                    ("repeating_group", 0) => json!({"medication_class": {
                        "item": target.id, "field": "name", "class": "benzodiazepines"}}),
                    ("repeating_group", 1) => json!({"medication_unrecognised": {
                        "item": target.id, "field": "name"}}),
                    _ => answer_condition(target, flag.test, flag.pick),
                }
            };
            json!({"id": format!("flag{k}"), "label": format!("Flag {k}"),
                   "severity": SEVERITIES[usize::from(flag.severity) % SEVERITIES.len()],
                   "when": wrap(condition, flag.wrap)})
        })
        .collect();

    let mut definition = json!({
        "format": "kapforms-definition", "schema_version": 1, "id": "random", "version": "1.0",
        "title": format!("T {}", spec.title), "sections": sections, "scores": scores,
        "flags": flags,
    });
    if !option_sets.is_empty() {
        definition["option_sets"] = Value::Object(option_sets);
    }
    if let (Some(pick), false) = (spec.running_total, scores.is_empty()) {
        definition["running_total"] = json!(format!("score{}", usize::from(pick) % scores.len()));
    }
    if let Some(source) = &spec.provenance {
        definition["provenance"] = json!({"source": source, "licence": "CC0",
            "citations": [{"supports": "bands", "reference": source}]});
    }
    (definition, built)
}

/// Adds bands that exactly cover each score's range (integer cut points, as validation wants:
/// each band starts just after the one before).
fn add_bands(definition: &mut Value, spec: &Spec) {
    let text = definition.to_string();
    let questionnaire = Questionnaire::from_json(&text)
        .unwrap_or_else(|e| panic!("the definition without bands is valid: {e}\n{text}"));
    for (k, rule) in questionnaire.scores.iter().enumerate() {
        let (low, high) = rule.range(&questionnaire);
        let (low, high) = (low.floor(), high.ceil());
        let mut cuts: Vec<f64> = spec.scores[k]
            .cuts
            .iter()
            .map(|c| low + 1.0 + (f64::from(*c) % (high - low).max(1.0)).floor())
            .filter(|c| *c > low && *c <= high)
            .collect();
        cuts.sort_by(f64::total_cmp);
        cuts.dedup();
        let mut bands = Vec::new();
        let mut start = low;
        for (n, cut) in cuts.iter().enumerate() {
            bands.push(json!({"min": start, "max": cut - 1.0, "label": format!("Band {n}")}));
            start = *cut;
        }
        bands.push(json!({"min": start, "max": high.max(start), "label": "Top band"}));
        definition["scores"][k]["bands"] = json!(bands);
    }
}

/// The answers to give: for each drawn pick, an item (or an unknown id), and whether the value
/// should be valid; returns `(id, value, expected to be accepted)`.
fn answers(built: &[Built], picks: &[(u32, u32, bool)]) -> Vec<(String, Value, bool)> {
    picks
        .iter()
        .filter_map(|(which, pick, valid)| {
            let index = *which as usize % (built.len() + 1);
            let Some(item) = built.get(index) else {
                return Some(("no-such-item".to_owned(), json!(true), false));
            };
            if *valid {
                valid_answer(item, *pick).map(|value| (item.id.clone(), value, true))
            } else {
                Some((item.id.clone(), invalid_answer(item, *pick), false))
            }
        })
        .collect()
}

/// Whether serde_json reads every float back exactly as it writes it (its `float_roundtrip`
/// feature); the default, faster parser may be one unit in the last place off.
fn serde_json_reads_floats_exactly() -> bool {
    let written = 274.0_f64 / 3.0; // 91.33333333333333, read as ...31 by the fast parser
    let text = serde_json::to_string(&written).expect("serializes");
    serde_json::from_str::<f64>(&text).is_ok_and(|read| read.to_bits() == written.to_bits())
}

/// JSON values equal but for numbers, which may differ by a relative 1e-12.
fn nearly_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() <= 1e-12 * x.abs().max(y.abs()).max(1.0),
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| nearly_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, x)| y.get(key).is_some_and(|y| nearly_equal(x, y)))
        }
        _ => a == b,
    }
}

#[test]
fn serde_json_float_reading_is_known() {
    // Documents the state the property below adapts to; see its comment.
    if !serde_json_reads_floats_exactly() {
        eprintln!(
            "known: serde_json reads some floats one unit in the last place off (its \
             `float_roundtrip` feature is off), so a response with a fractional score does not \
             round-trip byte for byte"
        );
    }
}

fn stamps() -> Timestamps {
    Timestamps {
        started_at: Some("2026-11-27T10:00:00.000Z".into()),
        updated_at: "2026-11-27T10:04:12.000Z".into(),
        completed_at: Some("2026-11-27T10:04:12.000Z".into()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn random_valid_definitions_hold_up(
        spec in spec(),
        picks in prop::collection::vec((any::<u32>(), any::<u32>(), any::<bool>()), 0..24),
    ) {
        let (mut definition, built) = build(&spec);
        add_bands(&mut definition, &spec);
        let text = definition.to_string();
        let questionnaire = match Questionnaire::from_json(&text) {
            Ok(questionnaire) => questionnaire,
            Err(error) => return Err(TestCaseError::fail(format!("rejected: {error}\n{text}"))),
        };

        // The definition round-trips through JSON unchanged.
        let written = serde_json::to_string(&questionnaire).expect("serializes");
        let reread = Questionnaire::from_json(&written).expect("what was written reads back");
        prop_assert_eq!(&reread, &questionnaire);
        prop_assert_eq!(reread.content_hash(), questionnaire.content_hash());

        // The patient's bundle reads built-ins (copies without provenance) with its own small
        // reader: it reads what serde reads.
        let mut lean = definition.clone();
        if let Some(fields) = lean.as_object_mut() {
            fields.remove("provenance");
        }
        let lean = lean.to_string();
        let trusted = Questionnaire::parse_trusted(&lean);
        prop_assert_eq!(trusted.ok(), Questionnaire::parse_unchecked(&lean).ok());

        // A session takes exactly the valid answers.
        let questionnaire = Arc::new(questionnaire);
        let mut session = Session::new(questionnaire.clone());
        for (id, value, valid) in answers(&built, &picks) {
            let answer: AnswerValue = serde_json::from_value(value.clone()).expect("an answer");
            let result = session.set_answer(&id, Some(answer));
            prop_assert_eq!(result.is_ok(), valid, "{} = {}: {:?}", id, value, result);
            if let Err(diagnostic) = result {
                prop_assert_eq!(diagnostic.path, format!("answers.{id}"));
            }
            // What the session keeps up to date answer by answer equals a full evaluation.
            prop_assert_eq!(session.evaluation(), &Evaluation::of(&questionnaire, session.answers()));
        }
        // And so it does as answers are cleared again, every other one.
        let given: Vec<String> = session.answers().keys().cloned().collect();
        let mut cleared = session.clone();
        for id in given.iter().step_by(2) {
            cleared.set_answer(id, None).expect("clearing always fits");
            prop_assert_eq!(cleared.evaluation(), &Evaluation::of(&questionnaire, cleared.answers()));
        }

        // Every complete score lies in its range and has the band holding it.
        let evaluation = session.evaluation();
        for (score, rule) in evaluation.scores.iter().zip(&questionnaire.scores) {
            prop_assert!(score.value.is_finite(), "{} = {}", score.id, score.value);
            // The range assumes every item counts. A hidden item adds 0 to a sum, and drops
            // out of a mean, so a sum with a hidden item whose range excludes 0 (say scored 1
            // to 5), or a mean with a hidden item whose range differs from the others', can
            // lie outside the range; so can a prorated value when the items' ranges differ
            // (the mean of the answered ones stands in). Reported; not checked here.
            let ranges: Vec<Option<(f64, f64)>> = rule
                .items
                .iter()
                .map(|id| item_score_range(&questionnaire, id))
                .collect();
            let same_ranges = ranges.windows(2).all(|w| w[0] == w[1]);
            let all_visible = rule.items.iter().all(|id| evaluation.visible.contains(id));
            let hidden_fit = match rule.method {
                ScoreMethod::Sum => rule.items.iter().zip(&ranges).all(|(id, range)| {
                    evaluation.visible.contains(id)
                        || range.is_some_and(|(low, high)| low <= 0.0 && high >= 0.0)
                }),
                ScoreMethod::Mean => all_visible || same_ranges,
                ScoreMethod::Count => true,
            };
            let prorating_fits = !score.prorated || same_ranges;
            let nothing_counted_fits = score.counted > 0 || (score.min <= 0.0 && score.max >= 0.0);
            if score.is_complete() && hidden_fit && prorating_fits && nothing_counted_fits {
                prop_assert!(
                    score.value >= score.min - 1e-9 && score.value <= score.max + 1e-9,
                    "{} = {} outside {}..{} ({:?})\n{}",
                    score.id, score.value, score.min, score.max, score, text
                );
                let band = rule.band_of(score.value).map(|b| b.label.clone());
                prop_assert!(band.is_some(), "{} = {} has no band", score.id, score.value);
                prop_assert_eq!(&score.band, &band);
            } else if !score.is_complete() {
                prop_assert!(score.band.is_none());
            }
            if rule.method == ScoreMethod::Count {
                prop_assert!(score.value.fract() == 0.0 || rule.multiply.is_some());
            }
        }

        // The response round-trips through native JSON exactly, and verifies.
        let response = session.response(Status::Completed, stamps());
        let json = response.to_json();
        let parsed = Response::from_json(&json).expect("a built response reads back");
        if serde_json_reads_floats_exactly() {
            prop_assert_eq!(&parsed, &response);
            prop_assert_eq!(parsed.to_json(), json);
        } else {
            // Known: without serde_json's `float_roundtrip` feature a fractional score (a mean,
            // say 91.33333333333333) can come back one unit in the last place off. Until the
            // feature is on, the values must agree to 1e-12 and everything else exactly.
            let written = serde_json::to_value(&response).expect("serializes");
            let reread = serde_json::to_value(&parsed).expect("serializes");
            prop_assert!(nearly_equal(&written, &reread), "{} vs {}", written, reread);
        }
        let verification = verify(&questionnaire, &parsed);
        prop_assert!(verification.is_consistent(), "{:?}", verification.mismatches);
        prop_assert!(verification.content_hash_matches);

        // A tampered score and a dropped flag are found.
        if let Some(first) = parsed.scores.first() {
            let mut tampered = parsed.clone();
            tampered.scores[0].value += 1.0;
            let found = verify(&questionnaire, &tampered).mismatches.iter().any(
                |m| matches!(m, Mismatch::Score { id, .. } if *id == first.id));
            prop_assert!(found, "a changed {} went unnoticed", first.id);
        }
        if let Some(flag) = parsed.flags.first() {
            let mut dropped = parsed.clone();
            dropped.flags.remove(0);
            let found = verify(&questionnaire, &dropped).mismatches.iter().any(
                |m| matches!(m, Mismatch::MissingFlag { id } if *id == flag.id));
            prop_assert!(found, "a dropped {} went unnoticed", flag.id);
        }
    }
}
