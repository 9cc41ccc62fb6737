//! [`FormController`]: how the host side acts on a mounted form from outside yew. The form
//! registers its dispatcher here when it mounts and records its latest session after every
//! change, so the embed crate can answer `getResponse()`, `validate()` and `reset()` without
//! reaching into component state. Actions sent before the form has mounted (yew renders
//! after `mountForm` returns; a draft may be restored, or storage fail, before that) wait and
//! are delivered, in order, when it registers.

use std::cell::RefCell;
use std::rc::Rc;

use kapforms_core::Session;
use yew::Callback;

use crate::shared_session::SharedSession;
use crate::state::FormAction;

#[derive(Default)]
struct Shared {
    dispatch: Option<Callback<FormAction>>,
    session: Option<SharedSession>,
    waiting: Vec<FormAction>,
}

/// A shared handle to one mounted form. Cloning shares it; equality is identity.
#[derive(Clone, Default)]
pub struct FormController {
    shared: Rc<RefCell<Shared>>,
}

impl PartialEq for FormController {
    fn eq(&self, other: &FormController) -> bool {
        Rc::ptr_eq(&self.shared, &other.shared)
    }
}

impl std::fmt::Debug for FormController {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormController").finish_non_exhaustive()
    }
}

impl FormController {
    /// A copy of the form's latest session, once it has mounted.
    pub fn session(&self) -> Option<Session> {
        let shared = self.shared.borrow().session.clone();
        shared.map(|session| session.snapshot())
    }

    /// Sends an action to the form; one sent before the form has mounted is delivered when it
    /// mounts.
    pub fn dispatch(&self, action: FormAction) {
        let dispatch = self.shared.borrow().dispatch.clone();
        match dispatch {
            Some(dispatch) => dispatch.emit(action),
            None => self.shared.borrow_mut().waiting.push(action),
        }
    }

    pub(crate) fn register(&self, dispatch: Callback<FormAction>) {
        let waiting = {
            let mut shared = self.shared.borrow_mut();
            shared.dispatch = Some(dispatch.clone());
            std::mem::take(&mut shared.waiting)
        };
        for action in waiting {
            dispatch.emit(action);
        }
    }

    pub(crate) fn record(&self, session: SharedSession) {
        self.shared.borrow_mut().session = Some(session);
    }
}
