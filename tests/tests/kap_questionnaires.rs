//! kapforms' four KAP questionnaires completed in a real `<kap-form>` as a patient would
//! (clicking options, typing into fields, adding medicine rows, page by page), checking the
//! flags and summaries the host receives: the intake's contraindication screening (pregnancy
//! held for review, a benzodiazepine to monitor, an unknown medicine listed, a raised blood
//! pressure, PHQ-9 item 9 with crisis resources shown at once), with DAST-10 left out until
//! the clinic's text pack arrives and the clinic's own blood pressure thresholds; motivation
//! under pressure from others; a readiness gap (no ride home); and cravings between sessions
//! at the integration check-in.

use kapforms_e2e::{
    open, run_js, wait_for, wait_for_received_response, with_browser, Form, RENDER_TIMEOUT,
};
use serde_json::{json, Value};

/// Creates `<kap-form id="f">` for `instrument` on the instruments page, with the host
/// options given as element properties (`textPack`, `thresholds`).
async fn create_form(client: &fantoccini::Client, instrument: &str, properties: Value) {
    open(client, "instruments.html").await;
    wait_for("kap-form to be defined", RENDER_TIMEOUT, || async {
        let defined = run_js(client, "return !!customElements.get('kap-form');", vec![]).await;
        if defined == Value::Bool(true) {
            Ok(())
        } else {
            Err("not yet".to_owned())
        }
    })
    .await;
    run_js(
        client,
        "window.__kapDone = new Set(); window.__kapSeen = new Set();\n\
         const form = document.createElement('kap-form');\n\
         form.id = 'f';\n\
         Object.assign(form, arguments[1]);\n\
         form.setAttribute('instrument', arguments[0]);\n\
         document.getElementById('forms').append(form);",
        vec![json!(instrument), properties],
    )
    .await;
}

/// One patient action on the current page: answers the first question not yet answered,
/// with the planned answer (`plan[item id]`: an option code, a list of codes, a number or
/// text, or `{"rows": [names]}` for a medicine list) or else a plain one ("no", "none",
/// "not at all", the first option; "An answer" for text), or presses Continue when the page
/// is done. Returns `{acted, crisis_before, seen}`; `acted` is null on "check your answers".
const STEP: &str = r#"
const plan = arguments[0];
const root = document.getElementById('f').shadowRoot;
const done = window.__kapDone;
const crisisBefore = !!root.querySelector('[data-crisis]');
const report = (acted) => ({ acted, crisis_before: crisisBefore, seen: [...window.__kapSeen] });
if (root.querySelector('[data-error-summary]')) return report('error: ' + root.querySelector('[data-error-summary]').textContent);
const prefer = ['no', 'none', 'neither', 'not_applicable', '0'];
const type = (input, value) => {
  input.value = String(value);
  const typed = input.type === 'number' || input.type === 'date';
  input.dispatchEvent(new Event(typed ? 'change' : 'input', { bubbles: true }));
};
for (const item of root.querySelectorAll('[data-item]')) {
  const id = item.getAttribute('data-item');
  window.__kapSeen.add(id);
  if (done.has(id)) continue;
  const want = plan[id];
  if (item.querySelector('[data-action=add-row]') || item.querySelector('[data-row]')) {
    const names = (want && want.rows) || ['An answer'];
    for (let row = 0; row < names.length; row++) {
      const input = item.querySelector(`[data-row="${row}"] input[data-field=name]`);
      if (!input) { item.querySelector('[data-action=add-row]').click(); return report(id); }
      if (!input.value) { type(input, names[row]); return report(id); }
    }
    done.add(id);
    continue;
  }
  const radios = [...item.querySelectorAll('input[type=radio]')];
  if (radios.length) {
    if (radios.some((r) => r.checked)) { done.add(id); continue; }
    const pick = radios.find((r) => r.value === want)
      || (want === undefined && prefer.map((v) => radios.find((r) => r.value === v)).find(Boolean))
      || radios[0];
    pick.click();
    return report(id);
  }
  const boxes = [...item.querySelectorAll('input[type=checkbox]')];
  if (boxes.length) {
    const wanted = want || [(prefer.map((v) => boxes.find((b) => b.value === v)).find(Boolean) || boxes[0]).value];
    const next = boxes.find((b) => wanted.includes(b.value) && !b.checked);
    if (next) { next.click(); return report(id); }
    done.add(id);
    continue;
  }
  const input = item.querySelector('input, textarea');
  if (input) {
    if (!input.value) {
      type(input, want !== undefined ? want
        : input.type === 'number' ? (input.min || '1')
        : input.type === 'date' ? '2026-01-15' : 'An answer');
      return report(id);
    }
    done.add(id);
    continue;
  }
  done.add(id);
}
const next = root.querySelector('button[data-action=next]');
if (next) { done.clear(); next.click(); return report('next'); }
return report(null);
"#;

/// What the patient's pass through a questionnaire showed.
struct Completed {
    /// The response the host received.
    response: Value,
    /// The item answered just before crisis resources first appeared, if they did.
    crisis_after: Option<String>,
    /// Every item id rendered on the way.
    seen: Vec<String>,
}

