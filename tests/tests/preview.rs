//! The preview in the browser: while the module downloads and compiles (held back here until
//! the test releases it), a `<kap-form instrument="phq9">` shows the PHQ-9's first page from
//! `dist/instruments/preview/`, inert, so nothing can be answered before the live form keeps
//! it; once the module has drawn, the live form has taken its place with the same markup and
//! works. A form the preview was not rendered for (an option set) fetches none, and a Spanish
//! one the Spanish preview. The module is compiled only once the preview has been shown (its
//! start-up holds the main thread); on a fast connection it is not even requested before. A
//! preview that does not come does not hold the form.

use kapforms_e2e::{
    import_loader_and_add_forms, open, run_js, wait_for, with_browser, Form, RENDER_TIMEOUT,
    UPDATE_TIMEOUT,
};
use serde_json::{json, Value};

/// A script that holds every fetch whose URL (a string `url`) passes `test` (a JavaScript
/// expression) until the page calls `window.<release>()`.
fn hold_fetches(test: &str, release: &str) -> String {
    format!(
        "let release;\n\
         const held = new Promise((resolve) => {{ release = resolve; }});\n\
         window.{release} = () => release();\n\
         const realFetch = window.fetch;\n\
         window.fetch = (url, init) => ((url) => {test})(String(url))\n\
           ? held.then(() => realFetch(url, init)) : realFetch(url, init);\n"
    )
}

/// Holds every `.wasm` fetch until `window.releaseModule()`, imports the loader and adds a
/// `<kap-form id="f" instrument="phq9">` with `attributes` (an object of names to values).
async fn add_form_with_module_held(client: &fantoccini::Client, attributes: Value) {
    let mut attributes = attributes;
    attributes["instrument"] = json!("phq9");
    import_loader_and_add_forms(
        client,
        &hold_fetches("url.endsWith('.wasm')", "releaseModule"),
        json!([["f", attributes, {}]]),
    )
    .await;
}

/// The paths under `instruments/preview/` the page has fetched.
async fn previews_fetched(client: &fantoccini::Client) -> Vec<String> {
    let fetched = run_js(
        client,
        "return performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)\n\
           .filter((path) => path.includes('/instruments/preview/'))\n\
           .map((path) => path.slice(path.indexOf('/instruments/preview/') + 21));",
        vec![],
    )
    .await;
    serde_json::from_value(fetched).unwrap_or_default()
}

/// A description of the markup under `selector` in the form's shadow root that does not
/// depend on how it was made (parsed from HTML, or drawn by the module): each element's tag,
/// its attributes sorted, and its own text.
const MARKUP: &str = "const box = root && root.querySelector(args[0]);\n\
    if (!box) return null;\n\
    const describe = (element) => element.tagName.toLowerCase()\n\
      + [...element.attributes].map((a) => ` ${a.name}=${a.value}`).sort().join('')\n\
      + ' | ' + [...element.childNodes].filter((n) => n.nodeType === 3)\n\
        .map((n) => n.textContent).join('');\n\
    return [...box.querySelectorAll('*')].map(describe);";

/// The preview's first item is there while the module is held, inert: not focusable and not
/// answerable. Once the module arrives, the live form replaces the preview, with the same
/// markup, and a click is answered.
#[tokio::test]
async fn the_preview_shows_the_first_item_inert_until_the_live_form_replaces_it() {
    with_browser("preview_swap", |client| async move {
        open(&client, "load-failure.html").await;
        add_form_with_module_held(&client, json!({})).await;
        let form = Form::new(&client, "#f");
        let first = "[data-preview] fieldset[data-item=\"phq9_1\"] legend";
        let question = wait_for("the preview's first item", RENDER_TIMEOUT, || async {
            form.text(first)
                .await
                .ok_or_else(|| "no preview yet".to_owned())
        })
        .await;
        assert_eq!(question, "Little interest or pleasure in doing things");
        assert!(form.is_visible(first).await, "the first item is visible");
        let state = form
            .eval(
                "const preview = root.querySelector('[data-preview]');\n\
                 return { inert: preview.inert, busy: preview.getAttribute('aria-busy'),\n\
                   mounts: root.querySelectorAll('.kf-mount').length,\n\
                   items: root.querySelectorAll('[data-item]').length };",
            )
            .await;
        assert_eq!(
            state,
            json!({"inert": true, "busy": "true", "mounts": 1, "items": 9})
        );
        // A patient's click or key press while the module loads answers nothing.
        if let Some(label) = form
            .query("[data-preview] label[for=\"kf1-phq9_1-1\"]")
            .await
        {
            let _ = label.click().await;
        }
        let preview_state = form
            .eval(
                "const radio = root.querySelector('[data-preview] input[value=\"1\"]');\n\
                 radio.focus();\n\
                 return { checked: radio.checked, focused: root.activeElement === radio };",
            )
            .await;
        assert_eq!(preview_state, json!({"checked": false, "focused": false}));
        let preview_markup = form.eval_with(MARKUP, json!("[data-preview]")).await;
        assert!(preview_markup.as_array().is_some_and(|all| all.len() > 100));

        run_js(&client, "window.releaseModule();", vec![]).await;
        form.wait_rendered().await;
        let mounts = form
            .eval("return root.querySelectorAll('.kf-mount').length;")
            .await;
        assert_eq!(mounts, 1, "the preview is gone: {}", form.html().await);
        let live_markup = form.eval_with(MARKUP, json!(".kf-mount")).await;
        assert_eq!(
            live_markup, preview_markup,
            "the preview is the live form's first page"
        );
        form.answer("phq9_1", "2").await;
        form.wait_total("2").await;
        assert_eq!(previews_fetched(&client).await, ["en/phq9.html"]);
    })
    .await;
}

