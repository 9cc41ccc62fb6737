//! Export: a definition as a FHIR R4 `Questionnaire`, a native response as a
//! `QuestionnaireResponse`. The layout (linkIds, codings, extensions) is described in
//! [`crate::fhir`]; the linkIds of groups, intros, help texts and scores come from one
//! [`Plan`], so both resources and the response import agree.

use serde_json::{json, Map, Value};

use crate::json_value::object;

use crate::answer::{check_answer, AnswerValue};
use crate::definition::{AnswerOption, Item, ItemKind, Options, Questionnaire};
use crate::evaluation::Evaluation;
use crate::wire::{Response, Status};

use super::conditions::{coding_of, from_enable_when, to_enable_when};
use super::{
    coding_json, extension, fhir_id, fhirpath, number_json, put_str, set_system, ExportOptions,
    Plan, CALCULATED_EXPRESSION, DEFINITION_ID_SYSTEM, ENABLE_WHEN_EXPRESSION, ITEM_CONTROL,
    ITEM_WEIGHT, KAPFORMS_ENABLE_WHEN, KAPFORMS_FLAG_RULE, KAPFORMS_HELP, KAPFORMS_NO_SCORE,
    KAPFORMS_OPTION_SET_NAME, KAPFORMS_OPTION_VALUE, KAPFORMS_PROVENANCE,
    KAPFORMS_RESTRICTED_SECTION, KAPFORMS_RESTRICTED_TEXT, KAPFORMS_RUNNING_TOTAL,
    KAPFORMS_SCORE_RULE, KAPFORMS_SECTION_ID, KAPFORMS_SECTION_INTRO, KAPFORMS_THRESHOLD,
    KAPFORMS_YES_SCORE, MAX_OCCURS, MAX_VALUE, MIN_VALUE, ORDINAL_VALUE, QUESTIONNAIRE_UNIT,
    VARIABLE,
};

/// The definition as a FHIR R4 `Questionnaire`, with the default [`ExportOptions`].
pub fn questionnaire(questionnaire: &Questionnaire) -> Value {
    questionnaire_with(questionnaire, &ExportOptions::default())
}

