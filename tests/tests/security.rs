//! Security of `<kap-form>` in headless Chromium: bad input gets a clear message, nothing runs
//! from content, and nothing leaves the page. (1) Hostile definitions from the core's corpus
//! (`crates/core/tests/hostile/`), given as the `definition` property and as a child
//! `<script type="application/json">`, show a message naming the problem's path and dispatch
//! `kap-error` with code `definition-invalid`; the element is never blank. (2) A definition
//! whose every string is a script, an image with an error handler, a `javascript:` URL or a
//! broken-out SVG (`security-xss.html`), and free-text answers typed with the same payloads,
//! are shown as text: the payloads appear literally, no element or event-handler attribute is
//! created from them, and `window.__pwned` stays unset. The site's strict CSP would block an
//! injected script anyway, so the DOM checks are what proves the widget safe on a page
//! without one. (3) Loading, answering and submitting the PHQ-9 and a clinic definition
//! (`security-network.html`) fetches only the page's own files and the widget's, with no CSP
//! violation; and a recognizable free-text answer reaches neither the console, nor storage,
//! nor the URL. `www/security.js` records requests, violations and events from the start.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::Client;
use kapforms_e2e::{open, run_js, wait_for, with_browser, Form, RENDER_TIMEOUT, UPDATE_TIMEOUT};
use serde_json::{json, Value};

/// The payloads of `security-xss.html`; each sets `window.__pwned` if it ever runs.
const PAYLOADS: [&str; 4] = [
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=\"window.__pwned=1\">",
    "javascript:window.__pwned=1",
    "\"><svg onload=window.__pwned=1>",
];

/// The corpus files shown in the browser: a spread of syntax, shape and consistency errors.
const HOSTILE: [&str; 12] = [
    "def-truncated.json",
    "def-lone-surrogate-escape.json",
    "def-id-markup.json",
    "def-enable-when-cycle-of-two.json",
    "def-bands-gap.json",
    "def-item-duplicate-id-across-sections.json",
    "def-flag-on-unknown-score.json",
    "def-option-score-nan-string.json",
    "def-schema-version-u32-overflow.json",
    "def-sections-empty.json",
    "def-enable-when-nested-200-deep.json",
    "def-group-nested-group.json",
];

/// Files the pages may fetch, relative to the site root: the pages, their stylesheet and
/// scripts, the widget's files (the loader, which holds the questionnaire's glue, the module,
/// the custom-definition bundle the clinic's own definitions need, and the definition and
/// first-page preview of the one built-in shown, the PHQ-9), and the icon Chromium asks for
/// by itself. Anything else is a request of our own: another built-in's file too.
const ALLOWED: [&str; 12] = [
    "favicon.ico",
    "security-network.html",
    "security-xss.html",
    "demo.css",
    "demo.js",
    "security.js",
    "dist/kapforms.js",
    "dist/kapforms_form_bg.wasm",
    "dist/kapforms_form_custom.js",
    "dist/kapforms_form_custom_bg.wasm",
    "dist/instruments/phq9.json",
    "dist/instruments/preview/en/phq9.html",
];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/core/tests/hostile")
}

fn manifest() -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(corpus_dir().join("expected.json")).expect("manifest");
    serde_json::from_str(&text).expect("the manifest is a JSON object")
}

/// Elements and attributes that content must never create in the shadow root: scripts,
/// images, SVG, frames and plugins, `on*` handler attributes, and `javascript:` URLs. The
/// widget renders none of these itself; if it ever draws an icon, allow that one here.
const INJECTED: &str = "\
    const bad = [];\n\
    if (!root) return ['no shadow root'];\n\
    for (const el of root.querySelectorAll('*')) {\n\
      const tag = el.localName;\n\
      if (['script', 'img', 'svg', 'image', 'iframe', 'frame', 'object', 'embed']\n\
          .includes(tag)) bad.push(tag);\n\
      for (const attr of el.attributes) {\n\
        if (attr.name.startsWith('on')) bad.push(tag + '[' + attr.name + ']');\n\
        if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(attr.name)\n\
            && /^\\s*javascript:/i.test(attr.value)) bad.push(tag + '[' + attr.name + ']');\n\
      }\n\
    }\n\
    return bad;";

/// Runs `body` with `root` bound to the shadow root of the element with id `arguments[0]`.
async fn in_shadow(client: &Client, id: &str, body: &str) -> Value {
    let script = format!(
        "const host = document.getElementById(arguments[0]);\n\
         const root = host ? host.shadowRoot : null;\n\
         {body}"
    );
    run_js(client, &script, vec![json!(id)]).await
}

