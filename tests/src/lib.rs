//! Helpers for the kapforms browser end-to-end tests (`tests/phq9.rs`): where
//! the served site and ChromeDriver are (from `cargo xtask test`), opening a
//! headless Chromium session and closing it even when a test fails (after
//! printing what the page showed), polling until the page reaches a state,
//! and a [`Form`] handle that finds elements inside a `<kap-form>`'s open
//! shadow root and answers questions by clicking them like a patient would. The modules hold
//! the accessibility tooling: [`axe`] (axe-core injected into the page), [`devtools`]
//! (viewport and media emulation), [`keyboard`] (key presses, the focused element),
//! [`layout`] (target sizes and reflow) and [`instruments_page`] (any built-in instrument on
//! one reusable page).

pub mod axe;
pub mod devtools;
pub mod instruments_page;
pub mod keyboard;
pub mod layout;

use fantoccini::elements::{Element, ElementRef};
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use std::future::Future;
use std::path::Path;
use std::time::{Duration, Instant};

/// The environment variable holding the served site's root URL.
pub const SITE_URL_VAR: &str = "KAPFORMS_SITE_URL";
/// The environment variable holding the second origin's root URL: the same site served on
/// another port with CORS headers, which the main site's policy trusts.
pub const PARTNER_URL_VAR: &str = "KAPFORMS_PARTNER_URL";
/// The environment variable holding ChromeDriver's URL.
pub const WEBDRIVER_URL_VAR: &str = "WEBDRIVER_URL";
/// The live form's container in a `<kap-form>`'s shadow root (not the loader's preview).
pub const LIVE_FORM: &str = ".kf-mount:not([data-preview])";
/// How long a widget may take to load its WebAssembly and render.
pub const RENDER_TIMEOUT: Duration = Duration::from_secs(20);
/// How long the page may take to react to a click.
pub const UPDATE_TIMEOUT: Duration = Duration::from_secs(5);
/// How often [`wait_for`] looks again.
const POLL_INTERVAL: Duration = Duration::from_millis(100);
/// The key under which WebDriver returns an element reference in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// Chromium's flags: headless as root, and no calls out of this machine.
pub const CHROME_ARGS: [&str; 9] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
];
/// Where Debian's `chromium` package puts the browser.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Reads a variable that `cargo xtask test` sets, or fails with instructions.
fn required_env(name: &str) -> String {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => value.trim().to_owned(),
        _ => panic!(
            "{name} is not set. These browser tests need the built site served and \
             ChromeDriver running: run them through `cargo xtask test`, which sets \
             {SITE_URL_VAR} and {WEBDRIVER_URL_VAR}."
        ),
    }
}

/// The served site's root URL, ending in `/`.
pub fn site_url() -> String {
    let mut url = required_env(SITE_URL_VAR);
    if !url.ends_with('/') {
        url.push('/');
    }
    url
}

/// The URL of a page of the site, e.g. `page_url("errors.html")`.
pub fn page_url(page: &str) -> String {
    format!("{}{}", site_url(), page.trim_start_matches('/'))
}

/// The second origin's root URL (the same files, with CORS headers), ending in `/`.
pub fn partner_url() -> String {
    let mut url = required_env(PARTNER_URL_VAR);
    if !url.ends_with('/') {
        url.push('/');
    }
    url
}

/// An origin, `scheme://host:port`, of a URL ending in `/` (as [`site_url`] gives).
pub fn origin_of(url: &str) -> String {
    url.trim_end_matches('/').to_owned()
}

/// The site's root URL under the host name `localhost` instead of `127.0.0.1`: the same
/// server, but another origin to the browser (one the iframe's list does not name).
pub fn localhost_url() -> String {
    site_url().replacen("127.0.0.1", "localhost", 1)
}

/// The capabilities of a headless Debian Chromium session.
pub fn chrome_capabilities() -> Capabilities {
    chrome_capabilities_with(&[])
}