/// The preview follows the element's language, and is only used for the options it was
/// rendered with: a form with `show-bands` (or any other option set) fetches none, and so does
/// one in a browser without `inert`.
#[tokio::test]
async fn the_preview_is_in_the_forms_language_and_only_for_default_options() {
    with_browser("preview_language_and_options", |client| async move {
        open(&client, "load-failure.html").await;
        add_form_with_module_held(&client, json!({"lang": "es"})).await;
        let form = Form::new(&client, "#f");
        let question = wait_for("the Spanish preview", RENDER_TIMEOUT, || async {
            form.text("[data-preview] fieldset[data-item=\"phq9_1\"] legend")
                .await
                .ok_or_else(|| "no preview yet".to_owned())
        })
        .await;
        let spanish = kapforms_instruments::translations::load_in("phq9", "es")
            .expect("a Spanish PHQ-9")
            .expect("valid");
        let item = spanish.questionnaire.item("phq9_1").expect("item 1");
        assert_eq!(question, item.text);
        assert_eq!(previews_fetched(&client).await, ["es/phq9.html"]);
        run_js(&client, "window.releaseModule();", vec![]).await;
        form.wait_rendered().await;

        open(&client, "load-failure.html").await;
        add_form_with_module_held(&client, json!({"show-bands": ""})).await;
        run_js(&client, "window.releaseModule();", vec![]).await;
        form.wait_rendered().await;
        assert!(previews_fetched(&client).await.is_empty());

        // A browser that cannot make it inert (no `inert`) gets no preview either.
        open(&client, "load-failure.html").await;
        import_loader_and_add_forms(
            &client,
            "delete HTMLElement.prototype.inert;",
            json!([["f", {"instrument": "phq9"}, {}]]),
        )
        .await;
        form.wait_rendered().await;
        assert!(previews_fetched(&client).await.is_empty());
    })
    .await;
}

/// Holds every fetch under `instruments/preview/` until `window.releasePreview()`, counts the
/// module's instantiations in `window.instantiations`, makes the browser report the connection
/// `effective_type` (the Network Information API's `effectiveType`: `4g` fast, `3g` slow), and
/// adds `<kap-form id="f" instrument="phq9">`.
async fn add_form_with_preview_held(client: &fantoccini::Client, effective_type: &str) {
    let patch = hold_fetches("url.includes('/instruments/preview/')", "releasePreview")
        + &format!(
            "Object.defineProperty(navigator, 'connection', {{\n\
               value: {{ effectiveType: '{effective_type}' }}, configurable: true }});\n"
        )
        + "window.instantiations = 0;\n\
           for (const name of ['instantiate', 'instantiateStreaming']) {\n\
             const real = WebAssembly[name];\n\
             WebAssembly[name] = function (...args) {\n\
               window.instantiations += 1;\n\
               return real.apply(this, args);\n\
             };\n\
           }";
    import_loader_and_add_forms(client, &patch, json!([["f", {"instrument": "phq9"}, {}]])).await;
}

/// Whether the page has received the whole patient's module.
const MODULE_RECEIVED: &str = "return performance.getEntriesByType('resource')\n\
    .some((e) => e.name.endsWith('/kapforms_form_bg.wasm') && e.responseEnd > 0);";

/// Waits long enough for the module to be compiled and drawn if nothing held it back, then
/// checks that it was not: no instantiation, no live question.
async fn assert_held(form: &Form) {
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    let held = form
        .eval(
            "return { instantiations: window.instantiations,\n\
               items: root.querySelectorAll('[data-item]').length };",
        )
        .await;
    assert_eq!(held, json!({"instantiations": 0, "items": 0}));
}

/// Releases the held preview, then checks that the module was compiled once and the live
/// form has replaced the preview, which was fetched once.
async fn assert_live_once_released(client: &fantoccini::Client, form: &Form) {
    run_js(client, "window.releasePreview();", vec![]).await;
    form.wait_rendered().await;
    let live = form
        .eval(
            "return { instantiations: window.instantiations,\n\
               mounts: root.querySelectorAll('.kf-mount').length };",
        )
        .await;
    assert_eq!(live, json!({"instantiations": 1, "mounts": 1}));
    assert_eq!(previews_fetched(client).await, ["en/phq9.html"]);
}

