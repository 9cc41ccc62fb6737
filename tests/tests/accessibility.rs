//! WCAG 2.2 AA across every page a patient or clinician can reach, in one headless Chromium
//! session: every built-in instrument (skeletons with placeholder wording for the licensed
//! text) is walked page by page — the start page, each section page as it first appears,
//! after an empty Continue (the error summary) and once answered (crisis resources when a
//! safety flag is raised), "check your answers" and the confirmation with the patient's copy —
//! and so are a skeleton without its licensed wording, the clinician's `<kap-results>` with a
//! patient's responses and empty, and the error a bad instrument name shows. On each page:
//! axe-core finds no violation of the WCAG 2.0/2.1/2.2 A and AA rules (in the widgets' shadow
//! roots and on the host page), at 360 px wide every interactive element of the widgets is a
//! target of at least 24 by 24 px, and at 320 px wide and at 640 px (1280 px at 200% zoom)
//! the page reflows without horizontal scrolling. The PHQ-9, the every-control form and the
//! clinician view are checked again in dark mode (`prefers-color-scheme: dark`, emulated).

use std::fmt::Write as _;

use fantoccini::Client;
use kapforms_e2e::devtools::{clear_viewport, emulate_media, set_viewport};
use kapforms_e2e::instruments_page::{answer_next, create_form};
use kapforms_e2e::{
    axe, layout, open, run_js, wait_for, with_browser, RENDER_TIMEOUT, UPDATE_TIMEOUT,
};
use serde_json::{json, Value};

/// The viewport on which axe runs and targets are measured: a small phone.
const PHONE: u32 = 360;
/// The narrowest width WCAG 1.4.10 asks content to reflow to.
const NARROWEST: u32 = 320;
/// A 1280 px wide window zoomed to 200%, in CSS pixels.
const DESKTOP_AT_200: u32 = 640;
/// The emulated viewport's height.
const HEIGHT: u32 = 800;

/// What the walk checked and what it found.
#[derive(Default)]
struct Findings {
    /// Page states checked.
    pages: usize,
    /// Interactive elements measured, over all pages.
    targets: usize,
    /// Page states showing crisis resources.
    crisis_pages: usize,
    /// Page states showing the error summary.
    error_pages: usize,
    /// "Check your answers" pages.
    review_pages: usize,
    /// Confirmations after submitting.
    done_pages: usize,
    /// Every failure, naming its page and check.
    failures: Vec<String>,
}

impl Findings {
    /// Runs every check on the page as it is now, labelled `page` in failures.
    async fn check(&mut self, client: &Client, page: &str) {
        self.pages += 1;
        let state = run_js(
            client,
            "const hosts = [...document.querySelectorAll('kap-form, kap-results')];\n\
             const has = (css) => hosts.some((h) => h.shadowRoot && h.shadowRoot.querySelector(css));\n\
             return { crisis: has('[data-crisis]'), error: has('[data-error-summary]'),\n\
                      review: has('[data-page=review]'), done: has('[data-page=done]') };",
            vec![],
        )
        .await;
        let flag = |key: &str| usize::from(state[key] == Value::Bool(true));
        self.crisis_pages += flag("crisis");
        self.error_pages += flag("error");
        self.review_pages += flag("review");
        self.done_pages += flag("done");

        set_viewport(client, PHONE, HEIGHT).await;
        for violation in axe::run(client).await {
            self.failures
                .push(format!("{page} at {PHONE} px: axe {violation}"));
        }
        let targets = layout::measure_targets(client).await;
        self.targets += targets.measured;
        for small in targets.too_small {
            self.failures
                .push(format!("{page} at {PHONE} px: target too small: {small}"));
        }
        for width in [NARROWEST, DESKTOP_AT_200] {
            set_viewport(client, width, HEIGHT).await;
            let reflow = layout::measure_reflow(client).await;
            assert_eq!(
                reflow.viewport,
                f64::from(width),
                "{page}: the viewport emulation did not take"
            );
            if !reflow.reflows() {
                self.failures.push(format!(
                    "{page} at {width} px: scrolls sideways (scrollWidth {} > clientWidth {}) \
                     or sticks out: {:?}",
                    reflow.scroll_width, reflow.client_width, reflow.overflowing
                ));
            }
        }
        set_viewport(client, PHONE, HEIGHT).await;
    }
}

