//! Scores declared in data. A score rule names its items and how their scores combine
//! (`sum`, `mean`, or `count` of items scoring at least a `threshold`, for cluster rules),
//! which items are `reverse`d, an optional `multiply` transform (WHO-5's raw x 4), what to do
//! when answers are missing, and the severity bands that label the value.
//!
//! In JSON: `{"id": "phq9_total", "label": "...", "method": "sum", "items": [...],
//! "bands": [{"min": 0, "max": 4, "label": "Minimal"}, ...]}`. Bands are inclusive ranges,
//! in ascending order, that must cover the score's whole possible range without gaps or
//! overlaps (validation checks).
//!
//! Missing answers are never silently counted as zero. By default a score with a missing item
//! is incomplete: it carries its running value, names the missing items and has no band. A
//! definition may instead declare the prorating rule its source publishes
//! (`"missing": {"prorate_up_to": 2, "citation": "..."}`): with at most that many items
//! missing, the mean of the answered items stands in for each missing one.

use serde::{Deserialize, Serialize};

use crate::answer::{answer_score, AnswerValue};
use crate::definition::{Item, ItemKind, Questionnaire};

/// A score computed from answers.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
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
    /// Items whose score is reversed (lowest option scores highest) before combining.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reverse: Vec<String>,
    /// For `count`: an item counts when its score is at least this.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::number::serialize_option"
    )]
    pub threshold: Option<f64>,
    /// A factor applied to the combined value, e.g. 4 for the WHO-5 percentage.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::number::serialize_option"
    )]
    pub multiply: Option<f64>,
    /// What to do when answers are missing; by default the score is incomplete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<MissingRule>,
    /// Severity bands, ascending; may be empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bands: Vec<Band>,
    /// A code for the score (e.g. LOINC 44261-6 for the PHQ-9 total), used in FHIR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<crate::definition::Coding>,
    /// For a score that came with an embedded instrument (a module), that instrument as
    /// `id@version`: the score is that instrument's, and responses say so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instrument: Option<String>,
}

/// How item scores combine into a score.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreMethod {
    /// The sum of the items' scores.
    Sum,
    /// The mean of the items' scores.
    Mean,
    /// How many items score at least the rule's `threshold`.
    Count,
}

impl ScoreMethod {
    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ScoreMethod::Sum => "sum",
            ScoreMethod::Mean => "mean",
            ScoreMethod::Count => "count",
        }
    }
}

impl<'de> serde::Deserialize<'de> for ScoreMethod {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::serde_strict::by_name(
            deserializer,
            &[ScoreMethod::Sum, ScoreMethod::Mean, ScoreMethod::Count],
            ScoreMethod::as_str,
            &["sum", "mean", "count"],
        )
    }
}

/// A published rule for scoring with answers missing.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingRule {
    /// With at most this many items missing, each is replaced by the mean of the answered
    /// items; with more, the score is incomplete.
    pub prorate_up_to: usize,
    /// The source that publishes this rule.
    pub citation: String,
}

/// A labelled, inclusive range of score values.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
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
    /// The rule's method.
    pub method: ScoreMethod,
    /// The embedded instrument that owns the score, as `id@version`, if any.
    pub instrument: Option<String>,
    /// The value: final when complete, else from the items answered so far.
    pub value: f64,
    /// Lowest possible value.
    pub min: f64,
    /// Highest possible value.
    pub max: f64,
    /// How many of the score's (visible) items are answered.
    pub answered: usize,
    /// How many of the score's items are visible and so count.
    pub counted: usize,
    /// Visible items without an answer.
    pub missing: Vec<String>,
    /// Whether missing answers were prorated by the rule's published missing-answer rule.
    pub prorated: bool,
    /// The band label; present only when the score is complete.
    pub band: Option<String>,
    /// False when the score's questions were withheld (their licensed wording is missing):
    /// the score is not available, has no value and no band, and is never complete.
    pub available: bool,
}

impl ScoreResult {
    /// Whether the value is final: every counted item answered, or prorated by rule.
    pub fn is_complete(&self) -> bool {
        self.available && (self.missing.is_empty() || self.prorated)
    }

    /// This score as not available: its questions were not asked.
    pub fn unavailable(self) -> ScoreResult {
        ScoreResult {
            value: 0.0,
            answered: 0,
            counted: 0,
            missing: Vec::new(),
            prorated: false,
            band: None,
            available: false,
            ..self
        }
    }
}

