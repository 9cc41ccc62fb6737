//! Medication classes that matter before ketamine treatment, as lists of generic and brand
//! names, and the matching that the `medication_class` and `medication_unrecognised`
//! conditions use. A patient types medicine names freely; a name matches a class when one of
//! the class's names appears in it as whole words, case-insensitively ("Xanax XR 1mg" matches
//! alprazolam's class). This is a named rule in code because data cannot express it.
//!
//! The lists are screening aids for the clinician, not a formulary: an unrecognised name raises
//! no class flag but is listed for the clinician to read.

/// The medication classes, by the id used in definitions.
pub const CLASSES: &[(&str, &[&str])] = &[
    (
        "benzodiazepines",
        &[
            "alprazolam",
            "xanax",
            "lorazepam",
            "ativan",
            "clonazepam",
            "klonopin",
            "rivotril",
            "diazepam",
            "valium",
            "chlordiazepoxide",
            "librium",
            "temazepam",
            "restoril",
            "oxazepam",
            "triazolam",
            "halcion",
            "midazolam",
            "clobazam",
            "onfi",
            "frisium",
            "nitrazepam",
            "mogadon",
            "flurazepam",
            "estazolam",
            "clorazepate",
            "tranxene",
            "bromazepam",
            "lexotan",
        ],
    ),
    ("lamotrigine", &["lamotrigine", "lamictal"]),
    (
        "gabapentinoids",
        &[
            "gabapentin",
            "neurontin",
            "gralise",
            "horizant",
            "pregabalin",
            "lyrica",
        ],
    ),
    (
        "opioids",
        &[
            "tramadol",
            "ultram",
            "ultracet",
            "zydol",
            "oxycodone",
            "oxycontin",
            "percocet",
            "roxicodone",
            "oxynorm",
            "hydrocodone",
            "vicodin",
            "norco",
            "hysingla",
            "morphine",
            "ms contin",
            "kadian",
            "oramorph",
            "codeine",
            "hydromorphone",
            "dilaudid",
            "fentanyl",
            "duragesic",
            "methadone",
            "dolophine",
            "methadose",
            "buprenorphine",
            "suboxone",
            "subutex",
            "butrans",
            "sublocade",
            "tapentadol",
            "nucynta",
            "palexia",
            "oxymorphone",
            "opana",
            "meperidine",
            "pethidine",
            "demerol",
            "dihydrocodeine",
        ],
    ),
    (
        "stimulants",
        &[
            "amphetamine",
            "adderall",
            "evekeo",
            "dextroamphetamine",
            "dexedrine",
            "zenzedi",
            "lisdexamfetamine",
            "vyvanse",
            "elvanse",
            "methylphenidate",
            "ritalin",
            "concerta",
            "metadate",
            "medikinet",
            "equasym",
            "dexmethylphenidate",
            "focalin",
            "modafinil",
            "provigil",
            "armodafinil",
            "nuvigil",
            "methamphetamine",
            "desoxyn",
            "phentermine",
        ],
    ),
    (
        "maois",
        &[
            "phenelzine",
            "nardil",
            "tranylcypromine",
            "parnate",
            "isocarboxazid",
            "marplan",
            "selegiline",
            "emsam",
            "eldepryl",
            "zelapar",
            "moclobemide",
            "aurorix",
            "manerix",
            "rasagiline",
            "azilect",
        ],
    ),
];

/// Whether `class` is a known class id.
pub fn is_class(class: &str) -> bool {
    CLASSES.iter().any(|(id, _)| *id == class)
}

/// Whether `c` belongs to a word: an ASCII letter or digit, or a letter of the Latin-1 and
/// Latin Extended blocks (U+00C0 to U+024F, but the signs `×` and `÷`), so "xanaxé" stays one
/// word. Every other character separates words: punctuation, spaces (a phone's no-break space
/// too), signs such as `®`, and letters of other scripts.
///
/// Every word character is a letter or digit to Unicode too, so words split at least where
/// `char::is_alphanumeric` would split them, and a name found by that rule is found by this
/// one. This rule needs no Unicode tables in the patient's module (with lower-casing by
/// ASCII below, 5.4 KiB gzip of a PHQ-9 page).
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || (matches!(c, '\u{C0}'..='\u{24F}') && c != '×' && c != '÷')
}

/// Words of `text` ([`is_word_char`]), lower-cased. The known names are all ASCII, so a typed
/// word can only equal one if it is ASCII too, and ASCII lower-casing finds every such match.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !is_word_char(c))
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Whether `name` (as typed) names a medicine of `class`.
pub fn matches_class(name: &str, class: &str) -> bool {
    let Some((_, names)) = CLASSES.iter().find(|(id, _)| *id == class) else {
        return false;
    };
    let typed = words(name);
    names.iter().any(|known| {
        let known = words(known);
        !known.is_empty()
            && typed
                .windows(known.len())
                .any(|window| window == known.as_slice())
    })
}

/// Whether `name` names a medicine of any class.
pub fn matches_any_class(name: &str) -> bool {
    CLASSES.iter().any(|(class, _)| matches_class(name, class))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_whole_words_case_insensitively() {
        assert!(matches_class("Xanax XR 1mg", "benzodiazepines"));
        assert!(matches_class("alprazolam", "benzodiazepines"));
        assert!(matches_class("MS Contin 30 mg", "opioids"));
        assert!(matches_class("lamictal", "lamotrigine"));
        assert!(!matches_class("Xanaxx", "benzodiazepines"));
        assert!(!matches_class("contin", "opioids"));
        assert!(!matches_class("sertraline", "benzodiazepines"));
        assert!(!matches_any_class("sertraline 100 mg"));
        assert!(!matches_class("alprazolam", "no-such-class"));
    }

    #[test]
    fn signs_spaces_and_other_scripts_separate_words_but_latin_letters_do_not() {
        assert!(matches_class("XANAX®", "benzodiazepines"));
        assert!(matches_class("Xanax\u{a0}0.5\u{a0}mg", "benzodiazepines"));
        assert!(matches_class("Ativan—1 mg", "benzodiazepines"));
        assert!(matches_class("MS\u{a0}CONTIN", "opioids"));
        assert!(!matches_class("xanaxé", "benzodiazepines"));
        assert!(!matches_class("Ávanax", "benzodiazepines"));
        assert!(!matches_class("xanaxǂ", "benzodiazepines"));
    }

    #[test]
    fn every_known_name_is_ascii_so_ascii_lower_casing_finds_every_match() {
        for (class, names) in CLASSES {
            for name in *names {
                assert!(name.is_ascii(), "{class}: {name}");
                assert!(
                    matches_class(&name.to_uppercase(), class),
                    "{class}: {name}"
                );
            }
        }
    }

    #[test]
    fn word_characters_are_letters_or_digits_to_unicode() {
        for c in (0..=0x2FF).filter_map(char::from_u32) {
            if is_word_char(c) {
                assert!(c.is_alphanumeric(), "{c:?} is not a letter or digit");
            }
        }
    }
}
