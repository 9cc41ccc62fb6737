//! Real-world FHIR Questionnaires of the PHQ-9 and GAD-7 (the fixtures in
//! `crates/core/tests/fhir/fixtures/`, provenance in their `SOURCES.md`) score like the
//! built-in instruments: for many answer patterns, the total the imported Questionnaire gives
//! is the built-in's total for the same answers, over the same range. The scored items are
//! paired in order, and where both carry a LOINC item code the codes must agree, so the
//! pairing is checked rather than assumed. (Which items, scores and warnings each fixture
//! imports with is `kapforms-core`'s `tests/fhir_import.rs`.)

use kapforms_core::fhir;
use kapforms_core::LiteMap;
use kapforms_core::{AnswerValue, Evaluation, Questionnaire};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../core/tests/fhir/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The items a questionnaire's first score adds up, in the score's order.
fn scored_items(questionnaire: &Questionnaire) -> Vec<String> {
    questionnaire.scores[0].items.clone()
}

/// Answers choosing, for each item, the option whose score is the pattern's ordinal.
fn answers_for(
    questionnaire: &Questionnaire,
    items: &[String],
    ordinals: &[u8],
) -> LiteMap<String, AnswerValue> {
    items
        .iter()
        .zip(ordinals)
        .map(|(id, ordinal)| {
            let item = questionnaire.item(id).expect("a scored item");
            let option = questionnaire
                .options_of(item)
                .iter()
                .find(|option| option.score == Some(f64::from(*ordinal)))
                .unwrap_or_else(|| panic!("{id} has no option scoring {ordinal}"));
            (id.clone(), AnswerValue::Text(option.value.clone()))
        })
        .collect()
}

/// Deterministic answer patterns of `n` items with ordinals 0..=3: all zero, all three, the
/// MII GAD-7 example (2,3,2,1,2,1,2, cycled), and pseudo-random ones.
fn patterns(n: usize) -> Vec<Vec<u8>> {
    let mut out = vec![vec![0; n], vec![3; n]];
    out.push(
        [2, 3, 2, 1, 2, 1, 2]
            .iter()
            .copied()
            .cycle()
            .take(n)
            .collect(),
    );
    let mut state: u32 = 0x2545_f491;
    for _ in 0..40 {
        out.push(
            (0..n)
                .map(|_| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    ((state >> 16) % 4) as u8
                })
                .collect(),
        );
    }
    out
}

#[test]
fn imported_phq9_and_gad7_questionnaires_score_like_the_built_ins() {
    // (fixture, built-in, number of scored items the fixture has)
    let cases = [
        ("lforms__phq9.json", "phq9", 9),
        ("lforms__argonaut-phq9-ish.json", "phq9", 9),
        ("ResearchKitOnFHIR__PHQ-9.json", "phq9", 9),
        // Caution in SOURCES.md: this "PHQ-9" has no item 9 (44260-8).
        (
            "sample-content-ig__Questionnaire-phq-9-questionnaire.json",
            "phq9",
            8,
        ),
        ("ResearchKitOnFHIR__GAD-7.json", "gad7", 7),
        (
            "kerndatensatzmodul-proms__Questionnaire-mii-qst-pro-gad-7.json",
            "gad7",
            7,
        ),
        (
            "kerndatensatzmodul-proms__Bundle-mii-exa-pro-gad-7-bundle.json",
            "gad7",
            7,
        ),
    ];
    for (file, builtin_id, n) in cases {
        let imported = fhir::import_questionnaire(&fixture(file))
            .unwrap_or_else(|problems| panic!("{file}: {problems:#?}"))
            .questionnaire;
        let builtin = kapforms_instruments::load(builtin_id)
            .expect("built in")
            .expect("valid");
        let imported_items = scored_items(&imported);
        let builtin_items = scored_items(&builtin);
        assert_eq!(imported_items.len(), n, "{file}: {imported_items:?}");
        for (ours, theirs) in builtin_items.iter().zip(&imported_items) {
            let our_code = builtin.item(ours).and_then(|item| item.code.as_ref());
            let their_code = imported.item(theirs).and_then(|item| item.code.as_ref());
            if let (Some(a), Some(b)) = (our_code, their_code) {
                assert_eq!(a.code, b.code, "{file}: {theirs} is not {ours}");
            }
        }
        for pattern in patterns(n) {
            let mut full = pattern.clone();
            full.resize(builtin_items.len(), 0);
            let ours = Evaluation::of(&builtin, &answers_for(&builtin, &builtin_items, &full));
            let theirs = Evaluation::of(
                &imported,
                &answers_for(&imported, &imported_items, &pattern),
            );
            let (ours, theirs) = (&ours.scores[0], &theirs.scores[0]);
            assert!(ours.is_complete() && theirs.is_complete(), "{file}");
            assert_eq!(theirs.value, ours.value, "{file} {pattern:?}");
        }
        let range = Evaluation::of(&imported, &LiteMap::new()).scores[0].clone();
        assert_eq!((range.min, range.max), (0.0, 3.0 * n as f64), "{file}");
    }
}

#[test]
fn the_mii_gad7_example_response_totals_13_like_the_built_in_gad7() {
    let bundle = fixture("kerndatensatzmodul-proms__Bundle-mii-exa-pro-gad-7-bundle.json");
    let imported = fhir::import_questionnaire(&bundle).expect("the Bundle's Questionnaire");
    let answers = imported
        .import_response(&bundle)
        .expect("the Bundle's response");
    let theirs = Evaluation::of(&imported.questionnaire, &answers);
    let gad7 = kapforms_instruments::load("gad7")
        .expect("built in")
        .expect("valid");
    let ours = Evaluation::of(
        &gad7,
        &answers_for(&gad7, &scored_items(&gad7), &[2, 3, 2, 1, 2, 1, 2]),
    );
    assert_eq!(theirs.scores[0].value, 13.0);
    assert_eq!(ours.scores[0].value, 13.0);
    assert_eq!(ours.scores[0].band.as_deref(), Some("Moderate"));
}
