//! How an answer reads to a person: option labels instead of codes, "Yes"/"No", a number with
//! its unit, the text as written. Shared by every view that shows answers (the patient's
//! summary and the clinician's results), so an answer reads the same everywhere. It formats
//! only: whether an answer fits its item is core's business.

use kapforms_core::{AnswerValue, Item, ItemKind, Questionnaire};

use crate::text::Texts;

/// Option values (compared without case, `-` and `_` alike) that mean the patient chose not
/// to answer.
const DECLINED_VALUES: [&str; 3] = ["prefer_not_to_say", "prefer_not_to_answer", "declined"];

/// An answer as the patient reads it: option labels, "Yes"/"No", the number with its unit,
/// the text.
pub fn answer_text(
    questionnaire: &Questionnaire,
    item: &Item,
    value: &AnswerValue,
    texts: &Texts,
) -> String {
    let label = |code: &str| {
        questionnaire
            .options_of(item)
            .iter()
            .find(|option| option.value == code)
            .map_or_else(|| code.to_owned(), |option| option.label.clone())
    };
    match (&item.kind, value) {
        (ItemKind::SingleChoice { .. }, AnswerValue::Text(code)) => label(code),
        (ItemKind::MultipleChoice { .. }, AnswerValue::Choices(codes)) => codes
            .iter()
            .map(|code| label(code))
            .collect::<Vec<_>>()
            .join(", "),
        (_, AnswerValue::Bool(true)) => texts.yes.to_owned(),
        (_, AnswerValue::Bool(false)) => texts.no.to_owned(),
        (
            ItemKind::Integer {
                unit: Some(unit), ..
            },
            AnswerValue::Integer(number),
        ) => format!("{number} {unit}"),
        (_, AnswerValue::Integer(number)) => number.to_string(),
        (_, AnswerValue::Text(text)) => text.clone(),
        (_, AnswerValue::Choices(codes)) => codes.join(", "),
        (ItemKind::RepeatingGroup { fields, .. }, AnswerValue::Rows(rows)) => rows
            .iter()
            .filter(|row| !row.is_empty())
            .map(|row| {
                fields
                    .iter()
                    .filter_map(|field| {
                        row.get(&field.id)
                            .map(|value| answer_text(questionnaire, field, value, texts))
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .collect::<Vec<_>>()
            .join("; "),
        (_, AnswerValue::Rows(_)) => String::new(),
    }
}

/// Whether the answer is a choice that declines to answer ("Prefer not to say"): an option
/// whose value is one of [`DECLINED_VALUES`] or whose label says "prefer not to".
pub fn is_declined(questionnaire: &Questionnaire, item: &Item, value: &AnswerValue) -> bool {
    let declines = |code: &str| {
        let normalized = code.to_ascii_lowercase().replace('-', "_");
        DECLINED_VALUES.contains(&normalized.as_str())
            || questionnaire
                .options_of(item)
                .iter()
                .find(|option| option.value == code)
                .is_some_and(|option| option.label.to_lowercase().starts_with("prefer not to"))
    };
    match value {
        AnswerValue::Text(code) => {
            matches!(item.kind, ItemKind::SingleChoice { .. }) && declines(code)
        }
        AnswerValue::Choices(codes) => codes.iter().any(|code| declines(code)),
        _ => false,
    }
}
