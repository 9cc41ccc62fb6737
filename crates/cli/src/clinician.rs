//! The clinician's commands: `kapforms report` writes the results summary that the
//! `<kap-results>` element shows as one self-contained HTML file (the same yew component,
//! rendered here to a string; inline CSS, no script, nothing fetched), `kapforms fhir`
//! converts a response between the native format and a FHIR R4 QuestionnaireResponse, and
//! `kapforms verify` re-scores responses and prints only what disagrees. All three read
//! native responses and FHIR QuestionnaireResponses alike, through the same review the
//! element uses (`kapforms_widgets::review`), and re-score with kapforms-core.

use std::process::ExitCode;
use std::rc::Rc;
use std::sync::Arc;

use kapforms_core::Questionnaire;
use kapforms_widgets::review::{
    DefinitionMatch, Definitions, Origin, ResponseInput, Review, Reviewed, Unreadable,
};
use kapforms_widgets::{Patient, ResultsProps, ResultsTexts, ResultsView, SharedReview};

/// Extra rules for the report as a page of its own (the widget's stylesheet comes first).
const REPORT_CSS: &str = "\
body { margin: 0; background: #fff; }
.kr-report .kr-root { max-width: 60rem; }
@page { margin: 14mm 12mm; }
";

/// The options every clinician command shares.
#[derive(Default)]
struct Common {
    /// Clinic definitions from `--definition FILE`.
    definitions: Vec<Arc<Questionnaire>>,
    /// The response files.
    files: Vec<String>,
}

/// Reads `--definition FILE` (repeatable) and the files; `extra` handles a command's own
/// options (it gets the option and the next argument, and says whether it took it).
fn parse_common(
    args: &[String],
    mut extra: impl FnMut(&str, Option<&String>) -> Result<bool, String>,
) -> Result<Common, String> {
    let mut common = Common::default();
    let mut rest = args.iter().peekable();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--definition" => {
                let path = rest.next().ok_or("--definition needs a file")?;
                let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
                let questionnaire =
                    kapforms_instruments::parse(&text).map_err(|e| format!("{path}: {e}"))?;
                common.definitions.push(Arc::new(questionnaire));
            }
            option if option.starts_with('-') && option.len() > 1 => {
                let value = rest.peek().copied();
                if extra(option, value)? {
                    rest.next();
                }
            }
            file => common.files.push(file.to_owned()),
        }
    }
    if common.files.is_empty() {
        return Err("no response file given".to_owned());
    }
    Ok(common)
}

/// Reads every file and reviews them; a file that cannot be read is listed as unreadable.
fn review_files(common: &Common) -> Review {
    let mut inputs = Vec::new();
    let mut failed = Vec::new();
    for file in &common.files {
        match std::fs::read_to_string(file) {
            Ok(text) => inputs.push(ResponseInput {
                source: file.clone(),
                text,
            }),
            Err(error) => failed.push(Unreadable {
                source: file.clone(),
                message: format!("cannot read the file: {error}"),
            }),
        }
    }
    let built_in = |id: &str| kapforms_instruments::load(id).and_then(Result::ok);
    let mut review = Review::new(
        &inputs,
        &Definitions {
            clinic: &common.definitions,
            built_in: &built_in,
        },
    );
    review.unreadable.extend(failed);
    review
}

/// An option's value, or why it is missing.
fn value_of(option: &str, value: Option<&String>) -> Result<String, String> {
    value
        .cloned()
        .ok_or_else(|| format!("{option} needs a value"))
}

/// `kapforms report [OPTIONS] FILE...`: the summary as a self-contained HTML file.
pub fn report(args: &[String]) -> ExitCode {
    let mut output: Option<String> = None;
    let mut patient = Patient::default();
    let mut date: Option<String> = None;
    let parsed = parse_common(args, |option, value| {
        match option {
            "-o" | "--output" => output = Some(value_of(option, value)?),
            "--patient-name" => patient.name = Some(value_of(option, value)?),
            "--patient-dob" => patient.date_of_birth = Some(value_of(option, value)?),
            "--patient-id" => patient.id = Some(value_of(option, value)?),
            "--date" => date = Some(value_of(option, value)?),
            other => return Err(format!("unknown option {other}")),
        }
        Ok(true)
    });
    let common = match parsed {
        Ok(common) => common,
        Err(message) => return usage_error(&message),
    };
    let review = review_files(&common);
    for line in warnings(&review) {
        eprintln!("kapforms: {line}");
    }
    let html = render_report(review, patient, date.unwrap_or_else(today));
    match output {
        Some(path) => match std::fs::write(&path, html) {
            Ok(()) => {
                eprintln!("kapforms: wrote {path}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("kapforms: {path}: {error}");
                ExitCode::from(2)
            }
        },
        None => {
            print!("{html}");
            ExitCode::SUCCESS
        }
    }
}

/// The report document: the results view rendered to HTML inside a page with the widget's
/// stylesheet inlined. Text is escaped by the renderer; nothing refers outside the file.
fn render_report(review: Review, patient: Patient, prepared_on: String) -> String {
    let title = match &patient.name {
        Some(name) => format!("Questionnaire results · {name} · {prepared_on}"),
        None => format!("Questionnaire results · {prepared_on}"),
    };
    let props = ResultsProps {
        review: SharedReview(Rc::new(review)),
        patient,
        prepared_on: prepared_on.into(),
        texts: ResultsTexts::default(),
    };
    let body = render_view(props);
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{}\n{}\n{REPORT_CSS}</style>\n</head>\n\
         <body class=\"kr-report\">\n{body}\n</body>\n</html>\n",
        escape(&title),
        kapforms_widgets::STYLESHEET.replace("</", "<\\/"),
        kapforms_widgets::RESULTS_STYLESHEET.replace("</", "<\\/"),
    )
}

