//! No lost answers when the WebAssembly side fails: on the test page (whose copy of dist has a
//! deliberate panic hook, built only for these tests), a patient answers some questions, the
//! module traps, and the form is replaced by a message with a "download my answers" link whose
//! file holds every answer given; the host receives `kap-error` with code `crashed`. And when
//! the module cannot be loaded at all, the element shows a calm, styled message and the host
//! receives `kap-error` with code `load-failed`.

use kapforms_e2e::{
    open, run_js, wait_for, wait_for_host_event, with_browser, Form, RENDER_TIMEOUT,
};
use serde_json::Value;

#[tokio::test]
async fn a_trap_offers_the_answers_as_a_download_and_tells_the_host() {
    with_browser("no_lost_answers", |client| async move {
        open(&client, "crash.html").await;
        let form = Form::new(&client, "#demo-form");
        form.wait_rendered().await;
        form.answer("phq9_1", "2").await;
        form.answer("phq9_2", "1").await;
        form.answer("phq9_3", "3").await;

        // Trap the module from a task of its own, as an event handler's panic would.
        run_js(
            &client,
            "import('./dist-test/kapforms.js')\n\
               .then((loader) => loader.loadModule('form'))\n\
               .then((wasm) => { setTimeout(() => wasm.testPanic(), 0); });",
            vec![],
        )
        .await;
        form.wait_present("[data-crashed]", RENDER_TIMEOUT).await;
        wait_for_host_event(&client, "kap-error", RENDER_TIMEOUT).await;
        let saved = run_js(
            &client,
            "const link = document.getElementById('demo-form').shadowRoot\n\
               .querySelector('[data-action=\"download-answers\"]');\n\
             return link ? link.href : null;",
            vec![],
        )
        .await;
        let href = saved.as_str().expect("a download link").to_owned();
        let encoded = href
            .strip_prefix("data:application/json;charset=utf-8,")
            .unwrap_or_else(|| panic!("{href}: the file is made in the page"));
        let text = run_js(
            &client,
            "return decodeURIComponent(arguments[0]);",
            vec![Value::from(encoded)],
        )
        .await;
        let response: Value =
            serde_json::from_str(text.as_str().expect("text")).expect("the file is JSON");
        assert_eq!(response["answers"]["phq9_1"], "2", "{response}");
        assert_eq!(response["answers"]["phq9_2"], "1", "{response}");
        assert_eq!(response["answers"]["phq9_3"], "3", "{response}");
    })
    .await;
}

/// Waits for the load-failure message in `<kap-form id="failing">` and returns its text, the
/// number of stylesheets its shadow root adopted, the element's `display`, whether any
/// question is shown, and the `kap-error` details the page recorded.
async fn wait_load_failure_message(client: &fantoccini::Client) -> Value {
    wait_for("the load-failure message", RENDER_TIMEOUT, || async {
        let state = run_js(
            client,
            "const f = document.getElementById('failing');\n\
             const box = f && f.shadowRoot && f.shadowRoot.querySelector('[role=alert][data-error]');\n\
             return box ? { text: box.textContent, sheets: f.shadowRoot.adoptedStyleSheets.length,\n\
               display: getComputedStyle(f).display, errors: window.__errors,\n\
               questions: f.shadowRoot.querySelectorAll('[data-item]').length } : null;",
            vec![],
        )
        .await;
        if state.is_null() {
            Err("no message yet".to_owned())
        } else {
            Ok(state)
        }
    })
    .await
}

/// Runs `patch` (which replaces `window.fetch`), then imports the loader and adds a PHQ-9
/// `<kap-form id="failing">`, recording `kap-error` details in `window.__errors`.
async fn load_phq9_after(client: &fantoccini::Client, patch: &str) {
    run_js(
        client,
        &format!(
            "window.__errors = [];\n\
             document.addEventListener('kap-error', (e) => window.__errors.push(e.detail));\n\
             {patch}\n\
             import('./dist/kapforms.js').then(() => {{\n\
               const form = document.createElement('kap-form');\n\
               form.id = 'failing'; form.setAttribute('instrument', 'phq9');\n\
               document.getElementById('forms').append(form);\n\
             }});"
        ),
        vec![],
    )
    .await;
}

const LOAD_FAILED: &str =
    "This questionnaire could not be loaded. Please reload the page, or contact your clinic.";

#[tokio::test]
async fn a_module_that_cannot_load_shows_a_calm_styled_message_and_tells_the_host() {
    with_browser("load_failure", |client| async move {
        open(&client, "load-failure.html").await;
        // The network fails (as offline, or a blocked file would), then the loader arrives.
        load_phq9_after(
            &client,
            "window.fetch = () => Promise.reject(new TypeError('offline'));",
        )
        .await;
        let shown = wait_load_failure_message(&client).await;
        assert_eq!(shown["text"], LOAD_FAILED, "{shown}");
        // The widget's stylesheet is adopted before the module is awaited: the message is
        // styled (`:host { display: block }`) although no WebAssembly ever ran.
        assert_eq!(shown["sheets"], 1, "{shown}");
        assert_eq!(shown["display"], "block", "{shown}");
        assert_eq!(shown["errors"][0]["code"], "load-failed", "{shown}");
    })
    .await;
}

/// The built-ins' files are pinned like the module: a definition whose bytes are not the
/// build's (here the GAD-7's file served for the PHQ-9's) fails its integrity check, and the
/// patient sees the calm message, never a different questionnaire.
#[tokio::test]
async fn a_builtin_file_that_fails_its_integrity_check_is_not_shown() {
    with_browser("definition_integrity", |client| async move {
        open(&client, "load-failure.html").await;
        load_phq9_after(
            &client,
            "const realFetch = window.fetch;\n\
             window.fetch = (url, init) => realFetch(\n\
               String(url).replace('/instruments/phq9.json', '/instruments/gad7.json'), init);",
        )
        .await;
        let shown = wait_load_failure_message(&client).await;
        assert_eq!(shown["text"], LOAD_FAILED, "{shown}");
        assert_eq!(shown["questions"], 0, "{shown}");
        assert_eq!(shown["errors"][0]["code"], "load-failed", "{shown}");
        // The module itself loaded: the failure is the definition's alone.
        let module_loaded = run_js(
            &client,
            "return performance.getEntriesByType('resource')\n\
               .some((e) => e.name.endsWith('/dist/kapforms_form_bg.wasm'));",
            vec![],
        )
        .await;
        assert_eq!(module_loaded, true);
    })
    .await;
}
