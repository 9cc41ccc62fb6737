//! `kapforms`: the native command for host systems. `kapforms score FILE...` reads native
//! responses (files, or JSON lines on standard input), re-scores each from its answers with
//! kapforms-core (against the built-in definition of its instrument, or `--definition FILE`),
//! prints the scores, and exits non-zero when a stored score, band or flag disagrees with the
//! answers, naming which. `kapforms validate DEF.json` checks a definition; `kapforms
//! instruments` lists the built-in instruments with version and licence; `kapforms
//! questionnaire ID` prints one as a FHIR R4 Questionnaire. `score --thresholds FILE`
//! re-scores with a clinic's threshold values and reports responses scored otherwise. The clinician's
//! commands (`report`, `fhir`, `verify`) live in `clinician.rs`.
//!
//! Exit codes: 0 every response is consistent (or the definition is valid); 1 at least one
//! disagrees (or the definition has problems); 2 a file could not be read or parsed, or the
//! command line is wrong.

mod clinician;
mod rules;

use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

use kapforms_core::definition::ThresholdValues;
use kapforms_core::number::Number;
use kapforms_core::{Evaluation, Questionnaire, Response, Verifier};

const USAGE: &str = "\
kapforms: score and verify kapforms questionnaire responses

USAGE:
    kapforms score [--definition FILE] [--thresholds FILE] [--json] [RESPONSE.json... | -]
    kapforms verify [--definition FILE]... RESPONSE.json...
    kapforms report [--definition FILE]... [-o REPORT.html] [--patient-name NAME]
                    [--patient-dob DATE] [--patient-id ID] [--date YYYY-MM-DD] RESPONSE.json...
    kapforms fhir [--definition FILE]... RESPONSE.json
    kapforms questionnaire [--canonical-base BASE] ID|DEFINITION.json
    kapforms validate DEFINITION.json...
    kapforms instruments
    kapforms rules [--thresholds FILE] [ID...]
    kapforms schema definition|response
    kapforms --help

score        Re-score each native response (format v1) from its answers and print the
             scores; exit 1 if any stored score, band or flag differs from the answers.
             With no file, or `-`, read one response per line (JSON lines) from stdin.
             --definition FILE   score against this definition instead of the built-in one
             --thresholds FILE   the clinic's threshold values, a JSON object by id;
                                 re-score with them and report any response that was
                                 scored with other values (without it, each response's
                                 recorded values are used)
             --json              print the re-scored response as JSON instead of text
