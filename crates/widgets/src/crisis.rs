//! [`crisis_resources`]: what the patient sees at once when an answer raises a safety flag.
//! An alert, so a screen reader announces it as soon as it appears. The default wording is
//! ours (in the message catalogue) and points to US services; a host replaces it with
//! [`CrisisContent`] for its country.

use yew::prelude::*;

use crate::text::Language;

/// The words of the crisis resources: a heading and paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrisisContent {
    /// The heading.
    pub title: String,
    /// The paragraphs, in order.
    pub paragraphs: Vec<String>,
}

impl CrisisContent {
    /// United States resources, in `language`.
    pub fn of(language: Language) -> CrisisContent {
        let texts = language.texts();
        CrisisContent {
            title: texts.crisis_title.to_owned(),
            paragraphs: vec![
                texts.crisis_told.to_owned(),
                texts.crisis_emergency.to_owned(),
                texts.crisis_lifeline.to_owned(),
            ],
        }
    }
}

impl Default for CrisisContent {
    /// United States resources, in English.
    fn default() -> CrisisContent {
        CrisisContent::of(Language::English)
    }
}

/// Crisis resources, shown when a safety flag is raised: a plain view function, not a
/// component (a component's machinery would weigh more in the module than this markup, and
/// yew diffs the markup all the same, so an alert already shown is not inserted again).
pub fn crisis_resources(content: &CrisisContent) -> Html {
    html! {
        <aside class="kf-crisis" role="alert" data-crisis="">
            <h3>{ &content.title }</h3>
            { for content.paragraphs.iter().map(|paragraph| html! { <p>{ paragraph }</p> }) }
        </aside>
    }
}
