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

/// Lower-case words of `text` (letters and digits).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
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
}
