//! Scores declared in data: which items a score sums, and the severity bands that label
//! its value. The engine computes a score's value, its possible range, how many of its items
//! are answered, and (only when all are) its band.
//!
//! In JSON: `{"id": "phq9_total", "label": "...", "method": "sum", "items": [...],
//! "bands": [{"min": 0, "max": 4, "label": "Minimal"}, ...]}`. Bands are inclusive ranges,
//! in ascending order, that must cover the score's whole possible range without gaps or
//! overlaps (validation checks).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::answer::{answer_score, AnswerValue};
use crate::definition::{ItemKind, Questionnaire};

/// A score computed from answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreRule {
    /// Id unique among the questionnaire's scores.
    pub id: String,
    /// Name shown to the clinician, e.g. "PHQ-9 total score".
    pub label: String,
    /// How item scores combine.
    pub method: ScoreMethod,
    /// The items that count, by id.
    pub items: Vec<String>,
    /// Severity bands, ascending; may be empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bands: Vec<Band>,
}

/// How item scores combine into a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreMethod {
    /// The sum of the items' scores.
    Sum,
}

/// A labelled, inclusive range of score values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Lowest value in the band.
    #[serde(serialize_with = "crate::number::serialize")]
    pub min: f64,
    /// Highest value in the band.
    #[serde(serialize_with = "crate::number::serialize")]
    pub max: f64,
    /// The band's label, e.g. "Moderate".
    pub label: String,
}

/// A score's computed result.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreResult {
    /// The rule's id.
    pub id: String,
    /// The rule's label.
    pub label: String,
    /// The value from the items answered so far.
    pub value: f64,
    /// Lowest possible value.
    pub min: f64,
    /// Highest possible value.
    pub max: f64,
    /// How many of the score's (visible) items are answered.
    pub answered: usize,
    /// How many of the score's items are visible and so count.
    pub counted: usize,
    /// The band label; present only when every counted item is answered.
    pub band: Option<String>,
}

impl ScoreResult {
    /// Whether every counted item is answered, so the value is final.
    pub fn is_complete(&self) -> bool {
        self.answered == self.counted
    }
}

/// The lowest and highest score one item can contribute, if it is scored.
pub fn item_score_range(questionnaire: &Questionnaire, item_id: &str) -> Option<(f64, f64)> {
    let item = questionnaire.item(item_id)?;
    match &item.kind {
        ItemKind::SingleChoice { .. } => {
            let scores: Vec<f64> = questionnaire
                .options_of(item)
                .iter()
                .map(|option| option.score)
                .collect::<Option<_>>()?;
            let min = scores.iter().copied().fold(f64::INFINITY, f64::min);
            let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            scores.first().map(|_| (min, max))
        }
        ItemKind::MultipleChoice { .. } => {
            let scores: Vec<f64> = questionnaire
                .options_of(item)
                .iter()
                .map(|option| option.score)
                .collect::<Option<_>>()?;
            let min = scores.iter().filter(|s| **s < 0.0).sum();
            let max = scores.iter().filter(|s| **s > 0.0).sum();
            Some((min, max))
        }
        ItemKind::YesNo {
            yes_score: Some(yes),
            no_score: Some(no),
        } => Some((yes.min(*no), yes.max(*no))),
        #[allow(clippy::cast_precision_loss)]
        ItemKind::Integer {
            min: Some(min),
            max: Some(max),
            ..
        } => Some((*min as f64, *max as f64)),
        _ => None,
    }
}

impl ScoreRule {
    /// The score's possible range, summing its items' ranges (unscorable items count 0).
    pub fn range(&self, questionnaire: &Questionnaire) -> (f64, f64) {
        self.items
            .iter()
            .filter_map(|id| item_score_range(questionnaire, id))
            .fold((0.0, 0.0), |(lo, hi), (min, max)| (lo + min, hi + max))
    }

    /// The label of the band holding `value`: the last band whose minimum it reaches and
    /// whose maximum it does not pass.
    pub fn band_of(&self, value: f64) -> Option<&Band> {
        self.bands
            .iter()
            .rev()
            .find(|band| value >= band.min && value <= band.max)
            .or_else(|| self.bands.iter().rev().find(|band| value >= band.min))
    }

    /// Computes the score from the effective answers (hidden items already removed).
    pub fn compute(
        &self,
        questionnaire: &Questionnaire,
        answers: &BTreeMap<&str, &AnswerValue>,
        visible: &dyn Fn(&str) -> bool,
    ) -> ScoreResult {
        let (min, max) = self.range(questionnaire);
        let mut value = 0.0;
        let mut answered = 0;
        let mut counted = 0;
        for id in &self.items {
            if !visible(id) {
                continue;
            }
            counted += 1;
            let Some(item) = questionnaire.item(id) else {
                continue;
            };
            if let Some(score) = answers
                .get(id.as_str())
                .and_then(|answer| answer_score(questionnaire, item, answer))
            {
                value += score;
                answered += 1;
            }
        }
        let band = (answered == counted)
            .then(|| self.band_of(value).map(|band| band.label.clone()))
            .flatten();
        ScoreResult {
            id: self.id.clone(),
            label: self.label.clone(),
            value,
            min,
            max,
            answered,
            counted,
            band,
        }
    }
}
