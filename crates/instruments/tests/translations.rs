//! Every shipped translation fits its instrument: each key names wording the instrument has,
//! every piece of its wording is translated (nothing left in English by accident), the result
//! validates with the same structure and scoring, and the file records its source, licence and
//! attribution. Validated scales are translated only where an official translation exists.

use kapforms_core::localize::wording;
use kapforms_core::Questionnaire;
use kapforms_instruments::translations::{self, load_in, read};

#[test]
fn every_translation_covers_its_instrument_and_keeps_its_structure() {
    assert!(!translations::ALL.is_empty());
    for translation in translations::ALL {
        let name = format!("{}/{}", translation.language, translation.instrument);
        let file = read(translation).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(file.format, "kapforms-translation", "{name}");
        assert_eq!(file.instrument, translation.instrument, "{name}");
        assert_eq!(file.language, translation.language, "{name}");
        assert!(
            !file.provenance.source.is_empty() && !file.provenance.licence.is_empty(),
            "{name}"
        );
        let builtin = kapforms_instruments::find(translation.instrument).expect("a built-in");
        let unexpanded = Questionnaire::parse_unchecked(builtin.json).expect("reads");
        let untranslated: Vec<String> = wording(&unexpanded)
            .keys()
            .filter(|key| !file.text.contains_key(*key))
            .cloned()
            .collect();
        assert!(
            untranslated.is_empty(),
            "{name} leaves in English: {untranslated:?}"
        );

        let english = kapforms_instruments::load(translation.instrument)
            .expect("built-in")
            .expect("valid");
        let worded = load_in(translation.instrument, translation.language)
            .expect("shipped")
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let spanish = worded.questionnaire;
        // Scoring is unchanged (labels of embedded modules' scores name their section, so
        // they follow its wording; responses always carry the definition's own labels).
        let scoring = |q: &Questionnaire| {
            q.scores
                .iter()
                .map(|s| (s.id.clone(), s.method, s.items.clone(), s.bands.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            scoring(&spanish),
            scoring(&english),
            "{name}: scoring unchanged"
        );
        assert_eq!(spanish.flags, english.flags, "{name}: flags unchanged");
        let ids = |q: &Questionnaire| q.items().map(|i| i.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&spanish), ids(&english), "{name}: same items");
        assert_ne!(spanish.title, english.title, "{name}: translated");
    }
}

#[test]
fn phq9_in_spanish_is_the_official_translation_word_for_word() {
    let phq9 = load_in("phq9", "es")
        .expect("shipped")
        .expect("valid")
        .questionnaire;
    let item = phq9.item("phq9_9").expect("item 9");
    assert_eq!(
        item.text,
        "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera"
    );
    let labels: Vec<&str> = phq9
        .options_of(item)
        .iter()
        .map(|o| o.label.as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "Ningún día",
            "Varios días",
            "Más de la mitad de los días",
            "Casi todos los días"
        ]
    );
    assert_eq!(
        phq9.sections[0].intro.as_deref(),
        Some("Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?")
    );
}

#[test]
fn a_validated_scale_without_an_official_translation_stays_in_english() {
    for id in ["pcl5", "audit", "auditc", "who5", "dast10", "mdq", "cssrs"] {
        assert!(
            load_in(id, "es").is_none(),
            "{id} has no official Spanish translation here"
        );
    }
}

#[test]
fn our_own_questionnaires_are_all_translated_and_embedded_scales_without_one_stay_english() {
    for id in [
        "intake",
        "motivation",
        "readiness",
        "readiness-ruler",
        "integration",
    ] {
        let worded = load_in(id, "es")
            .unwrap_or_else(|| panic!("{id} in Spanish"))
            .expect("valid");
        if id == "intake" {
            // AUDIT-C and PCL-5 are embedded in the intake without an official translation.
            assert!(worded
                .english_sections
                .iter()
                .any(|s| s.starts_with("alcohol.")));
            assert!(worded
                .english_sections
                .iter()
                .any(|s| s.starts_with("trauma.")));
            assert!(
                !worded
                    .english_sections
                    .iter()
                    .any(|s| s.starts_with("mood.")),
                "PHQ-9 is Spanish"
            );
            let item = worded
                .questionnaire
                .item("mood.phq9_1")
                .expect("embedded PHQ-9");
            assert_eq!(item.text, "Poco interés o placer en hacer cosas");
        }
    }
}

#[test]
fn the_patients_copies_word_every_translation_alike_without_provenance() {
    for translation in translations::ALL {
        let (id, language) = (translation.instrument, translation.language);
        let whole = translations::load_in(id, language)
            .expect("shipped")
            .expect("valid");
        let lean = translations::load_in_without_provenance(id, language)
            .expect("shipped")
            .expect("valid");
        let mut stripped = whole.clone();
        stripped.questionnaire.provenance = None;
        assert_eq!(lean, stripped, "{id} in {language}");
        assert_eq!(
            lean.questionnaire.content_hash(),
            whole.questionnaire.content_hash(),
            "{id} in {language}"
        );
    }
}
