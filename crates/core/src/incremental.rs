//! An evaluation kept up to date one answer at a time. [`LiveEvaluation`] holds what
//! [`crate::evaluation::Evaluation::with`] computes in one pass (visibility, scores, flags)
//! plus what a session's checks need (which visible required items lack an answer, per
//! section), in a form that one changed answer updates by touching only what depends on that
//! item ([`crate::dependencies`]): the later items whose visibility reads it (and, in turn,
//! theirs), one leaf of each score tree counting it, the flags reading it or those scores, and
//! its own check. So an answer costs the same on a 50-item form as on a 2000-item one.
//!
//! Each score keeps a balanced binary tree of its items' tallies whose shape is that of
//! [`Tally::pairwise`], which a full evaluation uses too: the two add the same numbers in the
//! same order, so the incremental value equals the full one to the last bit. A materialized
//! [`Evaluation`] ([`LiveEvaluation::evaluation`]) equals the full evaluation exactly; the
//! tests check it over random answer sequences.

use crate::id_set::IdSet;
use litemap::LiteMap;
use std::sync::Arc;

use crate::answer::AnswerValue;
use crate::condition::Facts;
use crate::definition::{Item, ItemKind, Questionnaire};
use crate::dependencies::Dependencies;
use crate::evaluation::{Evaluation, Setting};
use crate::flags::{RaisedFlag, Severity};
use crate::scoring::{ScoreResult, Tally};

/// A score's value as the patient's running total shows it, read without building the whole
/// [`ScoreResult`] (whose list of missing items grows with the form).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreProgress {
    /// The value: final when complete, else from the items answered so far.
    pub value: f64,
    /// Lowest possible value.
    pub min: f64,
    /// Highest possible value.
    pub max: f64,
    /// Whether the value is final (every counted item answered, or prorated by rule).
    pub complete: bool,
    /// The band label; present only when the score is complete.
    pub band: Option<String>,
    /// False when the score's questions were withheld.
    pub available: bool,
}

/// A score's items' tallies in a balanced binary tree (heap order: node 1 is the root, node
/// `n`'s children are `2n` and `2n + 1`; a node over items `lo..hi` splits at
/// `lo + (hi - lo) / 2`, as [`Tally::pairwise`] does).
#[derive(Debug, Clone, PartialEq)]
struct ScoreTree {
    len: usize,
    nodes: Vec<Tally>,
}

impl ScoreTree {
    fn new(leaves: &[Tally]) -> ScoreTree {
        let mut tree = ScoreTree {
            len: leaves.len(),
            nodes: vec![Tally::default(); 4 * leaves.len().max(1)],
        };
        if !leaves.is_empty() {
            tree.build(1, 0, leaves.len(), leaves);
        }
        tree
    }

    fn build(&mut self, node: usize, lo: usize, hi: usize, leaves: &[Tally]) -> Tally {
        let tally = if hi - lo == 1 {
            leaves[lo]
        } else {
            let mid = lo + (hi - lo) / 2;
            let left = self.build(2 * node, lo, mid, leaves);
            let right = self.build(2 * node + 1, mid, hi, leaves);
            left.combine(right)
        };
        self.nodes[node] = tally;
        tally
    }

    /// Replaces leaf `place` and re-adds the nodes above it.
    fn set(&mut self, place: usize, leaf: Tally) {
        if place < self.len {
            self.set_in(1, 0, self.len, place, leaf);
        }
    }

    fn set_in(&mut self, node: usize, lo: usize, hi: usize, place: usize, leaf: Tally) -> Tally {
        let tally = if hi - lo == 1 {
            leaf
        } else {
            let mid = lo + (hi - lo) / 2;
            let (left, right) = if place < mid {
                (
                    self.set_in(2 * node, lo, mid, place, leaf),
                    self.nodes[2 * node + 1],
                )
            } else {
                (
                    self.nodes[2 * node],
                    self.set_in(2 * node + 1, mid, hi, place, leaf),
                )
            };
            left.combine(right)
        };
        self.nodes[node] = tally;
        tally
    }

