//! kapforms-embed: the WebAssembly module and the only crate that touches the host page. The
//! small ES module `js/kapforms.js` defines the `<kap-form>` custom element; for each element
//! it calls [`mount_form`], which renders the widgets into the element's shadow root and
//! turns the patient's actions into DOM events on the element (`kap-ready`, `kap-change`,
//! `kap-page`, `kap-validity`, `kap-submit`, `kap-error`), each a bubbling, composed `CustomEvent` whose
//! `detail` is a plain object. The returned [`FormHandle`] serves the element's methods
//! (`getResponse()`, `validate()`, `reset()`) and switches the language when the element's
//! `lang` changes (`setLanguage`), keeping every answer and the page. With `drafts="local"`,
//! the form reports every change of answers or page to the function `kapforms.js` passes
//! (which encrypts and stores the draft), and the handle restores a draft and shows the draft
//! notices.

mod drafts;
mod events;
mod library;
mod message;
mod options;
#[cfg(feature = "results")]
mod results;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use kapforms_core::{Questionnaire, Response, Session, Status, Timestamps};
use kapforms_widgets::{
    Definition, DraftNotice, FormAction, FormController, FormProps, Language, Page, PageChange,
    PageTexts, QuestionnaireForm, SharedSession,
};
use library::Library;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, ShadowRoot};
use yew::{AppHandle, Callback};

/// A deliberate panic, to test that a trap in the WebAssembly side loses no answers. Only in
/// builds with the `test-hooks` feature (the browser tests' copy of dist), never shipped.
#[cfg(feature = "test-hooks")]
#[wasm_bindgen(js_name = testPanic)]
pub fn test_panic() {
    panic!("deliberate panic (test-hooks build)");
}

/// The elements' own strings in the language of `tag` (`en`, `es-MX`, ...), for what
/// kapforms.js shows itself: `{crashTitle, crashBody, crashDownload, openFiles, dropHint,
/// print}`.
#[wasm_bindgen(js_name = pageTexts)]
pub fn page_texts(tag: &str) -> JsValue {
    let texts = PageTexts::of(Language::from_tag(tag));
    events::string_object(&[
        ("crashTitle", texts.crash_title),
        ("crashBody", texts.crash_body),
        ("crashDownload", texts.crash_download),
        ("openFiles", texts.open_files),
        ("dropHint", texts.drop_hint),
        ("print", texts.print),
    ])
}

/// The ids of the built-in instruments.
#[wasm_bindgen(js_name = instruments)]
pub fn instrument_ids() -> Vec<String> {
    kapforms_instruments::ids().map(str::to_owned).collect()
}

/// The state behind a mounted form that the element's methods read.
struct Live {
    questionnaire: Arc<Questionnaire>,
    controller: FormController,
    /// For a built-in, its id (to find its translations).
    built_in: Option<String>,
    /// The built-ins it was read from (see `library.rs`).
    library: Library,
    started_at: String,
    submitted_at: Rc<RefCell<Option<String>>>,
}

/// A form mounted in an element. JavaScript calls [`FormHandle::unmount`] when the element
/// leaves the page, and the element's methods call the others.
#[wasm_bindgen]
pub struct FormHandle {
    /// The form's yew app; `None` when the element shows a message instead (plain elements,
    /// see [`message::show`]).
    mounted: Option<AppHandle<QuestionnaireForm>>,
    container: Element,
    live: Option<Live>,
}

#[wasm_bindgen]
impl FormHandle {
    /// Removes the form and frees what it held.
    pub fn unmount(&mut self) {
        if let Some(app) = self.mounted.take() {
            app.destroy();
        }
        self.live = None;
        self.container.remove();
    }

    /// The current answers as a native response (status `completed` once submitted, else
    /// `in-progress`); `null` when the element shows a message instead of a form.
    #[wasm_bindgen(js_name = getResponse)]
    pub fn get_response(&self) -> JsValue {
        let Some(live) = &self.live else {
            return JsValue::NULL;
        };
        let Some(session) = live.controller.session() else {
            return JsValue::NULL;
        };
        let submitted_at = live.submitted_at.borrow().clone();
        let response = stamp(&session, &live.started_at, submitted_at);
        events::from_json(&response.to_json())
    }

