//! The clinician's review model, natively, on the committed sample responses of one patient
//! (`tests/fixtures/results/`): responses in date order whatever order they come in, the
//! tampered one caught by core's verification, flags most severe first, one trend point per
//! response, FHIR input read back, unknown and different definitions told apart, and a
//! citation found for every flag and every score of every built-in instrument.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::sync::Arc;

use kapforms_core::{Questionnaire, Severity};
use kapforms_widgets::review::{
    citations_for, Cited, DefinitionMatch, Definitions, Origin, ResponseInput, Review,
};

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/results")
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).expect("fixture")
}

fn checkin() -> Arc<Questionnaire> {
    Arc::new(
        kapforms_instruments::parse(&fixture("clinic-checkin.definition.json")).expect("valid"),
    )
}

fn built_in(id: &str) -> Option<Questionnaire> {
    kapforms_instruments::load(id).and_then(Result::ok)
}

fn review_of(inputs: &[ResponseInput]) -> Review {
    let clinic = [checkin()];
    Review::new(
        inputs,
        &Definitions {
            clinic: &clinic,
            built_in: &built_in,
        },
    )
}

fn input(name: &str) -> ResponseInput {
    ResponseInput {
        source: name.to_owned(),
        text: fixture(name),
    }
}

const SCRAMBLED: [&str; 6] = [
    "phq9-2026-11-10.json",
    "checkin-2026-11-10.json",
    "phq9-2026-09-01.json",
    "gad7-2026-11-10.json",
    "phq9-2026-10-06.json",
    "gad7-2026-09-01.json",
];

#[test]
fn responses_are_in_date_order_and_the_tampered_one_is_caught() {
    let inputs: Vec<ResponseInput> = SCRAMBLED.iter().map(|name| input(name)).collect();
    let review = review_of(&inputs);
    assert!(review.unreadable.is_empty(), "{:?}", review.unreadable);
    let order: Vec<&str> = review.responses.iter().map(|r| r.source.as_str()).collect();
    assert_eq!(
        order,
        [
            "phq9-2026-09-01.json",
            "gad7-2026-09-01.json",
            "phq9-2026-10-06.json",
            "phq9-2026-11-10.json",
            "gad7-2026-11-10.json",
            "checkin-2026-11-10.json",
        ]
    );
    let tampered: Vec<&str> = review
        .responses
        .iter()
        .filter(|r| r.has_mismatches())
        .map(|r| r.source.as_str())
        .collect();
    assert_eq!(tampered, ["phq9-2026-11-10.json"]);
    let recomputed = &review.responses[3].scores()[0];
    assert_eq!(
        (recomputed.value, recomputed.band.as_deref()),
        (6.0, Some("Mild"))
    );
    assert!(review
        .responses
        .iter()
        .all(|r| r.matched == DefinitionMatch::Same));
    assert!(review.responses[5].is_readiness(), "a clinic's own form");
}

#[test]
fn flags_are_most_severe_first_with_their_answers_and_citations() {
    let inputs: Vec<ResponseInput> = SCRAMBLED.iter().map(|name| input(name)).collect();
    let review = review_of(&inputs);
    let urgent = review.flags(&[Severity::Safety, Severity::ExcludePendingReview]);
    assert_eq!(urgent.len(), 1);
    assert_eq!(urgent[0].flag.id, "phq9_item9");
    let items = urgent[0].response.flag_items(urgent[0].flag);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].0.id, "phq9_9");
    assert!(!urgent[0].response.flag_citations("phq9_item9").is_empty());
    let clearance = review.flags(&[Severity::MedicalClearance, Severity::Monitor]);
    let ids: Vec<&str> = clearance.iter().map(|e| e.flag.id.as_str()).collect();
    assert_eq!(ids, ["checkin_bp_high", "checkin_no_ride"]);
    let cited = clearance[1].response.flag_citations("checkin_no_ride");
    assert_eq!(cited.len(), 1);
    assert!(cited[0].reference.contains("section 5"));
}

