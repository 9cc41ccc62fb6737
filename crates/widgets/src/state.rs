//! The form's state as a yew reducer: a kapforms-core [`Session`] plus where the patient is
//! (start page, a section, "check your answers", done) and whether missing answers are
//! pointed out. Every change goes through [`FormAction`]; the session, not the widget, checks
//! answers and computes scores. Moving on from a section with required answers missing keeps
//! the patient there and points them out; nothing ever clears an answer but `Reset`.

use std::rc::Rc;

use kapforms_core::{AnswerValue, Session};
use yew::Reducible;

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
}

/// The form's state.
#[derive(Debug, Clone, PartialEq)]
pub struct FormState {
    /// The answers and what they mean.
    pub session: Session,
    /// The current page.
    pub page: Page,
    /// Whether missing required answers on this page are pointed out.
    pub show_missing: bool,
    /// Whether the form has a start page.
    pub has_start: bool,
    /// Whether the patient came to this section from "check your answers" (Continue returns
    /// there).
    pub changing: bool,
}

impl FormState {
    /// A fresh state at the first page.
    pub fn new(session: Session, has_start: bool) -> FormState {
        let page = if has_start {
            Page::Start
        } else {
            first_section(&session).map_or(Page::Review, Page::Section)
        };
        FormState {
            session,
            page,
            show_missing: false,
            has_start,
            changing: false,
        }
    }

    /// The visible sections, in order (their indexes).
    pub fn visible_sections(&self) -> Vec<usize> {
        visible_sections(&self.session)
    }

    fn at(&self, page: Page) -> Rc<FormState> {
        Rc::new(FormState {
            page,
            show_missing: false,
            changing: false,
            ..self.clone()
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
            FormAction::Start => {
                self.at(first_section(&self.session).map_or(Page::Review, Page::Section))
            }
            FormAction::Next => {
                let Page::Section(current) = self.page else {
                    return self;
                };
                if !self.session.missing_required_in(current).is_empty() {
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
                let questionnaire = self.session.questionnaire();
                let Some(section) = questionnaire
                    .sections
                    .iter()
                    .position(|section| section.items.iter().any(|i| i.id == item))
                else {
                    return self;
                };
                Rc::new(FormState {
                    page: Page::Section(section),
                    show_missing: false,
                    changing: true,
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
                    .find(|&index| !self.session.missing_required_in(index).is_empty());
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
            FormAction::Reset => Rc::new(FormState::new(
                Session::new(self.session.questionnaire().clone()),
                self.has_start,
            )),
        }
    }
}
