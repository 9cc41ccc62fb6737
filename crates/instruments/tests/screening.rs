//! The screening rules of kapforms' own KAP questionnaires (intake, motivation, readiness,
//! integration), checked row by row: every flag has a golden fixture that raises it alone and
//! a citation that names it; the intake's configurable thresholds change exactly what their
//! fixtures say (`tests/thresholds/intake.json`) and travel in the response; every sensitive
//! intake question offers "Prefer not to say"; the DAST-10 skeleton embedded in the intake is
//! withheld until the clinic's text pack supplies its wording, and then asked and scored; the
//! embedded PCL-5 is optional.

use kapforms_core::LiteMap;
use std::sync::Arc;

use kapforms_core::definition::{TextPack, ThresholdValues};
use kapforms_core::{
    verify, AnswerValue, ItemKind, Mismatch, Questionnaire, Response, Session, Status, Timestamps,
};
use serde_json::Value;

/// The KAP questionnaires whose flags are screening rules.
const SCREENING: [&str; 4] = ["intake", "motivation", "readiness", "integration"];

fn load(id: &str) -> Questionnaire {
    kapforms_instruments::load(id)
        .expect("built in")
        .expect("valid")
}

fn golden(id: &str) -> Value {
    let (_, text) = kapforms_instruments::golden::CASES
        .iter()
        .find(|(case_id, _)| *case_id == id)
        .expect("listed");
    serde_json::from_str(text).expect("golden cases parse")
}

