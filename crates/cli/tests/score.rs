//! `kapforms score` end to end: runs the built binary on committed response fixtures and
//! checks its exit code and what it says.

use std::process::{Command, Output};

fn kapforms(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kapforms"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
        .output()
        .expect("kapforms runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_consistent_response_scores_and_exits_zero() {
    let output = kapforms(&["score", "phq9-completed.json"]);
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        text(&output.stderr)
    );
    assert!(
        stdout.contains("PHQ-9 total score: 11 of 27, Moderate"),
        "{stdout}"
    );
    assert!(stdout.contains("FLAG [safety]"), "{stdout}");
}

#[test]
fn an_edited_total_exits_non_zero_and_names_the_score() {
    let output = kapforms(&["score", "phq9-edited-total.json"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "score `phq9_total` is stored as 7 (Mild) but the answers give 11 (Moderate)"
        ),
        "{stderr}"
    );
}

#[test]
fn a_removed_safety_flag_is_caught() {
    let output = kapforms(&["score", "phq9-flag-removed.json"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("flag `phq9_item9` is raised by the answers but not listed"),
        "{stderr}"
    );
}

#[test]
fn several_files_report_the_worst() {
    let output = kapforms(&["score", "phq9-completed.json", "phq9-edited-total.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stdout).contains("phq9-completed.json: phq9"));
}

#[test]
fn json_output_is_the_recomputed_response() {
    let output = kapforms(&["score", "--json", "phq9-edited-total.json"]);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json on stdout");
    assert_eq!(value["scores"][0]["value"], 11);
    assert_eq!(value["scores"][0]["band"], "Moderate");
}

#[test]
fn unreadable_input_names_the_bad_field_and_exits_two() {
    let output = kapforms(&["score", "not-a-response.json"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("instrument"), "{stderr}");
    let output = kapforms(&["score", "no-such-file.json"]);
    assert_eq!(output.status.code(), Some(2));
    let output = kapforms(&["frobnicate"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn json_lines_on_stdin_are_scored_one_per_line() {
    use std::io::Write;
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let compact = |name: &str| {
        let text = std::fs::read_to_string(format!("{fixtures}/{name}")).expect("fixture");
        serde_json::from_str::<serde_json::Value>(&text)
            .expect("json")
            .to_string()
    };
    let input = format!(
        "{}\n\n{}\n",
        compact("phq9-completed.json"),
        compact("phq9-edited-total.json")
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_kapforms"))
        .args(["score", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("wait");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(text(&output.stdout).contains("stdin:1: phq9"));
    assert!(
        stderr.contains("stdin:3: MISMATCH: score `phq9_total`"),
        "{stderr}"
    );
}

#[test]
fn validate_lists_every_problem_with_its_path() {
    let output = kapforms(&["validate", "bad-definition.json"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "bad-definition.json: sections[0].items[1].id: item id `mood` is already used"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("scores[0].items[1]: no item has the id `sleep`"),
        "{stderr}"
    );
}

#[test]
fn validate_accepts_a_built_in_definition() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../instruments/definitions/phq9.json"
    );
    let output = kapforms(&["validate", path]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("ok: phq9"));
}

#[test]
fn instruments_lists_id_version_and_licence() {
    let output = kapforms(&["instruments"]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("phq9\t1.0.0\tPatient Health Questionnaire (PHQ-9)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "licence: No permission required to reproduce, translate, display or distribute."
        ),
        "{stdout}"
    );
}
