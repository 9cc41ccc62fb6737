//! The form's state as a yew reducer: a kapforms-core [`Session`] plus where the patient is
//! (start page, a section, "check your answers", done) and whether missing answers are
//! pointed out. Every change goes through [`FormAction`]; the session, not the widget, checks
//! answers and computes scores. Moving on from a section with required answers missing keeps
//! the patient there and points them out; nothing ever clears an answer but `Reset` and the
//! patient's own confirmed "clear my answers". When the host keeps drafts, the state also says
//! which draft notice the patient sees (answers restored, progress not kept, answers cleared),
//! whether the clear-answers confirmation is open and whether the device keeps the draft; the
//! embed crate restores a draft with `Restore`. Switching language (`SetLanguage`) rewords the
//! session and keeps every answer and the page.
//!
//! An answer changes the session in place ([`SharedSession`]) and bumps `answers_version`,
//! so a click copies nothing and costs the same on any length of form; it redraws the one
//! question whose answer changed through [`ItemWatchers`].

use kapforms_core::LiteMap;
use std::rc::Rc;
use std::sync::Arc;

use kapforms_core::{AnswerValue, Questionnaire, Session};
use yew::Reducible;

use crate::shared_session::{ItemWatchers, SharedSession};
use crate::text::Language;

/// Where the patient is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// What the form is for, who reads it, how long it takes.
    Start,
    /// One section of questions, by index.
    Section(usize),
    /// "Check your answers", where the patient submits.
    Review,
    /// Submitted.
    Done,
}

/// A calm message about the patient's saved draft, shown at the top of the page until they
/// move to another page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftNotice {
    /// Earlier answers were restored from this device.
    Restored,
    /// This device cannot keep progress (storage unavailable or full).
    Unavailable,
    /// The patient cleared their answers.
    Cleared,
}

impl DraftNotice {
    /// The notice's name in the markup (`data-draft-notice`).
    pub fn name(self) -> &'static str {
        match self {
            DraftNotice::Restored => "restored",
            DraftNotice::Unavailable => "unavailable",
            DraftNotice::Cleared => "cleared",
        }
    }
}

/// What the patient (or the host) did.
#[derive(Debug, Clone, PartialEq)]
pub enum FormAction {
    /// Set (or with `None` clear) one item's answer.
    Answer {
        /// The item's id.
        item: String,
        /// The new answer.
        value: Option<AnswerValue>,
    },
    /// Leave the start page for the first section.
    Start,
    /// Move on from the current section (if its required answers are given).
    Next,
    /// Go back one page, keeping every answer.
    Back,
    /// From "check your answers", go to the section holding this item to change it.
    Change(String),
    /// Point out missing answers on the current page (the host's `validate()`).
    ShowMissing,
    /// Submit from "check your answers" failed: answers are missing; go to the first gap.
    SubmitIncomplete,
    /// Submitted.
    Submitted,
    /// Start again: clear every answer (the host's `reset()`).
    Reset,
    /// Restore a saved draft: its answers (each checked by the session; a refused one is
    /// skipped) and the page the patient was on (if it is still shown), then say so.
    Restore {
        /// The saved answers by item id.
        answers: LiteMap<String, AnswerValue>,
        /// The page the patient was on.
        page: Page,
    },
    /// Show a draft notice (the embed crate's `Unavailable` when storage fails).
    Notify(DraftNotice),
    /// The patient pressed "Clear my answers": ask them to confirm.
    AskClear,
    /// The patient chose to keep their answers.
    CancelClear,
    /// The patient confirmed: clear every answer, go back to the first page, say so.
    ConfirmClear,
    /// Show the form in another language, keeping every answer and the page.
    SetLanguage {
        /// The interface language.
        language: Language,
        /// The questionnaire's wording in that language; `None` for the definition's own.
        wording: Option<Arc<Questionnaire>>,
        /// The sections shown in English because their questionnaire (a validated scale) has
        /// no official translation into `language`.
        english_sections: Rc<[String]>,
    },
}

