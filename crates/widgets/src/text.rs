//! The words the widget itself says (not the instrument's): buttons, the running total, the
//! error summary, crisis resources. All of it is our own prose. Every string a patient reads
//! comes from a [`Texts`] value, so a translation replaces one value.

/// The interface strings, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts {
    /// The submit button.
    pub submit: &'static str,
    /// Before the running total.
    pub total_before: &'static str,
    /// Between the running total and its maximum ("of").
    pub total_of: &'static str,
    /// Heading of the error summary.
    pub error_summary_title: &'static str,
    /// Prefix of each error summary entry.
    pub error_answer_prefix: &'static str,
    /// Inline message on an unanswered required question.
    pub error_required: &'static str,
    /// Yes, for yes/no questions.
    pub yes: &'static str,
    /// No, for yes/no questions.
    pub no: &'static str,
    /// Shown once the answers are submitted.
    pub submitted_title: &'static str,
    /// Under the submitted title.
    pub submitted_body: &'static str,
    /// Marks an optional question.
    pub optional: &'static str,
}

impl Texts {
    /// English.
    pub const ENGLISH: Texts = Texts {
        submit: "Submit my answers",
        total_before: "Total so far:",
        total_of: "of",
        error_summary_title: "Some answers are missing",
        error_answer_prefix: "Please answer:",
        error_required: "Please choose an answer to this question.",
        yes: "Yes",
        no: "No",
        submitted_title: "Thank you. Your answers have been submitted.",
        submitted_body: "Your clinic will go through them with you.",
        optional: "(optional)",
    };
}

impl Default for Texts {
    fn default() -> Texts {
        Texts::ENGLISH
    }
}
