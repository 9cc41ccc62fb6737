//! The built-ins as the patient's form reads them, prepared when `cargo xtask dist` writes
//! `dist/instruments/`: each definition with the modules it embeds already spliced in
//! ([`definition_json`]), and each translation as the whole worded definition, its modules
//! worded and spliced too ([`wording_json`]). The patient's bundle then only reads them
//! ([`read_definition`], [`read_wording`]): it splices and rewords nothing, so it carries no
//! `kapforms_core::modules` and, as it also refuses text packs, no `kapforms_core::localize`
//! (3.0 and 2.4 KiB gzip of a PHQ-9 page), and a
//! page of a built-in that embeds others (the intake embeds five) fetches one file, not six.
//!
//! Preparing changes nothing a form shows or records: a prepared definition reads back as
//! exactly the definition [`crate::load`] gives, and a prepared wording as exactly what
//! [`crate::translations::load_in`] gives, for every built-in and translation (the tests read
//! each both ways). A clinic's own definition that embeds a built-in splices the prepared copy,
//! which gives the definition splicing the copy as written gave (tested for every built-in).

use kapforms_core::{DefinitionError, Diagnostic, Questionnaire};
use serde_json::Value;

use crate::translations::Worded;

/// The key of a prepared wording file that holds the worded definition.
const DEFINITION_KEY: &str = "definition";
/// The key of a prepared wording file that lists the sections shown in English.
const ENGLISH_SECTIONS_KEY: &str = "english_sections";

/// The JSON of the built-in `id` as the patient's form reads it: its copy without provenance
/// with its modules spliced in, written compactly. `None` when there is no such built-in.
pub fn definition_json(id: &str) -> Option<Result<String, DefinitionError>> {
    let questionnaire = crate::load_trusted_from(id, &crate::json_without_provenance)?;
    Some(questionnaire.and_then(|questionnaire| to_json(&questionnaire)))
}

/// The JSON of the built-in `id` worded in `language`, as the patient's form reads it:
/// `{"english_sections": [...], "definition": {...}}`, the worded definition (modules worded
/// and spliced) and the sections left in English for want of an official translation.
/// `None` when there is no such built-in or translation.
pub fn wording_json(id: &str, language: &str) -> Option<Result<String, DefinitionError>> {
    let worded = crate::translations::load_in_from(id, &crate::json_without_provenance, &|id| {
        crate::translations::wording_without_provenance(id, language)
    })?;
    Some(worded.and_then(|worded| {
        let definition = serde_json::to_value(&worded.questionnaire)
            .map_err(|error| DefinitionError::Parse(Diagnostic::new("", error.to_string())))?;
        let file = serde_json::json!({
            ENGLISH_SECTIONS_KEY: worded.english_sections,
            DEFINITION_KEY: definition,
        });
        Ok(file.to_string())
    }))
}

/// The compact JSON of `questionnaire`.
fn to_json(questionnaire: &Questionnaire) -> Result<String, DefinitionError> {
    serde_json::to_string(questionnaire)
        .map_err(|error| DefinitionError::Parse(Diagnostic::new("", error.to_string())))
}

/// Reads a prepared definition ([`definition_json`]) with the reader of trusted copies: no
/// validation, no modules to splice. Never panics.
pub fn read_definition(text: &str) -> Result<Questionnaire, DefinitionError> {
    Questionnaire::parse_trusted(text).map_err(DefinitionError::Parse)
}

/// Reads a prepared wording ([`wording_json`]) as [`read_definition`] reads a definition.
/// Never panics.
pub fn read_wording(text: &str) -> Result<Worded, DefinitionError> {
    let problem =
        |path: &str, message: &str| DefinitionError::Parse(Diagnostic::new(path, message));
    let Ok(Value::Object(mut file)) = kapforms_core::json_value::parse(text) else {
        return Err(problem(".", "not a JSON object"));
    };
    let english_sections = match file.remove(ENGLISH_SECTIONS_KEY) {
        Some(Value::Array(ids)) => ids
            .into_iter()
            .map(|id| match id {
                Value::String(id) => Ok(id),
                _ => Err(problem(ENGLISH_SECTIONS_KEY, "expected a list of strings")),
            })
            .collect::<Result<Vec<String>, _>>()?,
        _ => return Err(problem(ENGLISH_SECTIONS_KEY, "expected a list of strings")),
    };
    let definition = file
        .remove(DEFINITION_KEY)
        .ok_or_else(|| problem(DEFINITION_KEY, "missing"))?;
    let questionnaire =
        Questionnaire::parse_trusted_value(definition).map_err(DefinitionError::Parse)?;
    Ok(Worded {
        questionnaire,
        english_sections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_prepared_definition_reads_back_as_the_validated_built_in() {
        for id in crate::ids() {
            let json = definition_json(id).expect("a built-in").expect("prepared");
            let read = read_definition(&json).expect("reads");
            let validated = crate::load_without_provenance(id)
                .expect("a built-in")
                .expect("valid");
            assert_eq!(read, validated, "{id}");
            assert!(
                read.sections.iter().all(|section| section.module.is_none()),
                "{id}: a module section is left"
            );
        }
    }

    #[test]
    fn each_prepared_wording_reads_back_as_the_validated_translation() {
        for translation in crate::translations::ALL {
            let (id, language) = (translation.instrument, translation.language);
            let json = wording_json(id, language)
                .expect("a translation")
                .expect("prepared");
            let read = read_wording(&json).expect("reads");
            let validated = crate::translations::load_in_without_provenance(id, language)
                .expect("a translation")
                .expect("valid");
            assert_eq!(read, validated, "{language}/{id}");
        }
        let intake = read_wording(&wording_json("intake", "es").expect("shipped").expect("ok"))
            .expect("reads");
        assert!(intake.english_sections.contains(&"trauma.pcl5".to_owned()));
    }

    #[test]
    fn a_clinics_definition_splices_a_prepared_built_in_as_it_splices_the_copy() {
        for id in crate::ids() {
            let own = serde_json::json!({
                "format": "kapforms-definition",
                "schema_version": 1,
                "id": "clinic-own",
                "version": "1",
                "title": "Our questionnaire",
                "sections": [{ "id": "embedded", "title": "Embedded", "module": id }],
            })
            .to_string();
            let prepared: Vec<(String, String)> = crate::ids()
                .map(|id| {
                    let json = definition_json(id).expect("a built-in").expect("prepared");
                    (id.to_owned(), json)
                })
                .collect();
            let from_prepared = crate::parse_with_modules_from(&own, &|module| {
                prepared
                    .iter()
                    .find(|(id, _)| id == module)
                    .map(|(_, json)| json.as_str())
            });
            let from_copies = crate::parse_without_provenance(&own);
            assert_eq!(
                from_prepared.map_err(|e| format!("{e:?}")),
                from_copies.map_err(|e| format!("{e:?}")),
                "{id}"
            );
        }
    }

    #[test]
    fn a_wording_file_of_another_shape_is_refused() {
        for text in [
            "[]",
            "not JSON",
            r#"{"definition": {}}"#,
            r#"{"english_sections": [1], "definition": {}}"#,
            r#"{"english_sections": []}"#,
        ] {
            assert!(read_wording(text).is_err(), "{text}");
        }
    }
}
