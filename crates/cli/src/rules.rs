//! `kapforms rules [ID...]`: the screening rules of built-in questionnaires as a table a
//! clinician can read: each flag's class, what raises it, and the citation recorded for it in
//! the definition's provenance. Without ids it prints every built-in questionnaire that has
//! flags. The rules themselves are data in the definitions; this only renders them.

use std::fmt::Write as _;
use std::process::ExitCode;

use kapforms_core::condition::Condition;
use kapforms_core::definition::Citation;
use kapforms_core::flags::FlagRule;
use kapforms_core::{AnswerValue, Questionnaire};

/// Prints the rule table; exit 2 for an unknown id.
pub fn print(ids: &[String]) -> ExitCode {
    let chosen: Vec<String> = if ids.is_empty() {
        kapforms_instruments::ids().map(str::to_owned).collect()
    } else {
        ids.to_vec()
    };
    let mut out = String::new();
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
        if questionnaire.flags.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "{} ({} {})",
            questionnaire.title, questionnaire.id, questionnaire.version
        );
        let mut flags: Vec<&FlagRule> = questionnaire.flags.iter().collect();
        flags.sort_by_key(|flag| flag.severity);
        for flag in flags {
            let _ = writeln!(
                out,
                "  [{}] {}: {}",
                flag.severity.as_str(),
                flag.id,
                flag.label
            );
            let _ = writeln!(out, "      when: {}", describe(&flag.when));
            let sources = citations_for(&questionnaire, &flag.id);
            if sources.is_empty() {
                let _ = writeln!(out, "      source: (none recorded)");
            }
            for citation in sources {
                let _ = writeln!(out, "      source: {}", citation.reference);
            }
        }
        out.push('\n');
    }
    print!("{out}");
    ExitCode::SUCCESS
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

/// A condition in words.
fn describe(condition: &Condition) -> String {
    match condition {
        Condition::All(inner) => join(inner, " and "),
        Condition::Any(inner) => join(inner, " or "),
        Condition::Not(inner) => format!("not ({})", describe(inner)),
        Condition::Score(test) => {
            let mut bounds = Vec::new();
            if let Some(v) = test.at_least {
                bounds.push(format!("≥ {}", kapforms_core::number::display(v)));
            }
            if let Some(v) = test.at_most {
                bounds.push(format!("≤ {}", kapforms_core::number::display(v)));
            }
            if let Some(v) = test.below {
                bounds.push(format!("< {}", kapforms_core::number::display(v)));
            }
            format!("score {} {}", test.score, bounds.join(" and "))
        }
        Condition::Answer(test) => {
            let what = if let Some(v) = test.score_at_least {
                format!("scores ≥ {}", kapforms_core::number::display(v))
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

fn join(inner: &[Condition], separator: &str) -> String {
    inner
        .iter()
        .map(|c| match c {
            Condition::All(_) | Condition::Any(_) => format!("({})", describe(c)),
            _ => describe(c),
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
