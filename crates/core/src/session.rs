//! A patient's session with one questionnaire: the answers so far, checked as they arrive,
//! with what they mean (visibility, scores, flags) and whether the form can be submitted.
//! Answers to items that become hidden are kept (so nothing is lost if the patient changes
//! their mind) but do not count and are not sent.
//!
//! An answer updates what it means incrementally ([`crate::incremental`]): its cost depends
//! on what reads that item, not on the size of the form. The cheap reads ([`Session::is_visible`],
//! [`Session::score_progress`], [`Session::flags`], [`Session::is_complete`]) come from that
//! state; the whole [`Evaluation`] ([`Session::evaluation`]) is built from it on first use after
//! a change, for responses.

use litemap::LiteMap;
use std::sync::{Arc, OnceLock};

use crate::answer::{check_answer, AnswerValue};
use crate::definition::{Item, Questionnaire};
use crate::diagnostic::Diagnostic;
use crate::evaluation::{Evaluation, Setting};
use crate::flags::RaisedFlag;
use crate::incremental::{LiveEvaluation, ScoreProgress};
use crate::wire::{Response, Status, Timestamps};

/// Answers in progress for one questionnaire.
#[derive(Debug, Clone)]
pub struct Session {
    questionnaire: Arc<Questionnaire>,
    /// The definition responses are built from, when the wording shown is another (a
    /// translation); `None` when `questionnaire` is the definition itself.
    definition: Option<Arc<Questionnaire>>,
    /// How a response evaluates the answers under `definition`, when that is set: from the
    /// start ([`Session::reworded`]), or from the evaluation kept up to date as the patient
    /// answers, with the definition's labels ([`Session::reworded_in_texts`]). A function
    /// rather than a flag, so that a program that only rewords in texts (the patient's bundle)
    /// never links the evaluator that starts from scratch.
    evaluate_definition: EvaluateDefinition,
    language: Option<Arc<str>>,
    /// The content hash of the definition responses are built from, computed when the first
    /// response is built (not when the form starts) and shared by every session derived from
    /// this one.
    content_hash: Arc<OnceLock<Arc<str>>>,
    /// How that hash is computed when it is not known yet: [`Questionnaire::content_hash`] for
    /// a session made with [`Session::new`] or [`Session::with_answers`], nothing for one made with
    /// [`Session::with_known_content_hash`] (whose hash is always known). So a program that only
    /// makes sessions of definitions it knows the hash of (the patient's bundle of built-ins)
    /// never links the definition's serializer.
    hasher: Option<fn(&Questionnaire) -> String>,
    answers: LiteMap<String, AnswerValue>,
    live: LiveEvaluation,
    /// The whole evaluation, built from `live` when first asked for after a change.
    evaluation: OnceLock<Evaluation>,
}

/// How a reworded session's response evaluates the answers under its definition.
type EvaluateDefinition =
    fn(&LiveEvaluation, &Questionnaire, &LiteMap<String, AnswerValue>) -> Evaluation;

/// [`EvaluateDefinition`] from the start: [`Evaluation::of`].
fn evaluate_again(
    _: &LiveEvaluation,
    definition: &Questionnaire,
    answers: &LiteMap<String, AnswerValue>,
) -> Evaluation {
    Evaluation::of(definition, answers)
}

/// [`EvaluateDefinition`] from the live evaluation, relabelled:
/// [`LiveEvaluation::evaluation_labelled_by`].
fn relabel_live(
    live: &LiveEvaluation,
    definition: &Questionnaire,
    answers: &LiteMap<String, AnswerValue>,
) -> Evaluation {
    live.evaluation_labelled_by(definition, answers)
}

/// Two sessions are equal when they hold the same answers to the same definition in the same
/// wording and language (what they mean, and the content hash, follow from that).
impl PartialEq for Session {
    fn eq(&self, other: &Session) -> bool {
        self.questionnaire == other.questionnaire
            && self.definition == other.definition
            && self.language == other.language
            && self.answers == other.answers
            && self.live == other.live
    }
}

impl Session {
    /// An empty session.
    pub fn new(questionnaire: Arc<Questionnaire>) -> Session {
        Session {
            hasher: Some(Questionnaire::content_hash),
            ..Session::empty(questionnaire, Arc::default())
        }
    }

    /// An empty session of a definition whose content hash is `hash`: it must be
    /// [`Questionnaire::content_hash`] of `questionnaire` (as a built-in's build computed it,
    /// or as the host computed it once), and responses carry it without the definition being
    /// serialized and hashed again.
    pub fn with_known_content_hash(questionnaire: Arc<Questionnaire>, hash: &str) -> Session {
        let known = OnceLock::new();
        let _ = known.set(Arc::from(hash));
        Session::empty(questionnaire, Arc::new(known))
    }

    /// An empty session of the same definition, in the same wording and language, with the
    /// same content hash (known or still to compute): what clearing every answer leaves.
    pub fn cleared(&self) -> Session {
        Session {
            definition: self.definition.clone(),
            evaluate_definition: self.evaluate_definition,
            language: self.language.clone(),
            hasher: self.hasher,
            ..Session::empty(
                Arc::clone(&self.questionnaire),
                Arc::clone(&self.content_hash),
            )
        }
    }