/// Completes the form `#f` with `plan`, submits, and returns what the host received.
async fn complete(client: &fantoccini::Client, plan: Value) -> Completed {
    let form = Form::new(client, "#f");
    form.wait_rendered().await;
    let mut previous: Option<String> = None;
    let mut crisis_after = None;
    let mut seen = Vec::new();
    for step in 0.. {
        assert!(step < 600, "answering does not end");
        let result = run_js(client, STEP, vec![plan.clone()]).await;
        let acted = result["acted"].as_str().map(str::to_owned);
        if result["crisis_before"] == Value::Bool(true) && crisis_after.is_none() {
            crisis_after = Some(previous.clone().unwrap_or_default());
        }
        if let Some(list) = result["seen"].as_array() {
            seen = list
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
        }
        match acted {
            None => break,
            Some(error) if error.starts_with("error") => {
                panic!("a page refused to continue: {error}\n{}", form.html().await)
            }
            Some(acted) => {
                if acted == "next" {
                    // Wait for the next page before acting again.
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                previous = Some(acted);
            }
        }
    }
    form.submit().await;
    Completed {
        response: wait_for_received_response(client).await,
        crisis_after,
        seen,
    }
}

fn flag<'a>(response: &'a Value, id: &str) -> Option<&'a Value> {
    response["flags"]
        .as_array()?
        .iter()
        .find(|flag| flag["id"] == id)
}

fn flag_ids(response: &Value) -> Vec<String> {
    let mut ids: Vec<String> = response["flags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|flag| flag["id"].as_str().map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

fn score<'a>(response: &'a Value, id: &str) -> &'a Value {
    response["scores"]
        .as_array()
        .and_then(|scores| scores.iter().find(|score| score["id"] == id))
        .unwrap_or_else(|| panic!("no score {id}: {response}"))
}

/// The intake as a pregnant patient taking Xanax and sertraline, with a home reading of
/// 150/95 and thoughts of death on several days.
fn intake_plan() -> Value {
    json!({
        "pregnant": "yes",
        "takes_medicines": "yes",
        "medications": {"rows": ["Xanax 0.5 mg", "sertraline 50 mg"]},
        "bp_systolic": 150,
        "bp_diastolic": 95,
        "heart_rate": 72,
        "mood.phq9_9": "1",
    })
}

/// The checks both intake runs share.
fn check_intake_screening(completed: &Completed) {
    let response = &completed.response;
    let pregnancy = flag(response, "pregnancy").expect("pregnancy flag");
    assert_eq!(pregnancy["severity"], "exclude_pending_review");
    assert!(pregnancy["label"]
        .as_str()
        .is_some_and(|l| l.contains("exclude pending clinician review")));
    let benzo = flag(response, "medication_benzodiazepine").expect("benzodiazepine flag");
    assert_eq!(benzo["severity"], "monitor");
    assert!(benzo["label"]
        .as_str()
        .is_some_and(|l| l.contains("benzodiazepine")));
    assert_eq!(benzo["details"], json!(["Xanax 0.5 mg"]));
    // The unknown medicine raises no class flag; it is listed for the clinician to read.
    let listed = flag(response, "medication_unrecognised").expect("listed");
    assert_eq!(listed["severity"], "info");
    assert_eq!(listed["details"], json!(["sertraline 50 mg"]));
    let safety = flag(response, "mood.phq9_item9").expect("PHQ-9 item 9");
    assert_eq!(safety["severity"], "safety");
    assert_eq!(
        completed.crisis_after.as_deref(),
        Some("mood.phq9_9"),
        "crisis resources appear right after the answer to PHQ-9 item 9, not before"
    );
    assert_eq!(
        response["answers"]["medications"][1]["name"],
        "sertraline 50 mg"
    );
}

#[tokio::test]
async fn the_intake_screens_and_leaves_out_dast10_without_its_wording() {
    with_browser("kap_intake", |client| async move {
        create_form(&client, "intake", json!({})).await;
        let completed = complete(&client, intake_plan()).await;
        check_intake_screening(&completed);
        let response = &completed.response;
        assert_eq!(
            flag_ids(response),
            [
                "blood_pressure_raised",
                "medication_benzodiazepine",
                "medication_unrecognised",
                "mood.phq9_item9",
                "pregnancy"
            ]
        );
        let bp = flag(response, "blood_pressure_raised").expect("blood pressure");
        assert_eq!(bp["severity"], "monitor");
        assert_eq!(
            bp["label"],
            "Reported blood pressure above 140/90 mmHg: recheck before dosing"
        );
        // DAST-10 was never shown, not required, not scored, and the clinician is told.
        assert!(
            completed.seen.iter().all(|id| !id.starts_with("drugs.")),
            "{:?}",
            completed.seen
        );
        assert!(completed.seen.iter().any(|id| id == "trauma.pcl5_1"));
        assert_eq!(response["withheld_sections"], json!(["drugs.dast10"]));
        let dast = score(response, "drugs.dast10_total");
        assert_eq!(dast["available"], false);
        assert!(dast.get("band").is_none());
        assert!(response.get("thresholds").is_none());
    })
    .await;
}

