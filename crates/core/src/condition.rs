//! Conditions on answers, shared by visibility (`enable_when`) and flag rules (`when`).
//!
//! In JSON: `{"answer": {"item": "phq9_9", "score_at_least": 1}}`, `{"all": [...]}`,
//! `{"any": [...]}`, `{"not": {...}}`, `{"score": {"score": "who5_raw", "below": 13}}`. An
//! answer test names one item and exactly one test: `score_at_least`, `score_above`, `equals`,
//! `one_of`, `includes` (a multiple choice contains a code) or `answered`. A score test names a
//! score and one or two bounds (`at_least`, `at_most`, `below`); it holds only when the score
//! is complete, so a half-filled scale never raises a flag by its low running total. Score
//! tests are for flags: `enable_when` may test answers only.
//!
//! A numeric bound of a flag's test may be a clinic-configurable threshold: the test names it
//! (`"score_above": 140, "threshold": "bp_monitor_systolic"`), the written bound is the
//! threshold's default, and the clinic's value, when set, replaces it
//! ([`crate::definition::Threshold`]).

use serde::{Deserialize, Serialize};

use crate::answer::{answer_score, AnswerValue};
use crate::definition::{Item, Questionnaire};

/// A condition over the answers.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// Holds when every inner condition holds.
    All(Vec<Condition>),
    /// Holds when at least one inner condition holds.
    Any(Vec<Condition>),
    /// Holds when the inner condition does not.
    Not(Box<Condition>),
    /// A test of one item's answer.
    Answer(AnswerTest),
    /// A test of a complete score's value.
    Score(ScoreTest),
    /// Holds when a repeating group's rows name a medicine of a class.
    MedicationClass(MedicationTest),
    /// Holds when a repeating group's rows name a medicine of no known class.
    MedicationUnrecognised(MedicationField),
}

/// Names a text field of a repeating group holding medicine names.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedicationField {
    /// The repeating group item.
    pub item: String,
    /// The field of each row that holds the name.
    pub field: String,
}

/// A medication-class test (see [`crate::medications`]).
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedicationTest {
    /// The repeating group item.
    pub item: String,
    /// The field of each row that holds the name.
    pub field: String,
    /// The class id, e.g. `benzodiazepines`.
    pub class: String,
}

/// The names typed in `field` of each row of the effective answer to `item`.
fn medicine_names<'a>(facts: &Facts<'a, '_>, item: &str, field: &str) -> Vec<&'a str> {
    match (facts.answer_of)(item) {
        Some(AnswerValue::Rows(rows)) => rows
            .iter()
            .filter_map(|row| match row.get(field) {
                Some(AnswerValue::Text(name)) if !name.trim().is_empty() => Some(name.as_str()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A test of a score's value; at least one bound is set (validation checks).
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreTest {
    /// The score's id.
    pub score: String,
    /// Holds when the value is at least this.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::number::serialize_option"
    )]
    pub at_least: Option<f64>,
    /// Holds when the value is at most this.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::number::serialize_option"
    )]
    pub at_most: Option<f64>,
    /// Holds when the value is below this.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::number::serialize_option"
    )]
    pub below: Option<f64>,
    /// A configurable threshold that sets the test's one bound (see the module docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<String>,
}

impl ScoreTest {
    /// Whether `value` is within the bounds.
    pub fn accepts(&self, value: f64) -> bool {
        self.at_least.is_none_or(|bound| value >= bound)
            && self.at_most.is_none_or(|bound| value <= bound)
            && self.below.is_none_or(|bound| value < bound)
    }

    /// This test with its threshold's value (from `facts`) in place of its written bound.
    fn configured(&self, facts: &Facts<'_, '_>) -> ScoreTest {
        let mut test = self.clone();
        if let Some(value) = self.threshold.as_deref().and_then(|id| facts.threshold(id)) {
            for bound in [&mut test.at_least, &mut test.at_most, &mut test.below] {
                if bound.is_some() {
                    *bound = Some(value);
                }
            }
        }
        test
    }
}

