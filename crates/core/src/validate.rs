//! Validation of a parsed definition: the checks the type system cannot make. Every problem is
//! reported with its JSON path, all at once, so a clinic fixes its definition in one pass.
//!
//! Checked: format and schema version; id syntax; at least one answerable item; unique section,
//! item, score and flag ids; choice items with options that exist and have unique codes; scored
//! options on every option of a scored item; integer ranges; `enable_when` that refers only
//! to earlier items (which rules out cycles); condition tests that fit their item; score items
//! that exist and are scorable; bands that are ordered, neither overlap nor leave gaps, and
//! cover the score's possible range; configurable thresholds with a default inside their
//! range, named only by flag tests whose written bound is that default, and never by a safety
//! flag (a clinic may not make crisis resources harder to reach); `optional` only on module
//! sections.

use std::collections::{HashMap, HashSet};

use crate::answer::check_answer;
use crate::condition::{Condition, MedicationField, MedicationTest};
use crate::definition::{
    ItemKind, Options, Questionnaire, DEFINITION_FORMAT, DEFINITION_SCHEMA_VERSION,
};
use crate::diagnostic::Diagnostic;
use crate::scoring::{item_score_range, ScoreMethod};

/// Longest id accepted, in bytes.
const MAX_ID_LENGTH: usize = 64;

