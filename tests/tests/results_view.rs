//! The clinician's `<kap-results>` element in headless Chromium: the committed sample
//! responses of one patient (`tests/fixtures/results/`, one with an edited total, one with a
//! safety flag) given in shuffled order; the flags come first, the tampered response is
//! marked, each trend chart has one point per response in date order, print media hides the
//! controls; files opened with the file picker or dropped are read in the browser; FHIR,
//! unknown and different definitions and unreadable input are handled; and the clinician demo
//! page shows what the patient demo page submitted.

use std::time::Duration;

use fantoccini::wd::WebDriverCompatibleCommand;
use kapforms_e2e::{open, run_js, wait_for, with_browser, Form, RENDER_TIMEOUT, UPDATE_TIMEOUT};
use serde_json::{json, Value};

/// The sample responses, in a deliberately scrambled order (not by date).
const SAMPLES: [(&str, &str); 9] = [
    (
        "phq9-2026-11-10.json",
        include_str!("../fixtures/results/phq9-2026-11-10.json"),
    ),
    (
        "gad7-2026-09-01.json",
        include_str!("../fixtures/results/gad7-2026-09-01.json"),
    ),
    (
        "checkin-2026-11-10.json",
        include_str!("../fixtures/results/checkin-2026-11-10.json"),
    ),
    (
        "phq9-2026-09-01.json",
        include_str!("../fixtures/results/phq9-2026-09-01.json"),
    ),
    (
        "who5-2026-11-10.json",
        include_str!("../fixtures/results/who5-2026-11-10.json"),
    ),
    (
        "phq9-2026-10-06.json",
        include_str!("../fixtures/results/phq9-2026-10-06.json"),
    ),
    (
        "readiness-ruler-2026-11-10.json",
        include_str!("../fixtures/results/readiness-ruler-2026-11-10.json"),
    ),
    (
        "gad7-2026-11-10.json",
        include_str!("../fixtures/results/gad7-2026-11-10.json"),
    ),
    (
        "who5-2026-09-01.json",
        include_str!("../fixtures/results/who5-2026-09-01.json"),
    ),
];

/// The demo clinic's own check-in definition the check-in sample answers.
const CHECKIN_DEFINITION: &str = include_str!("../fixtures/results/clinic-checkin.definition.json");

fn parsed(text: &str) -> Value {
    serde_json::from_str(text).expect("a fixture is JSON")
}

/// Starts recording every kap-* event of `#results` in `window.__kapEvents`.
async fn record_events(client: &fantoccini::Client) {
    run_js(
        client,
        "window.__kapEvents = [];\n\
         for (const name of ['kap-ready', 'kap-error']) {\n\
           document.addEventListener(name, (e) => window.__kapEvents.push({ name, detail: e.detail }));\n\
         }",
        vec![],
    )
    .await;
}

/// Waits for `count` events called `name` and returns them all.
async fn wait_events(client: &fantoccini::Client, name: &str, count: usize) -> Vec<Value> {
    wait_for(
        &format!("{count} {name} event(s)"),
        RENDER_TIMEOUT,
        || async {
            let all = run_js(client, "return window.__kapEvents || [];", vec![]).await;
            let seen: Vec<Value> = all
                .as_array()
                .map(|list| list.iter().filter(|e| e["name"] == name).cloned().collect())
                .unwrap_or_default();
            if seen.len() >= count {
                Ok(seen)
            } else {
                Err(format!("{} so far: {all}", seen.len()))
            }
        },
    )
    .await
}

/// Gives `#results` the check-in definition, a patient and `responses`.
async fn show(client: &fantoccini::Client, responses: Vec<Value>) {
    run_js(
        client,
        "const results = document.getElementById('results');\n\
         results.definitions = [arguments[0]];\n\
         results.patient = { name: 'Alex Example', dateOfBirth: '1985-04-12', id: 'RKC-0042' };\n\
         results.responses = arguments[1];",
        vec![parsed(CHECKIN_DEFINITION), Value::Array(responses)],
    )
    .await;
}

/// Runs a script with `root` bound to `#results`' shadow root.
async fn in_results(client: &fantoccini::Client, body: &str) -> Value {
    run_js(
        client,
        &format!(
            "const root = document.getElementById('results').shadowRoot;\n\
             if (!root) return null;\n{body}"
        ),
        vec![],
    )
    .await
}