/// What a condition is evaluated against.
pub struct Facts<'a, 'b> {
    /// The questionnaire.
    pub questionnaire: &'a Questionnaire,
    /// The effective answer of an item (none when unanswered or hidden).
    pub answer_of: &'b dyn Fn(&str) -> Option<&'a AnswerValue>,
    /// The value of a score when it is complete; `None` while evaluating visibility.
    pub score_of: &'b dyn Fn(&str) -> Option<f64>,
    /// The item with an id (an index, so conditions stay cheap on long forms).
    pub item_of: &'b dyn Fn(&str) -> Option<&'a Item>,
    /// The clinic's threshold values by id; a threshold not named here has its default.
    pub thresholds: &'b crate::definition::ThresholdValues,
}

impl Facts<'_, '_> {
    /// The value of a configurable threshold: the clinic's, else the declared default.
    pub fn threshold(&self, id: &str) -> Option<f64> {
        self.thresholds
            .get(id)
            .copied()
            .or_else(|| self.questionnaire.threshold(id).map(|t| t.default))
    }
}

/// A test of one item's answer. Exactly one of the test fields is set (validation checks).
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerTest {
    /// The item whose answer is tested.
    pub item: String,
    /// Holds when the answer's score is at least this.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::number::serialize_option"
    )]
    pub score_at_least: Option<f64>,
    /// Holds when the answer's score is above (greater than) this.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::number::serialize_option"
    )]
    pub score_above: Option<f64>,
    /// Holds when the answer equals this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<AnswerValue>,
    /// Holds when a single choice's code is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<String>>,
    /// Holds when a multiple-choice answer includes this option code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub includes: Option<String>,
    /// Holds when the item is answered (`true`) or unanswered (`false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered: Option<bool>,
    /// A configurable threshold that sets the `score_at_least` or `score_above` bound (see
    /// the module docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<String>,
}

impl AnswerTest {
    /// How many test fields are set; a valid test has exactly one.
    pub fn test_count(&self) -> usize {
        usize::from(self.score_at_least.is_some())
            + usize::from(self.score_above.is_some())
            + usize::from(self.equals.is_some())
            + usize::from(self.one_of.is_some())
            + usize::from(self.includes.is_some())
            + usize::from(self.answered.is_some())
    }
}

impl Condition {
    /// Whether the condition holds for these facts.
    pub fn holds(&self, facts: &Facts<'_, '_>) -> bool {
        match self {
            Condition::All(inner) => inner.iter().all(|c| c.holds(facts)),
            Condition::Any(inner) => inner.iter().any(|c| c.holds(facts)),
            Condition::Not(inner) => !inner.holds(facts),
            Condition::Score(test) => (facts.score_of)(&test.score)
                .is_some_and(|value| test.configured(facts).accepts(value)),
            Condition::MedicationClass(_) | Condition::MedicationUnrecognised(_) => {
                !self.details(facts).is_empty()
            }
            Condition::Answer(test) => {
                let answer = (facts.answer_of)(&test.item).filter(|value| !value.is_empty());
                if let Some(expected) = test.answered {
                    return answer.is_some() == expected;
                }
                let Some(answer) = answer else {
                    return false;
                };
                let configured = test.threshold.as_deref().and_then(|id| facts.threshold(id));
                if test.score_at_least.is_some() || test.score_above.is_some() {
                    let Some(score) = (facts.item_of)(&test.item)
                        .and_then(|item| answer_score(facts.questionnaire, item, answer))
                    else {
                        return false;
                    };
                    return match (test.score_at_least, test.score_above) {
                        (Some(bound), _) => score >= configured.unwrap_or(bound),
                        (None, Some(bound)) => score > configured.unwrap_or(bound),
                        (None, None) => false,
                    };
                }
                if let Some(expected) = &test.equals {
                    return answer == expected;
                }
                if let Some(codes) = &test.one_of {
                    return matches!(answer, AnswerValue::Text(code) if codes.contains(code));
                }
                if let Some(code) = &test.includes {
                    return matches!(answer, AnswerValue::Choices(codes) if codes.contains(code));
                }
                false
            }
        }
    }

