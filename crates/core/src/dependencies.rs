//! The dependency index of a definition: for each item, what reads its answer (the later
//! items whose `enable_when` tests it, the scores that count it, the flags whose conditions
//! test it), and for each score the flags that test it. Built once per definition and setting
//! (when a session starts), it lets [`crate::incremental`] update an evaluation after one
//! answer by touching only what depends on that item, so the cost of an answer does not grow
//! with the size of the form.
//!
//! Items are numbered by their position in the definition ([`Questionnaire::items`]).

use crate::definition::{Item, Questionnaire};
use crate::evaluation::Setting;
use crate::item_index::{IdTable, Repeated};

/// What reads what, by item position and score index.
#[derive(Debug)]
pub(crate) struct Dependencies {
    /// Position → item id.
    ids: Vec<String>,
    /// Item id → position ([`Dependencies::ids`]'s table; a repeated id, which validation
    /// refuses, finds its first position, as a search in order would).
    positions: IdTable,
    /// Position → (section index, index within the section).
    places: Vec<(usize, usize)>,
    /// Position → the later items whose `enable_when` reads this item, in order.
    pub shown_after: Vec<Vec<usize>>,
    /// Position → (score index, place in the score's item list) of every score counting it.
    pub in_scores: Vec<Vec<(usize, usize)>>,
    /// Position → the flags whose condition reads this item's answer.
    pub flags_reading_item: Vec<Vec<usize>>,
    /// Score index → the flags whose condition tests the score.
    pub flags_reading_score: Vec<Vec<usize>>,
    /// Position → whether the item is in a withheld section (never shown nor counted).
    pub withheld: Vec<bool>,
    /// Score index → whether the score has an item in a withheld section (so is reported as
    /// not available).
    pub score_withheld: Vec<bool>,
    /// Score index → its possible range.
    pub score_ranges: Vec<(f64, f64)>,
    /// Flag index → its label as the clinician reads it (thresholds filled in).
    pub flag_labels: Vec<String>,
    /// Flag index → the items it depends on (a raised flag lists them).
    pub flag_items: Vec<Vec<String>>,
}

impl Dependencies {
    /// The index of `questionnaire` under `setting`.
    pub fn of(questionnaire: &Questionnaire, setting: &Setting) -> Dependencies {
        let mut ids = Vec::new();
        let mut places = Vec::new();
        let mut withheld = Vec::new();
        for (s, section) in questionnaire.sections.iter().enumerate() {
            let section_withheld = setting.withheld.contains(&section.id);
            for (i, item) in section.items.iter().enumerate() {
                ids.push(item.id.clone());
                places.push((s, i));
                withheld.push(section_withheld);
            }
        }
        let positions = IdTable::new(ids.len(), |position| &ids[position], Repeated::First);
        let position_of = |id: &str| positions.find(id, |position| &ids[position]);
        let count = places.len();
        let mut shown_after: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (position, item) in questionnaire.items().enumerate() {
            let Some(condition) = &item.enable_when else {
                continue;
            };
            for id in condition.referenced_items() {
                // Only earlier items count: a later one has no answer yet when this item's
                // visibility is decided, in a single pass in order.
                if let Some(read) = position_of(id).filter(|&read| read < position) {
                    if shown_after[read].last() != Some(&position) {
                        shown_after[read].push(position);
                    }
                }
            }
        }
        let mut in_scores: Vec<Vec<(usize, usize)>> = vec![Vec::new(); count];
        let mut score_withheld = Vec::new();
        let item_of = |id: &str| {
            position_of(id)
                .and_then(|position| places.get(position))
                .and_then(|&(s, i)| questionnaire.sections.get(s)?.items.get(i))
        };
        for (index, rule) in questionnaire.scores.iter().enumerate() {
            for (place, id) in rule.items.iter().enumerate() {
                if let Some(position) = position_of(id) {
                    in_scores[position].push((index, place));
                }
            }
            score_withheld.push(
                rule.items
                    .iter()
                    .any(|id| position_of(id).is_some_and(|position| withheld[position])),
            );
        }
        let score_ranges = questionnaire
            .scores
            .iter()
            .map(|rule| rule.range_with(questionnaire, &item_of))
            .collect();
        let mut flags_reading_item: Vec<Vec<usize>> = vec![Vec::new(); count];
        let mut flags_reading_score: Vec<Vec<usize>> = vec![Vec::new(); questionnaire.scores.len()];
        let threshold = |id: &str| {
            setting
                .thresholds
                .get(id)
                .copied()
                .or_else(|| questionnaire.threshold(id).map(|t| t.default))
        };
        let mut flag_labels = Vec::new();
        let mut flag_items = Vec::new();
        for (index, rule) in questionnaire.flags.iter().enumerate() {
            for id in rule.when.referenced_items() {
                if let Some(position) = position_of(id) {
                    if flags_reading_item[position].last() != Some(&index) {
                        flags_reading_item[position].push(index);
                    }
                }
            }
            for id in rule.when.referenced_scores() {
                for (score, _) in questionnaire
                    .scores
                    .iter()
                    .enumerate()
                    .filter(|(_, score)| score.id == id)
                {
                    if flags_reading_score[score].last() != Some(&index) {
                        flags_reading_score[score].push(index);
                    }
                }
            }
            flag_labels.push(rule.label_with(&threshold));
            flag_items.push(rule.when.referenced_items_with_scores(questionnaire));
        }
        Dependencies {
            ids,
            positions,
            places,
            shown_after,
            in_scores,
            flags_reading_item,
            flags_reading_score,
            withheld,
            score_withheld,
            score_ranges,
            flag_labels,
            flag_items,
        }
    }

    /// How many items the definition has.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// The position of the item with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.positions.find(id, |position| &self.ids[position])
    }

    /// The item at a position.
    pub fn item<'a>(&self, questionnaire: &'a Questionnaire, position: usize) -> Option<&'a Item> {
        let &(section, index) = self.places.get(position)?;
        questionnaire.sections.get(section)?.items.get(index)
    }

    /// The section index and index within the section of the item at a position.
    pub fn place(&self, position: usize) -> Option<(usize, usize)> {
        self.places.get(position).copied()
    }

    /// The section index of the item at a position.
    pub fn section_of(&self, position: usize) -> usize {
        self.places.get(position).map_or(0, |&(section, _)| section)
    }
}
