//! The words of the clinician's results view (not the instruments'): headings, integrity
//! warnings, severity names, table headers. All of it is our own prose, in one [`ResultsTexts`]
//! value, so a translation replaces one value. `{…}` placeholders are filled by the view.

use kapforms_core::Severity;

use crate::text::Texts;

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
    /// The form's own strings (yes/no in answers).
    pub form: Texts,
}

impl ResultsTexts {
    /// English.
    pub const ENGLISH: ResultsTexts = ResultsTexts {
        title: "Questionnaire results",
        patient_name: "Patient",
        date_of_birth: "Date of birth",
        patient_id: "Patient ID",
        prepared: "Prepared",
        responses_heading: "Responses and instrument versions",
        empty: "No responses loaded yet. Open response files (.json) or drop them here: they \
                are read in this browser and never uploaded.",
        attention_heading: "Check before relying on these results",
        banner_more: "The details follow the flags. Scores and flags on this page are \
                      recomputed from the answers.",
        mismatch_title: "Scores do not match the answers",
        mismatch_body: "The scores, bands or flags stored with this response differ from what \
                        its answers give. This page shows the values recomputed from the \
                        answers.",
        different_title: "Different definition version",
        different_body: "This response was made with other content of “{id}” ({stored}); it \
                         was re-scored with version {used}, so recomputed values may differ \
                         for that reason.",
        unknown_title: "Definition unknown",
        unknown_body: "This response is for “{id}” version {version}, a definition not known \
                       here. Its scores and flags are shown as stored and could not be \
                       checked.",
        unreadable_title: "Could not be read",
        verified: "Matches its answers",
        fhir_note: "Read from a FHIR QuestionnaireResponse: its version was checked (FHIR \
                    carries no content hash) and its flags recomputed.",
        urgent_heading: "Safety and exclusion flags",
        review_heading: "Medical clearance and monitoring",
        info_heading: "For information",
        none_raised: "None raised.",
        raised_by: "Answers that raised it",
        scores_tested: "Scores tested",
        found: "Found",
        rule_source: "Source of the rule",
        as_stored: "As stored; not checked",
        scores_heading: "Scale scores",
        col_score: "Score",
        col_value: "Value",
        col_range: "Range",
        col_band: "Band",
        col_bands: "Bands",
        col_check: "Check",
        col_instrument: "Instrument and version",
        col_status: "Status",
        col_source: "Source",
        col_date: "Date",
        col_note: "Note",
        stored_as: "stored as {stored}",
        incomplete: "incomplete: {answered} of {counted} answered",
        prorated: "prorated for missing answers",
        not_available:
            "not available: not asked, because the clinic has not supplied the licensed wording",
        no_band: "—",
        trends_heading: "Trends",
        trend_desc: "{label} from {from} to {to}: {values}.",
        trend_table: "{label} by date",
        readiness_heading: "Motivation and readiness",
        gaps: "Gaps",
        no_gaps: "No gaps raised.",
        answers_heading: "All answers",
        not_answered: "Not answered",
        declined: "Prefer not to say",
        of: "of",
        completed: "Completed",
        in_progress: "In progress, not submitted",
        form: Texts::ENGLISH,
    };

    /// The name of a flag severity.
    pub fn severity(&self, severity: Severity) -> &'static str {
        match severity {
            Severity::Safety => "Safety",
            Severity::ExcludePendingReview => "Exclude pending clinician review",
            Severity::MedicalClearance => "Needs medical clearance",
            Severity::Monitor => "Monitor",
            Severity::Info => "Information",
        }
    }
}

impl Default for ResultsTexts {
    fn default() -> ResultsTexts {
        ResultsTexts::ENGLISH
    }
}