    /// Checks the answers: returns `{valid, missing}` (ids of unanswered required questions)
    /// and, when answers are missing, shows the patient which, as a submit attempt would.
    pub fn validate(&self) -> JsValue {
        let Some(live) = &self.live else {
            return events::to_js(&kapforms_core::json_value::object([
                ("valid", serde_json::Value::Bool(false)),
                ("missing", serde_json::Value::Array(Vec::new())),
            ]));
        };
        let Some(session) = live.controller.session() else {
            return JsValue::NULL;
        };
        let detail = events::validity_detail(&session);
        if !session.is_complete() {
            live.controller.dispatch(FormAction::ShowMissing);
        }
        events::to_js(&detail)
    }

    /// Shows the form in the language of `tag` (`en`, `es`, `es-MX`, ...; English when not
    /// shipped), keeping every answer and the page. `wording` is the `{id: text}` wording in
    /// that language of the built-ins the form was read from, as `kapforms.js` fetched it
    /// (see `library.rs`; the clinician's bundle has its own).
    #[wasm_bindgen(js_name = setLanguage)]
    pub fn set_language(&mut self, tag: &str, wording: JsValue) {
        if let Some(live) = &mut self.live {
            let language = Language::from_tag(tag);
            live.library = live.library.with_wording(&wording);
            let (wording, english_sections) = wording_in(
                &live.questionnaire,
                live.built_in.as_deref(),
                language,
                &live.library,
            );
            live.controller.dispatch(FormAction::SetLanguage {
                language,
                wording: wording.map(|definition| definition.0),
                english_sections: english_sections.into(),
            });
        }
    }

    /// Clears every answer and starts again.
    pub fn reset(&self) {
        if let Some(live) = &self.live {
            *live.submitted_at.borrow_mut() = None;
            live.controller.dispatch(FormAction::Reset);
        }
    }

    /// Restores a draft `{answers, page}` (as the draft function received it): every answer
    /// that still fits the form, and the page, with a notice telling the patient. Returns
    /// whether the draft had answers to restore.
    #[wasm_bindgen(js_name = restoreDraft)]
    pub fn restore_draft(&self, draft: JsValue) -> bool {
        let Some(live) = &self.live else {
            return false;
        };
        let Some(draft) = js_sys::JSON::stringify(&draft)
            .ok()
            .and_then(|text| text.as_string())
            .and_then(|text| kapforms_core::json_value::parse(&text).ok())
        else {
            return false;
        };
        match drafts::parse(&live.questionnaire, &draft) {
            Some((answers, page)) if !answers.is_empty() => {
                live.controller
                    .dispatch(FormAction::Restore { answers, page });
                true
            }
            _ => false,
        }
    }

    /// Tells the patient, calmly, that this device cannot keep their progress.
    #[wasm_bindgen(js_name = draftsUnavailable)]
    pub fn drafts_unavailable(&self) {
        if let Some(live) = &self.live {
            live.controller
                .dispatch(FormAction::Notify(DraftNotice::Unavailable));
        }
    }
}

/// A response for `session` with the host's timestamps: completed when submitted.
fn stamp(session: &Session, started_at: &str, submitted_at: Option<String>) -> Response {
    let (status, updated_at) = match &submitted_at {
        Some(at) => (Status::Completed, at.clone()),
        None => (Status::InProgress, events::now()),
    };
    session.response(
        status,
        Timestamps {
            started_at: Some(started_at.to_owned()),
            updated_at,
            completed_at: submitted_at,
        },
    )
}

/// Ids are unique per page, so two forms never share a radio group or a label.
fn next_id_prefix() -> String {
    thread_local! {
        static COUNTER: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }
    COUNTER.with(|counter| {
        counter.set(counter.get() + 1);
        format!("kf{}", counter.get())
    })
}

