//! [`start_page`]: before the first question, what the form is for, who reads the answers,
//! about how long it takes (estimated from the definition), that nobody watches it in real
//! time, and where to get urgent help.

use kapforms_core::Questionnaire;
use yew::prelude::*;

use crate::text::Texts;

/// What [`start_page`] shows.
pub struct StartProps {
    /// The questionnaire's title and description.
    pub title: AttrValue,
    /// Its description, if any.
    pub description: Option<AttrValue>,
    /// Estimated minutes.
    pub minutes: u32,
    /// The interface strings.
    pub texts: Texts,
    /// The interface language's tag.
    pub lang: AttrValue,
    /// The language of the title and description (`en` for an untranslated scale).
    pub content_lang: AttrValue,
    /// A notice shown under the title (the questionnaire is available only in English).
    pub notice: Html,
    /// The heading, focused when the page appears.
    pub heading: NodeRef,
    /// Starts the form.
    pub on_start: Callback<()>,
}

impl StartProps {
    /// The parts of a questionnaire the start page shows.
    pub fn describe(questionnaire: &Questionnaire) -> (AttrValue, Option<AttrValue>, u32) {
        (
            questionnaire.title.clone().into(),
            questionnaire.description.clone().map(Into::into),
            questionnaire.estimated_minutes(),
        )
    }
}

/// The start page: a plain view function, not a component (its markup is diffed by yew all
/// the same; a component's machinery would weigh more in the module).
pub fn start_page(props: StartProps) -> Html {
    let onclick = {
        let on_start = props.on_start.clone();
        Callback::from(move |_: MouseEvent| on_start.emit(()))
    };
    html! {
        <div class="kf-root kf-start" data-page="start" lang={props.lang.clone()}>
            <h2 class="kf-title" tabindex="-1" ref={props.heading.clone()}
                lang={props.content_lang.clone()}>{ &props.title }</h2>
            { props.notice.clone() }
            if let Some(description) = &props.description {
                <p class="kf-description" lang={props.content_lang.clone()}>{ description }</p>
            }
            <p>{ props.texts.start_who }</p>
            <p data-time-estimate="">{ props.texts.time_estimate(props.minutes) }</p>
            <p>{ props.texts.start_privacy }</p>
            <p class="kf-urgent">{ props.texts.start_urgent }</p>
            <button type="button" class="kf-button kf-primary" data-action="start" {onclick}>
                { props.texts.start }
            </button>
        </div>
    }
}
