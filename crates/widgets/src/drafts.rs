//! The patient's side of drafts (when the host keeps them): [`draft_notice`], the calm
//! message at the top of the page (earlier answers restored, progress not kept on this device,
//! answers cleared), and [`ClearAnswers`], the "Clear my answers" button with its confirmation
//! step. Both only draw what the form state says and send actions; the embed crate keeps, encrypts
//! and wipes the stored draft.

use yew::prelude::*;

use crate::state::DraftNotice;
use crate::text::Texts;

/// One draft notice, announced politely (`role="status"`). A plain function, not a
/// component: it has no state, and a component would cost the module more.
pub fn draft_notice(notice: DraftNotice, texts: &Texts) -> Html {
    let text = match notice {
        DraftNotice::Restored => texts.draft_restored,
        DraftNotice::Unavailable => texts.draft_unavailable,
        DraftNotice::Cleared => texts.draft_cleared,
    };
    html! {
        <div class="kf-root kf-drafts">
            <p class="kf-draft-notice" role="status" data-draft-notice={notice.name()}>
                { text }
            </p>
        </div>
    }
}

/// Properties of [`ClearAnswers`].
#[derive(Properties, PartialEq)]
pub struct ClearAnswersProps {
    /// Whether the confirmation is open.
    pub confirming: bool,
    /// Whether this device keeps the draft (else the line saying so is left out).
    pub kept: bool,
    /// The form's prefix for element ids.
    pub id_prefix: AttrValue,
    /// The interface strings.
    pub texts: Texts,
    /// The patient pressed "Clear my answers".
    pub on_ask: Callback<()>,
    /// The patient chose to keep their answers.
    pub on_cancel: Callback<()>,
    /// The patient confirmed clearing.
    pub on_confirm: Callback<()>,
}

/// "Clear my answers", then "Clear all your answers?" with a yes and a no. Opening the
/// confirmation moves focus to its question; keeping the answers moves it back to the button.
#[function_component(ClearAnswers)]
pub fn clear_answers(props: &ClearAnswersProps) -> Html {
    let question = use_node_ref();
    let button = use_node_ref();
    {
        let question = question.clone();
        let button = button.clone();
        let first = use_mut_ref(|| true);
        use_effect_with(props.confirming, move |&confirming| {
            if !std::mem::replace(&mut *first.borrow_mut(), false) {
                let target = if confirming { question } else { button };
                if let Some(element) = target.cast::<web_sys::HtmlElement>() {
                    let _ = element.focus();
                }
            }
        });
    }
    let emit = |callback: &Callback<()>| {
        let callback = callback.clone();
        Callback::from(move |_: MouseEvent| callback.emit(()))
    };
    let texts = &props.texts;
    let question_id = format!("{}-clear-question", props.id_prefix);
    html! {
        <div class="kf-root kf-drafts kf-no-print" data-drafts="">
            if props.confirming {
                <div class="kf-clear-confirm" role="group" aria-labelledby={question_id.clone()}
                    data-clear-confirm="">
                    <h3 id={question_id} tabindex="-1" ref={question}>{ texts.clear_confirm_title }</h3>
                    <p>{ texts.clear_confirm_body }</p>
                    <div class="kf-actions">
                        <button type="button" class="kf-button kf-primary"
                            data-action="confirm-clear" onclick={emit(&props.on_confirm)}>
                            { texts.clear_confirm_yes }
                        </button>
                        <button type="button" class="kf-button kf-secondary"
                            data-action="cancel-clear" onclick={emit(&props.on_cancel)}>
                            { texts.clear_confirm_no }
                        </button>
                    </div>
                </div>
            } else {
                if props.kept {
                    <p class="kf-draft-kept">{ texts.draft_kept }</p>
                }
                <button type="button" class="kf-link" data-action="clear-answers" ref={button}
                    onclick={emit(&props.on_ask)}>{ texts.clear_answers }</button>
            }
        </div>
    }
}
