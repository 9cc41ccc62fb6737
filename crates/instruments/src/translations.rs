//! Translations of the built-in instruments, one JSON file per instrument and language in
//! `translations/<lang>/<id>.json`, each recording where its wording comes from (source,
//! licence, attribution) beside the wording itself: a text pack of every piece of the
//! instrument's wording (see `kapforms_core::localize`), applied before modules are spliced in.
//!
//! Validated scales are translated only with an official translation reproduced verbatim
//! (PHQ-9 and GAD-7 in Spanish, and PHQ-2 and GAD-2, their first two items); a scale without one (PCL-5, AUDIT, WHO-5, ...) stays in
//! English and [`load_in`] names its sections, so the form can say the questionnaire is
//! available only in English. kapforms' own questionnaires are translated by kapforms.

use kapforms_core::definition::{parse_text_pack, Provenance, TextPack};
use kapforms_core::{DefinitionError, Diagnostic, Questionnaire};
use serde::Deserialize;

/// One shipped translation: the instrument, the language and the file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Translation {
    /// The instrument id.
    pub instrument: &'static str,
    /// The language's BCP 47 tag.
    pub language: &'static str,
    /// The translation file's text.
    pub json: &'static str,
}

// `ALL` (every translation file) and `WORDING` (each one's wording, compacted), listed by
// build.rs from `translations/`.
include!(concat!(env!("OUT_DIR"), "/translations.rs"));

/// A translation file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationFile {
    /// Always `"kapforms-translation"`.
    pub format: String,
    /// The instrument translated.
    pub instrument: String,
    /// The language's BCP 47 tag.
    pub language: String,
    /// Where the translated wording comes from, its licence and attribution.
    pub provenance: Provenance,
    /// The wording, by key (a key written twice is refused).
    #[serde(deserialize_with = "kapforms_core::definition::deserialize_text_pack")]
    pub text: TextPack,
}

/// The shipped translation of `instrument` into `language`, if any.
pub fn find(instrument: &str, language: &str) -> Option<&'static Translation> {
    ALL.iter()
        .find(|t| t.instrument == instrument && t.language == language)
}

/// Reads a translation file.
pub fn read(translation: &Translation) -> Result<TranslationFile, Diagnostic> {
    serde_json::from_str(translation.json).map_err(|error| {
        Diagnostic::new(
            format!(
                "translations/{}/{}.json",
                translation.language, translation.instrument
            ),
            error.to_string(),
        )
    })
}

/// A built-in instrument worded in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct Worded {
    /// The questionnaire as the patient reads it (modules spliced in, validated).
    pub questionnaire: Questionnaire,
    /// The sections left in English: those of embedded validated scales without an official
    /// translation.
    pub english_sections: Vec<String>,
}

/// The built-in instrument `id` worded in `language`: `None` when there is no such built-in
/// or it has no translation into that language (it is then shown in English). Embedded
/// instruments are worded in the language too when they have a translation.
pub fn load_in(id: &str, language: &str) -> Option<Result<Worded, DefinitionError>> {
    let own = wording_of(id, language)?;
    Some(word::<VALIDATE>(
        id,
        own,
        &|instrument| crate::find(instrument).map(|builtin| builtin.json),
        &|instrument| wording_of(instrument, language),
    ))
}

/// A worded built-in is validated once its modules are spliced in (`word::<VALIDATE>`)...
const VALIDATE: bool = true;
/// ...or not: the shipped wording of a built-in, which [`load_in`] validates in the tests
/// (every translation, modules spliced in). A constant, so that a program which only reads
/// trusted wording links no validator.
const TRUSTED: bool = false;

/// [`load_in`] from the built-ins' copies without provenance (see
/// [`crate::load_without_provenance`]).
pub fn load_in_without_provenance(
    id: &str,
    language: &str,
) -> Option<Result<Worded, DefinitionError>> {
    let own = wording_of(id, language)?;
    Some(word::<VALIDATE>(
        id,
        own,
        &crate::json_without_provenance,
        &|instrument| wording_of(instrument, language),
    ))
}

/// The built-in `id` worded in one language, reading the built-ins' copies without
/// provenance from `definitions` (see [`crate::load_trusted_from`]) and each one's compacted
/// wording in that language ([`wording_without_provenance`]) from `wording`: how
/// [`crate::prepared::wording_json`] prepares the file the patient's form reads. `None` when `wording` has
/// nothing for `id` (it is then shown in English); a module without wording stays in English
/// and is named in [`Worded::english_sections`]. Like [`crate::load_trusted_from`], it does
/// not validate: the files are the shipped wording, which [`load_in`] validates in the tests
/// (the patient's bundle of built-ins carries no validator).
pub fn load_in_from<'a>(
    id: &str,
    definitions: &dyn Fn(&str) -> Option<&'a str>,
    wording: &dyn Fn(&str) -> Option<&'a str>,
) -> Option<Result<Worded, DefinitionError>> {
    let own = wording(id)?;
    Some(word::<TRUSTED>(id, own, definitions, wording))
}

