//! Import of a FHIR R4 `QuestionnaireResponse`: its answers, read back against a definition
//! as native answers keyed by item id. Items are found by linkId at any depth (inside groups
//! and under other answers); score items and linkIds the Questionnaire import left out are
//! skipped, since scores are recomputed.

use litemap::LiteMap;
use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::answer::{check_answer, AnswerValue};
use crate::definition::{Item, ItemKind, Questionnaire};
use crate::diagnostic::Diagnostic;

use super::conditions::whole_number;
use super::{array_field, join_path, match_coding, parse_resource, str_field, LinkIds, Plan};

/// Reads the answers of a `QuestionnaireResponse` (or of the only one in a `Bundle`) to
/// `questionnaire`, keyed by native item id.
///
/// `link_ids` maps native ids to the linkIds the response uses ([`super::Imported::link_ids`]
/// for an imported Questionnaire; the default for one exported by kapforms). Codings match an
/// option by system and code, or by code alone when the answer has no system; `valueBoolean`,
/// `valueInteger` (or a whole `valueDecimal`), `valueString` and `valueDate` (or the date of a
/// `valueDateTime`) are read by the item's kind. Score items and ignored linkIds are skipped.
/// Every answer is checked against its item; every problem is returned at its JSON path.
pub fn import_questionnaire_response(
    questionnaire: &Questionnaire,
    link_ids: &LinkIds,
    text: &str,
) -> Result<LiteMap<String, AnswerValue>, Vec<Diagnostic>> {
    let (resource, prefix) = parse_resource(text, "QuestionnaireResponse")?;
    let plan = Plan::new(questionnaire);
    let mut by_link: HashMap<&str, &str> = questionnaire
        .items()
        .map(|item| (item.id.as_str(), item.id.as_str()))
        .collect();
    for (id, link) in &link_ids.items {
        by_link.insert(link.as_str(), id.as_str());
    }
    let mut scores: HashSet<&str> = link_ids.scores.values().map(String::as_str).collect();
    scores.extend(plan.scores.iter().map(String::as_str));
    let mut reader = Reader {
        questionnaire,
        by_link,
        scores,
        ignored: link_ids.ignored.iter().map(String::as_str).collect(),
        answers: LiteMap::new(),
        errors: Vec::new(),
    };
    reader.items(array_field(&resource, "item"), &join_path(&prefix, "item"));
    if reader.errors.is_empty() {
        Ok(reader.answers)
    } else {
        Err(reader.errors)
    }
}

/// The reading state.
struct Reader<'q> {
    questionnaire: &'q Questionnaire,
    by_link: HashMap<&'q str, &'q str>,
    /// LinkIds of score items.
    scores: HashSet<&'q str>,
    /// LinkIds the Questionnaire import left out.
    ignored: HashSet<&'q str>,
    answers: LiteMap<String, AnswerValue>,
    errors: Vec<Diagnostic>,
}

impl Reader<'_> {
    /// Reads a list of response items at `path` (`item`, `item[0].item`, …).
    fn items(&mut self, items: &[Value], path: &str) {
        for (index, node) in items.iter().enumerate() {
            let item_path = format!("{path}[{index}]");
            self.item(node, &item_path);
            self.items(array_field(node, "item"), &format!("{item_path}.item"));
            for (a, answer) in array_field(node, "answer").iter().enumerate() {
                self.items(
                    array_field(answer, "item"),
                    &format!("{item_path}.answer[{a}].item"),
                );
            }
        }
    }

    /// Reads one response item's answers, if it has any.
    fn item(&mut self, node: &Value, path: &str) {
        let answers = array_field(node, "answer");
        if answers.is_empty() {
            return;
        }
        let Some(link) = str_field(node, "linkId") else {
            self.errors
                .push(Diagnostic::new(format!("{path}.linkId"), "missing"));
            return;
        };
        if self.ignored.contains(link) {
            return;
        }
        let questionnaire = self.questionnaire;
        let item = self.by_link.get(link).and_then(|id| questionnaire.item(id));
        if item.is_none() && self.scores.contains(link) {
            return;
        }
        let Some(item) = item else {
            self.errors.push(Diagnostic::new(
                format!("{path}.linkId"),
                format!("no question of `{}` has linkId `{link}`", questionnaire.id),
            ));
            return;
        };
        let value = match read_answers(questionnaire, item, answers, path) {
            Ok(value) => value,
            Err(diagnostic) => {
                self.errors.push(diagnostic);
                return;
            }
        };
        if let Err(message) = check_answer(questionnaire, item, &value) {
            self.errors
                .push(Diagnostic::new(format!("{path}.answer"), message));
            return;
        }
        if self.answers.insert(item.id.clone(), value).is_some() {
            self.errors.push(Diagnostic::new(
                format!("{path}.linkId"),
                format!("`{link}` is answered twice"),
            ));
        }
    }
}