/// Renders a questionnaire into `root` (the element's shadow root), dispatching events on
/// `host`. The questionnaire is `definition_json` when the host gave one (a clinic's own
/// definition), else the built-in `instrument`, read from `library`: the built-ins'
/// definitions and wording `kapforms.js` fetched for it (see `library.rs`). `options_json` carries the host's options
/// (see `options.rs`). With the `drafts: "local"` option, `on_draft` is called with the draft
/// `{answers, page}` on mount and after every change of answers or page (never anything else:
/// it is the only way answers reach `kapforms.js`'s draft store). An unknown instrument, a
/// definition with errors, bad options, or a licensed skeleton without its wording shows a
/// message in the element and dispatches `kap-error`; the element is never left blank.
#[wasm_bindgen(js_name = mountForm)]
pub fn mount_form(
    host: HtmlElement,
    root: ShadowRoot,
    instrument: &str,
    definition_json: &str,
    options_json: &str,
    on_draft: Option<js_sys::Function>,
    library: JsValue,
) -> Result<FormHandle, JsValue> {
    let document = host.owner_document().ok_or("the element has no document")?;
    let container = document.create_element("div")?;
    container.set_class_name("kf-mount");
    root.append_child(&container)?;
    let library = Library::from_js(&library);
    let prepared = prepare(instrument, definition_json, options_json, &library).and_then(
        |(questionnaire, options)| {
            let built_in = definition_json
                .trim()
                .is_empty()
                .then(|| instrument.to_owned());
            let hash = content_hash_for(&questionnaire, built_in.as_deref(), &options)?;
            Ok((questionnaire, options, built_in, hash))
        },
    );
    match prepared {
        Ok((questionnaire, options, built_in, content_hash)) => Ok(mount_questionnaire(
            host,
            container,
            Mount {
                questionnaire,
                built_in,
                content_hash,
            },
            library,
            options,
            on_draft,
        )),
        Err(problem) => Ok(show_error(&host, container, problem)),
    }
}

/// The content hash the form's responses carry (`kap-ready` reports it): a built-in shown as
/// shipped has the one its build computed; only a clinic's own definition, or a built-in
/// reworded by a text pack, is hashed here, once, before the form shows (hashing serializes
/// the whole definition).
fn content_hash_for(
    questionnaire: &Questionnaire,
    built_in: Option<&str>,
    options: &options::HostOptions,
) -> Result<String, Problem> {
    let shipped = built_in
        .filter(|_| options.text_pack.is_none())
        .and_then(kapforms_instruments::content_hash_of);
    match shipped {
        Some(hash) => Ok(hash.to_owned()),
        None => hash_own(questionnaire),
    }
}

/// Hashes a clinic's own definition or a reworded built-in: only the bundle for those
/// (`custom`) can; the patient's bundle of built-ins carries no definition serializer, and
/// `kapforms.js` never gives it such a form.
#[cfg(feature = "custom")]
fn hash_own(questionnaire: &Questionnaire) -> Result<String, Problem> {
    Ok(questionnaire.content_hash())
}

#[cfg(not(feature = "custom"))]
fn hash_own(questionnaire: &Questionnaire) -> Result<String, Problem> {
    Err(built_ins_only(&questionnaire.id))
}

/// `questionnaire` reworded by a clinic's text pack: only the bundle for clinics' own
/// wording (`custom`) rewords; `kapforms.js` never gives the patient's bundle of built-ins a
/// text pack, so that bundle carries no rewording (`kapforms_core::localize`).
#[cfg(feature = "custom")]
fn with_text_pack(
    questionnaire: Questionnaire,
    pack: &kapforms_core::definition::TextPack,
    page: &PageTexts,
) -> Result<Questionnaire, Problem> {
    questionnaire
        .with_text_pack(pack)
        .map_err(|problems| Problem {
            code: "invalid-text-pack",
            message: page.invalid_text_pack.to_owned(),
            details: problems.iter().map(ToString::to_string).collect(),
        })
}

#[cfg(not(feature = "custom"))]
fn with_text_pack(
    questionnaire: Questionnaire,
    _pack: &kapforms_core::definition::TextPack,
    _page: &PageTexts,
) -> Result<Questionnaire, Problem> {
    Err(built_ins_only(&questionnaire.id))
}

/// What the bundle of built-ins says when given what only the other bundle shows.
#[cfg(not(feature = "custom"))]
fn built_ins_only(what: &str) -> Problem {
    Problem {
        code: "definition-invalid",
        message: "This questionnaire could not be shown.".to_owned(),
        details: vec![format!(
            "{what}: this bundle shows the built-ins as shipped; a clinic's own definition or \
             a text pack needs kapforms_form_custom (kapforms.js chooses it by itself)"
        )],
    }
}

/// What a form is mounted with.
struct Mount {
    questionnaire: Arc<Questionnaire>,
    /// The built-in shown, if it is one.
    built_in: Option<String>,
    content_hash: String,
}

/// Why an element shows a message instead of a form.
struct Problem {
    code: &'static str,
    message: String,
    details: Vec<String>,
}

/// `template` with its `{name}` placeholders filled by `value` (through
/// [`kapforms_core::placeholders::fill`], which keeps a substring searcher out of the module).
fn fill_one(template: &str, name: &str, value: &str) -> String {
    kapforms_core::placeholders::fill(template, &|placeholder| {
        (placeholder == name).then(|| value.to_owned())
    })
}