verify       Re-score native responses or FHIR QuestionnaireResponses and print only what
             disagrees with the answers; exit 1 on any mismatch, 2 if a file cannot be read
             or its definition is unknown (pass a clinic's own with --definition FILE).
report       Write the clinician's summary of one patient's responses (flags first, then
             scores, trends, readiness and every answer) as one self-contained HTML file:
             inline CSS, no script, nothing fetched. Without -o, print it.
fhir         Convert a native response to a FHIR R4 QuestionnaireResponse, or a FHIR
             QuestionnaireResponse to a native response re-scored from its answers; exit 1
             if its stored scores disagreed with the answers (the output is recomputed).
questionnaire
             Print a built-in instrument (by id) or a definition file as a FHIR R4
             Questionnaire, the one `fhir` responses name. Its canonical URL is
             BASE:ID for a URN base, BASE/ID otherwise (default urn:kapforms:questionnaire).
validate     Check questionnaire definitions; print every problem with its JSON path.
instruments  List the built-in instruments with version and licence.
rules        The screening rules (flags) of built-in questionnaires: class, what raises
             each, and its citation; then the configurable thresholds and their values
             (with --thresholds FILE, the clinic's).
schema       Print the JSON Schema of the definition or the response format.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("score") => score(&args[1..]),
        Some("verify") => clinician::verify(&args[1..]),
        Some("report") => clinician::report(&args[1..]),
        Some("fhir") => clinician::fhir(&args[1..]),
        Some("instruments") => instruments(),
        Some("questionnaire") => questionnaire(&args[1..]),
        Some("validate") => validate(&args[1..]),
        Some("rules") => rules::print(&args[1..]),
        Some("schema") => match args.get(1).map(String::as_str) {
            Some("definition") => print_json(&kapforms_core::schema::definition()),
            Some("response") => print_json(&kapforms_core::schema::response()),
            _ => {
                eprintln!("kapforms: schema takes `definition` or `response`\n\n{USAGE}");
                ExitCode::from(2)
            }
        },
        Some("--help" | "-h" | "help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// What went wrong with one file.
enum Failure {
    /// The file could not be read or understood.
    Unreadable(String),
    /// The stored content disagrees with the answers.
    Inconsistent,
}

fn score(args: &[String]) -> ExitCode {
    let mut definition_path = None;
    let mut thresholds_path = None;
    let mut json = false;
    let mut files = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--definition" => match rest.next() {
                Some(path) => definition_path = Some(path.clone()),
                None => {
                    eprintln!("kapforms: --definition needs a file");
                    return ExitCode::from(2);
                }
            },
            "--thresholds" => match rest.next() {
                Some(path) => thresholds_path = Some(path.clone()),
                None => {
                    eprintln!("kapforms: --thresholds needs a file");
                    return ExitCode::from(2);
                }
            },
            "--json" => json = true,
            flag if flag.starts_with("--") => {
                eprintln!("kapforms: unknown option {flag}\n\n{USAGE}");
                return ExitCode::from(2);
            }
            file => files.push(file.to_owned()),
        }
    }
    let thresholds = match thresholds_path.as_deref().map(read_thresholds).transpose() {
        Ok(thresholds) => thresholds,
        Err(message) => {
            eprintln!("kapforms: {message}");
            return ExitCode::from(2);
        }
    };
    let custom = match definition_path.as_deref().map(read_definition).transpose() {
        Ok(custom) => custom,
        Err(message) => {
            eprintln!("kapforms: {message}");
            return ExitCode::from(2);
        }
    };
    let custom = match (custom, &thresholds) {
        (Some(questionnaire), Some(values)) => match configured(&questionnaire, values) {
            Ok(questionnaire) => Some(questionnaire),
            Err(message) => {
                eprintln!("kapforms: {message}");
                return ExitCode::from(2);
            }
        },
        (custom, _) => custom,
    };
    let mut definitions = Definitions::new(custom, thresholds);
    let mut worst = ExitCode::SUCCESS;
    let mut unreadable = false;
    let mut outcome = |name: &str, result: Result<(), Failure>| match result {
        Ok(()) => {}
        Err(Failure::Inconsistent) => worst = ExitCode::from(1),
        Err(Failure::Unreadable(message)) => {
            eprintln!("kapforms: {name}: {message}");
            unreadable = true;
        }
    };
    // One buffered writer for every response: printing line by line to the standard output
    // (line-buffered) cost a system call per line, the most of the time per response.
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if files.is_empty() || files == ["-"] {
        // One line buffer and one name buffer for every response: a new string per line
        // cost an allocation and a copy each.
        let mut input = std::io::stdin().lock();
        let mut line = String::new();
        let mut name = String::from("stdin:");
        let mut number: usize = 0;
        loop {
            line.clear();
            let read = std::io::BufRead::read_line(&mut input, &mut line);
            number += 1;
            name.truncate("stdin:".len());
            let _ = write!(name, "{number}");
            match read {
                Ok(0) => break,
                Ok(_) => {
                    // The line without its ending, as `BufRead::lines` gives it.
                    let text = match line.strip_suffix('\n') {
                        Some(text) => text.strip_suffix('\r').unwrap_or(text),
                        None => &line,
                    };
                    if !text.trim().is_empty() {
                        outcome(
                            &name,
                            score_text(&name, text, &mut definitions, json, &mut out),
                        );
                    }
                }
                Err(error) => {
                    outcome(&name, Err(Failure::Unreadable(error.to_string())));
                    // `lines()` went on after an error (a line that is not UTF-8); so
                    // does this, with the rest of the input.
                }
            }
        }
    } else {
        for file in &files {
            let result = read_text(file)
                .map_err(Failure::Unreadable)
                .and_then(|text| score_text(file, &text, &mut definitions, json, &mut out));
            outcome(file, result);
        }
    }
    if let Err(error) = out.flush() {
        eprintln!("kapforms: cannot write the output: {error}");
        unreadable = true;
    }
    if unreadable {
        ExitCode::from(2)
    } else {
        worst
    }
}

/// The definitions responses are scored against, each parsed, hashed and indexed once however
/// many responses use it (a [`Verifier`] each): the `--definition` one, else built-ins by
/// instrument id. A definition lives as long as the command, so each is leaked for the
/// verifier to borrow.
struct Definitions {
    custom: Option<Verifier<'static>>,
    thresholds: Option<ThresholdValues>,
    builtins: std::collections::HashMap<String, Result<Verifier<'static>, String>>,
}

impl Definitions {
    fn new(custom: Option<Questionnaire>, thresholds: Option<ThresholdValues>) -> Definitions {
        Definitions {
            custom: custom.map(|q| Verifier::new(Box::leak(Box::new(q)))),
            thresholds,
            builtins: std::collections::HashMap::new(),
        }
    }