/// The form's state.
#[derive(Debug, Clone, PartialEq)]
pub struct FormState {
    /// The answers and what they mean, shared with every earlier version of the state: an
    /// answer changes it in place.
    pub session: SharedSession,
    /// Counts the changes of answers (a new value in place, a reset, a restored draft); a
    /// change of language keeps it.
    pub answers_version: u64,
    /// The questions on screen, redrawn one at a time as their answers change.
    pub watchers: ItemWatchers,
    /// The current page.
    pub page: Page,
    /// Whether missing required answers on this page are pointed out.
    pub show_missing: bool,
    /// Whether the form has a start page.
    pub has_start: bool,
    /// Whether the patient came to this section from "check your answers" (Continue returns
    /// there).
    pub changing: bool,
    /// The draft notice shown on this page, if any.
    pub notice: Option<DraftNotice>,
    /// Whether the "clear my answers" confirmation is open.
    pub confirming_clear: bool,
    /// Whether this device keeps the draft (false once storage has failed).
    pub draft_kept: bool,
    /// The interface language.
    pub language: Language,
    /// The sections shown in English for want of an official translation.
    pub english_sections: Rc<[String]>,
}

impl FormState {
    /// A fresh state at the first page, in English.
    pub fn new(session: Session, has_start: bool) -> FormState {
        let page = if has_start {
            Page::Start
        } else {
            first_section(&session).map_or(Page::Review, Page::Section)
        };
        FormState {
            session: SharedSession::new(session),
            answers_version: 0,
            watchers: ItemWatchers::default(),
            page,
            show_missing: false,
            has_start,
            changing: false,
            notice: None,
            confirming_clear: false,
            draft_kept: true,
            language: Language::English,
            english_sections: Rc::from(Vec::new()),
        }
    }

    /// Whether the section with this id is shown in English for want of a translation.
    pub fn is_english_only(&self, section_id: &str) -> bool {
        self.english_sections.iter().any(|id| id == section_id)
    }

    /// The visible sections, in order (their indexes).
    pub fn visible_sections(&self) -> Vec<usize> {
        visible_sections(&self.session.read())
    }

    fn at(&self, page: Page) -> Rc<FormState> {
        Rc::new(FormState {
            page,
            show_missing: false,
            changing: false,
            notice: None,
            confirming_clear: false,
            ..self.clone()
        })
    }

    /// The state with `answers` restored and the patient back on `page` (or, if that page is
    /// no longer shown, the first page); `None` when no saved answer fits the form.
    /// An empty session of the same definition, in the same language and wording, with the
    /// same content hash.
    fn empty_session(&self) -> Session {
        self.session.read().cleared()
    }

    /// A fresh state at the first page, keeping the language, its wording and whether the
    /// device keeps drafts.
    fn fresh(&self) -> FormState {
        let emptied = !self.session.read().answers().is_empty();
        FormState {
            draft_kept: self.draft_kept,
            language: self.language,
            english_sections: Rc::clone(&self.english_sections),
            answers_version: self.answers_version + u64::from(emptied),
            watchers: self.watchers.clone(),
            ..FormState::new(self.empty_session(), self.has_start)
        }
    }

    fn restored(&self, answers: LiteMap<String, AnswerValue>, page: Page) -> Option<FormState> {
        let mut session = self.empty_session();
        for (item, value) in answers {
            // A refused answer (the definition no longer accepts it) is left out.
            let _ = session.set_answer(&item, Some(value));
        }
        if session.answers().is_empty() {
            return None;
        }
        let changed = session.answers() != self.session.read().answers();
        let fresh = FormState {
            draft_kept: self.draft_kept,
            language: self.language,
            english_sections: Rc::clone(&self.english_sections),
            answers_version: self.answers_version + u64::from(changed),
            watchers: self.watchers.clone(),
            ..FormState::new(session, self.has_start)
        };
        let page = match page {
            Page::Start if self.has_start => Page::Start,
            Page::Section(index) if fresh.session.read().is_section_visible(index) => page,
            Page::Review => Page::Review,
            _ => fresh.page,
        };
        Some(FormState {
            page,
            notice: Some(DraftNotice::Restored),
            ..fresh
        })
    }
}

/// The indexes of the sections the patient will see, given the answers so far.
pub(crate) fn visible_sections(session: &Session) -> Vec<usize> {
    (0..session.questionnaire().sections.len())
        .filter(|&index| session.is_section_visible(index))
        .collect()
}