    fn empty(questionnaire: Arc<Questionnaire>, content_hash: Arc<OnceLock<Arc<str>>>) -> Session {
        let answers = LiteMap::new();
        let live = LiveEvaluation::new(&questionnaire, &answers, Setting::of(&questionnaire));
        Session {
            content_hash,
            hasher: None,
            questionnaire,
            definition: None,
            evaluate_definition: relabel_live,
            language: None,
            answers,
            live,
            evaluation: OnceLock::new(),
        }
    }

    /// A session holding `answers` (restoring a draft, re-opening a response): every answer is
    /// checked against its item first, and the answers are evaluated once.
    pub fn with_answers(
        questionnaire: Arc<Questionnaire>,
        answers: LiteMap<String, AnswerValue>,
    ) -> Result<Session, Diagnostic> {
        for (id, value) in &answers {
            let path = format!("answers.{id}");
            let item = questionnaire
                .item(id)
                .ok_or_else(|| Diagnostic::new(path.clone(), "no item has this id"))?;
            check_answer(&questionnaire, item, value)
                .map_err(|message| Diagnostic::new(path, message))?;
        }
        let answers: LiteMap<String, AnswerValue> =
            crate::id_map::collect(answers.into_iter().filter(|(_, value)| !value.is_empty()));
        let live = LiveEvaluation::new(&questionnaire, &answers, Setting::of(&questionnaire));
        Ok(Session {
            content_hash: Arc::default(),
            hasher: Some(Questionnaire::content_hash),
            questionnaire,
            definition: None,
            evaluate_definition: relabel_live,
            language: None,
            answers,
            live,
            evaluation: OnceLock::new(),
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
    /// error says why. What the patient is shown follows the wording's rules under the
    /// definition's setting (a clinic's threshold values, withheld sections); responses stay
    /// those of the definition itself, whose answers they evaluate again from the start.
    pub fn reworded(
        &self,
        wording: Arc<Questionnaire>,
        language: &str,
    ) -> Result<Session, Diagnostic> {
        self.reworded_with(wording, language, evaluate_again)
    }

    /// [`Session::reworded`] for wording that differs from the definition in its texts only
    /// (as a built-in's translations do, which the build makes from the definition and checks):
    /// responses are built from the evaluation kept up to date as the patient answers, with the
    /// definition's labels, rather than by evaluating the answers again. Refused, as
    /// [`Session::reworded`] refuses, if the wording's scores or flags are not the definition's.
    pub fn reworded_in_texts(
        &self,
        wording: Arc<Questionnaire>,
        language: &str,
    ) -> Result<Session, Diagnostic> {
        let definition = self.definition();
        let same_rules = wording
            .scores
            .iter()
            .map(|rule| &rule.id)
            .eq(definition.scores.iter().map(|rule| &rule.id))
            && wording
                .flags
                .iter()
                .map(|rule| &rule.id)
                .eq(definition.flags.iter().map(|rule| &rule.id));
        if !same_rules {
            return Err(Diagnostic::new(
                "wording",
                format!(
                    "does not score and flag as `{}` version {} does",
                    definition.id, definition.version
                ),
            ));
        }
        self.reworded_with(wording, language, relabel_live)
    }

    fn reworded_with(
        &self,
        wording: Arc<Questionnaire>,
        language: &str,
        evaluate_definition: EvaluateDefinition,
    ) -> Result<Session, Diagnostic> {
        let definition = Arc::clone(self.definition());
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
        let live = LiveEvaluation::new(&wording, &self.answers, Setting::of(&definition));
        let definition = if Arc::ptr_eq(&wording, &definition) {
            None
        } else {
            Some(definition)
        };
        Ok(Session {
            questionnaire: wording,
            definition,
            evaluate_definition,
            language: Some(language.into()),
            content_hash: Arc::clone(&self.content_hash),
            hasher: self.hasher,
            answers: self.answers.clone(),
            live,
            evaluation: OnceLock::new(),
        })
    }

    /// The content hash of the definition this session's responses are built from
    /// ([`Questionnaire::content_hash`]; the definition itself, not a translation shown).
    pub fn content_hash(&self) -> &str {
        self.content_hash.get_or_init(|| {
            let definition = self.definition.as_ref().unwrap_or(&self.questionnaire);
            // A session without a hasher was made with its hash, so this is not reached.
            self.hasher
                .map_or_else(String::new, |hash| hash(definition))
                .into()
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
        let Some(item) = self.live.item_of(&self.questionnaire, item_id) else {
            return Err(Diagnostic::new(
                format!("answers.{item_id}"),
                "no item has this id",
            ));
        };
        let value = value.filter(|value| !value.is_empty());
        // One search of the answers finds the current one and, if there is one, where the
        // new one goes.
        let current = self.answers.get_mut(item_id);
        if current.as_deref() == value.as_ref() {
            return Ok(());
        }
        match (value, current) {
            (Some(value), current) => {
                check_answer(&self.questionnaire, item, &value)
                    .map_err(|message| Diagnostic::new(format!("answers.{item_id}"), message))?;
                match current {
                    Some(answer) => *answer = value,
                    None => {
                        self.answers.insert(item_id.to_owned(), value);
                    }
                }
            }
            (None, _) => {
                self.answers.remove(item_id);
            }
        }
        self.live
            .answer_changed(&self.questionnaire, &self.answers, item_id);
        self.evaluation = OnceLock::new();
        Ok(())
    }

    /// The answer to an item, if any (hidden items keep theirs).
    pub fn answer(&self, item_id: &str) -> Option<&AnswerValue> {
        self.answers.get(item_id)
    }

    /// All answers given, hidden items included.
    pub fn answers(&self) -> &LiteMap<String, AnswerValue> {
        &self.answers
    }

    /// Visibility, scores and flags for the current answers. Built on first use after a
    /// change (its cost grows with the form); for what a click needs, prefer
    /// [`Session::is_visible`], [`Session::score_progress`] and [`Session::flags`].
    pub fn evaluation(&self) -> &Evaluation {
        self.evaluation
            .get_or_init(|| self.live.evaluation(&self.questionnaire, &self.answers))
    }

    /// Whether an item is currently shown.
    pub fn is_visible(&self, item_id: &str) -> bool {
        self.live.is_visible(item_id)
    }

    /// The running value of the score with this id (what the patient's running total shows),
    /// without building the whole evaluation.
    pub fn score_progress(&self, score_id: &str) -> Option<ScoreProgress> {
        self.live.score_progress(&self.questionnaire, score_id)
    }

    /// The raised flags, most severe first, then in definition order.
    pub fn flags(&self) -> &[RaisedFlag] {
        self.live.flags()
    }

    /// Whether any safety flag is raised (the widget then shows crisis resources).
    pub fn has_safety_flag(&self) -> bool {
        self.live.has_safety_flag()
    }

    /// Visible required items without an answer, in order. A repeating group also counts
    /// as missing while one of its rows lacks a required field.
    pub fn missing_required(&self) -> Vec<&Item> {
        if self.live.missing_count() == 0 {
            return Vec::new();
        }
        self.questionnaire
            .items()
            .filter(|item| self.live.is_missing(&item.id))
            .collect()
    }

    /// Visible required items of one section without an answer, in order.
    pub fn missing_required_in(&self, section: usize) -> Vec<&Item> {
        if self.live.missing_in(section) == 0 {
            return Vec::new();
        }
        let Some(section) = self.questionnaire.sections.get(section) else {
            return Vec::new();
        };
        section
            .items
            .iter()
            .filter(|item| self.live.is_missing(&item.id))
            .collect()
    }

    /// Whether a section has a visible required item without an answer.
    pub fn has_missing_in(&self, section: usize) -> bool {
        self.live.missing_in(section) > 0
    }

    /// How many times any item was shown or hidden so far in this session: a view need list
    /// the items again only when this changes.
    pub fn visibility_version(&self) -> u64 {
        self.live.visibility_changes()
    }

    /// Where the item with this id is: its section's index and its index in that section.
    pub fn place_of(&self, item_id: &str) -> Option<(usize, usize)> {
        self.live.place_of(item_id)
    }

    /// Whether an item is shown, required and still unanswered (or a repeating group with an
    /// incomplete row).
    pub fn is_missing(&self, item_id: &str) -> bool {
        self.live.is_missing(item_id)
    }

    /// Whether a section has any visible item (a section whose items are all hidden is
    /// skipped).
    pub fn is_section_visible(&self, section: usize) -> bool {
        self.live.is_section_visible(section)
    }

    /// Whether every visible required item is answered.
    pub fn is_complete(&self) -> bool {
        self.live.missing_count() == 0
    }

    /// The native response for the current answers: the definition's own labels and content
    /// hash whatever the wording shown, and the language the patient read.
    pub fn response(&self, status: Status, timestamps: Timestamps) -> Response {
        let mut response = match &self.definition {
            None => {
                // Built for this response and dropped with it, not kept: freeing a kept one
                // would fall to the next answer, whose cost must not grow with the form.
                let built;
                let evaluation = match self.evaluation.get() {
                    Some(evaluation) => evaluation,
                    None => {
                        built = self.live.evaluation(&self.questionnaire, &self.answers);
                        &built
                    }
                };
                Response::build_with_hash(
                    &self.questionnaire,
                    self.content_hash(),
                    &self.answers,
                    evaluation,
                    status,
                    timestamps,
                )
            }
            Some(definition) => Response::build_with_hash(
                definition,
                self.content_hash(),
                &self.answers,
                &(self.evaluate_definition)(&self.live, definition, &self.answers),
                status,
                timestamps,
            ),
        };
        response.language = self.language.as_deref().map(str::to_owned);
        response
    }
}
