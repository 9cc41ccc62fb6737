//! The built-in kapforms instruments. Each is one JSON definition file in `definitions/`,
//! carrying its own provenance (source, licence, attribution, and a citation for every scoring
//! rule and cut-off), embedded at compile time. A clinic can instead pass its own definition
//! at run time; both go through the same parser and validation in `kapforms-core`.
//!
//! Each definition is also embedded minified and without its provenance, for the patient's
//! form ([`load_without_provenance`]): the same content and the same content hash (which does
//! not cover provenance) in 42% of the bytes (83 of 199 KB). A build that reads only those
//! copies (the patient's WebAssembly bundle) does not carry the files as written.
//! [`translations`] holds the instruments in other languages.

pub mod golden;
pub mod prepared;
pub mod translations;

use kapforms_core::{DefinitionError, Questionnaire};

/// A built-in instrument: its id and the JSON text of its definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltIn {
    /// The instrument id used in `<kap-form instrument="...">`.
    pub id: &'static str,
    /// The definition file's text.
    pub json: &'static str,
}

// `ALL` (each definition file as written), `IDS` and `WITHOUT_PROVENANCE` (each definition
// minified, without provenance), made by build.rs from `definitions/` in catalogue order.
include!(concat!(env!("OUT_DIR"), "/definitions.rs"));

/// The built-in instrument with this id, if any.
pub fn find(id: &str) -> Option<&'static BuiltIn> {
    ALL.iter().find(|builtin| builtin.id == id)
}

/// Parses and validates the built-in instrument with this id, with its modules (embedded
/// instruments) spliced in; `None` when there is none.
pub fn load(id: &str) -> Option<Result<Questionnaire, DefinitionError>> {
    find(id).map(|builtin| parse(builtin.json))
}

/// The built-in instrument with this id like [`load`], but from its copy without provenance
/// (modules' too): everything else, and so the content hash, is the same. It is not validated
/// again ([`load_trusted_from`]). `None` when there is none.
pub fn load_without_provenance(id: &str) -> Option<Result<Questionnaire, DefinitionError>> {
    load_trusted_from(id, &json_without_provenance)
}

/// The built-in `id` read from `definitions` (the text of a built-in's definition by id),
/// which must hold the copies without provenance that this crate ships
/// ([`json_without_provenance`], compiled in), with its modules spliced in from the same
/// source: how [`prepared::definition_json`] prepares the file the patient's form reads. Not validated again ([`Questionnaire::from_trusted_json_with`]): this crate's
/// build script validates every copy (an invalid built-in fails the build), its tests check
/// that each copy is the same definition as the file, and a copy read at run time is pinned
/// to the build's bytes by an integrity hash. `None` when `definitions` has no `id`.
pub fn load_trusted_from<'a>(
    id: &str,
    definitions: &dyn Fn(&str) -> Option<&'a str>,
) -> Option<Result<Questionnaire, DefinitionError>> {
    definitions(id).map(|json| {
        Questionnaire::from_trusted_json_with(json, &|module| {
            definitions(module).and_then(|text| Questionnaire::parse_trusted(text).ok())
        })
    })
}

/// The content hash of the built-in `id` as shipped ([`Questionnaire::content_hash`] of
/// [`load`]`(id)`, which is also that of [`load_without_provenance`]`(id)`), computed when this
/// crate was built; `None` when there is no such built-in. A form showing a built-in as it is
/// (no text pack) reports this instead of hashing the definition at start.
pub fn content_hash_of(id: &str) -> Option<&'static str> {
    CONTENT_HASHES
        .iter()
        .find(|(builtin, _)| *builtin == id)
        .map(|(_, hash)| *hash)
}

/// The minified JSON of the built-in `id` without its provenance, if there is one.
pub fn json_without_provenance(id: &str) -> Option<&'static str> {
    WITHOUT_PROVENANCE
        .iter()
        .find(|(builtin, _)| *builtin == id)
        .map(|(_, json)| *json)
}

/// Parses and validates a definition (a built-in's or a clinic's own), resolving module
/// sections against the built-in instruments.
pub fn parse(json: &str) -> Result<Questionnaire, DefinitionError> {
    Questionnaire::from_json_with(json, &resolve_module)
}

