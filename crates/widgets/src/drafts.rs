//! The patient's side of drafts (when the host keeps them): [`draft_notice`], the calm
//! message at the top of the page (earlier answers restored, progress not kept on this device,
//! answers cleared), and [`clear_answers`], the "Clear my answers" button with its confirmation
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

/// What [`clear_answers`] draws and sends.
pub struct ClearAnswersView<'a> {
    /// Whether the confirmation is open.
    pub confirming: bool,
    /// Whether this device keeps the draft (else the line saying so is left out).
    pub kept: bool,
    /// The form's prefix for element ids.
    pub id_prefix: &'a str,
    /// The interface strings.
    pub texts: &'a Texts,
    /// The confirmation's question, which takes focus when the confirmation opens.
    pub question: NodeRef,
    /// The "Clear my answers" button, which takes focus back when the patient keeps their
    /// answers.
    pub button: NodeRef,
    /// The patient pressed "Clear my answers".
    pub on_ask: Callback<()>,
    /// The patient chose to keep their answers.
    pub on_cancel: Callback<()>,
    /// The patient confirmed clearing.
    pub on_confirm: Callback<()>,
}

/// "Clear my answers", then "Clear all your answers?" with a yes and a no. The form moves
/// focus (to `question` when the confirmation opens, back to `button` when the patient keeps
/// their answers): this is a plain view function, not a component, which would add about
/// 4 KB of yew's machinery to the module.
pub fn clear_answers(view: ClearAnswersView<'_>) -> Html {
    let emit = |callback: &Callback<()>| {
        let callback = callback.clone();
        Callback::from(move |_: MouseEvent| callback.emit(()))
    };
    let texts = view.texts;
    let question_id = format!("{}-clear-question", view.id_prefix);
    html! {
        <div class="kf-root kf-drafts kf-no-print" data-drafts="">
            if view.confirming {
                <div class="kf-clear-confirm" role="group" aria-labelledby={question_id.clone()}
                    data-clear-confirm="">
                    <h3 id={question_id} tabindex="-1" ref={view.question}>{ texts.clear_confirm_title }</h3>
                    <p>{ texts.clear_confirm_body }</p>
                    <div class="kf-actions">
                        <button type="button" class="kf-button kf-primary"
                            data-action="confirm-clear" onclick={emit(&view.on_confirm)}>
                            { texts.clear_confirm_yes }
                        </button>
                        <button type="button" class="kf-button kf-secondary"
                            data-action="cancel-clear" onclick={emit(&view.on_cancel)}>
                            { texts.clear_confirm_no }
                        </button>
                    </div>
                </div>
            } else {
                if view.kept {
                    <p class="kf-draft-kept">{ texts.draft_kept }</p>
                }
                <button type="button" class="kf-link" data-action="clear-answers" ref={view.button}
                    onclick={emit(&view.on_ask)}>{ texts.clear_answers }</button>
            }
        </div>
    }
}
