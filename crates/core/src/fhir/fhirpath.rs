//! FHIRPath written by the export: `enableWhenExpression`s for conditions `enableWhen` cannot
//! say, and the `calculatedExpression` of each score. Expressions run against the
//! QuestionnaireResponse (`%resource`), whose items are found by linkId at any depth; every
//! answer test is written to be `true` or `false`, never empty, so `not()`, `and` and `or`
//! keep their meaning when a question is unanswered. Option scores are read with the SDC
//! `ordinal()` function, which looks up the `ordinalValue` the export writes on each option.

use crate::answer::{check_date, AnswerValue};
use crate::condition::{AnswerTest, Condition};
use crate::definition::{Item, ItemKind, Questionnaire};
use crate::number::display;
use crate::scoring::{item_score_range, ScoreMethod, ScoreRule};

use super::option_coding;

/// The name of the variable holding a score's per-item values.
pub(crate) const ITEM_SCORES: &str = "itemScores";

/// A FHIRPath string literal.
fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            other => out.push(other),
        }
    }
    out.push('\'');
    out
}

/// A FHIRPath number literal (negative numbers in parentheses).
fn number(value: f64) -> String {
    if value < 0.0 {
        format!("({})", display(value))
    } else {
        display(value)
    }
}

/// The answer values of the item with this linkId.
fn answers(link_id: &str) -> String {
    format!(
        "%resource.repeat(item).where(linkId = {}).answer.value",
        literal(link_id)
    )
}

/// A condition as a FHIRPath boolean expression.
pub(crate) fn condition(questionnaire: &Questionnaire, condition: &Condition) -> String {
    let join = |inner: &[Condition], operator: &str, empty: &str| {
        if inner.is_empty() {
            return empty.to_owned();
        }
        inner
            .iter()
            .map(|c| format!("({})", self::condition(questionnaire, c)))
            .collect::<Vec<_>>()
            .join(operator)
    };
    match condition {
        Condition::All(inner) => join(inner, " and ", "true"),
        Condition::Any(inner) => join(inner, " or ", "false"),
        Condition::Not(inner) => format!("({}).not()", self::condition(questionnaire, inner)),
        // Score tests are for flags; enable_when never holds one (validation checks).
        // Score and medication tests are for flags; enable_when never holds one (validation
        // checks).
        Condition::Score(_)
        | Condition::MedicationClass(_)
        | Condition::MedicationUnrecognised(_) => "false".to_owned(),
        Condition::Answer(test) => answer_test(questionnaire, test),
    }
}

/// One answer test.
fn answer_test(questionnaire: &Questionnaire, test: &AnswerTest) -> String {
    let values = answers(&test.item);
    let Some(item) = questionnaire.item(&test.item) else {
        return "false".to_owned();
    };
    if let Some(answered) = test.answered {
        return if answered {
            format!("{values}.exists()")
        } else {
            format!("{values}.empty()")
        };
    }
    if let Some(expected) = &test.equals {
        return match (&item.kind, expected) {
            (ItemKind::SingleChoice { .. }, AnswerValue::Text(code)) => {
                has_option(questionnaire, item, &[code.as_str()])
            }
            (ItemKind::MultipleChoice { .. }, AnswerValue::Choices(codes)) if !codes.is_empty() => {
                let mut parts = vec![format!("({values}.count() = {})", codes.len())];
                for code in codes {
                    parts.push(has_option(questionnaire, item, &[code.as_str()]));
                }
                parts.join(" and ")
            }
            (ItemKind::YesNo { .. }, AnswerValue::Bool(value)) => {
                format!("{values}.where($this = {value}).exists()")
            }
            (ItemKind::Integer { .. }, AnswerValue::Integer(value)) => {
                let value = if *value < 0 {
                    format!("({value})")
                } else {
                    value.to_string()
                };
                format!("{values}.where($this = {value}).exists()")
            }
            (ItemKind::Date, AnswerValue::Text(date)) if check_date(date).is_ok() => {
                format!("{values}.where($this = @{date}).exists()")
            }
            (ItemKind::ShortText { .. } | ItemKind::LongText { .. }, AnswerValue::Text(text)) => {
                format!("{values}.where($this = {}).exists()", literal(text))
            }
            _ => "false".to_owned(),
        };
    }
    if let Some(codes) = &test.one_of {
        let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
        return has_option(questionnaire, item, &codes);
    }
    if let Some(code) = &test.includes {
        return has_option(questionnaire, item, &[code.as_str()]);
    }
    if let Some(threshold) = test.score_at_least {
        return score_at_least(questionnaire, item, threshold, false);
    }
    if let Some(threshold) = test.score_above {
        return score_at_least(questionnaire, item, threshold, true);
    }
    "false".to_owned()
}

/// Whether one of the item's answers is one of these options (by exported system and code).
fn has_option(questionnaire: &Questionnaire, item: &Item, codes: &[&str]) -> String {
    let clauses: Vec<String> = questionnaire
        .options_of(item)
        .iter()
        .filter(|option| codes.contains(&option.value.as_str()))
        .map(|option| {
            let (system, code) = option_coding(questionnaire, item, option);
            format!(
                "(system = {} and code = {})",
                literal(&system),
                literal(&code)
            )
        })
        .collect();
    if clauses.is_empty() {
        return "false".to_owned();
    }
    format!(
        "{}.where({}).exists()",
        answers(&item.id),
        clauses.join(" or ")
    )
}

