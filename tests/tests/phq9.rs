//! Browser end-to-end tests of the PHQ-9 demo pages in headless Chromium:
//! a patient clicks answers inside `<kap-form>`'s shadow root, sees the live
//! total and the safety message, submits, and the host page receives the
//! response and the widget's events. Run through `cargo xtask test`, which
//! serves the built site and starts ChromeDriver (one test at a time).

use kapforms_e2e::{
    host_events, host_received, host_saw, open, wait_for_host_event, wait_for_received_response,
    with_browser, Form, RENDER_TIMEOUT, UPDATE_TIMEOUT,
};
use serde_json::Value;
use std::time::Duration;

/// The nine scored PHQ-9 items, in order.
const ITEMS: [&str; 9] = [
    "phq9_1", "phq9_2", "phq9_3", "phq9_4", "phq9_5", "phq9_6", "phq9_7", "phq9_8", "phq9_9",
];

/// Pairs each PHQ-9 item with the answer code at the same position.
fn answers<'a>(codes: &[&'a str; 9]) -> Vec<(&'static str, &'a str)> {
    ITEMS.iter().copied().zip(codes.iter().copied()).collect()
}

/// The `phq9_total` score of a received response (checked to be the first).
fn total_score(response: &Value) -> &Value {
    let score = &response["scores"][0];
    assert_eq!(score["id"], "phq9_total", "scores[0] in {response:#}");
    score
}

#[tokio::test]
async fn answering_phq9_shows_total_and_safety_message_and_submits() {
    with_browser("phq9_moderately_severe", |client| async move {
        open(&client, "index.html").await;
        let form = Form::new(&client, "kap-form");
        form.wait_rendered().await;

        let codes = ["1", "2", "3", "1", "2", "3", "1", "2", "1"];
        form.answer_all(&answers(&codes)).await;
        form.wait_total("16").await;
        form.wait_visible("[data-crisis]").await;

        form.submit().await;
        let response = wait_for_received_response(&client).await;
        assert_eq!(response["format"], "kapforms-response", "{response:#}");
        assert_eq!(response["instrument"]["id"], "phq9", "{response:#}");
        assert_eq!(response["status"], "completed", "{response:#}");
        for (item, code) in answers(&codes) {
            assert_eq!(response["answers"][item], code, "{item} in {response:#}");
        }
        let total = total_score(&response);
        assert_eq!(total["value"], 16, "{response:#}");
        assert_eq!(total["band"], "Moderately severe", "{response:#}");
        let flags = response["flags"]
            .as_array()
            .unwrap_or_else(|| panic!("no flags array in {response:#}"));
        assert!(
            flags
                .iter()
                .any(|f| f["id"] == "phq9_item9" && f["severity"] == "safety"),
            "no phq9_item9 safety flag in {response:#}"
        );

        for event in ["kap-ready", "kap-change", "kap-submit"] {
            wait_for_host_event(&client, event, UPDATE_TIMEOUT).await;
        }
    })
    .await;
}

#[tokio::test]
async fn all_zeros_is_minimal_without_flags_or_safety_message() {
    with_browser("phq9_all_zeros", |client| async move {
        open(&client, "index.html").await;
        let form = Form::new(&client, "kap-form");
        form.wait_rendered().await;

        form.answer_all(&answers(&["0"; 9])).await;
        form.wait_total("0").await;
        assert!(
            !form.is_visible("[data-crisis]").await,
            "a safety message shows with item 9 = 0: {}",
            form.html().await
        );

        form.submit().await;
        let response = wait_for_received_response(&client).await;
        assert_eq!(response["status"], "completed", "{response:#}");
        let total = total_score(&response);
        assert_eq!(total["value"], 0, "{response:#}");
        assert_eq!(total["band"], "Minimal", "{response:#}");
        let no_flags = match &response["flags"] {
            Value::Null => true,
            Value::Array(flags) => flags.is_empty(),
            _ => false,
        };
        assert!(no_flags, "flags raised for all zeros: {response:#}");
        assert!(
            !form.exists("[data-crisis]").await,
            "[data-crisis] present after submitting all zeros"
        );
    })
    .await;
}

#[tokio::test]
async fn submitting_an_incomplete_form_shows_errors_and_emits_nothing() {
    with_browser("phq9_incomplete", |client| async move {
        open(&client, "index.html").await;
        let form = Form::new(&client, "kap-form");
        form.wait_rendered().await;

        form.answer("phq9_1", "2").await;
        form.submit().await;
        form.wait_visible("[data-error-summary]").await;
        // Each unanswered question is marked for the eye too (the stylesheet's rule on
        // `data-invalid`), and the answered one is not.
        let marked = form
            .eval(
                "const edge = (id) => getComputedStyle(root.querySelector(`[data-item=\"${id}\"]`))\n\
                   .borderLeftWidth;\n\
                 return { marked: root.querySelectorAll('[data-item][data-invalid]').length,\n\
                   unanswered: edge('phq9_2'), answered: edge('phq9_1') };",
            )
            .await;
        assert_eq!(
            marked,
            serde_json::json!({"marked": 8, "unanswered": "4px", "answered": "0px"})
        );

        // Give a wrongly emitted event time to arrive before checking.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let received = host_received(&client).await;
        assert!(
            received.trim().is_empty(),
            "the host received a response from an incomplete form: {received}"
        );
        assert!(
            !host_saw(&client, "kap-submit").await,
            "kap-submit emitted for an incomplete form: {:?}",
            host_events(&client).await
        );
    })
    .await;
}

#[tokio::test]
async fn an_unknown_instrument_shows_an_error_and_tells_the_host() {
    with_browser("unknown_instrument", |client| async move {
        open(&client, "errors.html").await;
        let form = Form::new(&client, "kap-form");
        let message = kapforms_e2e::wait_for(
            "an [data-error] message in the widget",
            RENDER_TIMEOUT,
            || async {
                match form.text("[data-error]").await {
                    Some(text) if !text.is_empty() => Ok(text),
                    _ => Err(format!("shadow root: {}", form.html().await)),
                }
            },
        )
        .await;
        assert!(
            message.contains("no-such-instrument"),
            "[data-error] does not name the instrument: {message:?}"
        );
        wait_for_host_event(&client, "kap-error", UPDATE_TIMEOUT).await;
    })
    .await;
}

#[tokio::test]
async fn two_forms_on_one_page_are_independent() {
    with_browser("two_forms", |client| async move {
        open(&client, "two-forms.html").await;
        let a = Form::new(&client, "#a");
        let b = Form::new(&client, "#b");
        a.wait_rendered().await;
        b.wait_rendered().await;
        let b_before = b.total().await;

        a.answer("phq9_1", "3").await;
        a.wait_total("3").await;
        a.answer("phq9_2", "2").await;
        a.wait_total("5").await;

        assert_eq!(
            b.total().await,
            b_before,
            "b's total changed with a's answers"
        );
        for code in ["0", "1", "2", "3"] {
            assert!(
                !b.is_checked("phq9_1", code).await,
                "b's phq9_1 = {code} got checked by clicking in a"
            );
        }
    })
    .await;
}
