//! Keyboard-only use in headless Chromium: a patient completes the whole intake (start page,
//! every section, the error summary and its links, a change from "check your answers",
//! submit) with key presses alone — Tab, Shift+Tab, Enter, Space, arrow keys and typing, sent
//! to whatever has focus; the test reads the page to decide which key to press but never
//! clicks — and the host receives exactly the answers given. Moving to a page puts focus on
//! its heading, whose description is the "Step n of m" progress (what a screen reader
//! announces). Every control reached by Tab shows a visible focus indicator, and a second test
//! tabs through every kind of control the widgets draw (a form with one question of each
//! kind, its error summary, "check your answers", the confirmation, the clinician view).

use std::collections::{BTreeMap, BTreeSet};

use fantoccini::key::Key;
use fantoccini::Client;
use kapforms_e2e::keyboard::{control, focused, press, shift_tab, type_text, Focused};
use kapforms_e2e::{
    open, run_js, wait_for, wait_for_received_response, with_browser, RENDER_TIMEOUT,
    UPDATE_TIMEOUT,
};
use serde_json::{json, Value};

/// The most key presses one search for a control may take.
const MAX_TABS: usize = 120;

/// A keyboard user on one widget (`host` is the CSS selector of its `<kap-form>`), keeping
/// every focus stop it met whose indicator was missing.
struct KeyboardUser {
    client: Client,
    host: String,
    /// Focus stops in the widget without a visible indicator.
    invisible: Vec<String>,
    /// The kinds of control focus reached (see [`Focused::control_kind`]).
    kinds: BTreeSet<String>,
    /// Key presses made.
    presses: usize,
}

impl KeyboardUser {
    fn new(client: &Client, host: &str) -> KeyboardUser {
        KeyboardUser {
            client: client.clone(),
            host: host.to_owned(),
            invisible: Vec::new(),
            kinds: BTreeSet::new(),
            presses: 0,
        }
    }

    /// Runs `body` with `root` bound to the widget's shadow root and `args` to the arguments.
    async fn in_widget(&self, body: &str, args: Vec<Value>) -> Value {
        let script = format!(
            "const root = document.querySelector(arguments[0]).shadowRoot;\n\
             const args = Array.prototype.slice.call(arguments, 1);\n\
             let active = document.activeElement;\n\
             while (active && active.shadowRoot && active.shadowRoot.activeElement)\n\
               active = active.shadowRoot.activeElement;\n\
             {body}"
        );
        let mut all = vec![json!(self.host)];
        all.extend(args);
        run_js(&self.client, &script, all).await
    }

    /// Notes what has focus now: its kind, and whether its focus shows.
    async fn observe(&mut self) -> Focused {
        let now = focused(&self.client).await;
        if now.in_widget && !now.script_focus_only {
            self.kinds.insert(now.control_kind());
            if !now.indicator {
                self.invisible.push(now.describe());
            }
        }
        now
    }

    /// Presses `key` and notes where focus went.
    async fn press(&mut self, key: Key) -> Focused {
        press(&self.client, key).await;
        self.presses += 1;
        self.observe().await
    }

    /// Presses Tab or Shift+Tab (whichever leads there in document order) until focus is on
    /// or inside the first element matching `css` in the widget.
    async fn tab_to(&mut self, css: &str) -> Focused {
        for _ in 0..MAX_TABS {
            let position = self
                .in_widget(
                    "const target = root.querySelector(args[0]);\n\
                     if (!target) return 'missing';\n\
                     if (active && (target === active || target.contains(active))) return 'here';\n\
                     if (!active || !(active.getRootNode() === root)) return 'after';\n\
                     return target.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING\n\
                       ? 'before' : 'after';",
                    vec![json!(css)],
                )
                .await;
            match position.as_str() {
                Some("here") => return self.observe().await,
                Some("before") => {
                    shift_tab(&self.client).await;
                    self.presses += 1;
                    self.observe().await;
                }
                Some("after") => {
                    self.press(Key::Tab).await;
                }
                _ => panic!("no `{css}` in {}: {position}", self.host),
            }
        }
        panic!(
            "{MAX_TABS} presses of Tab did not reach `{css}`; focus is on {}",
            focused(&self.client).await.describe()
        );
    }

