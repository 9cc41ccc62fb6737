//! Answers: the value a patient gives one item, and the check that a value fits its item
//! (an option that exists, a number in range, a real calendar date, text within its length).
//!
//! In JSON an answer is the plainest value that says it: a choice is its option's code
//! (`"2"`), a multiple choice a list of codes, yes/no a boolean, a number a number, text and
//! dates strings (`"2026-11-27"`), a repeating group a list of rows (objects by field id).

use litemap::LiteMap;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::definition::{Item, ItemKind, Questionnaire};

/// One item's answer.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum AnswerValue {
    /// Yes/no items.
    Bool(bool),
    /// Integer items.
    Integer(i64),
    /// A single choice's option code, text, or a `YYYY-MM-DD` date.
    Text(String),
    /// A multiple choice's option codes.
    Choices(Vec<String>),
    /// A repeating group's rows, each a map from field id to that field's answer.
    Rows(
        #[cfg_attr(
            feature = "json-schema",
            schemars(with = "Vec<std::collections::BTreeMap<String, AnswerValue>>")
        )]
        #[serde(serialize_with = "crate::id_map::serialize_rows")]
        Vec<LiteMap<String, AnswerValue>>,
    ),
}

impl AnswerValue {
    /// The answer a parsed JSON value holds, read as the answer's JSON reader reads it from
    /// text (true or false, a whole number, a string, a list of option codes or of rows, each
    /// row an object of answers); `None` where that reader refuses the value (null, a
    /// fraction, an object, a list mixing codes and rows). For JSON already parsed (a draft,
    /// a built-in's conditions), without serde's readers.
    pub fn from_value(value: serde_json::Value) -> Option<AnswerValue> {
        use serde_json::Value;
        match value {
            Value::Bool(answer) => Some(AnswerValue::Bool(answer)),
            Value::Number(number) => number.as_i64().map(AnswerValue::Integer),
            Value::String(answer) => Some(AnswerValue::Text(answer)),
            Value::Array(elements) if elements.iter().all(Value::is_string) => {
                Some(AnswerValue::Choices(
                    elements
                        .into_iter()
                        .filter_map(|element| match element {
                            Value::String(code) => Some(code),
                            _ => None,
                        })
                        .collect(),
                ))
            }
            Value::Array(elements) => elements
                .into_iter()
                .map(|element| match element {
                    Value::Object(row) => row
                        .into_iter()
                        .map(|(field, answer)| Some((field, AnswerValue::from_value(answer)?)))
                        .collect::<Option<Vec<_>>>()
                        .map(crate::id_map::collect),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
                .map(AnswerValue::Rows),
            Value::Null | Value::Object(_) => None,
        }
    }

    /// The answer as a JSON value, as its serde writer writes it (untagged: true or false, a
    /// whole number, a string, a list of option codes, a list of rows as objects).
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            AnswerValue::Bool(answer) => Value::Bool(*answer),
            AnswerValue::Integer(answer) => Value::from(*answer),
            AnswerValue::Text(answer) => Value::from(answer.as_str()),
            AnswerValue::Choices(codes) => Value::Array(
                codes
                    .iter()
                    .map(|code| Value::from(code.as_str()))
                    .collect(),
            ),
            AnswerValue::Rows(rows) => {
                Value::Array(rows.iter().map(crate::wire::answers_value).collect())
            }
        }
    }

    /// Whether this counts as no answer at all (empty text, no choices).
    pub fn is_empty(&self) -> bool {
        match self {
            // What `trim().is_empty()` says, without finding both ends of the text.
            AnswerValue::Text(text) => text.chars().all(char::is_whitespace),
            AnswerValue::Choices(codes) => codes.is_empty(),
            AnswerValue::Rows(rows) => rows
                .iter()
                .all(|row| row.values().all(AnswerValue::is_empty)),
            AnswerValue::Bool(_) | AnswerValue::Integer(_) => false,
        }
    }

    fn shape(&self) -> &'static str {
        match self {
            AnswerValue::Bool(_) => "a boolean",
            AnswerValue::Integer(_) => "a whole number",
            AnswerValue::Text(_) => "a string",
            AnswerValue::Choices(_) => "a list",
            AnswerValue::Rows(_) => "a list of rows",
        }
    }
}

/// What an answer may be, for messages about a value that is none of these.
const ANSWER_SHAPES: &str =
    "an answer: true or false, a whole number, a string, a list of option codes, or a list of rows";

/// Reads an answer by the JSON type it meets, in one pass. (serde's `untagged` would buffer
/// the value and try each variant in turn, building an error message for each miss: most of
/// the time `kapforms score` spent per response, and much code in the WebAssembly module.)
/// A row's keys must be unique, as everywhere in kapforms JSON.
impl<'de> Deserialize<'de> for AnswerValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnswerVisitor)
    }
}

struct AnswerVisitor;

