//! Real-world FHIR Questionnaires (the fixtures in `crates/core/tests/fhir/fixtures/`, from
//! LHC-Forms, ResearchKitOnFHIR, the MII PRO module and the CQF sample IG) imported by core
//! and rendered by the real widgets in headless Chromium (wasm-bindgen-test): every question
//! of the first page is drawn as a fieldset whose legend and labelled radios carry the
//! fixture's wording, no error shows, and clicking options as a patient would reaches the
//! session the host gets, scored like the answers say.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use kapforms_core::{fhir, Evaluation, Session};
use kapforms_widgets::{Definition, FormProps, QuestionnaireForm, SharedSession};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

/// Every Questionnaire fixture (the Bundle holds the MII GAD-7 with a response).
const FIXTURES: [(&str, &str); 7] = [
    (
        "lforms__phq9.json",
        include_str!("../../core/tests/fhir/fixtures/lforms__phq9.json"),
    ),
    (
        "lforms__argonaut-phq9-ish.json",
        include_str!("../../core/tests/fhir/fixtures/lforms__argonaut-phq9-ish.json"),
    ),
    (
        "ResearchKitOnFHIR__PHQ-9.json",
        include_str!("../../core/tests/fhir/fixtures/ResearchKitOnFHIR__PHQ-9.json"),
    ),
    (
        "ResearchKitOnFHIR__GAD-7.json",
        include_str!("../../core/tests/fhir/fixtures/ResearchKitOnFHIR__GAD-7.json"),
    ),
    (
        "mii-qst-pro-gad-7.json",
        include_str!(
            "../../core/tests/fhir/fixtures/kerndatensatzmodul-proms__Questionnaire-mii-qst-pro-gad-7.json"
        ),
    ),
    (
        "mii-exa-pro-gad-7-bundle.json",
        include_str!(
            "../../core/tests/fhir/fixtures/kerndatensatzmodul-proms__Bundle-mii-exa-pro-gad-7-bundle.json"
        ),
    ),
    (
        "sample-content-ig phq-9-questionnaire.json",
        include_str!(
            "../../core/tests/fhir/fixtures/sample-content-ig__Questionnaire-phq-9-questionnaire.json"
        ),
    ),
];

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .collect()
}

#[wasm_bindgen_test]
async fn every_fhir_fixture_renders_and_scores_its_first_page() {
    let document = web_sys::window().unwrap().document().unwrap();
    for (name, text) in FIXTURES {
        let questionnaire = Arc::new(
            fhir::import_questionnaire(text)
                .unwrap_or_else(|problems| panic!("{name}: {problems:?}"))
                .questionnaire,
        );
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        let latest: Rc<RefCell<Option<Session>>> = Rc::default();
        let props = yew::props!(FormProps {
            definition: Definition(questionnaire.clone()),
            content_hash: questionnaire.content_hash(),
            id_prefix: yew::AttrValue::from(format!("fx{}", name.len())),
            on_change: {
                let latest = latest.clone();
                Callback::from(move |session: SharedSession| {
                    *latest.borrow_mut() = Some(session.snapshot())
                })
            },
            show_start: Some(false),
            patient_copy: false,
        });
        yew::Renderer::<QuestionnaireForm>::with_root_and_props(root.clone(), props).render();
        yew::scheduler::flush().await;

        assert!(
            all(&root, "[data-error]").is_empty(),
            "{name}: {}",
            root.inner_html()
        );
        // The first page is the first section: each visible question is drawn, in order.
        let first = &questionnaire.sections[0];
        let visible = Evaluation::of(&questionnaire, &Default::default()).visible;
        let expected: Vec<&str> = first
            .items
            .iter()
            .filter(|item| item.kind.takes_answer() && visible.contains(&item.id))
            .map(|item| item.id.as_str())
            .collect();
        let drawn: Vec<String> = all(&root, "fieldset[data-item]")
            .iter()
            .filter_map(|f| f.get_attribute("data-item"))
            .collect();
        assert!(
            !expected.is_empty(),
            "{name}: no question on the first page"
        );
        assert_eq!(drawn, expected, "{name}");
        // Each question shows the fixture's own wording and a label per option.
        for id in &expected {
            let item = questionnaire.item(id).unwrap();
            let fieldset = root
                .query_selector(&format!("fieldset[data-item='{id}']"))
                .unwrap()
                .unwrap();
            let legend = fieldset.query_selector("legend").unwrap().unwrap();
            assert!(
                legend.text_content().unwrap().contains(item.text.trim()),
                "{name}: {id}'s legend lacks {:?}",
                item.text
            );
            let options = questionnaire.options_of(item);
            let radios = all(&fieldset, "input[type='radio']");
            assert_eq!(radios.len(), options.len(), "{name}: {id}");
            for (radio, option) in radios.iter().zip(options) {
                let label = fieldset
                    .query_selector(&format!("label[for='{}']", radio.id()))
                    .unwrap()
                    .unwrap_or_else(|| panic!("{name}: {id}: an unlabelled radio"));
                assert!(
                    label.text_content().unwrap().contains(option.label.trim()),
                    "{name}: {id}: label {:?} lacks {:?}",
                    label.text_content(),
                    option.label
                );
            }
        }
        // Clicking the option scoring 2 on every scored question of the page: the session the
        // host is handed scores 2 per click.
        let rule = &questionnaire.scores[0];
        let mut clicked = 0.0;
        for id in expected
            .iter()
            .filter(|id| rule.items.iter().any(|i| i == *id))
        {
            let item = questionnaire.item(id).unwrap();
            let option = questionnaire
                .options_of(item)
                .iter()
                .find(|option| option.score == Some(2.0))
                .unwrap_or_else(|| panic!("{name}: {id} has no option scoring 2"));
            let radio = all(
                &root,
                &format!("fieldset[data-item='{id}'] input[type='radio']"),
            )
            .into_iter()
            .find(|radio| radio.get_attribute("value").as_deref() == Some(option.value.as_str()))
            .unwrap_or_else(|| panic!("{name}: no radio for {id} = {}", option.value));
            radio.dyn_into::<HtmlElement>().unwrap().click();
            yew::scheduler::flush().await;
            clicked += 2.0;
        }
        assert!(
            clicked > 0.0,
            "{name}: no scored question on the first page"
        );
        let session = latest.borrow().clone().expect("the host saw the change");
        assert_eq!(
            session.evaluation().scores[0].value,
            clicked,
            "{name}: the widget's session scores the clicks"
        );
        root.remove();
    }
}
