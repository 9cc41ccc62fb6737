//! The words of the elements themselves rather than of a form: why a questionnaire could not
//! be shown, the message after a crash, the results element's file controls. The embed crate
//! and `kapforms.js` show them; they live in the message catalogue (`page-` messages) with
//! the rest. `{…}` placeholders are filled by the caller.

use crate::text::Language;

/// The elements' strings, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageTexts {
    /// The module could not be loaded (shown by kapforms.js, which keeps its own copy).
    pub load_failed: &'static str,
    /// The results module could not be loaded (kapforms.js's copy too).
    pub results_load_failed: &'static str,
    /// After a crash: the heading.
    pub crash_title: &'static str,
    /// After a crash: the answers are safe; what to do.
    pub crash_body: &'static str,
    /// After a crash: the download button.
    pub crash_download: &'static str,
    /// The results element's file picker label.
    pub open_files: &'static str,
    /// Beside it: files can be dropped, and are never uploaded.
    pub drop_hint: &'static str,
    /// The results element's print button.
    pub print: &'static str,
    /// A built-in's definition has errors: `{instrument}`.
    pub definition_errors_named: &'static str,
    /// No built-in has this id: `{instrument}`.
    pub unknown_instrument: &'static str,
    /// The built-ins: `{list}`.
    pub available: &'static str,
    /// A clinic's definition has errors.
    pub definition_errors: &'static str,
    /// The page gave invalid options.
    pub invalid_options: &'static str,
    /// The clinic's text pack does not fit the definition.
    pub invalid_text_pack: &'static str,
    /// A licensed skeleton has no wording yet: `{title}`.
    pub licensed_missing: &'static str,
    /// What the clinic must supply: `{list}`.
    pub licensed_missing_detail: &'static str,
    /// The results view was given options it could not use.
    pub results_options: &'static str,
    /// Some responses could not be read.
    pub results_unreadable: &'static str,
}

impl PageTexts {
    /// The elements' strings in `language`.
    pub fn of(language: Language) -> PageTexts {
        match language {
            Language::English => PageTexts::ENGLISH,
            Language::Spanish => PageTexts::SPANISH,
        }
    }
}
