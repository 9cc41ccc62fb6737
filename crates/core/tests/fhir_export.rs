//! FHIR export: the resources are structurally valid R4 as far as can be checked without a
//! validator (resource types, required elements, value sets of codes, unique linkIds, the
//! `que-*` and `qrs-*` invariants, no empty strings, references that resolve, responses that
//! mirror their Questionnaire), for every built-in instrument, both probes and every imported
//! fixture re-exported; the QuestionnaireResponse of the PHQ-9 names its Questionnaire with
//! `|version`, carries the status, prunes hidden questions, never puts `answer` and `item` on
//! one item, writes the total as its own item and uses the LOINC answer codes; and the PHQ-9
//! export matches the reviewed files in `fhir/expected/` (set `KAPFORMS_UPDATE_EXPECTED=1`
//! to rewrite them after a deliberate change).

#[path = "support/definitions.rs"]
mod definitions;

use kapforms_core::LiteMap;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use kapforms_core::fhir::{self, ExportOptions};
use kapforms_core::{AnswerValue, Evaluation, Questionnaire, Response, Status, Timestamps};
use serde_json::{json, Value};

const PHQ9: &str = include_str!("../../instruments/definitions/phq9.json");

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn phq9() -> Questionnaire {
    Questionnaire::from_json(PHQ9).expect("built-in PHQ-9")
}

fn answers(pairs: &[(&str, &str)]) -> LiteMap<String, AnswerValue> {
    pairs
        .iter()
        .map(|(id, code)| ((*id).to_owned(), AnswerValue::Text((*code).to_owned())))
        .collect()
}

fn response(
    questionnaire: &Questionnaire,
    answers: &LiteMap<String, AnswerValue>,
    status: Status,
) -> Response {
    let evaluation = Evaluation::of(questionnaire, answers);
    Response::build(
        questionnaire,
        answers,
        &evaluation,
        status,
        Timestamps {
            started_at: Some("2026-11-27T10:00:00.000Z".into()),
            updated_at: "2026-11-27T10:04:12.000Z".into(),
            completed_at: (status == Status::Completed)
                .then(|| "2026-11-27T10:05:00.000Z".to_owned()),
        },
    )
}

// ---------------------------------------------------------------------------------------
// Structural R4 checks.

const ITEM_TYPES: &[&str] = &[
    "group",
    "display",
    "boolean",
    "decimal",
    "integer",
    "date",
    "dateTime",
    "time",
    "string",
    "text",
    "url",
    "choice",
    "open-choice",
    "attachment",
    "reference",
    "quantity",
];

/// Empty strings, empty arrays/objects and nulls, which R4 JSON forbids, anywhere.
fn empties(value: &Value, path: &str, problems: &mut Vec<String>) {
    match value {
        Value::Null => problems.push(format!("{path}: null")),
        Value::String(s) if s.trim().is_empty() => problems.push(format!("{path}: empty string")),
        Value::Array(list) => {
            if list.is_empty() {
                problems.push(format!("{path}: empty array"));
            }
            for (i, v) in list.iter().enumerate() {
                empties(v, &format!("{path}[{i}]"), problems);
            }
        }
        Value::Object(map) => {
            if map.is_empty() {
                problems.push(format!("{path}: empty object"));
            }
            for (k, v) in map {
                empties(v, &format!("{path}.{k}"), problems);
            }
        }
        _ => {}
    }
}

/// Extensions have a url and exactly one value.
fn extensions_ok(value: &Value, path: &str, problems: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(list) = map.get("extension").and_then(Value::as_array) {
                for (i, ext) in list.iter().enumerate() {
                    let values = ext
                        .as_object()
                        .map_or(0, |o| o.keys().filter(|k| k.starts_with("value")).count());
                    if !ext["url"].is_string() || values != 1 {
                        problems.push(format!("{path}.extension[{i}]: url and one value[x]"));
                    }
                }
            }
            for (k, v) in map {
                extensions_ok(v, &format!("{path}.{k}"), problems);
            }
        }
        Value::Array(list) => {
            for (i, v) in list.iter().enumerate() {
                extensions_ok(v, &format!("{path}[{i}]"), problems);
            }
        }
        _ => {}
    }
}