/// Renders the view with yew's server-side renderer on a one-thread runtime.
fn render_view(props: ResultsProps) -> String {
    let runtime = match tokio::runtime::Builder::new_current_thread().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            return format!(
                "<p>the report could not be rendered: {}</p>",
                escape(&error.to_string())
            )
        }
    };
    let local = tokio::task::LocalSet::new();
    local.block_on(
        &runtime,
        yew::LocalServerRenderer::<ResultsView>::with_props(props)
            .hydratable(false)
            .render(),
    )
}

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Today's date (UTC) from the system clock, `YYYY-MM-DD`.
fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// What a reader must know about each response beyond its mismatches: other definition
/// content, an unknown definition, an unreadable file.
fn warnings(review: &Review) -> Vec<String> {
    let mut lines = Vec::new();
    for response in &review.responses {
        let instrument = &response.stored.instrument;
        match response.matched {
            DefinitionMatch::Same => {}
            DefinitionMatch::Different => lines.push(format!(
                "{}: warning: made with other content of `{}` (version {}{}); re-scored with \
                 version {}",
                response.source,
                instrument.id,
                instrument.version,
                if instrument.content_hash.is_empty() {
                    String::new()
                } else {
                    format!(", {}", instrument.content_hash)
                },
                response
                    .definition
                    .as_ref()
                    .map_or("?", |q| q.version.as_str())
            )),
            DefinitionMatch::Unknown => lines.push(format!(
                "{}: definition unknown: `{}` {} is not built in; pass --definition FILE",
                response.source, instrument.id, instrument.version
            )),
        }
    }
    for unreadable in &review.unreadable {
        lines.push(format!("{}: {}", unreadable.source, unreadable.message));
    }
    lines
}

/// `kapforms verify [--definition FILE]... FILE...`: prints only the mismatches; exit 1 on
/// any, 2 when a file cannot be read or its definition is unknown.
pub fn verify(args: &[String]) -> ExitCode {
    let common = match parse_common(args, |option, _| Err(format!("unknown option {option}"))) {
        Ok(common) => common,
        Err(message) => return usage_error(&message),
    };
    let review = review_files(&common);
    let mut code = ExitCode::SUCCESS;
    for response in &review.responses {
        for mismatch in response.mismatches() {
            println!("{}: MISMATCH: {mismatch}", response.source);
            code = ExitCode::from(1);
        }
    }
    for line in warnings(&review) {
        eprintln!("kapforms: {line}");
    }
    let unchecked = review
        .responses
        .iter()
        .any(|response| response.matched == DefinitionMatch::Unknown);
    if unchecked || !review.unreadable.is_empty() {
        return ExitCode::from(2);
    }
    code
}

/// `kapforms fhir [--definition FILE]... FILE`: a native response becomes a FHIR R4
/// QuestionnaireResponse; a FHIR QuestionnaireResponse becomes a native response, re-scored.
/// Exit 1 when the stored scores disagreed with the answers (the output carries the
/// recomputed ones), 2 when the file cannot be read.
pub fn fhir(args: &[String]) -> ExitCode {
    let common = match parse_common(args, |option, _| Err(format!("unknown option {option}"))) {
        Ok(common) if common.files.len() == 1 => common,
        Ok(_) => return usage_error("fhir converts one file"),
        Err(message) => return usage_error(&message),
    };
    let review = review_files(&common);
    if let Some(unreadable) = review.unreadable.first() {
        eprintln!("kapforms: {}: {}", unreadable.source, unreadable.message);
        return ExitCode::from(2);
    }
    let mut code = ExitCode::SUCCESS;
    let mut out = Vec::new();
    for response in &review.responses {
        match convert(response) {
            Ok(value) => out.push(value),
            Err(message) => {
                eprintln!("kapforms: {}: {message}", response.source);
                return ExitCode::from(2);
            }
        }
        for mismatch in response.mismatches() {
            eprintln!("kapforms: {}: MISMATCH: {mismatch}", response.source);
            code = ExitCode::from(1);
        }
    }
    for line in warnings(&review) {
        eprintln!("kapforms: {line}");
    }
    let value = match <[serde_json::Value; 1]>::try_from(out) {
        Ok([one]) => one,
        Err(many) => serde_json::Value::Array(many),
    };
    match serde_json::to_string_pretty(&value) {
        Ok(text) => println!("{text}"),
        Err(error) => {
            eprintln!("kapforms: {error}");
            return ExitCode::from(2);
        }
    }
    code
}

/// One response in the other format.
fn convert(response: &Reviewed) -> Result<serde_json::Value, String> {
    let (Some(definition), Some(verification)) = (&response.definition, &response.verification)
    else {
        return Err(format!(
            "definition unknown: `{}` is not built in; pass --definition FILE",
            response.stored.instrument.id
        ));
    };
    Ok(match response.origin {
        Origin::Native => kapforms_core::fhir::questionnaire_response(definition, &response.stored),
        Origin::Fhir => {
            serde_json::to_value(&verification.recomputed).map_err(|error| error.to_string())?
        }
    })
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("kapforms: {message}\n\n{}", crate::USAGE);
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("<a href=\"x\">&</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn today_is_a_date() {
        let date = today();
        assert_eq!(date.len(), 10, "{date}");
        assert!(date.starts_with("20"), "{date}");
    }
}