/// The capabilities of a headless Debian Chromium session with `extra` flags (e.g.
/// `--user-data-dir=...`, to reopen a browser with the same profile).
pub fn chrome_capabilities_with(extra: &[String]) -> Capabilities {
    let mut args: Vec<String> = CHROME_ARGS.iter().map(|arg| (*arg).to_owned()).collect();
    args.extend(extra.iter().cloned());
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
        "goog:loggingPrefs": { "browser": "ALL" },
    });
    match caps {
        Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}

/// Opens a new Chromium session through the ChromeDriver at `$WEBDRIVER_URL`.
pub async fn connect() -> Client {
    connect_with(&[]).await
}

/// Opens a new Chromium session with `extra` flags.
pub async fn connect_with(extra: &[String]) -> Client {
    let webdriver = required_env(WEBDRIVER_URL_VAR);
    // No TLS features: ChromeDriver is on loopback, plain HTTP is all we need.
    ClientBuilder::new(HttpConnector::new())
        .capabilities(chrome_capabilities_with(extra))
        .connect(&webdriver)
        .await
        .unwrap_or_else(|e| panic!("cannot start a Chromium session at {webdriver}: {e}"))
}

/// Runs a test `body` in a fresh browser session and closes the session
/// afterwards, also when the body panics (a failed assertion): then it first
/// prints what the page showed, saves a screenshot under
/// `target/e2e/<name>.png`, and re-raises the panic.
pub async fn with_browser<F, Fut>(name: &str, body: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    with_browser_args(name, &[], body).await;
}

/// [`with_browser`] with extra Chromium flags.
pub async fn with_browser_args<F, Fut>(name: &str, extra: &[String], body: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    // Fail fast, with instructions, if the site is not being served.
    let _ = site_url();
    let client = connect_with(extra).await;
    let outcome = tokio::spawn(body(client.clone())).await;
    if outcome.is_err() {
        report_failure(&client, name).await;
    }
    if let Err(e) = client.close().await {
        eprintln!("closing the browser session failed: {e}");
    }
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("test body did not finish: {e}"),
        }
    }
}

/// Prints the page's state, its console log and saves a screenshot.
async fn report_failure(client: &Client, name: &str) {
    eprintln!("---- {name} failed; what the browser shows ----");
    if let Ok(url) = client.current_url().await {
        eprintln!("url: {url}");
    }
    let state = client
        .execute(
            "const text = (id) => { const e = document.getElementById(id); \
                                    return e ? e.textContent : null; };\n\
             return {\n\
               events: Array.from(document.querySelectorAll('#host-events li'))\n\
                 .map((li) => li.textContent.trim()),\n\
               received: text('host-received'),\n\
               defined: !!customElements.get('kap-form'),\n\
               forms: Array.from(document.querySelectorAll('kap-form')).map((f) => ({\n\
                 id: f.id, instrument: f.getAttribute('instrument'),\n\
                 shadow: f.shadowRoot ? f.shadowRoot.innerHTML.slice(0, 6000) : null,\n\
               })),\n\
             };",
            vec![],
        )
        .await;
    match state {
        Ok(state) => eprintln!(
            "page state: {}",
            serde_json::to_string_pretty(&state).unwrap_or_default()
        ),
        Err(e) => eprintln!("cannot read the page state: {e}"),
    }
    match client.issue_cmd(BrowserLog).await {
        Ok(Value::Array(entries)) => {
            eprintln!("browser console ({} entries):", entries.len());
            for entry in entries {
                eprintln!(
                    "  [{}] {}",
                    entry["level"].as_str().unwrap_or("?"),
                    entry["message"].as_str().unwrap_or("")
                );
            }
        }
        Ok(other) => eprintln!("browser console: {other}"),
        Err(e) => eprintln!("cannot read the browser console: {e}"),
    }
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = manifest_dir
        .parent()
        .unwrap_or(manifest_dir)
        .join("target")
        .join("e2e");
    match client.screenshot().await {
        Ok(png) => {
            let file = dir.join(format!("{name}.png"));
            let saved = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&file, png));
            match saved {
                Ok(()) => eprintln!("screenshot: {}", file.display()),
                Err(e) => eprintln!("cannot save the screenshot: {e}"),
            }
        }
        Err(e) => eprintln!("cannot take a screenshot: {e}"),
    }
    eprintln!("---- end of {name} ----");
}

