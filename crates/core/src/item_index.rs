//! An index of a definition's items by id: a small open-addressing hash table (FNV-1a, linear
//! probing) over the items in definition order ([`IdTable`], which [`crate::dependencies`]
//! also uses for item positions). An evaluation finds items by id dozens of
//! times (score ranges, score items, conditions): a search of a sorted list or a B-tree costs
//! several string comparisons each, a probe of this table one hash of the id and usually one
//! comparison. A verifier of many responses ([`crate::verify::Verifier`]) builds the index
//! once and lends it to every evaluation instead of each one building its own.

use crate::definition::{Item, Questionnaire};

/// A definition's items by id. Built from [`Questionnaire::items`]; an id that occurs twice
/// (which validation refuses) finds its last item.
#[derive(Debug, Clone)]
pub struct ItemIndex<'a> {
    /// The items, in definition order.
    items: Vec<&'a Item>,
    /// Their ids' table.
    table: IdTable,
}

impl<'a> ItemIndex<'a> {
    /// The index of `questionnaire`'s items.
    pub fn new(questionnaire: &'a Questionnaire) -> ItemIndex<'a> {
        let items: Vec<&Item> = questionnaire.items().collect();
        let table = IdTable::new(items.len(), |position| &items[position].id, Repeated::Last);
        ItemIndex { items, table }
    }

    /// The item with this id, if any.
    pub fn get(&self, id: &str) -> Option<&'a Item> {
        self.items.get(self.position(id)?).copied()
    }

    /// The items, in definition order (an item's position is its index here).
    pub(crate) fn items(&self) -> &[&'a Item] {
        &self.items
    }

    /// The position of the item with this id in definition order, if any.
    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.table.find(id, |position| &self.items[position].id)
    }
}

/// Which position an id that occurs more than once finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeated {
    /// Its first.
    First,
    /// Its last.
    Last,
}

/// Positions in a list of ids (which the caller keeps), by id: a power-of-two number of slots,
/// at most half full, each holding the position of an id that hashes to it (or to an earlier
/// slot taken), or [`EMPTY`].
#[derive(Debug, Clone)]
pub(crate) struct IdTable {
    slots: Vec<u32>,
}

/// A slot that holds no position.
const EMPTY: u32 = u32::MAX;

/// The 64-bit FNV-1a hash of `id`.
fn hash(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl IdTable {
    /// The table of the `count` ids `id_at(0)`, `id_at(1)`, ...
    pub(crate) fn new<'s>(
        count: usize,
        id_at: impl Fn(usize) -> &'s str,
        repeated: Repeated,
    ) -> IdTable {
        let mut slots = vec![EMPTY; (count * 2).next_power_of_two().max(8)];
        let mask = slots.len() - 1;
        for position in 0..count {
            // A definition has far fewer than 2^32 items (`u32::MAX` marks an empty slot).
            let Ok(stored) = u32::try_from(position) else {
                break;
            };
            let id = id_at(position);
            #[allow(clippy::cast_possible_truncation)]
            let mut slot = hash(id) as usize & mask;
            loop {
                match slots[slot] {
                    EMPTY => {
                        slots[slot] = stored;
                        break;
                    }
                    // The same id again.
                    taken if id_at(taken as usize) == id => {
                        if repeated == Repeated::Last {
                            slots[slot] = stored;
                        }
                        break;
                    }
                    _ => slot = (slot + 1) & mask,
                }
            }
        }
        IdTable { slots }
    }

    /// The position of `id`, if it is in the table (`id_at` as given to [`IdTable::new`]).
    pub(crate) fn find<'s>(&self, id: &str, id_at: impl Fn(usize) -> &'s str) -> Option<usize> {
        let mask = self.slots.len() - 1;
        #[allow(clippy::cast_possible_truncation)]
        let mut slot = hash(id) as usize & mask;
        loop {
            let position = *self.slots.get(slot)?;
            if position == EMPTY {
                return None;
            }
            if id_at(position as usize) == id {
                return Some(position as usize);
            }
            slot = (slot + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ItemIndex;
    use crate::Questionnaire;

    #[test]
    fn finds_every_item_by_id_and_nothing_else() {
        let questionnaire = Questionnaire::from_json(
            r#"{"format": "kapforms-definition", "schema_version": 1, "id": "q",
                "version": "1", "title": "Q",
                "sections": [
                  {"id": "a", "title": "A", "items": [
                    {"id": "zeta", "type": "yes_no", "text": "Z?"},
                    {"id": "alpha", "type": "yes_no", "text": "A?"}]},
                  {"id": "b", "title": "B", "items": [
                    {"id": "mid", "type": "short_text", "text": "M?"},
                    {"id": "alpha2", "type": "yes_no", "text": "A2?"}]}]}"#,
        )
        .expect("valid");
        let index = ItemIndex::new(&questionnaire);
        for item in questionnaire.items() {
            let found = index.get(&item.id).expect("indexed");
            assert!(std::ptr::eq(found, item), "{}", item.id);
        }
        for absent in ["", "alph", "alpha3", "zz", "Alpha"] {
            assert!(index.get(absent).is_none(), "{absent}");
        }
    }

    #[test]
    fn a_large_definition_and_a_repeated_id() {
        let items: Vec<String> = (0..500)
            .map(|n| format!(r#"{{"id": "item_{n}", "type": "yes_no", "text": "Q{n}?"}}"#))
            .collect();
        let mut questionnaire = Questionnaire::from_json(&format!(
            r#"{{"format": "kapforms-definition", "schema_version": 1, "id": "q",
                "version": "1", "title": "Q",
                "sections": [{{"id": "a", "title": "A", "items": [{}]}}]}}"#,
            items.join(",")
        ))
        .expect("valid");
        let index = ItemIndex::new(&questionnaire);
        for n in 0..500 {
            let found = index.get(&format!("item_{n}")).expect("indexed");
            assert_eq!(found.id, format!("item_{n}"));
        }
        assert!(index.get("item_500").is_none());

        // Validation refuses a repeated id; an index of such a definition finds the last.
        let mut repeated = questionnaire.sections[0].items[7].clone();
        repeated.text = "Again?".into();
        questionnaire.sections[0].items.push(repeated);
        let index = ItemIndex::new(&questionnaire);
        assert_eq!(
            index.get("item_7").map(|item| item.text.as_str()),
            Some("Again?")
        );
        assert_eq!(
            index.get("item_8").map(|item| item.id.as_str()),
            Some("item_8")
        );
    }
}
