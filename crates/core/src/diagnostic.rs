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

impl Diagnostic {
    /// A diagnostic at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            path: path.into(),
            message: message.into(),
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