    /// Where the form is: page, section, and the first required question still unanswered.
    async fn state(&self) -> Value {
        self.in_widget(
            "const page = root.querySelector('[data-page]');\n\
             const section = root.querySelector('[data-section]');\n\
             let target = null;\n\
             if (page && page.dataset.page === 'section') {\n\
               for (const item of root.querySelectorAll('[data-item]')) {\n\
                 const question = item.querySelector('.kf-question');\n\
                 if (!question || question.querySelector('.kf-optional')) continue;\n\
                 const controls = [...item.querySelectorAll('input, textarea, select')];\n\
                 if (!controls.length) continue;\n\
                 const choices = controls.filter((c) => c.type === 'radio' || c.type === 'checkbox');\n\
                 const answered = choices.length ? choices.some((c) => c.checked)\n\
                   : controls.every((c) => c.value !== '');\n\
                 if (!answered) { target = item.dataset.item; break; }\n\
               }\n\
             }\n\
             return { page: page ? page.dataset.page : null,\n\
                      section: section ? section.dataset.section : null,\n\
                      errors: !!root.querySelector('[data-error-summary]'), target };",
            vec![],
        )
        .await
    }

    /// The answer question `item` shows now, as the response writes it (a yes/no question's
    /// "yes"/"no" stays a string here; [`same_answer`] compares it with the boolean).
    async fn shown_answer(&self, item: &str) -> Value {
        self.in_widget(
            "const item = root.querySelector('[data-item=\"' + args[0] + '\"]');\n\
             const choices = [...item.querySelectorAll('input[type=radio], input[type=checkbox]')];\n\
             if (choices.length && choices[0].type === 'checkbox')\n\
               return choices.filter((c) => c.checked).map((c) => c.value);\n\
             if (choices.length) { const c = choices.find((c) => c.checked); return c ? c.value : null; }\n\
             const field = item.querySelector('input, textarea');\n\
             return field ? field.value : null;",
            vec![json!(item)],
        )
        .await
    }

    /// Waits until the widget shows something other than `before` (another page or section,
    /// or the error summary), returning the new state.
    async fn wait_moved(&self, before: &Value) -> Value {
        wait_for("the form to move on", UPDATE_TIMEOUT, || async {
            let now = self.state().await;
            let moved = now["page"] != before["page"]
                || now["section"] != before["section"]
                || now["errors"] != before["errors"];
            if moved {
                Ok(now)
            } else {
                Err(now.to_string())
            }
        })
        .await
    }

    /// The focused element's accessible description (its `aria-describedby` texts).
    async fn focused_description(&self) -> String {
        self.in_widget(
            "const ids = (active && active.getAttribute('aria-describedby') || '').split(/\\s+/);\n\
             return ids.filter(Boolean).map((id) => { const e = root.getElementById(id);\n\
               return e ? e.textContent.trim() : ''; }).join(' ');",
            vec![],
        )
        .await
        .as_str()
        .unwrap_or("")
        .to_owned()
    }

    /// Checks that focus is on the page's heading and that it announces the progress; returns
    /// the progress text.
    async fn expect_focus_on_heading(&self, what: &str) -> String {
        let now = focused(&self.client).await;
        assert!(
            now.in_widget && now.tag == "h2" && now.script_focus_only,
            "{what}: focus is not on the new page's heading but on {}",
            now.describe()
        );
        self.focused_description().await
    }
}

/// Whether a response's answer is what the page showed (a yes/no answer is a boolean).
fn same_answer(stored: &Value, shown: &Value) -> bool {
    match (stored, shown) {
        (Value::Bool(yes), Value::String(code)) => code == if *yes { "yes" } else { "no" },
        _ => stored == shown,
    }
}

/// "Step n of m" → (n, m).
fn step_of(progress: &str) -> Option<(usize, usize)> {
    let words: Vec<&str> = progress.split_whitespace().collect();
    match words.as_slice() {
        ["Step", n, "of", m, ..] => Some((n.parse().ok()?, m.parse().ok()?)),
        _ => None,
    }
}

