//! The message catalogue is complete: every message of every shipped locale exists in every
//! other with the same placeholders, none is empty, and the few strings kapforms.js must keep
//! itself (shown when the WebAssembly module could not load or has crashed) are the
//! catalogue's, word for word.

use std::collections::{BTreeMap, BTreeSet};

use kapforms_widgets::catalogue::SOURCES;
use kapforms_widgets::{Language, PageTexts, Texts};

#[path = "../build.rs"]
#[allow(dead_code)]
mod compiler;

fn locales() -> BTreeMap<&'static str, BTreeMap<String, String>> {
    SOURCES
        .iter()
        .map(|(tag, text)| {
            (
                *tag,
                compiler::parse(text).unwrap_or_else(|e| panic!("{tag}: {e}")),
            )
        })
        .collect()
}

/// The `{ $name }` placeholders of a message.
fn placeholders(message: &str) -> BTreeSet<String> {
    message
        .split("{ $")
        .skip(1)
        .filter_map(|rest| rest.split_once(" }").map(|(name, _)| name.to_owned()))
        .collect()
}

#[test]
fn every_locale_has_every_message_with_the_same_placeholders() {
    let locales = locales();
    let english = &locales["en"];
    assert!(
        english.len() > 100,
        "the catalogue holds every interface string"
    );
    for (tag, messages) in &locales {
        let missing: Vec<&String> = english
            .keys()
            .filter(|id| !messages.contains_key(*id))
            .collect();
        let extra: Vec<&String> = messages
            .keys()
            .filter(|id| !english.contains_key(*id))
            .collect();
        assert!(missing.is_empty(), "{tag} lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{tag} has messages English lacks: {extra:?}"
        );
        for (id, message) in messages {
            assert!(!message.trim().is_empty(), "{tag}: {id} is empty");
            assert_eq!(
                placeholders(message),
                placeholders(&english[id]),
                "{tag}: {id} has other placeholders than English"
            );
        }
    }
}

#[test]
fn spanish_is_a_translation_not_a_copy() {
    let locales = locales();
    let same: Vec<&String> = locales["en"]
        .iter()
        .filter(|(id, message)| locales["es"][*id] == **message)
        .map(|(id, _)| id)
        .collect();
    // Only words that are the same in both languages.
    assert_eq!(
        same,
        ["form-no", "results-no-band"],
        "untranslated: {same:?}"
    );
}

#[test]
fn the_compiled_constants_are_the_catalogue() {
    assert_eq!(Language::Spanish.texts().next, "Continuar");
    assert_eq!(Texts::ENGLISH.step_of(2, 3), "Step 2 of 3");
    assert_eq!(Texts::SPANISH.step_of(2, 3), "Paso 2 de 3");
    assert_eq!(Language::from_tag("es-MX"), Language::Spanish);
    assert_eq!(Language::from_tag("EN-gb"), Language::English);
    assert_eq!(Language::from_tag("fr"), Language::English);
}

#[test]
fn kapforms_js_keeps_the_catalogue_words() {
    let script = include_str!("../../embed/js/kapforms.js");
    for language in Language::ALL {
        let page = PageTexts::of(language);
        for text in [page.load_failed, page.results_load_failed] {
            assert!(
                script.contains(&format!("'{text}'")),
                "kapforms.js lacks {:?} ({})",
                text,
                language.tag()
            );
        }
    }
    let english = PageTexts::ENGLISH;
    for text in [
        english.crash_title,
        english.crash_body,
        english.crash_download,
    ] {
        assert!(
            script.contains(&format!("'{text}'")),
            "kapforms.js lacks {text:?}"
        );
    }
}