fn is_fhir_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

/// Problems of an exported Questionnaire; empty when structurally valid.
fn questionnaire_problems(q: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    empties(q, "Questionnaire", &mut problems);
    extensions_ok(q, "Questionnaire", &mut problems);
    if q["resourceType"] != "Questionnaire" {
        problems.push("resourceType".into());
    }
    if !["draft", "active", "retired", "unknown"].contains(&q["status"].as_str().unwrap_or("")) {
        problems.push("status".into());
    }
    if !q["id"].as_str().is_some_and(is_fhir_id) {
        problems.push(format!("id {}", q["id"]));
    }
    if !q["url"].is_string() {
        problems.push("url".into());
    }
    // Contained ValueSets: an id, a status, concepts with codes, and each referenced.
    let mut contained: HashMap<String, bool> = HashMap::new();
    for (i, set) in q["contained"].as_array().into_iter().flatten().enumerate() {
        let id = set["id"].as_str().unwrap_or_default();
        if set["resourceType"] != "ValueSet" || !is_fhir_id(id) || !set["status"].is_string() {
            problems.push(format!("contained[{i}]"));
        }
        for include in set["compose"]["include"].as_array().into_iter().flatten() {
            if !include["system"].is_string() {
                problems.push(format!("contained[{i}]: include without system"));
            }
            for concept in include["concept"].as_array().into_iter().flatten() {
                if !concept["code"].is_string() {
                    problems.push(format!("contained[{i}]: concept without code"));
                }
            }
        }
        contained.insert(id.to_owned(), false);
    }
    // Items: linkIds unique, types known, que-1 … que-12.
    let mut links: HashMap<String, String> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    fn walk(
        items: &Value,
        path: &str,
        links: &mut HashMap<String, String>,
        order: &mut Vec<String>,
        contained: &mut HashMap<String, bool>,
        problems: &mut Vec<String>,
    ) {
        for (i, item) in items.as_array().into_iter().flatten().enumerate() {
            let here = format!("{path}[{i}]");
            let Some(link) = item["linkId"].as_str() else {
                problems.push(format!("{here}: linkId missing"));
                continue;
            };
            let kind = item["type"].as_str().unwrap_or_default();
            if links.insert(link.to_owned(), kind.to_owned()).is_some() {
                problems.push(format!("{here}: linkId {link} repeated (que-2)"));
            }
            order.push(link.to_owned());
            if !ITEM_TYPES.contains(&kind) {
                problems.push(format!("{here}: type {kind}"));
            }
            let has_children = item["item"].is_array();
            if kind == "group" && !has_children {
                problems.push(format!("{here}: group without items (que-1)"));
            }
            if kind == "display" && has_children {
                problems.push(format!("{here}: display with items (que-1)"));
            }
            if kind == "display" && item.get("code").is_some() {
                problems.push(format!("{here}: display with code (que-3)"));
            }
            if item.get("answerOption").is_some() && item.get("answerValueSet").is_some() {
                problems.push(format!("{here}: answerOption and answerValueSet (que-4)"));
            }
            if (item.get("answerOption").is_some() || item.get("answerValueSet").is_some())
                && kind != "choice"
                && kind != "open-choice"
            {
                problems.push(format!("{here}: options on a {kind} (que-5)"));
            }
            if kind == "choice"
                && item.get("answerOption").is_none()
                && item.get("answerValueSet").is_none()
            {
                problems.push(format!("{here}: choice without options"));
            }
            if kind == "display"
                && (item.get("required").is_some() || item.get("repeats").is_some())
            {
                problems.push(format!("{here}: required/repeats on display (que-6)"));
            }
            if kind == "display" && item.get("readOnly").is_some() {
                problems.push(format!("{here}: readOnly on display (que-9)"));
            }
            if item.get("maxLength").is_some()
                && ![
                    "boolean",
                    "decimal",
                    "integer",
                    "string",
                    "text",
                    "url",
                    "open-choice",
                ]
                .contains(&kind)
            {
                problems.push(format!("{here}: maxLength on a {kind} (que-10)"));
            }
            let entries = item["enableWhen"].as_array();
            if entries.is_some_and(|e| e.len() > 1) && !item["enableBehavior"].is_string() {
                problems.push(format!("{here}: enableBehavior missing (que-12)"));
            }
            for (e, entry) in entries.into_iter().flatten().enumerate() {
                let answers = entry
                    .as_object()
                    .map_or(0, |o| o.keys().filter(|k| k.starts_with("answer")).count());
                let op = entry["operator"].as_str().unwrap_or_default();
                if answers != 1
                    || !["exists", "=", "!=", ">", "<", ">=", "<="].contains(&op)
                    || !entry["question"].is_string()
                    || (op == "exists" && !entry["answerBoolean"].is_boolean())
                {
                    problems.push(format!("{here}.enableWhen[{e}] (que-7)"));
                }
            }
            for (o, option) in item["answerOption"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                let values = option
                    .as_object()
                    .map_or(0, |m| m.keys().filter(|k| k.starts_with("value")).count());
                let coding = &option["valueCoding"];
                if values != 1 || !coding["system"].is_string() || !coding["code"].is_string() {
                    problems.push(format!("{here}.answerOption[{o}]"));
                }
            }
            if let Some(reference) = item["answerValueSet"].as_str() {
                match reference
                    .strip_prefix('#')
                    .and_then(|id| contained.get_mut(id))
                {
                    Some(used) => *used = true,
                    None => problems.push(format!("{here}: answerValueSet {reference} unresolved")),
                }
            }
            walk(
                &item["item"],
                &format!("{here}.item"),
                links,
                order,
                contained,
                problems,
            );
        }
    }
    walk(
        &q["item"],
        "item",
        &mut links,
        &mut order,
        &mut contained,
        &mut problems,
    );
    for (id, used) in &contained {
        if !used {
            problems.push(format!("contained {id} is not referenced (dom-3)"));
        }
    }
    // enableWhen names an earlier question (not a group or display).
    fn questions(
        items: &Value,
        order: &[String],
        links: &HashMap<String, String>,
        problems: &mut Vec<String>,
    ) {
        for item in items.as_array().into_iter().flatten() {
            let link = item["linkId"].as_str().unwrap_or_default();
            let at = order.iter().position(|l| l == link).unwrap_or(0);
            for entry in item["enableWhen"].as_array().into_iter().flatten() {
                let question = entry["question"].as_str().unwrap_or_default();
                let before = order[..at].iter().any(|l| l == question);
                let kind = links.get(question).map(String::as_str).unwrap_or("missing");
                if !before || kind == "group" || kind == "display" {
                    problems.push(format!("{link}: enableWhen on {question} ({kind})"));
                }
            }
            questions(&item["item"], order, links, problems);
        }
    }
    questions(&q["item"], &order, &links, &mut problems);
    problems
}

