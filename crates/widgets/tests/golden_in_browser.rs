//! The golden scoring cases of every built-in instrument, answered through the real widget in a
//! real browser: each case mounts the form, clicks or types every answer as a patient would (in
//! page order, so questions revealed by earlier answers appear), and checks the running total
//! on the page and the scores, bands and flags of the session the widget hands over. The same
//! fixtures run natively in `crates/instruments/tests/golden.rs`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use kapforms_core::LiteMap;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use kapforms_core::definition::TextPack;
use kapforms_core::{AnswerValue, ItemKind, Questionnaire, Session};
use kapforms_widgets::{
    Definition, FormAction, FormController, FormProps, QuestionnaireForm, SharedSession,
};
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, HtmlElement, HtmlInputElement};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

/// A skeleton gets placeholder wording, standing in for a licensed clinic's text pack.
fn with_placeholder_text(questionnaire: Questionnaire) -> Questionnaire {
    if !questionnaire.restricted_text {
        return questionnaire;
    }
    let pack: TextPack = questionnaire
        .missing_text()
        .into_iter()
        .map(|key| (key.clone(), format!("Clinic wording for {key}")))
        .collect();
    questionnaire.with_text_pack(&pack).unwrap()
}

fn one(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

fn click(element: Element) {
    element.dyn_into::<HtmlElement>().unwrap().click();
}

fn type_into(element: Element, text: &str, event: &str) {
    let input = element.dyn_into::<HtmlInputElement>().unwrap();
    input.set_value(text);
    input.dispatch_event(&Event::new(event).unwrap()).unwrap();
}

/// Gives one answer through the page; false if the question is not on the page (hidden).
async fn answer(
    root: &Element,
    questionnaire: &Questionnaire,
    item_id: &str,
    value: &AnswerValue,
) -> bool {
    let item = questionnaire.item(item_id).unwrap();
    let scope = format!("[data-item='{item_id}']");
    if one(root, &scope).is_none() {
        return false;
    }
    match (&item.kind, value) {
        (ItemKind::SingleChoice { .. }, AnswerValue::Text(code)) => {
            click(one(root, &format!("{scope} input[value='{code}']")).unwrap())
        }
        (ItemKind::MultipleChoice { .. }, AnswerValue::Choices(codes)) => {
            for code in codes {
                click(one(root, &format!("{scope} input[value='{code}']")).unwrap());
                yew::scheduler::flush().await;
            }
        }
        (ItemKind::YesNo { .. }, AnswerValue::Bool(yes)) => {
            let code = if *yes { "yes" } else { "no" };
            click(one(root, &format!("{scope} input[value='{code}']")).unwrap())
        }
        (ItemKind::Integer { .. }, AnswerValue::Integer(number)) => type_into(
            one(root, &format!("{scope} input")).unwrap(),
            &number.to_string(),
            "change",
        ),
        (ItemKind::Date, AnswerValue::Text(date)) => type_into(
            one(root, &format!("{scope} input")).unwrap(),
            date,
            "change",
        ),
        (ItemKind::LongText { .. }, AnswerValue::Text(text)) => {
            let area = one(root, &format!("{scope} textarea"))
                .unwrap()
                .dyn_into::<web_sys::HtmlTextAreaElement>()
                .unwrap();
            area.set_value(text);
            area.dispatch_event(&Event::new("input").unwrap()).unwrap();
        }
        (ItemKind::ShortText { .. }, AnswerValue::Text(text)) => {
            type_into(one(root, &format!("{scope} input")).unwrap(), text, "input")
        }
        (ItemKind::RepeatingGroup { .. }, AnswerValue::Rows(rows)) => {
            for (index, row) in rows.iter().enumerate() {
                // The first row is there to start with; each further one is added.
                if index > 0 {
                    click(one(root, &format!("{scope} button[data-action='add-row']")).unwrap());
                    yew::scheduler::flush().await;
                }
                for (field, value) in row {
                    let control = one(
                        root,
                        &format!("{scope} [data-row='{index}'] [data-field='{field}']"),
                    )
                    .unwrap_or_else(|| panic!("no field {field} in row {index} of {item_id}"));
                    let text = match value {
                        AnswerValue::Text(text) => text.clone(),
                        AnswerValue::Integer(number) => number.to_string(),
                        AnswerValue::Bool(yes) => {
                            if *yes {
                                "yes".into()
                            } else {
                                "no".into()
                            }
                        }
                        other => panic!("cannot type {other:?} into a field"),
                    };
                    let event = match control.tag_name().as_str() {
                        "SELECT" => "change",
                        _ if control.get_attribute("type").as_deref() == Some("number") => "change",
                        _ => "input",
                    };
                    if control.tag_name() == "SELECT" {
                        let select = control.dyn_into::<web_sys::HtmlSelectElement>().unwrap();
                        select.set_value(&text);
                        select.dispatch_event(&Event::new(event).unwrap()).unwrap();
                    } else if control.tag_name() == "TEXTAREA" {
                        let area = control.dyn_into::<web_sys::HtmlTextAreaElement>().unwrap();
                        area.set_value(&text);
                        area.dispatch_event(&Event::new(event).unwrap()).unwrap();
                    } else {
                        type_into(control, &text, event);
                    }
                    yew::scheduler::flush().await;
                }
            }
        }
        (kind, value) => panic!("cannot give {value:?} to a {} item", kind.type_name()),
    }
    yew::scheduler::flush().await;
    true
}

#[wasm_bindgen_test]
async fn golden_cases_through_the_widget() {
    let document = web_sys::window().unwrap().document().unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    for (id, text) in kapforms_instruments::golden::CASES {
        let data: Value = serde_json::from_str(text).unwrap();
        let questionnaire = with_placeholder_text(kapforms_instruments::load(id).unwrap().unwrap());
        let questionnaire = Arc::new(questionnaire);
        for case in data["cases"].as_array().unwrap() {
            count += 1;
            let name = format!("{id}: {}", case["name"].as_str().unwrap());
            let root = document.create_element("div").unwrap();
            document.body().unwrap().append_child(&root).unwrap();
            let latest: Rc<RefCell<Option<Session>>> = Rc::new(RefCell::new(None));
            let controller = FormController::default();
            let props = yew::props!(FormProps {
                definition: Definition(questionnaire.clone()),
                content_hash: questionnaire.content_hash(),
                id_prefix: "g",
                on_change: {
                    let latest = latest.clone();
                    Callback::from(move |session: SharedSession| {
                        *latest.borrow_mut() = Some(session.snapshot())
                    })
                },
                show_start: Some(false),
                controller: controller.clone(),
            });
            let app = yew::Renderer::<QuestionnaireForm>::with_root_and_props(root.clone(), props)
                .render();
            yew::scheduler::flush().await;

            let answers: LiteMap<String, AnswerValue> =
                kapforms_core::wire::answers_from_value(case["answers"].clone()).unwrap();
            // Answer page by page, in page order, so that questions revealed by earlier answers
            // are there. "Change" opens a section whatever is still missing elsewhere.
            for section in &questionnaire.sections {
                let Some(first) = section.items.first() else {
                    continue;
                };
                controller.dispatch(FormAction::Change(first.id.clone()));
                yew::scheduler::flush().await;
                for item in &section.items {
                    if let Some(value) = answers.get(&item.id) {
                        answer(&root, &questionnaire, &item.id, value).await;
                    }
                }
            }
            let session = latest
                .borrow()
                .clone()
                .unwrap_or_else(|| Session::new(questionnaire.clone()));
            let evaluation = session.evaluation();
            for (score_id, expected) in case["scores"].as_object().unwrap() {
                let score = evaluation
                    .scores
                    .iter()
                    .find(|s| &s.id == score_id)
                    .unwrap();
                let value = expected["value"].as_f64().unwrap();
                if (score.value - value).abs() > 1e-9 {
                    failures.push(format!(
                        "{name}: {score_id} = {}, expected {value}",
                        score.value
                    ));
                }
                let band = expected.get("band").and_then(Value::as_str);
                if score.band.as_deref() != band {
                    failures.push(format!(
                        "{name}: {score_id} band {:?}, expected {band:?}",
                        score.band
                    ));
                }
            }
            // The page shows the definition's running total, if it names one.
            let shown = one(&root, "[data-score-total]").and_then(|e| e.text_content());
            let expected_total = questionnaire.running_total.as_deref().map(|id| {
                let score = evaluation.scores.iter().find(|s| s.id == id).unwrap();
                kapforms_core::number::display(score.value)
            });
            if shown != expected_total {
                failures.push(format!(
                    "{name}: page shows {shown:?}, session has {expected_total:?}"
                ));
            }
            let mut flags: Vec<&str> = evaluation.flags.iter().map(|f| f.id.as_str()).collect();
            let mut expected: Vec<&str> = case["flags"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            flags.sort_unstable();
            expected.sort_unstable();
            if flags != expected {
                failures.push(format!("{name}: flags {flags:?}, expected {expected:?}"));
            }
            let crisis_shown = one(&root, "[data-crisis]").is_some();
            if crisis_shown != evaluation.has_safety_flag() {
                failures.push(format!("{name}: crisis resources shown = {crisis_shown}"));
            }
            app.destroy();
            root.remove();
        }
    }
    assert!(count >= 14, "only {count} cases ran");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
