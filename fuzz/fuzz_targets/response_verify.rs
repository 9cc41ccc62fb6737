//! Fuzz target `response_verify`: arbitrary UTF-8 through `Response::from_json`, and every
//! response it reads through `verify` against the built-in PHQ-9. The re-scored response
//! must serialize, read back, and agree with itself on every score and flag. Any panic or
//! failed check is a crash.

#![no_main]

use std::sync::OnceLock;

use kapforms_core::{verify, Mismatch, Questionnaire, Response};
use libfuzzer_sys::fuzz_target;

/// The built-in PHQ-9 definition.
const PHQ9: &str = include_str!("../../crates/instruments/definitions/phq9.json");

fn phq9() -> &'static Questionnaire {
    static PARSED: OnceLock<Questionnaire> = OnceLock::new();
    PARSED.get_or_init(|| Questionnaire::from_json(PHQ9).expect("the PHQ-9 is valid"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(response) = Response::from_json(text) else {
        return;
    };
    let questionnaire = phq9();
    let verification = verify(questionnaire, &response);
    let recomputed = verification.recomputed;
    let json = recomputed.to_json();
    let reread = Response::from_json(&json)
        .unwrap_or_else(|d| panic!("a re-scored response does not read back: {d}\n{json}"));
    let again = verify(questionnaire, &reread);
    let disagreements: Vec<&Mismatch> = again
        .mismatches
        .iter()
        .filter(|m| !matches!(m, Mismatch::Answer(_) | Mismatch::Instrument { .. }))
        .collect();
    assert!(
        disagreements.is_empty(),
        "a re-scored response disagrees with itself: {disagreements:?}"
    );
});
