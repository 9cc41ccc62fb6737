//! The form's state as a yew reducer: a kapforms-core [`Session`] plus what the page shows
//! (whether to show missing answers, whether the answers were submitted). Every change goes
//! through [`FormAction`]; the session, not the widget, checks answers and computes scores.

use std::rc::Rc;

use kapforms_core::{AnswerValue, Session};
use yew::Reducible;

/// What the patient did.
#[derive(Debug, Clone, PartialEq)]
pub enum FormAction {
    /// Set (or with `None` clear) one item's answer.
    Answer {
        /// The item's id.
        item: String,
        /// The new answer.
        value: Option<AnswerValue>,
    },
    /// Tried to submit with answers missing: show what is missing.
    ShowMissing,
    /// Submitted.
    Submitted,
    /// Start again: clear every answer (the host's `reset()`).
    Reset,
}

/// The form's state.
#[derive(Debug, Clone, PartialEq)]
pub struct FormState {
    /// The answers and what they mean.
    pub session: Session,
    /// Whether missing required answers are pointed out.
    pub show_missing: bool,
    /// Whether the answers were submitted.
    pub submitted: bool,
}

impl Reducible for FormState {
    type Action = FormAction;

    fn reduce(self: Rc<Self>, action: FormAction) -> Rc<Self> {
        match action {
            FormAction::Answer { item, value } => {
                if self.session.answer(&item) == value.as_ref() {
                    return self;
                }
                let mut next = (*self).clone();
                // A refused answer leaves the session as it was; the input shows the old value.
                if next.session.set_answer(&item, value).is_err() {
                    return self;
                }
                Rc::new(next)
            }
            FormAction::ShowMissing => Rc::new(FormState {
                show_missing: true,
                ..(*self).clone()
            }),
            FormAction::Submitted => Rc::new(FormState {
                submitted: true,
                ..(*self).clone()
            }),
            FormAction::Reset => Rc::new(FormState {
                session: Session::new(self.session.questionnaire().clone()),
                show_missing: false,
                submitted: false,
            }),
        }
    }
}
