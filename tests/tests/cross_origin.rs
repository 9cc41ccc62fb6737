//! kapforms across origins, in headless Chromium, with the site on one origin and the same
//! files served with CORS headers on a second (`KAPFORMS_PARTNER_URL`), and `localhost` as a
//! third: (1) iframe mode: `iframe.html` embeds `dist/embed.html` from the second origin with
//! `kapforms-iframe.js`; the parent receives the form's events and its height, sizes the
//! iframe, and calls its methods by message; the frame and the parent fetch nothing but the
//! widget's files and raise no CSP violation. (2) The same page on an origin the frame does
//! not list receives nothing, and its messages to the frame are ignored. (3) A page loads
//! `kapforms.js` from the second origin (CORS, pinned with the hashes of `integrity.json`)
//! and the form renders and submits.

use fantoccini::Client;
use kapforms_e2e::{
    localhost_url, open, origin_of, partner_url, run_js, site_url, wait_for, with_browser, Form,
    RENDER_TIMEOUT, UPDATE_TIMEOUT,
};
use serde_json::{json, Value};

/// The PHQ-9's nine items, all answered "several days" (1): a total of 9.
fn phq9_ones() -> Vec<(String, &'static str)> {
    (1..=9).map(|n| (format!("phq9_{n}"), "1")).collect()
}

async fn answer_all(form: &Form, answers: &[(String, &str)]) {
    for (item, code) in answers {
        form.answer(item, code).await;
    }
}

/// Switches into the page's only iframe.
async fn enter_frame(client: &Client) {
    let iframe = wait_for("the iframe", RENDER_TIMEOUT, || async {
        client
            .find(fantoccini::Locator::Css("iframe"))
            .await
            .map_err(|e| e.to_string())
    })
    .await;
    iframe.enter_frame().await.expect("enter the iframe");
}

