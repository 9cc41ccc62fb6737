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
    /// The button that moves on from a section.
    pub next: &'static str,
    /// The button that goes back a page.
    pub back: &'static str,
    /// The start page's button.
    pub start: &'static str,
    /// Progress: `{n}` and `{m}` are replaced ("Step 2 of 3").
    pub step: &'static str,
    /// Start page: who reads the answers.
    pub start_who: &'static str,
    /// Start page: how long it takes; `{n}` is replaced by minutes.
    pub start_time: &'static str,
    /// Start page: how long it takes, when about one minute.
    pub start_time_one: &'static str,
    /// Start page: not monitored in real time, and where to get urgent help.
    pub start_urgent: &'static str,
    /// Start page: the answers are kept in this browser until submitted.
    pub start_privacy: &'static str,
    /// Heading of the "check your answers" page.
    pub review_title: &'static str,
    /// Under that heading.
    pub review_intro: &'static str,
    /// The change link beside each answer; the question is added for screen readers.
    pub change: &'static str,
    /// In place of an answer not given.
    pub not_answered: &'static str,
    /// Heading of the patient's copy after submitting.
    pub copy_title: &'static str,
    /// The button that prints (or saves as PDF) the patient's copy.
    pub print: &'static str,
    /// A repeating group's row heading: `{item}` and `{n}` are replaced.
    pub row: &'static str,
    /// The button that adds a row.
    pub add_row: &'static str,
    /// The button that removes a row.
    pub remove_row: &'static str,
    /// The empty first choice of a select.
    pub choose: &'static str,
    /// Inline message on a repeating group with a row missing a required field.
    pub error_rows: &'static str,
    /// Drafts: earlier answers were restored on this device.
    pub draft_restored: &'static str,
    /// Drafts: this device cannot keep progress; the form still works.
    pub draft_unavailable: &'static str,
    /// Drafts: the patient's answers were cleared.
    pub draft_cleared: &'static str,
    /// Drafts: beside the clear button, what is kept and for how long.
    pub draft_kept: &'static str,
    /// Drafts: the button that clears every answer (after a confirmation).
    pub clear_answers: &'static str,
    /// Drafts: the confirmation's question.
    pub clear_confirm_title: &'static str,
    /// Drafts: what clearing does.
    pub clear_confirm_body: &'static str,
    /// Drafts: the button that confirms clearing.
    pub clear_confirm_yes: &'static str,
    /// Drafts: the button that keeps the answers.
    pub clear_confirm_no: &'static str,
}

impl Texts {
    /// "Step n of m".
    pub fn step_of(&self, n: usize, m: usize) -> String {
        self.step
            .replace("{n}", &n.to_string())
            .replace("{m}", &m.to_string())
    }

    /// The heading of row `n` of a repeating group.
    pub fn row_title(&self, item: &str, n: usize) -> String {
        self.row
            .replace("{item}", item)
            .replace("{n}", &n.to_string())
    }

    /// "It takes about n minutes".
    pub fn time_estimate(&self, minutes: u32) -> String {
        if minutes <= 1 {
            self.start_time_one.to_owned()
        } else {
            self.start_time.replace("{n}", &minutes.to_string())
        }
    }
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
        submitted_body: "Your clinic's care team will read them and go through them with you.",
        optional: "(optional)",
        next: "Continue",
        back: "Back",
        start: "Start now",
        step: "Step {n} of {m}",
        start_who: "Your answers go to your clinic's care team, who will read them before your \
                    appointment and talk them through with you.",
        start_time: "It takes about {n} minutes. You can go back and change any answer before \
                     you submit.",
        start_time_one: "It takes about a minute. You can go back and change any answer before \
                         you submit.",
        start_urgent: "Nobody watches this form as you fill it in. If you need help urgently, \
                       call 911, or call or text 988 at any hour.",
        start_privacy: "Your answers stay in this browser until you submit them.",
        review_title: "Check your answers",
        review_intro: "Read your answers. You can change any of them before you submit.",
        change: "Change",
        not_answered: "Not answered",
        copy_title: "Your answers",
        print: "Print or save a copy",
        row: "{item}: entry {n}",
        add_row: "Add another",
        remove_row: "Remove",
        choose: "Choose…",
        error_rows: "Please fill in the required details of each entry, or remove it.",
        draft_restored: "Welcome back. The answers you gave earlier on this device are here, and \
                         you are on the page where you left off.",
        draft_unavailable: "This device cannot keep your progress, so your answers will not be \
                            kept if you close or reload this page. You can still fill in and \
                            submit the form as usual.",
        draft_cleared: "Your answers have been cleared from this form and from this device.",
        draft_kept: "Your answers are kept on this device, encrypted, until you submit or \
                     clear them.",
        clear_answers: "Clear my answers",
        clear_confirm_title: "Clear all your answers?",
        clear_confirm_body: "This empties the form and removes the answers kept on this \
                             device. It cannot be undone.",
        clear_confirm_yes: "Yes, clear my answers",
        clear_confirm_no: "No, keep my answers",
    };
}

impl Default for Texts {
    fn default() -> Texts {
        Texts::ENGLISH
    }
}