#[test]
fn one_trend_point_per_response_in_date_order() {
    let inputs: Vec<ResponseInput> = SCRAMBLED.iter().map(|name| input(name)).collect();
    let trends = review_of(&inputs).trends();
    let keys: Vec<&str> = trends.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(keys, ["phq9/phq9_total", "gad7/gad7_total"]);
    let phq9 = &trends[0];
    let values: Vec<f64> = phq9.points.iter().map(|p| p.value).collect();
    assert_eq!(values, [15.0, 11.0, 6.0]);
    let mismatched: Vec<bool> = phq9.points.iter().map(|p| p.mismatch).collect();
    assert_eq!(mismatched, [false, false, true]);
    assert_eq!((phq9.min, phq9.max, phq9.bands.len()), (0.0, 27.0, 5));
}

#[test]
fn fhir_responses_are_read_back_and_their_totals_checked() {
    let phq9 = built_in("phq9").expect("phq9");
    let stored = kapforms_core::Response::from_json(&fixture("phq9-2026-10-06.json")).expect("ok");
    let mut fhir = kapforms_core::fhir::questionnaire_response(&phq9, &stored);
    let review = review_of(&[ResponseInput {
        source: "fhir".into(),
        text: fhir.to_string(),
    }]);
    let read = &review.responses[0];
    assert_eq!(read.origin, Origin::Fhir);
    assert_eq!(read.matched, DefinitionMatch::Same);
    assert!(!read.has_mismatches(), "{:?}", read.mismatches());
    assert_eq!(read.stored.answers, stored.answers);
    assert_eq!(read.flags()[0].id, "phq9_item9");

    for item in fhir["item"].as_array_mut().expect("items") {
        if item["linkId"] == "phq9_total" {
            item["answer"][0]["valueDecimal"] = 3.into();
        }
    }
    fhir["questionnaire"] = "urn:kapforms:questionnaire:phq9|0.9".into();
    let review = review_of(&[ResponseInput {
        source: "fhir".into(),
        text: fhir.to_string(),
    }]);
    let read = &review.responses[0];
    assert!(read.has_mismatches());
    assert_eq!(read.matched, DefinitionMatch::Different);
}

#[test]
fn unknown_different_and_unreadable_inputs_are_told_apart() {
    let mut unknown: serde_json::Value =
        serde_json::from_str(&fixture("phq9-2026-09-01.json")).expect("json");
    unknown["instrument"]["id"] = "somebody-elses-scale".into();
    let mut different: serde_json::Value =
        serde_json::from_str(&fixture("gad7-2026-09-01.json")).expect("json");
    different["instrument"]["content_hash"] = "sha256:00".into();
    let both = serde_json::Value::Array(vec![unknown, different]);
    let review = review_of(&[
        ResponseInput {
            source: "both.json".into(),
            text: both.to_string(),
        },
        ResponseInput {
            source: "notes.json".into(),
            text: "{ not json".into(),
        },
        ResponseInput {
            source: "patient.json".into(),
            text: r#"{"resourceType": "Patient"}"#.into(),
        },
    ]);
    let matched: Vec<(&str, &DefinitionMatch)> = review
        .responses
        .iter()
        .map(|r| (r.source.as_str(), &r.matched))
        .collect();
    assert_eq!(
        matched,
        [
            ("both.json [1]", &DefinitionMatch::Unknown),
            ("both.json [2]", &DefinitionMatch::Different)
        ]
    );
    assert!(review.responses[0].verification.is_none());
    assert_eq!(review.unreadable.len(), 2);
    assert!(review.unreadable[1].message.contains("Patient"));
}

#[test]
fn every_built_in_flag_and_score_has_a_citation() {
    let mut uncited = Vec::new();
    let mut checked = 0;
    for id in kapforms_instruments::ids() {
        let Some(questionnaire) = built_in(id) else {
            continue;
        };
        let Some(provenance) = &questionnaire.provenance else {
            continue;
        };
        if provenance.citations.is_empty() && provenance.modules.is_empty() {
            continue;
        }
        checked += questionnaire.flags.len() + questionnaire.scores.len();
        for flag in &questionnaire.flags {
            if citations_for(&questionnaire, &flag.id, Cited::Flag).is_empty() {
                uncited.push(format!("{id}: flag {}", flag.id));
            }
        }
        for score in &questionnaire.scores {
            if citations_for(&questionnaire, &score.id, Cited::Score).is_empty() {
                uncited.push(format!("{id}: score {}", score.id));
            }
        }
    }
    assert!(checked >= 30, "only {checked} rules checked");
    assert!(uncited.is_empty(), "no citation found for: {uncited:#?}");
}
