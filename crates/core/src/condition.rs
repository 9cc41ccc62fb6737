//! Conditions on answers, shared by visibility (`enable_when`) and flag rules (`when`).
//!
//! In JSON: `{"answer": {"item": "phq9_9", "score_at_least": 1}}`, `{"all": [...]}`,
//! `{"any": [...]}`. An answer test names one item and exactly one test: `score_at_least`,
//! `equals`, `includes` (a multiple choice contains a code) or `answered`.

use serde::{Deserialize, Serialize};

use crate::answer::{answer_score, AnswerValue};
use crate::definition::Questionnaire;

/// A condition over the answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// Holds when every inner condition holds.
    All(Vec<Condition>),
    /// Holds when at least one inner condition holds.
    Any(Vec<Condition>),
    /// A test of one item's answer.
    Answer(AnswerTest),
}

/// A test of one item's answer. Exactly one of the test fields is set (validation checks).
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
    /// Holds when the answer equals this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<AnswerValue>,
    /// Holds when a multiple-choice answer includes this option code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub includes: Option<String>,
    /// Holds when the item is answered (`true`) or unanswered (`false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered: Option<bool>,
}

impl AnswerTest {
    /// How many test fields are set; a valid test has exactly one.
    pub fn test_count(&self) -> usize {
        usize::from(self.score_at_least.is_some())
            + usize::from(self.equals.is_some())
            + usize::from(self.includes.is_some())
            + usize::from(self.answered.is_some())
    }
}

impl Condition {
    /// Whether the condition holds, given a lookup of the (effective) answer of each item.
    pub fn holds<'a>(
        &self,
        questionnaire: &Questionnaire,
        answer_of: &dyn Fn(&str) -> Option<&'a AnswerValue>,
    ) -> bool {
        match self {
            Condition::All(inner) => inner.iter().all(|c| c.holds(questionnaire, answer_of)),
            Condition::Any(inner) => inner.iter().any(|c| c.holds(questionnaire, answer_of)),
            Condition::Answer(test) => {
                let answer = answer_of(&test.item).filter(|value| !value.is_empty());
                if let Some(expected) = test.answered {
                    return answer.is_some() == expected;
                }
                let Some(answer) = answer else {
                    return false;
                };
                if let Some(threshold) = test.score_at_least {
                    return questionnaire
                        .item(&test.item)
                        .and_then(|item| answer_score(questionnaire, item, answer))
                        .is_some_and(|score| score >= threshold);
                }
                if let Some(expected) = &test.equals {
                    return answer == expected;
                }
                if let Some(code) = &test.includes {
                    return matches!(answer, AnswerValue::Choices(codes) if codes.contains(code));
                }
                false
            }
        }
    }

    /// Every item id the condition refers to, in order of appearance.
    pub fn referenced_items(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_items(&mut out);
        out
    }

    fn collect_items<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Condition::All(inner) | Condition::Any(inner) => {
                for condition in inner {
                    condition.collect_items(out);
                }
            }
            Condition::Answer(test) => out.push(&test.item),
        }
    }
}