    fn total(&self) -> Tally {
        if self.len == 0 {
            Tally::default()
        } else {
            self.nodes[1]
        }
    }
}

/// Visibility, scores, flags and missing answers of a session, kept up to date answer by
/// answer.
#[derive(Debug, Clone)]
pub(crate) struct LiveEvaluation {
    index: Arc<Dependencies>,
    setting: Setting,
    /// Position → shown.
    visible: Vec<bool>,
    /// Position → shown, required and unanswered (or a group with an incomplete row).
    missing: Vec<bool>,
    /// Section → how many of its items are shown.
    section_visible: Vec<usize>,
    /// Section → how many of its items are missing an answer.
    section_missing: Vec<usize>,
    /// Score index → its tree.
    trees: Vec<ScoreTree>,
    /// Flag index → the flag, when raised.
    raised: Vec<Option<RaisedFlag>>,
    /// The raised flags, most severe first, then in definition order.
    flags: Vec<RaisedFlag>,
    /// How many times any item was shown or hidden.
    visibility_changes: u64,
}

impl PartialEq for LiveEvaluation {
    fn eq(&self, other: &LiveEvaluation) -> bool {
        // The index is a function of the definition and the setting.
        self.setting == other.setting
            && self.visible == other.visible
            && self.missing == other.missing
            && self.trees == other.trees
            && self.flags == other.flags
    }
}

impl LiveEvaluation {
    /// The evaluation of `answers` (non-empty answers by item id) from scratch.
    pub fn new(
        questionnaire: &Questionnaire,
        answers: &LiteMap<String, AnswerValue>,
        setting: Setting,
    ) -> LiveEvaluation {
        let index = Arc::new(Dependencies::of(questionnaire, &setting));
        let count = index.len();
        let sections = questionnaire.sections.len();
        let mut live = LiveEvaluation {
            index,
            setting,
            visible: vec![false; count],
            missing: vec![false; count],
            section_visible: vec![0; sections],
            section_missing: vec![0; sections],
            trees: Vec::new(),
            raised: vec![None; questionnaire.flags.len()],
            flags: Vec::new(),
            visibility_changes: 0,
        };
        for position in 0..count {
            let shown = live.shown(questionnaire, answers, position);
            live.set_visible(position, shown);
            live.check(questionnaire, answers, position);
        }
        live.trees = questionnaire
            .scores
            .iter()
            .map(|rule| {
                let leaves: Vec<Tally> = rule
                    .items
                    .iter()
                    .map(|id| live.leaf_of(questionnaire, answers, rule, id))
                    .collect();
                ScoreTree::new(&leaves)
            })
            .collect();
        for flag in 0..questionnaire.flags.len() {
            live.raised[flag] = live.raise(questionnaire, answers, flag);
        }
        live.sort_flags();
        live
    }