/// Waits until the view shows `count` responses in its list of responses.
async fn wait_responses(client: &fantoccini::Client, view: &Form, count: usize) {
    wait_for(
        &format!("the view to list {count} responses"),
        RENDER_TIMEOUT,
        || async {
            let shown = in_results(
                client,
                "return root.querySelectorAll('.kr-responses tbody tr').length;",
            )
            .await;
            if shown == json!(count) {
                Ok(())
            } else {
                Err(format!("{shown}; shadow root: {}", view.html().await))
            }
        },
    )
    .await;
}

/// ChromeDriver's Chrome DevTools command endpoint (`POST /session/{id}/goog/cdp/execute`),
/// used to emulate print media.
#[derive(Debug)]
struct Cdp(Value);

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or("")
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.to_string()))
    }
}

#[tokio::test]
async fn flags_first_tampering_marked_and_one_point_per_response_in_date_order() {
    with_browser("results_view", |client| async move {
        open(&client, "results.html").await;
        record_events(&client).await;
        show(&client, SAMPLES.iter().map(|(_, text)| parsed(text)).collect()).await;
        let view = Form::new(&client, "#results");
        wait_responses(&client, &view, SAMPLES.len()).await;

        // The page's sections, in order: flags before everything else.
        let sections = in_results(&client,
                "return Array.from(root.querySelectorAll('[data-section]'))\
                   .map((s) => s.dataset.section);",
            )
            .await;
        let sections: Vec<&str> = sections
            .as_array()
            .expect("sections")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(
            &sections[..2],
            ["urgent-flags", "clearance-flags"],
            "{sections:?}"
        );
        let position = |name: &str| sections.iter().position(|s| *s == name);
        assert!(
            position("urgent-flags") < position("attention")
                && position("attention") < position("scores")
                && position("scores") < position("trends")
                && position("trends") < position("answers"),
            "{sections:?}"
        );

        // The safety flag is the first flag, with the answer that raised it and its source.
        let first_flag = in_results(&client,
                "const f = root.querySelector('[data-flag]');\n\
                 return { id: f.dataset.flag, severity: f.dataset.severity, text: f.textContent };",
            )
            .await;
        assert_eq!(first_flag["id"], "phq9_item9", "{first_flag}");
        assert_eq!(first_flag["severity"], "safety", "{first_flag}");
        let text = first_flag["text"].as_str().unwrap_or("");
        assert!(text.contains("Several days"), "{text}");
        assert!(text.contains("Kroenke K, Spitzer RL"), "{text}");
        let clearance = view
            .text("[data-section=\"clearance-flags\"]")
            .await
            .unwrap_or_default();
        assert!(
            clearance.contains("No ride home after the session")
                && clearance.contains("164 mmHg")
                && clearance.contains("Demo clinic protocol, section 3"),
            "{clearance}"
        );

        // The tampered response is marked, with the recomputed value and the stored one.
        assert!(view.exists("[data-banner]").await, "no banner");
        let mismatch = view
            .text("[data-integrity=\"mismatch\"]")
            .await
            .expect("the tampered response is marked");
        assert!(
            mismatch.contains("Scores do not match the answers")
                && mismatch.contains("2026-11-10")
                && mismatch.contains("stored as 3 (Minimal) but the answers give 6 (Mild)"),
            "{mismatch}"
        );
        assert_eq!(
            in_results(&client, "return root.querySelectorAll('[data-integrity=\"mismatch\"]').length;")
                .await,
            json!(1)
        );
        let row = view
            .text(".kr-score-table tr.kr-row-mismatch")
            .await
            .expect("the tampered score row is marked");
        assert!(row.contains("stored as 3 (Minimal)") && row.contains('6'), "{row}");

        // One point per PHQ-9 response, in date order, the tampered one marked; an accessible
        // image with a table beside it.
        let chart = in_results(&client,
                "const fig = root.querySelector('[data-trend=\"phq9/phq9_total\"]');\n\
                 if (!fig) return null;\n\
                 const svg = fig.querySelector('svg');\n\
                 return {\n\
                   dates: Array.from(fig.querySelectorAll('circle.kr-point')).map((c) => c.dataset.date),\n\
                   values: Array.from(fig.querySelectorAll('circle.kr-point')).map((c) => c.dataset.value),\n\
                   mismatched: Array.from(fig.querySelectorAll('circle.kr-point-mismatch')).map((c) => c.dataset.date),\n\
                   bands: fig.querySelectorAll('.kr-band rect').length,\n\
                   role: svg.getAttribute('role'),\n\
                   title: svg.querySelector('title').textContent,\n\
                   desc: svg.querySelector('desc').textContent,\n\
                   rows: fig.querySelectorAll('table tbody tr').length,\n\
                 };",
            )
            .await;
        assert_eq!(
            chart["dates"],
            json!([
                "2026-09-01T14:06:55.000Z",
                "2026-10-06T09:35:40.000Z",
                "2026-11-10T10:18:30.000Z"
            ]),
            "{chart}"
        );
        assert_eq!(chart["values"], json!(["15", "11", "6"]), "{chart}");
        assert_eq!(chart["mismatched"], json!(["2026-11-10T10:18:30.000Z"]), "{chart}");
        assert_eq!(chart["bands"], 5, "{chart}");
        assert_eq!(chart["role"], "img", "{chart}");
        assert_eq!(chart["title"], "PHQ-9 total score", "{chart}");
        assert_eq!(chart["rows"], 3, "{chart}");
        assert!(
            chart["desc"]
                .as_str()
                .is_some_and(|d| d.contains("2026-09-01") && d.contains("15, 11, 6")),
            "{chart}"
        );
        let gad7 = in_results(&client,
                "return root.querySelectorAll('[data-trend=\"gad7/gad7_total\"] circle.kr-point').length;",
            )
            .await;
        assert_eq!(gad7, json!(2));

        // Every answer, with the declined one marked; the patient in the header.
        let declined = view
            .text("[data-item=\"substances\"] [data-declined]")
            .await;
        assert_eq!(declined.as_deref(), Some("Prefer not to say"));
        let patient = view.text("[data-patient]").await.unwrap_or_default();
        assert!(patient.contains("Alex Example") && patient.contains("RKC-0042"), "{patient}");

        let ready = wait_events(&client, "kap-ready", 1).await;
        let detail = &ready.last().expect("kap-ready")["detail"];
        assert_eq!(detail["responses"], SAMPLES.len(), "{detail}");
        assert_eq!(detail["mismatched"].as_array().map(Vec::len), Some(1), "{detail}");
        assert_eq!(detail["flags"]["safety"], 1, "{detail}");
    })
    .await;
}

