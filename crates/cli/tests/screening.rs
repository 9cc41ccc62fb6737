//! The screening rules through the `kapforms` binary: `score --thresholds` re-scores an intake
//! with the clinic's blood pressure thresholds and reports a response scored with other
//! values; a response's recorded thresholds are used without it; bad threshold files are
//! refused with the path of each problem; a DAST-10 module withheld for lack of licensed
//! wording is reported as not available; `rules` shows the configurable thresholds, with the
//! clinic's values when given.

use kapforms_core::LiteMap;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;

use kapforms_core::definition::ThresholdValues;
use kapforms_core::{AnswerValue, Questionnaire, Session, Status, Timestamps};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn kapforms(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kapforms"))
        .args(args)
        .current_dir(FIXTURES)
        .output()
        .expect("kapforms runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn intake() -> Questionnaire {
    kapforms_instruments::load("intake")
        .expect("built in")
        .expect("valid")
}

/// Writes an intake response with this blood pressure, scored under `questionnaire`.
fn intake_response(
    name: &str,
    questionnaire: Questionnaire,
    systolic: i64,
    diastolic: i64,
) -> PathBuf {
    let answers: LiteMap<String, AnswerValue> = [
        ("bp_systolic".to_owned(), AnswerValue::Integer(systolic)),
        ("bp_diastolic".to_owned(), AnswerValue::Integer(diastolic)),
    ]
    .into_iter()
    .collect();
    let session = Session::with_answers(Arc::new(questionnaire), answers).expect("fits");
    let response = session.response(
        Status::Completed,
        Timestamps {
            updated_at: "2026-11-27T10:00:00Z".into(),
            ..Timestamps::default()
        },
    );
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, response.to_json()).expect("written");
    path
}

fn clinic_thresholds() -> ThresholdValues {
    [
        ("bp_monitor_systolic".to_owned(), 160.0),
        ("bp_monitor_diastolic".to_owned(), 100.0),
    ]
    .into_iter()
    .collect()
}

#[test]
fn a_response_scored_with_the_defaults_disagrees_with_the_clinics_thresholds() {
    let file = intake_response("intake-bp-150-95.json", intake(), 150, 95);
    let file = file.to_str().expect("utf-8 path");
    let output = kapforms(&["score", file]);
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        text(&output.stderr)
    );
    assert!(
        stdout.contains("FLAG [monitor] Reported blood pressure above 140/90 mmHg"),
        "{stdout}"
    );
    assert!(
        stdout.contains("DAST-10 total score (Drug use in the past 12 months): not available"),
        "{stdout}"
    );
    assert!(
        stdout.contains("not asked: section drugs.dast10"),
        "{stdout}"
    );

    let output = kapforms(&["score", "--thresholds", "thresholds-clinic.json", file]);
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains(
            "threshold `bp_monitor_systolic` was 140 when the response was scored, but is 160 here"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("flag `blood_pressure_raised` is listed"),
        "{stderr}"
    );
    assert!(!stdout.contains("Reported blood pressure"), "{stdout}");
}

#[test]
fn a_response_scored_with_the_clinics_thresholds_re_scores_with_them() {
    let configured = intake()
        .with_thresholds(&clinic_thresholds())
        .expect("in range");
    let file = intake_response("intake-bp-150-95-clinic.json", configured, 150, 95);
    let file = file.to_str().expect("utf-8 path");
    for args in [
        vec!["score", file],
        vec!["score", "--thresholds", "thresholds-clinic.json", file],
    ] {
        let output = kapforms(&args);
        let stdout = text(&output.stdout);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {stdout}{}",
            text(&output.stderr)
        );
        assert!(
            stdout.contains("threshold bp_monitor_systolic = 160"),
            "{stdout}"
        );
        assert!(!stdout.contains("FLAG"), "{stdout}");
    }
}

#[test]
fn bad_threshold_files_are_refused_with_each_path() {
    let file = intake_response("intake-bp-120-80.json", intake(), 120, 80);
    let output = kapforms(&[
        "score",
        "--thresholds",
        "thresholds-bad.json",
        file.to_str().expect("utf-8 path"),
    ]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("thresholds.bp_monitor_systolic: 400 is out of range"),
        "{stderr}"
    );
    assert!(
        stderr.contains("thresholds.bp_monitr_diastolic: no threshold has this id"),
        "{stderr}"
    );

    let output = kapforms(&["rules", "--thresholds", "thresholds-bad.json", "intake"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("thresholds.bp_monitor_systolic"));
}

#[test]
fn rules_show_the_thresholds_and_the_clinics_values() {
    let output = kapforms(&["rules", "intake"]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout.contains("configurable thresholds:"), "{stdout}");
    assert!(
        stdout
            .contains("bp_monitor_systolic = 140 mmHg (default; default 140, allowed 120 to 180)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("bp_systolic is above 140 (threshold bp_monitor_systolic)"),
        "{stdout}"
    );

    let output = kapforms(&["rules", "--thresholds", "thresholds-clinic.json", "intake"]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        stdout.contains("bp_monitor_systolic = 160 mmHg (set by the clinic; default 140"),
        "{stdout}"
    );
    assert!(
        stdout.contains("blood_pressure_raised: Reported blood pressure above 160/100 mmHg"),
        "{stdout}"
    );
    assert!(
        stdout.contains("bp_diastolic is above 100 (threshold bp_monitor_diastolic)"),
        "{stdout}"
    );
}

#[test]
fn the_clinicians_report_says_dast10_was_not_asked_for_lack_of_licensed_wording() {
    let file = intake_response("intake-report.json", intake(), 120, 80);
    let output = kapforms(&["report", file.to_str().expect("utf-8 path")]);
    let html = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let row = html
        .find("data-score=\"drugs.dast10_total\"")
        .map(|start| {
            &html[start
                ..html[start..]
                    .find("</tr>")
                    .map_or(html.len(), |end| start + end)]
        })
        .unwrap_or_else(|| panic!("no DAST-10 row:\n{html}"));
    assert!(
        row.contains(
            "not available: not asked, because the clinic has not supplied the licensed wording"
        ),
        "{row}"
    );
    assert!(!row.contains("<strong>"), "no value is shown: {row}");
}
