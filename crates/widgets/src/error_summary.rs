//! [`error_summary`]: the list of missing answers shown at the top of the page when the
//! patient tries to move on too early. Each entry moves focus to its question. It takes focus
//! itself when it appears or its list changes: the form does that, through `node`, since this
//! is a plain view function, not a component (a component of its own would add about 4 KB of
//! yew's machinery to the module).

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::text::Texts;

/// The error summary of `missing` (each item's id and question text). `id_prefix` is the
/// form's, to find each question's first input; `node` is the summary's element, which the
/// form focuses.
pub fn error_summary(
    missing: &[(String, String)],
    id_prefix: &str,
    texts: &Texts,
    node: NodeRef,
) -> Html {
    let entries = missing.iter().map(|(id, text)| {
        let target = format!("{id_prefix}-{id}");
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
                { texts.error_answer_prefix }{ " " }{ text }
            </a></li>
        }
    });
    html! {
        <div class="kf-error-summary" role="alert" tabindex="-1" ref={node} data-error-summary="">
            <h2>{ texts.error_summary_title }</h2>
            <ul>{ for entries }</ul>
        </div>
    }
}
