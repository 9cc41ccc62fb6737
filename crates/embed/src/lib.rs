//! kapforms-embed: the WebAssembly module and the only crate that touches the host page. The
//! small ES module `js/kapforms.js` defines the `<kap-form>` custom element; for each element
//! it calls [`mount_form`], which renders the widgets into the element's shadow root and
//! turns the patient's actions into DOM events on the element (`kap-change`, `kap-submit`,
//! `kap-error`), each a bubbling, composed `CustomEvent` whose `detail` is a plain object.

mod events;
mod options;

use std::sync::Arc;

use kapforms_core::{Session, Status, Timestamps};
use kapforms_widgets::{Definition, FormProps, MessageBox, MessageProps, QuestionnaireForm};
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, ShadowRoot};
use yew::{AppHandle, Callback};

/// The stylesheet the element adopts into its shadow root.
#[wasm_bindgen]
pub fn stylesheet() -> String {
    kapforms_widgets::STYLESHEET.to_owned()
}

/// The ids of the built-in instruments.
#[wasm_bindgen(js_name = instruments)]
pub fn instrument_ids() -> Vec<String> {
    kapforms_instruments::ids().map(str::to_owned).collect()
}

/// What a mounted element shows.
enum Mounted {
    Form(AppHandle<QuestionnaireForm>),
    Message(AppHandle<MessageBox>),
}

/// A form mounted in an element; JavaScript calls [`FormHandle::unmount`] when the element
/// leaves the page.
#[wasm_bindgen]
pub struct FormHandle {
    mounted: Option<Mounted>,
    container: Element,
}

#[wasm_bindgen]
impl FormHandle {
    /// Removes the form and frees what it held.
    pub fn unmount(&mut self) {
        match self.mounted.take() {
            Some(Mounted::Form(app)) => app.destroy(),
            Some(Mounted::Message(app)) => app.destroy(),
            None => {}
        }
        self.container.remove();
    }
}

/// Ids are unique per page, so two forms never share a radio group or a label.
fn next_id_prefix() -> String {
    thread_local! {
        static COUNTER: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }
    COUNTER.with(|counter| {
        counter.set(counter.get() + 1);
        format!("kf{}", counter.get())
    })
}

/// Renders the built-in `instrument` into `root` (the element's shadow root), dispatching
/// events on `host`. `options_json` is the JSON of the host's options (see `options.rs`). An
/// unknown instrument, a broken definition, bad options, or a licensed skeleton without its
/// wording shows a message in the element and dispatches `kap-error`.
#[wasm_bindgen(js_name = mountForm)]
pub fn mount_form(
    host: HtmlElement,
    root: ShadowRoot,
    instrument: &str,
    options_json: &str,
) -> Result<FormHandle, JsValue> {
    let document = host.owner_document().ok_or("the element has no document")?;
    let container = document.create_element("div")?;
    container.set_class_name("kf-mount");
    root.append_child(&container)?;

    let definition = match kapforms_instruments::load(instrument) {
        Some(Ok(questionnaire)) => Arc::new(questionnaire),
        Some(Err(error)) => {
            let details: Vec<String> = error
                .diagnostics()
                .iter()
                .map(ToString::to_string)
                .collect();
            return Ok(show_error(
                &host,
                container,
                "definition-invalid",
                format!("The questionnaire “{instrument}” could not be shown: its definition has errors."),
                details,
            ));
        }
        None => {
            let known: Vec<&str> = kapforms_instruments::ids().collect();
            return Ok(show_error(
                &host,
                container,
                "unknown-instrument",
                format!("There is no questionnaire called “{instrument}”."),
                vec![format!("Available questionnaires: {}.", known.join(", "))],
            ));
        }
    };

    let options = match options::parse(options_json) {
        Ok(options) => options,
        Err(message) => {
            return Ok(show_error(
                &host,
                container,
                "invalid-options",
                "This questionnaire could not be shown: the page gave it invalid options."
                    .to_owned(),
                vec![message],
            ))
        }
    };
    let definition =
        match (&options.text_pack, definition.restricted_text) {
            (Some(pack), _) => match definition.with_text_pack(pack) {
                Ok(filled) => Arc::new(filled),
                Err(problems) => return Ok(show_error(
                    &host,
                    container,
                    "invalid-text-pack",
                    "This questionnaire could not be shown: the clinic's wording does not fit it."
                        .to_owned(),
                    problems.iter().map(ToString::to_string).collect(),
                )),
            },
            (None, _) => definition,
        };
    if definition.restricted_text {
        let missing = definition.missing_text();
        if !missing.is_empty() {
            return Ok(show_error(
                &host,
                container,
                "licensed-text-missing",
                format!(
                    "The wording of “{}” is licensed, and this clinic has not supplied it yet.",
                    definition.title
                ),
                vec![format!(
                    "The clinic must provide its licensed wording (a text pack) for: {}.",
                    missing.join(", ")
                )],
            ));
        }
    }

    let started_at = events::now();
    let on_change = {
        let host = host.clone();
        let started_at = started_at.clone();
        Callback::from(move |session: Session| {
            let response = session.response(
                Status::InProgress,
                Timestamps {
                    started_at: Some(started_at.clone()),
                    updated_at: events::now(),
                    completed_at: None,
                },
            );
            events::dispatch(&host, "kap-change", &events::response_detail(&response));
        })
    };
    let on_submit = {
        let host = host.clone();
        Callback::from(move |session: Session| {
            let now = events::now();
            let response = session.response(
                Status::Completed,
                Timestamps {
                    started_at: Some(started_at.clone()),
                    updated_at: now.clone(),
                    completed_at: Some(now),
                },
            );
            events::dispatch(&host, "kap-submit", &events::response_detail(&response));
        })
    };
    let props = FormProps {
        definition: Definition(definition),
        id_prefix: next_id_prefix().into(),
        texts: Default::default(),
        crisis: options.crisis.unwrap_or_default(),
        show_bands: options.show_bands,
        on_change,
        on_submit,
    };
    let app =
        yew::Renderer::<QuestionnaireForm>::with_root_and_props(container.clone(), props).render();
    events::dispatch(
        &host,
        "kap-ready",
        &serde_json::json!({ "instrument": instrument }),
    );
    Ok(FormHandle {
        mounted: Some(Mounted::Form(app)),
        container,
    })
}

fn show_error(
    host: &HtmlElement,
    container: Element,
    code: &str,
    message: String,
    details: Vec<String>,
) -> FormHandle {
    events::dispatch(
        host,
        "kap-error",
        &serde_json::json!({ "code": code, "message": message, "details": details }),
    );
    let props = MessageProps {
        title: message.into(),
        details,
    };
    let app = yew::Renderer::<MessageBox>::with_root_and_props(container.clone(), props).render();
    FormHandle {
        mounted: Some(Mounted::Message(app)),
        container,
    }
}