fn first_section(session: &Session) -> Option<usize> {
    visible_sections(session).first().copied()
}

impl Reducible for FormState {
    type Action = FormAction;

    fn reduce(self: Rc<Self>, action: FormAction) -> Rc<Self> {
        match action {
            FormAction::Answer { item, value } => {
                // A refused answer leaves the session as it was; the input shows the old value.
                if !matches!(self.session.set_answer(&item, value), Ok(true)) {
                    return self;
                }
                let place = self.session.read().place_of(&item);
                if let Some(place) = place {
                    self.watchers.changed(place);
                }
                Rc::new(FormState {
                    answers_version: self.answers_version + 1,
                    ..(*self).clone()
                })
            }
            FormAction::Start => {
                let first = first_section(&self.session.read());
                self.at(first.map_or(Page::Review, Page::Section))
            }
            FormAction::Next => {
                let Page::Section(current) = self.page else {
                    return self;
                };
                if self.session.read().has_missing_in(current) {
                    return Rc::new(FormState {
                        show_missing: true,
                        ..(*self).clone()
                    });
                }
                if self.changing {
                    return self.at(Page::Review);
                }
                let next = self
                    .visible_sections()
                    .into_iter()
                    .find(|&index| index > current);
                self.at(next.map_or(Page::Review, Page::Section))
            }
            FormAction::Back => {
                let sections = self.visible_sections();
                let previous = match self.page {
                    Page::Section(current) => {
                        match sections.iter().rev().find(|&&index| index < current) {
                            Some(&index) => Page::Section(index),
                            None if self.has_start => Page::Start,
                            None => return self,
                        }
                    }
                    Page::Review => match sections.last() {
                        Some(&index) => Page::Section(index),
                        None => return self,
                    },
                    Page::Start | Page::Done => return self,
                };
                self.at(previous)
            }
            FormAction::Change(item) => {
                let Some((section, _)) = self.session.read().place_of(&item) else {
                    return self;
                };
                Rc::new(FormState {
                    page: Page::Section(section),
                    show_missing: false,
                    changing: true,
                    notice: None,
                    confirming_clear: false,
                    ..(*self).clone()
                })
            }
            FormAction::ShowMissing => Rc::new(FormState {
                show_missing: true,
                ..(*self).clone()
            }),
            FormAction::SubmitIncomplete => {
                let gap = self
                    .visible_sections()
                    .into_iter()
                    .find(|&index| self.session.read().has_missing_in(index));
                match gap {
                    Some(index) => Rc::new(FormState {
                        page: Page::Section(index),
                        show_missing: true,
                        changing: false,
                        ..(*self).clone()
                    }),
                    None => self,
                }
            }
            FormAction::Submitted => self.at(Page::Done),
            FormAction::Reset => Rc::new(self.fresh()),
            FormAction::Restore { answers, page } => match self.restored(answers, page) {
                Some(state) => Rc::new(state),
                None => self,
            },
            FormAction::Notify(DraftNotice::Unavailable) => {
                // Told once: a second failure changes nothing.
                if !self.draft_kept {
                    return self;
                }
                Rc::new(FormState {
                    notice: Some(DraftNotice::Unavailable),
                    draft_kept: false,
                    ..(*self).clone()
                })
            }
            FormAction::Notify(notice) => {
                if self.notice == Some(notice) {
                    return self;
                }
                Rc::new(FormState {
                    notice: Some(notice),
                    ..(*self).clone()
                })
            }
            FormAction::AskClear => Rc::new(FormState {
                confirming_clear: true,
                ..(*self).clone()
            }),
            FormAction::CancelClear => Rc::new(FormState {
                confirming_clear: false,
                ..(*self).clone()
            }),
            FormAction::ConfirmClear => Rc::new(FormState {
                notice: Some(DraftNotice::Cleared),
                ..self.fresh()
            }),
            FormAction::SetLanguage {
                language,
                wording,
                english_sections,
            } => {
                let reworded = {
                    let current = self.session.read();
                    let wording = wording.unwrap_or_else(|| Arc::clone(current.definition()));
                    current.reworded_in_texts(wording, language.tag())
                };
                // A wording of another definition changes nothing: answers come first.
                let Ok(session) = reworded else {
                    return self;
                };
                Rc::new(FormState {
                    session: SharedSession::new(session),
                    language,
                    english_sections,
                    ..(*self).clone()
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn intake_state() -> Rc<FormState> {
        let questionnaire = kapforms_instruments::load("intake")
            .expect("built in")
            .expect("valid");
        Rc::new(FormState::new(Session::new(Arc::new(questionnaire)), true))
    }

    fn answers(pairs: &[(&str, AnswerValue)]) -> LiteMap<String, AnswerValue> {
        pairs
            .iter()
            .map(|(id, value)| ((*id).to_owned(), value.clone()))
            .collect()
    }

    #[test]
    fn a_restored_draft_brings_back_its_answers_and_page_and_says_so() {
        let state = intake_state().reduce(FormAction::Restore {
            answers: answers(&[
                ("emergency_name", AnswerValue::Text("Sam".into())),
                ("referred_by", AnswerValue::Text("self".into())),
                // The form no longer has this item, or refuses this answer: left out.
                ("no_such_item", AnswerValue::Text("x".into())),
                ("referred_by_typo", AnswerValue::Bool(true)),
            ]),
            page: Page::Section(2),
        });
        assert_eq!(state.page, Page::Section(2));
        assert_eq!(state.notice, Some(DraftNotice::Restored));
        assert_eq!(state.session.read().answers().len(), 2);
        assert_eq!(
            state.session.read().answer("referred_by"),
            Some(&AnswerValue::Text("self".into()))
        );
        // Moving on clears the notice.
        let state = state.reduce(FormAction::Back);
        assert_eq!(state.page, Page::Section(1));
        assert_eq!(state.notice, None);
    }

    #[test]
    fn a_draft_with_nothing_that_fits_changes_nothing() {
        let state = intake_state();
        let after = state.clone().reduce(FormAction::Restore {
            answers: answers(&[("referred_by", AnswerValue::Text("not-an-option".into()))]),
            page: Page::Review,
        });
        assert!(Rc::ptr_eq(&state, &after));
    }

    #[test]
    fn a_restored_page_that_is_done_or_hidden_opens_the_first_page() {
        let restore = |page| {
            intake_state().reduce(FormAction::Restore {
                answers: answers(&[("emergency_name", AnswerValue::Text("Sam".into()))]),
                page,
            })
        };
        assert_eq!(restore(Page::Done).page, Page::Start);
        assert_eq!(restore(Page::Section(999)).page, Page::Start);
        assert_eq!(restore(Page::Review).page, Page::Review);
    }

    #[test]
    fn clearing_asks_first_then_empties_the_form_and_says_so() {
        let state = intake_state()
            .reduce(FormAction::Start)
            .reduce(FormAction::Answer {
                item: "emergency_name".into(),
                value: Some(AnswerValue::Text("Sam".into())),
            })
            .reduce(FormAction::AskClear);
        assert!(state.confirming_clear);
        let kept = state.clone().reduce(FormAction::CancelClear);
        assert!(!kept.confirming_clear);
        assert_eq!(kept.session.read().answers().len(), 1);
        let cleared = state.reduce(FormAction::ConfirmClear);
        assert!(!cleared.confirming_clear);
        assert!(cleared.session.read().answers().is_empty());
        assert_eq!(cleared.page, Page::Start);
        assert_eq!(cleared.notice, Some(DraftNotice::Cleared));
    }

    #[test]
    fn the_unavailable_notice_is_shown_once_and_the_form_stops_saying_answers_are_kept() {
        let state = intake_state().reduce(FormAction::Notify(DraftNotice::Unavailable));
        assert_eq!(state.notice, Some(DraftNotice::Unavailable));
        assert!(!state.draft_kept);
        let again = state
            .clone()
            .reduce(FormAction::Notify(DraftNotice::Unavailable));
        assert!(Rc::ptr_eq(&state, &again));
        // Moving on hides it, and a later failure does not repeat it.
        let moved = state.reduce(FormAction::Start);
        assert_eq!(moved.notice, None);
        let later = moved
            .clone()
            .reduce(FormAction::Notify(DraftNotice::Unavailable));
        assert!(Rc::ptr_eq(&moved, &later));
        assert!(!later.reduce(FormAction::Reset).draft_kept);
    }
}