    /// The verifier of `instrument`'s definition.
    fn get(&mut self, instrument: &str) -> Result<&Verifier<'static>, Failure> {
        if let Some(verifier) = &self.custom {
            return Ok(verifier);
        }
        let thresholds = &self.thresholds;
        let entry = self
            .builtins
            .entry(instrument.to_owned())
            .or_insert_with(|| match kapforms_instruments::load(instrument) {
                None => Err(format!(
                    "instrument `{instrument}` is not built in; pass --definition FILE"
                )),
                Some(Err(error)) => Err(error.to_string()),
                Some(Ok(questionnaire)) => {
                    let questionnaire = match thresholds {
                        Some(values) => configured(&questionnaire, values)?,
                        None => questionnaire,
                    };
                    Ok(Verifier::new(Box::leak(Box::new(questionnaire))))
                }
            });
        match entry {
            Ok(verifier) => Ok(verifier),
            Err(message) => Err(Failure::Unreadable(message.clone())),
        }
    }
}

/// A file's text; a file that is not UTF-8 is an error saying where (byte, line, column and
/// the JSON path of the value).
fn read_text(path: &str) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    kapforms_core::decode_utf8(&bytes)
        .map(str::to_owned)
        .map_err(|diagnostic| diagnostic.to_string())
}

/// The clinic's threshold values from a JSON file (`{"bp_monitor_systolic": 150}`).
fn read_thresholds(path: &str) -> Result<ThresholdValues, String> {
    let text = read_text(path).map_err(|e| format!("{path}: {e}"))?;
    kapforms_core::definition::parse_thresholds(&text).map_err(|e| format!("{path}: {e}"))
}

/// `questionnaire` with the clinic's threshold values; every problem is named with its path.
fn configured(
    questionnaire: &Questionnaire,
    values: &ThresholdValues,
) -> Result<Questionnaire, String> {
    questionnaire.with_thresholds(values).map_err(|problems| {
        let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
        format!(
            "the thresholds do not fit `{}`: {}",
            questionnaire.id,
            listed.join("; ")
        )
    })
}

fn read_definition(path: &str) -> Result<Questionnaire, String> {
    let text = read_text(path).map_err(|e| format!("{path}: {e}"))?;
    kapforms_instruments::parse(&text).map_err(|e| format!("{path}: {e}"))
}

fn score_text(
    file: &str,
    text: &str,
    definitions: &mut Definitions,
    json: bool,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let response = Response::from_json(text)
        .map_err(|d| Failure::Unreadable(format!("not a kapforms response: {d}")))?;
    let verifier = definitions.get(&response.instrument.id)?;
    let (questionnaire, content_hash) = (verifier.questionnaire(), verifier.content_hash());
    // The text report needs only the evaluation; `--json` prints the whole recomputed
    // response. Both run every check of the verification.
    let (written, content_hash_matches, mismatches) = if json {
        let verification = verifier.verify(&response);
        (
            writeln!(out, "{}", verification.recomputed.to_json()),
            verification.content_hash_matches,
            verification.mismatches,
        )
    } else {
        let rescore = verifier.rescore(&response);
        (
            write_scores(out, file, questionnaire, &response, &rescore.evaluation),
            rescore.content_hash_matches,
            rescore.mismatches,
        )
    };
    if !content_hash_matches {
        eprintln!(
            "kapforms: {file}: warning: the response was made with other content of `{}` \
             ({}); re-scored with {} {} ({})",
            questionnaire.id,
            response.instrument.content_hash,
            questionnaire.id,
            questionnaire.version,
            content_hash
        );
    }
    written.map_err(|error| Failure::Unreadable(format!("cannot write the output: {error}")))?;
    if mismatches.is_empty() {
        Ok(())
    } else {
        for mismatch in &mismatches {
            eprintln!("kapforms: {file}: MISMATCH: {mismatch}");
        }
        Err(Failure::Inconsistent)
    }
}

/// The text report of one re-scored response: its instrument and status, each score with its
/// band (or how incomplete it is), each raised flag. Read from the evaluation itself: the
/// recomputed response would only copy it.
fn write_scores(
    out: &mut impl Write,
    file: &str,
    questionnaire: &Questionnaire,
    response: &Response,
    evaluation: &Evaluation,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{file}: {} {} ({})",
        questionnaire.id,
        questionnaire.version,
        match response.status {
            kapforms_core::Status::Completed => "completed",
            kapforms_core::Status::InProgress => "in progress",
        }
    )?;
    for (id, value) in &evaluation.thresholds {
        writeln!(
            out,
            "  threshold {id} = {} (set by the clinic)",
            Number(*value)
        )?;
    }
    for section in &evaluation.withheld {
        writeln!(
            out,
            "  not asked: section {section} (the clinic has not supplied its licensed wording)"
        )?;
    }
    for score in &evaluation.scores {
        if !score.available {
            writeln!(
                out,
                "  {}: not available (its questions were not asked: licensed wording not supplied)",
                score.label
            )?;
            continue;
        }
        // Written piece by piece, with no string built for the numbers, the band or the
        // completeness.
        write!(
            out,
            "  {}: {} of {}",
            score.label,
            Number(score.value),
            Number(score.max),
        )?;
        if let Some(band) = &score.band {
            write!(out, ", {band}")?;
        }
        if !score.is_complete() {
            write!(
                out,
                " (incomplete: {} of {} answered)",
                score.answered, score.counted
            )?;
        }
        writeln!(out)?;
    }
    for flag in &evaluation.flags {
        writeln!(out, "  FLAG [{}] {}", flag.severity.as_str(), flag.label)?;
    }
    Ok(())
}