fn case_flags(case: &Value) -> Vec<String> {
    let mut flags: Vec<String> = case["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .filter_map(|f| f.as_str().map(str::to_owned))
        .collect();
    flags.sort();
    flags
}

fn session_with(questionnaire: &Questionnaire, answers: &Value) -> Session {
    let answers: LiteMap<String, AnswerValue> =
        kapforms_core::wire::answers_from_value(answers.clone()).expect("answers");
    let mut session = Session::new(Arc::new(questionnaire.clone()));
    for (item, value) in answers {
        session
            .set_answer(&item, Some(value))
            .unwrap_or_else(|e| panic!("{item}: {e}"));
    }
    session
}

fn response_of(session: &Session) -> Response {
    session.response(
        Status::Completed,
        Timestamps {
            updated_at: "2026-11-27T10:00:00Z".into(),
            ..Timestamps::default()
        },
    )
}

fn raised(session: &Session) -> Vec<String> {
    let mut flags: Vec<String> = session
        .evaluation()
        .flags
        .iter()
        .map(|f| f.id.clone())
        .collect();
    flags.sort();
    flags
}

#[test]
fn every_screening_rule_has_a_fixture_raising_it_alone_and_combinations() {
    let mut rows = 0;
    let mut missing = Vec::new();
    for id in SCREENING {
        let questionnaire = load(id);
        let cases = golden(id);
        let cases = cases["cases"].as_array().expect("cases");
        for flag in &questionnaire.flags {
            rows += 1;
            // Alone, or (for an embedded instrument's flag, which may imply another of its
            // own, as WHO-5 at 28% or less is also below raw 13) with its module's flags only.
            let module = flag
                .id
                .split_once('.')
                .map(|(section, _)| format!("{section}."));
            let alone = cases.iter().any(|case| {
                let flags = case_flags(case);
                flags.contains(&flag.id)
                    && flags.iter().all(|other| {
                        *other == flag.id
                            || module
                                .as_ref()
                                .is_some_and(|m| other.starts_with(m.as_str()))
                    })
            });
            if !alone {
                missing.push(format!("{id}: {}", flag.id));
            }
        }
        let combined = cases
            .iter()
            .filter(|case| case_flags(case).len() >= 2)
            .count();
        assert!(combined >= 1, "{id}: no golden case combines flags");
    }
    assert!(
        missing.is_empty(),
        "no golden case raises these flags and nothing else:\n{}",
        missing.join("\n")
    );
    assert!(rows >= 60, "only {rows} screening rows");
}

#[test]
fn every_screening_rule_cites_its_source_by_name() {
    for id in SCREENING {
        let questionnaire = load(id);
        let provenance = questionnaire.provenance.as_ref().expect("provenance");
        for flag in &questionnaire.flags {
            if provenance
                .modules
                .iter()
                .any(|m| flag.id.starts_with(&format!("{}.", m.section)))
            {
                continue; // a module's own flag: cited in that instrument's definition
            }
            let named = provenance.citations.iter().any(|citation| {
                citation
                    .supports
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .any(|word| word == flag.id)
            });
            assert!(named, "{id}: no citation names flag `{}`", flag.id);
        }
    }
    // The rows the issue ties to the esketamine prescribing information.
    let intake = load("intake");
    let provenance = intake.provenance.as_ref().expect("provenance");
    for flag in [
        "aneurysm_or_avm",
        "intracerebral_haemorrhage",
        "blood_pressure_raised",
        "pregnancy",
        "breastfeeding",
        "ketamine_hypersensitivity",
    ] {
        let cited = provenance.citations.iter().any(|citation| {
            citation.supports.contains(flag) && citation.reference.contains("SPRAVATO (esketamine)")
        });
        assert!(
            cited,
            "`{flag}` is not cited to the esketamine prescribing information"
        );
    }
    let monitor = provenance
        .citations
        .iter()
        .find(|c| c.supports.contains("blood_pressure_raised"))
        .expect("cited");
    assert!(monitor.supports.contains("140/90"), "{}", monitor.supports);
}

/// The sections of the intake that ask about sensitive matters. Module sections keep their
/// instruments' validated wording and options, so they are not ours to extend; the trauma
/// module is optional instead. Contacts, reasons and medicines are not sensitive in this
/// sense (medicines are asked for safety, and "I'm not sure" answers are allowed there).
const SENSITIVE_SECTIONS: [&str; 7] = [
    "psychiatric_history",
    "suicide_self_harm",
    "treatments",
    "physical_health",
    "pregnancy",
    "substances",
    "life",
];

#[test]
fn every_sensitive_intake_question_offers_prefer_not_to_say() {
    let intake = load("intake");
    let mut checked = 0;
    for section_id in SENSITIVE_SECTIONS {
        let section = intake
            .sections
            .iter()
            .find(|s| s.id == section_id)
            .unwrap_or_else(|| panic!("no section {section_id}"));
        for item in &section.items {
            match &item.kind {
                ItemKind::SingleChoice { .. } | ItemKind::MultipleChoice { .. } => {
                    checked += 1;
                    let offers = intake.options_of(item).iter().any(|option| {
                        option.value == "prefer_not" && option.label == "Prefer not to say"
                    });
                    assert!(offers, "{section_id}.{}: no “Prefer not to say”", item.id);
                }
                ItemKind::YesNo { .. } => {
                    panic!(
                        "{section_id}.{}: a yes/no question cannot offer “Prefer not to say”",
                        item.id
                    )
                }
                _ => {}
            }
        }
    }
    assert!(checked >= 25, "only {checked} sensitive choice questions");
}

#[test]
fn configured_thresholds_raise_what_their_fixtures_say_and_travel_in_the_response() {
    let data: Value = serde_json::from_str(include_str!("thresholds/intake.json")).expect("json");
    let intake = load("intake");
    let mut failures = Vec::new();
    let mut changed: Vec<String> = Vec::new();
    for case in data["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let values: ThresholdValues = case["thresholds"]
            .as_object()
            .expect("thresholds")
            .iter()
            .map(|(id, value)| (id.clone(), value.as_f64().expect("a number")))
            .collect();
        changed.extend(values.keys().cloned());
        let configured = intake.with_thresholds(&values).expect("fixture values fit");
        let session = session_with(&configured, &case["answers"]);
        let expected = case_flags(case);
        if raised(&session) != expected {
            failures.push(format!(
                "{name}: raised {:?}, expected {expected:?}",
                raised(&session)
            ));
        }
        let by_default = session_with(&intake, &case["answers"]);
        let mut default_expected: Vec<String> =
            serde_json::from_value(case["default_flags"].clone()).expect("default flags");
        default_expected.sort();
        if raised(&by_default) != default_expected {
            failures.push(format!(
                "{name}: with defaults raised {:?}",
                raised(&by_default)
            ));
        }
        for (flag, label) in case["labels"].as_object().into_iter().flatten() {
            let shown = session.evaluation().flags.iter().find(|f| &f.id == flag);
            if shown.map(|f| f.label.as_str()) != label.as_str() {
                failures.push(format!(
                    "{name}: {flag} labelled {:?}",
                    shown.map(|f| &f.label)
                ));
            }
        }
        // The response records the values, and a server re-scores with them.
        let response = response_of(&session);
        let back = Response::from_json(&response.to_json()).expect("round trip");
        if back.thresholds != values {
            failures.push(format!("{name}: response recorded {:?}", back.thresholds));
        }
        let verification = verify(&intake, &back);
        if !verification.is_consistent() || !verification.content_hash_matches {
            failures.push(format!("{name}: {:?}", verification.mismatches));
        }
        // A server configured with the defaults explicitly reports the differing values.
        let defaults: ThresholdValues = intake
            .thresholds
            .iter()
            .map(|t| (t.id.clone(), t.default))
            .collect();
        let server = intake.with_thresholds(&defaults).expect("defaults fit");
        let server_view = verify(&server, &back);
        let differs: Vec<&Mismatch> = server_view
            .mismatches
            .iter()
            .filter(|m| matches!(m, Mismatch::ThresholdDiffers { .. }))
            .collect();
        let moved = values
            .iter()
            .filter(|(id, v)| intake.threshold(id).is_some_and(|t| t.default != **v))
            .count();
        if differs.len() != moved {
            failures.push(format!(
                "{name}: a default-configured server reported {differs:?}"
            ));
        }
    }
    for threshold in &intake.thresholds {
        assert!(
            changed.contains(&threshold.id),
            "no fixture changes threshold {}",
            threshold.id
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn unknown_or_out_of_range_thresholds_are_refused_with_their_path() {
    let intake = load("intake");
    let values: ThresholdValues = [
        ("bp_monitor_systolic".to_owned(), 400.0),
        ("no_such".to_owned(), 1.0),
        ("bp_monitor_diastolic".to_owned(), 95.0),
    ]
    .into_iter()
    .collect();
    let problems = intake.with_thresholds(&values).expect_err("refused");
    // Set in place (as the patient's bundle does), the same values are refused the same way,
    // and the definition keeps the values it had.
    let fitting: ThresholdValues = [("bp_monitor_diastolic".to_owned(), 95.0)]
        .into_iter()
        .collect();
    let mut in_place = intake.with_thresholds(&fitting).expect("fits");
    assert_eq!(in_place.set_thresholds(&values), Err(problems.clone()));
    assert_eq!(in_place.threshold_overrides(), &fitting);
    in_place
        .set_thresholds(&ThresholdValues::new())
        .expect("none fit");
    assert_eq!(in_place, intake);
    let paths: Vec<&str> = problems.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        ["thresholds.bp_monitor_systolic", "thresholds.no_such"]
    );
    assert!(problems[0].message.contains("120") && problems[0].message.contains("180"));
    let not_a_number =
        kapforms_core::definition::parse_thresholds(r#"{"bp_monitor_systolic": "150"}"#)
            .expect_err("a string");
    assert_eq!(not_a_number.path, "thresholds.bp_monitor_systolic");
    assert_eq!(not_a_number.message, r#"expected a number, found "150""#);
    // A response whose recorded threshold the definition does not know fails verification.
    let session = session_with(&intake, &serde_json::json!({"bp_systolic": 150}));
    let mut response = response_of(&session);
    response
        .thresholds
        .insert("bp_monitor_systolic".into(), 400.0);
    let verification = verify(&intake, &response);
    assert!(verification.mismatches.iter().any(
        |m| matches!(m, Mismatch::Threshold(d) if d.path == "thresholds.bp_monitor_systolic")
    ));
}

/// Placeholder wording for DAST-10, keyed as a clinic writes it for the instrument alone.
fn dast10_pack() -> TextPack {
    (1..=10)
        .map(|n| {
            (
                format!("dast10_{n}"),
                format!("Licensed DAST-10 question {n}"),
            )
        })
        .collect()
}

#[test]
fn dast10_in_the_intake_is_withheld_until_its_wording_is_supplied() {
    let intake = load("intake");
    assert!(
        !intake.restricted_text,
        "the intake itself is not a skeleton"
    );
    assert_eq!(intake.withheld_sections(), ["drugs.dast10"]);
    let session = session_with(&intake, &serde_json::json!({"drugs.dast10_1": true}));
    assert!(!session.is_visible("drugs.dast10_1"));
    assert!(
        session
            .missing_required()
            .iter()
            .all(|item| !item.id.starts_with("drugs.")),
        "withheld questions are not required"
    );
    let response = response_of(&session);
    assert_eq!(response.withheld_sections, ["drugs.dast10"]);
    assert!(!response.answers.contains_key("drugs.dast10_1"));
    let score = response
        .scores
        .iter()
        .find(|s| s.id == "drugs.dast10_total")
        .expect("score listed");
    assert!(!score.available && !score.complete && score.band.is_none());
    let json: Value = serde_json::from_str(&response.to_json()).expect("json");
    assert_eq!(
        json["withheld_sections"],
        serde_json::json!(["drugs.dast10"])
    );
    assert!(verify(&intake, &response).is_consistent());

    // With the clinic's pack (keys written for DAST-10 alone) the questions are asked and scored.
    let licensed = intake.with_text_pack(&dast10_pack()).expect("pack fits");
    assert!(licensed.withheld_sections().is_empty());
    let answers: serde_json::Map<String, Value> = (1..=10)
        .map(|n| (format!("drugs.dast10_{n}"), Value::Bool(n <= 4)))
        .collect();
    let session = session_with(&licensed, &Value::Object(answers));
    assert!(session.is_visible("drugs.dast10_1"));
    let score = session
        .evaluation()
        .scores
        .iter()
        .find(|s| s.id == "drugs.dast10_total")
        .expect("score");
    // Questions 1, 2 and 4 answered yes score 1; question 3 is reversed (yes scores 0);
    // questions 5 to 10 answered no score 0.
    assert!(score.available && score.is_complete());
    assert_eq!(score.value, 3.0);
    assert_eq!(score.band.as_deref(), Some("Moderate level"));
    let response = response_of(&session);
    assert!(response.withheld_sections.is_empty());
    // A server without the clinic's wording still re-scores it the same (wording is not
    // scoring), and only notes that the definition's content differs.
    let verification = verify(&intake, &response);
    assert!(
        verification.is_consistent(),
        "{:?}",
        verification.mismatches
    );
    assert!(!verification.content_hash_matches);
}

#[test]
fn a_response_cannot_withhold_a_section_whose_wording_is_ours() {
    let intake = load("intake");
    let answers = serde_json::json!({"mood.phq9_9": "3"});
    let session = session_with(&intake, &answers);
    let mut response = response_of(&session);
    assert!(response.flags.iter().any(|f| f.id == "mood.phq9_item9"));
    response.withheld_sections.push("mood.phq9".into());
    response.flags.retain(|f| f.id != "mood.phq9_item9");
    let verification = verify(&intake, &response);
    assert!(verification
        .mismatches
        .iter()
        .any(|m| matches!(m, Mismatch::Withheld { section } if section == "mood.phq9")));
    assert!(verification
        .mismatches
        .iter()
        .any(|m| matches!(m, Mismatch::MissingFlag { id } if id == "mood.phq9_item9")));
}

#[test]
fn the_intakes_trauma_module_is_optional_and_its_other_modules_are_not() {
    let intake = load("intake");
    let trauma: Vec<_> = intake
        .items()
        .filter(|item| item.id.starts_with("trauma.pcl5_") && item.kind.takes_answer())
        .collect();
    assert_eq!(trauma.len(), 20);
    assert!(trauma.iter().all(|item| !item.required));
    assert!(intake.item("mood.phq9_1").is_some_and(|item| item.required));
    // Leaving it blank: the PCL-5 total is incomplete, with no band and no flag.
    let session = session_with(&intake, &serde_json::json!({"trauma.pcl5_1": "4"}));
    let total = session
        .evaluation()
        .scores
        .iter()
        .find(|s| s.id == "trauma.pcl5_total")
        .expect("score");
    assert!(!total.is_complete() && total.band.is_none());
    assert!(session
        .missing_required()
        .iter()
        .all(|item| !item.id.starts_with("trauma.")));
}

#[test]
fn docs_screening_rules_has_a_row_for_every_rule_and_threshold() {
    let doc = include_str!("../../../docs/screening-rules.md");
    for id in SCREENING {
        let questionnaire = load(id);
        let modules: Vec<String> = questionnaire
            .provenance
            .iter()
            .flat_map(|p| p.modules.iter().map(|m| format!("{}.", m.section)))
            .collect();
        for flag in &questionnaire.flags {
            if modules.iter().any(|m| flag.id.starts_with(m.as_str())) {
                continue; // listed with its instrument's own rules
            }
            assert!(
                doc.contains(&format!("| `{}` |", flag.id)),
                "docs/screening-rules.md has no row for {id}'s `{}`",
                flag.id
            );
        }
        for threshold in &questionnaire.thresholds {
            assert!(
                doc.contains(&format!("| `{}` |", threshold.id)),
                "docs/screening-rules.md has no row for threshold `{}`",
                threshold.id
            );
        }
    }
}
