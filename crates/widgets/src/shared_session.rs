//! [`SharedSession`]: the form's kapforms-core session, shared by every version of the form's
//! state and changed in place, so that an answer copies nothing (a copy of a session grows
//! with the form); and [`ItemWatchers`], how an answer reaches the one question that shows
//! it, so the page's list of questions is not redrawn on every click. The form's reducer is
//! the only writer; everything else reads.

use std::cell::{Ref, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use kapforms_core::{AnswerValue, Diagnostic, Session};
use yew::Callback;

/// A session shared by reference. Cloning shares it; equality is identity (a form's state
/// tells versions apart by its revision).
#[derive(Clone)]
pub struct SharedSession(Rc<RefCell<Session>>);

impl SharedSession {
    /// Shares `session`.
    pub fn new(session: Session) -> SharedSession {
        SharedSession(Rc::new(RefCell::new(session)))
    }

    /// The session as it is now. The only mutable borrow lasts for one
    /// [`SharedSession::set_answer`], which calls nothing outside core, so a read never
    /// meets it.
    pub fn read(&self) -> Ref<'_, Session> {
        self.0.borrow()
    }

    /// A copy of the session as it is now (its cost grows with the form).
    pub fn snapshot(&self) -> Session {
        self.read().clone()
    }

    /// Sets (or with `None` clears) one answer in place, checked by core; `Ok(false)` when it
    /// was already so.
    pub(crate) fn set_answer(
        &self,
        item: &str,
        value: Option<AnswerValue>,
    ) -> Result<bool, Diagnostic> {
        let mut session = self.0.borrow_mut();
        if session.answer(item) == value.as_ref() {
            return Ok(false);
        }
        session.set_answer(item, value).map(|()| true)
    }
}

impl PartialEq for SharedSession {
    fn eq(&self, other: &SharedSession) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for SharedSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("SharedSession").finish_non_exhaustive()
    }
}

/// The questions on screen, by item id, each with the way to redraw it. A question registers
/// itself when it appears and leaves when it goes; the form's reducer redraws the one whose
/// answer changed.
#[derive(Clone, Default)]
pub struct ItemWatchers(Rc<RefCell<BTreeMap<String, Callback<()>>>>);

impl ItemWatchers {
    /// Redraw the question `item` when its answer changes.
    pub(crate) fn watch(&self, item: &str, redraw: Callback<()>) {
        self.0.borrow_mut().insert(item.to_owned(), redraw);
    }

    /// The question `item` that registered `redraw` left the screen (a question with the same
    /// id that has replaced it stays registered).
    pub(crate) fn unwatch(&self, item: &str, redraw: &Callback<()>) {
        let mut watchers = self.0.borrow_mut();
        if watchers.get(item) == Some(redraw) {
            watchers.remove(item);
        }
    }

    /// Redraws the question `item`, if it is on screen.
    pub(crate) fn changed(&self, item: &str) {
        let redraw = self.0.borrow().get(item).cloned();
        if let Some(redraw) = redraw {
            redraw.emit(());
        }
    }
}

impl PartialEq for ItemWatchers {
    fn eq(&self, other: &ItemWatchers) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for ItemWatchers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ItemWatchers").finish_non_exhaustive()
    }
}
