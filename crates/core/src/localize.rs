//! A questionnaire's wording as a flat map of keys to text, and a definition reworded from
//! such a map: the mechanism behind both a licensed clinic's text pack (wording for a
//! skeleton) and a translation (the same questionnaire in another language). Rewording never
//! changes structure: ids, option codes, scores, flags and conditions stay as they are, so
//! answers given under one wording are valid under another.
//!
//! # Keys
//! - `item` — an item's text; `item#help` its hint; `item#unit` an integer item's unit;
//!   `item/code` the label of one of its options (a named set is copied into the item).
//! - `group>field`, `group>field#help`, `group>field/code` — a field of a repeating group.
//! - `@title`, `@description` — the questionnaire's title and introduction.
//! - `@section:id`, `@intro:id` — a section's heading and its introduction.
//! - `@options:set/code` — an option label in a named option set, for every item using it.

use crate::definition::{AnswerOption, Item, ItemKind, Options, Questionnaire, TextPack};
use crate::diagnostic::Diagnostic;

/// Every piece of wording the questionnaire has (non-empty text only), by key. A translation
/// covers a questionnaire when it has every one of these keys.
pub fn wording(questionnaire: &Questionnaire) -> TextPack {
    // Gathered in definition order, then sorted into the map once.
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut put = |key: String, text: &str| {
        if !text.trim().is_empty() {
            keys.push((key, text.to_owned()));
        }
    };
    put("@title".to_owned(), &questionnaire.title);
    if let Some(description) = &questionnaire.description {
        put("@description".to_owned(), description);
    }
    for (set, options) in &questionnaire.option_sets {
        for option in options {
            put(format!("@options:{set}/{}", option.value), &option.label);
        }
    }
    for section in &questionnaire.sections {
        put(format!("@section:{}", section.id), &section.title);
        if let Some(intro) = &section.intro {
            put(format!("@intro:{}", section.id), intro);
        }
        for item in &section.items {
            item_wording(item, &item.id, &mut put);
        }
    }
    keys.into_iter().collect()
}

fn item_wording(item: &Item, key: &str, put: &mut impl FnMut(String, &str)) {
    put(key.to_owned(), &item.text);
    if let Some(help) = &item.help {
        put(format!("{key}#help"), help);
    }
    match &item.kind {
        ItemKind::SingleChoice {
            options: Options::Inline(list),
        }
        | ItemKind::MultipleChoice {
            options: Options::Inline(list),
        } => {
            for option in list {
                put(format!("{key}/{}", option.value), &option.label);
            }
        }
        ItemKind::Integer {
            unit: Some(unit), ..
        } => put(format!("{key}#unit"), unit),
        ItemKind::RepeatingGroup { fields, .. } => {
            for field in fields {
                item_wording(field, &format!("{key}>{}", field.id), put);
            }
        }
        _ => {}
    }
}

/// `questionnaire` with the wording `pack` gives. Every key must name wording the
/// questionnaire has a place for; an unknown key is an error at `text_pack.<key>`, and all
/// such errors are reported together.
pub fn reword(
    questionnaire: &Questionnaire,
    pack: &TextPack,
) -> Result<Questionnaire, Vec<Diagnostic>> {
    let mut reworded = questionnaire.clone();
    let mut problems = Vec::new();
    for (key, text) in pack {
        if let Err(message) = apply(&mut reworded, key, text) {
            problems.push(Diagnostic::new(format!("text_pack.{key}"), message));
        }
    }
    if problems.is_empty() {
        Ok(reworded)
    } else {
        Err(problems)
    }
}