/// The definition as a FHIR R4 `Questionnaire`.
pub fn questionnaire_with(questionnaire: &Questionnaire, options: &ExportOptions) -> Value {
    let plan = Plan::new(questionnaire);
    let mut root = Map::new();
    root.insert("resourceType".into(), json!("Questionnaire"));
    root.insert("id".into(), json!(fhir_id(&questionnaire.id)));

    let contained: Vec<Value> = plan
        .value_sets
        .iter()
        .filter_map(|(name, id)| {
            let options = questionnaire.option_sets.get(name)?;
            Some(value_set(questionnaire, name, id, options))
        })
        .collect();
    if !contained.is_empty() {
        root.insert("contained".into(), Value::Array(contained));
    }

    let mut extensions = Vec::new();
    if questionnaire.restricted_text {
        extensions.push(extension(
            KAPFORMS_RESTRICTED_TEXT,
            "valueBoolean",
            Value::Bool(true),
        ));
    }
    if let Some(provenance) = &questionnaire.provenance {
        if let Ok(text) = serde_json::to_string(provenance) {
            extensions.push(extension(KAPFORMS_PROVENANCE, "valueString", json!(text)));
        }
    }
    if let Some(score) = &questionnaire.running_total {
        extensions.push(extension(
            KAPFORMS_RUNNING_TOTAL,
            "valueString",
            json!(score),
        ));
    }
    for flag in &questionnaire.flags {
        if let Ok(text) = serde_json::to_string(flag) {
            extensions.push(extension(KAPFORMS_FLAG_RULE, "valueString", json!(text)));
        }
    }
    for threshold in &questionnaire.thresholds {
        if let Ok(text) = serde_json::to_string(threshold) {
            extensions.push(extension(KAPFORMS_THRESHOLD, "valueString", json!(text)));
        }
    }
    for section in questionnaire.sections.iter().filter(|s| s.restricted_text) {
        extensions.push(extension(
            KAPFORMS_RESTRICTED_SECTION,
            "valueString",
            json!(section.id),
        ));
    }
    if !extensions.is_empty() {
        root.insert("extension".into(), Value::Array(extensions));
    }

    root.insert("url".into(), json!(options.canonical(questionnaire)));
    root.insert(
        "identifier".into(),
        json!([{ "system": DEFINITION_ID_SYSTEM, "value": questionnaire.id }]),
    );
    put_str(&mut root, "version", &questionnaire.version);
    put_str(&mut root, "name", &computer_name(&questionnaire.id));
    put_str(&mut root, "title", &questionnaire.title);
    root.insert("status".into(), json!("active"));
    if let Some(description) = &questionnaire.description {
        put_str(&mut root, "description", description);
    }
    if let Some(provenance) = &questionnaire.provenance {
        let parts: Vec<&str> = [provenance.attribution.as_deref(), Some(&provenance.licence)]
            .into_iter()
            .flatten()
            .filter(|part| !part.trim().is_empty())
            .collect();
        put_str(&mut root, "copyright", &parts.join("\n\n"));
    }
    if let Some(code) = &questionnaire.code {
        root.insert("code".into(), json!([coding_json(code)]));
    }

    let mut items = Vec::new();
    for (index, section) in questionnaire.sections.iter().enumerate() {
        let mut children = Vec::new();
        if let (Some(intro), Some(link)) = (&section.intro, plan.intros.get(index)) {
            let mut display = Map::new();
            display.insert("linkId".into(), json!(link));
            display.insert("type".into(), json!("display"));
            put_str(&mut display, "text", intro);
            display.insert(
                "extension".into(),
                json!([extension(
                    KAPFORMS_SECTION_INTRO,
                    "valueBoolean",
                    Value::Bool(true)
                )]),
            );
            children.push(Value::Object(display));
        }
        for item in &section.items {
            children.push(item_json(questionnaire, &plan, item));
        }
        if children.is_empty() {
            continue;
        }
        let mut group = Map::new();
        if let Some(link) = plan.sections.get(index) {
            group.insert("linkId".into(), json!(link));
            if *link != section.id {
                group.insert(
                    "extension".into(),
                    json!([extension(
                        KAPFORMS_SECTION_ID,
                        "valueString",
                        json!(section.id)
                    )]),
                );
            }
        }
        group.insert("type".into(), json!("group"));
        put_str(&mut group, "text", &section.title);
        group.insert("item".into(), Value::Array(children));
        items.push(Value::Object(group));
    }
    for (rule, link) in questionnaire.scores.iter().zip(&plan.scores) {
        let mut score = Map::new();
        score.insert("linkId".into(), json!(link));
        score.insert("type".into(), json!("decimal"));
        put_str(&mut score, "text", &rule.label);
        score.insert("readOnly".into(), Value::Bool(true));
        if let Some(code) = &rule.code {
            score.insert("code".into(), json!([coding_json(code)]));
        }
        let mut extensions = Vec::new();
        if let Some(value) = fhirpath::score_value(questionnaire, rule) {
            extensions.push(json!({
                "url": VARIABLE,
                "valueExpression": {
                    "name": fhirpath::ITEM_SCORES,
                    "language": "text/fhirpath",
                    "expression": fhirpath::score_terms(questionnaire, rule),
                }
            }));
            extensions.push(json!({
                "url": CALCULATED_EXPRESSION,
                "valueExpression": { "language": "text/fhirpath", "expression": value }
            }));
        }
        if let Ok(text) = serde_json::to_string(rule) {
            extensions.push(extension(KAPFORMS_SCORE_RULE, "valueString", json!(text)));
        }
        score.insert("extension".into(), Value::Array(extensions));
        items.push(Value::Object(score));
    }
    if !items.is_empty() {
        root.insert("item".into(), Value::Array(items));
    }
    Value::Object(root)
}

/// A "computer friendly" name from an id: `phq9` → `Phq9`, `gad7_total` → `Gad7Total`.
fn computer_name(id: &str) -> String {
    let mut name: String = id
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or(String::new(), |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_uppercase()) {
        name.insert(0, 'Q');
    }
    name
}

