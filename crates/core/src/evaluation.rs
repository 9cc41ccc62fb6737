//! Evaluation: from a definition and raw answers to what they mean. Works out which items
//! are visible (an item's `enable_when` may only refer to earlier items, so one pass in order
//! settles it), drops the answers of hidden items, then computes every score and raises every
//! flag. Sessions, response building and verification all go through here, so the widget, the
//! CLI and a host server can never disagree.

use std::collections::{BTreeMap, BTreeSet};

use crate::answer::AnswerValue;
use crate::condition::Facts;
use crate::definition::{Item, Questionnaire};
use crate::flags::RaisedFlag;
use crate::scoring::ScoreResult;

/// What a set of answers means under a definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Ids of the items currently shown. (Ordered sets and maps here, not hashed ones: for
    /// forms of tens to thousands of items, a few string comparisons cost less than SipHash.)
    pub visible: BTreeSet<String>,
    /// Every score, in definition order.
    pub scores: Vec<ScoreResult>,
    /// The flags raised, most severe first, then in definition order.
    pub flags: Vec<RaisedFlag>,
}

impl Evaluation {
    /// Evaluates `answers` (keyed by item id) under `questionnaire`.
    pub fn of(
        questionnaire: &Questionnaire,
        answers: &BTreeMap<String, AnswerValue>,
    ) -> Evaluation {
        let index: BTreeMap<&str, &Item> = questionnaire
            .items()
            .map(|item| (item.id.as_str(), item))
            .collect();
        let item_of = |id: &str| index.get(id).copied();
        let mut visible: BTreeSet<String> = BTreeSet::new();
        let mut effective: BTreeMap<&str, &AnswerValue> = BTreeMap::new();
        for item in questionnaire.items() {
            let shown = item.enable_when.as_ref().is_none_or(|condition| {
                condition.holds(&Facts {
                    questionnaire,
                    answer_of: &|id| effective.get(id).copied(),
                    score_of: &|_| None,
                    item_of: &item_of,
                })
            });
            if shown {
                visible.insert(item.id.clone());
                if let Some(answer) = answers.get(&item.id).filter(|a| !a.is_empty()) {
                    effective.insert(&item.id, answer);
                }
            }
        }
        let is_visible = |id: &str| visible.contains(id);
        let scores: Vec<ScoreResult> = questionnaire
            .scores
            .iter()
            .map(|rule| rule.compute(questionnaire, &effective, &is_visible, &item_of))
            .collect();
        let facts = Facts {
            questionnaire,
            answer_of: &|id| effective.get(id).copied(),
            score_of: &|id| {
                scores
                    .iter()
                    .find(|score| score.id == id && score.is_complete())
                    .map(|score| score.value)
            },
            item_of: &item_of,
        };
        let mut flags: Vec<RaisedFlag> = questionnaire
            .flags
            .iter()
            .filter(|rule| rule.when.holds(&facts))
            .map(|rule| RaisedFlag {
                id: rule.id.clone(),
                label: rule.label.clone(),
                severity: rule.severity,
                items: rule.when.referenced_items_with_scores(questionnaire),
                details: rule.when.details(&facts),
            })
            .collect();
        flags.sort_by_key(|flag| flag.severity);
        Evaluation {
            visible,
            scores,
            flags,
        }
    }

    /// Whether any safety flag is raised (the widget then shows crisis resources).
    pub fn has_safety_flag(&self) -> bool {
        self.flags
            .iter()
            .any(|flag| flag.severity == crate::flags::Severity::Safety)
    }
}