    /// Updates the evaluation after the answer to `item_id` changed (`answers` already holds
    /// the new one).
    pub fn answer_changed(
        &mut self,
        questionnaire: &Questionnaire,
        answers: &LiteMap<String, AnswerValue>,
        item_id: &str,
    ) {
        let Some(changed) = self.index.position(item_id) else {
            return;
        };
        // A hidden item's answer counts nowhere; only its own check could change, and that
        // needs it shown.
        if !self.visible[changed] {
            return;
        }
        let index = Arc::clone(&self.index);
        // Items whose effective answer or visibility changed, in order. (Sorted vectors, not
        // sets: they stay short, and the module stays small.)
        let mut touched: Vec<usize> = vec![changed];
        // Items to look at again, latest first: dependencies point forward only, so taking
        // the earliest (from the end) settles each item after everything it reads.
        let mut queue: Vec<usize> = Vec::new();
        for &reader in &index.shown_after[changed] {
            insert_sorted_descending(&mut queue, reader);
        }
        while let Some(position) = queue.pop() {
            let shown = self.shown(questionnaire, answers, position);
            if shown != self.visible[position] {
                self.set_visible(position, shown);
                touched.push(position);
                for &reader in &index.shown_after[position] {
                    insert_sorted_descending(&mut queue, reader);
                }
            }
        }
        let mut scores: Vec<usize> = Vec::new();
        let mut flags: Vec<usize> = Vec::new();
        for &position in &touched {
            let item = index.item(questionnaire, position);
            // Each touched item's answer is looked up once, for its own check and its scores.
            let answer = item.and_then(|item| answers.get(&item.id));
            self.set_missing(
                position,
                item.is_some_and(|item| self.visible[position] && is_missing(item, answer)),
            );
            let Some(item) = item else {
                continue;
            };
            let shown = self.visible[position];
            let effective = answer.filter(|answer| shown && !answer.is_empty());
            for &(score, place) in &index.in_scores[position] {
                if let Some(rule) = questionnaire.scores.get(score) {
                    let leaf = rule.leaf(questionnaire, Some(item), shown, effective);
                    self.trees[score].set(place, leaf);
                    insert_sorted_descending(&mut scores, score);
                }
            }
            for &flag in &index.flags_reading_item[position] {
                insert_sorted_descending(&mut flags, flag);
            }
        }
        for &score in &scores {
            for &flag in &index.flags_reading_score[score] {
                insert_sorted_descending(&mut flags, flag);
            }
        }
        let mut flags_changed = false;
        for flag in flags {
            let raised = self.raise(questionnaire, answers, flag);
            if raised != self.raised[flag] {
                self.raised[flag] = raised;
                flags_changed = true;
            }
        }
        if flags_changed {
            self.sort_flags();
        }
    }

    /// Whether the item at `position` is shown, given the effective answers of the items
    /// before it (as a single pass in order decides it).
    fn shown(
        &self,
        questionnaire: &Questionnaire,
        answers: &LiteMap<String, AnswerValue>,
        position: usize,
    ) -> bool {
        if self.index.withheld[position] {
            return false;
        }
        let Some(item) = self.index.item(questionnaire, position) else {
            return false;
        };
        let Some(condition) = &item.enable_when else {
            return true;
        };
        condition.holds(&Facts {
            questionnaire,
            answer_of: &|id| {
                self.index
                    .position(id)
                    .filter(|&read| read < position)
                    .and_then(|read| self.effective(answers, read, id))
            },
            score_of: &|_| None,
            item_of: &|id| self.item_of(questionnaire, id),
            thresholds: &self.setting.thresholds,
        })
    }

    fn set_visible(&mut self, position: usize, shown: bool) {
        if self.visible[position] == shown {
            return;
        }
        self.visible[position] = shown;
        self.visibility_changes += 1;
        let section = self.index.section_of(position);
        if let Some(count) = self.section_visible.get_mut(section) {
            if shown {
                *count += 1;
            } else {
                *count = count.saturating_sub(1);
            }
        }
    }

    /// Re-checks whether the item at `position` is missing an answer.
    fn check(
        &mut self,
        questionnaire: &Questionnaire,
        answers: &LiteMap<String, AnswerValue>,
        position: usize,
    ) {
        let missing = match self.index.item(questionnaire, position) {
            Some(item) if self.visible[position] => is_missing(item, answers.get(&item.id)),
            _ => false,
        };
        self.set_missing(position, missing);
    }

    /// Records whether the item at `position` is missing an answer, keeping its section's
    /// count of missing answers.
    fn set_missing(&mut self, position: usize, missing: bool) {
        if self.missing[position] == missing {
            return;
        }
        self.missing[position] = missing;
        let section = self.index.section_of(position);
        if let Some(count) = self.section_missing.get_mut(section) {
            if missing {
                *count += 1;
            } else {
                *count = count.saturating_sub(1);
            }
        }
    }