/// Returns every problem found in `questionnaire`; empty when it is valid.
pub fn validate(questionnaire: &Questionnaire) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut report = |path: String, message: String| problems.push(Diagnostic::new(path, message));

    if questionnaire.format != DEFINITION_FORMAT {
        report(
            "format".into(),
            format!(
                "expected \"{DEFINITION_FORMAT}\", found \"{}\"",
                questionnaire.format
            ),
        );
    }
    if questionnaire.schema_version != DEFINITION_SCHEMA_VERSION {
        report(
            "schema_version".into(),
            format!(
                "this version of kapforms reads schema version {DEFINITION_SCHEMA_VERSION}, not {}",
                questionnaire.schema_version
            ),
        );
    }
    if let Err(message) = check_id(&questionnaire.id) {
        report("id".into(), message);
    }
    if questionnaire.version.trim().is_empty() {
        report("version".into(), "must not be empty".into());
    }
    if !questionnaire.items().any(|item| item.kind.takes_answer()) {
        report(
            "sections".into(),
            "the questionnaire has no item that takes an answer".into(),
        );
    }

    for (name, options) in &questionnaire.option_sets {
        check_option_list(options, &format!("option_sets.{name}"), &mut report);
    }

    let mut threshold_ids = HashSet::new();
    for (index, threshold) in questionnaire.thresholds.iter().enumerate() {
        let path = format!("thresholds[{index}]");
        if let Err(message) = check_id(&threshold.id) {
            report(format!("{path}.id"), message);
        } else if !threshold_ids.insert(threshold.id.as_str()) {
            report(
                format!("{path}.id"),
                format!("threshold id `{}` is used twice", threshold.id),
            );
        }
        if threshold.label.trim().is_empty() {
            report(format!("{path}.label"), "must not be empty".into());
        }
        let finite = [threshold.default, threshold.min, threshold.max]
            .iter()
            .all(|v| v.is_finite());
        if !finite {
            report(
                path.clone(),
                "default, min and max must be finite numbers".into(),
            );
        } else if threshold.min > threshold.max {
            report(
                format!("{path}.min"),
                format!(
                    "min {} is greater than max {}",
                    threshold.min, threshold.max
                ),
            );
        } else if threshold.default < threshold.min || threshold.default > threshold.max {
            report(
                format!("{path}.default"),
                format!(
                    "the default {} is outside the range {} to {}",
                    threshold.default, threshold.min, threshold.max
                ),
            );
        }
    }

    let mut section_ids = HashSet::new();
    let mut earlier_items: HashMap<&str, String> = HashMap::new();
    for (s, section) in questionnaire.sections.iter().enumerate() {
        let section_path = format!("sections[{s}]");
        if section.optional && section.module.is_none() {
            report(
                format!("{section_path}.optional"),
                "only a module section can be optional (make its items not required instead)"
                    .into(),
            );
        }
        let wording_licensed = questionnaire.restricted_text || section.restricted_text;
        if let Err(message) = check_id(&section.id) {
            report(format!("{section_path}.id"), message);
        } else if !section_ids.insert(section.id.as_str()) {
            report(
                format!("{section_path}.id"),
                format!("section id `{}` is used twice", section.id),
            );
        }
        for (i, item) in section.items.iter().enumerate() {
            let path = format!("{section_path}.items[{i}]");
            if let Err(message) = check_id(&item.id) {
                report(format!("{path}.id"), message);
            } else if let Some(first) = earlier_items.get(item.id.as_str()) {
                report(
                    format!("{path}.id"),
                    format!("item id `{}` is already used at {first}", item.id),
                );
            }
            if let Some(problem) = &item.problem {
                report(path.clone(), problem.clone());
            }
            if item.text.trim().is_empty() && !wording_licensed {
                report(
                    format!("{path}.text"),
                    "must not be empty (only a `restricted_text` skeleton leaves wording to the clinic)".into(),
                );
            }
            match &item.kind {
                ItemKind::SingleChoice { options } | ItemKind::MultipleChoice { options } => {
                    match options {
                        Options::Set(name) if !questionnaire.option_sets.contains_key(name) => {
                            report(
                                format!("{path}.options"),
                                format!("no option set is named `{name}`"),
                            );
                        }
                        Options::Set(_) => {}
                        Options::Inline(list) => {
                            check_option_list(list, &format!("{path}.options"), &mut report)
                        }
                    }
                }
                ItemKind::Integer {
                    min: Some(min),
                    max: Some(max),
                    ..
                } if min > max => {
                    report(
                        format!("{path}.min"),
                        format!("min {min} is greater than max {max}"),
                    );
                }
                ItemKind::RepeatingGroup { fields, max_rows } => {
                    if fields.is_empty() {
                        report(
                            format!("{path}.fields"),
                            "a repeating group needs at least one field".into(),
                        );
                    }
                    if *max_rows == Some(0) {
                        report(format!("{path}.max_rows"), "must be at least 1".into());
                    }
                    for (f, field) in fields.iter().enumerate() {
                        let field_path = format!("{path}.fields[{f}]");
                        if let Some(problem) = &field.problem {
                            report(field_path.clone(), problem.clone());
                        }
                        if let Err(message) = check_id(&field.id) {
                            report(format!("{field_path}.id"), message);
                        } else if fields[..f].iter().any(|other| other.id == field.id) {
                            report(
                                format!("{field_path}.id"),
                                format!("field id `{}` is used twice", field.id),
                            );
                        }
                        if field.text.trim().is_empty() && !wording_licensed {
                            report(format!("{field_path}.text"), "must not be empty".into());
                        }
                        if field.enable_when.is_some() {
                            report(
                                format!("{field_path}.enable_when"),
                                "fields of a repeating group cannot be conditional".into(),
                            );
                        }
                        match &field.kind {
                            ItemKind::RepeatingGroup { .. } | ItemKind::Display => report(
                                format!("{field_path}.type"),
                                format!(
                                    "a `{}` cannot be a field of a repeating group",
                                    field.kind.type_name()
                                ),
                            ),
                            ItemKind::SingleChoice {
                                options: Options::Set(name),
                            }
                            | ItemKind::MultipleChoice {
                                options: Options::Set(name),
                            } if !questionnaire.option_sets.contains_key(name) => {
                                report(
                                    format!("{field_path}.options"),
                                    format!("no option set is named `{name}`"),
                                );
                            }
                            ItemKind::SingleChoice {
                                options: Options::Inline(list),
                            }
                            | ItemKind::MultipleChoice {
                                options: Options::Inline(list),
                            } => check_option_list(
                                list,
                                &format!("{field_path}.options"),
                                &mut report,
                            ),
                            _ => {}
                        }
                    }
                }
                ItemKind::Display if item.required => {
                    report(
                        format!("{path}.required"),
                        "a display item takes no answer".into(),
                    );
                }
                _ => {}
            }
            if let Some(condition) = &item.enable_when {
                check_condition(
                    questionnaire,
                    condition,
                    &format!("{path}.enable_when"),
                    &Scope {
                        may_refer_to: &|id| earlier_items.contains_key(id),
                        what: "an earlier item",
                        scores_allowed: false,
                    },
                    &mut report,
                );
            }
            earlier_items.entry(&item.id).or_insert(path);
        }
    }

    let all_items = questionnaire.item_ids();
    let mut score_ids = HashSet::new();
    for (index, score) in questionnaire.scores.iter().enumerate() {
        let path = format!("scores[{index}]");
        if let Err(message) = check_id(&score.id) {
            report(format!("{path}.id"), message);
        } else if !score_ids.insert(score.id.as_str()) {
            report(
                format!("{path}.id"),
                format!("score id `{}` is used twice", score.id),
            );
        }
        if score.items.is_empty() {
            report(
                format!("{path}.items"),
                "a score needs at least one item".into(),
            );
        }
        let mut seen_items: HashSet<&str> = HashSet::new();
        for (k, id) in score.items.iter().enumerate() {
            if !all_items.contains(id.as_str()) {
                report(
                    format!("{path}.items[{k}]"),
                    format!("no item has the id `{id}`"),
                );
            } else if item_score_range(questionnaire, id).is_none() {
                report(
                    format!("{path}.items[{k}]"),
                    format!(
                        "item `{id}` is not scorable: every option needs a score (yes/no items \
                         both scores, integer items a min and max)"
                    ),
                );
            } else if !seen_items.insert(id.as_str()) {
                report(
                    format!("{path}.items[{k}]"),
                    format!("item `{id}` is counted twice"),
                );
            }
        }
        for (k, id) in score.reverse.iter().enumerate() {
            if !score.items.contains(id) {
                report(
                    format!("{path}.reverse[{k}]"),
                    format!("`{id}` is not one of the score's items"),
                );
            }
        }
        match (score.method, score.threshold) {
            (ScoreMethod::Count, None) => report(
                format!("{path}.threshold"),
                "a `count` score needs a threshold".into(),
            ),
            (ScoreMethod::Sum | ScoreMethod::Mean, Some(_)) => report(
                format!("{path}.threshold"),
                "only a `count` score takes a threshold".into(),
            ),
            _ => {}
        }
        if score
            .multiply
            .is_some_and(|factor| !factor.is_finite() || factor == 0.0)
        {
            report(
                format!("{path}.multiply"),
                "must be a finite number other than 0".into(),
            );
        }
        if let Some(rule) = &score.missing {
            if rule.prorate_up_to >= score.items.len() {
                report(
                    format!("{path}.missing.prorate_up_to"),
                    "must be less than the number of items".into(),
                );
            }
            if rule.citation.trim().is_empty() {
                report(
                    format!("{path}.missing.citation"),
                    "a missing-answer rule must cite the source that publishes it".into(),
                );
            }
        }
        let (low, high) = score.range(questionnaire);
        for (b, band) in score.bands.iter().enumerate() {
            let band_path = format!("{path}.bands[{b}]");
            if band.min > band.max {
                report(
                    format!("{band_path}.min"),
                    format!("min {} is greater than max {}", band.min, band.max),
                );
            }
            if band.label.trim().is_empty() {
                report(format!("{band_path}.label"), "must not be empty".into());
            }
            if let Some(previous) = b.checked_sub(1).and_then(|p| score.bands.get(p)) {
                if band.min <= previous.max {
                    report(
                        format!("{band_path}.min"),
                        format!(
                            "overlaps the band before it (which ends at {})",
                            previous.max
                        ),
                    );
                } else if band.min > previous.max + 1.0 {
                    report(
                        format!("{band_path}.min"),
                        format!(
                            "leaves a gap after the band before it (which ends at {})",
                            previous.max
                        ),
                    );
                }
            }
        }
        if let (Some(first), Some(last)) = (score.bands.first(), score.bands.last()) {
            if first.min > low {
                report(
                    format!("{path}.bands[0].min"),
                    format!(
                        "the bands start at {} but the score can be as low as {low}",
                        first.min
                    ),
                );
            }
            if last.max < high {
                report(
                    format!("{path}.bands[{}].max", score.bands.len() - 1),
                    format!(
                        "the bands end at {} but the score can be as high as {high}",
                        last.max
                    ),
                );
            }
        }
    }

    if let Some(id) = &questionnaire.running_total {
        if !score_ids.contains(id.as_str()) {
            report(
                "running_total".into(),
                format!("no score has the id `{id}`"),
            );
        }
    }

    let mut flag_ids = HashSet::new();
    for (index, flag) in questionnaire.flags.iter().enumerate() {
        let path = format!("flags[{index}]");
        if let Err(message) = check_id(&flag.id) {
            report(format!("{path}.id"), message);
        } else if !flag_ids.insert(flag.id.as_str()) {
            report(
                format!("{path}.id"),
                format!("flag id `{}` is used twice", flag.id),
            );
        }
        check_condition(
            questionnaire,
            &flag.when,
            &format!("{path}.when"),
            &Scope {
                may_refer_to: &|id| all_items.contains(id),
                what: "an item",
                scores_allowed: true,
            },
            &mut report,
        );
        let used = flag.when.referenced_thresholds();
        for placeholder in flag.label_placeholders() {
            if !used.contains(&placeholder) {
                report(
                    format!("{path}.label"),
                    format!(
                        "`{{{placeholder}}}` names no configurable threshold this flag's \
                         condition uses"
                    ),
                );
            }
        }
        if flag.severity == crate::flags::Severity::Safety {
            if let Some(id) = flag.when.referenced_thresholds().first() {
                report(
                    format!("{path}.when"),
                    format!(
                        "a safety flag cannot use the configurable threshold `{id}`: crisis \
                         resources must not depend on a clinic's settings"
                    ),
                );
            }
        }
    }
    problems
}