/// The native answer for a response item's `answer` list.
fn read_answers(
    questionnaire: &Questionnaire,
    item: &Item,
    answers: &[Value],
    path: &str,
) -> Result<AnswerValue, Diagnostic> {
    let single = || match answers {
        [one] => Ok(one),
        _ => Err(Diagnostic::new(
            format!("{path}.answer"),
            format!(
                "a `{}` item takes one answer, found {}",
                item.kind.type_name(),
                answers.len()
            ),
        )),
    };
    let first_path = format!("{path}.answer[0]");
    match &item.kind {
        ItemKind::RepeatingGroup { .. } => Err(Diagnostic::new(
            path.to_owned(),
            "answers to repeating groups are not read back from FHIR yet",
        )),
        ItemKind::SingleChoice { .. } => {
            let answer = single()?;
            option_value(questionnaire, item, answer, &first_path).map(AnswerValue::Text)
        }
        ItemKind::MultipleChoice { .. } => answers
            .iter()
            .enumerate()
            .map(|(index, answer)| {
                option_value(
                    questionnaire,
                    item,
                    answer,
                    &format!("{path}.answer[{index}]"),
                )
            })
            .collect::<Result<Vec<_>, _>>()
            .map(AnswerValue::Choices),
        ItemKind::YesNo { .. } => single()?
            .get("valueBoolean")
            .and_then(Value::as_bool)
            .map(AnswerValue::Bool)
            .ok_or_else(|| Diagnostic::new(&first_path, "expected valueBoolean")),
        ItemKind::Integer { .. } => {
            let answer = single()?;
            answer
                .get("valueInteger")
                .or_else(|| answer.get("valueDecimal"))
                .and_then(whole_number)
                .map(AnswerValue::Integer)
                .ok_or_else(|| {
                    Diagnostic::new(&first_path, "expected valueInteger (a whole number)")
                })
        }
        ItemKind::ShortText { .. } | ItemKind::LongText { .. } => single()?
            .get("valueString")
            .and_then(Value::as_str)
            .map(|text| AnswerValue::Text(text.to_owned()))
            .ok_or_else(|| Diagnostic::new(&first_path, "expected valueString")),
        ItemKind::Date => {
            let answer = single()?;
            let date = match (
                str_field(answer, "valueDate"),
                str_field(answer, "valueDateTime"),
            ) {
                (Some(date), _) => Some(date),
                (None, Some(date_time)) => date_time.get(..10),
                (None, None) => None,
            };
            date.map(|date| AnswerValue::Text(date.to_owned()))
                .ok_or_else(|| Diagnostic::new(&first_path, "expected valueDate"))
        }
        ItemKind::Display => Err(Diagnostic::new(
            format!("{path}.answer"),
            "a display item takes no answer",
        )),
    }
}

/// The option value an answer chooses.
fn option_value(
    questionnaire: &Questionnaire,
    item: &Item,
    answer: &Value,
    path: &str,
) -> Result<String, Diagnostic> {
    if let Some(coding) = answer.get("valueCoding") {
        let code = str_field(coding, "code")
            .ok_or_else(|| Diagnostic::new(format!("{path}.valueCoding.code"), "missing"))?;
        return match_coding(questionnaire, item, str_field(coding, "system"), code)
            .map(|option| option.value.clone())
            .map_err(|message| Diagnostic::new(format!("{path}.valueCoding"), message));
    }
    let plain = match (answer.get("valueString"), answer.get("valueInteger")) {
        (Some(Value::String(text)), _) => Some(text.clone()),
        (_, Some(number)) => number.as_i64().map(|n| n.to_string()),
        _ => None,
    };
    let Some(plain) = plain else {
        return Err(Diagnostic::new(
            path,
            "expected valueCoding (or valueString / valueInteger naming an option)",
        ));
    };
    questionnaire
        .options_of(item)
        .iter()
        .find(|option| option.value == plain)
        .or_else(|| {
            questionnaire
                .options_of(item)
                .iter()
                .find(|option| option.label == plain)
        })
        .map(|option| option.value.clone())
        .ok_or_else(|| {
            Diagnostic::new(path, format!("`{plain}` is not an option of `{}`", item.id))
        })
}