/// The compacted wording (a text pack, without the file's provenance) of the shipped
/// translation of `instrument` into `language`: what a form applies, and the text of the file
/// `cargo xtask dist` writes for it.
pub fn wording_without_provenance(instrument: &str, language: &str) -> Option<&'static str> {
    wording_of(instrument, language)
}

/// The compacted wording of the translation of `instrument` into `language`, if shipped.
fn wording_of(instrument: &str, language: &str) -> Option<&'static str> {
    WORDING
        .iter()
        .find(|(id, tag, _)| *id == instrument && *tag == language)
        .map(|(_, _, json)| *json)
}

/// The built-in `id` (its JSON and its modules' found by `definition`) worded with `own`, its
/// wording, and its modules' found by `wording`.
fn word<'a, const CHECK: bool>(
    id: &str,
    own: &str,
    definition: &dyn Fn(&str) -> Option<&'a str>,
    wording: &dyn Fn(&str) -> Option<&'a str>,
) -> Result<Worded, DefinitionError> {
    let read_pack = if CHECK {
        parse_text_pack
    } else {
        kapforms_core::definition::parse_trusted_text_pack
    };
    let pack = read_pack(own).map_err(DefinitionError::Parse)?;
    let json = definition(id).ok_or_else(|| {
        DefinitionError::Parse(Diagnostic::new("", format!("no built-in instrument {id}")))
    })?;
    // The shipped copies: read by the small reader of trusted copies where nothing is
    // validated (the patient's bundle), by serde's where everything is.
    let read = if CHECK {
        Questionnaire::parse_unchecked
    } else {
        Questionnaire::parse_trusted
    };
    let unexpanded = read(json).map_err(DefinitionError::Parse)?;
    let reworded = unexpanded
        .with_text_pack(&pack)
        .map_err(DefinitionError::Invalid)?;
    let resolve = |module: &str| -> Option<Questionnaire> {
        let english = read(definition(module)?).ok()?;
        match wording(module).and_then(|w| read_pack(w).ok()) {
            Some(pack) => english.with_text_pack(&pack).ok(),
            None => Some(english),
        }
    };
    // Sections that embed an untranslated module: their spliced sections are `<id>.<...>`.
    let prefixes: Vec<String> = reworded
        .sections
        .iter()
        .filter(|section| {
            section
                .module
                .as_deref()
                .is_some_and(|module| wording(module).is_none())
        })
        .map(|section| format!("{}.", section.id))
        .collect();
    let questionnaire = if CHECK {
        reworded.expanded_with(&resolve)?
    } else {
        let mut questionnaire = reworded;
        kapforms_core::modules::expand(&mut questionnaire, &resolve, &mut Vec::new())
            .map_err(DefinitionError::Invalid)?;
        questionnaire
    };
    let english_sections = questionnaire
        .sections
        .iter()
        .filter(|section| prefixes.iter().any(|prefix| section.id.starts_with(prefix)))
        .map(|section| section.id.clone())
        .collect();
    Ok(Worded {
        questionnaire,
        english_sections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the patient's form reads from the files without validating is exactly what the
    /// validated reading gives, for every shipped translation.
    #[test]
    fn the_unvalidated_reading_of_each_shipped_wording_is_the_validated_one() {
        for translation in ALL {
            let (id, language) = (translation.instrument, translation.language);
            let validated = load_in_without_provenance(id, language)
                .expect("shipped")
                .expect("valid");
            let read = load_in_from(id, &crate::json_without_provenance, &|instrument| {
                wording_without_provenance(instrument, language)
            })
            .expect("shipped")
            .expect("reads");
            assert_eq!(read, validated, "{language}/{id}");
        }
    }

    /// The patient's bundle reads the shipped wording by hand: as serde's reader does.
    #[test]
    fn each_shipped_wording_reads_by_hand_as_serde_reads_it() {
        for translation in ALL {
            let (id, language) = (translation.instrument, translation.language);
            let wording = wording_without_provenance(id, language).expect("shipped");
            let by_hand = kapforms_core::definition::parse_trusted_text_pack(wording);
            assert_eq!(by_hand, parse_text_pack(wording), "{language}/{id}");
        }
        let refused = kapforms_core::definition::parse_trusted_text_pack(r#"{"a": ["b"]}"#);
        assert_eq!(
            refused.map_err(|problem| problem.to_string()),
            Err("text_pack: expected an object of strings".to_owned())
        );
    }
}