impl<'de> Visitor<'de> for AnswerVisitor {
    type Value = AnswerValue;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str(ANSWER_SHAPES)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<AnswerValue, E> {
        Ok(AnswerValue::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<AnswerValue, E> {
        Ok(AnswerValue::Integer(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<AnswerValue, E> {
        i64::try_from(value)
            .map(AnswerValue::Integer)
            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(value), &self))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<AnswerValue, E> {
        Ok(AnswerValue::Text(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<AnswerValue, E> {
        Ok(AnswerValue::Text(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnswerValue, A::Error> {
        let mut codes = Vec::new();
        let mut rows = Vec::new();
        while let Some(element) = seq.next_element::<ListElement>()? {
            match element {
                ListElement::Code(code) if rows.is_empty() => codes.push(code),
                ListElement::Row(row) if codes.is_empty() => rows.push(row),
                _ => {
                    return Err(de::Error::custom(
                        "a list answer holds option codes or rows, not both",
                    ))
                }
            }
        }
        Ok(if rows.is_empty() {
            AnswerValue::Choices(codes)
        } else {
            AnswerValue::Rows(rows)
        })
    }
}

/// One element of a list answer: an option code, or a repeating group's row.
enum ListElement {
    Code(String),
    Row(LiteMap<String, AnswerValue>),
}

impl<'de> Deserialize<'de> for ListElement {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ElementVisitor;

        impl<'de> Visitor<'de> for ElementVisitor {
            type Value = ListElement;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("an option code (a string) or a row (an object)")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<ListElement, E> {
                Ok(ListElement::Code(value.to_owned()))
            }

            fn visit_string<E: de::Error>(self, value: String) -> Result<ListElement, E> {
                Ok(ListElement::Code(value))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ListElement, A::Error> {
                let mut row = LiteMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    // One search of the row per key: the entry says whether it is new.
                    match row.entry(key) {
                        litemap::Entry::Occupied(entry) => {
                            return Err(de::Error::custom(format_args!(
                                "duplicate key `{}`: each key may occur once",
                                crate::diagnostic::quoted(entry.key())
                            )));
                        }
                        litemap::Entry::Vacant(entry) => {
                            entry.insert(map.next_value::<AnswerValue>()?);
                        }
                    }
                }
                Ok(ListElement::Row(row))
            }
        }

        deserializer.deserialize_any(ElementVisitor)
    }
}

/// Checks that `value` is a possible answer to `item`; the error says why not.
pub fn check_answer(
    questionnaire: &Questionnaire,
    item: &Item,
    value: &AnswerValue,
) -> Result<(), String> {
    let wrong_shape = |expected: &str| {
        Err(format!(
            "a `{}` item takes {expected}, not {}",
            item.kind.type_name(),
            value.shape()
        ))
    };
    match (&item.kind, value) {
        (ItemKind::SingleChoice { .. }, AnswerValue::Text(code)) => {
            check_codes(questionnaire, item, std::slice::from_ref(code))
        }
        (ItemKind::SingleChoice { .. }, _) => wrong_shape("one option code (a string)"),
        (ItemKind::MultipleChoice { .. }, AnswerValue::Choices(codes)) => {
            let mut seen = std::collections::HashSet::new();
            for code in codes {
                if !seen.insert(code.as_str()) {
                    return Err(format!(
                        "option `{}` is chosen twice",
                        crate::diagnostic::quoted(code)
                    ));
                }
            }
            check_codes(questionnaire, item, codes)
        }
        (ItemKind::MultipleChoice { .. }, _) => wrong_shape("a list of option codes"),
        (ItemKind::YesNo { .. }, AnswerValue::Bool(_)) => Ok(()),
        (ItemKind::YesNo { .. }, _) => wrong_shape("true or false"),
        (
            ItemKind::ShortText { max_length } | ItemKind::LongText { max_length },
            AnswerValue::Text(text),
        ) => match max_length {
            Some(limit) if text.chars().count() > *limit as usize => {
                Err(format!("the answer is longer than {limit} characters"))
            }
            _ => Ok(()),
        },
        (ItemKind::ShortText { .. } | ItemKind::LongText { .. }, _) => wrong_shape("text"),
        (ItemKind::Integer { min, max, .. }, AnswerValue::Integer(number)) => {
            if min.is_some_and(|min| *number < min) || max.is_some_and(|max| *number > max) {
                Err(format!(
                    "{number} is outside the range {}..{}",
                    min.map_or(String::new(), |v| v.to_string()),
                    max.map_or(String::new(), |v| v.to_string())
                ))
            } else {
                Ok(())
            }
        }
        (ItemKind::Integer { .. }, _) => wrong_shape("a whole number"),
        (ItemKind::Date, AnswerValue::Text(text)) => check_date(text),
        (ItemKind::Date, _) => wrong_shape("a date written YYYY-MM-DD"),
        (ItemKind::RepeatingGroup { fields, max_rows }, AnswerValue::Rows(rows)) => {
            if let Some(limit) = max_rows {
                if rows.len() > *limit as usize {
                    return Err(format!("at most {limit} rows are accepted"));
                }
            }
            for (index, row) in rows.iter().enumerate() {
                for (field_id, value) in row {
                    let Some(field) = fields.iter().find(|field| &field.id == field_id) else {
                        return Err(format!(
                            "row {}: `{field_id}` is not a field of this group",
                            index + 1
                        ));
                    };
                    if value.is_empty() {
                        continue;
                    }
                    check_answer(questionnaire, field, value)
                        .map_err(|message| format!("row {}, {field_id}: {message}", index + 1))?;
                }
            }
            Ok(())
        }
        // An empty list reads as no choices; for a group it is no rows.
        (ItemKind::RepeatingGroup { .. }, AnswerValue::Choices(codes)) if codes.is_empty() => {
            Ok(())
        }
        (ItemKind::RepeatingGroup { .. }, _) => wrong_shape("a list of rows"),
        (ItemKind::Display, _) => Err("a display item takes no answer".to_owned()),
    }
}

fn check_codes(questionnaire: &Questionnaire, item: &Item, codes: &[String]) -> Result<(), String> {
    let options = questionnaire.options_of(item);
    for code in codes {
        if !options.iter().any(|option| &option.value == code) {
            let known: Vec<&str> = options.iter().map(|o| o.value.as_str()).collect();
            return Err(format!(
                "`{}` is not an option of this item (options: {})",
                crate::diagnostic::quoted(code),
                crate::diagnostic::quoted(&known.join(", "))
            ));
        }
    }
    Ok(())
}

/// Checks a `YYYY-MM-DD` date, including month lengths and leap years.
pub fn check_date(text: &str) -> Result<(), String> {
    let invalid = || Err(format!("`{text}` is not a date written YYYY-MM-DD"));
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return invalid();
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return invalid();
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return invalid(),
    };
    if day == 0 || day > days_in_month {
        return invalid();
    }
    Ok(())
}

/// The score an answer contributes, when the item is scored: the chosen option's score, the
/// sum of chosen options' scores, the yes/no score, or an integer's own value.
pub fn answer_score(
    questionnaire: &Questionnaire,
    item: &Item,
    value: &AnswerValue,
) -> Option<f64> {
    match (&item.kind, value) {
        (ItemKind::SingleChoice { .. }, AnswerValue::Text(code)) => questionnaire
            .options_of(item)
            .iter()
            .find(|option| &option.value == code)
            .and_then(|option| option.score),
        (ItemKind::MultipleChoice { .. }, AnswerValue::Choices(codes)) => {
            let options = questionnaire.options_of(item);
            let mut total = 0.0;
            for code in codes {
                total += options
                    .iter()
                    .find(|option| &option.value == code)
                    .and_then(|option| option.score)?;
            }
            Some(total)
        }
        (
            ItemKind::YesNo {
                yes_score,
                no_score,
            },
            AnswerValue::Bool(yes),
        ) => {
            if *yes {
                *yes_score
            } else {
                *no_score
            }
        }
        #[allow(clippy::cast_precision_loss)]
        (ItemKind::Integer { .. }, AnswerValue::Integer(number)) => Some(*number as f64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{check_date, AnswerValue};

    /// Reading a parsed value by hand gives what serde's reader gives from the text, for
    /// every shape an answer may take and the shapes it may not.
    #[test]
    fn answers_read_from_parsed_values_as_from_text() {
        let texts = [
            "true",
            "false",
            "0",
            "-12",
            "9223372036854775807",
            "9223372036854775808",
            "1.5",
            "2.0",
            "\"2\"",
            "\"\"",
            "[]",
            "[\"a\", \"b\"]",
            "[{}]",
            "[{\"name\": \"Xanax\", \"dose\": 2, \"taken\": true, \"days\": [\"mon\"]}]",
            "[{\"rows\": [{\"deep\": \"yes\"}]}]",
            "[\"a\", {}]",
            "[{}, \"a\"]",
            "[1]",
            "[{\"n\": 1.5}]",
            "[{\"n\": null}]",
            "null",
            "{}",
            "{\"a\": 1}",
        ];
        for text in texts {
            let from_text = serde_json::from_str::<AnswerValue>(text).ok();
            let value: serde_json::Value = serde_json::from_str(text).expect("JSON");
            assert_eq!(AnswerValue::from_value(value), from_text, "{text}");
        }
        assert_eq!(
            AnswerValue::from_value(serde_json::json!(["x"])),
            Some(AnswerValue::Choices(vec!["x".into()]))
        );
    }

    #[test]
    fn dates_follow_the_calendar() {
        for good in ["2024-02-29", "2026-11-27", "2000-02-29", "1999-12-31"] {
            assert!(check_date(good).is_ok(), "{good}");
        }
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2026-13-01",
            "2026-04-31",
            "2026-1-01",
            "26-11-27",
            "2026-11-27T00:00",
            "2026-00-10",
            "２０２６-11-27",
        ] {
            assert!(check_date(bad).is_err(), "{bad}");
        }
    }
}
