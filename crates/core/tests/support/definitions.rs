//! Test support shared by the FHIR tests: read a built-in definition from
//! `crates/instruments/definitions/`, resolving its modules (embedded instruments) from the
//! sibling files, as `kapforms_instruments::load` does (core cannot depend on that crate).

use kapforms_core::{DefinitionError, ItemKind, Questionnaire};

/// Parses a built-in definition's text with its modules resolved.
pub fn load_definition(text: &str) -> Result<Questionnaire, DefinitionError> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../instruments/definitions");
    Questionnaire::from_json_with(text, &|id| {
        std::fs::read_to_string(format!("{dir}/{id}.json"))
            .ok()
            .and_then(|text| Questionnaire::parse_unchecked(&text).ok())
    })
}

/// Whether the questionnaire has a repeating group, which FHIR import does not read back yet
/// (export writes it as a repeating `group`).
#[allow(dead_code)]
pub fn has_repeating_group(questionnaire: &Questionnaire) -> bool {
    questionnaire
        .items()
        .any(|item| matches!(item.kind, ItemKind::RepeatingGroup { .. }))
}
