//! `kapforms rules [--thresholds FILE] [ID...]`: the screening rules of built-in
//! questionnaires as a table a clinician can read: each flag's class, what raises it, and the
//! citation recorded for it in the definition's provenance, then the questionnaire's
//! configurable thresholds with their values. With `--thresholds` the rules are shown with the
//! clinic's values (checked as `score --thresholds` checks them). Without ids it prints every
//! built-in questionnaire that has flags. The rules themselves are data in the definitions;
//! this only renders them.

use std::fmt::Write as _;
use std::process::ExitCode;

use kapforms_core::condition::Condition;
use kapforms_core::definition::{Citation, ThresholdValues};
use kapforms_core::flags::FlagRule;
use kapforms_core::{number, AnswerValue, Questionnaire};

/// Prints the rule table; exit 2 for an unknown id or unusable thresholds.
pub fn print(args: &[String]) -> ExitCode {
    let mut ids = Vec::new();
    let mut thresholds: Option<ThresholdValues> = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--thresholds" => {
                let Some(path) = rest.next() else {
                    eprintln!("kapforms: --thresholds needs a file");
                    return ExitCode::from(2);
                };
                match crate::read_thresholds(path) {
                    Ok(values) => thresholds = Some(values),
                    Err(message) => {
                        eprintln!("kapforms: {message}");
                        return ExitCode::from(2);
                    }
                }
            }
            flag if flag.starts_with("--") => {
                eprintln!("kapforms: unknown option {flag}");
                return ExitCode::from(2);
            }
            id => ids.push(id.to_owned()),
        }
    }
    let chosen: Vec<String> = if ids.is_empty() {
        kapforms_instruments::ids().map(str::to_owned).collect()
    } else {
        ids
    };
    let mut loaded = Vec::new();
    for id in &chosen {
        let questionnaire = match kapforms_instruments::load(id) {
            Some(Ok(questionnaire)) => questionnaire,
            Some(Err(error)) => {
                eprintln!("kapforms: built-in {id} is invalid: {error}");
                return ExitCode::from(1);
            }
            None => {
                eprintln!("kapforms: no built-in instrument is called `{id}`");
                return ExitCode::from(2);
            }
        };
        loaded.push(questionnaire);
    }
    if let Some(values) = &thresholds {
        match configure(loaded, values) {
            Ok(configured) => loaded = configured,
            Err(problems) => {
                for problem in problems {
                    eprintln!("kapforms: {problem}");
                }
                return ExitCode::from(2);
            }
        }
    }
    let mut out = String::new();
    for questionnaire in &loaded {
        if questionnaire.flags.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "{} ({} {})",
            questionnaire.title, questionnaire.id, questionnaire.version
        );
        let value_of = |id: &str| threshold_value(questionnaire, id);
        let mut flags: Vec<&FlagRule> = questionnaire.flags.iter().collect();
        flags.sort_by_key(|flag| flag.severity);
        for flag in flags {
            let _ = writeln!(
                out,
                "  [{}] {}: {}",
                flag.severity.as_str(),
                flag.id,
                flag.label_with(&value_of)
            );
            let _ = writeln!(
                out,
                "      when: {}",
                describe(&flag.when, &|id| threshold_value(questionnaire, id))
            );
            let sources = citations_for(questionnaire, &flag.id);
            if sources.is_empty() {
                let _ = writeln!(out, "      source: (none recorded)");
            }
            for citation in sources {
                let _ = writeln!(out, "      source: {}", citation.reference);
            }
        }
        if !questionnaire.thresholds.is_empty() {
            let _ = writeln!(out, "  configurable thresholds:");
            for threshold in &questionnaire.thresholds {
                let unit = threshold
                    .unit
                    .as_deref()
                    .map_or(String::new(), |unit| format!(" {unit}"));
                let value =
                    threshold_value(questionnaire, &threshold.id).unwrap_or(threshold.default);
                let set = if questionnaire
                    .threshold_overrides()
                    .contains_key(&threshold.id)
                {
                    "set by the clinic"
                } else {
                    "default"
                };
                let _ = writeln!(
                    out,
                    "    {} = {}{unit} ({set}; default {}, allowed {} to {}): {}",
                    threshold.id,
                    number::display(value),
                    number::display(threshold.default),
                    number::display(threshold.min),
                    number::display(threshold.max),
                    threshold.label
                );
            }
        }
        out.push('\n');
    }
    print!("{out}");
    ExitCode::SUCCESS
}

/// The value a threshold has in `questionnaire`: the clinic's, else its default.
fn threshold_value(questionnaire: &Questionnaire, id: &str) -> Option<f64> {
    questionnaire
        .threshold_overrides()
        .get(id)
        .copied()
        .or_else(|| questionnaire.threshold(id).map(|t| t.default))
}

