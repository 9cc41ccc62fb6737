//! Verification: re-score a stored response from its answers and report every way the stored
//! scores, bands and flags disagree with what the definition computes. Host systems and the
//! clinician view use it to catch edited or corrupted responses.
//!
//! The re-score uses what the response records besides its answers: the clinic's threshold
//! values (checked against the definition's thresholds) and the sections withheld for lack of
//! licensed wording (only sections that are licensed skeletons may be withheld, so a response
//! cannot hide a module's flags by claiming it was not asked). A verifier whose definition
//! carries the clinic's own threshold values ([`Questionnaire::with_thresholds`]) re-scores
//! with those instead and reports every threshold the response recorded otherwise.

use std::fmt;

use crate::answer::check_answer;
use crate::definition::Questionnaire;
use crate::diagnostic::Diagnostic;
use crate::evaluation::{Evaluation, Setting};
use crate::item_index::ItemIndex;
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
    /// A threshold value the response records that the definition does not accept (an
    /// unknown id, or a value out of range); it is ignored in the re-score.
    Threshold(Diagnostic),
    /// The response was scored with another value of a threshold than the verifier's.
    ThresholdDiffers {
        /// The threshold id.
        id: String,
        /// The value the response was scored with.
        stored: f64,
        /// The verifier's value.
        expected: f64,
    },
    /// The response says a section was withheld that is not a licensed-wording section of
    /// the definition; it is asked (and scored) in the re-score.
    Withheld {
        /// The section id.
        section: String,
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
            Mismatch::Threshold(diagnostic) => {
                write!(
                    f,
                    "recorded threshold does not fit the definition: {diagnostic}"
                )
            }
            Mismatch::ThresholdDiffers {
                id,
                stored,
                expected,
            } => write!(
                f,
                "threshold `{id}` was {} when the response was scored, but is {} here",
                crate::number::display(*stored),
                crate::number::display(*expected)
            ),
            Mismatch::Withheld { section } => write!(
                f,
                "section `{section}` is recorded as withheld, but its wording is not licensed \
                 text the clinic supplies"
            ),
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

/// Verifies many responses against one definition, hashing the definition and indexing its
/// items once.
#[derive(Debug, Clone)]
pub struct Verifier<'a> {
    questionnaire: &'a Questionnaire,
    content_hash: String,
    index: ItemIndex<'a>,
}

impl<'a> Verifier<'a> {
    /// A verifier for responses to `questionnaire`.
    pub fn new(questionnaire: &'a Questionnaire) -> Verifier<'a> {
        Verifier {
            questionnaire,
            content_hash: questionnaire.content_hash(),
            index: ItemIndex::new(questionnaire),
        }
    }

    /// The definition responses are verified against.
    pub fn questionnaire(&self) -> &'a Questionnaire {
        self.questionnaire
    }

    /// The definition's content hash ([`Questionnaire::content_hash`]).
    pub fn content_hash(&self) -> &str {
        &self.content_hash
    }

    /// Re-scores `response` and compares.
    pub fn verify(&self, response: &Response) -> Verification {
        verify_indexed(
            self.questionnaire,
            &self.index,
            &self.content_hash,
            response,
        )
    }

    /// Re-scores `response` and compares, stopping at the evaluation ([`rescore`]).
    pub fn rescore(&self, response: &Response) -> Rescore {
        rescore_indexed(
            self.questionnaire,
            &self.index,
            &self.content_hash,
            response,
        )
    }
}

/// The setting to re-score `response` with: its recorded thresholds (or the verifier's own,
/// reporting differences) and its withheld sections, each checked against the definition.
fn setting_of(
    questionnaire: &Questionnaire,
    response: &Response,
    mismatches: &mut Vec<Mismatch>,
) -> Setting {
    let mut recorded = response.thresholds.clone();
    for problem in questionnaire.check_thresholds(&response.thresholds) {
        if let Some(id) = problem.path.strip_prefix("thresholds.") {
            recorded.remove(id);
        }
        mismatches.push(Mismatch::Threshold(problem));
    }
    let own = questionnaire.threshold_overrides();
    let thresholds = if own.is_empty() {
        recorded
    } else {
        for threshold in &questionnaire.thresholds {
            let stored = recorded
                .get(&threshold.id)
                .copied()
                .unwrap_or(threshold.default);
            let expected = own.get(&threshold.id).copied().unwrap_or(threshold.default);
            if stored != expected {
                mismatches.push(Mismatch::ThresholdDiffers {
                    id: threshold.id.clone(),
                    stored,
                    expected,
                });
            }
        }
        own.clone()
    };
    let mut withheld = Vec::new();
    for section in &response.withheld_sections {
        let licensed = questionnaire
            .sections
            .iter()
            .any(|s| &s.id == section && s.restricted_text);
        if licensed {
            withheld.push(section.clone());
        } else {
            mismatches.push(Mismatch::Withheld {
                section: section.clone(),
            });
        }
    }
    Setting {
        thresholds,
        withheld,
    }
}

