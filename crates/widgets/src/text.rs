//! The words the widget itself says (not the instrument's): buttons, the running total, the
//! error summary, crisis resources. All of it is our own prose, kept in the message catalogue
//! (`locales/<lang>.ftl`, the `form-` messages), which `build.rs` compiles into one [`Texts`]
//! constant per language ([`Texts::ENGLISH`], [`Texts::SPANISH`]); [`Language`] picks one.

use kapforms_core::placeholders::fill;

/// A language the widgets ship in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    /// English (`en`), the default.
    #[default]
    English,
    /// Spanish (`es`).
    Spanish,
}

impl Language {
    /// Every shipped language.
    pub const ALL: [Language; 2] = [Language::English, Language::Spanish];

    /// The language for a BCP 47 tag (`es`, `es-MX`, `EN-us`, ...): by its primary subtag,
    /// English when not shipped.
    pub fn from_tag(tag: &str) -> Language {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("es") {
            Language::Spanish
        } else {
            Language::English
        }
    }

    /// The language's BCP 47 tag (`en`, `es`), as `lang` attributes and responses write it.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Spanish => "es",
        }
    }

    /// The form's strings in this language. Components take the [`Language`] as a prop and
    /// look the strings up here, so that comparing props compares one small value, not every
    /// string (which was also about 0.8 KB of the patient's module).
    pub fn texts(self) -> &'static Texts {
        match self {
            Language::English => &Texts::ENGLISH,
            Language::Spanish => &Texts::SPANISH,
        }
    }
}

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
    /// Shown above a validated questionnaire that has no official translation into the
    /// patient's language, so it is shown in English.
    pub english_only: &'static str,
    /// Default crisis resources: the heading.
    pub crisis_title: &'static str,
    /// Default crisis resources: what the patient told us, and that nobody watches live.
    pub crisis_told: &'static str,
    /// Default crisis resources: emergency services (US).
    pub crisis_emergency: &'static str,
    /// Default crisis resources: the 988 Lifeline (US).
    pub crisis_lifeline: &'static str,
}

impl Texts {
    /// "Step n of m".
    pub fn step_of(&self, n: usize, m: usize) -> String {
        fill(self.step, &|name| match name {
            "n" => Some(n.to_string()),
            "m" => Some(m.to_string()),
            _ => None,
        })
    }

    /// The heading of row `n` of a repeating group.
    pub fn row_title(&self, item: &str, n: usize) -> String {
        fill(self.row, &|name| match name {
            "item" => Some(item.to_owned()),
            "n" => Some(n.to_string()),
            _ => None,
        })
    }

    /// "It takes about n minutes".
    pub fn time_estimate(&self, minutes: u32) -> String {
        if minutes <= 1 {
            self.start_time_one.to_owned()
        } else {
            fill(self.start_time, &|name| {
                (name == "n").then(|| minutes.to_string())
            })
        }
    }
}

impl Default for Texts {
    fn default() -> Texts {
        Texts::ENGLISH
    }
}
