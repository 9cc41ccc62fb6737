//! `kapforms`: the native command for host systems. `kapforms score FILE...` reads native
//! responses, re-scores each from its answers with kapforms-core (against the built-in
//! definition of its instrument, or `--definition FILE`), prints the scores, and exits non-zero
//! when a stored score, band or flag disagrees with the answers, naming which.
//!
//! Exit codes: 0 every response is consistent; 1 at least one disagrees; 2 a file could not be
//! read or parsed, or the command line is wrong.

use std::process::ExitCode;

use kapforms_core::{verify, Questionnaire, Response};

const USAGE: &str = "\
kapforms: score and verify kapforms questionnaire responses

USAGE:
    kapforms score [--definition FILE] [--json] RESPONSE.json...
    kapforms instruments
    kapforms --help

score        Re-score each native response (format v1) from its answers and print the
             scores; exit 1 if any stored score, band or flag differs from the answers.
             --definition FILE   score against this definition instead of the built-in one
             --json              print the re-scored response as JSON instead of text
instruments  List the built-in instruments.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("score") => score(&args[1..]),
        Some("instruments") => {
            for id in kapforms_instruments::ids() {
                println!("{id}");
            }
            ExitCode::SUCCESS
        }
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
            "--json" => json = true,
            flag if flag.starts_with("--") => {
                eprintln!("kapforms: unknown option {flag}\n\n{USAGE}");
                return ExitCode::from(2);
            }
            file => files.push(file.to_owned()),
        }
    }
    if files.is_empty() {
        eprintln!("kapforms: score needs at least one response file\n\n{USAGE}");
        return ExitCode::from(2);
    }
    let custom = match definition_path.as_deref().map(read_definition).transpose() {
        Ok(custom) => custom,
        Err(message) => {
            eprintln!("kapforms: {message}");
            return ExitCode::from(2);
        }
    };
    let mut worst = ExitCode::SUCCESS;
    let mut unreadable = false;
    for file in &files {
        match score_file(file, custom.as_ref(), json) {
            Ok(()) => {}
            Err(Failure::Inconsistent) => worst = ExitCode::from(1),
            Err(Failure::Unreadable(message)) => {
                eprintln!("kapforms: {file}: {message}");
                unreadable = true;
            }
        }
    }
    if unreadable {
        ExitCode::from(2)
    } else {
        worst
    }
}

fn read_definition(path: &str) -> Result<Questionnaire, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    Questionnaire::from_json(&text).map_err(|e| format!("{path}: {e}"))
}

fn score_file(file: &str, custom: Option<&Questionnaire>, json: bool) -> Result<(), Failure> {
    let text = std::fs::read_to_string(file).map_err(|e| Failure::Unreadable(e.to_string()))?;
    let response = Response::from_json(&text)
        .map_err(|d| Failure::Unreadable(format!("not a kapforms response: {d}")))?;
    let builtin;
    let questionnaire = match custom {
        Some(questionnaire) => questionnaire,
        None => {
            builtin = kapforms_instruments::load(&response.instrument.id)
                .ok_or_else(|| {
                    Failure::Unreadable(format!(
                        "instrument `{}` is not built in; pass --definition FILE",
                        response.instrument.id
                    ))
                })?
                .map_err(|e| Failure::Unreadable(e.to_string()))?;
            &builtin
        }
    };
    let verification = verify(questionnaire, &response);
    if !verification.content_hash_matches {
        eprintln!(
            "kapforms: {file}: warning: the response was made with other content of `{}` \
             ({}); re-scored with {} {} ({})",
            questionnaire.id,
            response.instrument.content_hash,
            questionnaire.id,
            questionnaire.version,
            questionnaire.content_hash()
        );
    }
    if json {
        println!("{}", verification.recomputed.to_json());
    } else {
        println!(
            "{file}: {} {} ({})",
            questionnaire.id,
            questionnaire.version,
            match response.status {
                kapforms_core::Status::Completed => "completed",
                kapforms_core::Status::InProgress => "in progress",
            }
        );
        for score in &verification.recomputed.scores {
            println!(
                "  {}: {} of {}{}{}",
                score.label,
                kapforms_core::number::display(score.value),
                kapforms_core::number::display(score.max),
                score
                    .band
                    .as_ref()
                    .map_or(String::new(), |b| format!(", {b}")),
                if score.complete {
                    String::new()
                } else {
                    format!(
                        " (incomplete: {} of {} answered)",
                        score.answered, score.counted
                    )
                }
            );
        }
        for flag in &verification.recomputed.flags {
            println!("  FLAG [{}] {}", flag.severity.as_str(), flag.label);
        }
    }
    if verification.is_consistent() {
        Ok(())
    } else {
        for mismatch in &verification.mismatches {
            eprintln!("kapforms: {file}: MISMATCH: {mismatch}");
        }
        Err(Failure::Inconsistent)
    }
}
