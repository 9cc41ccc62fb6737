//! Encrypted local drafts (`drafts="local"`), in the browser: a reload and a browser restart
//! bring back every answer and the page; without the attribute nothing is stored; the stored
//! record is ciphertext under a non-extractable key; submitting and "Clear my answers" wipe
//! it; an expired draft is not restored; when storage is unavailable the form still completes
//! and says so; and (issue 9) fifty reloads at random points across the whole intake lose
//! nothing.

use std::collections::HashSet;
use std::time::Duration;

use fantoccini::Client;
use kapforms_core::definition::{ItemKind, Questionnaire};
use kapforms_e2e::{
    host_received, open, run_js, wait_for, wait_for_host_event, wait_for_received_response,
    with_browser, with_browser_args, Form, RENDER_TIMEOUT, UPDATE_TIMEOUT,
};
use serde_json::{json, Value};

/// The demo page with the intake and drafts on.
const DRAFTS_PAGE: &str = "drafts.html";
/// The form on the demo pages.
const FORM: &str = "#demo-form";

/// Reads the drafts database as the page sees it: the databases on this origin, every draft
/// record raw (its fields, IV and ciphertext bytes) and decrypted with the stored key, and how
/// the key is described. Opens the database only if it exists (opening creates it).
const READ_DRAFTS: &str = r#"
const done = arguments[arguments.length - 1];
(async () => {
  const names = (await indexedDB.databases()).map((d) => d.name);
  if (!names.includes('kapforms-drafts')) return { databases: names, records: [], key: null };
  const request = (r) => new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error);
  });
  const db = await request(indexedDB.open('kapforms-drafts'));
  const tx = db.transaction(['drafts', 'keys']);
  const [keys, values, key] = await Promise.all([
    request(tx.objectStore('drafts').getAllKeys()),
    request(tx.objectStore('drafts').getAll()),
    request(tx.objectStore('keys').get('aes-gcm')),
  ]);
  db.close();
  const records = [];
  for (let i = 0; i < values.length; i += 1) {
    const r = values[i];
    let decrypted = null;
    try {
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: r.iv,
        additionalData: new TextEncoder().encode(JSON.stringify(keys[i])) }, key, r.data);
      decrypted = JSON.parse(new TextDecoder().decode(plain));
    } catch (e) { decrypted = null; }
    records.push({ key: keys[i], fields: Object.keys(r).sort(),
      ivIsBytes: r.iv instanceof Uint8Array, dataIsBuffer: r.data instanceof ArrayBuffer,
      iv: Array.from(r.iv ?? []), data: Array.from(new Uint8Array(r.data ?? new ArrayBuffer(0))),
      savedAt: r.savedAt, expiresAt: r.expiresAt, decrypted });
  }
  return { databases: names, records, key: key ? { isCryptoKey: key instanceof CryptoKey,
    type: key.type, extractable: key.extractable, algorithm: key.algorithm.name,
    usages: key.usages } : null };
})().then(done, (e) => done({ error: String(e) }));
"#;

/// What [`READ_DRAFTS`] found.
async fn stored_drafts(client: &Client) -> Value {
    let value = client
        .execute_async(READ_DRAFTS, vec![])
        .await
        .unwrap_or_else(|e| panic!("reading the drafts database failed: {e}"));
    assert!(value.get("error").is_none(), "reading the drafts: {value}");
    value
}

/// The records of the drafts database.
/// Waits until no draft record is stored (`what` names the wait in a failure).
async fn wait_no_drafts(client: &Client, what: &str) {
    wait_for(what, UPDATE_TIMEOUT, || async {
        let records = records(client).await;
        if records.is_empty() {
            Ok(())
        } else {
            Err(format!("{records:?}"))
        }
    })
    .await;
}

