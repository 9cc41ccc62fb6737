//! A patient's session with one questionnaire: the answers so far, checked as they arrive,
//! with what they mean (visibility, scores, flags) and whether the form can be submitted.
//! Answers to items that become hidden are kept (so nothing is lost if the patient changes
//! their mind) but do not count and are not sent.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::answer::{check_answer, AnswerValue};
use crate::definition::{Item, ItemKind, Questionnaire};
use crate::diagnostic::Diagnostic;
use crate::evaluation::Evaluation;
use crate::wire::{Response, Status, Timestamps};

/// Answers in progress for one questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    questionnaire: Arc<Questionnaire>,
    /// The definition responses are built from, when the wording shown is another (a
    /// translation); `None` when `questionnaire` is the definition itself.
    definition: Option<Arc<Questionnaire>>,
    language: Option<Arc<str>>,
    content_hash: Arc<str>,
    answers: BTreeMap<String, AnswerValue>,
    evaluation: Evaluation,
}

impl Session {
    /// An empty session.
    pub fn new(questionnaire: Arc<Questionnaire>) -> Session {
        let answers = BTreeMap::new();
        let evaluation = Evaluation::of(&questionnaire, &answers);
        Session {
            content_hash: questionnaire.content_hash().into(),
            questionnaire,
            definition: None,
            language: None,
            answers,
            evaluation,
        }
    }

    /// A session holding `answers` (restoring a draft, re-opening a response): every answer is
    /// checked against its item first, and the answers are evaluated once.
    pub fn with_answers(
        questionnaire: Arc<Questionnaire>,
        answers: BTreeMap<String, AnswerValue>,
    ) -> Result<Session, Diagnostic> {
        for (id, value) in &answers {
            let path = format!("answers.{id}");
            let item = questionnaire
                .item(id)
                .ok_or_else(|| Diagnostic::new(path.clone(), "no item has this id"))?;
            check_answer(&questionnaire, item, value)
                .map_err(|message| Diagnostic::new(path, message))?;
        }
        let answers: BTreeMap<String, AnswerValue> = answers
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .collect();
        let evaluation = Evaluation::of(&questionnaire, &answers);
        Ok(Session {
            content_hash: questionnaire.content_hash().into(),
            questionnaire,
            definition: None,
            language: None,
            answers,
            evaluation,
        })
    }

    /// This session recording `language` (a BCP 47 tag such as `en`) as the language the
    /// patient reads; its responses carry it.
    pub fn with_language(mut self, language: &str) -> Session {
        self.language = Some(language.into());
        self
    }

    /// The same answers under other wording of the same definition (a translation), read in
    /// `language`. The wording must be the definition reworded ([`Questionnaire::with_text_pack`]):
    /// the same id, version and items in the same order; otherwise nothing changes and the
    /// error says why. Responses stay those of the definition itself.
    pub fn reworded(
        &self,
        wording: Arc<Questionnaire>,
        language: &str,
    ) -> Result<Session, Diagnostic> {
        let definition = self
            .definition
            .clone()
            .unwrap_or_else(|| Arc::clone(&self.questionnaire));
        let same_items = wording
            .items()
            .map(|item| &item.id)
            .eq(definition.items().map(|item| &item.id));
        if wording.id != definition.id || wording.version != definition.version || !same_items {
            return Err(Diagnostic::new(
                "wording",
                format!(
                    "is not a rewording of `{}` version {}",
                    definition.id, definition.version
                ),
            ));
        }
        let evaluation = Evaluation::of(&wording, &self.answers);
        let definition = if Arc::ptr_eq(&wording, &definition) {
            None
        } else {
            Some(definition)
        };
        Ok(Session {
            questionnaire: wording,
            definition,
            language: Some(language.into()),
            content_hash: Arc::clone(&self.content_hash),
            answers: self.answers.clone(),
            evaluation,
        })
    }

    /// The questionnaire as the patient reads it (a translation, when the session was
    /// reworded).
    pub fn questionnaire(&self) -> &Arc<Questionnaire> {
        &self.questionnaire
    }

    /// The definition itself, in its own wording: what responses are built from.
    pub fn definition(&self) -> &Arc<Questionnaire> {
        self.definition.as_ref().unwrap_or(&self.questionnaire)
    }

