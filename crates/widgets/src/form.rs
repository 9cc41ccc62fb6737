//! [`QuestionnaireForm`]: the whole questionnaire as one native `<form>`: title, sections of
//! items, the running total, the error summary when answers are missing, and the submit
//! button. It owns the reducer; each item is its own memoized component, so an answer
//! re-renders that item and the total, not the whole form.

use std::collections::HashSet;
use std::sync::Arc;

use kapforms_core::{AnswerValue, Session, Severity};
use yew::prelude::*;

use crate::crisis::CrisisResources;
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
    /// Called with the session after every accepted change of answer.
    #[prop_or_default]
    pub on_change: Callback<Session>,
    /// Called with the session when the patient submits a complete form.
    #[prop_or_default]
    pub on_submit: Callback<Session>,
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

    // Tell the host about every accepted change, after the state has it.
    {
        let on_change = props.on_change.clone();
        let session = state.session.clone();
        use_effect_with(state.session.answers().clone(), move |_| {
            if !session.answers().is_empty() {
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
    let crisis_items: HashSet<&str> = evaluation
        .flags
        .iter()
        .filter(|flag| flag.severity == Severity::Safety)
        .flat_map(|flag| flag.items.iter().map(String::as_str))
        .collect();

    if state.submitted {
        return html! {
            <div class="kf-root">
                <div class="kf-submitted" role="status" data-submitted="">
                    <h2>{ texts.submitted_title }</h2>
                    <p>{ texts.submitted_body }</p>
                </div>
                if evaluation.has_safety_flag() {
                    <CrisisResources texts={texts.clone()} />
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
                let crisis = crisis_items.contains(item.id.as_str());
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
                            <CrisisResources texts={texts.clone()} />
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

    let totals = evaluation.scores.iter().map(|score| {
        html! {
            <p class="kf-total" data-score={score.id.clone()}>
                { texts.total_before }{ " " }
                <output data-score-total="">{ kapforms_core::number::display(score.value) }</output>
                { " " }{ texts.total_of }{ " " }{ kapforms_core::number::display(score.max) }
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
                { for totals }
            </div>
            <button type="submit" class="kf-submit" data-action="submit">{ texts.submit }</button>
        </form>
    }
}
