//! The built-in kapforms instruments. Each is one JSON definition file in `definitions/`,
//! carrying its own provenance (source, licence, attribution, and a citation for every scoring
//! rule and cut-off), embedded at compile time. A clinic can instead pass its own definition
//! at run time; both go through the same parser and validation in `kapforms-core`.
//! [`translations`] holds the instruments in other languages.

pub mod golden;
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

/// Every built-in instrument, in the order a catalogue lists them.
pub const ALL: &[BuiltIn] = &[
    BuiltIn {
        id: "phq9",
        json: include_str!("../definitions/phq9.json"),
    },
    BuiltIn {
        id: "phq2",
        json: include_str!("../definitions/phq2.json"),
    },
    BuiltIn {
        id: "gad7",
        json: include_str!("../definitions/gad7.json"),
    },
    BuiltIn {
        id: "gad2",
        json: include_str!("../definitions/gad2.json"),
    },
    BuiltIn {
        id: "pcl5",
        json: include_str!("../definitions/pcl5.json"),
    },
    BuiltIn {
        id: "who5",
        json: include_str!("../definitions/who5.json"),
    },
    BuiltIn {
        id: "audit",
        json: include_str!("../definitions/audit.json"),
    },
    BuiltIn {
        id: "auditc",
        json: include_str!("../definitions/auditc.json"),
    },
    BuiltIn {
        id: "dast10",
        json: include_str!("../definitions/dast10.json"),
    },
    BuiltIn {
        id: "mdq",
        json: include_str!("../definitions/mdq.json"),
    },
    BuiltIn {
        id: "cssrs",
        json: include_str!("../definitions/cssrs.json"),
    },
    BuiltIn {
        id: "readiness-ruler",
        json: include_str!("../definitions/readiness-ruler.json"),
    },
    BuiltIn {
        id: "intake",
        json: include_str!("../definitions/intake.json"),
    },
    BuiltIn {
        id: "motivation",
        json: include_str!("../definitions/motivation.json"),
    },
    BuiltIn {
        id: "readiness",
        json: include_str!("../definitions/readiness.json"),
    },
    BuiltIn {
        id: "integration",
        json: include_str!("../definitions/integration.json"),
    },
];

/// The built-in instrument with this id, if any.
pub fn find(id: &str) -> Option<&'static BuiltIn> {
    ALL.iter().find(|builtin| builtin.id == id)
}

/// Parses and validates the built-in instrument with this id, with its modules (embedded
/// instruments) spliced in; `None` when there is none.
pub fn load(id: &str) -> Option<Result<Questionnaire, DefinitionError>> {
    find(id).map(|builtin| parse(builtin.json))
}

/// Parses and validates a definition (a built-in's or a clinic's own), resolving module
/// sections against the built-in instruments.
pub fn parse(json: &str) -> Result<Questionnaire, DefinitionError> {
    Questionnaire::from_json_with(json, &resolve_module)
}

/// The module resolver: a built-in instrument, read but not yet expanded.
fn resolve_module(id: &str) -> Option<Questionnaire> {
    find(id).and_then(|builtin| Questionnaire::parse_unchecked(builtin.json).ok())
}

/// The ids of every built-in instrument.
pub fn ids() -> impl Iterator<Item = &'static str> {
    ALL.iter().map(|builtin| builtin.id)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn unknown_ids_are_none() {
        assert!(load("no-such-instrument").is_none());
        assert!(ids().any(|id| id == "phq9"));
    }
}
