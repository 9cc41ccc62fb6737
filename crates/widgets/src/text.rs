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
    /// Heading of the crisis resources.
    pub crisis_title: &'static str,
    /// Paragraphs of the crisis resources.
    pub crisis_body: &'static [&'static str],
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
        crisis_title: "You do not have to wait to get help",
        crisis_body: &[
            "You told us you have had thoughts of being better off dead or of hurting yourself. \
             Thank you for telling us. Your clinic will see this answer, but this form is not \
             watched in real time.",
            "If you might act on these thoughts, or you feel unsafe right now, call your local \
             emergency number (911 in the US and Canada, 999 in the UK, 112 in the European \
             Union) or go to the nearest emergency department.",
            "In the US you can call or text 988 at any hour to talk with someone at the 988 \
             Suicide & Crisis Lifeline. You can also call your clinic or your therapist now.",
        ],
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
