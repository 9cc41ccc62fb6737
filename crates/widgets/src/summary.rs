//! [`AnswerSummary`]: every visible question with the patient's answer, section by section,
//! as a description list. On "check your answers" each answer has a change link; after
//! submitting, the same list is the patient's copy to print or save.

use kapforms_core::Session;
use yew::prelude::*;

use crate::answer_text::answer_text;
use crate::text::Texts;

/// Properties of [`AnswerSummary`].
#[derive(Properties)]
pub struct SummaryProps {
    /// The answers (the session's definition is the questionnaire).
    pub session: Session,
    /// The interface strings.
    pub texts: Texts,
    /// Called with an item id when the patient chooses to change its answer; `None` shows no
    /// change links.
    #[prop_or_default]
    pub on_change: Option<Callback<String>>,
}

/// Compared on every render of the page holding the summary: the session by what it shows
/// ([`Session::shows_the_same_as`]), not by its definition's whole content.
impl PartialEq for SummaryProps {
    fn eq(&self, other: &SummaryProps) -> bool {
        self.session.shows_the_same_as(&other.session)
            && self.texts == other.texts
            && self.on_change == other.on_change
    }
}

/// The answers, as the patient gave them.
#[function_component(AnswerSummary)]
pub fn answer_summary(props: &SummaryProps) -> Html {
    let session = &props.session;
    let questionnaire = session.questionnaire();
    let sections = questionnaire
        .sections
        .iter()
        .enumerate()
        .filter(|(index, _)| session.is_section_visible(*index))
        .map(|(_, section)| {
            let rows = section
                .items
                .iter()
                .filter(|item| item.kind.takes_answer() && session.is_visible(&item.id))
                .map(|item| {
                    let answer = session
                        .answer(&item.id)
                        .map(|value| answer_text(questionnaire, item, value, &props.texts));
                    let change = props.on_change.as_ref().map(|on_change| {
                        let on_change = on_change.clone();
                        let id = item.id.clone();
                        let onclick = Callback::from(move |_: MouseEvent| on_change.emit(id.clone()));
                        html! {
                            <dd class="kf-summary-action">
                                <button type="button" class="kf-link" data-action="change"
                                    data-change-item={item.id.clone()} {onclick}>
                                    { props.texts.change }
                                    <span class="kf-visually-hidden">{ " " }{ &item.text }</span>
                                </button>
                            </dd>
                        }
                    });
                    html! {
                        <div class="kf-summary-row" data-summary-item={item.id.clone()}>
                            <dt>{ &item.text }</dt>
                            <dd class={classes!("kf-summary-answer", answer.is_none().then_some("kf-unanswered"))}>
                                { answer.unwrap_or_else(|| props.texts.not_answered.to_owned()) }
                            </dd>
                            { for change }
                        </div>
                    }
                });
            html! {
                <section class="kf-summary-section">
                    <h3>{ &section.title }</h3>
                    <dl class="kf-summary">{ for rows }</dl>
                </section>
            }
        });
    html! { <div class="kf-answer-summary">{ for sections }</div> }
}
