//! Writes the FHIR R4 corpus that `cargo xtask test fhir-validate` hands to an independent
//! validator (`tests/node/validate-fhir.mjs`: Medplum's StructureDefinition validator and the
//! HL7 R4 JSON Schema). Everything is produced by kapforms-core's export, as a host gets it:
//!
//! - `valid/questionnaire/<id>.json`: every built-in instrument as a `Questionnaire` (modules
//!   spliced in, skeletons without wording), and each again under an `https` canonical base;
//! - `valid/imported/*.json`: the real-world Questionnaires of kapforms-core's import tests
//!   (`crates/core/tests/fhir/fixtures/`), imported and exported again, and the responses
//!   they come with, read back and exported again;
//! - `valid/response/<id>/<n>-<status>.json`: a `QuestionnaireResponse` for every golden case
//!   of every instrument, completed and in progress (repeating groups and modules included);
//!   plus an empty in-progress response per instrument and responses whose hidden answers
//!   must be pruned;
//! - `invalid/*.json`: exports broken on purpose; each must be rejected, and each check must
//!   reject some (a required value set only the JSON Schema checks, an invariant only
//!   Medplum checks, type errors both see, an answer that is none of its item's options only
//!   the check against the Questionnaire sees), so that the step is shown to be able to fail.
//!
//! Usage: `cargo run -p kapforms-instruments --example fhir_corpus -- OUT_DIR` (the folder is
//! emptied first). Prints how many files it wrote.

use kapforms_core::LiteMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use kapforms_core::fhir::{self, ExportOptions};
use kapforms_core::{AnswerValue, Questionnaire, Session, Status, Timestamps};
use serde_json::{json, Value};

fn main() -> ExitCode {
    let Some(out) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: fhir_corpus OUT_DIR");
        return ExitCode::from(2);
    };
    match write_corpus(&out) {
        Ok(counts) => {
            println!(
                "fhir_corpus: wrote {} Questionnaires, {} QuestionnaireResponses and {} \
                 deliberately invalid resources to {}",
                counts.questionnaires,
                counts.responses,
                counts.invalid,
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("fhir_corpus: {message}");
            ExitCode::FAILURE
        }
    }
}

/// How many files of each kind were written.
#[derive(Default)]
struct Counts {
    questionnaires: usize,
    responses: usize,
    invalid: usize,
}

/// The fixed times every generated response carries, so the corpus is the same on each run.
fn timestamps(status: Status) -> Timestamps {
    Timestamps {
        started_at: Some("2026-11-27T09:00:00.000Z".into()),
        updated_at: "2026-11-27T09:05:00.000Z".into(),
        completed_at: (status == Status::Completed).then(|| "2026-11-27T09:05:00.000Z".into()),
    }
}

fn write_json(path: &Path, value: &Value) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    std::fs::write(path, text + "\n").map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn load(id: &str) -> Result<Arc<Questionnaire>, String> {
    match kapforms_instruments::load(id) {
        Some(Ok(questionnaire)) => Ok(Arc::new(questionnaire)),
        Some(Err(error)) => Err(format!("built-in {id} is invalid: {error}")),
        None => Err(format!("no built-in instrument {id}")),
    }
}

/// A session holding `answers`, set one by one as a patient would (hidden items keep theirs).
fn session_with(
    questionnaire: &Arc<Questionnaire>,
    answers: &LiteMap<String, AnswerValue>,
) -> Result<Session, String> {
    let mut session = Session::new(questionnaire.clone());
    for (item, value) in answers {
        session
            .set_answer(item, Some(value.clone()))
            .map_err(|d| format!("{}: {d}", questionnaire.id))?;
    }
    Ok(session)
}

