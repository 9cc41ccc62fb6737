//! Every built-in instrument in a real `<kap-form>` in headless Chromium: it renders, a patient
//! can answer every question shown (questions revealed by earlier answers included) and submit,
//! crisis resources appear before submit whenever the answers raise a safety flag, and the
//! response the host receives re-scores cleanly with kapforms-core. Skeletons of licensed
//! instruments show a message until the clinic's text pack arrives. Also: `dist/` works from
//! a folder other than the site root with only a script tag and the element.

use std::time::Duration;

use kapforms_core::{verify, Response, Severity};
use kapforms_e2e::instruments_page::{answer_next, create_form, placeholder_pack};
use kapforms_e2e::{
    open, wait_for, wait_for_received_response, with_browser, Form, RENDER_TIMEOUT,
};

#[tokio::test]
async fn every_built_in_instrument_renders_and_submits() {
    with_browser("every_instrument", |client| async move {
        for builtin in kapforms_instruments::ALL {
            let questionnaire =
                kapforms_instruments::parse(builtin.json).expect("built-in is valid");
            let pack = questionnaire
                .restricted_text
                .then(|| placeholder_pack(&questionnaire));
            let filled = match &pack {
                Some(pack) => questionnaire.with_text_pack(pack).expect("pack fits"),
                None => questionnaire.clone(),
            };
            open(&client, "instruments.html").await;
            create_form(&client, builtin.id, pack.as_ref()).await;
            let form = Form::new(&client, "#f");
            form.wait_rendered().await;

            let mut answers = 0;
            while answer_next(&client, true).await {
                answers += 1;
                assert!(answers < 200, "{}: answering does not end", builtin.id);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            assert!(answers > 0, "{}: nothing to answer", builtin.id);
            let crisis_before_submit = form.exists("[data-crisis]").await;

            form.submit().await;
            let received = wait_for_received_response(&client).await;
            let response = Response::from_json(&received.to_string())
                .unwrap_or_else(|e| panic!("{}: not a native response: {e}", builtin.id));
            assert_eq!(response.instrument.id, builtin.id);
            assert_eq!(response.status, kapforms_core::Status::Completed);
            let verification = verify(&filled, &response);
            assert!(
                verification.is_consistent() && verification.content_hash_matches,
                "{}: {:?}",
                builtin.id,
                verification.mismatches
            );
            let safety = response
                .flags
                .iter()
                .any(|f| f.severity == Severity::Safety);
            assert_eq!(
                crisis_before_submit, safety,
                "{}: crisis resources before submit must match a safety flag",
                builtin.id
            );
        }
    })
    .await;
}

#[tokio::test]
async fn a_skeleton_without_licensed_wording_explains_and_tells_the_host() {
    with_browser("skeleton_without_text", |client| async move {
        open(&client, "instruments.html").await;
        create_form(&client, "cssrs", None).await;
        let form = Form::new(&client, "#f");
        let message = wait_for("the licensed-wording message", RENDER_TIMEOUT, || async {
            form.text("[data-error]")
                .await
                .ok_or_else(|| "no message yet".to_owned())
        })
        .await;
        assert!(message.contains("licensed"), "{message}");
        assert!(
            !form.exists("fieldset[data-item]").await,
            "no question without wording"
        );
        kapforms_e2e::wait_for_host_event(&client, "kap-error", RENDER_TIMEOUT).await;
    })
    .await;
}

#[tokio::test]
async fn dist_works_from_a_subfolder_with_only_the_script_and_the_element() {
    with_browser("dist_example", |client| async move {
        open(&client, "dist/example.html").await;
        let form = Form::new(&client, "kap-form");
        form.wait_rendered().await;
        assert!(form.exists("input[type=\"radio\"][value=\"0\"]").await);
    })
    .await;
}
