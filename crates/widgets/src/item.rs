//! [`ItemView`]: one question, drawn by kind. Choices and yes/no are a `fieldset` whose
//! `legend` is the question, with native radio buttons or checkboxes and their labels, so
//! keyboards and screen readers work as they do everywhere; text, numbers and dates are a
//! labelled native input. The component reads its answer from the shared session and is
//! memoized on its props (all cheap to compare: pointers, indexes, flags); it registers with
//! the form's [`ItemWatchers`], so answering one question redraws only that question, and the
//! page's list of questions is left alone.

use kapforms_core::{AnswerValue, ItemKind};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::definition::Definition;
use crate::group::{initial_extra_rows, repeating_group, GroupView};
use crate::shared_session::{ItemWatchers, SharedSession};
use crate::text::Language;

/// Properties of [`ItemView`].
#[derive(Properties, PartialEq)]
pub struct ItemProps {
    /// The questionnaire.
    pub definition: Definition,
    /// Index of the item's section.
    pub section: usize,
    /// Index of the item within its section.
    pub index: usize,
    /// The session holding the answer (read when drawing).
    pub session: SharedSession,
    /// Where the question registers to be redrawn when its answer changes.
    pub watchers: ItemWatchers,
    /// Whether missing answers are pointed out on this page (the question is marked when
    /// core says it is missing one).
    pub show_missing: bool,
    /// The form's id prefix.
    pub id_prefix: AttrValue,
    /// The language of the interface strings ([`Language::texts`]).
    pub language: Language,
    /// Sends `(item id, new answer)`.
    pub on_answer: Callback<(String, Option<AnswerValue>)>,
}