/// The lowest and highest score one item can contribute, if it is scored.
pub fn item_score_range(questionnaire: &Questionnaire, item_id: &str) -> Option<(f64, f64)> {
    item_range(questionnaire, questionnaire.item(item_id)?)
}

/// [`item_score_range`] of an item already at hand.
pub fn item_range(questionnaire: &Questionnaire, item: &Item) -> Option<(f64, f64)> {
    // Choice items: every option must be scored; the options are walked in place, with no
    // list of their scores (this runs for every scored item of every evaluation).
    match &item.kind {
        ItemKind::SingleChoice { .. } => {
            let options = questionnaire.options_of(item);
            if options.is_empty() || options.iter().any(|option| option.score.is_none()) {
                return None;
            }
            let scores = options.iter().filter_map(|option| option.score);
            let min = scores.clone().fold(f64::INFINITY, f64::min);
            let max = scores.fold(f64::NEG_INFINITY, f64::max);
            Some((min, max))
        }
        ItemKind::MultipleChoice { .. } => {
            let options = questionnaire.options_of(item);
            if options.iter().any(|option| option.score.is_none()) {
                return None;
            }
            let scores = options.iter().filter_map(|option| option.score);
            let min = scores.clone().filter(|s| *s < 0.0).sum();
            let max = scores.filter(|s| *s > 0.0).sum();
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
    /// The score's possible range.
    pub fn range(&self, questionnaire: &Questionnaire) -> (f64, f64) {
        self.range_with(questionnaire, &|id| questionnaire.item(id))
    }

    /// [`ScoreRule::range`], finding items with `item_of` (an index, on hot paths).
    pub(crate) fn range_with<'a>(
        &self,
        questionnaire: &'a Questionnaire,
        item_of: &dyn Fn(&str) -> Option<&'a Item>,
    ) -> (f64, f64) {
        // One pass, no list: this runs for every score of every evaluation.
        let (mut low, mut high, mut count) = (0.0, 0.0, 0usize);
        for (min, max) in self
            .items
            .iter()
            .filter_map(|id| item_range(questionnaire, item_of(id)?))
        {
            low += min;
            high += max;
            count += 1;
        }
        #[allow(clippy::cast_precision_loss)]
        let count = count as f64;
        let (low, high) = match self.method {
            ScoreMethod::Sum => (low, high),
            ScoreMethod::Mean if count == 0.0 => (0.0, 0.0),
            ScoreMethod::Mean => (low / count, high / count),
            ScoreMethod::Count => (0.0, count),
        };
        let factor = self.multiply.unwrap_or(1.0);
        if factor >= 0.0 {
            (low * factor, high * factor)
        } else {
            (high * factor, low * factor)
        }
    }

    /// The band holding `value`: the band whose range contains it, else (for a value between
    /// two bands, which only a mean or prorated value can fall in) the highest band it reaches.
    pub fn band_of(&self, value: f64) -> Option<&Band> {
        self.bands
            .iter()
            .rev()
            .find(|band| value >= band.min && value <= band.max)
            .or_else(|| self.bands.iter().rev().find(|band| value >= band.min))
    }

    /// One item's contribution, reversed if the rule says so.
    fn item_value(
        &self,
        questionnaire: &Questionnaire,
        item: &Item,
        answer: &AnswerValue,
    ) -> Option<f64> {
        let score = answer_score(questionnaire, item, answer)?;
        if self.reverse.contains(&item.id) {
            let (min, max) = item_range(questionnaire, item)?;
            Some(min + max - score)
        } else {
            Some(score)
        }
    }

    /// What one of the score's items contributes: nothing when hidden (`visible` false),
    /// else it counts, and it is answered when its effective `answer` has a score.
    pub(crate) fn leaf(
        &self,
        questionnaire: &Questionnaire,
        item: Option<&Item>,
        visible: bool,
        answer: Option<&AnswerValue>,
    ) -> Tally {
        if !visible {
            return Tally::default();
        }
        let value = answer
            .zip(item)
            .and_then(|(answer, item)| self.item_value(questionnaire, item, answer));
        match value {
            Some(value) => Tally {
                sum: value,
                answered: 1,
                counted: 1,
                hits: usize::from(value >= self.threshold.unwrap_or(f64::INFINITY)),
            },
            None => Tally {
                counted: 1,
                ..Tally::default()
            },
        }
    }

    /// Computes the score from the effective answers (`answer_of`: none for hidden items and
    /// empty answers), finding items with `item_of`.
    pub fn compute<'a>(
        &self,
        questionnaire: &'a Questionnaire,
        answer_of: &dyn Fn(&str) -> Option<&'a AnswerValue>,
        visible: &dyn Fn(&str) -> bool,
        item_of: &dyn Fn(&str) -> Option<&'a Item>,
    ) -> ScoreResult {
        let range = self.range_with(questionnaire, item_of);
        let mut missing = Vec::new();
        let leaves: Vec<Tally> = self
            .items
            .iter()
            .map(|id| {
                let leaf = self.leaf(questionnaire, item_of(id), visible(id), answer_of(id));
                if leaf.counted > leaf.answered {
                    missing.push(id.clone());
                }
                leaf
            })
            .collect();
        self.result(Tally::pairwise(&leaves), range, missing)
    }

    /// The score's value from the tally of its items: `(value, prorated, complete)`.
    pub(crate) fn value_of(&self, tally: Tally) -> (f64, bool, bool) {
        let missing = tally.counted - tally.answered;
        #[allow(clippy::cast_precision_loss)]
        let mean = if tally.answered == 0 {
            0.0
        } else {
            tally.sum / tally.answered as f64
        };
        let prorated = missing > 0
            && tally.answered > 0
            && self
                .missing
                .as_ref()
                .is_some_and(|rule| missing <= rule.prorate_up_to);
        let stand_in = if prorated { mean } else { 0.0 };
        #[allow(clippy::cast_precision_loss)]
        let combined = match self.method {
            ScoreMethod::Sum => tally.sum + stand_in * missing as f64,
            ScoreMethod::Mean => mean,
            ScoreMethod::Count => tally.hits as f64,
        };
        let value = combined * self.multiply.unwrap_or(1.0);
        (value, prorated, missing == 0 || prorated)
    }

    /// The score's result from the tally of its items, its possible `range` and the ids of
    /// its visible items without an answer (in the rule's order).
    pub(crate) fn result(
        &self,
        tally: Tally,
        range: (f64, f64),
        missing: Vec<String>,
    ) -> ScoreResult {
        let (value, prorated, complete) = self.value_of(tally);
        let band = complete
            .then(|| self.band_of(value).map(|band| band.label.clone()))
            .flatten();
        ScoreResult {
            id: self.id.clone(),
            label: self.label.clone(),
            method: self.method,
            instrument: self.instrument.clone(),
            value,
            min: range.0,
            max: range.1,
            answered: tally.answered,
            counted: tally.counted,
            missing,
            prorated,
            band,
            available: true,
        }
    }
}

