//! [`QuestionnaireForm`]: the whole questionnaire, a page at a time, as the best public-service
//! forms do it: an optional start page, one section per page with "Step n of m", Continue and
//! Back (answers always kept), an error summary when required answers are missing, "check your
//! answers" with a change link per answer (the only place to submit), and a confirmation with
//! the patient's own copy. When the host keeps drafts, it also reports every change of answer
//! or page (`on_progress`), shows the draft notices and offers "Clear my answers" (the
//! `drafts` module). Moving between pages moves focus to the new heading. It owns the
//! reducer; the session is changed in place and each item is its own memoized component that
//! redraws itself when its answer changes ([`SectionItems`], [`crate::shared_session`]), so
//! an answer redraws that item, the total and whatever visibility it changed, and its cost
//! does not grow with the form. The language can change while the form runs
//! ([`FormAction::SetLanguage`]); answers and the page stay.

use std::sync::Arc;

use kapforms_core::{AnswerValue, Session, Severity};
use yew::prelude::*;

use crate::controller::FormController;
use crate::crisis::{crisis_resources, CrisisContent};
use crate::definition::Definition;
use crate::drafts::{clear_answers, draft_notice, ClearAnswersView};
use crate::error_summary::error_summary;
use crate::section_items::SectionItems;
use crate::shared_session::SharedSession;
use crate::start::{start_page, StartProps};
use crate::state::{DraftNotice, FormAction, FormState, Page};
use crate::summary::answer_summary;
use crate::text::Language;

/// Properties of [`QuestionnaireForm`].
#[derive(Properties, PartialEq)]
pub struct FormProps {
    /// The questionnaire to show: the definition itself, which responses are built from.
    pub definition: Definition,
    /// The questionnaire's wording in `language` when that is not the definition's own (a
    /// translation); it must differ from the definition in its texts only, as a built-in's
    /// translations do ([`Session::reworded_in_texts`]: responses are built from the live
    /// evaluation with the definition's labels).
    #[prop_or_default]
    pub wording: Option<Definition>,
    /// The definition's content hash, which every response carries: a built-in's, from its
    /// build, or one the host computed once. It must be `definition`'s
    /// [`kapforms_core::Questionnaire::content_hash`]. The form never hashes the definition
    /// itself, so the patient's bundle of built-ins carries no definition serializer.
    pub content_hash: AttrValue,
    /// The language of the interface at first (the host can switch it later with
    /// [`FormAction::SetLanguage`]).
    #[prop_or_default]
    pub language: Language,
    /// The sections shown in English for want of an official translation into `language`
    /// (a notice says so on each).
    #[prop_or_default]
    pub english_sections: Vec<String>,
    /// Prefix for element ids, unique per form on a page (e.g. `"kf1"`).
    pub id_prefix: AttrValue,
    /// The crisis resources shown when a safety flag is raised; `None` for the default (US
    /// services) in the form's language.
    #[prop_or_default]
    pub crisis: Option<CrisisContent>,
    /// Whether the patient also sees band labels beside scores (off unless the host asks).
    #[prop_or_default]
    pub show_bands: bool,
    /// Whether to begin with a start page; `None` shows one when the form has more than one
    /// section.
    #[prop_or_default]
    pub show_start: Option<bool>,
    /// Whether the patient gets a copy of their answers to print or save after submitting.
    #[prop_or(true)]
    pub patient_copy: bool,
    /// Called with the (shared) session after every accepted change of answers.
    #[prop_or_default]
    pub on_change: Callback<SharedSession>,
    /// Called with the session when the patient submits a complete form.
    #[prop_or_default]
    pub on_submit: Callback<Session>,
    /// Called when the patient asks to print their copy.
    #[prop_or_default]
    pub on_print: Callback<()>,
    /// Called after the form moves to another page (not on the first render).
    #[prop_or_default]
    pub on_page: Callback<PageChange>,
    /// Lets the host side read the session and send actions from outside yew.
    #[prop_or_default]
    pub controller: FormController,
    /// Whether the host keeps drafts: shows "Clear my answers" on every page before submitting.
    #[prop_or_default]
    pub drafts: bool,
    /// Called with the session and the page on mount and after every change of either (what a
    /// draft keeps).
    #[prop_or_default]
    pub on_progress: Callback<(SharedSession, Page)>,
}

/// Where the form moved to, as [`FormProps::on_page`] reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageChange {
    /// The page now shown.
    pub page: Page,
    /// The id of the section shown, on a section page.
    pub section: Option<String>,
    /// The step the patient sees ("Step `index` of `count`"): 0 on the start page, `count`
    /// on "check your answers" and after submitting.
    pub index: usize,
    /// The steps: the visible sections and "check your answers".
    pub count: usize,
}