/// Whether the item's answer scores at least `threshold` (above it when `strict`): exact for
/// every scorable kind (a single choice lists the options that qualify, so no score lookup is
/// needed). A configurable threshold is written with its default value.
fn score_at_least(
    questionnaire: &Questionnaire,
    item: &Item,
    threshold: f64,
    strict: bool,
) -> String {
    let values = answers(&item.id);
    let passes = |score: f64| {
        if strict {
            score > threshold
        } else {
            score >= threshold
        }
    };
    let operator = if strict { ">" } else { ">=" };
    match &item.kind {
        ItemKind::SingleChoice { .. } => {
            let codes: Vec<&str> = questionnaire
                .options_of(item)
                .iter()
                .filter(|option| option.score.is_some_and(passes))
                .map(|option| option.value.as_str())
                .collect();
            has_option(questionnaire, item, &codes)
        }
        ItemKind::MultipleChoice { .. } => format!(
            "({values}.exists() and ({values}.ordinal().sum() {operator} {}))",
            number(threshold)
        ),
        ItemKind::YesNo {
            yes_score,
            no_score,
        } => {
            let yes = yes_score.is_some_and(passes);
            let no = no_score.is_some_and(passes);
            match (yes, no) {
                (true, true) => format!("{values}.exists()"),
                (true, false) => format!("{values}.where($this = true).exists()"),
                (false, true) => format!("{values}.where($this = false).exists()"),
                (false, false) => "false".to_owned(),
            }
        }
        ItemKind::Integer { .. } => {
            format!(
                "{values}.where($this {operator} {}).exists()",
                number(threshold)
            )
        }
        _ => "false".to_owned(),
    }
}

/// The per-item values a score combines: one number for each answered item (reversed where
/// the rule says), for the variable [`ITEM_SCORES`].
pub(crate) fn score_terms(questionnaire: &Questionnaire, rule: &ScoreRule) -> String {
    let simple = rule.reverse.is_empty()
        && rule.items.iter().all(|id| {
            questionnaire
                .item(id)
                .is_some_and(|item| matches!(item.kind, ItemKind::SingleChoice { .. }))
        });
    if simple {
        let links: Vec<String> = rule.items.iter().map(|id| literal(id)).collect();
        return format!(
            "%resource.repeat(item).where(linkId in ({})).answer.value.ordinal()",
            links.join(" | ")
        );
    }
    let terms: Vec<String> = rule
        .items
        .iter()
        .filter_map(|id| {
            let item = questionnaire.item(id)?;
            let values = answers(id);
            let term = match &item.kind {
                ItemKind::SingleChoice { .. } => format!("{values}.ordinal()"),
                ItemKind::MultipleChoice { .. } => {
                    format!("iif({values}.exists(), {values}.ordinal().sum())")
                }
                ItemKind::YesNo {
                    yes_score: Some(yes),
                    no_score: Some(no),
                } => format!(
                    "{values}.select(iif($this, {}, {}))",
                    number(*yes),
                    number(*no)
                ),
                ItemKind::Integer { .. } => values,
                _ => return None,
            };
            if rule.reverse.contains(id) {
                let (low, high) = item_score_range(questionnaire, id)?;
                Some(format!("({term}).select({} - $this)", number(low + high)))
            } else {
                Some(term)
            }
        })
        .collect();
    let mut terms = terms.into_iter();
    let Some(first) = terms.next() else {
        return "{}".to_owned();
    };
    terms.fold(format!("({first})"), |all, term| {
        format!("{all}.combine({term})")
    })
}

/// The score's value from the variable [`ITEM_SCORES`], or `None` when FHIRPath cannot give
/// the native value exactly: a prorating rule over items that may be hidden (a hidden item is
/// not missing natively, but FHIRPath cannot tell it from an unanswered one).
pub(crate) fn score_value(questionnaire: &Questionnaire, rule: &ScoreRule) -> Option<String> {
    let terms = format!("%{ITEM_SCORES}");
    let combined = match rule.method {
        ScoreMethod::Sum => match &rule.missing {
            None => format!("{terms}.sum()"),
            Some(missing) => {
                let conditional = rule.items.iter().any(|id| {
                    questionnaire
                        .item(id)
                        .is_none_or(|item| item.enable_when.is_some())
                });
                if conditional {
                    return None;
                }
                let all = rule.items.len();
                let up_to = missing.prorate_up_to;
                format!(
                    "iif({terms}.count() > 0 and {terms}.count() < {all} and \
                     {all} - {terms}.count() <= {up_to}, {terms}.sum() + {terms}.sum() / \
                     {terms}.count() * ({all} - {terms}.count()), {terms}.sum())"
                )
            }
        },
        ScoreMethod::Mean => format!("{terms}.sum() / {terms}.count()"),
        ScoreMethod::Count => match rule.threshold {
            Some(threshold) => format!("{terms}.where($this >= {}).count()", number(threshold)),
            // A count without a threshold counts nothing (validation requires one).
            None => "0".to_owned(),
        },
    };
    Some(match rule.multiply {
        Some(factor) => format!("({combined}) * {}", number(factor)),
        None => combined,
    })
}