/// A named option set as a contained ValueSet: `compose.include` per run of options sharing a
/// code system, in the set's order.
fn value_set(
    questionnaire: &Questionnaire,
    name: &str,
    id: &str,
    options: &[AnswerOption],
) -> Value {
    let local = set_system(&questionnaire.id, name);
    let mut includes: Vec<(String, Vec<Value>)> = Vec::new();
    for option in options {
        let (system, code) = match &option.code {
            Some(coding) => (coding.system.clone(), coding.code.clone()),
            None => (local.clone(), option.value.clone()),
        };
        let mut concept = Map::new();
        concept.insert("code".into(), json!(code));
        put_str(&mut concept, "display", &option.label);
        let extensions = option_extensions(option, &code);
        if !extensions.is_empty() {
            concept.insert("extension".into(), Value::Array(extensions));
        }
        match includes.last_mut() {
            Some((last, concepts)) if *last == system => concepts.push(Value::Object(concept)),
            _ => includes.push((system, vec![Value::Object(concept)])),
        }
    }
    let include: Vec<Value> = includes
        .into_iter()
        .map(|(system, concept)| json!({ "system": system, "concept": concept }))
        .collect();
    let mut set = Map::new();
    set.insert("resourceType".into(), json!("ValueSet"));
    set.insert("id".into(), json!(id));
    if id != name {
        set.insert(
            "extension".into(),
            json!([extension(
                KAPFORMS_OPTION_SET_NAME,
                "valueString",
                json!(name)
            )]),
        );
    }
    set.insert("status".into(), json!("active"));
    set.insert("compose".into(), json!({ "include": include }));
    Value::Object(set)
}

/// An option's score (as `ordinalValue` and `itemWeight`) and, where its value differs from
/// its exported code, its value.
fn option_extensions(option: &AnswerOption, exported_code: &str) -> Vec<Value> {
    let mut extensions = Vec::new();
    if let Some(score) = option.score {
        extensions.push(extension(ORDINAL_VALUE, "valueDecimal", number_json(score)));
        extensions.push(extension(ITEM_WEIGHT, "valueDecimal", number_json(score)));
    }
    if option.value != exported_code {
        extensions.push(extension(
            KAPFORMS_OPTION_VALUE,
            "valueString",
            json!(option.value),
        ));
    }
    extensions
}

