//! The deepest definition JSON accepts, run through everything a patient's form does with it
//! in the browser: parse and validate, render, an answer re-evaluating visibility and a flag
//! through every level, the response built, serialized, hashed and exported to FHIR. The
//! WebAssembly stack is set small on purpose (`.cargo/config.toml`: less linear memory on a
//! patient's phone); these are the deepest recursions an input can cause, so this test is what
//! shows the stack suffices. It runs unoptimized, whose frames are larger than the shipped
//! bundle's.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use kapforms_core::wire::{Status, Timestamps};
use kapforms_core::{Questionnaire, Session};
use kapforms_widgets::{Definition, FormProps, QuestionnaireForm, SharedSession};
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

/// `inner` wrapped in `depth` `not`s (an even number keeps its meaning).
fn nots(depth: usize, inner: Value) -> Value {
    (0..depth).fold(inner, |condition, _| json!({ "not": condition }))
}

/// A two-question definition whose second question and one flag hang on `depth` nested `not`s
/// around "the first answer is Yes".
fn definition(depth: usize) -> String {
    let yes = json!({"answer": {"item": "q1", "equals": "yes"}});
    json!({
        "format": "kapforms-definition",
        "schema_version": 1,
        "id": "deep",
        "version": "1",
        "title": "Deep",
        "option_sets": {"yes_no": [
            {"value": "no", "label": "No", "score": 0},
            {"value": "yes", "label": "Yes", "score": 1}
        ]},
        "sections": [{"id": "s1", "title": "One", "items": [
            {"id": "q1", "type": "single_choice", "text": "First?", "options": "yes_no"},
            {"id": "q2", "type": "single_choice", "text": "Second?", "options": "yes_no",
             "enable_when": nots(depth, yes.clone())}
        ]}],
        "flags": [{"id": "deep_flag", "severity": "info", "label": "First answered yes",
                   "when": nots(depth, yes)}]
    })
    .to_string()
}

/// The deepest even nesting of `not` that the parser takes (it refuses deeper with an error).
fn deepest_accepted() -> (usize, Questionnaire) {
    let mut depth = 200;
    loop {
        if let Ok(questionnaire) = kapforms_instruments::parse(&definition(depth)) {
            return (depth, questionnaire);
        }
        depth -= 2;
        assert!(depth > 0, "no nesting depth parses");
    }
}

#[wasm_bindgen_test]
async fn the_deepest_accepted_definition_renders_answers_and_exports() {
    let (depth, questionnaire) = deepest_accepted();
    // serde_json's recursion limit is 128 levels, some taken by the definition around the
    // condition: the nesting reached is that limit, not a shallow one.
    assert!(depth >= 110, "only {depth} levels parse");
    let questionnaire = Arc::new(questionnaire);

    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let changed: Rc<RefCell<Option<Session>>> = Rc::default();
    let props = yew::props!(FormProps {
        definition: Definition(Arc::clone(&questionnaire)),
        content_hash: questionnaire.content_hash(),
        id_prefix: "deep",
        on_change: {
            let changed = changed.clone();
            Callback::from(move |session: SharedSession| {
                *changed.borrow_mut() = Some(session.snapshot())
            })
        },
    });
    yew::Renderer::<QuestionnaireForm>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    assert!(shown(&root, "q1"));
    assert!(!shown(&root, "q2"), "q2 hangs on q1 = yes");

    root.query_selector("[data-item='q1'] input[value='yes']")
        .unwrap()
        .expect("the Yes option")
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    yew::scheduler::flush().await;
    assert!(
        shown(&root, "q2"),
        "visibility evaluated through {depth} levels"
    );

    let session = changed
        .borrow_mut()
        .take()
        .expect("the change reached the host");
    let response = session.response(
        Status::InProgress,
        Timestamps {
            started_at: None,
            updated_at: "2026-11-27T12:00:00Z".into(),
            completed_at: None,
        },
    );
    assert!(
        response.flags.iter().any(|flag| flag.id == "deep_flag"),
        "the flag evaluated through {depth} levels"
    );
    let native = serde_json::to_string(&response).unwrap();
    assert!(native.contains("deep_flag"));
    assert!(questionnaire.content_hash().starts_with("sha256:"));
    let fhir = kapforms_core::fhir::questionnaire_response(&questionnaire, &response);
    assert_eq!(fhir["resourceType"], "QuestionnaireResponse");
    let exported = kapforms_core::fhir::questionnaire(&questionnaire).to_string();
    assert!(exported.contains("deep_flag") || exported.contains("enableWhen"));
}

/// `leaf` inside `depth` FHIR groups (`{"linkId": ..., "item": [...]}`).
fn groups(depth: usize, leaf: Value) -> Value {
    (0..depth).fold(leaf, |inner, level| {
        json!({"linkId": format!("g{level}"), "type": "group", "text": "Group", "item": [inner]})
    })
}

/// The deepest FHIR Questionnaire and QuestionnaireResponse the JSON reader takes (the
/// clinician's view reads dropped files; the CLI imports Questionnaires): read to the end, an
/// error or not, without exhausting the stack.
#[wasm_bindgen_test]
fn the_deepest_fhir_resources_are_read_without_exhausting_the_stack() {
    let questionnaire = kapforms_instruments::load("phq9").unwrap().unwrap();
    let mut deepest = 0;
    for depth in (2..=70).rev() {
        let leaf = json!({"linkId": "q", "type": "string", "text": "Question?"});
        let text = json!({"resourceType": "Questionnaire", "status": "active",
                          "item": [groups(depth, leaf)]})
        .to_string();
        let imported = kapforms_core::fhir::import_questionnaire(&text);
        let answer = json!({"linkId": "q", "answer": [{"valueString": "x"}]});
        let text = json!({"resourceType": "QuestionnaireResponse", "status": "completed",
                          "item": [groups(depth, answer)]})
        .to_string();
        let read = kapforms_core::fhir::import_questionnaire_response(
            &questionnaire,
            &Default::default(),
            &text,
        );
        let too_deep = |problems: &[kapforms_core::Diagnostic]| {
            problems
                .iter()
                .any(|problem| problem.to_string().contains("recursion limit"))
        };
        let refused = imported.as_ref().err().is_some_and(|p| too_deep(p))
            || read.as_ref().err().is_some_and(|p| too_deep(p));
        if !refused {
            deepest = depth;
            break;
        }
    }
    // Two JSON levels a group: the reader's 128-level limit allows about 60.
    assert!(deepest >= 55, "only {deepest} levels of groups are read");
}

/// Whether the item is on the page.
fn shown(root: &Element, item: &str) -> bool {
    root.query_selector(&format!("[data-item='{item}']"))
        .unwrap()
        .is_some()
}