async fn records(client: &Client) -> Vec<Value> {
    stored_drafts(client).await["records"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Waits until the draft of `instrument` (decrypted) holds `answers` (a subset check).
async fn wait_draft_holds(client: &Client, instrument: &str, answers: &Value) -> Value {
    wait_for(
        &format!("the stored draft of {instrument} to hold {answers}"),
        UPDATE_TIMEOUT,
        || async {
            let records = records(client).await;
            let found = records.iter().find(|record| {
                record["decrypted"]["instrument"] == instrument
                    && answers.as_object().is_some_and(|wanted| {
                        wanted
                            .iter()
                            .all(|(id, value)| record["decrypted"]["answers"][id] == *value)
                    })
            });
            found
                .cloned()
                .ok_or_else(|| format!("records: {records:?}"))
        },
    )
    .await
}

/// Waits until the stored intake draft holds every answer in `given` and the page `page`.
async fn wait_draft_is(client: &Client, given: &serde_json::Map<String, Value>, page: &str) {
    if given.is_empty() {
        return;
    }
    wait_for(
        "the draft to hold every answer given",
        UPDATE_TIMEOUT,
        || async {
            let records = records(client).await;
            let holds = records.iter().any(|record| {
                let draft = &record["decrypted"];
                draft["page"] == page
                    && given
                        .iter()
                        .all(|(id, value)| draft["answers"][id] == *value)
            });
            if holds {
                Ok(())
            } else {
                Err(format!("{records:?}"))
            }
        },
    )
    .await;
}

/// The intake's definition, as the widget has it.
fn intake() -> Questionnaire {
    kapforms_instruments::load("intake")
        .expect("a built-in")
        .expect("valid")
}

/// The element's current answers, from `getResponse()` (answers of visible items).
async fn response_answers(client: &Client, host: &str) -> Value {
    let response = run_js(
        client,
        "const form = document.querySelector(arguments[0]);\n\
         const response = form && form.getResponse();\n\
         return response ? response.answers : null;",
        vec![json!(host)],
    )
    .await;
    assert!(response.is_object(), "{host}: no response ({response})");
    response
}

/// Waits until the form shows the draft notice `name` (`restored`, `unavailable`, `cleared`).
async fn wait_notice(form: &Form, name: &str) {
    let css = format!("[data-draft-notice=\"{name}\"]");
    form.wait_present(&css, RENDER_TIMEOUT).await;
}

/// Waits until the form is on section `id`.
async fn wait_section(form: &Form, id: &str) {
    let css = format!("[data-section=\"{id}\"]");
    form.wait_present(&css, RENDER_TIMEOUT).await;
}

/// The id of the section the form shows, or its page (`start`, `review`, `done`).
async fn current_page(form: &Form) -> String {
    if let Some(section) = form.attr("[data-section]", "data-section").await {
        return section;
    }
    form.attr("[data-page]", "data-page")
        .await
        .unwrap_or_default()
}

/// The element matching `css` in the form, or a failure saying `what` and showing the form.
async fn find(form: &Form, css: &str, what: &str) -> fantoccini::elements::Element {
    match form.query(css).await {
        Some(element) => element,
        None => panic!("{what}: {}", form.html().await),
    }
}

/// Clicks the button `data-action="<action>"`.
async fn click(form: &Form, action: &str) {
    let css = format!("button[data-action=\"{action}\"]");
    let button = find(form, &css, &format!("no `{css}`")).await;
    button
        .click()
        .await
        .unwrap_or_else(|e| panic!("clicking `{css}` failed: {e}"));
}

/// Types `text` into the text field (input or textarea) of item `item`.
async fn type_text(form: &Form, item: &str, text: &str) {
    let css = format!(
        "[data-item=\"{item}\"] input[type=\"text\"], [data-item=\"{item}\"] textarea, \
         [data-item=\"{item}\"] input[type=\"number\"]"
    );
    let field = find(form, &css, &format!("no text field for {item}")).await;
    field
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("typing into {item} failed: {e}"));
}

/// The value of item `item`'s text field.
async fn text_value(form: &Form, item: &str) -> Option<String> {
    form.value(&format!(
        "[data-item=\"{item}\"] input[type=\"text\"], [data-item=\"{item}\"] textarea, \
         [data-item=\"{item}\"] input[type=\"number\"]"
    ))
    .await
}

/// Reloads the page.
async fn reload(client: &Client) {
    client
        .refresh()
        .await
        .unwrap_or_else(|e| panic!("reloading failed: {e}"));
}

/// Waits until the form shows its start page or a question (the first render).
async fn wait_loaded(form: &Form) {
    form.wait_present("[data-page]", RENDER_TIMEOUT).await;
}

#[tokio::test]
async fn a_reload_restores_every_answer_and_the_page() {
    with_browser("drafts_reload", |client| async move {
        open(&client, DRAFTS_PAGE).await;
        let form = Form::new(&client, FORM);
        form.wait_rendered().await;
        type_text(&form, "emergency_name", "Robin Example").await;
        type_text(&form, "emergency_phone", "555 0100").await;
        click(&form, "next").await;
        wait_section(&form, "reasons").await;
        type_text(&form, "referral_reason", "Low mood for a long time").await;
        form.answer("referred_by", "self").await;
        click(&form, "next").await;
        wait_section(&form, "psychiatric_history").await;
        form.answer("hospital_stay", "no").await;
        form.answer("psychosis_experience", "no").await;
        let given = json!({
            "emergency_name": "Robin Example",
            "emergency_phone": "555 0100",
            "referral_reason": "Low mood for a long time",
            "referred_by": "self",
            "hospital_stay": "no",
            "psychosis_experience": "no",
        });

        reload(&client).await;
        wait_notice(&form, "restored").await;
        assert_eq!(current_page(&form).await, "psychiatric_history");
        assert!(form.is_checked("hospital_stay", "no").await);
        assert!(form.is_checked("psychosis_experience", "no").await);
        assert_eq!(response_answers(&client, FORM).await, given);
        let notice = form.text("[data-draft-notice]").await.unwrap_or_default();
        assert!(notice.contains("earlier"), "{notice}");
        assert!(form.exists(".kf-draft-kept").await);

        // Earlier pages hold their answers too, and moving on clears the notice.
        click(&form, "back").await;
        wait_section(&form, "reasons").await;
        assert!(!form.exists("[data-draft-notice]").await);
        assert!(form.is_checked("referred_by", "self").await);
        assert_eq!(
            text_value(&form, "referral_reason").await.as_deref(),
            Some("Low mood for a long time")
        );
        click(&form, "back").await;
        wait_section(&form, "contacts").await;
        assert_eq!(
            text_value(&form, "emergency_name").await.as_deref(),
            Some("Robin Example")
        );
    })
    .await;
}

#[tokio::test]
async fn a_browser_restart_with_the_same_profile_restores_the_draft() {
    let profile =
        std::env::temp_dir().join(format!("kapforms-drafts-profile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let args = vec![format!("--user-data-dir={}", profile.display())];
    with_browser_args("drafts_restart_first", &args, |client| async move {
        open(&client, DRAFTS_PAGE).await;
        let form = Form::new(&client, FORM);
        form.wait_rendered().await;
        type_text(&form, "emergency_name", "Alex Restart").await;
        type_text(&form, "emergency_phone", "555 0199").await;
        click(&form, "next").await;
        wait_section(&form, "reasons").await;
        form.answer("referred_by", "therapist").await;
        wait_draft_holds(
            &client,
            "intake",
            &json!({ "emergency_name": "Alex Restart", "referred_by": "therapist" }),
        )
        .await;
    })
    .await;
    with_browser_args("drafts_restart_second", &args, |client| async move {
        open(&client, DRAFTS_PAGE).await;
        let form = Form::new(&client, FORM);
        wait_notice(&form, "restored").await;
        assert_eq!(current_page(&form).await, "reasons");
        assert!(form.is_checked("referred_by", "therapist").await);
        assert_eq!(
            response_answers(&client, FORM).await,
            json!({
                "emergency_name": "Alex Restart",
                "emergency_phone": "555 0199",
                "referred_by": "therapist",
            })
        );
    })
    .await;
    let _ = std::fs::remove_dir_all(&profile);
}

#[tokio::test]
async fn without_the_attribute_nothing_is_stored_anywhere() {
    with_browser("drafts_off", |client| async move {
        open(&client, "intake.html").await;
        let form = Form::new(&client, FORM);
        form.wait_rendered().await;
        type_text(&form, "emergency_name", "Nobody Stored").await;
        type_text(&form, "emergency_phone", "555 0123").await;
        click(&form, "next").await;
        wait_section(&form, "reasons").await;
        form.answer("referred_by", "self").await;
        assert!(!form.exists("[data-action=\"clear-answers\"]").await);
        assert!(!form.exists("[data-draft-notice]").await);
        let stored = stored_drafts(&client).await;
        assert_eq!(stored["databases"], json!([]), "{stored}");
        let web_storage = run_js(
            &client,
            "return { local: localStorage.length, session: sessionStorage.length };",
            vec![],
        )
        .await;
        assert_eq!(web_storage, json!({ "local": 0, "session": 0 }));

        // The same check sees the database when drafts are on.
        open(&client, DRAFTS_PAGE).await;
        form.wait_rendered().await;
        type_text(&form, "emergency_name", "Somebody Stored").await;
        wait_draft_holds(
            &client,
            "intake",
            &json!({ "emergency_name": "Somebody Stored" }),
        )
        .await;
        let stored = stored_drafts(&client).await;
        assert_eq!(stored["databases"], json!(["kapforms-drafts"]), "{stored}");
    })
    .await;
}

/// Whether `needle` occurs in `haystack`.
fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

/// A JSON array of byte values as bytes.
fn bytes(value: &Value) -> Vec<u8> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_stored_record_holds_no_answer_in_plaintext() {
    with_browser("drafts_encrypted", |client| async move {
        open(&client, DRAFTS_PAGE).await;
        let form = Form::new(&client, FORM);
        form.wait_rendered().await;
        let name = "Quintessa Marlowe";
        let phone = "0170 5550199";
        let relationship = "Sister in law";
        type_text(&form, "emergency_name", name).await;
        type_text(&form, "emergency_phone", phone).await;
        type_text(&form, "emergency_relationship", relationship).await;
        let first = wait_draft_holds(
            &client,
            "intake",
            &json!({ "emergency_name": name, "emergency_phone": phone,
                     "emergency_relationship": relationship }),
        )
        .await;

        let stored = stored_drafts(&client).await;
        let key = &stored["key"];
        assert_eq!(
            key,
            &json!({ "isCryptoKey": true, "type": "secret", "extractable": false,
                     "algorithm": "AES-GCM", "usages": ["encrypt", "decrypt"] }),
            "{stored}"
        );
        let records = stored["records"].as_array().cloned().unwrap_or_default();
        assert_eq!(records.len(), 1, "{stored}");
        let record = &records[0];
        assert_eq!(
            record["fields"],
            json!(["data", "expiresAt", "iv", "savedAt"])
        );
        assert_eq!(record["ivIsBytes"], true);
        assert_eq!(record["dataIsBuffer"], true);
        assert_eq!(bytes(&record["iv"]).len(), 12, "a 96-bit IV");
        // The record's key names the form (instrument, content hash), never an answer.
        let record_key = record["key"].to_string();
        let raw: Vec<u8> = [bytes(&record["iv"]), bytes(&record["data"])].concat();
        for secret in [
            name,
            phone,
            relationship,
            "Quintessa",
            "emergency_name",
            "answers",
        ] {
            let utf16: Vec<u8> = secret.encode_utf16().flat_map(u16::to_le_bytes).collect();
            assert!(
                !contains_bytes(&raw, secret.as_bytes()),
                "`{secret}` in plaintext"
            );
            assert!(!contains_bytes(&raw, &utf16), "`{secret}` in UTF-16");
            assert!(
                !record_key.contains(secret),
                "`{secret}` in the key {record_key}"
            );
        }
        // ...and yet it is the draft: the stored key decrypts it to the answers.
        assert_eq!(record["decrypted"]["answers"]["emergency_name"], name);
        assert_eq!(record["decrypted"]["page"], "section:contacts");

        // Every save has a fresh IV.
        type_text(&form, "support_person", "Jo").await;
        let second = wait_draft_holds(&client, "intake", &json!({ "support_person": "Jo" })).await;
        assert_ne!(bytes(&first["iv"]), bytes(&second["iv"]));
    })
    .await;
}

#[tokio::test]
async fn submitting_and_clearing_wipe_the_draft_and_two_forms_keep_their_own() {
    with_browser("drafts_wipe", |client| async move {
        open(&client, "drafts-two.html").await;
        let a = Form::new(&client, "#a");
        let b = Form::new(&client, "#b");
        a.wait_rendered().await;
        b.wait_rendered().await;
        for item in 1..=9 {
            a.answer(&format!("phq9_{item}"), "1").await;
        }
        b.answer("phq9_1", "3").await;
        b.answer("phq9_2", "2").await;
        wait_draft_holds(&client, "phq9", &json!({ "phq9_9": "1" })).await;
        wait_draft_holds(&client, "phq9", &json!({ "phq9_2": "2" })).await;

        // Two forms of the same questionnaire with their own draft-key do not clash.
        reload(&client).await;
        wait_notice(&a, "restored").await;
        wait_notice(&b, "restored").await;
        assert_eq!(
            response_answers(&client, "#b").await,
            json!({ "phq9_1": "3", "phq9_2": "2" })
        );
        assert_eq!(response_answers(&client, "#a").await["phq9_9"], "1");
        assert_eq!(records(&client).await.len(), 2);

        // Submitting wipes that form's draft only.
        a.submit().await;
        let response = wait_for_received_response(&client).await;
        assert_eq!(response["answers"]["phq9_5"], "1");
        wait_for("a's draft to be deleted", UPDATE_TIMEOUT, || async {
            let records = records(&client).await;
            if records.len() == 1 && records[0]["decrypted"]["answers"]["phq9_1"] == "3" {
                Ok(())
            } else {
                Err(format!("{records:?}"))
            }
        })
        .await;

        // "Clear my answers" asks first; keeping the answers keeps them.
        click(&b, "clear-answers").await;
        b.wait_visible("[data-clear-confirm]").await;
        click(&b, "cancel-clear").await;
        b.wait_visible("button[data-action=\"clear-answers\"]")
            .await;
        assert!(b.is_checked("phq9_1", "3").await);
        assert_eq!(records(&client).await.len(), 1);
        // Confirming empties the form and wipes the draft.
        click(&b, "clear-answers").await;
        b.wait_visible("[data-clear-confirm]").await;
        click(&b, "confirm-clear").await;
        wait_notice(&b, "cleared").await;
        b.wait_rendered().await;
        assert!(!b.is_checked("phq9_1", "3").await);
        assert_eq!(response_answers(&client, "#b").await, json!({}));
        wait_no_drafts(&client, "b's draft to be deleted").await;
        reload(&client).await;
        b.wait_rendered().await;
        assert!(!b.exists("[data-draft-notice]").await);
        assert_eq!(response_answers(&client, "#b").await, json!({}));
    })
    .await;
}

#[tokio::test]
async fn a_second_form_claiming_the_same_draft_keeps_none_and_says_so() {
    with_browser("drafts_clash", |client| async move {
        open(&client, "drafts-two.html").await;
        let a = Form::new(&client, "#a");
        let b = Form::new(&client, "#b");
        a.wait_rendered().await;
        b.wait_rendered().await;
        run_js(
            &client,
            "document.getElementById('b').setAttribute('draft-key', 'first');",
            vec![],
        )
        .await;
        wait_notice(&b, "unavailable").await;
        wait_for_host_event(&client, "kap-error", UPDATE_TIMEOUT).await;
        assert!(host_received(&client).await.contains("draft-key-clash"));
        assert!(!a.exists("[data-draft-notice]").await);
        b.answer("phq9_1", "3").await;
        a.answer("phq9_1", "1").await;
        wait_draft_holds(&client, "phq9", &json!({ "phq9_1": "1" })).await;
        let records = records(&client).await;
        assert_eq!(records.len(), 1, "{records:?}");
        assert_eq!(records[0]["key"][0], "first");
    })
    .await;
}

#[tokio::test]
async fn an_expired_draft_is_deleted_not_restored() {
    with_browser("drafts_expiry", |client| async move {
        open(&client, DRAFTS_PAGE).await;
        let form = Form::new(&client, FORM);
        form.wait_rendered().await;
        // A lifetime of half a second (in hours), set as a host would.
        run_js(
            &client,
            "document.querySelector(arguments[0]).setAttribute('drafts-ttl', String(0.5 / 3600));",
            vec![json!(FORM)],
        )
        .await;
        form.wait_rendered().await;
        type_text(&form, "emergency_name", "Soon Gone").await;
        let record =
            wait_draft_holds(&client, "intake", &json!({ "emergency_name": "Soon Gone" })).await;
        let lifetime =
            record["expiresAt"].as_f64().unwrap_or(0.0) - record["savedAt"].as_f64().unwrap_or(0.0);
        assert!((lifetime - 500.0).abs() < 1.0, "{record}");
        tokio::time::sleep(Duration::from_millis(1500)).await;

        reload(&client).await;
        wait_loaded(&form).await;
        wait_no_drafts(&client, "the expired draft to be deleted").await;
        assert!(!form.exists("[data-draft-notice]").await);
        form.wait_rendered().await;
        assert_eq!(
            text_value(&form, "emergency_name").await.as_deref(),
            Some("")
        );
        assert_eq!(response_answers(&client, FORM).await, json!({}));
    })
    .await;
}

#[tokio::test]
async fn when_storage_is_unavailable_the_form_still_completes_and_says_so() {
    for broken in ["idb", "crypto", "quota"] {
        with_browser(
            &format!("drafts_unavailable_{broken}"),
            move |client| async move {
                open(&client, &format!("drafts-unavailable.html?break={broken}")).await;
                let form = Form::new(&client, FORM);
                form.wait_rendered().await;
                form.answer("phq9_1", "2").await;
                wait_notice(&form, "unavailable").await;
                let notices = run_js(
                    &client,
                    "return document.querySelector(arguments[0]).shadowRoot\n\
                   .querySelectorAll('[data-draft-notice]').length;",
                    vec![json!(FORM)],
                )
                .await;
                assert_eq!(notices, json!(1), "{broken}: told once");
                let text = form.text("[data-draft-notice]").await.unwrap_or_default();
                assert!(text.contains("will not be kept"), "{broken}: {text}");
                // The form no longer says the answers are kept on this device.
                assert!(!form.exists(".kf-draft-kept").await, "{broken}");
                for item in 2..=9 {
                    form.answer(&format!("phq9_{item}"), "0").await;
                }
                form.submit().await;
                let response = wait_for_received_response(&client).await;
                assert_eq!(response["status"], "completed", "{broken}: {response}");
                assert_eq!(response["answers"]["phq9_1"], "2", "{broken}: {response}");
                assert_eq!(response["answers"]["phq9_9"], "0", "{broken}: {response}");
                assert!(form.exists("[data-submitted]").await, "{broken}");
            },
        )
        .await;
    }
}

/// A small deterministic random number generator (xorshift64*), so a failing run can be
/// repeated with its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The items on the current page: `[{id, inputs: [{type, value}], hasGroup}]`.
async fn page_items(form: &Form) -> Vec<Value> {
    form.eval(
        "if (!root) return [];\n\
         return Array.from(root.querySelectorAll('[data-section] [data-item]')).map((item) => ({\n\
           id: item.getAttribute('data-item'),\n\
           group: item.classList.contains('kf-group'),\n\
           options: Array.from(item.querySelectorAll('input[type=radio], input[type=checkbox]'))\n\
             .map((input) => input.value),\n\
         }));",
    )
    .await
    .as_array()
    .cloned()
    .unwrap_or_default()
}

/// Answers one item at random as a patient would, returning the answer as the response
/// holds it; `None` for an item that takes no answer.
async fn answer_at_random(
    form: &Form,
    questionnaire: &Questionnaire,
    item: &Value,
    rng: &mut Rng,
    counter: &mut u32,
) -> Option<Value> {
    let id = item["id"].as_str()?;
    let definition = questionnaire.item(id)?;
    let options: Vec<String> = item["options"]
        .as_array()
        .map(|options| {
            options
                .iter()
                .filter_map(|o| o.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    *counter += 1;
    match &definition.kind {
        ItemKind::SingleChoice { .. } => {
            let code = options[rng.below(options.len())].clone();
            form.answer(id, &code).await;
            Some(json!(code))
        }
        ItemKind::YesNo { .. } => {
            let yes = rng.chance(50);
            form.answer(id, if yes { "yes" } else { "no" }).await;
            Some(json!(yes))
        }
        ItemKind::MultipleChoice { .. } => {
            let code = options[rng.below(options.len())].clone();
            let css = format!("fieldset[data-item=\"{id}\"] input[value=\"{code}\"]");
            form.click_label_of(&css).await;
            Some(json!([code]))
        }
        ItemKind::ShortText { .. } | ItemKind::LongText { .. } => {
            let text = format!("answer {counter} to {id}");
            type_text(form, id, &text).await;
            Some(json!(text))
        }
        ItemKind::Integer { min, max, .. } => {
            let low = min.unwrap_or(0);
            let high = max.unwrap_or(low + 100).max(low);
            let span = usize::try_from(high - low + 1).unwrap_or(1);
            let number = low + i64::try_from(rng.below(span)).unwrap_or(0);
            // A number field reports its value when it loses focus (Tab).
            type_text(form, id, &format!("{number}\u{E004}")).await;
            Some(json!(number))
        }
        ItemKind::RepeatingGroup { .. } if item["group"] == true => {
            let field = format!("[data-item=\"{id}\"] [data-row=\"0\"] [data-field=\"name\"]");
            if !form.exists(&field).await {
                click_in(
                    form,
                    &format!("[data-item=\"{id}\"] [data-action=\"add-row\"]"),
                )
                .await;
            }
            let mut row = serde_json::Map::new();
            for name in ["name", "dose", "frequency"] {
                let css = format!("[data-item=\"{id}\"] [data-row=\"0\"] [data-field=\"{name}\"]");
                let text = format!("{name} {counter}");
                let input = find(form, &css, &format!("no `{css}`")).await;
                input
                    .send_keys(&text)
                    .await
                    .unwrap_or_else(|e| panic!("typing into `{css}` failed: {e}"));
                row.insert(name.to_owned(), json!(text));
            }
            Some(json!([row]))
        }
        _ => None,
    }
}

/// Clicks the element matching `css` in the form.
async fn click_in(form: &Form, css: &str) {
    let element = find(form, css, &format!("no `{css}`")).await;
    element
        .click()
        .await
        .unwrap_or_else(|e| panic!("clicking `{css}` failed: {e}"));
}

/// The seed of the reload test: `KAPFORMS_SEED` if set, else from the clock.
fn seed() -> u64 {
    std::env::var("KAPFORMS_SEED")
        .ok()
        .and_then(|seed| seed.trim().parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |since| since.as_nanos() as u64)
                | 1
        })
}

/// Issue 9, "no lost answers": the intake answered from start to finish with the page
/// reloaded at 50 random points (after an answer or a change of page, once its draft is
/// written, as a patient's reload would come); after every reload each answer given so far is
/// back, on the same page; the submitted response holds every answer given.
#[tokio::test]
async fn fifty_reloads_at_random_points_across_the_intake_lose_nothing() {
    let seed = seed();
    println!("drafts reload test: seed {seed} (set KAPFORMS_SEED={seed} to repeat it)");
    with_browser("drafts_fifty_reloads", move |client| async move {
        const RELOADS: usize = 50;
        let questionnaire = intake();
        let mut rng = Rng(seed);
        // Each answer and each Continue is a point where a reload may come; pick 50 of the
        // points the unconditional items give (conditional ones add points, and any reloads
        // left at the end happen on "check your answers").
        let points: usize = questionnaire
            .sections
            .iter()
            .map(|section| {
                1 + section
                    .items
                    .iter()
                    .filter(|item| item.kind.takes_answer() && item.enable_when.is_none())
                    .count()
            })
            .sum();
        let mut reload_at: Vec<usize> = (0..points).collect();
        for i in (1..reload_at.len()).rev() {
            reload_at.swap(i, rng.below(i + 1));
        }
        reload_at.truncate(RELOADS);
        reload_at.sort_unstable();

        open(&client, DRAFTS_PAGE).await;
        let form = Form::new(&client, FORM);
        form.wait_rendered().await;
        let mut given = serde_json::Map::new();
        let mut decided: HashSet<String> = HashSet::new();
        let mut reloads = 0;
        let mut point = 0;
        let mut counter = 0;

        let check = |given: serde_json::Map<String, Value>, page: String| {
            let client = client.clone();
            let form = form.clone();
            async move {
                // A patient's reload comes at least a reaction time after their last answer;
                // the draft is written within milliseconds of it (kap-draft-saved). Wait for
                // that write rather than race it at machine speed.
                let draft_page = if page == "review" {
                    page.clone()
                } else {
                    format!("section:{page}")
                };
                wait_draft_is(&client, &given, &draft_page).await;
                reload(&client).await;
                if given.is_empty() {
                    wait_loaded(&form).await;
                    return;
                }
                wait_notice(&form, "restored").await;
                let now = current_page(&form).await;
                assert_eq!(now, page, "the page after a reload");
                let answers = response_answers(&client, FORM).await;
                assert_eq!(answers, Value::Object(given), "the answers after a reload");
            }
        };

        loop {
            let page = current_page(&form).await;
            if page == "review" {
                break;
            }
            // Answering may reveal more questions on the page: look again until none is new.
            loop {
                let mut answered_any = false;
                for item in page_items(&form).await {
                    let Some(id) = item["id"].as_str().map(str::to_owned) else {
                        continue;
                    };
                    let Some(definition) = questionnaire.item(&id) else {
                        continue;
                    };
                    if !definition.kind.takes_answer() || !decided.insert(id.clone()) {
                        continue;
                    }
                    if !definition.required && !rng.chance(60) {
                        continue;
                    }
                    let Some(value) =
                        answer_at_random(&form, &questionnaire, &item, &mut rng, &mut counter)
                            .await
                    else {
                        continue;
                    };
                    given.insert(id, value);
                    answered_any = true;
                    point += 1;
                    if reloads < RELOADS && reload_at.binary_search(&point).is_ok() {
                        reloads += 1;
                        check(given.clone(), page.clone()).await;
                    }
                }
                if !answered_any {
                    break;
                }
            }
            // Answers of items now hidden (a condition changed) are not in the response.
            let visible = response_answers(&client, FORM).await;
            given.retain(|id, _| visible.get(id).is_some());
            let before = form.html().await;
            click(&form, "next").await;
            wait_for("the next page", UPDATE_TIMEOUT, || async {
                if form.html().await != before {
                    Ok(())
                } else {
                    Err("unchanged".to_owned())
                }
            })
            .await;
            assert!(
                !form.exists("[data-error-summary]").await,
                "a required answer is missing: {}",
                form.html().await
            );
            point += 1;
            if reloads < RELOADS && reload_at.binary_search(&point).is_ok() {
                reloads += 1;
                check(given.clone(), current_page(&form).await).await;
            }
        }
        while reloads < RELOADS {
            reloads += 1;
            check(given.clone(), "review".to_owned()).await;
        }
        println!("{reloads} reloads, {} answers given", given.len());
        click(&form, "submit").await;
        let response = wait_for_received_response(&client).await;
        assert_eq!(response["answers"], Value::Object(given.clone()));
        // Every required question that is always shown was answered (optional ones are
        // answered at random, three in five), so the run went through the whole intake.
        let always_required = questionnaire
            .items()
            .filter(|item| item.kind.takes_answer() && item.required && item.enable_when.is_none())
            .count();
        assert!(
            given.len() >= always_required && always_required > 20,
            "{} answers for {always_required} required questions",
            given.len()
        );
        wait_no_drafts(&client, "the submitted draft to be deleted").await;
    })
    .await;
}
