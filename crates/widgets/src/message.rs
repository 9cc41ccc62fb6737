//! [`MessageBox`]: a clear message in place of the form when it cannot be shown (an unknown
//! instrument, a definition with errors), so the page never shows a blank box.

use yew::prelude::*;

/// Properties of [`MessageBox`].
#[derive(Properties, PartialEq)]
pub struct MessageProps {
    /// The heading.
    pub title: AttrValue,
    /// Lines of detail, shown as a list.
    #[prop_or_default]
    pub details: Vec<String>,
}

/// A message shown instead of a form.
#[function_component(MessageBox)]
pub fn message_box(props: &MessageProps) -> Html {
    html! {
        <div class="kf-root">
            <div class="kf-message" role="alert" data-error="">
                <h2>{ &props.title }</h2>
                if !props.details.is_empty() {
                    <ul>{ for props.details.iter().map(|line| html! { <li>{ line }</li> }) }</ul>
                }
            </div>
        </div>
    }
}
