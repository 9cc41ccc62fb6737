//! The `<kap-form>` element's contract with its host page, in headless Chromium: every event
//! (`kap-ready`, `kap-change`, `kap-page`, `kap-validity`, `kap-submit`, `kap-error`) with its
//! `detail`,
//! the methods `getResponse()`, `validate()` and `reset()`, an attribute change re-rendering in
//! place, removal unmounting, and a clinic's own definition given as a child
//! `<script type="application/json">` or as the `definition` property (a broken one names the
//! path of its error).

use std::time::Duration;

use kapforms_e2e::{open, run_js, wait_for, with_browser, Form, RENDER_TIMEOUT, UPDATE_TIMEOUT};
use serde_json::{json, Value};

/// Starts recording every kap-* event's name, target id and detail in `window.__kapEvents`.
async fn record_events(client: &fantoccini::Client) {
    run_js(
        client,
        "window.__kapEvents = [];\n\
         for (const name of ['kap-ready','kap-change','kap-page','kap-validity','kap-submit','kap-error']) {\n\
           document.addEventListener(name, (e) => window.__kapEvents.push(\n\
             { name, target: e.target.id, detail: e.detail, bubbles: e.bubbles, composed: e.composed }));\n\
         }",
        vec![],
    )
    .await;
}

async fn events(client: &fantoccini::Client, name: &str, target: &str) -> Vec<Value> {
    let all = run_js(client, "return window.__kapEvents || [];", vec![]).await;
    all.as_array()
        .map(|list| {
            list.iter()
                .filter(|e| e["name"] == name && e["target"] == target)
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

async fn wait_events(
    client: &fantoccini::Client,
    name: &str,
    target: &str,
    count: usize,
) -> Vec<Value> {
    wait_for(
        &format!("{count} {name} event(s) from #{target}"),
        UPDATE_TIMEOUT,
        || async {
            let seen = events(client, name, target).await;
            if seen.len() >= count {
                Ok(seen)
            } else {
                Err(format!("{} so far", seen.len()))
            }
        },
    )
    .await
}

async fn call(client: &fantoccini::Client, target: &str, method: &str) -> Value {
    run_js(
        client,
        &format!("return document.getElementById(arguments[0]).{method}();"),
        vec![json!(target)],
    )
    .await
}

#[tokio::test]
async fn events_methods_and_attribute_changes() {
    with_browser("host_api", |client| async move {
        open(&client, "host-api.html").await;
        // Let the page's own element finish mounting (its kap-ready must not be counted), then
        // record from the start by re-creating the element after the listeners exist.
        Form::new(&client, "#api").wait_rendered().await;
        record_events(&client).await;
        run_js(
            &client,
            "const old = document.getElementById('api');\n\
             const fresh = document.createElement('kap-form');\n\
             fresh.id = 'api'; fresh.setAttribute('instrument', 'phq9');\n\
             old.replaceWith(fresh);",
            vec![],
        )
        .await;
        let form = Form::new(&client, "#api");
        form.wait_rendered().await;
        let ready = wait_events(&client, "kap-ready", "api", 1).await;
        assert_eq!(ready[0]["detail"]["instrument"], "phq9");
        assert_eq!(ready[0]["bubbles"], true);
        assert_eq!(ready[0]["composed"], true);

        // Nothing answered: invalid, nine missing, and the patient is shown what is missing.
        let validity = call(&client, "api", "validate").await;
        assert_eq!(validity["valid"], false, "{validity}");
        assert_eq!(
            validity["missing"].as_array().map(Vec::len),
            Some(9),
            "{validity}"
        );
        form.wait_visible("[data-error-summary]").await;

        form.answer("phq9_1", "2").await;
        let changes = wait_events(&client, "kap-change", "api", 1).await;
        let response = &changes[0]["detail"]["response"];
        assert_eq!(response["status"], "in-progress");
        assert_eq!(response["answers"]["phq9_1"], "2");
        let validity = wait_events(&client, "kap-validity", "api", 1).await;
        assert_eq!(
            validity[0]["detail"]["missing"].as_array().map(Vec::len),
            Some(8)
        );

        let current = call(&client, "api", "getResponse").await;
        assert_eq!(current["format"], "kapforms-response");
        // kap-ready names the definition the responses are built from, and both carry the
        // PHQ-9's content hash as core computes it from the file here (the form takes a
        // built-in's from its build, so this checks the build's).
        let phq9 = kapforms_instruments::load("phq9")
            .expect("built in")
            .expect("valid");
        assert_eq!(
            ready[0]["detail"]["content_hash"], current["instrument"]["content_hash"],
            "{ready:?}"
        );
        assert_eq!(current["instrument"]["content_hash"], phq9.content_hash());
        assert_eq!(current["scores"][0]["value"], 2);
        assert_eq!(current["scores"][0]["complete"], false);

        for item in 2..=9 {
            form.answer(&format!("phq9_{item}"), "0").await;
        }
        let validity = call(&client, "api", "validate").await;
        assert_eq!(validity, json!({"valid": true, "missing": []}));
        assert!(
            events(&client, "kap-page", "api").await.is_empty(),
            "no kap-page before the patient moves"
        );
        form.submit().await;
        let submitted = wait_events(&client, "kap-submit", "api", 1).await;
        // Continue led to "check your answers", submitting to the confirmation: one kap-page
        // each, bubbling and composed, saying where the patient is.
        let pages = wait_events(&client, "kap-page", "api", 2).await;
        let details: Vec<&Value> = pages.iter().map(|e| &e["detail"]).collect();
        assert_eq!(
            details,
            [
                &json!({"page": "review", "section": null, "index": 2, "count": 2}),
                &json!({"page": "done", "section": null, "index": 2, "count": 2}),
            ],
            "{pages:?}"
        );
        assert_eq!(pages[0]["bubbles"], true);
        assert_eq!(pages[0]["composed"], true);
        let response = &submitted[0]["detail"]["response"];
        assert_eq!(response["status"], "completed");
        assert_eq!(response["scores"][0]["value"], 2);
        let fhir = &submitted[0]["detail"]["fhir"];
        assert_eq!(fhir["resourceType"], "QuestionnaireResponse", "{fhir}");
        assert_eq!(fhir["status"], "completed");
        assert!(
            fhir["questionnaire"]
                .as_str()
                .is_some_and(|q| q.ends_with("phq9|1.0.0")),
            "{fhir}"
        );
        assert_eq!(
            call(&client, "api", "getResponse").await["status"],
            "completed"
        );

        // reset() clears every answer.
        call(&client, "api", "reset").await;
        form.wait_rendered().await;
        wait_for("reset to clear the answers", UPDATE_TIMEOUT, || async {
            let current = call(&client, "api", "getResponse").await;
            if current["answers"] == json!({}) && current["status"] == "in-progress" {
                Ok(())
            } else {
                Err(current.to_string())
            }
        })
        .await;

        // Changing the attribute re-renders in place with the other instrument.
        run_js(
            &client,
            "document.getElementById('api').setAttribute('instrument', 'gad7');",
            vec![],
        )
        .await;
        wait_for("the GAD-7 to replace the PHQ-9", RENDER_TIMEOUT, || async {
            if form.exists("[data-item='gad7_1']").await
                && !form.exists("[data-item='phq9_1']").await
            {
                Ok(())
            } else {
                Err(form.html().await)
            }
        })
        .await;
        let ready = wait_events(&client, "kap-ready", "api", 2).await;
        assert_eq!(
            ready.last().map(|e| &e["detail"]["instrument"]),
            Some(&json!("gad7")),
            "{ready:?}"
        );

        // Removing the element unmounts the widget; putting it back mounts it again.
        let emptied = run_js(
            &client,
            "const f = document.getElementById('api');\n\
             const parent = f.parentNode; f.remove();\n\
             const empty = f.shadowRoot.querySelector('.kf-mount') === null;\n\
             window.__removed = f; return empty;",
            vec![],
        )
        .await;
        assert_eq!(emptied, Value::Bool(true), "removal unmounts the form");
        run_js(
            &client,
            "document.getElementById('forms').append(window.__removed);",
            vec![],
        )
        .await;
        form.wait_rendered().await;
    })
    .await;
}

#[tokio::test]
async fn a_clinic_definition_from_a_child_script_or_the_definition_property() {
    with_browser("custom_definition", |client| async move {
        open(&client, "host-api.html").await;
        let custom = Form::new(&client, "#custom");
        custom.wait_rendered().await;
        assert!(custom.exists("[data-item='ride'] input[value='no']").await);
        custom.answer("slept", "yes").await;
        custom.answer("ride", "no").await;
        let response = call(&client, "custom", "getResponse").await;
        assert_eq!(response["instrument"]["id"], "clinic-checkin");
        assert_eq!(response["answers"]["ride"], false);
        assert_eq!(response["flags"][0]["id"], "no_ride");

        // A broken definition set as a property: a message naming the path, and kap-error.
        record_events(&client).await;
        run_js(
            &client,
            "const f = document.getElementById('custom');\n\
             f.definition = { format: 'kapforms-definition', schema_version: 1, id: 'broken',\n\
               version: '1', title: 'Broken', sections: [{ id: 's', title: 'S', items: [\n\
                 { id: 'q', type: 'single_choice', text: 'Pick one', options: 'missing_set' }] }] };",
            vec![],
        )
        .await;
        let message = wait_for("the definition error", RENDER_TIMEOUT, || async {
            custom.text("[data-error]").await.ok_or_else(|| "no message".to_owned())
        })
        .await;
        assert!(message.contains("sections[0].items[0].options"), "{message}");
        let errors = wait_events(&client, "kap-error", "custom", 1).await;
        assert_eq!(errors[0]["detail"]["code"], "definition-invalid");
        assert!(
            errors[0]["detail"]["details"][0]
                .as_str()
                .is_some_and(|d| d.contains("no option set is named `missing_set`")),
            "{}",
            errors[0]
        );

        // A valid definition set as a property replaces the message with its form, in place,
        // and goes before the child script; its Continue and Back dispatch kap-page.
        run_js(
            &client,
            "const f = document.getElementById('custom');\n\
             f.definition = { format: 'kapforms-definition', schema_version: 1, id: 'two-steps',\n\
               version: '1', title: 'Two steps', sections: [\n\
                 { id: 'first', title: 'First', items: [\n\
                   { id: 'calm', type: 'yes_no', text: 'Do you feel calm today?', required: true }] },\n\
                 { id: 'second', title: 'Second', items: [\n\
                   { id: 'fed', type: 'yes_no', text: 'Have you eaten today?' }] }] };",
            vec![],
        )
        .await;
        custom.wait_rendered().await;
        let ready = wait_events(&client, "kap-ready", "custom", 1).await;
        assert_eq!(ready[0]["detail"]["instrument"], "two-steps");
        assert!(custom.exists("[data-item='calm']").await);
        assert!(!custom.exists("[data-item='ride']").await);
        let pages = wait_events(&client, "kap-page", "custom", 1).await;
        assert_eq!(
            pages[0]["detail"],
            json!({"page": "section", "section": "first", "index": 1, "count": 3}),
            "Start now opens the first section"
        );
        custom.answer("calm", "yes").await;
        custom
            .query("button[data-action='next']")
            .await
            .expect("Continue")
            .click()
            .await
            .expect("click Continue");
        let pages = wait_events(&client, "kap-page", "custom", 2).await;
        assert_eq!(
            pages[1]["detail"],
            json!({"page": "section", "section": "second", "index": 2, "count": 3})
        );
        let response = call(&client, "custom", "getResponse").await;
        assert_eq!(response["instrument"]["id"], "two-steps");
        assert_eq!(
            ready[0]["detail"]["content_hash"],
            response["instrument"]["content_hash"]
        );
        assert_eq!(response["answers"]["calm"], true);
        tokio::time::sleep(Duration::from_millis(1)).await;
    })
    .await;
}
