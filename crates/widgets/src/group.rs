//! [`repeating_group`]: a question answered with rows (one row per medicine: name, dose,
//! how often). Each row is a labelled group of native inputs; the patient adds rows and
//! removes them. Rows being started but still empty live only here until something is typed;
//! everything typed goes to the session at once, so nothing is lost.

use kapforms_core::LiteMap;

use kapforms_core::{AnswerValue, Item, ItemKind};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::definition::Definition;
use crate::text::Texts;

/// What [`repeating_group`] draws and sends.
pub struct GroupView<'a> {
    /// The questionnaire.
    pub definition: &'a Definition,
    /// The repeating group item.
    pub item: &'a Item,
    /// The current answer (rows).
    pub value: Option<&'a AnswerValue>,
    /// Whether to mark the group as missing answers.
    pub invalid: bool,
    /// The form's id prefix.
    pub id_prefix: &'a str,
    /// The interface strings.
    pub texts: &'a Texts,
    /// Sends `(item id, new answer)`.
    pub on_answer: Callback<(String, Option<AnswerValue>)>,
    /// Rows added but not yet typed in: state of the question's [`crate::item::ItemView`],
    /// which starts it with [`initial_extra_rows`].
    pub extra: UseStateHandle<usize>,
}

type Row = LiteMap<String, AnswerValue>;

/// How many empty rows a group shows at first: one when it has no rows yet, so the fields
/// are there.
pub fn initial_extra_rows(value: Option<&AnswerValue>) -> usize {
    usize::from(!matches!(value, Some(AnswerValue::Rows(rows)) if !rows.is_empty()))
}

/// A repeating group. A plain view function: its one piece of state lives in the question's
/// `ItemView` (a component of its own would add about 4 KB of yew's machinery to the module).
pub fn repeating_group(view: GroupView<'_>) -> Html {
    let stored: Vec<Row> = match view.value {
        Some(AnswerValue::Rows(rows)) => rows.clone(),
        _ => Vec::new(),
    };
    let extra = view.extra;
    let item = view.item;
    let ItemKind::RepeatingGroup { fields, max_rows } = &item.kind else {
        return Html::default();
    };
    let shown = stored.len() + *extra;
    let base_id = format!("{}-{}", view.id_prefix, item.id);

    let emit = {
        let on_answer = view.on_answer.clone();
        let item_id = item.id.clone();
        move |rows: Vec<Row>| on_answer.emit((item_id.clone(), Some(AnswerValue::Rows(rows))))
    };
    // Set one field of one row (padding with empty rows up to it).
    let set_field = {
        let stored = stored.clone();
        let extra = extra.clone();
        let emit = emit.clone();
        move |row: usize, field: String, value: Option<AnswerValue>| {
            let mut rows = stored.clone();
            let before = rows.len();
            while rows.len() <= row {
                rows.push(Row::new());
            }
            match value.filter(|v| !v.is_empty()) {
                Some(value) => {
                    rows[row].insert(field, value);
                }
                None => {
                    rows[row].remove(&field);
                }
            }
            extra.set(extra.saturating_sub(rows.len() - before));
            emit(rows);
        }
    };

    let rows_html = (0..shown).map(|row| {
        let values = stored.get(row).cloned().unwrap_or_default();
        let row_id = format!("{base_id}-row{row}");
        let title = view.texts.row_title(&item.text, row + 1);
        let inputs = fields.iter().map(|field| {
            field_input(
                view.definition,
                field,
                values.get(&field.id),
                &format!("{row_id}-{}", field.id),
                view.texts,
                {
                    let set_field = set_field.clone();
                    let field_id = field.id.clone();
                    Callback::from(move |value| set_field(row, field_id.clone(), value))
                },
            )
        });
        let remove = {
            let stored = stored.clone();
            let extra = extra.clone();
            let emit = emit.clone();
            Callback::from(move |_: MouseEvent| {
                if row < stored.len() {
                    let mut rows = stored.clone();
                    rows.remove(row);
                    emit(rows);
                } else {
                    extra.set(extra.saturating_sub(1));
                }
            })
        };
        html! {
            <div class="kf-row" role="group" aria-labelledby={format!("{row_id}-title")} data-row={row.to_string()}>
                <p class="kf-row-title" id={format!("{row_id}-title")}>{ title.clone() }</p>
                { for inputs }
                <button type="button" class="kf-link" data-action="remove-row" onclick={remove}>
                    { view.texts.remove_row }
                    <span class="kf-visually-hidden">{ " " }{ title }</span>
                </button>
            </div>
        }
    });
    let can_add = max_rows.is_none_or(|limit| shown < limit as usize);
    let add = {
        let extra = extra.clone();
        Callback::from(move |_: MouseEvent| extra.set(*extra + 1))
    };
    let error_id = format!("{base_id}-error");
    html! {
        <fieldset class="kf-item kf-group" data-invalid={view.invalid.then_some("")}
            data-item={item.id.clone()} id={base_id.clone()}
            aria-describedby={view.invalid.then(|| error_id.clone())}>
            <legend class="kf-question">{ &item.text }
                if !item.required {
                    <span class="kf-optional">{ " " }{ view.texts.optional }</span>
                }
            </legend>
            if let Some(help) = &item.help {
                <p class="kf-help">{ help }</p>
            }
            if view.invalid {
                <p class="kf-error" id={error_id}>{ view.texts.error_rows }</p>
            }
            { for rows_html }
            if can_add {
                <button type="button" class="kf-button kf-secondary" data-action="add-row" onclick={add}>
                    { view.texts.add_row }
                </button>
            }
        </fieldset>
    }
}