#[tokio::test]
async fn print_media_hides_the_controls() {
    with_browser("results_print", |client| async move {
        open(&client, "results.html").await;
        show(
            &client,
            SAMPLES.iter().take(3).map(|(_, t)| parsed(t)).collect(),
        )
        .await;
        let view = Form::new(&client, "#results");
        wait_responses(&client, &view, 3).await;
        assert!(
            view.is_visible(".kr-controls").await,
            "controls hidden on screen"
        );
        assert!(view.is_visible("input[type=\"file\"]").await);

        // The adopted stylesheet has a print rule hiding the controls...
        let rule = in_results(
            &client,
            "for (const sheet of root.adoptedStyleSheets) {\n\
                   for (const rule of sheet.cssRules) {\n\
                     if (rule instanceof CSSMediaRule && rule.conditionText === 'print') {\n\
                       for (const inner of rule.cssRules) {\n\
                         if (inner.selectorText && inner.selectorText.includes('.kr-controls')\n\
                             && inner.style.display === 'none') return inner.cssText;\n\
                       }\n\
                     }\n\
                   }\n\
                 }\n\
                 return null;",
        )
        .await;
        assert!(rule.is_string(), "no @media print rule hides .kr-controls");

        // ...and with print media emulated, they are gone while the summary stays.
        client
            .issue_cmd(Cdp(json!({
                "cmd": "Emulation.setEmulatedMedia",
                "params": { "media": "print" }
            })))
            .await
            .expect("emulate print media");
        wait_for(
            "the controls to disappear in print",
            UPDATE_TIMEOUT,
            || async {
                if view.is_visible(".kr-controls").await {
                    Err("still visible".to_owned())
                } else {
                    Ok(())
                }
            },
        )
        .await;
        assert!(view.is_visible("[data-section=\"urgent-flags\"]").await);
        assert!(view.is_visible("[data-patient]").await);
        client
            .issue_cmd(Cdp(json!({
                "cmd": "Emulation.setEmulatedMedia",
                "params": { "media": "" }
            })))
            .await
            .expect("stop emulating print media");
    })
    .await;
}