fn instruments() -> ExitCode {
    for builtin in kapforms_instruments::ALL {
        match kapforms_instruments::load(builtin.id)
            .unwrap_or_else(|| Questionnaire::from_json(builtin.json))
        {
            Ok(questionnaire) => {
                let licence = questionnaire
                    .provenance
                    .as_ref()
                    .map_or("(no licence recorded)", |p| p.licence.as_str());
                let skeleton = if questionnaire.restricted_text {
                    " [skeleton: the clinic supplies licensed wording]"
                } else {
                    ""
                };
                println!(
                    "{}\t{}\t{}{skeleton}\n\tlicence: {licence}",
                    questionnaire.id, questionnaire.version, questionnaire.title
                );
            }
            Err(error) => {
                eprintln!("kapforms: built-in {} is invalid: {error}", builtin.id);
                return ExitCode::from(1);
            }
        }
    }
    ExitCode::SUCCESS
}

/// `kapforms questionnaire [--canonical-base BASE] ID|DEFINITION.json`: the FHIR R4
/// Questionnaire of a built-in instrument or a definition file.
fn questionnaire(args: &[String]) -> ExitCode {
    let mut options = kapforms_core::fhir::ExportOptions::default();
    let mut source = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--canonical-base" => match rest.next() {
                Some(base) if !base.trim().is_empty() => options.canonical_base = base.clone(),
                _ => {
                    eprintln!("kapforms: --canonical-base needs a URL or URN");
                    return ExitCode::from(2);
                }
            },
            flag if flag.starts_with("--") => {
                eprintln!("kapforms: unknown option {flag}\n\n{USAGE}");
                return ExitCode::from(2);
            }
            _ if source.is_some() => {
                eprintln!("kapforms: questionnaire takes one instrument id or definition file");
                return ExitCode::from(2);
            }
            other => source = Some(other.to_owned()),
        }
    }
    let Some(source) = source else {
        eprintln!("kapforms: questionnaire needs an instrument id or a definition file\n\n{USAGE}");
        return ExitCode::from(2);
    };
    let definition = match kapforms_instruments::load(&source) {
        Some(Ok(definition)) => definition,
        Some(Err(error)) => {
            eprintln!("kapforms: built-in {source} is invalid: {error}");
            return ExitCode::from(1);
        }
        None if std::path::Path::new(&source).is_file() => match read_definition(&source) {
            Ok(definition) => definition,
            Err(message) => {
                eprintln!("kapforms: {message}");
                return ExitCode::from(1);
            }
        },
        None => {
            eprintln!(
                "kapforms: `{source}` is neither a built-in instrument nor a file \
                 (`kapforms instruments` lists the built-ins)"
            );
            return ExitCode::from(2);
        }
    };
    print_json(&kapforms_core::fhir::questionnaire_with(
        &definition,
        &options,
    ))
}

fn validate(files: &[String]) -> ExitCode {
    if files.is_empty() {
        eprintln!("kapforms: validate needs at least one definition file\n\n{USAGE}");
        return ExitCode::from(2);
    }
    let mut code = ExitCode::SUCCESS;
    for file in files {
        let text = match read_text(file) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("kapforms: {file}: {error}");
                code = ExitCode::from(2);
                continue;
            }
        };
        match kapforms_instruments::parse(&text) {
            Ok(questionnaire) => println!(
                "{file}: ok: {} {} ({} items, {} scores, {} flags)",
                questionnaire.id,
                questionnaire.version,
                questionnaire.items().count(),
                questionnaire.scores.len(),
                questionnaire.flags.len()
            ),
            Err(error) => {
                for diagnostic in error.diagnostics() {
                    eprintln!("{file}: {diagnostic}");
                }
                if code == ExitCode::SUCCESS {
                    code = ExitCode::from(1);
                }
            }
        }
    }
    code
}

fn print_json(value: &serde_json::Value) -> ExitCode {
    match serde_json::to_string_pretty(value) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("kapforms: {error}");
            ExitCode::from(1)
        }
    }
}
