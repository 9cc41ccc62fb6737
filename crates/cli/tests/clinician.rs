//! The clinician's commands end to end on the committed sample responses of one patient
//! (`tests/fixtures/results/`, one with an edited total, one with a safety flag): `report`
//! writes one self-contained HTML file with the flags before the scores and the tampered
//! response marked, and nothing in it refers outside the file; `fhir` converts both ways and
//! round-trips; `verify` prints only the mismatches and exits non-zero on any.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/results")
}

/// Every sample response file name, sorted.
fn samples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .expect("the fixtures folder")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json") && !name.contains("definition"))
        .collect();
    names.sort();
    names
}

fn kapforms(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kapforms"))
        .args(args)
        .current_dir(fixtures())
        .output()
        .expect("kapforms runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A scratch file path unique to this test process.
fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("kapforms-cli-{}-{name}", std::process::id()))
}

/// `report` on every sample, with the check-in definition and a patient; returns the HTML.
fn report(extra: &[&str]) -> String {
    let names = samples();
    let mut args = vec![
        "report",
        "--definition",
        "clinic-checkin.definition.json",
        "--patient-name",
        "Alex Example",
        "--patient-dob",
        "1985-04-12",
        "--patient-id",
        "RKC-0042",
        "--date",
        "2026-11-12",
    ];
    args.extend_from_slice(extra);
    args.extend(names.iter().map(String::as_str));
    let output = kapforms(&args);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    text(&output.stdout)
}

#[test]
fn the_report_puts_flags_first_and_marks_the_tampered_response() {
    let html = report(&[]);
    assert!(html.starts_with("<!doctype html>"), "{}", &html[..80]);
    let at = |needle: &str| {
        html.find(needle)
            .unwrap_or_else(|| panic!("`{needle}` not in the report"))
    };
    assert!(at("data-section=\"urgent-flags\"") < at("data-section=\"clearance-flags\""));
    assert!(at("data-section=\"clearance-flags\"") < at("data-section=\"scores\""));
    assert!(at("data-section=\"scores\"") < at("data-section=\"trends\""));
    assert!(at("data-section=\"trends\"") < at("data-section=\"answers\""));
    // The safety flag is the first flag, with its citation.
    let first_flag = at("data-flag=");
    assert_eq!(at("data-flag=\"phq9_item9\""), first_flag);
    assert!(html.contains("Kroenke K, Spitzer RL"));
    // The tampered response is marked once, with the recomputed and the stored value.
    assert_eq!(html.matches("data-integrity=\"mismatch\"").count(), 1);
    assert!(html.contains("Scores do not match the answers"));
    assert!(html.contains("stored as 3 (Minimal)"));
    assert!(html.contains("is stored as 3 (Minimal) but the answers give 6 (Mild)"));
    // One point per PHQ-9 response on the trend.
    let phq9 = &html[at("data-trend=\"phq9/phq9_total\"")..];
    let phq9 = &phq9[..phq9.find("</figure>").expect("the figure ends")];
    assert_eq!(phq9.matches("<circle").count(), 3, "{phq9}");
    // The patient and the date; a declined answer marked.
    assert!(
        html.contains("Alex Example") && html.contains("RKC-0042") && html.contains("2026-11-12")
    );
    assert!(html.contains("data-declined"));
}

#[test]
fn the_report_is_self_contained() {
    let html = report(&[]);
    for forbidden in [
        "http://", "https://", "<script", "<link", " src=", " href=", "url(", "@import",
    ] {
        assert!(
            !html.contains(forbidden),
            "the report contains `{forbidden}`"
        );
    }
    assert!(html.contains("<style>"), "the stylesheet is inline");
    assert!(html.contains("@media print"), "the print rules come along");
}

#[test]
fn report_escapes_every_text() {
    let hostile = scratch("hostile.json");
    let mut response: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("checkin-2026-11-10.json")).expect("fixture"),
    )
    .expect("json");
    response["answers"]["note"] = Value::from("</style><script>alert(1)</script><img src=x>");
    std::fs::write(&hostile, response.to_string()).expect("write");
    let output = kapforms(&[
        "report",
        "--definition",
        "clinic-checkin.definition.json",
        "--patient-name",
        "<b>Bobby</b> \"Tables\"",
        "--date",
        "2026-11-12",
        hostile.to_str().expect("path"),
    ]);
    let _ = std::fs::remove_file(&hostile);
    let html = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(!html.contains("<script>alert"), "unescaped answer");
    assert!(!html.contains("<img"), "unescaped answer");
    assert!(!html.contains("<b>Bobby"), "unescaped patient name");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
}

