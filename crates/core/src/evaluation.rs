//! Evaluation: from a definition and raw answers to what they mean. Works out which items
//! are visible (an item's `enable_when` may only refer to earlier items, so one pass in order
//! settles it), drops the answers of hidden items, then computes every score and raises every
//! flag. Sessions, response building and verification all go through here, so the widget, the
//! CLI and a host server can never disagree.

use std::collections::{BTreeMap, HashSet};

use crate::answer::AnswerValue;
use crate::definition::Questionnaire;
use crate::flags::RaisedFlag;
use crate::scoring::ScoreResult;

/// What a set of answers means under a definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Ids of the items currently shown.
    pub visible: HashSet<String>,
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
        let mut visible: HashSet<String> = HashSet::new();
        let mut effective: BTreeMap<&str, &AnswerValue> = BTreeMap::new();
        for item in questionnaire.items() {
            let shown = item.enable_when.as_ref().is_none_or(|condition| {
                condition.holds(questionnaire, &|id| effective.get(id).copied())
            });
            if shown {
                visible.insert(item.id.clone());
                if let Some(answer) = answers.get(&item.id).filter(|a| !a.is_empty()) {
                    effective.insert(&item.id, answer);
                }
            }
        }
        let is_visible = |id: &str| visible.contains(id);
        let scores = questionnaire
            .scores
            .iter()
            .map(|rule| rule.compute(questionnaire, &effective, &is_visible))
            .collect();
        let mut flags: Vec<RaisedFlag> = questionnaire
            .flags
            .iter()
            .filter(|rule| {
                rule.when
                    .holds(questionnaire, &|id| effective.get(id).copied())
            })
            .map(|rule| RaisedFlag {
                id: rule.id.clone(),
                label: rule.label.clone(),
                severity: rule.severity,
                items: rule
                    .when
                    .referenced_items()
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
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