/// Applies the clinic's threshold values to the questionnaires that declare them. Every value
/// must name a threshold of one of them and lie in its range.
fn configure(
    loaded: Vec<Questionnaire>,
    values: &ThresholdValues,
) -> Result<Vec<Questionnaire>, Vec<String>> {
    let mut problems = Vec::new();
    for id in values.keys() {
        if !loaded.iter().any(|q| q.threshold(id).is_some()) {
            problems.push(format!(
                "thresholds.{id}: no threshold of the questionnaires shown has this id"
            ));
        }
    }
    let mut configured = Vec::new();
    for questionnaire in loaded {
        let own: ThresholdValues = values
            .iter()
            .filter(|(id, _)| questionnaire.threshold(id).is_some())
            .map(|(id, value)| (id.clone(), *value))
            .collect();
        match questionnaire.with_thresholds(&own) {
            Ok(q) => configured.push(q),
            Err(errors) => problems.extend(errors.iter().map(ToString::to_string)),
        }
    }
    if problems.is_empty() {
        Ok(configured)
    } else {
        Err(problems)
    }
}

/// The citations recorded for a flag: the definition's own that name it, else (for a flag
/// that came with an embedded instrument) that instrument's.
fn citations_for<'a>(questionnaire: &'a Questionnaire, flag_id: &str) -> Vec<&'a Citation> {
    let Some(provenance) = &questionnaire.provenance else {
        return Vec::new();
    };
    let own: Vec<&Citation> = provenance
        .citations
        .iter()
        .filter(|citation| mentions(&citation.supports, flag_id))
        .collect();
    if !own.is_empty() {
        return own;
    }
    for module in &provenance.modules {
        if let Some(local) = flag_id.strip_prefix(&format!("{}.", module.section)) {
            let named: Vec<&Citation> = module
                .provenance
                .citations
                .iter()
                .filter(|citation| mentions(&citation.supports, local))
                .collect();
            return if named.is_empty() {
                module.provenance.citations.iter().collect()
            } else {
                named
            };
        }
    }
    Vec::new()
}

/// Whether `text` names `id` as a whole token.
fn mentions(text: &str, id: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
        .any(|token| token == id)
}

/// A threshold's mention beside the bound it sets: ` (threshold bp_monitor_systolic)`.
fn threshold_note(threshold: Option<&String>) -> String {
    threshold.map_or(String::new(), |id| format!(" (threshold {id})"))
}

/// A condition in words; `value_of` gives the value of a configurable threshold.
fn describe(condition: &Condition, value_of: &dyn Fn(&str) -> Option<f64>) -> String {
    let bound = |written: f64, threshold: Option<&String>| {
        threshold.and_then(|id| value_of(id)).unwrap_or(written)
    };
    match condition {
        Condition::All(inner) => join(inner, " and ", value_of),
        Condition::Any(inner) => join(inner, " or ", value_of),
        Condition::Not(inner) => format!("not ({})", describe(inner, value_of)),
        Condition::Score(test) => {
            let test = &kapforms_core::condition::ScoreTest {
                at_least: test.at_least.map(|v| bound(v, test.threshold.as_ref())),
                at_most: test.at_most.map(|v| bound(v, test.threshold.as_ref())),
                below: test.below.map(|v| bound(v, test.threshold.as_ref())),
                ..test.clone()
            };
            let mut bounds = Vec::new();
            if let Some(v) = test.at_least {
                bounds.push(format!("≥ {}", number::display(v)));
            }
            if let Some(v) = test.at_most {
                bounds.push(format!("≤ {}", number::display(v)));
            }
            if let Some(v) = test.below {
                bounds.push(format!("< {}", number::display(v)));
            }
            format!(
                "score {} {}{}",
                test.score,
                bounds.join(" and "),
                threshold_note(test.threshold.as_ref())
            )
        }
        Condition::Answer(test) => {
            let note = threshold_note(test.threshold.as_ref());
            let what = if let Some(v) = test.score_at_least {
                let v = bound(v, test.threshold.as_ref());
                format!("scores ≥ {}{note}", number::display(v))
            } else if let Some(v) = test.score_above {
                let v = bound(v, test.threshold.as_ref());
                format!("is above {}{note}", number::display(v))
            } else if let Some(value) = &test.equals {
                format!("is {}", value_text(value))
            } else if let Some(codes) = &test.one_of {
                format!("is one of {}", codes.join(", "))
            } else if let Some(code) = &test.includes {
                format!("includes {code}")
            } else if test.answered == Some(false) {
                "is not answered".to_owned()
            } else {
                "is answered".to_owned()
            };
            format!("{} {what}", test.item)
        }
        Condition::MedicationClass(test) => format!(
            "a medicine in {}.{} is of class {}",
            test.item, test.field, test.class
        ),
        Condition::MedicationUnrecognised(test) => {
            format!(
                "a medicine in {}.{} is of no known class",
                test.item, test.field
            )
        }
    }
}

fn join(inner: &[Condition], separator: &str, value_of: &dyn Fn(&str) -> Option<f64>) -> String {
    inner
        .iter()
        .map(|c| match c {
            Condition::All(_) | Condition::Any(_) => format!("({})", describe(c, value_of)),
            _ => describe(c, value_of),
        })
        .collect::<Vec<_>>()
        .join(separator)
}

fn value_text(value: &AnswerValue) -> String {
    match value {
        AnswerValue::Bool(true) => "yes".to_owned(),
        AnswerValue::Bool(false) => "no".to_owned(),
        AnswerValue::Integer(n) => n.to_string(),
        AnswerValue::Text(text) => text.clone(),
        AnswerValue::Choices(codes) => codes.join(", "),
        AnswerValue::Rows(rows) => format!("{} rows", rows.len()),
    }
}