#[tokio::test]
async fn files_chosen_or_dropped_are_read_in_the_browser() {
    with_browser("results_files", |client| async move {
        open(&client, "results.html").await;
        record_events(&client).await;
        let view = Form::new(&client, "#results");
        wait_for("the empty view", RENDER_TIMEOUT, || async {
            if view.exists("[data-empty]").await {
                Ok(())
            } else {
                Err(view.html().await)
            }
        })
        .await;

        // The file picker, as a clinician would use it (WebDriver types the paths).
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/results");
        let paths = [
            format!("{dir}/phq9-2026-09-01.json"),
            format!("{dir}/phq9-2026-10-06.json"),
        ];
        let input = view
            .query("input[type=\"file\"]")
            .await
            .expect("a file input");
        input
            .send_keys(&paths.join("\n"))
            .await
            .expect("choose files");
        wait_responses(&client, &view, 2).await;
        let sources = in_results(&client,
                "return Array.from(root.querySelectorAll('.kr-responses tbody tr'))\
                   .map((r) => r.dataset.response);",
            )
            .await;
        assert_eq!(
            sources,
            json!(["phq9-2026-10-06.json", "phq9-2026-09-01.json"]),
            "newest first"
        );

        // A drop on the element adds to them.
        run_js(
            &client,
            "const host = document.getElementById('results');\n\
             const data = new DataTransfer();\n\
             data.items.add(new File([arguments[0]], 'phq9-2026-11-10.json', { type: 'application/json' }));\n\
             data.items.add(new File(['not json'], 'notes.txt', { type: 'text/plain' }));\n\
             const target = host.shadowRoot.querySelector('.kr-controls');\n\
             for (const type of ['dragenter', 'dragover', 'drop']) {\n\
               target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, composed: true, cancelable: true }));\n\
             }",
            vec![json!(SAMPLES[0].1)],
        )
        .await;
        wait_responses(&client, &view, 3).await;
        assert!(view.exists("[data-integrity=\"mismatch\"]").await);
        assert_eq!(
            in_results(&client,
                "return root.querySelectorAll('[data-trend=\"phq9/phq9_total\"] circle.kr-point').length;"
            )
            .await,
            json!(3)
        );
        // Nothing was uploaded: the page made no request beyond its own files (and the
        // browser's favicon).
        let requests = run_js(
            &client,
            "return performance.getEntriesByType('resource')\
               .map((e) => e.name).filter((n) => !/kapforms|demo\\.(css|js)|favicon\\.ico/.test(n));",
            vec![],
        )
        .await;
        assert_eq!(requests, json!([]), "unexpected requests");
    })
    .await;
}

#[tokio::test]
async fn fhir_unknown_different_and_unreadable_responses() {
    with_browser("results_integrity", |client| async move {
        open(&client, "results.html").await;
        record_events(&client).await;
        let phq9 = kapforms_instruments::load("phq9")
            .expect("built in")
            .expect("valid");
        let stored = kapforms_core::Response::from_json(SAMPLES[5].1).expect("a response");
        let fhir = kapforms_core::fhir::questionnaire_response(&phq9, &stored);
        let mut unknown = parsed(SAMPLES[3].1);
        unknown["instrument"]["id"] = json!("clinic-mood-scale");
        let mut different = parsed(SAMPLES[1].1);
        different["instrument"]["content_hash"] = json!("sha256:0000");
        different["instrument"]["version"] = json!("0.9.0");
        show(
            &client,
            vec![fhir, unknown, different, json!("{ this is not JSON")],
        )
        .await;
        let view = Form::new(&client, "#results");
        wait_responses(&client, &view, 3).await;

        // The FHIR response was read back and re-scored, its safety flag recomputed.
        let flag = view
            .text("[data-flag=\"phq9_item9\"]")
            .await
            .unwrap_or_default();
        assert!(flag.contains("Several days"), "{flag}");
        assert!(
            view.exists(".kr-score-table [data-score=\"phq9_total\"]")
                .await
        );
        for integrity in ["unknown-definition", "different-definition", "unreadable"] {
            assert!(
                view.exists(&format!("[data-integrity=\"{integrity}\"]"))
                    .await,
                "{integrity} not marked: {}",
                view.html().await
            );
        }
        assert!(!view.exists("[data-integrity=\"mismatch\"]").await);
        let errors = wait_events(&client, "kap-error", 1).await;
        assert_eq!(
            errors[0]["detail"]["code"], "response-unreadable",
            "{errors:?}"
        );
        let ready = wait_events(&client, "kap-ready", 1).await;
        let detail = &ready.last().expect("kap-ready")["detail"];
        assert_eq!(detail["unknownDefinition"], json!(["page 2"]), "{detail}");
        assert_eq!(detail["differentDefinition"], json!(["page 3"]), "{detail}");
        assert_eq!(detail["unreadable"], json!(["page 4"]), "{detail}");
    })
    .await;
}