#[tokio::test]
async fn the_intake_can_be_completed_with_the_keyboard_alone() {
    with_browser("keyboard_intake", |client| async move {
        open(&client, "intake.html").await;
        let mut user = KeyboardUser::new(&client, "#demo-form");
        wait_for("the intake's start page", RENDER_TIMEOUT, || async {
            let ready = run_js(
                &client,
                "const f = document.getElementById('demo-form');\n\
                 return !!(f && f.shadowRoot && f.shadowRoot.querySelector('[data-action=start]'));",
                vec![],
            )
            .await;
            if ready == Value::Bool(true) { Ok(()) } else { Err("not yet".to_owned()) }
        })
        .await;

        // The start page: Tab from the top of the host page to "Start now".
        user.tab_to("button[data-action=start]").await;
        let before = user.state().await;
        user.press(Key::Enter).await;
        let mut at = user.wait_moved(&before).await;
        let progress = user.expect_focus_on_heading("after Start").await;
        let (first, steps) = step_of(&progress)
            .unwrap_or_else(|| panic!("the first heading's description is {progress:?}"));
        assert_eq!(first, 1, "{progress}");
        assert!(steps > 5, "the intake has many sections: {progress}");
        let mut progress_seen = vec![first];

        // Continue with nothing answered: the error summary takes focus, and its first link
        // (Tab, Enter) takes focus to the question it names.
        user.tab_to("button[data-action=next]").await;
        user.press(Key::Enter).await;
        at = user.wait_moved(&at).await;
        assert_eq!(at["errors"], true, "no error summary after an empty Continue: {at}");
        let on_summary = user
            .in_widget("return !!(active && active.hasAttribute('data-error-summary'));", vec![])
            .await;
        assert_eq!(on_summary, true, "focus is not on the error summary");
        let link = user.press(Key::Tab).await;
        assert_eq!(link.tag, "a", "Tab from the summary: {}", link.describe());
        user.press(Key::Enter).await;
        let target = at["target"].as_str().unwrap_or_default().to_owned();
        let landed = focused(&client).await;
        assert_eq!(
            landed.item.as_deref(),
            Some(target.as_str()),
            "the summary's first link led to {}",
            landed.describe()
        );

        // Answer every required question, page by page, then check and submit.
        let mut answers: BTreeMap<String, Value> = BTreeMap::new();
        let mut changed = false;
        for _ in 0..400 {
            at = user.state().await;
            match at["page"].as_str() {
                Some("section") => {
                    if let Some(item) = at["target"].as_str().map(str::to_owned) {
                        let on = user.tab_to(&format!("[data-item=\"{item}\"]")).await;
                        match (on.tag.as_str(), on.kind.as_deref()) {
                            // An arrow key moves to the next option and chooses it.
                            ("input", Some("radio")) => {
                                user.press(Key::Down).await;
                            }
                            ("input", Some("checkbox")) => {
                                user.press(Key::Space).await;
                            }
                            ("input", Some("number")) => type_text(&client, "1").await,
                            ("input", Some("date")) => type_text(&client, "01152026").await,
                            ("select", _) => {
                                user.press(Key::Down).await;
                            }
                            _ => type_text(&client, "Typed with the keyboard").await,
                        }
                        let shown = wait_for(
                            &format!("{item} to be answered"),
                            UPDATE_TIMEOUT,
                            || async {
                                match user.shown_answer(&item).await {
                                    Value::Null => Err("no answer".to_owned()),
                                    Value::String(s) if s.is_empty() => Err("empty".to_owned()),
                                    Value::Array(a) if a.is_empty() => Err("none".to_owned()),
                                    answer => Ok(answer),
                                }
                            },
                        )
                        .await;
                        answers.insert(item, shown);
                    } else {
                        user.tab_to("button[data-action=next]").await;
                        user.press(Key::Enter).await;
                        let now = user.wait_moved(&at).await;
                        assert_ne!(now["errors"], true, "required answers missed: {now}");
                        let progress = user
                            .expect_focus_on_heading(&format!("after {}", at["section"]))
                            .await;
                        let (step, of) = step_of(&progress).unwrap_or_else(|| {
                            panic!("heading description {progress:?} after {at}")
                        });
                        assert_eq!(of, steps, "{progress}");
                        progress_seen.push(step);
                    }
                }
                Some("review") if !changed => {
                    // Reach the end of the page, then go back up (Shift+Tab) to the change link
                    // of the reason for coming, and change it.
                    user.tab_to("button[data-action=back]").await;
                    user.tab_to("button[data-change-item=\"referral_reason\"]").await;
                    user.press(Key::Enter).await;
                    let now = user.wait_moved(&at).await;
                    assert_eq!(now["section"], "reasons", "the change link led to {now}");
                    user.expect_focus_on_heading("after a change link").await;
                    user.tab_to("[data-item=\"referral_reason\"] textarea").await;
                    control(&client, 'a').await;
                    type_text(&client, "Changed with the keyboard").await;
                    answers.insert("referral_reason".to_owned(), json!("Changed with the keyboard"));
                    user.tab_to("button[data-action=next]").await;
                    let before = user.state().await;
                    user.press(Key::Enter).await;
                    let now = user.wait_moved(&before).await;
                    assert_eq!(now["page"], "review", "Continue after a change: {now}");
                    changed = true;
                }
                Some("review") => {
                    user.tab_to("button[data-action=submit]").await;
                    user.press(Key::Enter).await;
                    user.wait_moved(&at).await;
                }
                Some("done") => break,
                other => panic!("unexpected page {other:?}: {at}"),
            }
        }
        assert_eq!(at["page"], "done", "not submitted: {at}");

        let response = wait_for_received_response(&client).await;
        assert_eq!(response["instrument"]["id"], "intake", "{response:#}");
        assert_eq!(response["status"], "completed", "{response:#}");
        assert!(answers.len() > 40, "only {} answers given", answers.len());
        for (item, shown) in &answers {
            let stored = &response["answers"][item];
            assert!(
                same_answer(stored, shown),
                "{item}: the response holds {stored}, the keyboard gave {shown}"
            );
        }
        let expected_steps: Vec<usize> = (1..=steps).collect();
        assert_eq!(progress_seen, expected_steps, "the steps announced");
        assert!(
            user.invisible.is_empty(),
            "focus not visible on:\n{}",
            user.invisible.join("\n")
        );
        println!(
            "intake by keyboard: {} key presses (plus typing), {} answers, {} steps, kinds \
             focused: {:?}",
            user.presses,
            answers.len(),
            steps,
            user.kinds
        );
    })
    .await;
}

