//! The hostile corpus: bad input gets a clear error, never a crash. `hostile/` holds one hostile
//! input per file — definitions (`def-*`), native responses (`resp-*`, checked against the
//! built-in PHQ-9) and text packs (`pack-*`, applied to `hostile/_skeleton.json`) — and
//! `hostile/expected.json` says, for each file, the diagnostic it must get: its path (or a
//! path prefix) and a fragment of its message. Inputs too big to commit (10 MB strings,
//! nesting 10,000 deep, 20,000 items) are generated here from the manifest's `generate` name.
//! Every input runs inside `catch_unwind`, so a panic fails the test with the file's name.
//!
//! Manifest fields: `path` or `path_prefix` and `message` (rejected inputs), `expect:
//! "accept"` (inputs that must be accepted, like a byte order mark), `utf8_error_at` (raw
//! bytes that are not UTF-8, with the offset of the first bad byte: core reads `&str`, so
//! the caller must turn them away; `kapforms validate` is tested on them in the CLI crate),
//! `against` (for a response: the corpus definition to verify it against instead of the
//! PHQ-9), `max_seconds` (a guard against runaway work, such as a loop over
//! every pair of 10,000 items, set far above the normal time so a loaded machine never trips it), `max_message_chars` (a bound on every message's length),
//! and `known_bug: true` with a `note` for a case core gets wrong today: it is run and its
//! outcome printed, but it does not fail the test until the flag is removed.

use kapforms_core::LiteMap;
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kapforms_core::definition::TextPack;
use kapforms_core::{
    verify, AnswerValue, Diagnostic, Evaluation, Mismatch, Questionnaire, Response,
};
use serde_json::{json, Value};

/// The built-in PHQ-9 definition, which hostile responses are verified against.
const PHQ9: &str = include_str!("../../instruments/definitions/phq9.json");

/// The size of the generated huge strings.
const TEN_MB: usize = 10 * 1024 * 1024;

/// How deep the generated nestings go.
const DEEP: usize = 10_000;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("hostile")
}

fn manifest() -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(corpus_dir().join("expected.json")).expect("manifest");
    serde_json::from_str(&text).expect("the manifest is a JSON object")
}

/// What kind of input a corpus entry is, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Definition,
    Response,
    TextPack,
}

fn kind_of(name: &str) -> Kind {
    if name.starts_with("resp-") {
        Kind::Response
    } else if name.starts_with("pack-") {
        Kind::TextPack
    } else {
        Kind::Definition
    }
}

