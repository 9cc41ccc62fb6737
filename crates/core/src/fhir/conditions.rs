//! Visibility conditions between kapforms and FHIR `enableWhen`: which native conditions FHIR
//! can say exactly (and how), and how `enableWhen` entries read back as native conditions. The
//! export checks its own output with the import, so a condition that would not come back
//! unchanged also travels in the kapforms extension.

use serde_json::{json, Value};

use crate::answer::AnswerValue;
use crate::condition::{AnswerTest, Condition};
use crate::definition::{AnswerOption, Item, ItemKind, Questionnaire};
use crate::diagnostic::Diagnostic;

use super::{match_coding, option_coding, str_field};

/// An `answerCoding` / `valueCoding` for an option: its exported system and code, with the
/// label as display.
pub(crate) fn coding_of(
    questionnaire: &Questionnaire,
    item: &Item,
    option: &AnswerOption,
) -> Value {
    let (system, code) = option_coding(questionnaire, item, option);
    let mut coding = serde_json::Map::new();
    coding.insert("system".into(), Value::from(system));
    coding.insert("code".into(), Value::from(code));
    if !option.label.trim().is_empty() {
        coding.insert("display".into(), Value::String(option.label.clone()));
    }
    Value::Object(coding)
}

/// The `enableWhen` entries and `enableBehavior` (`None` for a single entry) saying exactly
/// `condition`, or `None` when FHIR `enableWhen` cannot say it.
pub(crate) fn to_enable_when(
    questionnaire: &Questionnaire,
    condition: &Condition,
) -> Option<(Vec<Value>, Option<&'static str>)> {
    let (entries, behavior) = match condition {
        Condition::Answer(test) => {
            let entries = answer_entries(questionnaire, test)?;
            (entries, "any")
        }
        Condition::All(inner) => {
            let mut entries = Vec::new();
            for condition in inner {
                let Condition::Answer(test) = condition else {
                    return None;
                };
                let mut one = answer_entries(questionnaire, test)?;
                if one.len() != 1 {
                    return None;
                }
                entries.append(&mut one);
            }
            (entries, "all")
        }
        Condition::Any(inner) => {
            let mut entries = Vec::new();
            for condition in inner {
                let Condition::Answer(test) = condition else {
                    return None;
                };
                entries.append(&mut answer_entries(questionnaire, test)?);
            }
            (entries, "any")
        }
        Condition::Not(_)
        | Condition::Score(_)
        | Condition::MedicationClass(_)
        | Condition::MedicationUnrecognised(_) => return None,
    };
    match entries.len() {
        0 => None,
        1 => Some((entries, None)),
        _ => Some((entries, Some(behavior))),
    }
}

/// The entries for one answer test; several entries are alternatives (`any`).
fn answer_entries(questionnaire: &Questionnaire, test: &AnswerTest) -> Option<Vec<Value>> {
    if test.test_count() != 1 {
        return None;
    }
    let item = questionnaire.item(&test.item)?;
    let entry = |operator: &str, key: &str, value: Value| json!({ "question": test.item, "operator": operator, key: value });
    let option = |code: &str| {
        questionnaire
            .options_of(item)
            .iter()
            .find(|option| option.value == code)
            .map(|option| coding_of(questionnaire, item, option))
    };
    if let Some(answered) = test.answered {
        return Some(vec![entry(
            "exists",
            "answerBoolean",
            Value::Bool(answered),
        )]);
    }
    if let Some(expected) = &test.equals {
        let (key, value) = match (&item.kind, expected) {
            (ItemKind::SingleChoice { .. }, AnswerValue::Text(code)) => {
                ("answerCoding", option(code)?)
            }
            (ItemKind::YesNo { .. }, AnswerValue::Bool(value)) => {
                ("answerBoolean", Value::Bool(*value))
            }
            (ItemKind::Integer { .. }, AnswerValue::Integer(number)) => {
                ("answerInteger", Value::from(*number))
            }
            (ItemKind::ShortText { .. } | ItemKind::LongText { .. }, AnswerValue::Text(text))
                if !text.trim().is_empty() =>
            {
                ("answerString", Value::String(text.clone()))
            }
            (ItemKind::Date, AnswerValue::Text(date)) => {
                ("answerDate", Value::String(date.clone()))
            }
            _ => return None,
        };
        return Some(vec![entry("=", key, value)]);
    }
    if let Some(codes) = &test.one_of {
        if !matches!(item.kind, ItemKind::SingleChoice { .. }) {
            return None;
        }
        return codes
            .iter()
            .map(|code| Some(entry("=", "answerCoding", option(code)?)))
            .collect();
    }
    if let Some(code) = &test.includes {
        if !matches!(item.kind, ItemKind::MultipleChoice { .. }) {
            return None;
        }
        return Some(vec![entry("=", "answerCoding", option(code)?)]);
    }
    None
}