/// Re-scores `response` under `questionnaire`, whose content hash the caller has computed
/// once ([`Questionnaire::content_hash`]) for many responses.
pub fn verify_against(
    questionnaire: &Questionnaire,
    content_hash: &str,
    response: &Response,
) -> Verification {
    verify_indexed(
        questionnaire,
        &ItemIndex::new(questionnaire),
        content_hash,
        response,
    )
}

/// [`verify_against`] with the index of `questionnaire`'s items at hand.
fn verify_indexed<'a>(
    questionnaire: &'a Questionnaire,
    index: &ItemIndex<'a>,
    content_hash: &str,
    response: &Response,
) -> Verification {
    let Rescore {
        evaluation,
        mismatches,
        content_hash_matches,
    } = rescore_indexed(questionnaire, index, content_hash, response);
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
    Verification {
        recomputed,
        mismatches,
        content_hash_matches,
    }
}

/// A verification that stops at the evaluation: every check of [`verify_against`], without
/// building the recomputed response (its copy of the answers, timestamps and labels), for a
/// reader that needs only the scores and flags, such as `kapforms score`'s text report.
#[derive(Debug, Clone, PartialEq)]
pub struct Rescore {
    /// The evaluation of the response's answers, with the setting it records (as checked).
    pub evaluation: Evaluation,
    /// Every disagreement found; empty when the response is consistent. The same as
    /// [`Verification::mismatches`].
    pub mismatches: Vec<Mismatch>,
    /// Whether the response's content hash is the definition's (see
    /// [`Verification::content_hash_matches`]).
    pub content_hash_matches: bool,
}

impl Rescore {
    /// Whether the stored scores, bands, flags and answers agree with the re-scoring.
    pub fn is_consistent(&self) -> bool {
        self.mismatches.is_empty()
    }
}

/// Re-scores `response` under `questionnaire` (whose content hash is `content_hash`) and
/// compares, as [`verify_against`] does, but returns the evaluation instead of a recomputed
/// response.
pub fn rescore(questionnaire: &Questionnaire, content_hash: &str, response: &Response) -> Rescore {
    rescore_indexed(
        questionnaire,
        &ItemIndex::new(questionnaire),
        content_hash,
        response,
    )
}

/// [`rescore`] with the index of `questionnaire`'s items at hand.
fn rescore_indexed<'a>(
    questionnaire: &'a Questionnaire,
    index: &ItemIndex<'a>,
    content_hash: &str,
    response: &Response,
) -> Rescore {
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
        match index.get(id) {
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
    let setting = setting_of(questionnaire, response, &mut mismatches);
    let evaluation = Evaluation::with_index(questionnaire, index, &response.answers, setting);
    // Compared with the computed scores themselves: a score is written out (as a response
    // writes it) only for a mismatch.
    for score in &evaluation.scores {
        let stored = response.scores.iter().find(|s| s.id == score.id);
        let agrees = stored.is_some_and(|stored| {
            (stored.value - score.value).abs() < 1e-9
                && stored.band == score.band
                && stored.complete == score.is_complete()
                && stored.available == score.available
        });
        if !agrees {
            mismatches.push(Mismatch::Score {
                id: score.id.clone(),
                stored: stored.cloned().map(Box::new),
                recomputed: Box::new(WireScore::of(questionnaire, score)),
            });
        }
    }
    for stored in &response.scores {
        if !evaluation.scores.iter().any(|s| s.id == stored.id) {
            mismatches.push(Mismatch::UnknownScore {
                id: stored.id.clone(),
            });
        }
    }
    for flag in &evaluation.flags {
        if !response.flags.iter().any(|f| f.id == flag.id) {
            mismatches.push(Mismatch::MissingFlag {
                id: flag.id.clone(),
            });
        }
    }
    for flag in &response.flags {
        if !evaluation.flags.iter().any(|f| f.id == flag.id) {
            mismatches.push(Mismatch::UnexpectedFlag {
                id: flag.id.clone(),
            });
        }
    }
    Rescore {
        evaluation,
        mismatches,
        content_hash_matches,
    }
}