/// The small valid definition the generated inputs start from (the committed `def-*` files
/// are this with one thing broken).
fn base_definition() -> Value {
    json!({
        "format": "kapforms-definition", "schema_version": 1, "id": "hostile", "version": "1",
        "title": "Hostile base",
        "option_sets": {"scale": [
            {"value": "0", "label": "No", "score": 0}, {"value": "3", "label": "Yes", "score": 3}]},
        "sections": [{"id": "s1", "title": "One", "items": [
            {"id": "q1", "type": "single_choice", "text": "First?", "options": "scale"},
            {"id": "q2", "type": "yes_no", "text": "Second?", "yes_score": 1, "no_score": 0},
            {"id": "q3", "type": "multiple_choice", "text": "Third?",
             "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]},
            {"id": "q4", "type": "short_text", "text": "Fourth?", "max_length": 100},
            {"id": "q5", "type": "integer", "text": "Fifth?", "min": 0, "max": 10}]}],
        "scores": [{"id": "total", "label": "Total", "method": "sum", "items": ["q1", "q2"],
            "bands": [{"min": 0, "max": 1, "label": "Low"}, {"min": 2, "max": 4, "label": "High"}]}],
        "flags": [{"id": "high", "label": "High total", "severity": "monitor",
            "when": {"score": {"score": "total", "at_least": 3}}}]
    })
}

/// A completed PHQ-9 response whose stored scores agree with its answers.
fn base_response() -> Value {
    json!({
        "format": "kapforms-response", "schema_version": 1,
        "instrument": {"id": "phq9", "version": "1.0.0", "content_hash": "sha256:0"},
        "status": "completed", "updated_at": "2026-11-20T09:06:41.000Z",
        "answers": {"phq9_1": "2", "phq9_2": "2", "phq9_3": "1", "phq9_4": "2", "phq9_5": "1",
                    "phq9_6": "1", "phq9_7": "1", "phq9_8": "0", "phq9_9": "0"},
        "scores": [{"id": "phq9_total", "label": "PHQ-9 total score", "rule": "sum",
                    "instrument": "phq9@1.0.0", "value": 10, "min": 0, "max": 27, "answered": 9,
                    "counted": 9, "complete": true, "band": "Moderate"}],
        "flags": []
    })
}

fn push_item(definition: &mut Value, item: Value) {
    if let Some(items) = definition["sections"][0]["items"].as_array_mut() {
        items.push(item);
    }
}

/// `open` repeated `DEEP` times around `inner`, then `close` as often.
fn nested(open: &str, inner: &str, close: &str) -> String {
    format!("{}{inner}{}", open.repeat(DEEP), close.repeat(DEEP))
}

/// Builds a generated input by its manifest name.
fn generate(what: &str) -> Vec<u8> {
    let mut definition = base_definition();
    let text = match what {
        "title_10mb" => {
            definition["title"] = json!("A".repeat(TEN_MB));
            definition.to_string()
        }
        "item_id_10mb" => {
            definition["sections"][0]["items"][0]["id"] = json!("q".repeat(TEN_MB));
            definition.to_string()
        }
        "item_type_10mb" => {
            let item = json!({"id": "q6", "type": "x".repeat(TEN_MB), "text": "Sixth?"});
            push_item(&mut definition, item);
            definition.to_string()
        }
        "field_name_10mb" => {
            definition["z".repeat(TEN_MB)] = json!(1);
            definition.to_string()
        }
        "option_set_name_10mb" => {
            definition["sections"][0]["items"][0]["options"] = json!("s".repeat(TEN_MB));
            definition.to_string()
        }
        "whitespace_10mb" => format!("{}{definition}{}", " ".repeat(TEN_MB), "\n".repeat(16)),
        "enable_when_10000_deep" => definition.to_string().replacen(
            r#""id":"q2","#,
            &format!(
                r#""enable_when":{},"id":"q2","#,
                nested(
                    r#"{"all":["#,
                    r#"{"answer":{"item":"q1","answered":true}}"#,
                    "]}"
                )
            ),
            1,
        ),
        "arrays_10000_deep" => nested("[", "", "]"),
        "options_10000_deep" => definition.to_string().replacen(
            r#""options":"scale""#,
            &format!(r#""options":{}"#, nested("[", "", "]")),
            1,
        ),
        "items_5000_one_score" => {
            let count = 5_000;
            let items: Vec<Value> = (0..count)
                .map(|i| {
                    json!({"id": format!("i{i}"), "type": "yes_no", "text": "Yes?",
                                "yes_score": 1, "no_score": 0})
                })
                .collect();
            let ids: Vec<String> = (0..count).map(|i| format!("i{i}")).collect();
            definition["sections"][0]["items"] = json!(items);
            definition["scores"] = json!([{"id": "total", "label": "Total", "method": "sum",
                "items": ids, "bands": [{"min": 0, "max": count, "label": "All"}]}]);
            definition.to_string()
        }
        "options_10000" => {
            let options: Vec<Value> = (0..10_000)
                .map(|i| json!({"value": format!("o{i}"), "label": "Option"}))
                .collect();
            definition["sections"][0]["items"][2]["options"] = json!(options);
            definition.to_string()
        }
        "answer_20000_codes" => {
            let mut response = base_response();
            response["instrument"]["id"] = json!("hostile");
            response["scores"] = json!([]);
            response["answers"] =
                json!({"q3": (0..20_000).map(|i| format!("c{i}")).collect::<Vec<_>>()});
            response.to_string()
        }
        "answer_10mb" => {
            let mut response = base_response();
            response["answers"]["phq9_1"] = json!("x".repeat(TEN_MB));
            response.to_string()
        }
        "answer_10000_deep" => base_response().to_string().replacen(
            r#""phq9_1":"2""#,
            &format!(r#""phq9_1":{}"#, nested("[", "", "]")),
            1,
        ),
        "rows_10000_deep" => base_response().to_string().replacen(
            r#""phq9_1":"2""#,
            &format!(r#""phq9_1":{}"#, nested(r#"[{"name":"#, r#""x""#, "}]")),
            1,
        ),
        other => panic!("the manifest names an unknown generator `{other}`"),
    };
    text.into_bytes()
}

/// The input of a corpus entry: the file, or the generated text.
fn input(name: &str, entry: &Value) -> Vec<u8> {
    match entry.get("generate").and_then(Value::as_str) {
        Some(what) => generate(what),
        None => std::fs::read(corpus_dir().join(name))
            .unwrap_or_else(|e| panic!("{name}: cannot read: {e}")),
    }
}

/// A mismatch of a verification as a diagnostic with a path of the response, so responses
/// are checked like the other inputs.
fn mismatch_diagnostic(mismatch: &Mismatch) -> Diagnostic {
    let path = match mismatch {
        Mismatch::Instrument { .. } => "instrument.id".to_owned(),
        Mismatch::Answer(diagnostic) => return diagnostic.clone(),
        Mismatch::Score { id, .. } | Mismatch::UnknownScore { id } => format!("scores.{id}"),
        Mismatch::MissingFlag { id } | Mismatch::UnexpectedFlag { id } => format!("flags.{id}"),
        Mismatch::Threshold(diagnostic) => return diagnostic.clone(),
        Mismatch::ThresholdDiffers { id, .. } => format!("thresholds.{id}"),
        Mismatch::Withheld { section } => format!("withheld_sections.{section}"),
    };
    Diagnostic::new(path, mismatch.to_string())
}

/// Runs one input through core: `Ok` when it is accepted, else every diagnostic. Responses
/// are verified against `against` (a definition file of the corpus), else the PHQ-9.
fn run(kind: Kind, text: &str, against: Option<&str>) -> Result<(), Vec<Diagnostic>> {
    match kind {
        Kind::Definition => {
            // The patient's bundle reads only the built-ins' copies, with its small reader;
            // still, that reader must not panic on anything, and what both read they read
            // alike. (A key written twice is one thing only serde refuses: the small reader
            // reads a parsed value, which keeps the last. The copies it reads were built by
            // serde's reading, which refused such a file.)
            let trusted = Questionnaire::parse_trusted(text);
            if let (Ok(trusted), Ok(serde)) = (trusted, Questionnaire::parse_unchecked(text)) {
                assert_eq!(trusted, serde, "both readers agree");
            }
            let questionnaire = Questionnaire::from_json(text).map_err(|e| e.diagnostics())?;
            // What is accepted must also be usable: evaluate it and write it out again.
            let _ = Evaluation::of(&questionnaire, &LiteMap::new());
            let again = serde_json::to_string(&questionnaire).expect("serializes");
            let reread = Questionnaire::from_json(&again).map_err(|e| e.diagnostics())?;
            assert_eq!(reread, questionnaire, "an accepted definition round-trips");
            Ok(())
        }
        Kind::Response => {
            let definition = match against {
                Some(file) => std::fs::read_to_string(corpus_dir().join(file))
                    .unwrap_or_else(|e| panic!("cannot read {file}: {e}")),
                None => PHQ9.to_owned(),
            };
            let questionnaire =
                Questionnaire::from_json(&definition).expect("the definition is valid");
            let response = Response::from_json(text).map_err(|d| vec![d])?;
            let verification = verify(&questionnaire, &response);
            if verification.is_consistent() {
                Ok(())
            } else {
                Err(verification
                    .mismatches
                    .iter()
                    .map(mismatch_diagnostic)
                    .collect())
            }
        }
        Kind::TextPack => {
            let skeleton =
                std::fs::read_to_string(corpus_dir().join("_skeleton.json")).expect("skeleton");
            let skeleton = Questionnaire::from_json(&skeleton).expect("the skeleton is valid");
            let pack: TextPack = kapforms_core::definition::parse_text_pack(text)
                .map_err(|diagnostic| vec![diagnostic])?;
            let filled = skeleton.with_text_pack(&pack)?;
            let _ = Evaluation::of(&filled, &LiteMap::new());
            Ok(())
        }
    }
}

/// Shortens a diagnostic for a failure message (generated inputs make 10 MB messages).
fn brief(diagnostics: &[Diagnostic]) -> String {
    let shown: Vec<String> = diagnostics
        .iter()
        .take(6)
        .map(|d| {
            let text = d.to_string();
            if text.chars().count() > 300 {
                let start: String = text.chars().take(300).collect();
                format!("{start}… ({} chars)", text.chars().count())
            } else {
                text
            }
        })
        .collect();
    format!("[{}]", shown.join(" | "))
}

/// Checks one entry; `Err` says how it differs from the manifest.
fn check(name: &str, entry: &Value) -> Result<(), String> {
    let bytes = input(name, entry);
    let kind = kind_of(name);
    let against = entry.get("against").and_then(Value::as_str);
    if let Some(offset) = entry.get("utf8_error_at").and_then(Value::as_u64) {
        let error = match std::str::from_utf8(&bytes) {
            Ok(_) => return Err("expected invalid UTF-8, but the file is valid UTF-8".into()),
            Err(error) => error,
        };
        if error.valid_up_to() as u64 != offset {
            return Err(format!(
                "expected the first bad byte at {offset}, found it at {}",
                error.valid_up_to()
            ));
        }
        // A host that decodes leniently (U+FFFD for bad bytes) must not crash core either.
        let lossy = String::from_utf8_lossy(&bytes);
        let _ = catch_unwind(|| run(kind, &lossy, against))
            .map_err(|_| "panicked on the lossily decoded text".to_owned())?;
        return Ok(());
    }
    let text = std::str::from_utf8(&bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    let start = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| run(kind, text, against)))
        .map_err(|panic| format!("PANICKED: {}", panic_message(panic.as_ref())))?;
    let took = start.elapsed();
    if let Some(limit) = entry.get("max_seconds").and_then(Value::as_f64) {
        if took > Duration::from_secs_f64(limit) {
            return Err(format!(
                "took {:.1} s, over its budget of {limit} s",
                took.as_secs_f64()
            ));
        }
    }
    let accept = entry.get("expect").and_then(Value::as_str) == Some("accept");
    let diagnostics = match (outcome, accept) {
        (Ok(()), true) => return Ok(()),
        (Err(diagnostics), true) => {
            return Err(format!(
                "expected it to be accepted, got {}",
                brief(&diagnostics)
            ))
        }
        (Ok(()), false) => return Err("expected a diagnostic, but it was accepted".into()),
        (Err(diagnostics), false) => diagnostics,
    };
    if diagnostics.is_empty() {
        return Err("rejected with no diagnostic at all".into());
    }
    if let Some(limit) = entry.get("max_message_chars").and_then(Value::as_u64) {
        if let Some(long) = diagnostics
            .iter()
            .find(|d| d.message.chars().count() as u64 > limit)
        {
            return Err(format!(
                "a message of {} chars, over the bound of {limit}: {}",
                long.message.chars().count(),
                brief(std::slice::from_ref(long))
            ));
        }
    }
    let message = entry["message"].as_str().unwrap_or_default();
    let (expected_path, prefix_only) = match (entry["path"].as_str(), entry["path_prefix"].as_str())
    {
        (Some(path), _) => (path, false),
        (None, Some(prefix)) => (prefix, true),
        (None, None) => return Err("the manifest entry has no path or path_prefix".into()),
    };
    let fits = diagnostics.iter().any(|d| {
        let path_fits = if prefix_only {
            d.path.starts_with(expected_path)
        } else {
            d.path == expected_path
        };
        path_fits && d.message.contains(message)
    });
    if fits {
        Ok(())
    } else {
        Err(format!(
            "expected `{expected_path}{}: …{message}…`, got {}",
            if prefix_only { "*" } else { "" },
            brief(&diagnostics)
        ))
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "(no message)".to_owned())
}

#[test]
fn the_corpus_and_its_manifest_agree() {
    let manifest = manifest();
    let mut files: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("hostile/")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name != "expected.json" && !name.starts_with('_'))
        .collect();
    files.sort();
    let unlisted: Vec<&String> = files
        .iter()
        .filter(|f| !manifest.contains_key(*f))
        .collect();
    assert!(
        unlisted.is_empty(),
        "files without a manifest entry: {unlisted:?}"
    );
    for (name, entry) in &manifest {
        if entry.get("generate").is_some() {
            assert!(!files.contains(name), "{name}: generated, yet a file too");
        } else {
            assert!(
                files.contains(name),
                "{name}: in the manifest but no such file"
            );
        }
        let rejected = entry.get("expect").and_then(Value::as_str) != Some("accept")
            && entry.get("utf8_error_at").is_none();
        if rejected {
            assert!(
                entry["message"].is_string()
                    && (entry["path"].is_string() || entry["path_prefix"].is_string()),
                "{name}: a rejected input needs a path (or path_prefix) and a message"
            );
        }
    }
    assert!(
        files.len() >= 100,
        "the corpus should hold at least 100 files, not {}",
        files.len()
    );
}

#[test]
fn every_hostile_input_gets_its_diagnostic_and_nothing_panics() {
    let manifest = manifest();
    let mut failures = Vec::new();
    let mut known = Vec::new();
    for (name, entry) in &manifest {
        let result = check(name, entry);
        if entry.get("known_bug").and_then(Value::as_bool) == Some(true) {
            let note = entry["note"].as_str().unwrap_or("");
            match result {
                Ok(()) => known.push(format!(
                    "{name}: no longer reproduces; remove `known_bug` from its manifest entry"
                )),
                Err(how) => known.push(format!("{name}: {note}: {how}")),
            }
        } else if let Err(how) = result {
            failures.push(format!("{name}: {how}"));
        }
    }
    for line in &known {
        eprintln!("known bug (not failing): {line}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} hostile inputs were not handled as expected:\n{}",
        failures.len(),
        manifest.len(),
        failures.join("\n")
    );
}

#[test]
fn hostile_answers_in_a_session_are_refused_with_their_path() {
    let questionnaire = std::sync::Arc::new(
        Questionnaire::from_json(&base_definition().to_string()).expect("base is valid"),
    );
    let mut session = kapforms_core::Session::new(questionnaire);
    let cases: Vec<(&str, AnswerValue, &str)> = vec![
        ("q1", AnswerValue::Bool(true), "takes one option code"),
        ("q1", AnswerValue::Text("9".into()), "is not an option"),
        ("q2", AnswerValue::Text("yes".into()), "takes true or false"),
        (
            "q3",
            AnswerValue::Choices(vec!["a".into(), "a".into()]),
            "chosen twice",
        ),
        (
            "q3",
            AnswerValue::Choices(vec!["z".repeat(TEN_MB)]),
            "is not an option",
        ),
        (
            "q4",
            AnswerValue::Text("x".repeat(101)),
            "longer than 100 characters",
        ),
        ("q5", AnswerValue::Integer(i64::MIN), "outside the range"),
        ("q5", AnswerValue::Integer(i64::MAX), "outside the range"),
        ("q9", AnswerValue::Bool(true), "no item has this id"),
    ];
    for (item, value, message) in cases {
        let error = session
            .set_answer(item, Some(value))
            .expect_err("a hostile answer is refused");
        assert_eq!(error.path, format!("answers.{item}"));
        assert!(error.message.contains(message), "{item}: {}", error.message);
    }
    assert!(session.answers().is_empty(), "nothing was stored");
}