/// Resolves the questionnaire and options, or says why not.
fn prepare(
    instrument: &str,
    definition_json: &str,
    options_json: &str,
    library: &Library,
) -> Result<(Arc<Questionnaire>, options::HostOptions), Problem> {
    let page = PageTexts::of(options::language_of(options_json));
    let questionnaire = if definition_json.trim().is_empty() {
        match library.load(instrument) {
            Some(Ok(questionnaire)) => questionnaire,
            Some(Err(error)) => {
                return Err(Problem {
                    code: "definition-invalid",
                    message: fill_one(page.definition_errors_named, "instrument", instrument),
                    details: error
                        .diagnostics()
                        .iter()
                        .map(ToString::to_string)
                        .collect(),
                })
            }
            // A built-in whose file the loader did not pass: it could not fetch it.
            None if kapforms_instruments::ids().any(|id| id == instrument) => {
                return Err(Problem {
                    code: "load-failed",
                    message: page.load_failed.to_owned(),
                    details: vec![format!("instruments/{instrument}.json was not loaded")],
                })
            }
            None => {
                let known: Vec<&str> = kapforms_instruments::ids().collect();
                return Err(Problem {
                    code: "unknown-instrument",
                    message: fill_one(page.unknown_instrument, "instrument", instrument),
                    details: vec![fill_one(page.available, "list", &known.join(", "))],
                });
            }
        }
    } else {
        library.parse(definition_json).map_err(|error| Problem {
            code: "definition-invalid",
            message: page.definition_errors.to_owned(),
            details: error
                .diagnostics()
                .iter()
                .map(ToString::to_string)
                .collect(),
        })?
    };
    let options = options::parse(options_json).map_err(|message| Problem {
        code: "invalid-options",
        message: page.invalid_options.to_owned(),
        details: vec![message],
    })?;
    let questionnaire = match &options.text_pack {
        Some(pack) => with_text_pack(questionnaire, pack, &page)?,
        None => questionnaire,
    };
    let mut questionnaire = questionnaire;
    if let Some(values) = &options.thresholds {
        // In place: a clone would bring every definition type's `Clone` into the module.
        questionnaire
            .set_thresholds(values)
            .map_err(|problems| Problem {
                code: "invalid-thresholds",
                message: "This questionnaire could not be shown: the clinic's screening \
                          thresholds do not fit it."
                    .to_owned(),
                details: problems.iter().map(ToString::to_string).collect(),
            })?;
    }
    if questionnaire.restricted_text {
        let missing = questionnaire.missing_text();
        if !missing.is_empty() {
            return Err(Problem {
                code: "licensed-text-missing",
                message: fill_one(page.licensed_missing, "title", &questionnaire.title),
                details: vec![fill_one(
                    page.licensed_missing_detail,
                    "list",
                    &missing.join(", "),
                )],
            });
        }
    }
    Ok((Arc::new(questionnaire), options))
}

/// The wording of `definition` in `language`: a built-in's translation, or (`None`) the
/// definition's own wording; and the sections shown in English for want of an official
/// translation (every section of a built-in without one). A clinic's own definition is shown
/// as written, in whatever language the clinic wrote it.
fn wording_in(
    definition: &Questionnaire,
    built_in: Option<&str>,
    language: Language,
    library: &Library,
) -> (Option<Definition>, Vec<String>) {
    let Some(id) = built_in else {
        return (None, Vec::new());
    };
    if language == Language::English {
        return (None, Vec::new());
    }
    match library.load_in(id, language.tag()) {
        Some(Ok(worded)) => (
            Some(Definition(Arc::new(worded.questionnaire))),
            worded.english_sections,
        ),
        // A shipped translation that does not fit is a bug the tests catch; the patient
        // still gets the questionnaire, in English.
        Some(Err(_)) | None => (None, definition.section_ids()),
    }
}

