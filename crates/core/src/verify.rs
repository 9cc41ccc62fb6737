//! Verification: re-score a stored response from its answers and report every way the stored
//! scores, bands and flags disagree with what the definition computes. Host systems and the
//! clinician view use it to catch edited or corrupted responses.

use std::fmt;

use crate::answer::check_answer;
use crate::definition::Questionnaire;
use crate::diagnostic::Diagnostic;
use crate::evaluation::Evaluation;
use crate::wire::{Response, WireScore};

/// One disagreement between a stored response and its re-scoring.
#[derive(Debug, Clone, PartialEq)]
pub enum Mismatch {
    /// The response names another instrument.
    Instrument {
        /// The instrument id in the response.
        stored: String,
        /// The definition's id.
        expected: String,
    },
    /// An answer that does not fit the definition.
    Answer(Diagnostic),
    /// A stored score differs from the recomputed one (value or band), or is missing.
    Score {
        /// The score id.
        id: String,
        /// The stored score, if present.
        stored: Option<Box<WireScore>>,
        /// The recomputed score.
        recomputed: Box<WireScore>,
    },
    /// A score stored in the response that the definition does not have.
    UnknownScore {
        /// The score id.
        id: String,
    },
    /// A flag the answers raise that the response does not list.
    MissingFlag {
        /// The flag id.
        id: String,
    },
    /// A flag the response lists that the answers do not raise.
    UnexpectedFlag {
        /// The flag id.
        id: String,
    },
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let band = |band: &Option<String>| band.clone().unwrap_or_else(|| "no band".into());
        match self {
            Mismatch::Instrument { stored, expected } => {
                write!(
                    f,
                    "the response is for instrument `{stored}`, not `{expected}`"
                )
            }
            Mismatch::Answer(diagnostic) => {
                write!(f, "answer does not fit the definition: {diagnostic}")
            }
            Mismatch::Score {
                id,
                stored: None,
                recomputed,
            } => write!(
                f,
                "score `{id}` is missing; the answers give {} ({})",
                crate::number::display(recomputed.value),
                band(&recomputed.band)
            ),
            Mismatch::Score {
                id,
                stored: Some(stored),
                recomputed,
            } => write!(
                f,
                "score `{id}` is stored as {} ({}) but the answers give {} ({})",
                crate::number::display(stored.value),
                band(&stored.band),
                crate::number::display(recomputed.value),
                band(&recomputed.band)
            ),
            Mismatch::UnknownScore { id } => {
                write!(f, "score `{id}` is not defined by the instrument")
            }
            Mismatch::MissingFlag { id } => {
                write!(f, "flag `{id}` is raised by the answers but not listed")
            }
            Mismatch::UnexpectedFlag { id } => {
                write!(f, "flag `{id}` is listed but the answers do not raise it")
            }
        }
    }
}

/// The result of verifying a response.
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    /// The scores as recomputed from the answers.
    pub recomputed: Response,
    /// Every disagreement found; empty when the response is consistent.
    pub mismatches: Vec<Mismatch>,
    /// Whether the response's content hash is the definition's. When it is not, the response
    /// was made with other definition content (another version, or a clinic's edit): the
    /// re-scoring may legitimately differ, and a reader should be told.
    pub content_hash_matches: bool,
}

impl Verification {
    /// Whether the stored scores, bands, flags and answers agree with the re-scoring (the
    /// content hash is reported apart, in [`Verification::content_hash_matches`]).
    pub fn is_consistent(&self) -> bool {
        self.mismatches.is_empty()
    }
}

/// Re-scores `response` under `questionnaire` and compares.
pub fn verify(questionnaire: &Questionnaire, response: &Response) -> Verification {
    Verifier::new(questionnaire).verify(response)
}

/// Verifies many responses against one definition, hashing the definition once.
#[derive(Debug, Clone)]
pub struct Verifier<'a> {
    questionnaire: &'a Questionnaire,
    content_hash: String,
}

impl<'a> Verifier<'a> {
    /// A verifier for responses to `questionnaire`.
    pub fn new(questionnaire: &'a Questionnaire) -> Verifier<'a> {
        Verifier {
            questionnaire,
            content_hash: questionnaire.content_hash(),
        }
    }

    /// Re-scores `response` and compares.
    pub fn verify(&self, response: &Response) -> Verification {
        verify_against(self.questionnaire, &self.content_hash, response)
    }
}

/// Re-scores `response` under `questionnaire`, whose content hash the caller has computed
/// once ([`Questionnaire::content_hash`]) for many responses.
pub fn verify_against(
    questionnaire: &Questionnaire,
    content_hash: &str,
    response: &Response,
) -> Verification {
    let mut mismatches = Vec::new();
    if response.instrument.id != questionnaire.id {
        mismatches.push(Mismatch::Instrument {
            stored: response.instrument.id.clone(),
            expected: questionnaire.id.clone(),
        });
    }
    let content_hash_matches = response.instrument.content_hash == content_hash;
    for (id, value) in &response.answers {
        // The path is written only for a problem: formatting it for every answer was a
        // tenth of the time `kapforms score` spent per response.
        let path = || format!("answers.{id}");
        match questionnaire.item(id) {
            None => mismatches.push(Mismatch::Answer(Diagnostic::new(
                path(),
                "no item has this id",
            ))),
            Some(item) => {
                if let Err(message) = check_answer(questionnaire, item, value) {
                    mismatches.push(Mismatch::Answer(Diagnostic::new(path(), message)));
                }
            }
        }
    }
    let evaluation = Evaluation::of(questionnaire, &response.answers);
    let recomputed = Response::build_with_hash(
        questionnaire,
        content_hash,
        &response.answers,
        &evaluation,
        response.status,
        crate::wire::Timestamps {
            started_at: response.started_at.clone(),
            updated_at: response.updated_at.clone(),
            completed_at: response.completed_at.clone(),
        },
    );
    for score in &recomputed.scores {
        let stored = response.scores.iter().find(|s| s.id == score.id);
        let agrees = stored.is_some_and(|stored| {
            (stored.value - score.value).abs() < 1e-9
                && stored.band == score.band
                && stored.complete == score.complete
        });
        if !agrees {
            mismatches.push(Mismatch::Score {
                id: score.id.clone(),
                stored: stored.cloned().map(Box::new),
                recomputed: Box::new(score.clone()),
            });
        }
    }
    for stored in &response.scores {
        if !recomputed.scores.iter().any(|s| s.id == stored.id) {
            mismatches.push(Mismatch::UnknownScore {
                id: stored.id.clone(),
            });
        }
    }
    for flag in &recomputed.flags {
        if !response.flags.iter().any(|f| f.id == flag.id) {
            mismatches.push(Mismatch::MissingFlag {
                id: flag.id.clone(),
            });
        }
    }
    for flag in &response.flags {
        if !recomputed.flags.iter().any(|f| f.id == flag.id) {
            mismatches.push(Mismatch::UnexpectedFlag {
                id: flag.id.clone(),
            });
        }
    }
    Verification {
        recomputed,
        mismatches,
        content_hash_matches,
    }
}
