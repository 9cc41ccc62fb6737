//! `kapforms questionnaire`: a built-in instrument (by id) or a definition file printed as the
//! FHIR R4 Questionnaire that `kapforms fhir` responses name, with the canonical base a host
//! chooses; an unknown id or a bad option is a usage error.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn kapforms(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kapforms"))
        .args(args)
        .output()
        .expect("kapforms runs")
}

fn json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

#[test]
fn a_built_in_prints_as_the_questionnaire_its_responses_name() {
    let phq9 = kapforms_instruments::load("phq9")
        .expect("built in")
        .expect("valid");
    let printed = json(&kapforms(&["questionnaire", "phq9"]));
    assert_eq!(printed, kapforms_core::fhir::questionnaire(&phq9));
    assert_eq!(printed["url"], "urn:kapforms:questionnaire:phq9");
    assert_eq!(printed["version"], phq9.version.as_str());

    let printed = json(&kapforms(&[
        "questionnaire",
        "--canonical-base",
        "https://clinic.example/fhir/Questionnaire/",
        "phq9",
    ]));
    assert_eq!(
        printed["url"],
        "https://clinic.example/fhir/Questionnaire/phq9"
    );
}

#[test]
fn a_definition_file_prints_too() {
    let file =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../instruments/definitions/gad7.json");
    let printed = json(&kapforms(&[
        "questionnaire",
        file.to_str().expect("UTF-8 path"),
    ]));
    assert_eq!(printed["resourceType"], "Questionnaire");
    assert_eq!(printed["url"], "urn:kapforms:questionnaire:gad7");
}

#[test]
fn an_unknown_instrument_or_option_is_a_usage_error() {
    let output = kapforms(&["questionnaire", "no-such-instrument"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no-such-instrument"));
    assert_eq!(kapforms(&["questionnaire"]).status.code(), Some(2));
    assert_eq!(
        kapforms(&["questionnaire", "--canonical", "x", "phq9"])
            .status
            .code(),
        Some(2)
    );
}