    /// The effective answer of the item at `position` (none when hidden or unanswered).
    fn effective<'a>(
        &self,
        answers: &'a LiteMap<String, AnswerValue>,
        position: usize,
        id: &str,
    ) -> Option<&'a AnswerValue> {
        if !self.visible[position] {
            return None;
        }
        answers.get(id).filter(|answer| !answer.is_empty())
    }

    /// The item with this id.
    pub fn item_of<'a>(&self, questionnaire: &'a Questionnaire, id: &str) -> Option<&'a Item> {
        self.index
            .position(id)
            .and_then(|position| self.index.item(questionnaire, position))
    }

    fn leaf_of(
        &self,
        questionnaire: &Questionnaire,
        answers: &LiteMap<String, AnswerValue>,
        rule: &crate::scoring::ScoreRule,
        id: &str,
    ) -> Tally {
        let Some(position) = self.index.position(id) else {
            return Tally::default();
        };
        rule.leaf(
            questionnaire,
            self.index.item(questionnaire, position),
            self.visible[position],
            self.effective(answers, position, id),
        )
    }

    /// The value of the score with this id when it is complete (what flags test).
    fn complete_score(&self, questionnaire: &Questionnaire, id: &str) -> Option<f64> {
        let (index, rule) = questionnaire
            .scores
            .iter()
            .enumerate()
            .find(|(_, rule)| rule.id == id)?;
        if self.index.score_withheld[index] {
            return None;
        }
        let (value, _, complete) = rule.value_of(self.trees[index].total());
        complete.then_some(value)
    }

    /// The flag at `flag` if its condition holds now.
    fn raise(
        &self,
        questionnaire: &Questionnaire,
        answers: &LiteMap<String, AnswerValue>,
        flag: usize,
    ) -> Option<RaisedFlag> {
        let rule = questionnaire.flags.get(flag)?;
        let facts = Facts {
            questionnaire,
            answer_of: &|id| {
                self.index
                    .position(id)
                    .and_then(|position| self.effective(answers, position, id))
            },
            score_of: &|id| self.complete_score(questionnaire, id),
            item_of: &|id| self.item_of(questionnaire, id),
            thresholds: &self.setting.thresholds,
        };
        rule.when.holds(&facts).then(|| RaisedFlag {
            id: rule.id.clone(),
            label: self.index.flag_labels[flag].clone(),
            severity: rule.severity,
            items: self.index.flag_items[flag].clone(),
            details: rule.when.details(&facts),
        })
    }

    fn sort_flags(&mut self) {
        let mut flags: Vec<RaisedFlag> = self.raised.iter().flatten().cloned().collect();
        crate::flags::sort_by_severity(&mut flags);
        self.flags = flags;
    }

    /// Whether the item with this id is shown.
    pub fn is_visible(&self, id: &str) -> bool {
        self.index
            .position(id)
            .is_some_and(|position| self.visible[position])
    }

    /// Whether the item with this id is shown, required and unanswered (or a repeating group
    /// with an incomplete row).
    pub fn is_missing(&self, id: &str) -> bool {
        self.index
            .position(id)
            .is_some_and(|position| self.missing[position])
    }

    /// How many times any item was shown or hidden so far: a view lists the items again only
    /// when this changes.
    pub fn visibility_changes(&self) -> u64 {
        self.visibility_changes
    }

    /// The section index and index within it of the item with this id.
    pub fn place_of(&self, id: &str) -> Option<(usize, usize)> {
        self.index
            .position(id)
            .and_then(|position| self.index.place(position))
    }

    /// Whether any item of the section at `section` is shown.
    pub fn is_section_visible(&self, section: usize) -> bool {
        self.section_visible
            .get(section)
            .is_some_and(|&count| count > 0)
    }

    /// How many items of the section at `section` are missing an answer.
    pub fn missing_in(&self, section: usize) -> usize {
        self.section_missing.get(section).copied().unwrap_or(0)
    }

    /// How many items are missing an answer.
    pub fn missing_count(&self) -> usize {
        self.section_missing.iter().sum()
    }

    /// The raised flags, most severe first, then in definition order.
    pub fn flags(&self) -> &[RaisedFlag] {
        &self.flags
    }

    /// Whether a safety flag is raised.
    pub fn has_safety_flag(&self) -> bool {
        self.flags
            .iter()
            .any(|flag| flag.severity == Severity::Safety)
    }

    /// The running value of the score with this id.
    pub fn score_progress(&self, questionnaire: &Questionnaire, id: &str) -> Option<ScoreProgress> {
        let (index, rule) = questionnaire
            .scores
            .iter()
            .enumerate()
            .find(|(_, rule)| rule.id == id)?;
        let (min, max) = self.index.score_ranges[index];
        if self.index.score_withheld[index] {
            return Some(ScoreProgress {
                value: 0.0,
                min,
                max,
                complete: false,
                band: None,
                available: false,
            });
        }
        let (value, _, complete) = rule.value_of(self.trees[index].total());
        let band = complete
            .then(|| rule.band_of(value).map(|band| band.label.clone()))
            .flatten();
        Some(ScoreProgress {
            value,
            min,
            max,
            complete,
            band,
            available: true,
        })
    }

    /// [`LiveEvaluation::evaluation`] under `definition`, a definition whose rules are those
    /// this was built with but whose texts may differ (the definition a translation was made
    /// from): scores and flags carry `definition`'s labels, flag labels with this setting's
    /// threshold values filled in, as [`Evaluation::with`] under `definition` gives them.
    pub fn evaluation_labelled_by(
        &self,
        definition: &Questionnaire,
        answers: &LiteMap<String, AnswerValue>,
    ) -> Evaluation {
        let mut evaluation = self.evaluation(definition, answers);
        let threshold = |id: &str| {
            self.setting
                .thresholds
                .get(id)
                .copied()
                .or_else(|| definition.threshold(id).map(|t| t.default))
        };
        for flag in &mut evaluation.flags {
            if let Some(rule) = definition.flags.iter().find(|rule| rule.id == flag.id) {
                flag.label = rule.label_with(&threshold);
            }
        }
        evaluation
    }

    /// The whole [`Evaluation`], built from what this holds (its cost grows with the form;
    /// responses need it, a click does not).
    pub fn evaluation(
        &self,
        questionnaire: &Questionnaire,
        answers: &LiteMap<String, AnswerValue>,
    ) -> Evaluation {
        // Collected, then sorted once (inserting id by id would shift the set's vector each time).
        let visible: IdSet = questionnaire
            .items()
            .zip(&self.visible)
            .filter(|(_, shown)| **shown)
            .map(|(item, _)| item.id.clone())
            .collect();
        let scores: Vec<ScoreResult> = questionnaire
            .scores
            .iter()
            .enumerate()
            .map(|(index, rule)| {
                let missing: Vec<String> = rule
                    .items
                    .iter()
                    .filter(|id| {
                        let leaf = self.leaf_of(questionnaire, answers, rule, id);
                        leaf.counted > leaf.answered
                    })
                    .cloned()
                    .collect();
                let result = rule.result(
                    self.trees[index].total(),
                    self.index.score_ranges[index],
                    missing,
                );
                if self.index.score_withheld[index] {
                    result.unavailable()
                } else {
                    result
                }
            })
            .collect();
        Evaluation {
            visible,
            scores,
            flags: self.flags.clone(),
            thresholds: self.setting.thresholds.clone(),
            withheld: self.setting.withheld.clone(),
        }
    }
}

/// Inserts `value` into `values` (sorted from largest to smallest) unless it is there.
fn insert_sorted_descending(values: &mut Vec<usize>, value: usize) {
    if let Err(at) = values.binary_search_by(|probe| value.cmp(probe)) {
        values.insert(at, value);
    }
}

/// Whether a shown item still needs an answer: a required item without one, or a repeating
/// group with a started row lacking a required field.
pub(crate) fn is_missing(item: &Item, answer: Option<&AnswerValue>) -> bool {
    let answer = answer.filter(|value| !value.is_empty());
    if let (ItemKind::RepeatingGroup { fields, .. }, Some(AnswerValue::Rows(rows))) =
        (&item.kind, answer)
    {
        return rows
            .iter()
            .filter(|row| !row.values().all(AnswerValue::is_empty))
            .any(|row| {
                fields
                    .iter()
                    .filter(|field| field.required)
                    .any(|field| row.get(&field.id).is_none_or(AnswerValue::is_empty))
            });
    }
    item.required && answer.is_none()
}
