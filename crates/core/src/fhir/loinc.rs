//! The little LOINC knowledge the FHIR import needs offline: the PHQ/GAD frequency answer list
//! `LL358-3` (which real Questionnaires name by URL without including it), and the LOINC codes
//! of instrument totals with the item codes they add up.

use crate::definition::{AnswerOption, Coding};

/// The LOINC code system.
pub const LOINC: &str = "http://loinc.org";

/// The name the built-in `LL358-3` list gets among the imported option sets.
pub const LL358_3_NAME: &str = "LL358-3";

/// Whether a value set canonical (version suffix already removed) names LOINC `LL358-3`.
pub fn is_ll358_3(canonical: &str) -> bool {
    let canonical = canonical.trim_end_matches('/');
    matches!(
        canonical,
        "http://loinc.org/vs/LL358-3"
            | "https://loinc.org/vs/LL358-3"
            | "http://loinc.org/LL358-3"
            | "https://loinc.org/LL358-3"
    )
}

/// LOINC `LL358-3` ("Not at all" … "Nearly every day"), scored 0-3 as in the PHQ-9 and GAD-7.
pub fn ll358_3() -> Vec<AnswerOption> {
    [
        ("LA6568-5", "Not at all", 0.0),
        ("LA6569-3", "Several days", 1.0),
        ("LA6570-1", "More than half the days", 2.0),
        ("LA6571-9", "Nearly every day", 3.0),
    ]
    .into_iter()
    .map(|(code, label, score)| AnswerOption {
        value: code.to_owned(),
        label: label.to_owned(),
        score: Some(score),
        code: Some(Coding {
            system: LOINC.to_owned(),
            code: code.to_owned(),
            display: None,
        }),
    })
    .collect()
}

/// PHQ-9 item codes, in order.
const PHQ9_ITEMS: &[&str] = &[
    "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3",
    "44260-8",
];

/// GAD-7 item codes, in order.
const GAD7_ITEMS: &[&str] = &[
    "69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7",
];

/// The item codes a LOINC total code adds up, if it is a total this crate knows: PHQ-9
/// (44261-6), GAD-7 (70274-6), PHQ-2 (55758-7).
pub fn total_items(code: &str) -> Option<&'static [&'static str]> {
    match code {
        "44261-6" => Some(PHQ9_ITEMS),
        "70274-6" => Some(GAD7_ITEMS),
        "55758-7" => PHQ9_ITEMS.get(..2),
        _ => None,
    }
}
