//! The framework floor: the least a yew + serde_json widget needs to show the PHQ-9 from a
//! JSON definition and keep its running total, with none of kapforms (no validation, no
//! scoring rules, no flags, no languages, no FHIR, no drafts, no accessibility work beyond
//! native controls). `cargo xtask bench` builds it like the real bundle and reports its size
//! beside ours, and runs it as a column of the browser harness (`bench/floor/index.html`):
//! what any yew widget of this kind costs, in bytes and in time to the first item, before it
//! does anything of its own.

use serde::Deserialize;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

/// A question.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Question {
    id: String,
    text: String,
}

/// An answer option and its score.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Choice {
    label: String,
    score: u32,
}

/// The whole definition.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Definition {
    title: String,
    questions: Vec<Question>,
    choices: Vec<Choice>,
}

/// The form's properties: its definition.
#[derive(Debug, PartialEq, Properties)]
struct FormProps {
    definition: Definition,
}

/// The questions as fieldsets of radios, and the running total.
#[function_component]
fn Form(props: &FormProps) -> Html {
    let definition = &props.definition;
    let answers = use_state(|| vec![None::<u32>; definition.questions.len()]);
    let total: u32 = answers.iter().flatten().sum();
    let questions = definition.questions.iter().enumerate().map(|(index, question)| {
        let choices = definition.choices.iter().map(|choice| {
            let answers = answers.clone();
            let score = choice.score;
            let onchange = Callback::from(move |_| {
                let mut next = (*answers).clone();
                next[index] = Some(score);
                answers.set(next);
            });
            html! {
                <label>
                    <input type="radio" name={question.id.clone()} value={score.to_string()} {onchange} />
                    { &choice.label }
                </label>
            }
        });
        html! {
            <fieldset data-item={question.id.clone()}>
                <legend>{ &question.text }</legend>
                { for choices }
            </fieldset>
        }
    });
    html! {
        <form>
            <h1>{ &definition.title }</h1>
            { for questions }
            <p>{ "Total: " }<span data-score-total="">{ total }</span></p>
        </form>
    }
}

/// Renders the definition (JSON) into `root`.
#[wasm_bindgen(js_name = mountForm)]
pub fn mount_form(root: web_sys::Element, definition: &str) -> Result<(), JsValue> {
    let definition: Definition =
        serde_json::from_str(definition).map_err(|error| JsValue::from_str(&error.to_string()))?;
    yew::Renderer::<Form>::with_root_and_props(root, FormProps { definition }).render();
    Ok(())
}