/// Whether the page has requested the patient's module or the PHQ-9's definition.
const MODULE_OR_DEFINITION_REQUESTED: &str = "return performance.getEntriesByType('resource')\n\
    .some((e) => e.name.endsWith('/kapforms_form_bg.wasm')\n\
      || e.name.endsWith('/instruments/phq9.json'));";

/// On a fast connection, the module and the definition are not even requested while the
/// preview is on its way (their responses would arrive while the preview is laid out); once the
/// preview is shown, they are, and the live form replaces it.
#[tokio::test]
async fn on_a_fast_connection_the_module_is_requested_after_the_preview_is_shown() {
    with_browser("preview_first_fast", |client| async move {
        open(&client, "load-failure.html").await;
        add_form_with_preview_held(&client, "4g").await;
        let form = Form::new(&client, "#f");
        assert_held(&form).await;
        let requested = run_js(&client, MODULE_OR_DEFINITION_REQUESTED, vec![]).await;
        assert_eq!(requested, false, "requested before the preview was shown");
        assert_live_once_released(&client, &form).await;
    })
    .await;
}

/// On a slow connection, the module is requested at once and arrives while the preview is on
/// its way, but it is not compiled until the preview is shown (its start-up holds the main
/// thread). Once the preview is shown, the module is compiled and the live form replaces it.
#[tokio::test]
async fn on_a_slow_connection_the_module_downloads_at_once_and_is_compiled_after_the_preview() {
    with_browser("preview_first_slow", |client| async move {
        open(&client, "load-failure.html").await;
        add_form_with_preview_held(&client, "3g").await;
        let form = Form::new(&client, "#f");
        wait_for("the module to arrive", RENDER_TIMEOUT, || async {
            match run_js(&client, MODULE_RECEIVED, vec![]).await {
                Value::Bool(true) => Ok(()),
                other => Err(format!("received: {other}")),
            }
        })
        .await;
        assert_held(&form).await;
        assert_live_once_released(&client, &form).await;
    })
    .await;
}

/// A preview that never comes holds the module back for a few seconds at most: the live form
/// is drawn without it, and a preview that comes after that is not shown over it.
#[tokio::test]
async fn a_preview_that_does_not_come_does_not_hold_the_form() {
    with_browser("preview_never", |client| async move {
        open(&client, "load-failure.html").await;
        add_form_with_preview_held(&client, "4g").await;
        let form = Form::new(&client, "#f");
        form.wait_rendered().await;
        run_js(&client, "window.releasePreview();", vec![]).await;
        wait_for("the late preview to be fetched", UPDATE_TIMEOUT, || async {
            match previews_fetched(&client).await.as_slice() {
                [_] => Ok(()),
                other => Err(format!("fetched: {other:?}")),
            }
        })
        .await;
        form.answer("phq9_1", "3").await;
        form.wait_total("3").await;
        let state = form
            .eval(
                "return { previews: root.querySelectorAll('[data-preview]').length,\n\
                   mounts: root.querySelectorAll('.kf-mount').length };",
            )
            .await;
        assert_eq!(state, json!({"previews": 0, "mounts": 1}));
    })
    .await;
}

/// On a page that enforces Trusted Types, the loader may not set the preview's HTML: the
/// browser refuses it (a `require-trusted-types-for` violation), no preview is shown, and the
/// live form comes and works as on any page.
#[tokio::test]
async fn under_trusted_types_there_is_no_preview_and_the_form_still_comes() {
    with_browser("preview_trusted_types", |client| async move {
        open(&client, "trusted-types.html").await;
        import_loader_and_add_forms(
            &client,
            "window.violations = [];\n\
             document.addEventListener('securitypolicyviolation', (event) => {\n\
               window.violations.push(event.violatedDirective);\n\
             });\n\
             window.previews = 0;\n\
             new MutationObserver(() => {\n\
               const form = document.getElementById('f');\n\
               if (form && form.shadowRoot && !form.observed) {\n\
                 form.observed = true;\n\
                 new MutationObserver(() => {\n\
                   if (form.shadowRoot.querySelector('[data-preview]')) window.previews += 1;\n\
                 }).observe(form.shadowRoot, { childList: true });\n\
               }\n\
             }).observe(document.body, { childList: true, subtree: true });",
            json!([["f", {"instrument": "phq9"}, {}]]),
        )
        .await;
        let form = Form::new(&client, "#f");
        form.wait_rendered().await;
        form.answer("phq9_1", "2").await;
        form.wait_total("2").await;
        assert_eq!(previews_fetched(&client).await, ["en/phq9.html"]);
        let seen = run_js(
            &client,
            "return { violations: window.violations, previews: window.previews };",
            vec![],
        )
        .await;
        assert_eq!(
            seen,
            json!({"violations": ["require-trusted-types-for"], "previews": 0})
        );
    })
    .await;
}
