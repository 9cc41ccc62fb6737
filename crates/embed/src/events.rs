//! Events to the host page: every event is a bubbling, composed `CustomEvent` dispatched on the
//! `<kap-form>` element, so a listener on the element or on `document` receives it. Its
//! `detail` is a plain JavaScript object, exactly what `JSON.parse` gives for the native JSON.

use kapforms_core::json_value::object;
use kapforms_core::{Questionnaire, Response, Session};
use kapforms_widgets::{Page, PageChange};
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

/// The current time as an RFC 3339 string, from the browser's clock.
pub fn now() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// The `detail` of `kap-change`: `{ response: <native response v1> }`.
pub fn response_detail(response: &Response) -> JsValue {
    from_json(&format!("{{\"response\":{}}}", response.to_json()))
}

/// The `detail` of `kap-submit`: `{ response: <native response v1>, fhir: <FHIR R4
/// QuestionnaireResponse> }`, for a response the form's session of `questionnaire` has just
/// built (so its FHIR form is written from it without evaluating its answers again).
pub fn submit_detail(questionnaire: &Questionnaire, response: &Response) -> JsValue {
    let fhir = kapforms_core::fhir::questionnaire_response_as_built(questionnaire, response);
    let fhir = kapforms_core::json_value::write(&fhir);
    from_json(&format!(
        "{{\"response\":{},\"fhir\":{fhir}}}",
        response.to_json()
    ))
}

/// JSON text as a plain JavaScript value (`null` if it is not JSON). A response goes to the
/// page from its JSON text, the text a host stores, never through a `serde_json::Value`: one
/// writer of responses in the module, not two.
pub fn from_json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or(JsValue::NULL)
}

/// The `detail` of `kap-validity` and the result of `validate()`: `{valid, missing}`, the
/// ids of visible required questions still unanswered.
pub fn validity_detail(session: &Session) -> serde_json::Value {
    let missing: Vec<serde_json::Value> = session
        .missing_required()
        .iter()
        .map(|item| serde_json::Value::from(item.id.as_str()))
        .collect();
    object([
        ("valid", serde_json::Value::Bool(missing.is_empty())),
        ("missing", serde_json::Value::Array(missing)),
    ])
}

/// The `detail` of `kap-page`: `{page, section, index, count}`, where `page` is `"start"`,
/// `"section"`, `"review"` (check your answers) or `"done"`, `section` the id of the section
/// shown (else `null`), and `index` of `count` the step the patient sees ("Step 2 of 4"; 0 on
/// the start page, `count` on review and done).
pub fn page_detail(change: &PageChange) -> serde_json::Value {
    let page = match change.page {
        Page::Start => "start",
        Page::Section(_) => "section",
        Page::Review => "review",
        Page::Done => "done",
    };
    object([
        ("page", serde_json::Value::from(page)),
        ("section", serde_json::Value::from(change.section.clone())),
        ("index", serde_json::Value::from(change.index)),
        ("count", serde_json::Value::from(change.count)),
    ])
}

/// A JSON value as a plain JavaScript value (what `JSON.parse` gives: objects, not `Map`s).
pub fn to_js(value: &serde_json::Value) -> JsValue {
    // Core's writer, which writes what `serde_json::to_string` writes without serde's
    // serializer (nor `Value`'s `Display`, which also carries the pretty writer).
    from_json(&kapforms_core::json_value::write(value))
}

/// A plain JavaScript object of string properties, built directly (no JSON text): for the
/// small fixed shapes sent while a form starts (`kap-ready`, `pageTexts()`), so that nothing
/// of the JSON writer has to be compiled before the first page shows.
pub fn string_object(entries: &[(&str, &str)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in entries {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    object.into()
}

/// Dispatches `name` on `host` with `detail`.
pub fn dispatch(host: &HtmlElement, name: &str, detail: &serde_json::Value) {
    dispatch_js(host, name, &to_js(detail));
}

/// Dispatches `name` on `host` with a `detail` already made a JavaScript value.
pub fn dispatch_js(host: &HtmlElement, name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
}