#[test]
fn report_writes_a_file_with_dash_o() {
    let path = scratch("report.html");
    let html = report(&["-o", path.to_str().expect("path")]);
    assert!(html.is_empty(), "nothing on stdout with -o");
    let written = std::fs::read_to_string(&path).expect("the report file");
    let _ = std::fs::remove_file(&path);
    assert!(written.contains("Questionnaire results"));
}

#[test]
fn verify_prints_only_mismatches_and_exits_one() {
    let names = samples();
    let mut args = vec!["verify", "--definition", "clinic-checkin.definition.json"];
    args.extend(names.iter().map(String::as_str));
    let output = kapforms(&args);
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{stdout}{}",
        text(&output.stderr)
    );
    assert_eq!(
        stdout.trim(),
        "phq9-2026-11-10.json: MISMATCH: score `phq9_total` is stored as 3 (Minimal) but the \
         answers give 6 (Mild)"
    );

    let output = kapforms(&["verify", "phq9-2026-09-01.json", "phq9-2026-10-06.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(output.stdout.is_empty());

    // Without the clinic's definition, the check-in cannot be checked.
    let output = kapforms(&["verify", "checkin-2026-11-10.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("definition unknown"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn fhir_round_trips() {
    let output = kapforms(&["fhir", "phq9-2026-10-06.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let fhir: Value = serde_json::from_slice(&output.stdout).expect("FHIR JSON");
    assert_eq!(fhir["resourceType"], "QuestionnaireResponse");
    assert_eq!(
        fhir["questionnaire"],
        "urn:kapforms:questionnaire:phq9|1.0.0"
    );
    assert_eq!(fhir["authored"], "2026-10-06T09:35:40.000Z");

    let path = scratch("phq9.fhir.json");
    std::fs::write(&path, &output.stdout).expect("write");
    let back = kapforms(&["fhir", path.to_str().expect("path")]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(back.status.code(), Some(0), "{}", text(&back.stderr));
    let native: Value = serde_json::from_slice(&back.stdout).expect("native JSON");
    let original: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("phq9-2026-10-06.json")).expect("fixture"),
    )
    .expect("json");
    for field in [
        "format",
        "instrument",
        "status",
        "completed_at",
        "answers",
        "scores",
        "flags",
    ] {
        assert_eq!(native[field], original[field], "{field}");
    }
}

#[test]
fn fhir_of_a_tampered_response_carries_the_recomputed_total_and_exits_one() {
    let output = kapforms(&["fhir", "phq9-2026-11-10.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("MISMATCH: score `phq9_total`"));
    let fhir: Value = serde_json::from_slice(&output.stdout).expect("FHIR JSON");
    let total = fhir["item"]
        .as_array()
        .and_then(|items| items.iter().find(|item| item["linkId"] == "phq9_total"))
        .expect("the total item");
    assert_eq!(total["answer"][0]["valueDecimal"], 6);
}

#[test]
fn a_fhir_response_with_an_edited_total_is_caught() {
    let output = kapforms(&["fhir", "phq9-2026-09-01.json"]);
    let mut fhir: Value = serde_json::from_slice(&output.stdout).expect("FHIR JSON");
    for item in fhir["item"].as_array_mut().expect("items") {
        if item["linkId"] == "phq9_total" {
            item["answer"][0]["valueDecimal"] = Value::from(2);
        }
    }
    let path = scratch("edited.fhir.json");
    std::fs::write(&path, fhir.to_string()).expect("write");
    let output = kapforms(&["verify", path.to_str().expect("path")]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains(
            "score `phq9_total` is stored as 2 (Minimal) but the answers give 15 (Moderately severe)"
        ),
        "{}",
        text(&output.stdout)
    );
}

#[test]
fn the_demo_site_samples_are_the_fixtures() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/samples");
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .expect("fixtures")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    for name in names {
        let fixture = std::fs::read(fixtures().join(&name)).expect("fixture");
        let copy = std::fs::read(site.join(&name))
            .unwrap_or_else(|e| panic!("www/samples/{name}: {e}; copy the fixture there"));
        assert!(
            fixture == copy,
            "www/samples/{name} differs from the fixture"
        );
    }
}