/// Checks a test's `threshold`: it names a declared threshold, it stands in a flag, and the
/// bound written beside it (`bounds`, exactly one) is the threshold's default.
fn check_threshold_use(
    questionnaire: &Questionnaire,
    threshold: &str,
    bounds: &[Option<f64>],
    path: &str,
    scope: &Scope<'_>,
    report: &mut impl FnMut(String, String),
) {
    let path = format!("{path}.threshold");
    if !scope.scores_allowed {
        report(
            path,
            "only flags may use configurable thresholds; enable_when tests answers".into(),
        );
        return;
    }
    let Some(declared) = questionnaire.threshold(threshold) else {
        report(path, format!("no threshold has the id `{threshold}`"));
        return;
    };
    let written: Vec<f64> = bounds.iter().flatten().copied().collect();
    match written.as_slice() {
        [bound] if *bound == declared.default => {}
        [bound] => report(
            path,
            format!(
                "the bound written here ({bound}) must be the threshold's default ({}), so \
                 the definition reads as it scores by default",
                declared.default
            ),
        ),
        _ => report(
            path,
            "a test with a threshold takes exactly one numeric bound, which the threshold sets"
                .into(),
        ),
    }
}

fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("an id must not be empty".into());
    }
    if id.len() > MAX_ID_LENGTH {
        return Err(format!("an id must be at most {MAX_ID_LENGTH} characters"));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-' || c == '.')
    {
        return Err(format!(
            "id `{id}` may hold only lower-case letters a-z, digits, `_`, `-` and `.`"
        ));
    }
    Ok(())
}