/// One question.
#[function_component(ItemView)]
pub fn item_view(props: &ItemProps) -> Html {
    let texts = props.language.texts();
    let item = props
        .definition
        .sections
        .get(props.section)
        .and_then(|section| section.items.get(props.index));
    // Redrawn by the form's reducer when this question's answer changes.
    let redraw = use_force_update();
    use_effect_with(
        (props.watchers.clone(), props.section, props.index),
        move |&(ref watchers, section, index)| {
            let callback = Callback::from(move |()| redraw.force_update());
            watchers.watch((section, index), callback.clone());
            let watchers = watchers.clone();
            move || watchers.unwatch((section, index), &callback)
        },
    );
    // A repeating group's rows added but not yet typed in (see `group.rs`).
    let extra_rows = use_state(|| {
        item.map_or(0, |item| {
            initial_extra_rows(props.session.read().answer(&item.id))
        })
    });
    let Some(item) = item else {
        return Html::default();
    };
    let (value, invalid) = {
        let session = props.session.read();
        (
            session.answer(&item.id).cloned(),
            props.show_missing && session.is_missing(&item.id),
        )
    };
    let base_id = format!("{}-{}", props.id_prefix, item.id);
    let error_id = format!("{base_id}-error");
    let help_id = format!("{base_id}-help");
    let described_by = {
        let mut ids = Vec::new();
        if item.help.is_some() {
            ids.push(help_id.clone());
        }
        if invalid {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let help = item.help.as_ref().map(|help| {
        html! { <p class="kf-help" id={help_id.clone()}>{ help }</p> }
    });
    let error = invalid.then(|| {
        html! { <p class="kf-error" id={error_id.clone()}>{ texts.error_required }</p> }
    });
    let optional = (!item.required && item.kind.takes_answer())
        .then(|| html! { <span class="kf-optional">{ " " }{ texts.optional }</span> });
    // An empty `data-invalid` attribute marks a question to fix (the stylesheet's red rule).
    // Not a second class: a class chosen at run time goes through yew's `Classes` set, whose
    // code was 2.3 KiB gzip of a PHQ-9 page.
    let invalid_mark = invalid.then_some("");
    let item_id = item.id.clone();
    let send = {
        let on_answer = props.on_answer.clone();
        move |value: Option<AnswerValue>| on_answer.emit((item_id.clone(), value))
    };

    // (option code, label) pairs for choice-like items.
    // A yes/no item answers with a boolean; a choice (even one whose codes read "yes" and
    // "no") with its option code.
    let yes_no = matches!(item.kind, ItemKind::YesNo { .. });
    let choice = |multiple: bool, options: Vec<(String, String)>| {
        let kind = if multiple { "checkbox" } else { "radio" };
        let inputs = options.into_iter().enumerate().map(|(index, (code, label))| {
            let id = format!("{base_id}-{index}");
            let checked = match &value {
                Some(AnswerValue::Text(chosen)) => *chosen == code,
                Some(AnswerValue::Choices(chosen)) => chosen.contains(&code),
                Some(AnswerValue::Bool(yes)) => code == if *yes { "yes" } else { "no" },
                _ => false,
            };
            let onchange = {
                let send = send.clone();
                let current = value.clone();
                let code = code.clone();
                Callback::from(move |event: Event| {
                    let input: HtmlInputElement = event.target_unchecked_into();
                    let value = if multiple {
                        let mut codes = match &current {
                            Some(AnswerValue::Choices(codes)) => codes.clone(),
                            _ => Vec::new(),
                        };
                        codes.retain(|c| *c != code);
                        if input.checked() {
                            codes.push(code.clone());
                        }
                        Some(AnswerValue::Choices(codes))
                    } else if yes_no {
                        Some(AnswerValue::Bool(code == "yes"))
                    } else {
                        Some(AnswerValue::Text(code.clone()))
                    };
                    send(value);
                })
            };
            html! {
                <div class="kf-option">
                    <input type={kind} id={id.clone()} name={base_id.clone()} value={code.clone()}
                        {checked} {onchange} />
                    <label for={id}>{ label }</label>
                </div>
            }
        });
        html! {
            <fieldset class="kf-item" data-invalid={invalid_mark} data-item={item.id.clone()}
                id={base_id.clone()} aria-describedby={described_by.clone()} aria-invalid={invalid.then_some("true")}>
                <legend class="kf-question">{ &item.text }{ optional.clone() }</legend>
                { help.clone() }
                { error.clone() }
                <div class="kf-options">{ for inputs }</div>
            </fieldset>
        }
    };

    match &item.kind {
        ItemKind::RepeatingGroup { .. } => repeating_group(GroupView {
            definition: &props.definition,
            item,
            value: value.as_ref(),
            invalid,
            id_prefix: &props.id_prefix,
            texts,
            on_answer: props.on_answer.clone(),
            extra: extra_rows,
        }),
        ItemKind::SingleChoice { .. } | ItemKind::MultipleChoice { .. } => {
            let options = props
                .definition
                .options_of(item)
                .iter()
                .map(|option| (option.value.clone(), option.label.clone()))
                .collect();
            choice(
                matches!(item.kind, ItemKind::MultipleChoice { .. }),
                options,
            )
        }
        ItemKind::YesNo { .. } => choice(
            false,
            vec![
                ("yes".to_owned(), texts.yes.to_owned()),
                ("no".to_owned(), texts.no.to_owned()),
            ],
        ),
        ItemKind::Display => html! {
            <div class="kf-item kf-display" data-item={item.id.clone()}><p>{ &item.text }</p></div>
        },
        ItemKind::ShortText { max_length } | ItemKind::LongText { max_length } => {
            let text = match &value {
                Some(AnswerValue::Text(text)) => text.clone(),
                _ => String::new(),
            };
            let input_id = format!("{base_id}-input");
            let field = if matches!(item.kind, ItemKind::LongText { .. }) {
                let send = send.clone();
                let oninput = Callback::from(move |event: InputEvent| {
                    let area: HtmlTextAreaElement = event.target_unchecked_into();
                    send(Some(AnswerValue::Text(area.value())));
                });
                html! {
                    <textarea id={input_id.clone()} rows="5" value={text}
                        maxlength={max_length.map(|n| n.to_string())}
                        aria-describedby={described_by.clone()}
                        aria-invalid={invalid.then_some("true")} {oninput} />
                }
            } else {
                let send = send.clone();
                let oninput = Callback::from(move |event: InputEvent| {
                    let input: HtmlInputElement = event.target_unchecked_into();
                    send(Some(AnswerValue::Text(input.value())));
                });
                html! {
                    <input type="text" id={input_id.clone()} value={text}
                        maxlength={max_length.map(|n| n.to_string())}
                        aria-describedby={described_by.clone()}
                        aria-invalid={invalid.then_some("true")} {oninput} />
                }
            };
            labelled(
                item.id.clone(),
                invalid_mark,
                input_id,
                &item.text,
                optional,
                help,
                error,
                field,
            )
        }
        ItemKind::Integer { min, max, unit } => {
            let number = match &value {
                Some(AnswerValue::Integer(number)) => number.to_string(),
                _ => String::new(),
            };
            let input_id = format!("{base_id}-input");
            let onchange = {
                let send = send.clone();
                Callback::from(move |event: Event| {
                    let input: HtmlInputElement = event.target_unchecked_into();
                    let text = input.value();
                    if text.trim().is_empty() {
                        send(None);
                    } else if let Ok(number) = text.trim().parse::<i64>() {
                        send(Some(AnswerValue::Integer(number)));
                    }
                })
            };
            let field = html! {
                <span class="kf-number">
                    <input type="number" inputmode="numeric" id={input_id.clone()} value={number}
                        min={min.map(|n| n.to_string())} max={max.map(|n| n.to_string())}
                        aria-describedby={described_by.clone()}
                        aria-invalid={invalid.then_some("true")} {onchange} />
                    if let Some(unit) = unit {
                        <span class="kf-unit">{ " " }{ unit }</span>
                    }
                </span>
            };
            labelled(
                item.id.clone(),
                invalid_mark,
                input_id,
                &item.text,
                optional,
                help,
                error,
                field,
            )
        }
        ItemKind::Date => {
            let date = match &value {
                Some(AnswerValue::Text(date)) => date.clone(),
                _ => String::new(),
            };
            let input_id = format!("{base_id}-input");
            let onchange = {
                let send = send.clone();
                Callback::from(move |event: Event| {
                    let input: HtmlInputElement = event.target_unchecked_into();
                    let text = input.value();
                    send((!text.is_empty()).then_some(AnswerValue::Text(text)));
                })
            };
            let field = html! {
                <input type="date" id={input_id.clone()} value={date}
                    aria-describedby={described_by.clone()}
                    aria-invalid={invalid.then_some("true")} {onchange} />
            };
            labelled(
                item.id.clone(),
                invalid_mark,
                input_id,
                &item.text,
                optional,
                help,
                error,
                field,
            )
        }
    }
}

/// A question with one labelled input; `invalid_mark` is `Some("")` when its answer is
/// missing or wrong (the empty `data-invalid` attribute the stylesheet marks).
#[allow(clippy::too_many_arguments)]
fn labelled(
    item_id: String,
    invalid_mark: Option<&'static str>,
    input_id: String,
    question: &str,
    optional: Option<Html>,
    help: Option<Html>,
    error: Option<Html>,
    field: Html,
) -> Html {
    html! {
        <div class="kf-item" data-invalid={invalid_mark} data-item={item_id}>
            <label class="kf-question" for={input_id}>{ question }{ optional }</label>
            { help }
            { error }
            { field }
        </div>
    }
}