/// ChromeDriver's extension command for the browser console log
/// (`POST /session/{id}/se/log` with `{"type": "browser"}`).
#[derive(Debug)]
pub struct BrowserLog;

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

/// Fails the test if the browser console (the page and its frames) mentions the Content
/// Security Policy: a script, style or module the policy refused.
pub async fn assert_no_policy_message_in_the_console(client: &Client) {
    let log = client.issue_cmd(BrowserLog).await.expect("the console log");
    let policy: Vec<&Value> = log
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .filter(|e| {
                    e["message"]
                        .as_str()
                        .is_some_and(|m| m.contains("Content Security Policy"))
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(
        policy.is_empty(),
        "policy messages in the console: {policy:?}"
    );
}

/// Polls `probe` until it returns `Ok`, failing the test after `timeout` with
/// `what` and the last `Err` the probe gave (a description of what it saw).
pub async fn wait_for<T, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let start = Instant::now();
    loop {
        match probe().await {
            Ok(value) => return value,
            Err(seen) if start.elapsed() >= timeout => panic!(
                "timed out after {:.1} s waiting for {what}; last seen: {seen}",
                timeout.as_secs_f64()
            ),
            Err(_) => tokio::time::sleep(POLL_INTERVAL).await,
        }
    }
}

/// Runs `script` (a function body reading `arguments`) in the page.
pub async fn run_js(client: &Client, script: &str, args: Vec<Value>) -> Value {
    client
        .execute(script, args)
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

/// Turns an element reference returned by a script into an [`Element`];
/// `None` for anything else (e.g. `null`).
pub fn element_from_json(client: &Client, value: &Value) -> Option<Element> {
    let id = value.get(ELEMENT_KEY)?.as_str()?;
    Some(Element::from_element_id(
        client.clone(),
        ElementRef::from(id.to_owned()),
    ))
}

/// Navigates to a page of the site.
pub async fn open(client: &Client, page: &str) {
    let url = page_url(page);
    client
        .goto(&url)
        .await
        .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
}

/// On a page with a `<main id="forms">` and no widget script (`load-failure.html`): runs
/// `patch` (a script, e.g. one that wraps `window.fetch`), imports `dist/kapforms.js` and adds
/// a `<kap-form id="{id}">` for each `[id, attributes, properties]` of `forms` (objects of
/// names to values, set before the element is added). Each `kap-ready` detail is recorded in
/// `window.__ready[id]`.
pub async fn import_loader_and_add_forms(client: &Client, patch: &str, forms: Value) {
    run_js(
        client,
        &format!(
            "window.__ready = {{}};\n\
             document.addEventListener('kap-ready', (e) => {{ window.__ready[e.target.id] = e.detail; }});\n\
             {patch}\n\
             const forms = arguments[0];\n\
             import('./dist/kapforms.js').then(() => {{\n\
               for (const [id, attributes, properties] of forms) {{\n\
                 const form = document.createElement('kap-form');\n\
                 form.id = id;\n\
                 for (const [name, value] of Object.entries(attributes)) form.setAttribute(name, value);\n\
                 Object.assign(form, properties);\n\
                 document.getElementById('forms').append(form);\n\
               }}\n\
             }});"
        ),
        vec![forms],
    )
    .await;
}

/// The event names the demo page listed in `<ul id="host-events">`.
pub async fn host_events(client: &Client) -> Vec<String> {
    let value = run_js(
        client,
        "return Array.from(document.querySelectorAll('#host-events li'))\
             .map((li) => li.textContent.trim());",
        vec![],
    )
    .await;
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether an event list (as [`host_events`] returns it) has an entry naming `event`.
pub fn lists_event(events: &[String], event: &str) -> bool {
    events
        .iter()
        .any(|entry| entry.split_whitespace().any(|word| word == event))
}

/// Whether the host's event list holds an entry naming `event`.
pub async fn host_saw(client: &Client, event: &str) -> bool {
    lists_event(&host_events(client).await, event)
}

/// Waits until the host's event list names `event`.
pub async fn wait_for_host_event(client: &Client, event: &str, timeout: Duration) {
    wait_for(
        &format!("the host page to receive a {event} event"),
        timeout,
        || async {
            let events = host_events(client).await;
            if lists_event(&events, event) {
                Ok(())
            } else {
                Err(format!("#host-events = {events:?}"))
            }
        },
    )
    .await;
}

/// The text the demo page put into `<pre id="host-received">`.
pub async fn host_received(client: &Client) -> String {
    let value = run_js(
        client,
        "const e = document.getElementById('host-received'); \
         return e ? e.textContent : null;",
        vec![],
    )
    .await;
    match value {
        Value::String(text) => text,
        _ => panic!("the page has no #host-received element"),
    }
}

/// Waits until `#host-received` holds JSON and returns it parsed.
pub async fn wait_for_received_response(client: &Client) -> Value {
    wait_for(
        "#host-received to hold the submitted response",
        UPDATE_TIMEOUT,
        || async {
            let text = host_received(client).await;
            if text.trim().is_empty() {
                return Err("#host-received is empty".to_owned());
            }
            serde_json::from_str(&text)
                .map_err(|e| format!("#host-received is not JSON ({e}): {text}"))
        },
    )
    .await
}

/// A `<kap-form>` on the current page, found by a CSS selector on the host
/// document; its parts are looked up inside the element's open shadow root.
#[derive(Debug, Clone)]
pub struct Form {
    client: Client,
    host: String,
}

/// Finds the shadow root of `arguments[0]`, then `arguments[1]` inside it.
const SHADOW_QUERY: &str = "\
    const host = document.querySelector(arguments[0]);\n\
    const root = host && host.shadowRoot;\n\
    return root ? root.querySelector(arguments[1]) : null;";

impl Form {
    /// The `<kap-form>` matching `host_selector` (e.g. `kap-form`, `#a`).
    pub fn new(client: &Client, host_selector: &str) -> Form {
        Form {
            client: client.clone(),
            host: host_selector.to_owned(),
        }
    }

    /// Runs a script with `root` bound to the shadow root (or `null`) and
    /// `args` to the remaining arguments.
    async fn in_shadow(&self, body: &str, args: Vec<Value>) -> Value {
        let script = format!(
            "const host = document.querySelector(arguments[0]);\n\
             const root = host ? host.shadowRoot : null;\n\
             const args = Array.prototype.slice.call(arguments, 1);\n\
             {body}"
        );
        let mut all = vec![json!(self.host)];
        all.extend(args);
        run_js(&self.client, &script, all).await
    }

    /// The first element in the shadow root matching `css`, as a WebDriver element.
    pub async fn query(&self, css: &str) -> Option<Element> {
        let value = run_js(
            &self.client,
            SHADOW_QUERY,
            vec![json!(self.host), json!(css)],
        )
        .await;
        element_from_json(&self.client, &value)
    }

    /// Whether an element matching `css` exists in the shadow root.
    pub async fn exists(&self, css: &str) -> bool {
        self.in_shadow(
            "return !!(root && root.querySelector(args[0]));",
            vec![json!(css)],
        )
        .await
        .as_bool()
        .unwrap_or(false)
    }

    /// The trimmed text of the first element matching `css`, if there is one.
    pub async fn text(&self, css: &str) -> Option<String> {
        self.in_shadow(
            "const e = root && root.querySelector(args[0]);\n\
             return e ? e.textContent.trim() : null;",
            vec![json!(css)],
        )
        .await
        .as_str()
        .map(str::to_owned)
    }

    /// Whether the first element matching `css` exists and is rendered visibly.
    pub async fn is_visible(&self, css: &str) -> bool {
        self.in_shadow(
            "const e = root && root.querySelector(args[0]);\n\
             if (!e) return false;\n\
             const r = e.getBoundingClientRect();\n\
             return e.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })\n\
                    && r.width > 0 && r.height > 0;",
            vec![json!(css)],
        )
        .await
        .as_bool()
        .unwrap_or(false)
    }

    /// The shadow root's markup, for failure messages.
    pub async fn html(&self) -> String {
        self.in_shadow("return root ? root.innerHTML : '(no shadow root)';", vec![])
            .await
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    /// Waits until the widget has loaded and rendered its first question (`[data-item]`),
    /// pressing "Start now" if the form opens with a start page; fails early if it shows an
    /// error instead. The preview the loader shows while the module loads (inert, in a
    /// `[data-preview]` container, drawn before the live form and possibly with a start page
    /// of its own) does not count: only the live form's container does.
    pub async fn wait_rendered(&self) {
        wait_for(
            &format!("{} to render its questions", self.host),
            RENDER_TIMEOUT,
            || async {
                if self.exists(&format!("{LIVE_FORM} [data-item]")).await {
                    // The loader removes the preview as soon as the live form has drawn.
                    if self.exists("[data-preview]").await {
                        return Err("the preview is still shown".to_owned());
                    }
                    return Ok(());
                }
                if let Some(error) = self.text("[data-error]").await {
                    panic!("{} shows an error instead of questions: {error}", self.host);
                }
                let start = format!("{LIVE_FORM} button[data-action=\"start\"]");
                if let Some(start) = self.query(&start).await {
                    // A button drawn again meanwhile is found and pressed on the next try.
                    let _ = start.click().await;
                }
                Err(format!("shadow root: {}", self.html().await))
            },
        )
        .await;
    }

    /// Runs a function body in the page with `root` bound to the form's shadow root (or
    /// `null`) and returns its value.
    pub async fn eval(&self, body: &str) -> Value {
        self.in_shadow(body, vec![]).await
    }

    /// Runs a function body in the page with `root` bound to the form's shadow root (or
    /// `null`) and `args[0]` to `arg`, and returns its value.
    pub async fn eval_with(&self, body: &str, arg: Value) -> Value {
        self.in_shadow(body, vec![arg]).await
    }

    /// The attribute `name` of the first element matching `css`, if there is one.
    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.in_shadow(
            "const e = root && root.querySelector(args[0]);\n\
             return e ? e.getAttribute(args[1]) : null;",
            vec![json!(css), json!(name)],
        )
        .await
        .as_str()
        .map(str::to_owned)
    }

    /// The current value of the first form field matching `css`, if there is one.
    pub async fn value(&self, css: &str) -> Option<String> {
        self.in_shadow(
            "const e = root && root.querySelector(args[0]);\n\
             return e ? e.value : null;",
            vec![json!(css)],
        )
        .await
        .as_str()
        .map(str::to_owned)
    }

    /// Clicks the `<label>` of the input matching `css`, as a patient would.
    pub async fn click_label_of(&self, css: &str) {
        let label = self
            .in_shadow(
                "const input = root && root.querySelector(args[0]);\n\
                 if (!input) return { missing: 'input' };\n\
                 const label = (input.labels && input.labels[0])\n\
                   || (input.id && root.querySelector('label[for=\"' + CSS.escape(input.id) + '\"]'));\n\
                 return label ? { label: label } : { missing: 'label' };",
                vec![json!(css)],
            )
            .await;
        let Some(label) = element_from_json(&self.client, &label["label"]) else {
            panic!(
                "{}: no {} for `{css}` ({label})",
                self.host,
                label["missing"].as_str().unwrap_or("element")
            );
        };
        label
            .click()
            .await
            .unwrap_or_else(|e| panic!("{}: clicking the label of `{css}` failed: {e}", self.host));
    }

    /// The selector of the radio with value `code` in question `item`.
    fn radio(item: &str, code: &str) -> String {
        format!("fieldset[data-item=\"{item}\"] input[type=\"radio\"][value=\"{code}\"]")
    }

    /// Answers question `item` with option `code` by clicking the option's
    /// `<label>`, as a patient would, then waits until the radio is checked.
    pub async fn answer(&self, item: &str, code: &str) {
        let radio = Self::radio(item, code);
        let label = self
            .in_shadow(
                "const input = root && root.querySelector(args[0]);\n\
                 if (!input) return { missing: 'radio' };\n\
                 const label = (input.labels && input.labels[0])\n\
                   || (input.id && root.querySelector('label[for=\"' + CSS.escape(input.id) + '\"]'));\n\
                 return label ? { label: label } : { missing: 'label' };",
                vec![json!(radio)],
            )
            .await;
        let Some(label) = element_from_json(&self.client, &label["label"]) else {
            panic!(
                "{}: no {} for `{radio}` ({label})",
                self.host,
                label["missing"].as_str().unwrap_or("element")
            );
        };
        label.click().await.unwrap_or_else(|e| {
            panic!("{}: clicking the label of `{radio}` failed: {e}", self.host)
        });
        wait_for(
            &format!("{}: `{radio}` to be checked", self.host),
            UPDATE_TIMEOUT,
            || async {
                if self.is_checked(item, code).await {
                    Ok(())
                } else {
                    Err("not checked".to_owned())
                }
            },
        )
        .await;
    }

    /// Answers several questions in order: `(item, code)` pairs.
    pub async fn answer_all(&self, answers: &[(&str, &str)]) {
        for (item, code) in answers {
            self.answer(item, code).await;
        }
    }

    /// Whether the radio with value `code` in question `item` is checked.
    pub async fn is_checked(&self, item: &str, code: &str) -> bool {
        self.in_shadow(
            "const input = root && root.querySelector(args[0]);\n\
             return !!(input && input.checked);",
            vec![json!(Self::radio(item, code))],
        )
        .await
        .as_bool()
        .unwrap_or(false)
    }

    /// The text of the live total, `<output data-score-total>`.
    pub async fn total(&self) -> Option<String> {
        self.text("[data-score-total]").await
    }

    /// Waits until the live total reads `expected`.
    pub async fn wait_total(&self, expected: &str) {
        wait_for(
            &format!("{}'s total to read {expected}", self.host),
            UPDATE_TIMEOUT,
            || async {
                match self.total().await {
                    Some(total) if total == expected => Ok(()),
                    other => Err(format!("[data-score-total] = {other:?}")),
                }
            },
        )
        .await;
    }

    /// Waits up to `timeout` until an element matching `css` is in the shadow root; on
    /// failure the test says which and shows the shadow root's HTML.
    pub async fn wait_present(&self, css: &str, timeout: Duration) {
        wait_for(
            &format!("{}: `{css}` to be present", self.host),
            timeout,
            || async {
                if self.exists(css).await {
                    Ok(())
                } else {
                    Err(self.html().await)
                }
            },
        )
        .await;
    }

    /// Waits until an element matching `css` is visible in the shadow root.
    pub async fn wait_visible(&self, css: &str) {
        wait_for(
            &format!("{}: `{css}` to be visible", self.host),
            UPDATE_TIMEOUT,
            || async {
                if self.is_visible(css).await {
                    Ok(())
                } else if self.exists(css).await {
                    Err("present but not visible".to_owned())
                } else {
                    Err("absent".to_owned())
                }
            },
        )
        .await;
    }

    /// Submits as a patient does: clicks Continue (`data-action="next"`) page by page until
    /// "check your answers" offers the submit button (`data-action="submit"`), then clicks it.
    /// Stops early, without submitting, when a page shows its error summary (answers missing).
    pub async fn submit(&self) {
        for _ in 0..50 {
            if self.exists("[data-error-summary]").await {
                return;
            }
            let action = if self.exists("button[data-action=\"submit\"]").await {
                "submit"
            } else if self.exists("button[data-action=\"next\"]").await {
                "next"
            } else {
                panic!(
                    "{}: neither Continue nor Submit; shadow root: {}",
                    self.host,
                    self.html().await
                );
            };
            let css = format!("button[data-action=\"{action}\"]");
            let page_before = self.html().await;
            let Some(button) = self.query(&css).await else {
                continue;
            };
            button
                .click()
                .await
                .unwrap_or_else(|e| panic!("{}: clicking {action} failed: {e}", self.host));
            if action == "submit" {
                return;
            }
            wait_for(
                &format!("{}: the page after Continue", self.host),
                UPDATE_TIMEOUT,
                || async {
                    if self.html().await != page_before {
                        Ok(())
                    } else {
                        Err("unchanged".to_owned())
                    }
                },
            )
            .await;
        }
        panic!("{}: submitting took more than 50 pages", self.host);
    }
}
