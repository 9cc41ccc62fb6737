//! `<kap-results>`: the clinician's view. `kapforms.js` collects the responses (the host's
//! `responses` property, and `.json` files the clinician opened or dropped, read in the
//! browser) and calls [`mount_results`], which reads and re-scores each one with core
//! (through `kapforms_widgets::review`), renders [`ResultsView`] into the element's shadow
//! root and dispatches `kap-ready` (with a summary) and, when something could not be used,
//! `kap-error`, like `<kap-form>`. Nothing is uploaded and nothing is fetched: the built-in
//! definitions are compiled in, and a clinic's own come from the host's `definitions`
//! property.

use std::rc::Rc;
use std::sync::Arc;

use kapforms_core::{Questionnaire, Severity};
use kapforms_widgets::review::{DefinitionMatch, Definitions, ResponseInput, Review};
use kapforms_widgets::{
    Language, PageTexts, Patient, ResultsProps, ResultsTexts, ResultsView, SharedReview,
};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, ShadowRoot};
use yew::AppHandle;

use crate::events;

/// A results view mounted in an element; JavaScript calls [`ResultsHandle::unmount`] when
/// the element re-renders or leaves the page.
#[wasm_bindgen]
pub struct ResultsHandle {
    app: Option<AppHandle<ResultsView>>,
    container: Element,
}

#[wasm_bindgen]
impl ResultsHandle {
    /// Removes the view and frees what it held.
    pub fn unmount(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.container.remove();
    }
}

/// What the host passed besides the responses.
#[derive(Default)]
struct Options {
    patient: Patient,
    definitions: Vec<Arc<Questionnaire>>,
    language: Language,
}

/// Reads the options `kapforms.js` passes: `{patient: {name, dateOfBirth, id}, definitions:
/// [definition, ...], language: "es"}` (any may be null or missing). Problems are collected, not fatal: a bad
/// definition is left out and reported.
fn parse_options(text: &str, problems: &mut Vec<String>) -> Options {
    let mut options = Options::default();
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(error) => {
            problems.push(format!("options: {error}"));
            return options;
        }
    };
    match value.get("patient") {
        None | Some(Value::Null) => {}
        Some(Value::Object(patient)) => {
            let field = |name: &str| -> Option<String> {
                match patient.get(name) {
                    Some(Value::String(text)) => Some(text.clone()),
                    Some(Value::Number(number)) => Some(number.to_string()),
                    _ => None,
                }
            };
            options.patient = Patient {
                name: field("name"),
                date_of_birth: field("dateOfBirth"),
                id: field("id"),
            };
        }
        Some(_) => problems.push("patient: expected an object {name, dateOfBirth, id}".to_owned()),
    }
    if let Some(tag) = value.get("language").and_then(Value::as_str) {
        options.language = Language::from_tag(tag);
    }
    match value.get("definitions") {
        None | Some(Value::Null) => {}
        Some(Value::Array(list)) => {
            for (index, definition) in list.iter().enumerate() {
                match kapforms_instruments::parse(&definition.to_string()) {
                    Ok(questionnaire) => options.definitions.push(Arc::new(questionnaire)),
                    Err(error) => {
                        for diagnostic in error.diagnostics() {
                            problems.push(format!("definitions[{index}]: {diagnostic}"));
                        }
                    }
                }
            }
        }
        Some(_) => problems.push("definitions: expected a list of definitions".to_owned()),
    }
    options
}

/// Reads the responses `kapforms.js` passes: `[{source, text}, ...]`.
fn parse_inputs(text: &str, problems: &mut Vec<String>) -> Vec<ResponseInput> {
    let list: Vec<Value> = match serde_json::from_str(text) {
        Ok(Value::Array(list)) => list,
        Ok(_) | Err(_) => {
            problems.push("responses: expected a list".to_owned());
            return Vec::new();
        }
    };
    list.iter()
        .map(|entry| ResponseInput {
            source: entry
                .get("source")
                .and_then(Value::as_str)
                .unwrap_or("page")
                .to_owned(),
            text: entry
                .get("text")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        })
        .collect()
}

