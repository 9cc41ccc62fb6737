//! [`CrisisResources`]: what the patient sees at once when an answer raises a safety flag.
//! An alert, so a screen reader announces it as soon as it appears. The default wording is
//! ours and points to US services; a host replaces it with [`CrisisContent`] for its country.

use yew::prelude::*;

/// The words of the crisis resources: a heading and paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrisisContent {
    /// The heading.
    pub title: String,
    /// The paragraphs, in order.
    pub paragraphs: Vec<String>,
}

impl Default for CrisisContent {
    /// United States resources, in English.
    fn default() -> CrisisContent {
        CrisisContent {
            title: "You do not have to wait to get help".to_owned(),
            paragraphs: vec![
                "You told us you have had thoughts of being better off dead or of hurting \
                 yourself. Thank you for telling us. Your clinic will see this answer, but this \
                 form is not monitored in real time: nobody is reading it as you fill it in."
                    .to_owned(),
                "If you might act on these thoughts or you feel unsafe right now, call 911 or go \
                 to the nearest emergency department."
                    .to_owned(),
                "You can call or text 988, or chat at 988lifeline.org, at any hour to talk with \
                 someone at the 988 Suicide & Crisis Lifeline. You can also call your clinic or \
                 your therapist."
                    .to_owned(),
            ],
        }
    }
}

/// Properties of [`CrisisResources`].
#[derive(Properties, PartialEq)]
pub struct CrisisProps {
    /// What to say.
    pub content: CrisisContent,
}

/// Crisis resources, shown when a safety flag is raised.
#[function_component(CrisisResources)]
pub fn crisis_resources(props: &CrisisProps) -> Html {
    html! {
        <aside class="kf-crisis" role="alert" data-crisis="">
            <h3>{ &props.content.title }</h3>
            { for props.content.paragraphs.iter().map(|paragraph| html! { <p>{ paragraph }</p> }) }
        </aside>
    }
}
