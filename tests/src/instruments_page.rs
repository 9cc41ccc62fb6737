//! The demo site's `instruments.html` as a test bench: put any built-in instrument in a
//! `<kap-form id="f">` (a skeleton with placeholder wording standing in for a licensed
//! clinic's text pack) without reloading the page, and answer it one question at a time.

use fantoccini::Client;
use kapforms_core::definition::TextPack;
use kapforms_core::Questionnaire;
use serde_json::{json, Value};

use crate::{run_js, wait_for, RENDER_TIMEOUT};

/// Placeholder wording standing in for a licensed clinic's text pack.
pub fn placeholder_pack(questionnaire: &Questionnaire) -> TextPack {
    questionnaire
        .missing_text()
        .into_iter()
        .map(|key| (key.clone(), format!("Clinic wording for {key}")))
        .collect()
}

/// A built-in instrument parsed, with the text pack it needs if it is a skeleton, and the
/// questionnaire as the patient sees it (the pack filled in).
pub fn builtin(id: &str) -> (Option<TextPack>, Questionnaire) {
    let builtin = kapforms_instruments::ALL
        .iter()
        .find(|b| b.id == id)
        .unwrap_or_else(|| panic!("no built-in instrument {id}"));
    let questionnaire = kapforms_instruments::parse(builtin.json).expect("built-in is valid");
    let pack = questionnaire
        .restricted_text
        .then(|| placeholder_pack(&questionnaire));
    let filled = match &pack {
        Some(pack) => questionnaire.with_text_pack(pack).expect("pack fits"),
        None => questionnaire,
    };
    (pack, filled)
}

/// Replaces the `<kap-form>` in `#forms` with a new `<kap-form id="f">` for `instrument`
/// (with an optional text pack), once the element is defined.
pub async fn create_form(client: &Client, instrument: &str, pack: Option<&TextPack>) {
    wait_for("kap-form to be defined", RENDER_TIMEOUT, || async {
        let defined = run_js(client, "return !!customElements.get('kap-form');", vec![]).await;
        if defined == Value::Bool(true) {
            Ok(())
        } else {
            Err("not yet".to_owned())
        }
    })
    .await;
    run_js(
        client,
        "document.querySelector('#forms kap-form')?.remove();\n\
         const form = document.createElement('kap-form');\n\
         form.id = 'f';\n\
         if (arguments[1]) form.textPack = arguments[1];\n\
         form.setAttribute('instrument', arguments[0]);\n\
         document.getElementById('forms').append(form);",
        vec![
            json!(instrument),
            pack.map_or(Value::Null, |pack| {
                Value::Object(
                    pack.iter()
                        .map(|(key, text)| (key.clone(), json!(text)))
                        .collect(),
                )
            }),
        ],
    )
    .await;
}

/// Gives one answer to the first unanswered question shown in `#f` (the last option of a
/// choice, a number or text otherwise); when every question on the page is answered, presses
/// Continue if `then_continue`. Returns false when there was nothing left to do (every
/// question answered and no Continue pressed, or no Continue button: "check your answers").
pub async fn answer_next(client: &Client, then_continue: bool) -> bool {
    let acted = run_js(
        client,
        "const root = document.getElementById('f').shadowRoot;\n\
         for (const item of root.querySelectorAll('[data-item]')) {\n\
           const choices = item.querySelectorAll('input[type=radio], input[type=checkbox]');\n\
           if (choices.length) {\n\
             if (![...choices].some((c) => c.checked)) { choices[choices.length - 1].click(); return true; }\n\
             continue;\n\
           }\n\
           const input = item.querySelector('input, textarea');\n\
           if (input && !input.value) {\n\
             const typed = input.type === 'number' || input.type === 'date';\n\
             input.value = input.type === 'number' ? (input.min || '1')\n\
               : input.type === 'date' ? '2026-01-15' : 'An answer';\n\
             input.dispatchEvent(new Event(typed ? 'change' : 'input', { bubbles: true }));\n\
             return true;\n\
           }\n\
         }\n\
         const next = arguments[0] && root.querySelector('button[data-action=next]');\n\
         if (next) { next.click(); return true; }\n\
         return false;",
        vec![json!(then_continue)],
    )
    .await;
    acted == Value::Bool(true)
}