/// One item.
fn item_json(questionnaire: &Questionnaire, plan: &Plan, item: &Item) -> Value {
    let mut out = Map::new();
    let mut extensions = Vec::new();
    out.insert("linkId".into(), json!(item.id));
    let fhir_type = match &item.kind {
        ItemKind::SingleChoice { .. } | ItemKind::MultipleChoice { .. } => "choice",
        ItemKind::YesNo { .. } => "boolean",
        ItemKind::ShortText { .. } => "string",
        ItemKind::LongText { .. } => "text",
        ItemKind::Integer { .. } => "integer",
        ItemKind::Date => "date",
        ItemKind::Display => "display",
        ItemKind::RepeatingGroup { .. } => "group",
    };
    put_str(&mut out, "text", &item.text);
    out.insert("type".into(), json!(fhir_type));
    if item.required && item.kind.takes_answer() {
        out.insert("required".into(), Value::Bool(true));
    }
    if let (Some(code), true) = (&item.code, item.kind.takes_answer()) {
        out.insert("code".into(), json!([coding_json(code)]));
    }
    match &item.kind {
        ItemKind::SingleChoice { options } | ItemKind::MultipleChoice { options } => {
            if matches!(item.kind, ItemKind::MultipleChoice { .. }) {
                out.insert("repeats".into(), Value::Bool(true));
            }
            match options {
                Options::Set(name) => {
                    if let Some(id) = plan.value_sets.get(name) {
                        out.insert("answerValueSet".into(), json!(format!("#{id}")));
                    }
                }
                Options::Inline(list) => {
                    let answer_options: Vec<Value> = list
                        .iter()
                        .map(|option| {
                            let coding = coding_of(questionnaire, item, option);
                            let code = coding
                                .get("code")
                                .and_then(Value::as_str)
                                .unwrap_or_default()
                                .to_owned();
                            let mut answer = Map::new();
                            let extensions = option_extensions(option, &code);
                            if !extensions.is_empty() {
                                answer.insert("extension".into(), Value::Array(extensions));
                            }
                            answer.insert("valueCoding".into(), coding);
                            Value::Object(answer)
                        })
                        .collect();
                    out.insert("answerOption".into(), Value::Array(answer_options));
                }
            }
        }
        ItemKind::YesNo {
            yes_score,
            no_score,
        } => {
            if let Some(score) = yes_score {
                extensions.push(extension(
                    KAPFORMS_YES_SCORE,
                    "valueDecimal",
                    number_json(*score),
                ));
            }
            if let Some(score) = no_score {
                extensions.push(extension(
                    KAPFORMS_NO_SCORE,
                    "valueDecimal",
                    number_json(*score),
                ));
            }
        }
        ItemKind::ShortText { max_length } | ItemKind::LongText { max_length } => {
            if let Some(limit) = max_length {
                out.insert("maxLength".into(), json!(limit));
            }
        }
        ItemKind::Integer { min, max, unit } => {
            if let Some(min) = min {
                extensions.push(extension(MIN_VALUE, "valueInteger", json!(min)));
            }
            if let Some(max) = max {
                extensions.push(extension(MAX_VALUE, "valueInteger", json!(max)));
            }
            if let Some(unit) = unit.as_deref().filter(|u| !u.trim().is_empty()) {
                extensions.push(extension(
                    QUESTIONNAIRE_UNIT,
                    "valueCoding",
                    json!({ "display": unit }),
                ));
            }
        }
        ItemKind::RepeatingGroup { fields, max_rows } => {
            // One group per row: `repeats`, with the fields as child items whose linkIds are
            // `<group>.<field>` (field ids are local to the group).
            out.insert("repeats".into(), Value::Bool(true));
            if let Some(limit) = max_rows {
                extensions.push(extension(MAX_OCCURS, "valueInteger", json!(limit)));
            }
            let children: Vec<Value> = fields
                .iter()
                .map(|field| {
                    let mut field = field.clone();
                    field.id = format!("{}.{}", item.id, field.id);
                    item_json(questionnaire, plan, &field)
                })
                .collect();
            out.insert("item".into(), Value::Array(children));
        }
        ItemKind::Date | ItemKind::Display => {}
    }
    if let Some(condition) = &item.enable_when {
        let native = serde_json::to_string(condition).unwrap_or_default();
        match to_enable_when(questionnaire, condition) {
            Some((entries, behavior)) => {
                let identity = |link: &str| Some(link.to_owned());
                let exact = from_enable_when(questionnaire, &entries, behavior, "", &identity)
                    .is_ok_and(|back| &back == condition);
                out.insert("enableWhen".into(), Value::Array(entries));
                if let Some(behavior) = behavior {
                    out.insert("enableBehavior".into(), json!(behavior));
                }
                if !exact {
                    extensions.push(extension(
                        KAPFORMS_ENABLE_WHEN,
                        "valueString",
                        json!(native),
                    ));
                }
            }
            None => {
                extensions.push(json!({
                    "url": ENABLE_WHEN_EXPRESSION,
                    "valueExpression": {
                        "language": "text/fhirpath",
                        "expression": fhirpath::condition(questionnaire, condition),
                    }
                }));
                extensions.push(extension(
                    KAPFORMS_ENABLE_WHEN,
                    "valueString",
                    json!(native),
                ));
            }
        }
    }
    if let Some(help) = item.help.as_deref() {
        match plan.help.get(&item.id) {
            Some(link) => {
                let mut display = Map::new();
                display.insert("linkId".into(), json!(link));
                put_str(&mut display, "text", help);
                display.insert("type".into(), json!("display"));
                display.insert(
                    "extension".into(),
                    json!([{
                        "url": ITEM_CONTROL,
                        "valueCodeableConcept": { "coding": [{
                            "system": "http://hl7.org/fhir/questionnaire-item-control",
                            "code": "help",
                            "display": "Help-Button"
                        }]}
                    }]),
                );
                // A repeating group's children are its fields: the help goes first among them.
                match out.get_mut("item").and_then(Value::as_array_mut) {
                    Some(children) => children.insert(0, Value::Object(display)),
                    None => {
                        out.insert("item".into(), json!([Value::Object(display)]));
                    }
                }
            }
            None => extensions.push(extension(KAPFORMS_HELP, "valueString", json!(help))),
        }
    }
    if !extensions.is_empty() {
        out.insert("extension".into(), Value::Array(extensions));
    }
    Value::Object(out)
}

