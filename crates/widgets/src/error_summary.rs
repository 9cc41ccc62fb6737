//! [`ErrorSummary`]: the list of missing answers shown at the top of the form when the patient
//! tries to submit too early. It takes focus when it appears, and each entry moves focus to
//! its question.

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::text::Texts;

/// Properties of [`ErrorSummary`].
#[derive(Properties, PartialEq)]
pub struct ErrorSummaryProps {
    /// The missing items: id and question text.
    pub missing: Vec<(String, String)>,
    /// The form's id prefix, to find each question's first input.
    pub id_prefix: AttrValue,
    /// The interface strings.
    pub texts: Texts,
}

/// The error summary.
#[function_component(ErrorSummary)]
pub fn error_summary(props: &ErrorSummaryProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(props.missing.clone(), move |_| {
            if let Some(element) = node.cast::<HtmlElement>() {
                let _ = element.focus();
            }
        });
    }
    let entries = props.missing.iter().map(|(id, text)| {
        let target = format!("{}-{}", props.id_prefix, id);
        let onclick = {
            let selector = format!("[data-item='{id}'] input, [data-item='{id}'] textarea");
            Callback::from(move |event: MouseEvent| {
                event.prevent_default();
                let root = event
                    .target_dyn_into::<web_sys::Element>()
                    .and_then(|link| link.closest(".kf-root").ok().flatten());
                if let Some(input) = root
                    .and_then(|root| root.query_selector(&selector).ok().flatten())
                    .and_then(|element| element.dyn_into::<HtmlElement>().ok())
                {
                    let _ = input.focus();
                }
            })
        };
        html! {
            <li><a href={format!("#{target}")} {onclick}>
                { props.texts.error_answer_prefix }{ " " }{ text }
            </a></li>
        }
    });
    html! {
        <div class="kf-error-summary" role="alert" tabindex="-1" ref={node} data-error-summary="">
            <h2>{ props.texts.error_summary_title }</h2>
            <ul>{ for entries }</ul>
        </div>
    }
}
