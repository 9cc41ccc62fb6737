//! `kapforms rules`: the screening rule table, every flag with what raises it and a citation.

use std::process::Command;

#[test]
fn every_kap_questionnaires_rule_table_lists_every_flag_with_a_citation() {
    for id in ["intake", "motivation", "readiness", "integration"] {
        let output = Command::new(env!("CARGO_BIN_EXE_kapforms"))
            .args(["rules", id])
            .output()
            .expect("kapforms runs");
        assert_eq!(output.status.code(), Some(0));
        let text = String::from_utf8_lossy(&output.stdout);
        let questionnaire = kapforms_instruments::load(id)
            .expect("built in")
            .expect("valid");
        for flag in &questionnaire.flags {
            let start = text
                .find(&format!("] {}: ", flag.id))
                .unwrap_or_else(|| panic!("{id}: {} is not listed:\n{text}", flag.id));
            let entry: String = text[start..].lines().take(3).collect::<Vec<_>>().join("\n");
            assert!(
                entry.contains("when: ")
                    && entry.contains("source: ")
                    && !entry.contains("(none recorded)"),
                "{id}: {}: {entry}",
                flag.id
            );
        }
    }
}

#[test]
fn the_intake_rule_table_lists_every_flag_with_a_citation() {
    let output = Command::new(env!("CARGO_BIN_EXE_kapforms"))
        .args(["rules", "intake"])
        .output()
        .expect("kapforms runs");
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    let intake = kapforms_instruments::load("intake")
        .expect("built in")
        .expect("valid");
    for flag in &intake.flags {
        let start = text
            .find(&format!("] {}: ", flag.id))
            .unwrap_or_else(|| panic!("{} is not listed:\n{text}", flag.id));
        let entry: String = text[start..].lines().take(4).collect::<Vec<_>>().join("\n");
        assert!(entry.contains("when: "), "{entry}");
        assert!(
            entry.contains("source: ") && !entry.contains("(none recorded)"),
            "{}: {entry}",
            flag.id
        );
    }
    // Most urgent first: the first rule listed is a safety rule.
    let first = text.lines().nth(1).unwrap_or_default();
    assert!(first.contains("[safety]"), "{first}");
    assert!(
        text.contains("a medicine in medications.name is of class benzodiazepines"),
        "{text}"
    );
}

#[test]
fn an_unknown_instrument_is_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_kapforms"))
        .args(["rules", "no-such"])
        .output()
        .expect("kapforms runs");
    assert_eq!(output.status.code(), Some(2));
}