/// Where the form `#f` is: its page (`start`, `section`, `review`, `done`, `message` for an
/// error or missing wording), the section shown and whether the error summary shows.
async fn where_is_form(client: &Client) -> Value {
    run_js(
        client,
        "const root = document.getElementById('f')?.shadowRoot;\n\
         if (!root) return { page: 'loading' };\n\
         if (root.querySelector('[data-error]')) return { page: 'message' };\n\
         const page = root.querySelector('[data-page]');\n\
         if (!page) return { page: 'loading' };\n\
         const section = root.querySelector('[data-section]');\n\
         return { page: page.dataset.page, section: section ? section.dataset.section : null,\n\
                  errors: !!root.querySelector('[data-error-summary]') };",
        vec![],
    )
    .await
}

/// Presses the widget button with `data-action` = `action` and waits until the form shows
/// something else.
async fn press_and_wait(client: &Client, action: &str) -> Value {
    let before = where_is_form(client).await;
    let pressed = run_js(
        client,
        "const b = document.getElementById('f').shadowRoot\n\
           .querySelector('button[data-action=' + arguments[0] + ']');\n\
         if (b) b.click();\n\
         return !!b;",
        vec![json!(action)],
    )
    .await;
    assert_eq!(pressed, Value::Bool(true), "no {action} button at {before}");
    wait_for(
        &format!("the form to move on after {action}"),
        UPDATE_TIMEOUT,
        || async {
            let now = where_is_form(client).await;
            if now != before && now["page"] != "loading" {
                Ok(now)
            } else {
                Err(format!("still {now}"))
            }
        },
    )
    .await
}

/// A clinic definition with one question of each kind the widget draws, including a repeating
/// group (its text, select and yes/no fields, add and remove buttons), which no built-in shows
/// when answered minimally.
const EVERY_CONTROL: &str = include_str!("../fixtures/accessibility/every-control.definition.json");

/// Walks the form `#f` (labelled `id`) from its first page to its confirmation, checking every
/// page state.
async fn walk(client: &Client, id: &str, findings: &mut Findings) {
    let mut at = wait_for(&format!("{id} to render"), RENDER_TIMEOUT, || async {
        let at = where_is_form(client).await;
        if at["page"] == "loading" {
            Err(at.to_string())
        } else {
            Ok(at)
        }
    })
    .await;
    for _ in 0..100 {
        let page = at["page"].as_str().unwrap_or("?").to_owned();
        match page.as_str() {
            "start" => {
                findings.check(client, &format!("{id}: start page")).await;
                at = press_and_wait(client, "start").await;
            }
            "section" => {
                let section = at["section"].as_str().unwrap_or("?").to_owned();
                let label = format!("{id}: section {section}");
                findings.check(client, &label).await;
                // An empty Continue: the error summary, or the next page if nothing here is
                // required.
                at = press_and_wait(client, "next").await;
                if at["section"] != json!(section) || at["page"] != "section" {
                    continue;
                }
                findings
                    .check(client, &format!("{label}, error summary"))
                    .await;
                while answer_next(client, false).await {}
                findings.check(client, &format!("{label}, answered")).await;
                at = press_and_wait(client, "next").await;
            }
            "review" => {
                findings
                    .check(client, &format!("{id}: check your answers"))
                    .await;
                at = press_and_wait(client, "submit").await;
            }
            "done" => {
                findings.check(client, &format!("{id}: confirmation")).await;
                return;
            }
            other => panic!("{id}: unexpected page {other}: {at}"),
        }
    }
    panic!("{id}: more than 100 pages");
}

/// Puts the [`EVERY_CONTROL`] form in `#f` on `instruments.html`.
async fn create_every_control(client: &Client) {
    let definition: Value = serde_json::from_str(EVERY_CONTROL).expect("fixture is JSON");
    run_js(
        client,
        "document.querySelector('#forms kap-form')?.remove();\n\
         const form = document.createElement('kap-form');\n\
         form.id = 'f';\n\
         form.definition = arguments[0];\n\
         document.getElementById('forms').append(form);",
        vec![definition],
    )
    .await;
}