fn mount_questionnaire(
    host: HtmlElement,
    container: Element,
    mount: Mount,
    library: Library,
    options: options::HostOptions,
    on_draft: Option<js_sys::Function>,
) -> FormHandle {
    let Mount {
        questionnaire,
        built_in,
        content_hash,
    } = mount;
    let (wording, english_sections) = wording_in(
        &questionnaire,
        built_in.as_deref(),
        options.language,
        &library,
    );
    let started_at = events::now();
    let submitted_at: Rc<RefCell<Option<String>>> = Rc::new(RefCell::new(None));
    let controller = FormController::default();
    let on_change = change_events(host.clone(), started_at.clone());
    let on_submit = {
        let host = host.clone();
        let started_at = started_at.clone();
        let submitted_at = submitted_at.clone();
        let questionnaire = questionnaire.clone();
        Callback::from(move |session: Session| {
            let now = events::now();
            *submitted_at.borrow_mut() = Some(now.clone());
            let response = stamp(&session, &started_at, Some(now));
            events::dispatch_js(
                &host,
                "kap-submit",
                &events::submit_detail(&questionnaire, &response),
            );
        })
    };
    let on_progress = match on_draft.filter(|_| options.drafts) {
        Some(on_draft) => Callback::from(move |(session, page): (SharedSession, Page)| {
            let draft = drafts::snapshot(&session.read(), page);
            let _ = on_draft.call1(&JsValue::NULL, &draft);
        }),
        None => Callback::noop(),
    };
    let props = FormProps {
        definition: Definition(questionnaire.clone()),
        wording,
        content_hash: content_hash.clone().into(),
        language: options.language,
        english_sections,
        id_prefix: next_id_prefix().into(),
        crisis: options.crisis,
        show_bands: options.show_bands,
        show_start: options.show_start,
        patient_copy: options.patient_copy,
        on_change,
        on_submit,
        on_print: Callback::from(|()| {
            if let Some(window) = web_sys::window() {
                let _ = window.print();
            }
        }),
        on_page: {
            let host = host.clone();
            Callback::from(move |change: PageChange| {
                events::dispatch(&host, "kap-page", &events::page_detail(&change));
            })
        },
        controller: controller.clone(),
        drafts: options.drafts,
        on_progress,
    };
    let app =
        yew::Renderer::<QuestionnaireForm>::with_root_and_props(container.clone(), props).render();
    events::dispatch_js(
        &host,
        "kap-ready",
        &events::string_object(&[
            ("instrument", &questionnaire.id),
            ("version", &questionnaire.version),
            ("content_hash", &content_hash),
        ]),
    );
    FormHandle {
        mounted: Some(app),
        container,
        live: Some(Live {
            questionnaire,
            controller,
            built_in,
            library,
            started_at,
            submitted_at,
        }),
    }
}

/// What tells the host about each change of answers: `kap-change` (the whole response) and
/// `kap-validity`. Both grow with the form, so they are built just after the form has drawn
/// the change (in a microtask queued behind the render), never before it; changes made in the
/// same task are sent once, with the latest answers. Nothing else runs in between, so the
/// copy `kapforms.js` keeps for a crash is never behind a later action of the patient's.
fn change_events(host: HtmlElement, started_at: String) -> Callback<SharedSession> {
    let latest: Rc<RefCell<Option<SharedSession>>> = Rc::default();
    let queued = Rc::new(Cell::new(false));
    Callback::from(move |session: SharedSession| {
        *latest.borrow_mut() = Some(session);
        if queued.replace(true) {
            return;
        }
        let (host, started_at, latest, queued) = (
            host.clone(),
            started_at.clone(),
            Rc::clone(&latest),
            Rc::clone(&queued),
        );
        wasm_bindgen_futures::spawn_local(async move {
            queued.set(false);
            let Some(session) = latest.borrow_mut().take() else {
                return;
            };
            let (change, validity) = {
                let session = session.read();
                let response = stamp(&session, &started_at, None);
                (
                    events::response_detail(&response),
                    events::validity_detail(&session),
                )
            };
            events::dispatch_js(&host, "kap-change", &change);
            events::dispatch(&host, "kap-validity", &validity);
        });
    })
}

fn show_error(host: &HtmlElement, container: Element, problem: Problem) -> FormHandle {
    events::dispatch(
        host,
        "kap-error",
        &kapforms_core::json_value::object([
            ("code", serde_json::Value::from(problem.code)),
            ("message", serde_json::Value::from(problem.message.as_str())),
            (
                "details",
                serde_json::Value::Array(
                    problem
                        .details
                        .iter()
                        .map(|detail| serde_json::Value::from(detail.as_str()))
                        .collect(),
                ),
            ),
        ]),
    );
    message::show(&container, &problem.message, &problem.details);
    FormHandle {
        mounted: None,
        container,
        live: None,
    }
}