#[tokio::test]
async fn the_clinician_page_shows_what_the_patient_page_submitted() {
    with_browser("results_demo", |client| async move {
        open(&client, "index.html").await;
        let form = Form::new(&client, "kap-form");
        form.wait_rendered().await;
        let items = [
            "phq9_1", "phq9_2", "phq9_3", "phq9_4", "phq9_5", "phq9_6", "phq9_7", "phq9_8",
            "phq9_9",
        ];
        let answers: Vec<(&str, &str)> = items.iter().map(|item| (*item, "3")).collect();
        form.answer_all(&answers).await;
        form.submit().await;
        kapforms_e2e::wait_for_received_response(&client).await;

        open(&client, "clinician.html").await;
        let view = Form::new(&client, "#results");
        wait_responses(&client, &view, SAMPLES.len() + 1).await;
        // The submitted response is the newest: 27 of 27, with its safety flag.
        let newest = in_results(&client,
                "const row = root.querySelector('.kr-score-table tr[data-score=\"phq9_total\"]');\n\
                 return row ? row.textContent : null;",
            )
            .await;
        assert!(
            newest.as_str().is_some_and(|t| t.contains("27") && t.contains("Severe")),
            "{newest}"
        );
        let safety = in_results(&client, "return root.querySelectorAll('[data-flag=\"phq9_item9\"]').length;")
            .await;
        assert_eq!(safety, json!(2), "the sample's and the submitted one's");
        let points = in_results(&client,
                "return root.querySelectorAll('[data-trend=\"phq9/phq9_total\"] circle.kr-point').length;",
            )
            .await;
        assert_eq!(points, json!(4));
        tokio::time::sleep(Duration::from_millis(10)).await;
    })
    .await;
}

/// A stored score with a long fraction is shown as stored, to the last digit. The mean of
/// eleven yes/no items with one yes is 1/11, which a response writes `0.09090909090909091`;
/// serde_json's default number parser reads that as 0.09090909090909093. A response whose
/// definition the view does not have is shown with its stored scores, so a view reading with
/// that parser would show the clinician a number the response does not hold. The clinician's
/// bundle reads numbers exactly (serde_json's `float_roundtrip`, which `kapforms-embed`'s
/// feature `custom` turns on for the bundles that read numbers back; the patient's bundle of
/// built-ins leaves it out).
#[tokio::test]
async fn a_stored_score_with_a_long_fraction_is_read_back_exactly() {
    with_browser("results_long_fraction", |client| async move {
        open(&client, "results.html").await;
        let items: Vec<Value> = (1..=11)
            .map(|n| {
                json!({"id": format!("d{n}"), "type": "yes_no", "yes_score": 1, "no_score": 0,
                       "text": format!("In the past week, was day-to-day task {n} hard to do?")})
            })
            .collect();
        let ids: Vec<String> = (1..=11).map(|n| format!("d{n}")).collect();
        let definition = json!({
            "format": "kapforms-definition", "schema_version": 1, "id": "clinic-daily-tasks",
            "version": "1", "title": "Daily tasks",
            "sections": [{"id": "tasks", "title": "Daily tasks", "items": items}],
            "scores": [{"id": "share_hard", "label": "Share of tasks that were hard",
                        "method": "mean", "items": ids}]
        });
        let questionnaire = std::sync::Arc::new(
            kapforms_core::Questionnaire::from_json(&definition.to_string()).expect("valid"),
        );
        let mut session = kapforms_core::Session::new(questionnaire);
        for n in 1..=11 {
            let answer = kapforms_core::AnswerValue::Bool(n == 1);
            session
                .set_answer(&format!("d{n}"), Some(answer))
                .expect("an answer");
        }
        let response = session.response(
            kapforms_core::Status::Completed,
            kapforms_core::Timestamps {
                updated_at: "2026-11-20T10:00:00Z".into(),
                completed_at: Some("2026-11-20T10:00:00Z".into()),
                ..kapforms_core::Timestamps::default()
            },
        );
        assert_eq!(response.scores[0].value, 1.0 / 11.0);
        let stored = parsed(&response.to_json());
        assert_eq!(
            stored["scores"][0]["value"].to_string(),
            "0.09090909090909091",
            "the stored value has seventeen significant digits"
        );
        run_js(
            &client,
            "const results = document.getElementById('results');\n\
             results.definitions = [];\n\
             results.responses = [arguments[0]];",
            vec![stored],
        )
        .await;
        let view = Form::new(&client, "#results");
        wait_responses(&client, &view, 1).await;
        let score = view
            .text("[data-score=\"share_hard\"] strong")
            .await
            .unwrap_or_default();
        assert_eq!(score.trim(), "0.09090909090909091", "{}", view.html().await);
        assert!(
            view.exists("[data-integrity=\"unknown-definition\"]").await,
            "shown as scored without its definition: {}",
            view.html().await
        );
    })
    .await;
}
