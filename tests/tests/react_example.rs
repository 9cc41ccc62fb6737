//! The React example (`www/react/`), in headless Chromium: a small React 19 app, bundled by
//! esbuild with the kapforms npm package when the site is built, renders
//! `<kap-form instrument="phq9">`; a patient completes it, and the app shows what arrived in
//! `kap-submit`. The site's strict Content-Security-Policy holds: the console reports no
//! violation.

use kapforms_e2e::{
    assert_no_policy_message_in_the_console, open, run_js, wait_for, with_browser, Form,
    UPDATE_TIMEOUT,
};
use serde_json::Value;

#[tokio::test]
async fn the_react_app_renders_the_form_and_receives_the_submission() {
    with_browser("react_example", |client| async move {
        open(&client, "react/index.html").await;
        let form = Form::new(&client, "#react-form");
        form.wait_rendered().await;
        // React renders the element; the bundled kapforms defined it.
        let defined = run_js(&client, "return !!customElements.get('kap-form');", vec![]).await;
        assert_eq!(defined, Value::Bool(true));
        for (item, code) in [
            ("phq9_1", "2"),
            ("phq9_2", "1"),
            ("phq9_3", "1"),
            ("phq9_4", "0"),
            ("phq9_5", "0"),
            ("phq9_6", "1"),
            ("phq9_7", "0"),
            ("phq9_8", "0"),
            ("phq9_9", "0"),
        ] {
            form.answer(item, code).await;
        }
        form.submit().await;
        let status = wait_for("the React app's state", UPDATE_TIMEOUT, || async {
            let text = run_js(
                &client,
                "return document.getElementById('react-status').textContent;",
                vec![],
            )
            .await;
            match text.as_str() {
                Some(text) if text.contains("completed") => Ok(text.to_owned()),
                other => Err(format!("{other:?}")),
            }
        })
        .await;
        assert_eq!(
            status,
            "A completed response (FHIR QuestionnaireResponse), total 5."
        );
        let received = kapforms_e2e::wait_for_received_response(&client).await;
        assert_eq!(received["format"], "kapforms-response");
        assert_eq!(received["answers"]["phq9_1"], "2");
        assert_eq!(received["scores"][0]["value"], 5);

        assert_no_policy_message_in_the_console(&client).await;
    })
    .await;
}
