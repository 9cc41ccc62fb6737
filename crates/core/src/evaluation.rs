//! Evaluation: from a definition and raw answers to what they mean. Works out which items
//! are visible (an item's `enable_when` may only refer to earlier items, so one pass in order
//! settles it), drops the answers of hidden items, then computes every score and raises every
//! flag. Sessions, response building and verification all go through here, so the widget, the
//! CLI and a host server can never disagree.
//!
//! Besides the definition and the answers, an evaluation depends on a [`Setting`]: the
//! clinic's threshold values and the sections withheld for lack of licensed wording. A session
//! takes both from its definition; a verifier takes them from the response, which records
//! them, so a re-score on a server uses exactly what the widget used.

use crate::id_set::IdSet;
use litemap::LiteMap;

use crate::answer::AnswerValue;
use crate::condition::Facts;
use crate::definition::{Questionnaire, ThresholdValues};
use crate::flags::RaisedFlag;
use crate::item_index::ItemIndex;
use crate::scoring::ScoreResult;

/// What a set of answers means under a definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Ids of the items currently shown, as a set sorted by id.
    pub visible: IdSet,
    /// Every score, in definition order.
    pub scores: Vec<ScoreResult>,
    /// The flags raised, most severe first, then in definition order.
    pub flags: Vec<RaisedFlag>,
    /// The clinic's threshold values the flags were raised with.
    pub thresholds: ThresholdValues,
    /// The sections withheld for lack of licensed wording.
    pub withheld: Vec<String>,
}

/// What an evaluation depends on besides the definition and the answers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Setting {
    /// The clinic's threshold values; a threshold not named has its default.
    pub thresholds: ThresholdValues,
    /// Sections withheld for lack of licensed wording: their items are not shown, not asked
    /// and not scored.
    pub withheld: Vec<String>,
}

impl Setting {
    /// The setting a definition carries: its clinic's threshold values and the sections still
    /// missing their licensed wording.
    pub fn of(questionnaire: &Questionnaire) -> Setting {
        Setting {
            thresholds: questionnaire.threshold_overrides().clone(),
            withheld: questionnaire.withheld_sections(),
        }
    }

    /// The setting a stored response records (unchecked: [`crate::verify`] checks it against
    /// the definition).
    pub fn recorded_in(response: &crate::wire::Response) -> Setting {
        Setting {
            thresholds: response.thresholds.clone(),
            withheld: response.withheld_sections.clone(),
        }
    }
}

impl Evaluation {
    /// Evaluates `answers` (keyed by item id) under `questionnaire`, with the setting it
    /// carries ([`Setting::of`]).
    pub fn of(questionnaire: &Questionnaire, answers: &LiteMap<String, AnswerValue>) -> Evaluation {
        Evaluation::with(questionnaire, answers, Setting::of(questionnaire))
    }

    /// Evaluates `answers` under `questionnaire` with an explicit setting (a verifier's, read
    /// from a stored response).
    pub fn with(
        questionnaire: &Questionnaire,
        answers: &LiteMap<String, AnswerValue>,
        setting: Setting,
    ) -> Evaluation {
        Evaluation::with_index(
            questionnaire,
            &ItemIndex::new(questionnaire),
            answers,
            setting,
        )
    }

    /// [`Evaluation::with`], finding items in `index`, the index of `questionnaire`'s items
    /// (built once by a caller that evaluates many answer sets, such as a verifier).
    pub fn with_index<'a>(
        questionnaire: &'a Questionnaire,
        index: &ItemIndex<'a>,
        answers: &LiteMap<String, AnswerValue>,
        setting: Setting,
    ) -> Evaluation {
        let item_of = |id: &str| index.get(id);
        // The items of withheld sections (few, mostly none).
        let withheld_items: Vec<&str> = questionnaire
            .sections
            .iter()
            .filter(|section| setting.withheld.contains(&section.id))
            .flat_map(|section| section.items.iter().map(|item| item.id.as_str()))
            .collect();
        // Worked out in item order, so a condition sees the items before its own that are
        // shown; kept by position during the pass (an id's position is one probe of the index,
        // whose items are in that order) and sorted into the set of ids once at the end.
        let items = index.items();
        let mut shown = vec![false; items.len()];
        for (position, item) in items.iter().enumerate() {
            if withheld_items.contains(&item.id.as_str()) {
                continue;
            }
            shown[position] = item.enable_when.as_ref().is_none_or(|condition| {
                let is_visible = |id: &str| index.position(id).is_some_and(|at| shown[at]);
                condition.holds(&Facts {
                    questionnaire,
                    answer_of: &|id| effective_answer(answers, &is_visible, id),
                    score_of: &|_| None,
                    item_of: &item_of,
                    thresholds: &setting.thresholds,
                })
            });
        }
        let visible: IdSet = items
            .iter()
            .zip(&shown)
            .filter(|(_, shown)| **shown)
            .map(|(item, _)| item.id.clone())
            .collect();
        // By position, as in the pass: a probe of the index rather than a search of the set.
        // (The same test as the pass's; a closure of its own, since `shown` is final now.)
        let is_visible = |id: &str| index.position(id).is_some_and(|at| shown[at]);
        let scores: Vec<ScoreResult> = questionnaire
            .scores
            .iter()
            .map(|rule| {
                let score = rule.compute(
                    questionnaire,
                    &|id| effective_answer(answers, &is_visible, id),
                    &is_visible,
                    &item_of,
                );
                if rule
                    .items
                    .iter()
                    .any(|id| withheld_items.contains(&id.as_str()))
                {
                    score.unavailable()
                } else {
                    score
                }
            })
            .collect();
        let facts = Facts {
            questionnaire,
            answer_of: &|id| effective_answer(answers, &is_visible, id),
            score_of: &|id| {
                scores
                    .iter()
                    .find(|score| score.id == id && score.is_complete())
                    .map(|score| score.value)
            },
            item_of: &item_of,
            thresholds: &setting.thresholds,
        };
        let mut flags: Vec<RaisedFlag> = questionnaire
            .flags
            .iter()
            .filter(|rule| rule.when.holds(&facts))
            .map(|rule| RaisedFlag {
                id: rule.id.clone(),
                label: rule.label_with(&|id| facts.threshold(id)),
                severity: rule.severity,
                items: rule.when.referenced_items_with_scores(questionnaire),
                details: rule.when.details(&facts),
            })
            .collect();
        crate::flags::sort_by_severity(&mut flags);
        Evaluation {
            visible,
            scores,
            flags,
            thresholds: setting.thresholds,
            withheld: setting.withheld,
        }
    }

    /// Whether any safety flag is raised (the widget then shows crisis resources).
    pub fn has_safety_flag(&self) -> bool {
        self.flags
            .iter()
            .any(|flag| flag.severity == crate::flags::Severity::Safety)
    }
}

/// An item's effective answer: its answer, when the item is shown (`is_visible`) and the
/// answer is not empty. Scores and conditions read only these.
fn effective_answer<'a>(
    answers: &'a LiteMap<String, AnswerValue>,
    is_visible: &dyn Fn(&str) -> bool,
    id: &str,
) -> Option<&'a AnswerValue> {
    answers
        .get(id)
        .filter(|answer| !answer.is_empty())
        .filter(|_| is_visible(id))
}
