//! The PHQ-9 form rendered by the real widgets in a real browser (wasm-bindgen-test in headless
//! Chromium): the DOM a screen reader and the benchmark rely on (fieldset + legend per
//! question, labelled native radios, the live total), the running total after clicks, crisis
//! resources on item 9, the error summary on Continue, "check your answers" with change links,
//! the session handed over on submit, and each move between pages reported to the host.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use kapforms_core::Session;
use kapforms_widgets::{Definition, FormProps, Page, PageChange, QuestionnaireForm};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

struct Mounted {
    root: Element,
    submitted: Rc<RefCell<Vec<Session>>>,
    changes: Rc<RefCell<usize>>,
    pages: Rc<RefCell<Vec<PageChange>>>,
}

async fn mount_phq9() -> Mounted {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let questionnaire = kapforms_instruments::load("phq9").unwrap().unwrap();
    let submitted = Rc::new(RefCell::new(Vec::new()));
    let changes = Rc::new(RefCell::new(0));
    let pages = Rc::new(RefCell::new(Vec::new()));
    let props = yew::props!(FormProps {
        content_hash: questionnaire.content_hash(),
        definition: Definition(Arc::new(questionnaire)),
        id_prefix: "t",
        on_change: {
            let changes = changes.clone();
            Callback::from(move |_| *changes.borrow_mut() += 1)
        },
        on_submit: {
            let submitted = submitted.clone();
            Callback::from(move |session| submitted.borrow_mut().push(session))
        },
        on_page: {
            let pages = pages.clone();
            Callback::from(move |change| pages.borrow_mut().push(change))
        },
    });
    yew::Renderer::<QuestionnaireForm>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    Mounted {
        root,
        submitted,
        changes,
        pages,
    }
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .collect()
}