/// Parses and validates a definition like [`parse`], resolving module sections against the
/// built-ins' copies without provenance: what the patient's form does with a clinic's own
/// definition, so that it never reads the files as written.
pub fn parse_without_provenance(json: &str) -> Result<Questionnaire, DefinitionError> {
    parse_with_modules_from(json, &json_without_provenance)
}

/// Parses and validates a definition like [`parse`], resolving module sections against the
/// built-in copies in `definitions` (see [`load_trusted_from`]).
pub fn parse_with_modules_from<'a>(
    json: &str,
    definitions: &dyn Fn(&str) -> Option<&'a str>,
) -> Result<Questionnaire, DefinitionError> {
    Questionnaire::from_json_with(json, &|module| {
        definitions(module).and_then(|text| Questionnaire::parse_unchecked(text).ok())
    })
}

/// The module resolver: a built-in instrument, read but not yet expanded.
fn resolve_module(id: &str) -> Option<Questionnaire> {
    find(id).and_then(|builtin| Questionnaire::parse_unchecked(builtin.json).ok())
}

/// The ids of every built-in instrument, in catalogue order.
pub fn ids() -> impl Iterator<Item = &'static str> {
    IDS.iter().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a page must fetch beside a built-in: the modules it embeds, found in the files.
    #[test]
    fn every_builtin_parses_validates_and_matches_its_id() {
        for builtin in ALL {
            let questionnaire = match parse(builtin.json) {
                Ok(q) => q,
                Err(error) => panic!("{}: {error}", builtin.id),
            };
            assert_eq!(questionnaire.id, builtin.id);
        }
    }

    #[test]
    fn every_builtin_records_its_provenance() {
        for builtin in ALL {
            let questionnaire = parse(builtin.json).expect("valid");
            let provenance = questionnaire
                .provenance
                .as_ref()
                .unwrap_or_else(|| panic!("{} has no provenance", builtin.id));
            assert!(!provenance.source.is_empty() && !provenance.licence.is_empty());
            if !questionnaire.scores.is_empty() || !questionnaire.flags.is_empty() {
                assert!(
                    !provenance.citations.is_empty(),
                    "{} scores or flags without a citation",
                    builtin.id
                );
            }
        }
    }

    #[test]
    fn the_copies_without_provenance_are_the_definitions_without_provenance() {
        let listed: Vec<&str> = ALL.iter().map(|builtin| builtin.id).collect();
        assert_eq!(ids().collect::<Vec<_>>(), listed);
        for id in ids() {
            let whole = load(id).expect("built in").expect("valid");
            let lean = load_without_provenance(id)
                .expect("a copy without provenance")
                .expect("valid");
            assert!(whole.provenance.is_some(), "{id}");
            assert_eq!(lean.provenance, None, "{id}");
            let mut stripped = whole.clone();
            stripped.provenance = None;
            assert_eq!(lean, stripped, "{id}: content differs from the file's");
            assert_eq!(lean.content_hash(), whole.content_hash(), "{id}");
            assert_eq!(
                content_hash_of(id),
                Some(whole.content_hash().as_str()),
                "{id}"
            );
            let json = json_without_provenance(id).expect("listed");
            assert!(!json.contains('\n'), "{id}: the copy is not minified");
            // The form reads the copy without validating it again: this is the check.
            let checked = parse_without_provenance(json).expect("the copy validates");
            assert_eq!(checked, lean, "{id}");
        }
    }

    /// The patient's bundle reads the copies with the small reader of trusted copies: every
    /// copy, modules too, reads as serde reads it.
    #[test]
    fn the_small_reader_reads_every_copy_as_serde_does() {
        for id in ids() {
            let json = json_without_provenance(id).expect("listed");
            let trusted = Questionnaire::parse_trusted(json)
                .unwrap_or_else(|problem| panic!("{id}: {problem}"));
            let serde = Questionnaire::parse_unchecked(json).expect("reads");
            assert_eq!(trusted, serde, "{id}");
        }
    }

    #[test]
    fn unknown_ids_are_none() {
        assert!(load("no-such-instrument").is_none());
        assert!(load_without_provenance("no-such-instrument").is_none());
        assert!(content_hash_of("no-such-instrument").is_none());
        assert!(ids().any(|id| id == "phq9"));
    }
}
