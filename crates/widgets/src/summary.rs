//! [`answer_summary`]: every visible question with the patient's answer, section by section,
//! as a description list. On "check your answers" each answer has a change link; after
//! submitting, the same list is the patient's copy to print or save.

use kapforms_core::Session;
use yew::prelude::*;

use crate::answer_text::answer_text;
use crate::text::Texts;

/// The answers, as the patient gave them: a plain view function, not a component (its
/// markup is diffed by yew all the same; a component's machinery would weigh more in the
/// module). `on_change`, when given, is called with an item id when the patient chooses to
/// change its answer; without it the list has no change links.
pub fn answer_summary(
    session: &Session,
    texts: &Texts,
    on_change: Option<&Callback<String>>,
) -> Html {
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
                        .map(|value| answer_text(questionnaire, item, value, texts));
                    let change = on_change.map(|on_change| {
                        let on_change = on_change.clone();
                        let id = item.id.clone();
                        let onclick = Callback::from(move |_: MouseEvent| on_change.emit(id.clone()));
                        html! {
                            <dd class="kf-summary-action">
                                <button type="button" class="kf-link" data-action="change"
                                    data-change-item={item.id.clone()} {onclick}>
                                    { texts.change }
                                    <span class="kf-visually-hidden">{ " " }{ &item.text }</span>
                                </button>
                            </dd>
                        }
                    });
                    html! {
                        <div class="kf-summary-row" data-summary-item={item.id.clone()}>
                            <dt>{ &item.text }</dt>
                            <dd class="kf-summary-answer" data-unanswered={answer.is_none().then_some("")}>
                                { answer.unwrap_or_else(|| texts.not_answered.to_owned()) }
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
