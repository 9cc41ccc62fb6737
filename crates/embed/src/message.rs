//! The message an element shows in place of a form that cannot be shown (an unknown
//! instrument, a definition with errors, options it cannot read), so the page never shows a
//! blank box: a heading and a list of details, announced as an alert. Built as plain elements
//! rather than a yew app: it never changes once shown, and a component of its own would add
//! about 4 KB of yew's machinery to the patient's module.

use web_sys::{Document, Element};

/// Shows `title` and `details` in `container` (the element's mount point), as
/// `<div class="kf-root"><div class="kf-message" role="alert" data-error=""><h2>title</h2>
/// <ul><li>detail</li>…</ul></div></div>` (no list without details). The texts are set as
/// text, never as HTML.
pub fn show(container: &Element, title: &str, details: &[String]) {
    let Some(document) = container.owner_document() else {
        return;
    };
    let _ = build(&document, container, title, details);
}

/// [`show`], stopping at the first DOM call that fails.
fn build(
    document: &Document,
    container: &Element,
    title: &str,
    details: &[String],
) -> Result<(), wasm_bindgen::JsValue> {
    let root = document.create_element("div")?;
    root.set_class_name("kf-root");
    let message = document.create_element("div")?;
    message.set_class_name("kf-message");
    message.set_attribute("role", "alert")?;
    message.set_attribute("data-error", "")?;
    let heading = document.create_element("h2")?;
    heading.set_text_content(Some(title));
    message.append_child(&heading)?;
    if !details.is_empty() {
        let list = document.create_element("ul")?;
        for detail in details {
            let item = document.create_element("li")?;
            item.set_text_content(Some(detail));
            list.append_child(&item)?;
        }
        message.append_child(&list)?;
    }
    root.append_child(&message)?;
    container.append_child(&root)?;
    Ok(())
}