/// Waits until `clinician.html`'s `<kap-results>` lists the demo patient's responses.
async fn wait_clinician_view(client: &Client) {
    wait_for("the clinician view", RENDER_TIMEOUT, || async {
        let rows = run_js(
            client,
            "const root = document.getElementById('results').shadowRoot;\n\
             return root ? root.querySelectorAll('.kr-responses tbody tr').length : 0;",
            vec![],
        )
        .await;
        if rows.as_u64().unwrap_or(0) > 0 {
            Ok(())
        } else {
            Err(format!("{rows} responses listed"))
        }
    })
    .await;
}

#[tokio::test]
async fn every_page_of_every_form_and_the_clinician_view_meet_wcag_2_2_aa() {
    with_browser("wcag_every_page", |client| async move {
        let mut findings = Findings::default();
        open(&client, "instruments.html").await;
        for builtin in kapforms_instruments::ALL {
            let (pack, _) = kapforms_e2e::instruments_page::builtin(builtin.id);
            create_form(&client, builtin.id, pack.as_ref()).await;
            walk(&client, builtin.id, &mut findings).await;
        }
        // A clinic's own form with every kind of control.
        create_every_control(&client).await;
        walk(&client, "every-control", &mut findings).await;
        // A skeleton whose clinic has not supplied the licensed wording.
        create_form(&client, "cssrs", None).await;
        wait_for("the licensed-wording message", RENDER_TIMEOUT, || async {
            match where_is_form(&client).await {
                at if at["page"] == "message" => Ok(()),
                at => Err(at.to_string()),
            }
        })
        .await;
        findings.check(&client, "cssrs without its wording").await;

        // The clinician's view of a patient's responses (flags, scores, trends, answers).
        open(&client, "clinician.html").await;
        wait_clinician_view(&client).await;
        findings.check(&client, "clinician view").await;
        // The bare element before anything is given to it.
        open(&client, "results.html").await;
        wait_for("the empty results view", RENDER_TIMEOUT, || async {
            let empty = run_js(
                &client,
                "const root = document.getElementById('results').shadowRoot;\n\
                 return !!(root && root.querySelector('[data-empty]'));",
                vec![],
            )
            .await;
            if empty == Value::Bool(true) {
                Ok(())
            } else {
                Err("not yet".to_owned())
            }
        })
        .await;
        findings.check(&client, "empty results view").await;
        // An instrument name the widget does not know.
        open(&client, "errors.html").await;
        wait_for("the unknown-instrument message", RENDER_TIMEOUT, || async {
            let shown = run_js(
                &client,
                "const root = document.querySelector('kap-form').shadowRoot;\n\
                 return !!(root && root.querySelector('[data-error]'));",
                vec![],
            )
            .await;
            if shown == Value::Bool(true) {
                Ok(())
            } else {
                Err("not yet".to_owned())
            }
        })
        .await;
        findings.check(&client, "unknown instrument").await;
        // Dark mode: the PHQ-9 (crisis resources included), every kind of control and the
        // clinician view again, with the dark palette (contrast above all).
        emulate_media(&client, &[("prefers-color-scheme", "dark")]).await;
        open(&client, "instruments.html").await;
        create_form(&client, "phq9", None).await;
        walk(&client, "phq9 (dark)", &mut findings).await;
        create_every_control(&client).await;
        walk(&client, "every-control (dark)", &mut findings).await;
        open(&client, "clinician.html").await;
        wait_clinician_view(&client).await;
        findings.check(&client, "clinician view (dark)").await;
        emulate_media(&client, &[]).await;
        clear_viewport(&client).await;

        let mut report = String::new();
        let _ = writeln!(
            report,
            "checked {} page states ({} with crisis resources, {} with an error summary, {} \
             \"check your answers\", {} confirmations), {} targets measured",
            findings.pages,
            findings.crisis_pages,
            findings.error_pages,
            findings.review_pages,
            findings.done_pages,
            findings.targets
        );
        println!("{report}");
        // Every built-in, the every-control form, and both again in dark mode.
        let forms = kapforms_instruments::ALL.len() + 3;
        assert_eq!(findings.review_pages, forms, "{report}");
        assert_eq!(findings.done_pages, forms, "{report}");
        assert!(findings.error_pages >= forms, "{report}");
        assert!(
            findings.crisis_pages > 0,
            "no crisis state reached: {report}"
        );
        assert!(
            findings.failures.is_empty(),
            "{report}{} failures:\n{}",
            findings.failures.len(),
            findings.failures.join("\n")
        );
    })
    .await;
}