fn write_corpus(out: &Path) -> Result<Counts, String> {
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| format!("cannot empty {}: {e}", out.display()))?;
    }
    let mut counts = Counts::default();
    let https = ExportOptions {
        canonical_base: "https://forms.example.org/fhir/Questionnaire".into(),
    };
    let valid = out.join("valid");

    for id in kapforms_instruments::ids() {
        let questionnaire = load(id)?;
        write_json(
            &valid.join("questionnaire").join(format!("{id}.json")),
            &fhir::questionnaire(&questionnaire),
        )?;
        write_json(
            &valid.join("questionnaire").join(format!("{id}-https.json")),
            &fhir::questionnaire_with(&questionnaire, &https),
        )?;
        counts.questionnaires += 2;
        let empty = Session::new(questionnaire.clone());
        write_json(
            &valid
                .join("response")
                .join(id)
                .join("empty-in-progress.json"),
            &fhir::questionnaire_response(
                &questionnaire,
                &empty.response(Status::InProgress, timestamps(Status::InProgress)),
            ),
        )?;
        counts.responses += 1;
    }

    for (id, text) in kapforms_instruments::golden::CASES {
        let questionnaire = load(id)?;
        let data: Value = serde_json::from_str(text).map_err(|e| format!("{id} cases: {e}"))?;
        let cases = data["cases"].as_array().cloned().unwrap_or_default();
        if cases.is_empty() {
            return Err(format!("{id}: no golden cases"));
        }
        for (index, case) in cases.iter().enumerate() {
            let answers: LiteMap<String, AnswerValue> =
                kapforms_core::wire::answers_from_value(case["answers"].clone())
                    .map_err(|e| format!("{id} case {index}: {e}"))?;
            let session = session_with(&questionnaire, &answers)?;
            for (status, name) in [
                (Status::Completed, "completed"),
                (Status::InProgress, "in-progress"),
            ] {
                let response = session.response(status, timestamps(status));
                let options = if index % 2 == 0 {
                    ExportOptions::default()
                } else {
                    https.clone()
                };
                write_json(
                    &valid
                        .join("response")
                        .join(id)
                        .join(format!("{index:03}-{name}.json")),
                    &fhir::questionnaire_response_with(&questionnaire, &response, &options),
                )?;
                counts.responses += 1;
            }
        }
    }

    // Answers the patient gave before changing an earlier answer that hides them: the export
    // must leave them out, and what remains must still be valid.
    let hidden: [(&str, Value); 2] = [
        (
            "phq9",
            json!({"phq9_1": "0", "phq9_2": "0", "phq9_3": "0", "phq9_4": "0", "phq9_5": "0",
                   "phq9_6": "0", "phq9_7": "0", "phq9_8": "0", "phq9_9": "0",
                   "phq9_difficulty": "somewhat"}),
        ),
        (
            "intake",
            json!({"takes_medicines": false,
                   "medications": [{"name": "sertraline", "dose": "50 mg"}]}),
        ),
    ];
    for (id, answers) in hidden {
        let questionnaire = load(id)?;
        let answers: LiteMap<String, AnswerValue> =
            kapforms_core::wire::answers_from_value(answers).map_err(|e| format!("{id}: {e}"))?;
        let session = session_with(&questionnaire, &answers)?;
        let response = session.response(Status::Completed, timestamps(Status::Completed));
        write_json(
            &valid.join("response").join(id).join("hidden-pruned.json"),
            &fhir::questionnaire_response(&questionnaire, &response),
        )?;
        counts.responses += 1;
    }

    // A clinic's own FHIR Questionnaires, imported and exported again: real-world input (the
    // fixtures of kapforms-core's import tests) must leave as valid R4, and so must the
    // responses given to it (the fixtures' own, read back and re-exported).
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fhir/fixtures");
    let imported_dir = valid.join("imported");
    let pairs = [
        ("lforms__phq9.json", None),
        ("lforms__argonaut-phq9-ish.json", None),
        ("ResearchKitOnFHIR__PHQ-9.json", None),
        ("ResearchKitOnFHIR__GAD-7.json", None),
        (
            "kerndatensatzmodul-proms__Questionnaire-mii-qst-pro-gad-7.json",
            None,
        ),
        (
            "kerndatensatzmodul-proms__Bundle-mii-exa-pro-gad-7-bundle.json",
            Some("kerndatensatzmodul-proms__Bundle-mii-exa-pro-gad-7-bundle.json"),
        ),
        (
            "sample-content-ig__Questionnaire-phq-9-questionnaire.json",
            Some("sample-content-ig__QuestionnaireResponse-phq-9-questionnaireresponse.json"),
        ),
    ];
    for (file, response_file) in pairs {
        let read = |name: &str| {
            std::fs::read_to_string(fixtures.join(name)).map_err(|e| format!("{name}: {e}"))
        };
        let imported = fhir::import_questionnaire(&read(file)?)
            .map_err(|problems| format!("{file} does not import: {problems:?}"))?;
        let stem = file.trim_end_matches(".json");
        let questionnaire = Arc::new(imported.questionnaire.clone());
        write_json(
            &imported_dir.join(format!("{stem}.questionnaire.json")),
            &fhir::questionnaire(&questionnaire),
        )?;
        counts.questionnaires += 1;
        if let Some(response_file) = response_file {
            let answers = imported
                .import_response(&read(response_file)?)
                .map_err(|problems| format!("{response_file}: {problems:?}"))?;
            let session = session_with(&questionnaire, &answers)?;
            write_json(
                &imported_dir.join(format!("{stem}.response.json")),
                &fhir::questionnaire_response(
                    &questionnaire,
                    &session.response(Status::Completed, timestamps(Status::Completed)),
                ),
            )?;
            counts.responses += 1;
        }
    }

    // Broken on purpose: each must be rejected (see the module comment).
    let phq9 = load("phq9")?;
    let mut answers = LiteMap::new();
    for n in 1..=9 {
        answers.insert(format!("phq9_{n}"), AnswerValue::Text("2".into()));
    }
    let session = session_with(&phq9, &answers)?;
    let response = fhir::questionnaire_response(
        &phq9,
        &session.response(Status::Completed, timestamps(Status::Completed)),
    );
    let questionnaire = fhir::questionnaire(&phq9);
    let invalid = out.join("invalid");
    let mut broken = Vec::new();
    // A status outside the required value set.
    let mut bad = response.clone();
    bad["status"] = json!("done");
    broken.push(("response-unknown-status", bad));
    // An item with both an answer and child items, which R4 forbids (qrs-1) and which the
    // export must never write.
    let mut bad = response.clone();
    bad["item"][0]["item"][0]["item"] =
        json!([{ "linkId": "nested", "answer": [{ "valueString": "x" }] }]);
    broken.push(("response-answer-and-item", bad));
    // A coding that is none of the item's options: valid R4 on its own, wrong against the
    // Questionnaire it names.
    let mut bad = response.clone();
    bad["item"][0]["item"][1]["answer"][0]["valueCoding"]["code"] = json!("LA9999-9");
    broken.push(("response-answer-not-an-option", bad));
    // An answer whose value is not a FHIR type (a bare number where a Coding belongs).
    let mut bad = response.clone();
    bad["item"][0]["item"][0]["answer"][0] = json!({ "valueCoding": 2 });
    broken.push(("response-coding-not-an-object", bad));
    // An element R4 does not have.
    let mut bad = questionnaire.clone();
    bad["item"][0]["item"][0]["answers"] = json!([]);
    broken.push(("questionnaire-unknown-element", bad));
    // An empty string, which FHIR JSON forbids, and a missing required type.
    let mut bad = questionnaire;
    bad["title"] = json!("");
    if let Some(item) = bad["item"][0]["item"][0].as_object_mut() {
        item.remove("type");
    }
    broken.push(("questionnaire-empty-title-no-type", bad));
    for (name, value) in broken {
        write_json(&invalid.join(format!("{name}.json")), &value)?;
        counts.invalid += 1;
    }
    Ok(counts)
}