    /// The language the patient reads, when recorded.
    pub fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }

    /// Sets (or with `None` clears) one item's answer. The answer is checked against the item
    /// first; a bad answer changes nothing and says why, at the path `answers.<id>`.
    pub fn set_answer(
        &mut self,
        item_id: &str,
        value: Option<AnswerValue>,
    ) -> Result<(), Diagnostic> {
        let path = format!("answers.{item_id}");
        let Some(item) = self.questionnaire.item(item_id) else {
            return Err(Diagnostic::new(path, "no item has this id"));
        };
        match value.filter(|value| !value.is_empty()) {
            Some(value) => {
                check_answer(&self.questionnaire, item, &value)
                    .map_err(|message| Diagnostic::new(path, message))?;
                self.answers.insert(item_id.to_owned(), value);
            }
            None => {
                self.answers.remove(item_id);
            }
        }
        self.evaluation = Evaluation::of(&self.questionnaire, &self.answers);
        Ok(())
    }

    /// The answer to an item, if any (hidden items keep theirs).
    pub fn answer(&self, item_id: &str) -> Option<&AnswerValue> {
        self.answers.get(item_id)
    }

    /// All answers given, hidden items included.
    pub fn answers(&self) -> &BTreeMap<String, AnswerValue> {
        &self.answers
    }

    /// Visibility, scores and flags for the current answers.
    pub fn evaluation(&self) -> &Evaluation {
        &self.evaluation
    }

    /// Whether an item is currently shown.
    pub fn is_visible(&self, item_id: &str) -> bool {
        self.evaluation.visible.contains(item_id)
    }

    /// Visible required items without an answer, in order. A repeating group also counts
    /// as missing while one of its rows lacks a required field.
    pub fn missing_required(&self) -> Vec<&Item> {
        self.questionnaire
            .items()
            .filter(|item| self.is_missing(item))
            .collect()
    }

    /// Whether a visible item still needs an answer.
    fn is_missing(&self, item: &Item) -> bool {
        if !self.is_visible(&item.id) {
            return false;
        }
        let answer = self.answers.get(&item.id).filter(|value| !value.is_empty());
        if let (ItemKind::RepeatingGroup { fields, .. }, Some(AnswerValue::Rows(rows))) =
            (&item.kind, answer)
        {
            let row_incomplete = rows
                .iter()
                .filter(|row| !row.values().all(AnswerValue::is_empty))
                .any(|row| {
                    fields
                        .iter()
                        .filter(|field| field.required)
                        .any(|field| row.get(&field.id).is_none_or(AnswerValue::is_empty))
                });
            return row_incomplete;
        }
        item.required && answer.is_none()
    }

    /// Visible required items of one section without an answer, in order.
    pub fn missing_required_in(&self, section: usize) -> Vec<&Item> {
        let Some(section) = self.questionnaire.sections.get(section) else {
            return Vec::new();
        };
        section
            .items
            .iter()
            .filter(|item| self.is_missing(item))
            .collect()
    }

    /// Whether a section has any visible item (a section whose items are all hidden is
    /// skipped).
    pub fn is_section_visible(&self, section: usize) -> bool {
        self.questionnaire
            .sections
            .get(section)
            .is_some_and(|section| section.items.iter().any(|item| self.is_visible(&item.id)))
    }

    /// Whether every visible required item is answered.
    pub fn is_complete(&self) -> bool {
        self.missing_required().is_empty()
    }

    /// The native response for the current answers: the definition's own labels and content
    /// hash whatever the wording shown, and the language the patient read.
    pub fn response(&self, status: Status, timestamps: Timestamps) -> Response {
        let mut response = match &self.definition {
            None => Response::build_with_hash(
                &self.questionnaire,
                &self.content_hash,
                &self.answers,
                &self.evaluation,
                status,
                timestamps,
            ),
            Some(definition) => Response::build_with_hash(
                definition,
                &self.content_hash,
                &self.answers,
                &Evaluation::of(definition, &self.answers),
                status,
                timestamps,
            ),
        };
        response.language = self.language.as_deref().map(str::to_owned);
        response
    }
}