/// Text of the element with id `id` in the current document.
async fn text_of(client: &Client, id: &str) -> String {
    run_js(
        client,
        "const e = document.getElementById(arguments[0]); return e ? e.textContent : null;",
        vec![json!(id)],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// Waits until the element with id `id` says something other than `initial`.
async fn wait_text_changes(client: &Client, id: &str, initial: &str) -> String {
    wait_for(
        &format!("#{id} to change from {initial:?}"),
        RENDER_TIMEOUT,
        || async {
            let text = text_of(client, id).await;
            if text.trim() != initial {
                Ok(text)
            } else {
                Err(text)
            }
        },
    )
    .await
}

/// The kap-* events the parent's demo.js listed, as "name (#target)".
async fn listed_events(client: &Client) -> Vec<String> {
    kapforms_e2e::host_events(client).await
}

/// Clicks the host page's button with id `id`.
async fn click(client: &Client, id: &str) {
    client
        .find(fantoccini::Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("clicking #{id}: {e}"));
}

/// Every request the current document made (its resource timing entries and itself).
async fn requests(client: &Client) -> Vec<String> {
    let value = run_js(
        client,
        "return [location.href].concat(performance.getEntriesByType('resource').map((e) => e.name));",
        vec![],
    )
    .await;
    value
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|url| {
                    url.as_str()
                        .map(|u| u.split('?').next().unwrap_or(u).to_owned())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Fails unless every request is one of `allowed` (full URLs, without query).
fn assert_only(requests: &[String], allowed: &[String], what: &str) {
    let foreign: Vec<&String> = requests
        .iter()
        .filter(|url| !allowed.contains(url))
        .collect();
    assert!(
        foreign.is_empty(),
        "{what}: requests beyond the page's and the widget's own files: {foreign:?}\nallowed: {allowed:?}"
    );
}

/// Fails if the parent page (with security.js) recorded a CSP violation.
async fn assert_no_violation(client: &Client) {
    let violations = run_js(client, "return window.__violations;", vec![]).await;
    assert_eq!(violations, json!([]), "Content-Security-Policy violations");
}

#[tokio::test]
async fn the_iframe_posts_events_and_height_to_a_listed_parent_and_takes_its_calls() {
    with_browser("iframe_listed_parent", |client| async move {
        let partner = partner_url();
        let frame = format!("{partner}dist/embed.html");
        open(&client, &format!("iframe.html?frame={frame}")).await;

        // The form's own height reaches the parent, which sizes the iframe to it (read
        // together: the form may report again as it settles).
        wait_for("the iframe sized to the reported height", RENDER_TIMEOUT, || async {
            let seen = run_js(
                &client,
                "return { reported: document.getElementById('frame-height').textContent,\n\
                          iframe: document.getElementById('frame-form').getBoundingClientRect().height };",
                vec![],
            )
            .await;
            let reported: Option<f64> = seen["reported"]
                .as_str()
                .and_then(|text| text.strip_suffix("px"))
                .and_then(|number| number.parse().ok());
            match reported {
                Some(height) if height > 200.0 && seen["iframe"].as_f64() == Some(height) => Ok(()),
                _ => Err(seen.to_string()),
            }
        })
        .await;
        wait_for("kap-ready from the iframe", UPDATE_TIMEOUT, || async {
            let events = listed_events(&client).await;
            if events.iter().any(|e| e == "kap-ready (#frame-form)") {
                Ok(())
            } else {
                Err(format!("{events:?}"))
            }
        })
        .await;

        // The patient answers in the frame; the parent gets kap-change and kap-validity.
        enter_frame(&client).await;
        let form = Form::new(&client, "kap-form");
        form.wait_rendered().await;
        let answers = phq9_ones();
        form.answer(&answers[0].0, answers[0].1).await;
        let frame_requests = requests(&client).await;
        client
            .enter_parent_frame()
            .await
            .expect("back to the parent");
        wait_for(
            "kap-change and kap-validity in the parent",
            UPDATE_TIMEOUT,
            || async {
                let events = listed_events(&client).await;
                let has = |name: &str| events.iter().any(|e| e == &format!("{name} (#frame-form)"));
                if has("kap-change") && has("kap-validity") {
                    Ok(())
                } else {
                    Err(format!("{events:?}"))
                }
            },
        )
        .await;
        let messages = run_js(&client, "return window.__messages;", vec![]).await;
        let partner_origin = origin_of(&partner);
        for message in messages.as_array().expect("messages") {
            assert_eq!(message["origin"], json!(partner_origin), "{message}");
            assert_eq!(message["data"]["kapforms"], 1, "{message}");
        }

        // Methods by message: getResponse, then reset, which clears the answer.
        click(&client, "frame-get-response").await;
        let result = wait_text_changes(&client, "frame-result", "").await;
        let result: Value = serde_json::from_str(&result).expect("JSON");
        assert_eq!(result["method"], "getResponse");
        assert_eq!(result["value"]["answers"]["phq9_1"], "1", "{result}");
        click(&client, "frame-reset").await;
        wait_for("reset() by message", UPDATE_TIMEOUT, || async {
            let text = text_of(&client, "frame-result").await;
            if text.contains("\"reset\"") {
                Ok(())
            } else {
                Err(text)
            }
        })
        .await;
        click(&client, "frame-get-response").await;
        wait_for("the answers cleared", UPDATE_TIMEOUT, || async {
            let text = text_of(&client, "frame-result").await;
            let value: Value = serde_json::from_str(&text).unwrap_or_default();
            if value["method"] == "getResponse" && value["value"]["answers"] == json!({}) {
                Ok(())
            } else {
                Err(text)
            }
        })
        .await;

        // The patient completes and submits in the frame; the parent receives kap-page and
        // kap-submit with the native response and the FHIR one.
        enter_frame(&client).await;
        let form = Form::new(&client, "kap-form");
        form.wait_rendered().await;
        answer_all(&form, &answers).await;
        form.submit().await;
        client
            .enter_parent_frame()
            .await
            .expect("back to the parent");
        let received = kapforms_e2e::wait_for_received_response(&client).await;
        assert_eq!(received["status"], "completed");
        assert_eq!(received["scores"][0]["value"], 9);
        let events = listed_events(&client).await;
        for name in ["kap-page", "kap-submit"] {
            assert!(
                events.iter().any(|e| e == &format!("{name} (#frame-form)")),
                "{name} in {events:?}"
            );
        }

        // Nothing else was fetched, by the parent or the frame, and no policy was violated.
        let site = site_url();
        let parent_allowed: Vec<String> = [
            format!("{site}iframe.html"),
            format!("{site}security.js"),
            format!("{site}demo.css"),
            format!("{site}demo.js"),
            format!("{site}iframe.js"),
            format!("{site}dist/kapforms-iframe.js"),
            format!("{site}favicon.ico"),
            frame.clone(),
        ]
        .into();
        assert_only(&requests(&client).await, &parent_allowed, "the parent page");
        let frame_allowed: Vec<String> = [
            "dist/embed.html",
            "dist/embed-page.css",
            "dist/embed-page.js",
            "dist/kapforms.js",
            "dist/kapforms_form_bg.wasm",
            "dist/instruments/phq9.json",
            "dist/instruments/preview/en/phq9.html",
            "favicon.ico",
        ]
        .iter()
        .map(|file| format!("{partner}{file}"))
        .collect();
        assert_only(&frame_requests, &frame_allowed, "the iframe");
        assert_no_violation(&client).await;
        kapforms_e2e::assert_no_policy_message_in_the_console(&client).await;
    })
    .await;
}

#[tokio::test]
async fn a_parent_on_an_unlisted_origin_receives_nothing_and_is_not_obeyed() {
    with_browser("iframe_unlisted_parent", |client| async move {
        // The page is on http://localhost:…, the frame lists only http://127.0.0.1:….
        let frame = format!("{}dist/embed.html", partner_url());
        let listed = origin_of(&site_url());
        client
            .goto(&format!(
                "{}iframe.html?frame={frame}&allow-origin={listed}",
                localhost_url()
            ))
            .await
            .expect("open the page on localhost");

        // In the frame, the form renders and the patient answers: kap-ready, kap-change and
        // the height would all be posted to a listed parent.
        enter_frame(&client).await;
        run_js(
            &client,
            "window.__seen = [];\n\
             window.addEventListener('message', (e) => window.__seen.push(e.data));",
            vec![],
        )
        .await;
        let form = Form::new(&client, "kap-form");
        form.wait_rendered().await;
        form.answer("phq9_1", "2").await;
        // A marker posted after everything the widget sent: messages from one window arrive
        // in order, so once the parent has it, it has anything the widget posted before.
        run_js(&client, "parent.postMessage('test-marker', '*');", vec![]).await;
        client
            .enter_parent_frame()
            .await
            .expect("back to the parent");
        let messages = wait_for("the marker in the parent", UPDATE_TIMEOUT, || async {
            let messages = run_js(&client, "return window.__messages;", vec![]).await;
            if messages
                .as_array()
                .is_some_and(|list| list.iter().any(|m| m["data"] == "test-marker"))
            {
                Ok(messages)
            } else {
                Err(messages.to_string())
            }
        })
        .await;
        let from_widget: Vec<&Value> = messages
            .as_array()
            .expect("messages")
            .iter()
            .filter(|m| m["data"] != "test-marker")
            .collect();
        assert!(
            from_widget.is_empty(),
            "an unlisted parent got {from_widget:?}"
        );
        assert_eq!(text_of(&client, "frame-height").await, "none yet");
        assert!(listed_events(&client).await.is_empty());

        // The unlisted parent asks the frame to reset, then sends a marker: the frame has
        // handled the call by the time it sees the marker, and kept the answer.
        run_js(
            &client,
            "const frame = document.querySelector('iframe').contentWindow;\n\
             frame.postMessage({ kapforms: 1, type: 'call', id: 1, method: 'reset' }, '*');\n\
             frame.postMessage('test-marker', '*');",
            vec![],
        )
        .await;
        enter_frame(&client).await;
        wait_for("the marker in the frame", UPDATE_TIMEOUT, || async {
            let seen = run_js(&client, "return window.__seen;", vec![]).await;
            if seen
                .as_array()
                .is_some_and(|list| list.contains(&json!("test-marker")))
            {
                Ok(())
            } else {
                Err(seen.to_string())
            }
        })
        .await;
        let form = Form::new(&client, "kap-form");
        assert!(form.is_checked("phq9_1", "2").await, "the call was ignored");
        let response = run_js(
            &client,
            "return document.querySelector('kap-form').getResponse();",
            vec![],
        )
        .await;
        assert_eq!(response["answers"]["phq9_1"], "2", "{response}");
        client
            .enter_parent_frame()
            .await
            .expect("back to the parent");
        let results = run_js(
            &client,
            "return window.__messages.filter((m) => m.data && m.data.type === 'result');",
            vec![],
        )
        .await;
        assert_eq!(results, json!([]), "no result goes to an unlisted parent");
    })
    .await;
}

#[tokio::test]
async fn a_page_loads_the_widget_from_another_origin_with_cors_and_integrity() {
    with_browser("cross_origin_script", |client| async move {
        let partner = partner_url();
        open(&client, &format!("cross-origin.html?dist={partner}dist/")).await;
        let form = Form::new(&client, "#cors-form");
        form.wait_rendered().await;
        let source = text_of(&client, "cors-source").await;
        assert_eq!(source, format!("{partner}dist/kapforms.js"));
        answer_all(&form, &phq9_ones()).await;
        form.submit().await;
        let received = kapforms_e2e::wait_for_received_response(&client).await;
        assert_eq!(received["status"], "completed");
        assert_eq!(received["scores"][0]["value"], 9);
        // The widget came from the other origin, pinned by integrity, and the page fetched
        // nothing else of anyone's.
        let site = site_url();
        let mut allowed: Vec<String> = [
            "cross-origin.html",
            "security.js",
            "demo.css",
            "demo.js",
            "cross-origin.js",
            "favicon.ico",
        ]
        .iter()
        .map(|file| format!("{site}{file}"))
        .collect();
        for file in [
            "integrity.json",
            "kapforms.js",
            "kapforms_form_bg.wasm",
            "instruments/phq9.json",
            "instruments/preview/en/phq9.html",
        ] {
            allowed.push(format!("{partner}dist/{file}"));
        }
        let seen = requests(&client).await;
        assert_only(&seen, &allowed, "the cross-origin page");
        // The module and the PHQ-9's definition came from the other origin, each fetched with
        // the hash kapforms.js carries (a mismatch fails the fetch, and no form would show).
        for file in ["kapforms_form_bg.wasm", "instruments/phq9.json"] {
            assert!(
                seen.contains(&format!("{partner}dist/{file}")),
                "{file} in {seen:?}"
            );
        }
        assert_no_violation(&client).await;
    })
    .await;
}