impl PageChange {
    /// Describes `page` of the session's form.
    fn of(page: Page, session: &Session) -> PageChange {
        let sections = crate::state::visible_sections(session);
        let count = sections.len() + 1;
        let (section, index) = match page {
            Page::Start => (None, 0),
            Page::Section(current) => (
                session
                    .questionnaire()
                    .sections
                    .get(current)
                    .map(|section| section.id.clone()),
                sections
                    .iter()
                    .position(|&s| s == current)
                    .map_or(1, |p| p + 1),
            ),
            Page::Review | Page::Done => (None, count),
        };
        PageChange {
            page,
            section,
            index,
            count,
        }
    }
}

/// The whole questionnaire form.
#[function_component(QuestionnaireForm)]
pub fn questionnaire_form(props: &FormProps) -> Html {
    let has_start = props
        .show_start
        .unwrap_or(props.definition.sections.len() > 1);
    let state = use_reducer(|| {
        let tag = props.language.tag();
        let mut session =
            Session::with_known_content_hash(Arc::clone(&props.definition.0), &props.content_hash)
                .with_language(tag);
        if let Some(wording) = &props.wording {
            if let Ok(reworded) = session.reworded_in_texts(Arc::clone(&wording.0), tag) {
                session = reworded;
            }
        }
        FormState {
            language: props.language,
            english_sections: props.english_sections.clone().into(),
            ..FormState::new(session, has_start)
        }
    });
    // What the patient reads: the wording in the current language.
    let definition = Definition(Arc::clone(state.session.read().questionnaire()));

    // Let the host side reach the form.
    {
        let controller = props.controller.clone();
        let dispatcher = state.dispatcher();
        use_effect_with(controller, move |controller| {
            controller.register(Callback::from(move |action| dispatcher.dispatch(action)));
        });
    }

    // Tell the host about every accepted change, after the state has it.
    {
        let on_change = props.on_change.clone();
        let controller = props.controller.clone();
        let session = state.session.clone();
        let mounted = use_mut_ref(|| false);
        use_effect_with(state.answers_version, move |_| {
            controller.record(session.clone());
            // The first run is the mount, not a change.
            if std::mem::replace(&mut *mounted.borrow_mut(), true) {
                on_change.emit(session);
            }
        });
    }

    // Report answers and page for the draft, after the state has them.
    {
        let on_progress = props.on_progress.clone();
        let session = state.session.clone();
        use_effect_with((state.answers_version, state.page), move |(_, page)| {
            on_progress.emit((session, *page));
        });
    }

    // A new session (another language, a reset, a restored draft) is what the host side
    // reads through the controller from now on. A new language changes the response (its
    // `language`) but not the answers: no kap-change, since nothing was answered.
    {
        let controller = props.controller.clone();
        use_effect_with(state.session.clone(), move |session| {
            controller.record(session.clone())
        });
    }

    // Moving to another page moves focus to its heading (not on first render: the host
    // page keeps its focus when the form appears; nor when a draft is restored) and tells
    // the host.
    let heading = use_node_ref();
    {
        let heading = heading.clone();
        let first = use_mut_ref(|| true);
        let restored = state.notice == Some(DraftNotice::Restored);
        let on_page = props.on_page.clone();
        let session = state.session.clone();
        use_effect_with(state.page, move |page| {
            if !std::mem::replace(&mut *first.borrow_mut(), false) {
                if !restored {
                    if let Some(element) = heading.cast::<web_sys::HtmlElement>() {
                        let _ = element.focus();
                    }
                }
                on_page.emit(PageChange::of(*page, &session.read()));
            }
        });
    }

    // The missing answers of the page's section once the patient tried to move on; the
    // error summary listing them takes focus when it appears and whenever its list changes.
    let missing: Vec<(String, String)> = match state.page {
        Page::Section(current) if state.show_missing => state
            .session
            .read()
            .missing_required_in(current)
            .into_iter()
            .map(|item| (item.id.clone(), item.text.clone()))
            .collect(),
        _ => Vec::new(),
    };
    let summary = use_node_ref();
    {
        let summary = summary.clone();
        use_effect_with(missing.clone(), move |missing| {
            if !missing.is_empty() {
                if let Some(element) = summary.cast::<web_sys::HtmlElement>() {
                    let _ = element.focus();
                }
            }
        });
    }

    // Opening the confirmation of "Clear my answers" moves focus to its question; keeping
    // the answers moves it back to the button (not on the first render).
    let clear_question = use_node_ref();
    let clear_button = use_node_ref();
    {
        let question = clear_question.clone();
        let button = clear_button.clone();
        let first = use_mut_ref(|| true);
        use_effect_with(state.confirming_clear, move |&confirming| {
            if !std::mem::replace(&mut *first.borrow_mut(), false) {
                let target = if confirming { question } else { button };
                if let Some(element) = target.cast::<web_sys::HtmlElement>() {
                    let _ = element.focus();
                }
            }
        });
    }

    let on_answer = {
        let dispatcher = state.dispatcher();
        use_callback(
            (),
            move |(item, value): (String, Option<AnswerValue>), _| {
                dispatcher.dispatch(FormAction::Answer { item, value });
            },
        )
    };
    let on_change_answer = {
        let dispatcher = state.dispatcher();
        use_callback((), move |item: String, _| {
            dispatcher.dispatch(FormAction::Change(item))
        })
    };
    let back = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(FormAction::Back))
    };

    let texts = state.language.texts();
    let lang = state.language.tag();
    // A validated scale without an official translation keeps its English text, marked as
    // English for screen readers, under a notice in the patient's language.
    let whole_in_english = !definition.sections.is_empty()
        && definition
            .sections
            .iter()
            .all(|section| state.is_english_only(&section.id));
    let content_lang = if whole_in_english { "en" } else { lang };
    let english_only = |english: bool| {
        html! {
            if english {
                <p class="kf-notice" data-english-only="">{ texts.english_only }</p>
            }
        }
    };
    let session = state.session.read();
    let crisis_content = props
        .crisis
        .clone()
        .unwrap_or_else(|| CrisisContent::of(state.language));
    let crisis = || crisis_resources(&crisis_content);

    // Progress counts the visible sections and "check your answers".
    let sections = state.visible_sections();
    let steps = sections.len() + 1;
    let progress = |step: usize| {
        html! {
            <p class="kf-progress" id={format!("{}-progress", props.id_prefix)} data-progress="">
                { texts.step_of(step, steps) }
            </p>
        }
    };

    // The patient sees the score the definition names as its running total, if any; the
    // band only when the host turns that on. Clinicians get every score in the response.
    let running_total = definition
        .running_total
        .as_deref()
        .and_then(|id| Some((id, session.score_progress(id)?)));
    let total = html! {
        <div class="kf-totals" aria-live="polite" aria-atomic="true">
            if let Some((id, score)) = running_total {
                <p class="kf-total" data-score={id.to_owned()}>
                    { texts.total_before }{ " " }
                    <output data-score-total="">{ kapforms_core::number::display(score.value) }</output>
                    { " " }{ texts.total_of }{ " " }{ kapforms_core::number::display(score.max) }
                    if props.show_bands {
                        if let Some(band) = &score.band {
                            { " · " }<span data-score-band="">{ band }</span>
                        }
                    }
                </p>
            }
        </div>
    };

    let notice = state.notice.map(|notice| draft_notice(notice, texts));
    let clear = (props.drafts && state.page != Page::Done).then(|| {
        let send = |action: FormAction| {
            let dispatcher = state.dispatcher();
            Callback::from(move |()| dispatcher.dispatch(action.clone()))
        };
        clear_answers(ClearAnswersView {
            confirming: state.confirming_clear,
            kept: state.draft_kept,
            id_prefix: &props.id_prefix,
            texts,
            question: clear_question.clone(),
            button: clear_button.clone(),
            on_ask: send(FormAction::AskClear),
            on_cancel: send(FormAction::CancelClear),
            on_confirm: send(FormAction::ConfirmClear),
        })
    });
    let page = match state.page {
        Page::Start => {
            let (title, description, minutes) = StartProps::describe(&definition);
            let on_start = {
                let dispatcher = state.dispatcher();
                Callback::from(move |()| dispatcher.dispatch(FormAction::Start))
            };
            start_page(StartProps {
                title,
                description,
                minutes,
                texts: texts.clone(),
                lang: lang.into(),
                content_lang: content_lang.into(),
                notice: english_only(whole_in_english),
                heading: heading.clone(),
                on_start,
            })
        }
        Page::Section(current) => {
            let Some(section) = definition.sections.get(current) else {
                return Html::default();
            };
            // Crisis resources stand right after the last answered question on this page
            // that a raised safety flag depends on: where the patient is reading.
            let crisis_after: Option<AttrValue> = session
                .flags()
                .iter()
                .filter(|flag| flag.severity == Severity::Safety)
                .flat_map(|flag| flag.items.iter())
                .filter_map(|id| match session.place_of(id) {
                    Some((section, index)) if section == current => Some((index, id)),
                    _ => None,
                })
                .filter(|(_, id)| session.is_visible(id) && session.answer(id).is_some())
                .max_by_key(|(index, _)| *index)
                .map(|(_, id)| AttrValue::from(id.clone()));
            let items = html! {
                <SectionItems definition={definition.clone()} section={current}
                    session={state.session.clone()} watchers={state.watchers.clone()}
                    visibility_version={session.visibility_version()}
                    show_missing={state.show_missing} crisis_after={crisis_after.clone()}
                    crisis={crisis_content.clone()} id_prefix={props.id_prefix.clone()}
                    language={state.language} on_answer={on_answer.clone()} />
            };
            let step = sections
                .iter()
                .position(|&s| s == current)
                .map_or(1, |p| p + 1);
            let first_page = !has_start && sections.first() == Some(&current);
            let section_english = state.is_english_only(&section.id);
            let onsubmit = {
                let dispatcher = state.dispatcher();
                Callback::from(move |event: SubmitEvent| {
                    event.prevent_default();
                    dispatcher.dispatch(FormAction::Next);
                })
            };
            html! {
                <form class="kf-root kf-form" novalidate=true {onsubmit} {lang}
                    data-instrument={definition.id.clone()} data-page="section">
                    <p class="kf-caption" lang={content_lang}>{ &definition.title }</p>
                    { progress(step) }
                    { english_only(section_english) }
                    <section class="kf-section" data-section={section.id.clone()}
                        lang={if section_english { "en" } else { lang }}>
                        <h2 class="kf-section-title" tabindex="-1" ref={heading.clone()}
                            aria-describedby={format!("{}-progress", props.id_prefix)}>
                            { &section.title }
                        </h2>
                        if step == 1 {
                            if let Some(description) = &definition.description {
                                <p class="kf-description">{ description }</p>
                            }
                        }
                        // A safety flag raised on an earlier page keeps its crisis resources in
                        // view on every page that follows.
                        if crisis_after.is_none() && session.has_safety_flag() {
                            { crisis() }
                        }
                        if let Some(intro) = &section.intro {
                            <p class="kf-intro">{ intro }</p>
                        }
                        if !missing.is_empty() {
                            { error_summary(&missing, &props.id_prefix, texts, summary.clone()) }
                        }
                        { items }
                    </section>
                    { total }
                    <div class="kf-actions">
                        <button type="submit" class="kf-button kf-primary" data-action="next">
                            { texts.next }
                        </button>
                        if !first_page {
                            <button type="button" class="kf-button kf-secondary" data-action="back"
                                onclick={back}>{ texts.back }</button>
                        }
                    </div>
                </form>
            }
        }
        Page::Review => {
            let onsubmit = {
                let state = state.clone();
                let on_submit = props.on_submit.clone();
                Callback::from(move |event: SubmitEvent| {
                    event.prevent_default();
                    let complete = state.session.read().is_complete();
                    if complete {
                        on_submit.emit(state.session.snapshot());
                        state.dispatch(FormAction::Submitted);
                    } else {
                        state.dispatch(FormAction::SubmitIncomplete);
                    }
                })
            };
            html! {
                <form class="kf-root kf-form" novalidate=true {onsubmit} {lang}
                    data-instrument={definition.id.clone()} data-page="review">
                    <p class="kf-caption" lang={content_lang}>{ &definition.title }</p>
                    { progress(steps) }
                    <h2 class="kf-title" tabindex="-1" ref={heading.clone()}
                        aria-describedby={format!("{}-progress", props.id_prefix)}>
                        { texts.review_title }
                    </h2>
                    if session.has_safety_flag() {
                        { crisis() }
                    }
                    <p>{ texts.review_intro }</p>
                    { answer_summary(&session, texts, Some(&on_change_answer)) }
                    { total }
                    <div class="kf-actions">
                        <button type="submit" class="kf-button kf-primary" data-action="submit">
                            { texts.submit }
                        </button>
                        <button type="button" class="kf-button kf-secondary" data-action="back"
                            onclick={back}>{ texts.back }</button>
                    </div>
                </form>
            }
        }
        Page::Done => {
            let print = {
                let on_print = props.on_print.clone();
                Callback::from(move |_: MouseEvent| on_print.emit(()))
            };
            html! {
                <div class="kf-root" data-page="done" {lang}>
                    <div class="kf-submitted" role="status" data-submitted="">
                        <h2 tabindex="-1" ref={heading.clone()}>{ texts.submitted_title }</h2>
                        <p>{ texts.submitted_body }</p>
                    </div>
                    if session.has_safety_flag() {
                        { crisis() }
                    }
                    if props.patient_copy {
                        <section class="kf-copy" data-patient-copy="">
                            <h2>{ texts.copy_title }</h2>
                            <p class="kf-caption" lang={content_lang}>{ &definition.title }</p>
                            { answer_summary(&session, texts, None) }
                            <button type="button" class="kf-button kf-secondary kf-no-print"
                                data-action="print" onclick={print}>{ texts.print }</button>
                        </section>
                    }
                </div>
            }
        }
    };
    html! { <>{ for notice }{ page }{ for clear }</> }
}