/// Puts one key's text in place, or says why the key names nothing.
fn apply(questionnaire: &mut Questionnaire, key: &str, text: &str) -> Result<(), String> {
    if let Some(rest) = key.strip_prefix('@') {
        return apply_questionnaire_key(questionnaire, rest, text);
    }
    let (path, attribute) = match key.split_once('#') {
        Some((path, attribute)) => (path, Some(attribute)),
        None => (key, None),
    };
    let (path, code) = match path.split_once('/') {
        Some((path, code)) => (path, Some(code)),
        None => (path, None),
    };
    let (item_id, field_id) = match path.split_once('>') {
        Some((item, field)) => (item, Some(field)),
        None => (path, None),
    };
    // An option label given for an item using a named set copies that set into the item:
    // read it before borrowing the item mutably (only that set, only when needed).
    let named_set: Option<Vec<AnswerOption>> =
        code.and_then(|_| questionnaire.item(item_id))
            .and_then(|item| match (&item.kind, field_id) {
                (ItemKind::SingleChoice { options }, None)
                | (ItemKind::MultipleChoice { options }, None) => Some(options),
                (ItemKind::RepeatingGroup { fields, .. }, Some(field_id)) => fields
                    .iter()
                    .find(|field| field.id == field_id)
                    .and_then(|field| match &field.kind {
                        ItemKind::SingleChoice { options }
                        | ItemKind::MultipleChoice { options } => Some(options),
                        _ => None,
                    }),
                _ => None,
            })
            .and_then(|options| match options {
                Options::Set(name) => questionnaire.option_sets.get(name).cloned(),
                Options::Inline(_) => None,
            });
    let Some(item) = questionnaire
        .sections
        .iter_mut()
        .flat_map(|section| section.items.iter_mut())
        .find(|item| item.id == item_id)
    else {
        return Err("no item has this id".to_owned());
    };
    let item = match field_id {
        None => item,
        Some(field_id) => match &mut item.kind {
            ItemKind::RepeatingGroup { fields, .. } => fields
                .iter_mut()
                .find(|field| field.id == field_id)
                .ok_or_else(|| format!("`{item_id}` has no field `{field_id}`"))?,
            _ => return Err(format!("`{item_id}` is not a repeating group")),
        },
    };
    match (code, attribute) {
        (None, None) => item.text = text.to_owned(),
        (None, Some("help")) => item.help = Some(text.to_owned()),
        (None, Some("unit")) => match &mut item.kind {
            ItemKind::Integer { unit, .. } => *unit = Some(text.to_owned()),
            _ => return Err("only a number question has a unit".to_owned()),
        },
        (Some(code), None) => set_option_label(item, named_set, code, text)?,
        (_, Some(other)) => {
            return Err(format!(
                "unknown attribute `#{other}`; expected #help or #unit"
            ))
        }
    }
    Ok(())
}

fn set_option_label(
    item: &mut Item,
    named_set: Option<Vec<AnswerOption>>,
    code: &str,
    text: &str,
) -> Result<(), String> {
    let item_id = item.id.clone();
    let options = match &mut item.kind {
        ItemKind::SingleChoice { options } | ItemKind::MultipleChoice { options } => options,
        _ => return Err("this item has no options".to_owned()),
    };
    if let Options::Set(_) = options {
        *options = Options::Inline(named_set.unwrap_or_default());
    }
    let Options::Inline(list) = options else {
        return Err("this item has no options".to_owned());
    };
    match list.iter_mut().find(|option| option.value == code) {
        Some(option) => {
            option.label = text.to_owned();
            Ok(())
        }
        None => Err(format!("`{code}` is not an option of `{item_id}`")),
    }
}

fn apply_questionnaire_key(
    questionnaire: &mut Questionnaire,
    key: &str,
    text: &str,
) -> Result<(), String> {
    let text = text.to_owned();
    if key == "title" {
        questionnaire.title = text;
        return Ok(());
    }
    if key == "description" {
        questionnaire.description = Some(text);
        return Ok(());
    }
    let section = |questionnaire: &mut Questionnaire, id: &str| {
        let found = questionnaire
            .sections
            .iter_mut()
            .position(|section| section.id == id);
        found.ok_or_else(|| format!("no section has the id `{id}`"))
    };
    if let Some(id) = key.strip_prefix("section:") {
        let index = section(questionnaire, id)?;
        questionnaire.sections[index].title = text;
        return Ok(());
    }
    if let Some(id) = key.strip_prefix("intro:") {
        let index = section(questionnaire, id)?;
        questionnaire.sections[index].intro = Some(text);
        return Ok(());
    }
    if let Some(rest) = key.strip_prefix("options:") {
        let (set, code) = rest
            .split_once('/')
            .ok_or("expected @options:<set>/<code>")?;
        let options = questionnaire
            .option_sets
            .get_mut(set)
            .ok_or_else(|| format!("no option set is called `{set}`"))?;
        let option = options
            .iter_mut()
            .find(|option| option.value == code)
            .ok_or_else(|| format!("`{code}` is not an option of the set `{set}`"))?;
        option.label = text;
        return Ok(());
    }
    Err("unknown key; expected @title, @description, @section:<id>, @intro:<id> or @options:<set>/<code>".to_owned())
}
