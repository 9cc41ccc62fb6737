//! [`SharedSession`]: the form's kapforms-core session, shared by every version of the form's
//! state and changed in place, so that an answer copies nothing (a copy of a session grows
//! with the form); and [`ItemWatchers`], how an answer reaches the one question that shows
//! it, so the page's list of questions is not redrawn on every click. The form's reducer is
//! the only writer; everything else reads.

use std::cell::{Ref, RefCell};
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

/// The questions on screen, by place (section index, index in the section), each with the
/// way to redraw it. A question registers itself when it appears and leaves when it goes; the
/// form's reducer redraws the one whose answer changed.
#[derive(Clone, Default)]
pub struct ItemWatchers(Rc<RefCell<Vec<SectionWatchers>>>);

/// The redraw callbacks of one section's questions, by index in the section.
type SectionWatchers = Vec<Option<Callback<()>>>;

impl ItemWatchers {
    /// Redraw the question at `(section, index)` with `redraw` when its answer changes.
    pub(crate) fn watch(&self, (section, index): (usize, usize), redraw: Callback<()>) {
        let mut watchers = self.0.borrow_mut();
        if watchers.len() <= section {
            watchers.resize(section + 1, Vec::new());
        }
        let places = &mut watchers[section];
        if places.len() <= index {
            places.resize(index + 1, None);
        }
        places[index] = Some(redraw);
    }

    /// The question at `(section, index)` that registered `redraw` left the screen (one that
    /// has replaced it stays registered).
    pub(crate) fn unwatch(&self, (section, index): (usize, usize), redraw: &Callback<()>) {
        let mut watchers = self.0.borrow_mut();
        if let Some(slot) = watchers
            .get_mut(section)
            .and_then(|places| places.get_mut(index))
        {
            if slot.as_ref() == Some(redraw) {
                *slot = None;
            }
        }
    }

    /// Redraws the question at `(section, index)`, if it is on screen.
    pub(crate) fn changed(&self, (section, index): (usize, usize)) {
        let redraw = self
            .0
            .borrow()
            .get(section)
            .and_then(|places| places.get(index))
            .cloned()
            .flatten();
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