/// One field of one row: a labelled native input (text, number, date), a select for a single
/// choice, or yes/no radios.
fn field_input(
    definition: &Definition,
    field: &Item,
    value: Option<&AnswerValue>,
    id: &str,
    texts: &Texts,
    set: Callback<Option<AnswerValue>>,
) -> Html {
    let required = field
        .required
        .then(|| html! { <span class="kf-visually-hidden">{ " (required)" }</span> });
    let label = html! { <label class="kf-field-label" for={id.to_owned()}>{ &field.text }{ required }</label> };
    let text_value = match value {
        Some(AnswerValue::Text(text)) => text.clone(),
        Some(AnswerValue::Integer(number)) => number.to_string(),
        _ => String::new(),
    };
    let control = match &field.kind {
        ItemKind::LongText { max_length } => {
            let oninput = Callback::from(move |event: InputEvent| {
                let area: HtmlTextAreaElement = event.target_unchecked_into();
                set.emit(Some(AnswerValue::Text(area.value())));
            });
            html! { <textarea id={id.to_owned()} data-field={field.id.clone()} rows="3" value={text_value}
            maxlength={max_length.map(|n| n.to_string())} {oninput} /> }
        }
        ItemKind::Integer { min, max, .. } => {
            let onchange = Callback::from(move |event: Event| {
                let input: HtmlInputElement = event.target_unchecked_into();
                let text = input.value();
                if text.trim().is_empty() {
                    set.emit(None);
                } else if let Ok(number) = text.trim().parse::<i64>() {
                    set.emit(Some(AnswerValue::Integer(number)));
                }
            });
            html! { <input type="number" inputmode="numeric" id={id.to_owned()} data-field={field.id.clone()}
            value={text_value} min={min.map(|n| n.to_string())} max={max.map(|n| n.to_string())} {onchange} /> }
        }
        ItemKind::Date => {
            let onchange = Callback::from(move |event: Event| {
                let input: HtmlInputElement = event.target_unchecked_into();
                let text = input.value();
                set.emit((!text.is_empty()).then_some(AnswerValue::Text(text)));
            });
            html! { <input type="date" id={id.to_owned()} data-field={field.id.clone()} value={text_value} {onchange} /> }
        }
        ItemKind::SingleChoice { .. } => {
            let onchange = Callback::from(move |event: Event| {
                let select: HtmlSelectElement = event.target_unchecked_into();
                let code = select.value();
                set.emit((!code.is_empty()).then_some(AnswerValue::Text(code)));
            });
            let options = definition.options_of(field).iter().map(|option| {
                html! { <option value={option.value.clone()} selected={text_value == option.value}>{ &option.label }</option> }
            });
            html! {
                <select id={id.to_owned()} data-field={field.id.clone()} {onchange}>
                    <option value="" selected={text_value.is_empty()}>{ texts.choose }</option>
                    { for options }
                </select>
            }
        }
        ItemKind::YesNo { .. } => {
            let onchange = Callback::from(move |event: Event| {
                let select: HtmlSelectElement = event.target_unchecked_into();
                set.emit(match select.value().as_str() {
                    "yes" => Some(AnswerValue::Bool(true)),
                    "no" => Some(AnswerValue::Bool(false)),
                    _ => None,
                });
            });
            let current = match value {
                Some(AnswerValue::Bool(true)) => "yes",
                Some(AnswerValue::Bool(false)) => "no",
                _ => "",
            };
            html! {
                <select id={id.to_owned()} data-field={field.id.clone()} {onchange}>
                    <option value="" selected={current.is_empty()}>{ texts.choose }</option>
                    <option value="yes" selected={current == "yes"}>{ texts.yes }</option>
                    <option value="no" selected={current == "no"}>{ texts.no }</option>
                </select>
            }
        }
        _ => {
            let maxlength = match &field.kind {
                ItemKind::ShortText { max_length } => max_length.map(|n| n.to_string()),
                _ => None,
            };
            let oninput = Callback::from(move |event: InputEvent| {
                let input: HtmlInputElement = event.target_unchecked_into();
                set.emit(Some(AnswerValue::Text(input.value())));
            });
            html! { <input type="text" id={id.to_owned()} data-field={field.id.clone()} value={text_value}
            {maxlength} {oninput} /> }
        }
    };
    html! { <div class="kf-field">{ label }{ control }</div> }
}
