//! [`QuestionnaireForm`]: the whole questionnaire as one native `<form>`: title, sections of
//! items, the running total, the error summary when answers are missing, and the submit
//! button. It owns the reducer; each item is its own memoized component, so an answer
//! re-renders that item and the total, not the whole form.

use std::collections::HashSet;
use std::sync::Arc;

use kapforms_core::{AnswerValue, Session, Severity};
use yew::prelude::*;

use crate::controller::FormController;
use crate::crisis::{CrisisContent, CrisisResources};
use crate::definition::Definition;
use crate::error_summary::ErrorSummary;
use crate::item::ItemView;
use crate::state::{FormAction, FormState};
use crate::text::Texts;

/// Properties of [`QuestionnaireForm`].
#[derive(Properties, PartialEq)]
pub struct FormProps {
    /// The questionnaire to show.
    pub definition: Definition,
    /// Prefix for element ids, unique per form on a page (e.g. `"kf1"`).
    pub id_prefix: AttrValue,
    /// The interface strings.
    #[prop_or_default]
    pub texts: Texts,
    /// The crisis resources shown when a safety flag is raised.
    #[prop_or_default]
    pub crisis: CrisisContent,
    /// Whether the patient also sees band labels beside scores (off unless the host asks).
    #[prop_or_default]
    pub show_bands: bool,
    /// Called with the session after every accepted change of answer.
    #[prop_or_default]
    pub on_change: Callback<Session>,
    /// Called with the session when the patient submits a complete form.
    #[prop_or_default]
    pub on_submit: Callback<Session>,
    /// Lets the host side read the session and send actions from outside yew.
    #[prop_or_default]
    pub controller: FormController,
}

/// The whole questionnaire form.
#[function_component(QuestionnaireForm)]
pub fn questionnaire_form(props: &FormProps) -> Html {
    let definition = props.definition.clone();
    let state = use_reducer(|| FormState {
        session: Session::new(Arc::clone(&definition.0)),
        show_missing: false,
        submitted: false,
    });

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
        use_effect_with(state.session.answers().clone(), move |_| {
            controller.record(session.clone());
            // The first run is the mount, not a change.
            if std::mem::replace(&mut *mounted.borrow_mut(), true) {
                on_change.emit(session);
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

    let onsubmit = {
        let state = state.clone();
        let on_submit = props.on_submit.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if state.session.is_complete() {
                on_submit.emit(state.session.clone());
                state.dispatch(FormAction::Submitted);
            } else {
                state.dispatch(FormAction::ShowMissing);
            }
        })
    };

    let texts = &props.texts;
    let evaluation = state.session.evaluation();
    // Crisis resources stand right after the last answered question (in page order) that
    // a raised safety flag depends on: where the patient is reading.
    let safety_items: HashSet<&str> = evaluation
        .flags
        .iter()
        .filter(|flag| flag.severity == Severity::Safety)
        .flat_map(|flag| flag.items.iter().map(String::as_str))
        .collect();
    let crisis_after: Option<&str> = definition
        .items()
        .filter(|item| safety_items.contains(item.id.as_str()))
        .filter(|item| {
            state.session.is_visible(&item.id) && state.session.answer(&item.id).is_some()
        })
        .last()
        .map(|item| item.id.as_str());

    if state.submitted {
        return html! {
            <div class="kf-root">
                <div class="kf-submitted" role="status" data-submitted="">
                    <h2>{ texts.submitted_title }</h2>
                    <p>{ texts.submitted_body }</p>
                </div>
                if evaluation.has_safety_flag() {
                    <CrisisResources content={props.crisis.clone()} />
                }
            </div>
        };
    }

    let missing: Vec<(String, String)> = if state.show_missing {
        state
            .session
            .missing_required()
            .into_iter()
            .map(|item| (item.id.clone(), item.text.clone()))
            .collect()
    } else {
        Vec::new()
    };
    let missing_ids: HashSet<&str> = missing.iter().map(|(id, _)| id.as_str()).collect();

    let sections = definition.sections.iter().enumerate().map(|(s, section)| {
        let items = section
            .items
            .iter()
            .enumerate()
            .filter(|(_, item)| state.session.is_visible(&item.id))
            .map(|(i, item)| {
                let crisis = crisis_after == Some(item.id.as_str());
                html! {
                    <>
                        <ItemView
                            key={item.id.clone()}
                            definition={definition.clone()}
                            section={s}
                            index={i}
                            value={state.session.answer(&item.id).cloned()}
                            invalid={missing_ids.contains(item.id.as_str())}
                            id_prefix={props.id_prefix.clone()}
                            texts={texts.clone()}
                            on_answer={on_answer.clone()}
                        />
                        if crisis {
                            <CrisisResources content={props.crisis.clone()} />
                        }
                    </>
                }
            });
        html! {
            <section class="kf-section" data-section={section.id.clone()}>
                <h3 class="kf-section-title">{ &section.title }</h3>
                if let Some(intro) = &section.intro {
                    <p class="kf-intro">{ intro }</p>
                }
                { for items }
            </section>
        }
    });

    // The patient sees the score the definition names as its running total, if any; the
    // band only when the host turns that on. Clinicians get every score in the response.
    let running_total = definition
        .running_total
        .as_deref()
        .and_then(|id| evaluation.scores.iter().find(|score| score.id == id));
    let total = running_total.map(|score| {
        let band = if props.show_bands {
            score.band.clone()
        } else {
            None
        };
        html! {
            <p class="kf-total" data-score={score.id.clone()}>
                { texts.total_before }{ " " }
                <output data-score-total="">{ kapforms_core::number::display(score.value) }</output>
                { " " }{ texts.total_of }{ " " }{ kapforms_core::number::display(score.max) }
                if let Some(band) = band {
                    { " · " }<span data-score-band="">{ band }</span>
                }
            </p>
        }
    });

    html! {
        <form class="kf-root kf-form" novalidate=true {onsubmit} data-instrument={definition.id.clone()}>
            <h2 class="kf-title">{ &definition.title }</h2>
            if let Some(description) = &definition.description {
                <p class="kf-description">{ description }</p>
            }
            if !missing.is_empty() {
                <ErrorSummary
                    missing={missing.clone()}
                    id_prefix={props.id_prefix.clone()}
                    texts={texts.clone()}
                />
            }
            { for sections }
            <div class="kf-totals" aria-live="polite" aria-atomic="true">
                { for total }
            </div>
            <button type="submit" class="kf-submit" data-action="submit">{ texts.submit }</button>
        </form>
    }
}