/// What a score's items add up to: the sum of their values, how many are answered, how many
/// count (are visible), and for `count` scores how many reach the threshold. Items combine in a
/// fixed balanced binary tree over the rule's item list ([`Tally::pairwise`]), whether the
/// score is computed afresh or kept up to date one answer at a time
/// ([`crate::incremental`]), so both give the same value to the last bit.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Tally {
    /// The sum of the answered items' values.
    pub sum: f64,
    /// How many items are answered (with a scored answer).
    pub answered: usize,
    /// How many items are visible and so count.
    pub counted: usize,
    /// How many answered items' values reach the rule's `threshold`.
    pub hits: usize,
}

impl Tally {
    /// Two adjacent runs of items together.
    pub(crate) fn combine(self, other: Tally) -> Tally {
        Tally {
            sum: self.sum + other.sum,
            answered: self.answered + other.answered,
            counted: self.counted + other.counted,
            hits: self.hits + other.hits,
        }
    }

    /// The tally of `leaves`, split in halves recursively (the left half has `len / 2`
    /// leaves): the shape [`crate::incremental`]'s trees keep.
    pub(crate) fn pairwise(leaves: &[Tally]) -> Tally {
        match leaves {
            [] => Tally::default(),
            [leaf] => *leaf,
            _ => {
                let (left, right) = leaves.split_at(leaves.len() / 2);
                Tally::pairwise(left).combine(Tally::pairwise(right))
            }
        }
    }
}
