//! Diagnostics: what is wrong with a definition, a response or an answer, and where. Every
//! error this crate returns names the JSON path of the problem (`sections[1].items[0].id`), so a
//! clinic's web admin can find and fix it without reading our code.

use std::fmt;

/// One problem at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// JSON path of the problem, e.g. `scores[0].bands[2].min`; `.` for the whole document.
    pub path: String,
    /// What is wrong, in plain words.
    pub message: String,
}

/// The longest path or message a diagnostic keeps, in characters: hostile input (a 10 MB
/// string) must not turn into a 10 MB error message on the page or the terminal.
pub const MAX_DIAGNOSTIC_CHARS: usize = 400;

/// `text` cut to [`MAX_DIAGNOSTIC_CHARS`] characters, marked with `…` when cut.
pub fn bounded(text: &str) -> String {
    match text.char_indices().nth(MAX_DIAGNOSTIC_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// A value quoted in a message: cut to 60 characters, so the rest of the message survives.
pub fn quoted(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

impl Diagnostic {
    /// A diagnostic at `path`; an overlong path or message is cut (see [`bounded`]).
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        let (path, message) = (path.into(), message.into());
        Diagnostic {
            path: if path.chars().count() > MAX_DIAGNOSTIC_CHARS {
                bounded(&path)
            } else {
                path
            },
            message: if message.chars().count() > MAX_DIAGNOSTIC_CHARS {
                bounded(&message)
            } else {
                message
            },
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// Why a definition could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefinitionError {
    /// The text is not JSON of the definition's shape.
    Parse(Diagnostic),
    /// The definition parsed but is inconsistent; every problem found is listed.
    Invalid(Vec<Diagnostic>),
}

impl DefinitionError {
    /// Every diagnostic, whichever the kind of error.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            DefinitionError::Parse(one) => vec![one.clone()],
            DefinitionError::Invalid(all) => all.clone(),
        }
    }
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DefinitionError::Parse(diagnostic) => {
                write!(f, "the definition could not be read: {diagnostic}")
            }
            DefinitionError::Invalid(problems) => {
                write!(f, "the definition has {} problem(s):", problems.len())?;
                for problem in problems {
                    write!(f, "\n  {problem}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for DefinitionError {}
