//! The words of the clinician's results view (not the instruments'): headings, integrity
//! warnings, severity names, table headers. All of it is our own prose, in the message
//! catalogue (`locales/<lang>.ftl`, the `results-` messages), compiled into one
//! [`ResultsTexts`] constant per language. `{…}` placeholders are filled by the view.

use kapforms_core::Severity;

use crate::text::{Language, Texts};

/// The results view's strings, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultsTexts {
    /// The page heading.
    pub title: &'static str,
    /// Patient name label.
    pub patient_name: &'static str,
    /// Date of birth label.
    pub date_of_birth: &'static str,
    /// Patient identifier label.
    pub patient_id: &'static str,
    /// Date the summary was prepared label.
    pub prepared: &'static str,
    /// Heading of the list of responses and instrument versions.
    pub responses_heading: &'static str,
    /// Shown when nothing is loaded.
    pub empty: &'static str,
    /// Heading of the integrity warnings.
    pub attention_heading: &'static str,
    /// Under the banner's list: where the details are.
    pub banner_more: &'static str,
    /// The tampering warning's heading.
    pub mismatch_title: &'static str,
    /// Under it.
    pub mismatch_body: &'static str,
    /// Heading of a response re-scored with other definition content.
    pub different_title: &'static str,
    /// Under it: `{id}`, `{stored}` (version and hash), `{used}` (version).
    pub different_body: &'static str,
    /// Heading of a response whose definition is unknown.
    pub unknown_title: &'static str,
    /// Under it: `{id}`, `{version}`.
    pub unknown_body: &'static str,
    /// Heading of an input that could not be read.
    pub unreadable_title: &'static str,
    /// A consistent response's mark.
    pub verified: &'static str,
    /// A FHIR response's note: it carries the version, not the content hash.
    pub fhir_note: &'static str,
    /// Heading of the safety and exclusion flags.
    pub urgent_heading: &'static str,
    /// Heading of the medical clearance and monitoring flags.
    pub review_heading: &'static str,
    /// Heading of information flags.
    pub info_heading: &'static str,
    /// No flag of a group was raised.
    pub none_raised: &'static str,
    /// Before the answers that raised a flag.
    pub raised_by: &'static str,
    /// Before the scores a flag tested.
    pub scores_tested: &'static str,
    /// Before a flag's findings (e.g. matched medicine names).
    pub found: &'static str,
    /// Before the citations of a rule.
    pub rule_source: &'static str,
    /// A flag shown as stored (its definition unknown).
    pub as_stored: &'static str,
    /// Heading of the scale scores.
    pub scores_heading: &'static str,
    /// Score table: the score.
    pub col_score: &'static str,
    /// Score table: the value.
    pub col_value: &'static str,
    /// Score table: the possible range.
    pub col_range: &'static str,
    /// Score table: the band.
    pub col_band: &'static str,
    /// Score table: every band of the rule.
    pub col_bands: &'static str,
    /// Score table: whether the response matches its answers.
    pub col_check: &'static str,
    /// Responses table: the instrument.
    pub col_instrument: &'static str,
    /// Responses table: the status.
    pub col_status: &'static str,
    /// Responses table: where the response came from.
    pub col_source: &'static str,
    /// Trend table: the date.
    pub col_date: &'static str,
    /// Trend table: notes.
    pub col_note: &'static str,
    /// After a recomputed value whose stored value differs: `{stored}`.
    pub stored_as: &'static str,
    /// An incomplete score: `{answered}`, `{counted}`.
    pub incomplete: &'static str,
    /// A prorated score.
    pub prorated: &'static str,
    /// A score whose questions were withheld: the clinic has not supplied their licensed
    /// wording, so they were not asked.
    pub not_available: &'static str,
    /// No band (incomplete, or the rule has none).
    pub no_band: &'static str,
    /// Heading of the trends.
    pub trends_heading: &'static str,
    /// Chart description: `{label}`, `{from}`, `{to}`, `{values}`.
    pub trend_desc: &'static str,
    /// Trend table caption: `{label}`.
    pub trend_table: &'static str,
    /// Heading of motivation and readiness.
    pub readiness_heading: &'static str,
    /// Before a readiness response's flags.
    pub gaps: &'static str,
    /// A readiness response raised no flag.
    pub no_gaps: &'static str,
    /// Heading of all answers.
    pub answers_heading: &'static str,
    /// An unanswered question.
    pub not_answered: &'static str,
    /// A declined answer's mark.
    pub declined: &'static str,
    /// "of", between a value and its maximum.
    pub of: &'static str,
    /// Completed (status).
    pub completed: &'static str,
    /// In progress (status).
    pub in_progress: &'static str,
    /// A definition version: `{version}`.
    pub version: &'static str,
    /// Severity name: safety.
    pub severity_safety: &'static str,
    /// Severity name: exclude pending clinician review.
    pub severity_exclude: &'static str,
    /// Severity name: needs medical clearance.
    pub severity_clearance: &'static str,
    /// Severity name: monitor.
    pub severity_monitor: &'static str,
    /// Severity name: information.
    pub severity_info: &'static str,
    /// The form's own strings (yes/no in answers).
    pub form: Texts,
}

impl ResultsTexts {
    /// The results view's strings in `language`.
    pub fn of(language: Language) -> ResultsTexts {
        match language {
            Language::English => ResultsTexts::ENGLISH,
            Language::Spanish => ResultsTexts::SPANISH,
        }
    }

    /// The name of a flag severity.
    pub fn severity(&self, severity: Severity) -> &'static str {
        match severity {
            Severity::Safety => self.severity_safety,
            Severity::ExcludePendingReview => self.severity_exclude,
            Severity::MedicalClearance => self.severity_clearance,
            Severity::Monitor => self.severity_monitor,
            Severity::Info => self.severity_info,
        }
    }
}

impl Default for ResultsTexts {
    fn default() -> ResultsTexts {
        ResultsTexts::ENGLISH
    }
}