/// A native response as a FHIR R4 `QuestionnaireResponse`, with the default
/// [`ExportOptions`].
pub fn questionnaire_response(questionnaire: &Questionnaire, response: &Response) -> Value {
    questionnaire_response_with(questionnaire, response, &ExportOptions::default())
}

/// A native response as a FHIR R4 `QuestionnaireResponse` of [`questionnaire_with`]'s
/// Questionnaire.
///
/// Items are nested in their sections' groups as in the Questionnaire. Only answers that
/// count are written: those of visible items (visibility is worked out again from the
/// response's answers, so a hidden item's answer never leaks), non-empty, and fitting their
/// item (which every response built by a session does). Unanswered questions and groups
/// with no answers are left out. Each complete score follows the last group as its own item
/// with a `valueDecimal` answer; an incomplete score is left out, since FHIR has no way to
/// mark a value as partial. `authored` is the response's `completed_at`, else its
/// `updated_at`.
pub fn questionnaire_response_with(
    questionnaire: &Questionnaire,
    response: &Response,
    options: &ExportOptions,
) -> Value {
    // What the patient was shown: with the sections the response records as withheld.
    let evaluation = Evaluation::with(
        questionnaire,
        &response.answers,
        crate::evaluation::Setting::recorded_in(response),
    );
    let scores: Vec<ExportedScore> = evaluation
        .scores
        .iter()
        .map(|score| ExportedScore {
            complete: score.is_complete(),
            label: &score.label,
            value: score.value,
        })
        .collect();
    response_resource(
        questionnaire,
        response,
        &|id| evaluation.visible.contains(id),
        &scores,
        options,
    )
}

/// [`questionnaire_response`] of a response a [`crate::Session`] of `questionnaire` has just
/// built ([`crate::Session::response`]), taking what it shows and its scores from the response
/// itself instead of evaluating its answers again: such a response holds only answers that
/// were shown, and its scores are those the evaluation computed. What the patient's bundle
/// sends with `kap-submit`: a second evaluation would bring a whole evaluator into its module
/// for nothing. The tests check that both give the same resource for every session's response.
/// A response read from elsewhere must go through [`questionnaire_response`].
pub fn questionnaire_response_as_built(
    questionnaire: &Questionnaire,
    response: &Response,
) -> Value {
    let scores: Vec<ExportedScore> = response
        .scores
        .iter()
        .map(|score| ExportedScore {
            complete: score.complete,
            label: &score.label,
            value: score.value,
        })
        .collect();
    response_resource(
        questionnaire,
        response,
        &|_| true,
        &scores,
        &ExportOptions::default(),
    )
}

/// What a `QuestionnaireResponse` says of one score (in the definition's order of scores).
struct ExportedScore<'a> {
    complete: bool,
    label: &'a str,
    value: f64,
}