#[tokio::test]
async fn with_the_clinics_text_pack_and_thresholds_dast10_is_asked_and_bp_judged_by_them() {
    with_browser("kap_intake_licensed", |client| async move {
        let pack: serde_json::Map<String, Value> = (1..=10)
            .map(|n| {
                (
                    format!("dast10_{n}"),
                    json!(format!("Licensed DAST-10 question {n}")),
                )
            })
            .collect();
        create_form(
            &client,
            "intake",
            json!({
                "textPack": pack,
                "thresholds": {"bp_monitor_systolic": 160, "bp_monitor_diastolic": 100},
            }),
        )
        .await;
        let completed = complete(&client, intake_plan()).await;
        check_intake_screening(&completed);
        let response = &completed.response;
        // 150/95 is not above the clinic's 160/100, and the response says which values held.
        assert!(
            flag(response, "blood_pressure_raised").is_none(),
            "{response}"
        );
        assert_eq!(
            response["thresholds"],
            json!({"bp_monitor_diastolic": 100, "bp_monitor_systolic": 160})
        );
        // Every DAST-10 question was shown and answered "no": only question 3 (reversed) scores.
        assert!(completed.seen.iter().any(|id| id == "drugs.dast10_10"));
        assert!(response.get("withheld_sections").is_none());
        let dast = score(response, "drugs.dast10_total");
        assert_eq!(dast["value"], 1);
        assert_eq!(dast["band"], "Low level");
        assert!(dast.get("available").is_none());
    })
    .await;
}

#[tokio::test]
async fn thresholds_a_clinic_gets_wrong_are_refused_with_their_path() {
    with_browser("kap_bad_thresholds", |client| async move {
        create_form(
            &client,
            "intake",
            json!({"thresholds": {"bp_monitor_systolic": 400}}),
        )
        .await;
        let form = Form::new(&client, "#f");
        wait_for("the thresholds error", RENDER_TIMEOUT, || async {
            form.text("[data-error]")
                .await
                .ok_or_else(|| "no message yet".to_owned())
        })
        .await;
        let html = form.html().await;
        assert!(html.contains("thresholds.bp_monitor_systolic"), "{html}");
        assert!(!form.exists("fieldset[data-item]").await);
    })
    .await;
}

#[tokio::test]
async fn motivation_readiness_and_integration_report_their_gaps_and_flags() {
    with_browser("kap_other_three", |client| async move {
        create_form(&client, "motivation", json!({})).await;
        let completed = complete(
            &client,
            json!({
                "reasons": ["relief", "pressure"],
                "main_reason": "relief",
                "feel_pressured": "yes",
                "expected_speed": "few_sessions",
                "expected_role": "alongside",
                "change.ruler_importance": 8,
                "change.ruler_confidence": 6,
                "change.ruler_readiness": 7,
            }),
        )
        .await;
        let response = &completed.response;
        assert_eq!(flag_ids(response), ["pressure_from_others"]);
        assert_eq!(
            flag(response, "pressure_from_others").expect("flag")["severity"],
            "monitor"
        );
        assert_eq!(score(response, "change.importance")["value"], 8);

        create_form(&client, "readiness", json!({})).await;
        let completed = complete(
            &client,
            json!({
                "understand_feelings": "yes",
                "understand_duration": "yes",
                "understand_side_effects": "yes",
                "understand_driving": "yes",
                "setting": "clinic",
                "ride_home": "no",
                "difficult_plan": "yes",
                "consent_understood": "yes",
            }),
        )
        .await;
        // The readiness summary's one gap: no ride home.
        let response = &completed.response;
        assert_eq!(flag_ids(response), ["no_ride_home"]);
        let gap = flag(response, "no_ride_home").expect("gap");
        assert_eq!(gap["label"], "No ride home arranged");
        assert_eq!(gap["items"], json!(["ride_home"]));

        create_form(&client, "integration", json!({})).await;
        let completed = complete(
            &client,
            json!({
                "harm_thoughts_now": "no",
                "still_drowsy": "no",
                "side_effects": ["nausea"],
                "lingering_dissociation": "session_day",
                "wellbeing.who5_1": "3",
                "wellbeing.who5_2": "3",
                "wellbeing.who5_3": "3",
                "wellbeing.who5_4": "3",
                "wellbeing.who5_5": "3",
                "cravings": "sometimes",
                "extra_use": "no",
            }),
        )
        .await;
        let response = &completed.response;
        assert_eq!(flag_ids(response), ["ketamine_cravings"]);
        let misuse = flag(response, "ketamine_cravings").expect("misuse flag");
        assert!(misuse["label"]
            .as_str()
            .is_some_and(|l| l.contains("review for misuse")));
        assert_eq!(
            completed.crisis_after, None,
            "no safety answer, no crisis panel"
        );
        assert_eq!(score(response, "wellbeing.who5_raw")["value"], 15);
    })
    .await;
}