fn one(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

fn total(root: &Element) -> String {
    one(root, "[data-score-total]")
        .unwrap()
        .text_content()
        .unwrap()
}

async fn choose(root: &Element, item: &str, code: &str) {
    let input = one(root, &format!("[data-item='{item}'] input[value='{code}']"))
        .unwrap_or_else(|| panic!("no option {code} on {item}"))
        .dyn_into::<HtmlElement>()
        .unwrap();
    input.click();
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn phq9_renders_accessible_native_controls() {
    let mounted = mount_phq9().await;
    let root = &mounted.root;
    let fieldsets = all(root, "fieldset[data-item]");
    // Nine questions; the difficulty question appears only once a problem is checked.
    assert_eq!(fieldsets.len(), 9);
    for (index, fieldset) in fieldsets.iter().enumerate() {
        assert_eq!(
            fieldset.get_attribute("data-item").as_deref(),
            Some(format!("phq9_{}", index + 1).as_str())
        );
        let legend = fieldset.query_selector("legend").unwrap().expect("legend");
        assert!(!legend.text_content().unwrap().trim().is_empty());
        let radios = all(fieldset, "input[type='radio']");
        assert_eq!(radios.len(), 4);
        for radio in radios {
            let id = radio.id();
            let label = fieldset
                .query_selector(&format!("label[for='{id}']"))
                .unwrap()
                .expect("every radio has a label");
            assert!(!label.text_content().unwrap().is_empty());
        }
    }
    assert!(one(root, "legend")
        .unwrap()
        .text_content()
        .unwrap()
        .contains("Little interest or pleasure in doing things"));
    let live = one(root, "[aria-live]").expect("a live region");
    assert!(live.query_selector("[data-score-total]").unwrap().is_some());
    assert_eq!(total(root), "0");
    assert!(one(root, "button[type='submit']").is_some());
    assert!(one(root, "[data-crisis]").is_none());
}

#[wasm_bindgen_test]
async fn clicking_options_updates_the_total_and_shows_crisis_resources_on_item_9() {
    let mounted = mount_phq9().await;
    let root = &mounted.root;
    choose(root, "phq9_1", "2").await;
    assert_eq!(total(root), "2");
    choose(root, "phq9_1", "3").await;
    assert_eq!(total(root), "3");
    choose(root, "phq9_2", "1").await;
    assert_eq!(total(root), "4");
    assert!(
        one(root, "fieldset[data-item='phq9_difficulty']").is_some(),
        "the difficulty question follows a checked problem"
    );
    assert!(one(root, "[data-crisis]").is_none());
    choose(root, "phq9_9", "1").await;
    let crisis = one(root, "[data-crisis]").expect("crisis resources at once");
    assert_eq!(crisis.get_attribute("role").as_deref(), Some("alert"));
    assert!(crisis.text_content().unwrap().contains("988"));
    choose(root, "phq9_9", "0").await;
    assert!(one(root, "[data-crisis]").is_none());
    let checked = one(root, "[data-item='phq9_1'] input[value='3']")
        .unwrap()
        .dyn_into::<HtmlInputElement>()
        .unwrap();
    assert!(checked.checked());
    assert!(*mounted.changes.borrow() >= 4);
}

fn button(root: &Element, action: &str) -> HtmlElement {
    one(root, &format!("button[data-action='{action}']"))
        .unwrap_or_else(|| panic!("no {action} button"))
        .dyn_into::<HtmlElement>()
        .unwrap()
}

async fn press(root: &Element, action: &str) {
    button(root, action).click();
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn continue_needs_every_answer_then_check_your_answers_then_submit() {
    let mounted = mount_phq9().await;
    let root = &mounted.root;
    assert_eq!(
        one(root, "[data-progress]")
            .unwrap()
            .text_content()
            .unwrap(),
        "Step 1 of 2"
    );
    choose(root, "phq9_1", "1").await;
    press(root, "next").await;
    assert!(mounted.submitted.borrow().is_empty());
    let summary = one(root, "[data-error-summary]").expect("an error summary");
    assert_eq!(all(&summary, "li").len(), 8);
    assert_eq!(all(root, "[aria-invalid='true']").len(), 8);
    assert_eq!(all(root, ".kf-item[data-invalid]").len(), 8);
    // The summary takes focus, and its links lead to the questions.
    let document = web_sys::window().unwrap().document().unwrap();
    let active = document.active_element().unwrap();
    assert!(
        active.has_attribute("data-error-summary"),
        "focus is on the summary"
    );
    all(&summary, "a")[0]
        .clone()
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    let active = document.active_element().unwrap();
    assert_eq!(active.get_attribute("name").as_deref(), Some("t-phq9_2"));
    // Nothing is cleared: item 1 is still chosen.
    assert!(one(root, "[data-item='phq9_1'] input[value='1']")
        .unwrap()
        .dyn_into::<HtmlInputElement>()
        .unwrap()
        .checked());

    for item in 2..=9 {
        choose(root, &format!("phq9_{item}"), "2").await;
    }
    assert_eq!(total(root), "17");
    press(root, "next").await;
    // Check your answers: every answer with a change link; submit only from here.
    assert!(one(root, "[data-page='review']").is_some());
    assert_eq!(
        one(root, "[data-progress]")
            .unwrap()
            .text_content()
            .unwrap(),
        "Step 2 of 2"
    );
    let row = one(root, "[data-summary-item='phq9_3']")
        .unwrap()
        .text_content()
        .unwrap();
    assert!(row.contains("More than half the days"), "{row}");
    assert!(one(root, "[data-crisis]").is_some(), "item 9 is above 0");
    // Change item 3, Continue returns to the check page with the new answer.
    one(root, "button[data-change-item='phq9_3']")
        .unwrap()
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    yew::scheduler::flush().await;
    assert!(one(root, "[data-page='section']").is_some());
    choose(root, "phq9_3", "0").await;
    press(root, "next").await;
    let row = one(root, "[data-summary-item='phq9_3']")
        .unwrap()
        .text_content()
        .unwrap();
    assert!(row.contains("Not at all"), "{row}");
    // Back keeps every answer.
    press(root, "back").await;
    assert!(one(root, "[data-item='phq9_5'] input[value='2']")
        .unwrap()
        .dyn_into::<HtmlInputElement>()
        .unwrap()
        .checked());
    press(root, "next").await;
    press(root, "submit").await;
    let submitted = mounted.submitted.borrow();
    assert_eq!(submitted.len(), 1);
    let score = &submitted[0].evaluation().scores[0];
    assert_eq!(score.value, 15.0);
    assert_eq!(score.band.as_deref(), Some("Moderately severe"));
    assert!(one(root, "[data-submitted]").is_some());
    assert!(
        one(root, "[data-crisis]").is_some(),
        "crisis resources stay after submit when item 9 is positive"
    );
    let copy = one(root, "[data-patient-copy]").expect("the patient's copy");
    assert!(copy
        .text_content()
        .unwrap()
        .contains("Little interest or pleasure in doing things"));
    // Every move was reported, and only moves: not the first render, not the Continue that
    // stayed on the page to point out missing answers.
    let page = |page, section: Option<&str>, index| PageChange {
        page,
        section: section.map(str::to_owned),
        index,
        count: 2,
    };
    let section = || page(Page::Section(0), Some("phq9"), 1);
    let review = || page(Page::Review, None, 2);
    assert_eq!(
        *mounted.pages.borrow(),
        [
            review(),
            section(),
            review(),
            section(),
            review(),
            page(Page::Done, None, 2),
        ]
    );
}

async fn mount_with(props_for: impl FnOnce(Definition) -> FormProps) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let questionnaire = kapforms_instruments::load("phq9").unwrap().unwrap();
    let props = props_for(Definition(Arc::new(questionnaire)));
    yew::Renderer::<QuestionnaireForm>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

#[wasm_bindgen_test]
async fn the_host_replaces_crisis_resources_and_decides_whether_patients_see_bands() {
    let root = mount_with(|definition| {
        yew::props!(FormProps {
            content_hash: definition.content_hash(),
            definition,
            id_prefix: "c",
            crisis: Some(kapforms_widgets::CrisisContent {
                title: "Hjälp finns".into(),
                paragraphs: vec!["Ring 112 eller Mind Självmordslinjen 90101.".into()],
            }),
            show_bands: true,
        })
    })
    .await;
    for item in 1..=8 {
        choose(&root, &format!("phq9_{item}"), "2").await;
    }
    choose(&root, "phq9_9", "1").await;
    let crisis = one(&root, "[data-crisis]").unwrap().text_content().unwrap();
    assert!(
        crisis.contains("Hjälp finns") && crisis.contains("90101"),
        "{crisis}"
    );
    assert!(
        !crisis.contains("988"),
        "the default resources are replaced"
    );
    assert_eq!(
        one(&root, "[data-score-band]")
            .unwrap()
            .text_content()
            .unwrap(),
        "Moderately severe"
    );

    // By default the patient sees the running total but no band.
    let plain = mount_phq9().await;
    for item in 1..=9 {
        choose(&plain.root, &format!("phq9_{item}"), "2").await;
    }
    assert_eq!(total(&plain.root), "18");
    assert!(one(&plain.root, "[data-score-band]").is_none());
    assert!(!plain
        .root
        .text_content()
        .unwrap()
        .contains("Moderately severe"));
}