/// Fails if the shadow root of `#id` holds anything content could have injected.
async fn assert_nothing_injected(client: &Client, id: &str) {
    let bad = in_shadow(client, id, INJECTED).await;
    assert_eq!(
        bad,
        json!([]),
        "#{id}: elements or attributes made from content"
    );
}

/// The text the shadow root of `#id` shows (`textContent`).
async fn shown_text(client: &Client, id: &str) -> String {
    in_shadow(client, id, "return root ? root.textContent : '';")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Fails if a payload ran or any Content-Security-Policy violation happened.
async fn assert_nothing_ran(client: &Client) {
    let state = run_js(
        client,
        "return { pwned: typeof window.__pwned, violations: window.__violations || null };",
        vec![],
    )
    .await;
    assert_eq!(state["pwned"], "undefined", "a payload ran: {state}");
    assert_eq!(
        state["violations"],
        json!([]),
        "Content-Security-Policy violations: {state}"
    );
}

/// The recorded kap-* events named `name` from `#target`.
async fn kap_events(client: &Client, name: &str, target: &str) -> Vec<Value> {
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

async fn wait_kap_event(client: &Client, name: &str, target: &str) -> Value {
    wait_for(
        &format!("a {name} event from #{target}"),
        RENDER_TIMEOUT,
        || async {
            kap_events(client, name, target)
                .await
                .into_iter()
                .next()
                .ok_or_else(|| "none yet".to_owned())
        },
    )
    .await
}

/// Waits until `<kap-form>` is defined, so a `definition` set on a new element reaches the
/// element's setter rather than an own property of a not-yet-upgraded element.
async fn wait_element_defined(client: &Client) {
    wait_for("<kap-form> to be defined", RENDER_TIMEOUT, || async {
        let defined = run_js(client, "return !!customElements.get('kap-form');", vec![]).await;
        if defined == Value::Bool(true) {
            Ok(())
        } else {
            Err("not yet".to_owned())
        }
    })
    .await;
}

/// Adds a `<kap-form id=…>` with `text` as a child JSON script, or (`as_property`) with
/// `JSON.parse(text)` as its `definition`; returns false when the text is not JSON for
/// `JSON.parse` (then there is no property to set).
async fn add_form(client: &Client, id: &str, text: &str, as_property: bool) -> bool {
    run_js(
        client,
        "const [id, text, asProperty] = arguments;\n\
         const form = document.createElement('kap-form');\n\
         form.id = id;\n\
         if (asProperty) {\n\
           let definition;\n\
           try { definition = JSON.parse(text); } catch (error) { return false; }\n\
           form.definition = definition;\n\
         } else {\n\
           const script = document.createElement('script');\n\
           script.type = 'application/json';\n\
           script.textContent = text;\n\
           form.append(script);\n\
         }\n\
         document.getElementById('forms').append(form);\n\
         return true;",
        vec![json!(id), json!(text), json!(as_property)],
    )
    .await
        == Value::Bool(true)
}

#[tokio::test]
async fn hostile_definitions_show_a_message_naming_the_path() {
    with_browser("security_hostile_definitions", |client| async move {
        let manifest = manifest();
        open(&client, "security-errors.html").await;
        wait_element_defined(&client).await;
        let mut checked = 0;
        for (n, file) in HOSTILE.iter().enumerate() {
            let entry = &manifest[*file];
            let text = std::fs::read_to_string(corpus_dir().join(file))
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            let path = entry["path"]
                .as_str()
                .or_else(|| entry["path_prefix"].as_str())
                .unwrap_or_default();
            let message = entry["message"].as_str().unwrap_or_default();
            for as_property in [false, true] {
                let id = format!(
                    "hostile-{n}-{}",
                    if as_property { "property" } else { "script" }
                );
                if !add_form(&client, &id, &text, as_property).await {
                    continue;
                }
                checked += 1;
                let form = Form::new(&client, &format!("#{id}"));
                let shown = wait_for(
                    &format!("#{id} ({file}) to show its error"),
                    RENDER_TIMEOUT,
                    || async {
                        match form.text("[data-error]").await {
                            Some(text) if !text.is_empty() => Ok(text),
                            _ => Err(form.html().await),
                        }
                    },
                )
                .await;
                assert!(
                    shown.contains(path) && shown.contains(message),
                    "#{id} ({file}): the message should name `{path}` and say `{message}`: {shown}"
                );
                assert!(
                    form.is_visible("[data-error]").await,
                    "#{id}: the message is hidden"
                );
                assert!(
                    !form.exists("[data-item]").await,
                    "#{id}: questions shown anyway"
                );
                let error = wait_kap_event(&client, "kap-error", &id).await;
                assert_eq!(
                    error["detail"]["code"], "definition-invalid",
                    "#{id}: {error}"
                );
                let named = error["detail"]["details"]
                    .as_array()
                    .is_some_and(|details| {
                        details
                            .iter()
                            .filter_map(Value::as_str)
                            .any(|line| line.starts_with(path) && line.contains(message))
                    });
                assert!(
                    named,
                    "#{id} ({file}): kap-error details should name `{path}`: {error}"
                );
                assert_nothing_injected(&client, &id).await;
            }
        }
        assert!(checked >= 20, "only {checked} hostile forms were shown");
        assert_nothing_ran(&client).await;
    })
    .await;
}

/// Types `text` into the text field of question `item` in `#form`.
async fn type_into(client: &Client, form: &str, item: &str, text: &str) {
    let field = Form::new(client, &format!("#{form}"))
        .query(&format!(
            "[data-item=\"{item}\"] input[type=\"text\"], [data-item=\"{item}\"] textarea"
        ))
        .await
        .unwrap_or_else(|| panic!("#{form}: no text field for `{item}`"));
    field
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("#{form}: typing into `{item}` failed: {e}"));
}

/// Clicks Continue and waits until question `next_item` is shown.
async fn continue_to(form: &Form, next_item: &str) {
    let button = form
        .query("button[data-action=\"next\"]")
        .await
        .unwrap_or_else(|| panic!("no Continue button"));
    button.click().await.expect("Continue");
    let css = format!("[data-item=\"{next_item}\"]");
    form.wait_present(&css, UPDATE_TIMEOUT).await;
}

fn assert_shows_all(shown: &str, what: &str, payloads: &[&str]) {
    for payload in payloads {
        assert!(
            shown.contains(payload),
            "{what} should show `{payload}` literally; it shows: {shown}"
        );
    }
}

#[tokio::test]
async fn no_script_runs_from_definition_text_or_answers() {
    with_browser("security_no_script_from_content", |client| async move {
        open(&client, "security-xss.html").await;
        let form = Form::new(&client, "#xss");

        // The start page: the title and description, as text.
        form.wait_present("[data-page=\"start\"]", RENDER_TIMEOUT)
            .await;
        let shown = shown_text(&client, "xss").await;
        assert_shows_all(&shown, "the start page", &PAYLOADS[..2]);
        assert_nothing_injected(&client, "xss").await;

        // The first section: every payload, in titles, intro, questions, help and labels.
        form.wait_rendered().await;
        assert_shows_all(&shown_text(&client, "xss").await, "section one", &PAYLOADS);
        assert_nothing_injected(&client, "xss").await;

        let typed_short = PAYLOADS.join(" ");
        let typed_long = PAYLOADS.join("\n");
        form.answer("pick", "b").await;
        type_into(&client, "xss", "note", &typed_short).await;
        type_into(&client, "xss", "story", &typed_long).await;
        assert_nothing_injected(&client, "xss").await;

        continue_to(&form, "yn").await;
        assert_shows_all(&shown_text(&client, "xss").await, "section two", &PAYLOADS);
        form.answer("yn", "yes").await;
        // The band label (show-bands) appears with the complete running total.
        wait_for("the band label", UPDATE_TIMEOUT, || async {
            match form.text("[data-score-band]").await {
                Some(band) if band == PAYLOADS[3] => Ok(()),
                other => Err(format!("{other:?}")),
            }
        })
        .await;
        assert_nothing_injected(&client, "xss").await;

        // Check your answers: the typed payloads are shown back as text.
        let button = form
            .query("button[data-action=\"next\"]")
            .await
            .expect("Continue to the review");
        button.click().await.expect("Continue");
        form.wait_present("button[data-action=\"submit\"]", UPDATE_TIMEOUT)
            .await;
        let review = shown_text(&client, "xss").await;
        assert_shows_all(&review, "the review page", &PAYLOADS);
        assert!(
            review.contains(&typed_short),
            "typed text shown back: {review}"
        );
        assert_nothing_injected(&client, "xss").await;

        form.submit().await;
        let submitted = wait_kap_event(&client, "kap-submit", "xss").await;
        let answers = &submitted["detail"]["response"]["answers"];
        assert_eq!(answers["note"], json!(typed_short), "{submitted}");
        assert_eq!(answers["story"], json!(typed_long), "{submitted}");
        assert_nothing_injected(&client, "xss").await;

        // The same definition given as the `definition` property.
        run_js(
            &client,
            "const text = document.querySelector('#xss > script').textContent;\n\
             document.getElementById('xss-prop').definition = JSON.parse(text);",
            vec![],
        )
        .await;
        let by_property = Form::new(&client, "#xss-prop");
        by_property.wait_rendered().await;
        assert_shows_all(
            &shown_text(&client, "xss-prop").await,
            "the property-given form",
            &PAYLOADS,
        );
        assert_nothing_injected(&client, "xss-prop").await;

        assert_nothing_ran(&client).await;
    })
    .await;
}

/// ChromeDriver's extension command for the browser console log, as in the helpers
/// (`POST /session/{id}/se/log` with `{"type": "browser"}`).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or("")))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// The PHQ-9 items, answered "0" each.
const PHQ9_ITEMS: [&str; 9] = [
    "phq9_1", "phq9_2", "phq9_3", "phq9_4", "phq9_5", "phq9_6", "phq9_7", "phq9_8", "phq9_9",
];

#[tokio::test]
async fn nothing_leaves_the_page_and_answers_stay_out_of_the_console() {
    with_browser("security_nothing_leaves", |client| async move {
        open(&client, "security-network.html").await;
        // Console entries from before the forms load do not matter; start afresh.
        let _ = client.issue_cmd(BrowserLog).await;

        let phq9 = Form::new(&client, "#phq9");
        phq9.wait_rendered().await;
        for item in PHQ9_ITEMS {
            phq9.answer(item, "0").await;
        }
        phq9.submit().await;
        wait_kap_event(&client, "kap-submit", "phq9").await;

        let secret = "Zebra-7419 my private note about my marriage";
        let custom = Form::new(&client, "#custom");
        custom.wait_rendered().await;
        custom.answer("safe", "yes").await;
        type_into(&client, "custom", "note", secret).await;
        custom.submit().await;
        let submitted = wait_kap_event(&client, "kap-submit", "custom").await;
        assert_eq!(
            submitted["detail"]["response"]["answers"]["note"],
            json!(secret),
            "{submitted}"
        );

        // Every request: the navigation, and each resource, as recorded from the start and
        // as the browser lists them now.
        let requests = run_js(
            &client,
            "const seen = new Set();\n\
             for (const e of performance.getEntriesByType('navigation')) seen.add(e.name);\n\
             for (const e of performance.getEntriesByType('resource')) seen.add(e.name);\n\
             for (const e of window.__requests || []) seen.add(e.url);\n\
             return { base: new URL('.', location.href).href, urls: Array.from(seen) };",
            vec![],
        )
        .await;
        let base = requests["base"].as_str().expect("base URL").to_owned();
        let urls: Vec<String> = requests["urls"]
            .as_array()
            .expect("urls")
            .iter()
            .filter_map(|u| u.as_str().map(str::to_owned))
            .collect();
        assert!(
            urls.iter().any(|u| u.ends_with("kapforms_form_bg.wasm")),
            "the recording missed the module's own fetch: {urls:?}"
        );
        // A page of <kap-form>s loads the patient's bundle only, never the clinician's.
        assert!(
            !urls.iter().any(|u| u.contains("kapforms_results")),
            "a patient's page loaded the clinician's bundle: {urls:?}"
        );
        let foreign: Vec<&String> = urls
            .iter()
            .filter(|url| {
                let Some(relative) = url.strip_prefix(&base) else {
                    return true;
                };
                let relative = relative.split(['?', '#']).next().unwrap_or_default();
                !ALLOWED.contains(&relative)
            })
            .collect();
        assert!(
            foreign.is_empty(),
            "requests beyond the page's own files and the widget's ({base}): {foreign:?}"
        );
        assert_nothing_ran(&client).await;

        // The answer is in no console message, no storage and not the URL.
        let log = client.issue_cmd(BrowserLog).await.expect("the console log");
        let entries = log.as_array().cloned().unwrap_or_default();
        let leaked: Vec<&Value> = entries
            .iter()
            .filter(|entry| entry.to_string().contains("Zebra-7419"))
            .collect();
        assert!(
            leaked.is_empty(),
            "the answer reached the console: {leaked:?}"
        );
        let stored = run_js(
            &client,
            "const all = [document.cookie, location.href, document.title];\n\
             for (const store of [localStorage, sessionStorage]) {\n\
               for (let i = 0; i < store.length; i++) {\n\
                 const key = store.key(i); all.push(key, store.getItem(key));\n\
               }\n\
             }\n\
             return all.join('\\n');",
            vec![],
        )
        .await;
        assert!(
            !stored.as_str().unwrap_or_default().contains("Zebra-7419"),
            "the answer reached storage or the URL: {stored}"
        );
    })
    .await;
}