/// The `detail` of `kap-ready`: how many responses were read, how many need checking, and
/// how many flags of each severity were raised.
fn ready_detail(review: &Review) -> Value {
    let count = |severity: Severity| {
        review
            .responses
            .iter()
            .flat_map(|response| response.flags())
            .filter(|flag| flag.severity == severity)
            .count()
    };
    let sources = |keep: &dyn Fn(&kapforms_widgets::review::Reviewed) -> bool| -> Vec<String> {
        review
            .responses
            .iter()
            .filter(|response| keep(response))
            .map(|response| response.source.clone())
            .collect()
    };
    json!({
        "responses": review.responses.len(),
        "mismatched": sources(&|r| r.has_mismatches()),
        "unknownDefinition": sources(&|r| r.matched == DefinitionMatch::Unknown),
        "differentDefinition": sources(&|r| r.matched == DefinitionMatch::Different),
        "unreadable": review.unreadable.iter().map(|u| u.source.clone()).collect::<Vec<_>>(),
        "flags": {
            "safety": count(Severity::Safety),
            "exclude_pending_review": count(Severity::ExcludePendingReview),
            "medical_clearance": count(Severity::MedicalClearance),
            "monitor": count(Severity::Monitor),
            "info": count(Severity::Info),
        },
    })
}

/// Renders the results of `inputs_json` (`[{source, text}]`) into `root` (the element's
/// shadow root), after whatever it already holds (the element's controls), and dispatches
/// `kap-ready` on `host`; `kap-error` first when options, a definition or a response could
/// not be used (the view still shows everything else, and names what it could not read).
/// The clinician's view's stylesheet (`kr-*` classes), which `kapforms.js` adopts into a
/// `<kap-results>` shadow root on top of the widgets' own once this bundle has loaded: the
/// patient's loader does not carry it.
#[wasm_bindgen(js_name = resultsStylesheet)]
pub fn results_stylesheet() -> String {
    kapforms_widgets::RESULTS_STYLESHEET.to_owned()
}

#[wasm_bindgen(js_name = mountResults)]
pub fn mount_results(
    host: HtmlElement,
    root: ShadowRoot,
    inputs_json: &str,
    options_json: &str,
) -> Result<ResultsHandle, JsValue> {
    let document = host.owner_document().ok_or("the element has no document")?;
    let container = document.create_element("div")?;
    container.set_class_name("kr-mount");
    root.append_child(&container)?;

    let mut option_problems = Vec::new();
    let options = parse_options(options_json, &mut option_problems);
    let inputs = parse_inputs(inputs_json, &mut option_problems);
    let page = PageTexts::of(options.language);
    let built_in = |id: &str| kapforms_instruments::load(id).and_then(Result::ok);
    let review = Review::new(
        &inputs,
        &Definitions {
            clinic: &options.definitions,
            built_in: &built_in,
        },
    );
    if !option_problems.is_empty() {
        events::dispatch(
            &host,
            "kap-error",
            &json!({
                "code": "invalid-options",
                "message": page.results_options,
                "details": option_problems,
            }),
        );
    }
    if !review.unreadable.is_empty() {
        let details: Vec<String> = review
            .unreadable
            .iter()
            .map(|u| format!("{}: {}", u.source, u.message))
            .collect();
        events::dispatch(
            &host,
            "kap-error",
            &json!({
                "code": "response-unreadable",
                "message": page.results_unreadable,
                "details": details,
            }),
        );
    }
    let detail = ready_detail(&review);
    let now = events::now();
    let props = ResultsProps {
        review: SharedReview(Rc::new(review)),
        patient: options.patient,
        prepared_on: now.get(..10).unwrap_or(&now).to_owned().into(),
        texts: ResultsTexts::of(options.language),
    };
    let app = yew::Renderer::<ResultsView>::with_root_and_props(container.clone(), props).render();
    events::dispatch(&host, "kap-ready", &detail);
    Ok(ResultsHandle {
        app: Some(app),
        container,
    })
}