/// The `QuestionnaireResponse` of `response`'s answers to the items `shown`, and of `scores`.
fn response_resource(
    questionnaire: &Questionnaire,
    response: &Response,
    shown: &dyn Fn(&str) -> bool,
    scores: &[ExportedScore],
    options: &ExportOptions,
) -> Value {
    let plan = Plan::new(questionnaire);
    let mut items = Vec::new();
    for (index, section) in questionnaire.sections.iter().enumerate() {
        let children: Vec<Value> = section
            .items
            .iter()
            .filter(|item| item.kind.takes_answer() && shown(&item.id))
            .flat_map(|item| {
                let Some(value) = response.answers.get(&item.id) else {
                    return Vec::new();
                };
                if value.is_empty() || check_answer(questionnaire, item, value).is_err() {
                    return Vec::new();
                }
                if let (ItemKind::RepeatingGroup { fields, .. }, AnswerValue::Rows(rows)) =
                    (&item.kind, value)
                {
                    return rows
                        .iter()
                        .filter_map(|row| group_row(questionnaire, item, fields, row))
                        .collect();
                }
                let answers = answer_values(questionnaire, item, value);
                if answers.is_empty() {
                    return Vec::new();
                }
                let mut out = Map::new();
                out.insert("linkId".into(), Value::from(item.id.as_str()));
                put_str(&mut out, "text", &item.text);
                out.insert("answer".into(), Value::Array(answers));
                vec![Value::Object(out)]
            })
            .collect();
        if children.is_empty() {
            continue;
        }
        let mut group = Map::new();
        if let Some(link) = plan.sections.get(index) {
            group.insert("linkId".into(), Value::from(link.as_str()));
        }
        put_str(&mut group, "text", &section.title);
        group.insert("item".into(), Value::Array(children));
        items.push(Value::Object(group));
    }
    for (score, link) in scores.iter().zip(&plan.scores) {
        if !score.complete {
            continue;
        }
        let mut out = Map::new();
        out.insert("linkId".into(), Value::from(link.as_str()));
        put_str(&mut out, "text", score.label);
        out.insert(
            "answer".into(),
            Value::Array(vec![object([("valueDecimal", number_json(score.value))])]),
        );
        items.push(Value::Object(out));
    }
    let mut root = Map::new();
    root.insert("resourceType".into(), Value::from("QuestionnaireResponse"));
    if let Some(language) = &response.language {
        put_str(&mut root, "language", language);
    }
    root.insert(
        "questionnaire".into(),
        Value::String(format!(
            "{}|{}",
            options.canonical(questionnaire),
            questionnaire.version
        )),
    );
    root.insert(
        "status".into(),
        Value::from(match response.status {
            Status::Completed => "completed",
            Status::InProgress => "in-progress",
        }),
    );
    let authored = response
        .completed_at
        .as_deref()
        .unwrap_or(&response.updated_at);
    put_str(&mut root, "authored", authored);
    if !items.is_empty() {
        root.insert("item".into(), Value::Array(items));
    }
    Value::Object(root)
}

/// One row of a repeating group as a response group item (`None` when the row is empty).
fn group_row(
    questionnaire: &Questionnaire,
    group: &Item,
    fields: &[Item],
    row: &litemap::LiteMap<String, AnswerValue>,
) -> Option<Value> {
    let children: Vec<Value> = fields
        .iter()
        .filter_map(|field| {
            let value = row.get(&field.id).filter(|v| !v.is_empty())?;
            let answers = answer_values(questionnaire, field, value);
            if answers.is_empty() {
                return None;
            }
            let mut out = Map::new();
            out.insert(
                "linkId".into(),
                Value::String(format!("{}.{}", group.id, field.id)),
            );
            put_str(&mut out, "text", &field.text);
            out.insert("answer".into(), Value::Array(answers));
            Some(Value::Object(out))
        })
        .collect();
    if children.is_empty() {
        return None;
    }
    let mut out = Map::new();
    out.insert("linkId".into(), Value::from(group.id.as_str()));
    put_str(&mut out, "text", &group.text);
    out.insert("item".into(), Value::Array(children));
    Some(Value::Object(out))
}

/// The FHIR answers for one native answer.
fn answer_values(questionnaire: &Questionnaire, item: &Item, value: &AnswerValue) -> Vec<Value> {
    let coding = |code: &str| {
        questionnaire
            .options_of(item)
            .iter()
            .find(|option| option.value == code)
            .map(|option| object([("valueCoding", coding_of(questionnaire, item, option))]))
    };
    match (&item.kind, value) {
        (ItemKind::SingleChoice { .. }, AnswerValue::Text(code)) => {
            coding(code).into_iter().collect()
        }
        (ItemKind::MultipleChoice { .. }, AnswerValue::Choices(codes)) => {
            codes.iter().filter_map(|code| coding(code)).collect()
        }
        (ItemKind::YesNo { .. }, AnswerValue::Bool(yes)) => {
            vec![object([("valueBoolean", Value::Bool(*yes))])]
        }
        (ItemKind::Integer { .. }, AnswerValue::Integer(number)) => {
            vec![object([("valueInteger", Value::from(*number))])]
        }
        (ItemKind::ShortText { .. } | ItemKind::LongText { .. }, AnswerValue::Text(text)) => {
            vec![object([("valueString", Value::from(text.as_str()))])]
        }
        (ItemKind::Date, AnswerValue::Text(date)) => {
            vec![object([("valueDate", Value::from(date.as_str()))])]
        }
        _ => Vec::new(),
    }
}