fn check_option_list(
    options: &[crate::definition::AnswerOption],
    path: &str,
    report: &mut impl FnMut(String, String),
) {
    if options.is_empty() {
        report(path.to_owned(), "a choice needs at least one option".into());
    }
    let scored = options.iter().filter(|o| o.score.is_some()).count();
    let mut seen: HashSet<&str> = HashSet::new();
    for (index, option) in options.iter().enumerate() {
        if option.value.is_empty() {
            report(format!("{path}[{index}].value"), "must not be empty".into());
        } else if !seen.insert(option.value.as_str()) {
            report(
                format!("{path}[{index}].value"),
                format!("option code `{}` is used twice", option.value),
            );
        }
        if option.score.is_some_and(|s| !s.is_finite()) {
            report(
                format!("{path}[{index}].score"),
                "must be a finite number".into(),
            );
        }
        if scored > 0 && option.score.is_none() {
            report(
                format!("{path}[{index}].score"),
                "other options of this list are scored, so this one needs a score too".into(),
            );
        }
    }
}

/// What a condition may refer to where it stands.
struct Scope<'a> {
    may_refer_to: &'a dyn Fn(&str) -> bool,
    what: &'a str,
    scores_allowed: bool,
}

fn check_condition(
    questionnaire: &Questionnaire,
    condition: &Condition,
    path: &str,
    scope: &Scope<'_>,
    report: &mut impl FnMut(String, String),
) {
    match condition {
        Condition::All(inner) | Condition::Any(inner) => {
            let key = if matches!(condition, Condition::All(_)) {
                "all"
            } else {
                "any"
            };
            if inner.is_empty() {
                report(
                    format!("{path}.{key}"),
                    "needs at least one condition".into(),
                );
            }
            for (index, condition) in inner.iter().enumerate() {
                check_condition(
                    questionnaire,
                    condition,
                    &format!("{path}.{key}[{index}]"),
                    scope,
                    report,
                );
            }
        }
        Condition::Not(inner) => {
            check_condition(questionnaire, inner, &format!("{path}.not"), scope, report)
        }
        Condition::MedicationClass(MedicationTest { item, field, .. })
        | Condition::MedicationUnrecognised(MedicationField { item, field }) => {
            let key = if matches!(condition, Condition::MedicationClass(_)) {
                "medication_class"
            } else {
                "medication_unrecognised"
            };
            let path = format!("{path}.{key}");
            if !scope.scores_allowed {
                report(
                    path,
                    "only flags may test medicines; enable_when tests answers".into(),
                );
                return;
            }
            if let Condition::MedicationClass(test) = condition {
                if !crate::medications::is_class(&test.class) {
                    let known: Vec<&str> = crate::medications::CLASSES
                        .iter()
                        .map(|(id, _)| *id)
                        .collect();
                    report(
                        format!("{path}.class"),
                        format!(
                            "unknown medication class `{}` (known: {})",
                            test.class,
                            known.join(", ")
                        ),
                    );
                }
            }
            match questionnaire.item(item).map(|i| &i.kind) {
                Some(ItemKind::RepeatingGroup { fields, .. }) => {
                    let text_field = fields.iter().any(|f| {
                        &f.id == field
                            && matches!(
                                f.kind,
                                ItemKind::ShortText { .. } | ItemKind::LongText { .. }
                            )
                    });
                    if !text_field {
                        report(
                            format!("{path}.field"),
                            format!("`{field}` is not a text field of `{item}`"),
                        );
                    }
                }
                _ => report(
                    format!("{path}.item"),
                    format!("`{item}` is not a repeating_group item of this questionnaire"),
                ),
            }
        }
        Condition::Score(test) => {
            let path = format!("{path}.score");
            if !scope.scores_allowed {
                report(
                    path,
                    "only flags may test scores; enable_when tests answers".into(),
                );
                return;
            }
            if !questionnaire
                .scores
                .iter()
                .any(|score| score.id == test.score)
            {
                report(
                    format!("{path}.score"),
                    format!("no score has the id `{}`", test.score),
                );
            }
            if test.at_least.is_none() && test.at_most.is_none() && test.below.is_none() {
                report(
                    path.clone(),
                    "give at least one bound: at_least, at_most or below".into(),
                );
            }
            if let Some(threshold) = &test.threshold {
                check_threshold_use(
                    questionnaire,
                    threshold,
                    &[test.at_least, test.at_most, test.below],
                    &path,
                    scope,
                    report,
                );
            }
        }
        Condition::Answer(test) => {
            let path = format!("{path}.answer");
            if !(scope.may_refer_to)(&test.item) {
                report(
                    format!("{path}.item"),
                    format!(
                        "`{}` is not {} of this questionnaire",
                        test.item, scope.what
                    ),
                );
                return;
            }
            if test.test_count() != 1 {
                report(
                    path.clone(),
                    "give exactly one test: score_at_least, score_above, equals, one_of, \
                     includes or answered"
                        .into(),
                );
            }
            if let Some(threshold) = &test.threshold {
                check_threshold_use(
                    questionnaire,
                    threshold,
                    &[test.score_at_least, test.score_above],
                    &path,
                    scope,
                    report,
                );
            }
            let Some(item) = questionnaire.item(&test.item) else {
                return;
            };
            if let Some(value) = &test.equals {
                if let Err(message) = check_answer(questionnaire, item, value) {
                    report(format!("{path}.equals"), message);
                }
            }
            for (key, bound) in [
                ("score_at_least", test.score_at_least),
                ("score_above", test.score_above),
            ] {
                if bound.is_some() && item_score_range(questionnaire, &test.item).is_none() {
                    report(
                        format!("{path}.{key}"),
                        format!("item `{}` is not scored", test.item),
                    );
                }
            }
            if let Some(codes) = &test.one_of {
                if !matches!(item.kind, ItemKind::SingleChoice { .. }) {
                    report(
                        format!("{path}.one_of"),
                        "only a single_choice item can be one of codes".into(),
                    );
                }
                for (index, code) in codes.iter().enumerate() {
                    if !questionnaire
                        .options_of(item)
                        .iter()
                        .any(|o| &o.value == code)
                    {
                        report(
                            format!("{path}.one_of[{index}]"),
                            format!("`{code}` is not an option of `{}`", test.item),
                        );
                    }
                }
            }
            if let Some(code) = &test.includes {
                if !matches!(item.kind, ItemKind::MultipleChoice { .. }) {
                    report(
                        format!("{path}.includes"),
                        "only a multiple_choice item can include a code".into(),
                    );
                } else if !questionnaire
                    .options_of(item)
                    .iter()
                    .any(|o| &o.value == code)
                {
                    report(
                        format!("{path}.includes"),
                        format!("`{code}` is not an option of `{}`", test.item),
                    );
                }
            }
        }
    }
}