/// A clinic definition with one question of each kind the widget draws, a repeating group
/// (text, select and yes/no select fields, add and remove buttons) and a second page.
const EVERY_CONTROL: &str = include_str!("../fixtures/accessibility/every-control.definition.json");

impl KeyboardUser {
    /// Presses Tab until focus is on `css` (in the widget), noting every stop on the way.
    async fn tab_through_to(&mut self, css: &str) {
        for _ in 0..MAX_TABS {
            let here = self
                .in_widget(
                    "const target = root.querySelector(args[0]);\n\
                     return !!(target && active && (target === active || target.contains(active)));",
                    vec![json!(css)],
                )
                .await;
            if here == Value::Bool(true) {
                return;
            }
            self.press(Key::Tab).await;
        }
        panic!("Tab never reached `{css}` in {}", self.host);
    }

    /// Presses Tab from wherever focus is until it has entered the widget and left it again,
    /// noting every stop inside.
    async fn tab_through_widget(&mut self) {
        let mut entered = false;
        for _ in 0..MAX_TABS {
            let now = self.press(Key::Tab).await;
            if now.in_widget {
                entered = true;
            } else if entered {
                return;
            }
        }
        panic!("Tab did not pass through {}", self.host);
    }
}

#[tokio::test]
async fn every_kind_of_control_shows_where_the_focus_is() {
    with_browser("focus_visible", |client| async move {
        open(&client, "instruments.html").await;
        let definition: Value = serde_json::from_str(EVERY_CONTROL).expect("fixture is JSON");
        wait_for("kap-form to be defined", RENDER_TIMEOUT, || async {
            let defined = run_js(&client, "return !!customElements.get('kap-form');", vec![]).await;
            if defined == Value::Bool(true) {
                Ok(())
            } else {
                Err("not yet".to_owned())
            }
        })
        .await;
        run_js(
            &client,
            "const form = document.createElement('kap-form');\n\
             form.id = 'f';\n\
             form.definition = arguments[0];\n\
             document.getElementById('forms').append(form);",
            vec![definition],
        )
        .await;
        let mut user = KeyboardUser::new(&client, "#f");
        wait_for("the form's start page", RENDER_TIMEOUT, || async {
            match user.state().await {
                at if at["page"] == "start" => Ok(()),
                at => Err(at.to_string()),
            }
        })
        .await;

        // Start, then every control of the first page in tab order, then an empty Continue
        // and the error summary's link.
        user.tab_to("button[data-action=start]").await;
        let at = user.state().await;
        user.press(Key::Enter).await;
        let at = user.wait_moved(&at).await;
        user.tab_through_to("button[data-action=next]").await;
        user.press(Key::Enter).await;
        let at = user.wait_moved(&at).await;
        assert_eq!(at["errors"], true, "{at}");
        user.press(Key::Tab).await;
        user.tab_to("[data-item=choice]").await;
        user.press(Key::Down).await;
        user.tab_to("button[data-action=next]").await;
        user.press(Key::Enter).await;
        let at = user.wait_moved(&at).await;
        // The second page has a Back button; then "check your answers" and the confirmation.
        user.tab_through_to("button[data-action=back]").await;
        user.tab_to("button[data-action=next]").await;
        user.press(Key::Enter).await;
        let at = user.wait_moved(&at).await;
        assert_eq!(at["page"], "review", "{at}");
        user.tab_through_to("button[data-action=back]").await;
        user.tab_to("button[data-action=submit]").await;
        user.press(Key::Enter).await;
        let at = user.wait_moved(&at).await;
        assert_eq!(at["page"], "done", "{at}");
        user.tab_to("button[data-action=print]").await;
        let form_kinds = user.kinds.clone();

        // The clinician view: file picker, print button, scrolling tables.
        open(&client, "clinician.html").await;
        let mut clinician = KeyboardUser::new(&client, "#results");
        wait_for("the clinician view", RENDER_TIMEOUT, || async {
            let rows = clinician
                .in_widget(
                    "return root ? root.querySelectorAll('.kr-responses tbody tr').length : 0;",
                    vec![],
                )
                .await;
            if rows.as_u64().unwrap_or(0) > 0 {
                Ok(())
            } else {
                Err(rows.to_string())
            }
        })
        .await;
        clinician.tab_through_widget().await;

        let expected_form = [
            "a",
            "button.kf-link",
            "button.kf-primary",
            "button.kf-secondary",
            "input[type=checkbox]",
            "input[type=date]",
            "input[type=number]",
            "input[type=radio]",
            "input[type=text]",
            "select",
            "textarea",
        ];
        for kind in expected_form {
            assert!(
                form_kinds.contains(kind),
                "focus never reached a {kind}: {form_kinds:?}"
            );
        }
        for kind in ["input[type=file]", "button.other", "div"] {
            assert!(
                clinician.kinds.contains(kind),
                "focus never reached a {kind} in the clinician view: {:?}",
                clinician.kinds
            );
        }
        let invisible: Vec<String> = user
            .invisible
            .iter()
            .chain(&clinician.invisible)
            .cloned()
            .collect();
        assert!(
            invisible.is_empty(),
            "focus not visible on:\n{}",
            invisible.join("\n")
        );
        println!(
            "focus visible on {} key presses; kinds: form {:?}, clinician view {:?}",
            user.presses + clinician.presses,
            form_kinds,
            clinician.kinds
        );
    })
    .await;
}