    /// What the condition found, for the clinician: the medicine names a medication test
    /// matched (other tests find nothing to list). A `not` lists nothing.
    pub fn details(&self, facts: &Facts<'_, '_>) -> Vec<String> {
        match self {
            Condition::All(inner) | Condition::Any(inner) => {
                let mut out: Vec<String> = Vec::new();
                for detail in inner.iter().flat_map(|c| c.details(facts)) {
                    if !out.contains(&detail) {
                        out.push(detail);
                    }
                }
                out
            }
            Condition::MedicationClass(test) => medicine_names(facts, &test.item, &test.field)
                .into_iter()
                .filter(|name| crate::medications::matches_class(name, &test.class))
                .map(str::to_owned)
                .collect(),
            Condition::MedicationUnrecognised(test) => {
                medicine_names(facts, &test.item, &test.field)
                    .into_iter()
                    .filter(|name| !crate::medications::matches_any_class(name))
                    .map(str::to_owned)
                    .collect()
            }
            Condition::Not(_) | Condition::Answer(_) | Condition::Score(_) => Vec::new(),
        }
    }

    /// Whether the condition tests any score.
    pub fn tests_scores(&self) -> bool {
        match self {
            Condition::All(inner) | Condition::Any(inner) => {
                inner.iter().any(Condition::tests_scores)
            }
            Condition::Not(inner) => inner.tests_scores(),
            Condition::Score(_) => true,
            Condition::Answer(_)
            | Condition::MedicationClass(_)
            | Condition::MedicationUnrecognised(_) => false,
        }
    }

    /// Every item id the condition refers to, in order of appearance.
    pub fn referenced_items(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_items(&mut out);
        out
    }

    /// Every item the condition depends on: the items it tests, then the items of the scores
    /// it tests, without repeats. A raised flag lists these as the answers that raised it.
    pub fn referenced_items_with_scores(&self, questionnaire: &Questionnaire) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut push = |id: &str| {
            if !out.iter().any(|known| known == id) {
                out.push(id.to_owned());
            }
        };
        for id in self.referenced_items() {
            push(id);
        }
        for score in self.referenced_scores() {
            if let Some(rule) = questionnaire.scores.iter().find(|rule| rule.id == score) {
                for id in &rule.items {
                    push(id);
                }
            }
        }
        out
    }

    /// Every configurable threshold the condition uses, in order of appearance.
    pub fn referenced_thresholds(&self) -> Vec<&str> {
        match self {
            Condition::All(inner) | Condition::Any(inner) => inner
                .iter()
                .flat_map(Condition::referenced_thresholds)
                .collect(),
            Condition::Not(inner) => inner.referenced_thresholds(),
            Condition::Answer(test) => test.threshold.iter().map(String::as_str).collect(),
            Condition::Score(test) => test.threshold.iter().map(String::as_str).collect(),
            Condition::MedicationClass(_) | Condition::MedicationUnrecognised(_) => Vec::new(),
        }
    }

    /// Every score id the condition tests, in order of appearance.
    pub fn referenced_scores(&self) -> Vec<&str> {
        match self {
            Condition::All(inner) | Condition::Any(inner) => inner
                .iter()
                .flat_map(Condition::referenced_scores)
                .collect(),
            Condition::Not(inner) => inner.referenced_scores(),
            Condition::Score(test) => vec![test.score.as_str()],
            Condition::Answer(_)
            | Condition::MedicationClass(_)
            | Condition::MedicationUnrecognised(_) => Vec::new(),
        }
    }

    fn collect_items<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Condition::All(inner) | Condition::Any(inner) => {
                for condition in inner {
                    condition.collect_items(out);
                }
            }
            Condition::Not(inner) => inner.collect_items(out),
            Condition::Answer(test) => out.push(&test.item),
            Condition::MedicationClass(test) => out.push(&test.item),
            Condition::MedicationUnrecognised(test) => out.push(&test.item),
            Condition::Score(_) => {}
        }
    }
}
