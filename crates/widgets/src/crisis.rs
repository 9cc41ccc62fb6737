//! [`CrisisResources`]: what the patient sees at once when an answer raises a safety flag.
//! An alert, so a screen reader announces it as soon as it appears.

use yew::prelude::*;

use crate::text::Texts;

/// Properties of [`CrisisResources`].
#[derive(Properties, PartialEq)]
pub struct CrisisProps {
    /// The interface strings.
    pub texts: Texts,
}

/// Crisis resources, shown when a safety flag is raised.
#[function_component(CrisisResources)]
pub fn crisis_resources(props: &CrisisProps) -> Html {
    html! {
        <aside class="kf-crisis" role="alert" data-crisis="">
            <h3>{ props.texts.crisis_title }</h3>
            { for props.texts.crisis_body.iter().map(|paragraph| html! { <p>{ *paragraph }</p> }) }
        </aside>
    }
}
