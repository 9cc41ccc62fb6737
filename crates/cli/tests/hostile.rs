//! The hostile corpus (`crates/core/tests/hostile/`) through the `kapforms` binary: `validate`
//! on every hostile definition and `score` on every hostile response must end with a clear
//! error (exit 1 or 2, the file and the problem's path on stderr), never a panic (exit 101)
//! or a signal. Files that are not UTF-8 are read here as the CLI reads them, so this is where
//! raw invalid bytes are checked end to end.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/hostile")
}

fn manifest() -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(corpus_dir().join("expected.json")).expect("manifest");
    serde_json::from_str(&text).expect("the manifest is a JSON object")
}

fn kapforms(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kapforms"))
        .args(args)
        .current_dir(corpus_dir())
        .output()
        .expect("kapforms runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Shortens stderr for a failure message.
fn head(text: &str) -> String {
    text.chars().take(600).collect()
}

/// Whether the process ended by itself with one of `codes` (not a panic, not a signal).
fn ended_with(output: &Output, codes: &[i32]) -> bool {
    output
        .status
        .code()
        .is_some_and(|code| codes.contains(&code))
}

#[test]
fn validate_rejects_every_hostile_definition_clearly() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, entry) in manifest() {
        if !name.starts_with("def-") {
            continue;
        }
        checked += 1;
        let output = kapforms(&["validate", &name]);
        let stderr = text(&output.stderr);
        let code = output.status.code();
        if code == Some(101) || code.is_none() {
            failures.push(format!(
                "{name}: crashed ({}): {}",
                output.status,
                head(&stderr)
            ));
            continue;
        }
        let known_bug = entry["known_bug"].as_bool() == Some(true);
        if entry["expect"].as_str() == Some("accept") {
            if code != Some(0) {
                failures.push(format!(
                    "{name}: should be valid, got {code:?}: {}",
                    head(&stderr)
                ));
            }
            continue;
        }
        if entry.get("utf8_error_at").is_some() {
            if code != Some(2) || !stderr.contains(&name) || !stderr.contains("UTF-8") {
                failures.push(format!(
                    "{name}: invalid UTF-8 should exit 2 naming the file and UTF-8, got \
                     {code:?}: {}",
                    head(&stderr)
                ));
            }
            continue;
        }
        if known_bug {
            // Documented in the manifest; here it only must not crash.
            continue;
        }
        if !ended_with(&output, &[1, 2]) {
            failures.push(format!("{name}: expected exit 1 or 2, got {code:?}"));
        }
        let path = entry["path"]
            .as_str()
            .or_else(|| entry["path_prefix"].as_str())
            .unwrap_or_default();
        let message = entry["message"].as_str().unwrap_or_default();
        let line_fits = stderr
            .lines()
            .any(|line| line.starts_with(&format!("{name}: {path}")) && line.contains(message));
        if !line_fits {
            failures.push(format!(
                "{name}: expected a line `{name}: {path}…: …{message}…` on stderr, got: {}",
                head(&stderr)
            ));
        }
    }
    assert!(checked >= 100, "only {checked} hostile definitions");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn score_rejects_every_hostile_response_clearly() {
    let mut failures = Vec::new();
    for (name, entry) in manifest() {
        if !name.starts_with("resp-") || entry.get("generate").is_some() {
            continue;
        }
        let mut args = vec!["score"];
        if let Some(definition) = entry["against"].as_str() {
            args.extend(["--definition", definition]);
        }
        args.push(&name);
        let output = kapforms(&args);
        let stderr = text(&output.stderr);
        let code = output.status.code();
        let known_bug = entry["known_bug"].as_bool() == Some(true);
        let fine = if known_bug {
            ended_with(&output, &[0, 1, 2])
        } else {
            ended_with(&output, &[1, 2]) && stderr.contains(&name)
        };
        if !fine {
            failures.push(format!(
                "{name}: expected exit 1 or 2 naming the file, got {code:?} ({}): {}",
                output.status,
                head(&stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn huge_and_deep_definitions_get_a_clear_answer() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-cli");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let base = std::fs::read_to_string(corpus_dir().join("_base.json")).expect("base");
    let mut definition: Value = serde_json::from_str(&base).expect("base is JSON");

    definition["title"] = Value::String("A".repeat(10 * 1024 * 1024));
    let big = dir.join("ten-megabyte-title.json");
    std::fs::write(&big, definition.to_string()).expect("write");
    let output = kapforms(&["validate", &big.to_string_lossy()]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        head(&text(&output.stderr))
    );

    let deep_condition = format!(
        r#"{}{{"answer":{{"item":"q1","answered":true}}}}{}"#,
        r#"{"all":["#.repeat(10_000),
        "]}".repeat(10_000)
    );
    let compact = serde_json::from_str::<Value>(&base)
        .expect("base is JSON")
        .to_string();
    let deep_text = compact.replacen(
        r#""id":"q2","#,
        &format!(r#""enable_when":{deep_condition},"id":"q2","#),
        1,
    );
    let deep = dir.join("nested-10000-deep.json");
    std::fs::write(&deep, deep_text).expect("write");
    let output = kapforms(&["validate", &deep.to_string_lossy()]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{}", head(&stderr));
    assert!(
        stderr.contains("sections[0].items[1].enable_when") && stderr.contains("recursion limit"),
        "{}",
        head(&stderr)
    );
}

#[test]
fn invalid_utf8_on_standard_input_is_an_error_not_a_crash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kapforms"))
        .args(["score", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kapforms runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"{\"format\": \"kapforms-\xff\"}\n\xc0\xaf\n")
        .expect("write");
    let output = child.wait_with_output().expect("kapforms ends");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("stdin:1"), "{stderr}");
}