/// Reads `enableWhen` entries (at `path`, the item's path) as one native condition.
/// `resolve` maps a linkId to the native id of an imported question; `behavior` is the
/// item's `enableBehavior` (`all` when missing).
pub(crate) fn from_enable_when(
    questionnaire: &Questionnaire,
    entries: &[Value],
    behavior: Option<&str>,
    path: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Result<Condition, Vec<Diagnostic>> {
    let mut atoms = Vec::new();
    let mut errors = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        match atom(
            questionnaire,
            entry,
            &format!("{path}.enableWhen[{index}]"),
            resolve,
        ) {
            Ok(condition) => atoms.push(condition),
            Err(diagnostic) => errors.push(diagnostic),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if atoms.len() == 1 {
        if let Some(only) = atoms.pop() {
            return Ok(only);
        }
    }
    match behavior {
        Some("any") => Ok(Condition::Any(atoms)),
        Some("all") | None => Ok(Condition::All(atoms)),
        Some(other) => Err(vec![Diagnostic::new(
            format!("{path}.enableBehavior"),
            format!("`{other}` is not an enableBehavior (all, any)"),
        )]),
    }
}

/// One `enableWhen` entry as a condition.
fn atom(
    questionnaire: &Questionnaire,
    entry: &Value,
    path: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Result<Condition, Diagnostic> {
    let question = str_field(entry, "question")
        .ok_or_else(|| Diagnostic::new(format!("{path}.question"), "missing"))?;
    let not_a_question = || {
        Diagnostic::new(
            format!("{path}.question"),
            format!("`{question}` is not an imported question of this questionnaire"),
        )
    };
    let id = resolve(question).ok_or_else(not_a_question)?;
    let item = questionnaire.item(&id).ok_or_else(not_a_question)?;
    let operator = str_field(entry, "operator")
        .ok_or_else(|| Diagnostic::new(format!("{path}.operator"), "missing"))?;
    let (key, value) = entry
        .as_object()
        .and_then(|object| object.iter().find(|(key, _)| key.starts_with("answer")))
        .ok_or_else(|| Diagnostic::new(path, "the entry has no answer[x] to compare with"))?;
    let value_path = format!("{path}.{key}");
    match operator {
        "exists" => {
            let expected = value.as_bool().ok_or_else(|| {
                Diagnostic::new(&value_path, "`exists` compares with answerBoolean")
            })?;
            Ok(answer(&item.id, |t| t.answered = Some(expected)))
        }
        "=" => equals(questionnaire, item, key, value, &value_path),
        "!=" => {
            if matches!(item.kind, ItemKind::MultipleChoice { .. }) {
                return Err(Diagnostic::new(
                    path,
                    "`!=` on a question with several answers cannot be imported",
                ));
            }
            let equal = equals(questionnaire, item, key, value, &value_path)?;
            Ok(Condition::All(vec![
                answer(&item.id, |t| t.answered = Some(true)),
                Condition::Not(Box::new(equal)),
            ]))
        }
        ">" | ">=" | "<" | "<=" => {
            let number = match (&item.kind, key.as_str()) {
                (ItemKind::Integer { .. }, "answerInteger" | "answerDecimal") => value.as_f64(),
                _ => None,
            }
            .ok_or_else(|| {
                Diagnostic::new(
                    &value_path,
                    format!(
                        "`{operator}` can be imported only on an integer question compared \
                         with a number"
                    ),
                )
            })?;
            // An integer item's score is its value, so `>= n` is `score_at_least n`.
            let above = number.floor() + 1.0;
            let at_least =
                |threshold: f64| answer(&item.id, |t| t.score_at_least = Some(threshold));
            let below = |threshold: f64| {
                Condition::All(vec![
                    answer(&item.id, |t| t.answered = Some(true)),
                    Condition::Not(Box::new(at_least(threshold))),
                ])
            };
            Ok(match operator {
                ">=" => at_least(number),
                ">" => at_least(above),
                "<" => below(number),
                _ => below(above),
            })
        }
        other => Err(Diagnostic::new(
            format!("{path}.operator"),
            format!("`{other}` is not an enableWhen operator (exists, =, !=, >, <, >=, <=)"),
        )),
    }
}

/// An `=` entry as a condition.
fn equals(
    questionnaire: &Questionnaire,
    item: &Item,
    key: &str,
    value: &Value,
    path: &str,
) -> Result<Condition, Diagnostic> {
    let choose = |code: String| {
        if matches!(item.kind, ItemKind::MultipleChoice { .. }) {
            answer(&item.id, |t| t.includes = Some(code.clone()))
        } else {
            answer(&item.id, |t| {
                t.equals = Some(AnswerValue::Text(code.clone()))
            })
        }
    };
    let by_value = |wanted: &str| {
        questionnaire
            .options_of(item)
            .iter()
            .find(|option| option.value == wanted || option.label == wanted)
            .map(|option| option.value.clone())
            .ok_or_else(|| {
                Diagnostic::new(
                    path,
                    format!("`{wanted}` is not an option of `{}`", item.id),
                )
            })
    };
    let choice = matches!(
        item.kind,
        ItemKind::SingleChoice { .. } | ItemKind::MultipleChoice { .. }
    );
    match (&item.kind, key) {
        (_, "answerCoding") if choice => {
            let code = str_field(value, "code")
                .ok_or_else(|| Diagnostic::new(format!("{path}.code"), "missing"))?;
            let option = match_coding(questionnaire, item, str_field(value, "system"), code)
                .map_err(|message| Diagnostic::new(path, message))?;
            Ok(choose(option.value.clone()))
        }
        (_, "answerString") if choice => {
            let text = value.as_str().unwrap_or_default();
            Ok(choose(by_value(text)?))
        }
        (_, "answerInteger") if choice => {
            let number = value.as_i64().map(|n| n.to_string()).unwrap_or_default();
            Ok(choose(by_value(&number)?))
        }
        (ItemKind::YesNo { .. }, "answerBoolean") => {
            let expected = value
                .as_bool()
                .ok_or_else(|| Diagnostic::new(path, "expected true or false"))?;
            Ok(answer(&item.id, |t| {
                t.equals = Some(AnswerValue::Bool(expected))
            }))
        }
        (ItemKind::Integer { .. }, "answerInteger" | "answerDecimal") => {
            let number = whole_number(value)
                .ok_or_else(|| Diagnostic::new(path, "expected a whole number"))?;
            Ok(answer(&item.id, |t| {
                t.equals = Some(AnswerValue::Integer(number))
            }))
        }
        (ItemKind::ShortText { .. } | ItemKind::LongText { .. }, "answerString")
        | (ItemKind::Date, "answerDate") => {
            let text = value
                .as_str()
                .ok_or_else(|| Diagnostic::new(path, "expected a string"))?
                .to_owned();
            Ok(answer(&item.id, |t| {
                t.equals = Some(AnswerValue::Text(text.clone()))
            }))
        }
        _ => Err(Diagnostic::new(
            path,
            format!(
                "`{key}` cannot be compared with the answer of `{}` (a {} item)",
                item.id,
                item.kind.type_name()
            ),
        )),
    }
}

/// Renames every item a condition refers to; ids `rename` does not know stay as they are.
pub(crate) fn rename_items(condition: &mut Condition, rename: &dyn Fn(&str) -> Option<String>) {
    match condition {
        Condition::All(inner) | Condition::Any(inner) => {
            for condition in inner {
                rename_items(condition, rename);
            }
        }
        Condition::Not(inner) => rename_items(inner, rename),
        Condition::Answer(test) => {
            if let Some(id) = rename(&test.item) {
                test.item = id;
            }
        }
        Condition::MedicationClass(test) => {
            if let Some(id) = rename(&test.item) {
                test.item = id;
            }
        }
        Condition::MedicationUnrecognised(test) => {
            if let Some(id) = rename(&test.item) {
                test.item = id;
            }
        }
        Condition::Score(_) => {}
    }
}

/// A JSON number that is a whole number (`3` or `3.0`).
pub(crate) fn whole_number(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| {
        let number = value.as_f64()?;
        if number.fract() == 0.0 && number.abs() < 9_007_199_254_740_992.0 {
            #[allow(clippy::cast_possible_truncation)]
            Some(number as i64)
        } else {
            None
        }
    })
}

/// An answer test on `item` with one field set by `fill`.
fn answer(item: &str, fill: impl FnOnce(&mut AnswerTest)) -> Condition {
    let mut test = AnswerTest {
        item: item.to_owned(),
        score_at_least: None,
        score_above: None,
        equals: None,
        one_of: None,
        includes: None,
        answered: None,
        threshold: None,
    };
    fill(&mut test);
    Condition::Answer(test)
}