/// Problems of an exported QuestionnaireResponse against its Questionnaire.
fn response_problems(qr: &Value, q: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    empties(qr, "QuestionnaireResponse", &mut problems);
    if qr["resourceType"] != "QuestionnaireResponse" {
        problems.push("resourceType".into());
    }
    if ![
        "in-progress",
        "completed",
        "amended",
        "entered-in-error",
        "stopped",
    ]
    .contains(&qr["status"].as_str().unwrap_or(""))
    {
        problems.push("status".into());
    }
    let expected = format!(
        "{}|{}",
        q["url"].as_str().unwrap_or(""),
        q["version"].as_str().unwrap_or("")
    );
    if qr["questionnaire"] != expected.as_str() {
        problems.push(format!(
            "questionnaire {} (expected {expected})",
            qr["questionnaire"]
        ));
    }
    // Options of each Questionnaire item, as (system, code).
    let mut options: HashMap<String, HashSet<(String, String)>> = HashMap::new();
    let sets: HashMap<String, HashSet<(String, String)>> = q["contained"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|set| {
            let codes = set["compose"]["include"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|include| {
                    include["concept"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(move |c| {
                            (
                                include["system"].as_str().unwrap_or("").to_owned(),
                                c["code"].as_str().unwrap_or("").to_owned(),
                            )
                        })
                })
                .collect();
            (format!("#{}", set["id"].as_str().unwrap_or("")), codes)
        })
        .collect();
    fn collect(
        items: &Value,
        sets: &HashMap<String, HashSet<(String, String)>>,
        out: &mut HashMap<String, HashSet<(String, String)>>,
    ) {
        for item in items.as_array().into_iter().flatten() {
            let link = item["linkId"].as_str().unwrap_or("").to_owned();
            let mut codes: HashSet<(String, String)> = item["answerOption"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| {
                    (
                        o["valueCoding"]["system"].as_str().unwrap_or("").to_owned(),
                        o["valueCoding"]["code"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect();
            if let Some(set) = item["answerValueSet"].as_str().and_then(|r| sets.get(r)) {
                codes.extend(set.iter().cloned());
            }
            out.insert(link, codes);
            collect(&item["item"], sets, out);
        }
    }
    collect(&q["item"], &sets, &mut options);
    // The response mirrors the Questionnaire: each item is at the same place.
    fn mirror(
        qr_items: &Value,
        q_items: &Value,
        path: &str,
        options: &HashMap<String, HashSet<(String, String)>>,
        problems: &mut Vec<String>,
    ) {
        let mut last = 0;
        for (i, item) in qr_items.as_array().into_iter().flatten().enumerate() {
            let here = format!("{path}[{i}]");
            let link = item["linkId"].as_str().unwrap_or_default();
            let siblings = q_items.as_array().map_or(&[][..], Vec::as_slice);
            let Some(position) = siblings.iter().position(|s| s["linkId"] == link) else {
                problems.push(format!(
                    "{here}: {link} is not at this place in the Questionnaire"
                ));
                continue;
            };
            if position < last {
                problems.push(format!("{here}: {link} out of order"));
            }
            last = position;
            let definition = &siblings[position];
            let kind = definition["type"].as_str().unwrap_or_default();
            let answers = item["answer"].as_array();
            if answers.is_some() && item.get("item").is_some() {
                problems.push(format!("{here}: both answer and item (qrs-1)"));
            }
            if kind == "group" && answers.is_some() {
                problems.push(format!("{here}: a group with answers"));
            }
            if kind == "display" {
                problems.push(format!("{here}: a display item in a response"));
            }
            if answers.is_some_and(|a| a.len() > 1) && definition["repeats"] != true {
                problems.push(format!("{here}: several answers to a non-repeating item"));
            }
            for (a, answer) in answers.into_iter().flatten().enumerate() {
                let keys: Vec<&String> = answer
                    .as_object()
                    .map(|o| o.keys().filter(|k| k.starts_with("value")).collect())
                    .unwrap_or_default();
                let wanted = match kind {
                    "choice" => "valueCoding",
                    "boolean" => "valueBoolean",
                    "integer" => "valueInteger",
                    "decimal" => "valueDecimal",
                    "string" | "text" => "valueString",
                    "date" => "valueDate",
                    _ => "?",
                };
                if keys.len() != 1 || keys[0] != wanted {
                    problems.push(format!("{here}.answer[{a}]: {keys:?} for a {kind}"));
                }
                if kind == "choice" {
                    let coding = &answer["valueCoding"];
                    let pair = (
                        coding["system"].as_str().unwrap_or("").to_owned(),
                        coding["code"].as_str().unwrap_or("").to_owned(),
                    );
                    if !options.get(link).is_some_and(|o| o.contains(&pair)) {
                        problems.push(format!("{here}.answer[{a}]: {pair:?} is not an option"));
                    }
                }
            }
            if item.get("item").is_some() {
                mirror(
                    &item["item"],
                    &definition["item"],
                    &format!("{here}.item"),
                    options,
                    problems,
                );
            }
            if answers.is_none() && item.get("item").is_none() {
                problems.push(format!("{here}: neither answer nor item"));
            }
        }
    }
    mirror(&qr["item"], &q["item"], "item", &options, &mut problems);
    problems
}

// ---------------------------------------------------------------------------------------

#[test]
fn every_exported_questionnaire_and_response_is_structurally_valid_r4() {
    let mut definitions: Vec<(Questionnaire, Vec<LiteMap<String, AnswerValue>>)> = Vec::new();
    let dir = manifest().join("../instruments/definitions");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("definitions")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    for path in paths {
        let q = definitions::load_definition(&std::fs::read_to_string(&path).expect("read"))
            .expect("valid");
        let cases = std::fs::read_to_string(
            manifest().join(format!("../instruments/tests/cases/{}.json", q.id)),
        )
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .map(|v| {
            v["cases"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| {
                    kapforms_core::wire::answers_from_value(c["answers"].clone()).expect("answers")
                })
                .collect()
        })
        .unwrap_or_default();
        definitions.push((q, cases));
    }
    let engine: Value =
        serde_json::from_str(include_str!("cases/scoring_engine.json")).expect("engine");
    definitions.push((
        Questionnaire::from_json(&engine["definition"].to_string()).expect("engine"),
        engine["cases"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                kapforms_core::wire::answers_from_value(c["answers"].clone()).expect("answers")
            })
            .collect(),
    ));
    let probe_answers: Vec<LiteMap<String, AnswerValue>> = serde_json::from_str::<Vec<Value>>(
        include_str!("fhir/handwritten/roundtrip-probe.answers.json"),
    )
    .expect("answers")
    .into_iter()
    .map(|answers| kapforms_core::wire::answers_from_value(answers).expect("answers"))
    .collect();
    definitions.push((
        Questionnaire::from_json(include_str!(
            "fhir/handwritten/roundtrip-probe.definition.json"
        ))
        .expect("probe"),
        probe_answers,
    ));
    let mut failures = Vec::new();
    let mut responses = 0;
    for (q, cases) in &definitions {
        let exported = fhir::questionnaire(q);
        for problem in questionnaire_problems(&exported) {
            failures.push(format!("{}: {problem}", q.id));
        }
        for (status, answers) in cases
            .iter()
            .flat_map(|a| [(Status::Completed, a), (Status::InProgress, a)])
        {
            let qr = fhir::questionnaire_response(q, &response(q, answers, status));
            for problem in response_problems(&qr, &exported) {
                failures.push(format!("{} response: {problem}", q.id));
            }
            responses += 1;
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(responses > 100, "{responses}");
}

#[test]
fn imported_fixtures_export_validly_and_import_again_unchanged() {
    let dir = manifest().join("tests/fhir/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.push(manifest().join("tests/fhir/handwritten/phq9-mii-linkids.questionnaire.json"));
    let mut imported_any = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        let Ok(first) = fhir::import_questionnaire(&text) else {
            continue; // responses
        };
        let exported = fhir::questionnaire(&first.questionnaire);
        let problems = questionnaire_problems(&exported);
        assert!(problems.is_empty(), "{}: {problems:#?}", file.display());
        let again = fhir::import_questionnaire(&exported.to_string()).expect("re-import");
        assert_eq!(
            again.questionnaire,
            first.questionnaire,
            "{}",
            file.display()
        );
        imported_any += 1;
    }
    assert_eq!(imported_any, 8);
}

#[test]
fn the_phq9_response_names_its_questionnaire_and_carries_loinc_codes_and_the_total() {
    let q = phq9();
    let given = answers(&[
        ("phq9_1", "1"),
        ("phq9_2", "2"),
        ("phq9_3", "3"),
        ("phq9_4", "0"),
        ("phq9_5", "1"),
        ("phq9_6", "0"),
        ("phq9_7", "2"),
        ("phq9_8", "0"),
        ("phq9_9", "1"),
        ("phq9_difficulty", "very"),
    ]);
    let qr = fhir::questionnaire_response(&q, &response(&q, &given, Status::Completed));
    assert_eq!(qr["resourceType"], "QuestionnaireResponse");
    assert_eq!(qr["questionnaire"], "urn:kapforms:questionnaire:phq9|1.0.0");
    assert_eq!(qr["status"], "completed");
    assert_eq!(qr["authored"], "2026-11-27T10:05:00.000Z");
    let group = &qr["item"][0];
    assert_eq!(group["linkId"], "phq9");
    assert!(
        group.get("answer").is_none(),
        "a group has items, not answers"
    );
    let items = group["item"].as_array().expect("items");
    assert_eq!(items.len(), 10);
    assert_eq!(
        items[0]["answer"],
        json!([{"valueCoding": {"system": "http://loinc.org", "code": "LA6569-3",
            "display": "Several days"}}])
    );
    assert_eq!(
        items[2]["answer"][0]["valueCoding"]["code"], "LA6571-9",
        "item 3 'Nearly every day'"
    );
    assert_eq!(items[9]["linkId"], "phq9_difficulty");
    assert_eq!(items[9]["answer"][0]["valueCoding"]["code"], "LA6575-0");
    let total = &qr["item"][1];
    assert_eq!(total["linkId"], "phq9_total");
    assert_eq!(total["answer"], json!([{"valueDecimal": 10}]));
    assert!(total.get("item").is_none());
    // With a custom canonical base.
    let options = ExportOptions {
        canonical_base: "https://forms.example/fhir/Questionnaire/".into(),
    };
    let qr =
        fhir::questionnaire_response_with(&q, &response(&q, &given, Status::Completed), &options);
    assert_eq!(
        qr["questionnaire"],
        "https://forms.example/fhir/Questionnaire/phq9|1.0.0"
    );
    assert_eq!(
        fhir::questionnaire_with(&q, &options)["url"],
        "https://forms.example/fhir/Questionnaire/phq9"
    );
}

#[test]
fn hidden_questions_are_pruned_and_incomplete_totals_left_out() {
    let q = phq9();
    // All "Not at all": the difficulty question is hidden, so its answer is never sent,
    // even when the native response (built by hand here) wrongly carries it.
    let mut given = answers(&[
        ("phq9_1", "0"),
        ("phq9_2", "0"),
        ("phq9_3", "0"),
        ("phq9_4", "0"),
        ("phq9_5", "0"),
        ("phq9_6", "0"),
        ("phq9_7", "0"),
        ("phq9_8", "0"),
        ("phq9_9", "0"),
    ]);
    let mut native = response(&q, &given, Status::Completed);
    native
        .answers
        .insert("phq9_difficulty".into(), AnswerValue::Text("very".into()));
    let qr = fhir::questionnaire_response(&q, &native);
    let text = qr.to_string();
    assert!(!text.contains("phq9_difficulty"), "{text}");
    assert_eq!(qr["item"][1]["answer"][0]["valueDecimal"], 0);
    // In progress, three answers: no total item (it would be a partial value), and no
    // unanswered question appears.
    given.retain(|id, _| ["phq9_1", "phq9_2", "phq9_3"].contains(&id.as_str()));
    let qr = fhir::questionnaire_response(&q, &response(&q, &given, Status::InProgress));
    assert_eq!(qr["status"], "in-progress");
    assert_eq!(qr["authored"], "2026-11-27T10:04:12.000Z", "updated_at");
    let items = qr["item"].as_array().expect("items");
    assert_eq!(items.len(), 1, "only the group: {qr}");
    assert_eq!(items[0]["item"].as_array().map(Vec::len), Some(3));
    // Nothing answered: no items at all (a group with no answered children is left out).
    let qr = fhir::questionnaire_response(&q, &response(&q, &LiteMap::new(), Status::InProgress));
    assert!(qr.get("item").is_none(), "{qr}");
}

#[test]
fn skeletons_export_without_invented_text() {
    let dir = manifest().join("../instruments/definitions");
    let mut skeletons = 0;
    for entry in std::fs::read_dir(dir).expect("definitions") {
        let path = entry.expect("entry").path();
        let q = definitions::load_definition(&std::fs::read_to_string(&path).expect("read"))
            .expect("valid");
        if !q.restricted_text {
            continue;
        }
        skeletons += 1;
        let exported = fhir::questionnaire(&q);
        fn texts(items: &Value, out: &mut Vec<(String, Option<String>)>) {
            for item in items.as_array().into_iter().flatten() {
                out.push((
                    item["linkId"].as_str().unwrap_or("").to_owned(),
                    item["text"].as_str().map(str::to_owned),
                ));
                texts(&item["item"], out);
            }
        }
        let mut found = Vec::new();
        texts(&exported["item"], &mut found);
        for item in q.items() {
            let (_, text) = found.iter().find(|(l, _)| *l == item.id).expect("exported");
            let expected = (!item.text.trim().is_empty()).then(|| item.text.clone());
            assert_eq!(text, &expected, "{}: {}", q.id, item.id);
        }
        assert!(exported["extension"]
            .as_array()
            .expect("extensions")
            .iter()
            .any(|e| e["url"] == fhir::KAPFORMS_RESTRICTED_TEXT && e["valueBoolean"] == true));
    }
    assert!(skeletons >= 1, "no skeleton among the built-ins");
}

#[test]
fn the_phq9_export_matches_the_reviewed_files() {
    let q = phq9();
    let given = answers(&[
        ("phq9_1", "1"),
        ("phq9_2", "2"),
        ("phq9_3", "3"),
        ("phq9_4", "0"),
        ("phq9_5", "1"),
        ("phq9_6", "0"),
        ("phq9_7", "2"),
        ("phq9_8", "0"),
        ("phq9_9", "1"),
        ("phq9_difficulty", "very"),
    ]);
    let outputs = [
        ("phq9.questionnaire.json", fhir::questionnaire(&q)),
        (
            "phq9.questionnaire-response.json",
            fhir::questionnaire_response(&q, &response(&q, &given, Status::Completed)),
        ),
    ];
    for (name, value) in outputs {
        let path = manifest().join("tests/fhir/expected").join(name);
        let pretty = serde_json::to_string_pretty(&value).expect("json") + "\n";
        if std::env::var_os("KAPFORMS_UPDATE_EXPECTED").is_some() {
            std::fs::write(&path, &pretty).expect("write");
            continue;
        }
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        )
        .expect("expected json");
        assert_eq!(
            value, expected,
            "{name} differs from the reviewed file; if the change is deliberate, rerun with \
             KAPFORMS_UPDATE_EXPECTED=1 and review the diff:\n{pretty}"
        );
    }
}

/// JSON objects keep the order they were written in (serde_json's `preserve_order`): a
/// resource reads as FHIR's own examples do, `resourceType` first, then `id`.
#[test]
fn exported_resources_begin_with_their_type_and_id() {
    let questionnaire = phq9();
    let response = response(
        &questionnaire,
        &answers(&[("phq9_1", "2")]),
        Status::Completed,
    );
    let q = serde_json::to_string(&fhir::questionnaire(&questionnaire)).expect("writes");
    let qr = serde_json::to_string(&fhir::questionnaire_response(&questionnaire, &response))
        .expect("writes");
    assert!(
        q.starts_with(r#"{"resourceType":"Questionnaire","id":"#),
        "{}",
        &q[..60]
    );
    assert!(
        qr.starts_with(r#"{"resourceType":"QuestionnaireResponse""#),
        "{}",
        &qr[..60]
    );
}
