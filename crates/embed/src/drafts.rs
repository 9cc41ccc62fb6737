//! What a draft holds, between the form and `kapforms.js` (which encrypts, stores, expires and
//! wipes it): `{answers, page}`, the session's answers by item id (hidden items' included, so a
//! restored form is exactly the one left) and the page as a name (`"start"`,
//! `"section:<section id>"`, `"review"`, `"done"`). Restoring checks each answer through the
//! session again (see `FormAction::Restore`); a page that no longer exists restores to the first.

use kapforms_core::LiteMap;

use kapforms_core::{AnswerValue, Questionnaire, Session};
use kapforms_widgets::Page;
use serde_json::Value;
use wasm_bindgen::JsValue;

/// The draft of `session` on `page`, as a JavaScript object (from its JSON text, written
/// with the module's one writer of answers, that of responses).
pub fn snapshot(session: &Session, page: Page) -> JsValue {
    crate::events::from_json(&snapshot_json(session, page))
}

/// The draft's JSON text.
fn snapshot_json(session: &Session, page: Page) -> String {
    let answers = kapforms_core::wire::answers_json(session.answers());
    let page =
        kapforms_core::json_value::write(&Value::from(page_name(session.questionnaire(), page)));
    format!("{{\"answers\":{answers},\"page\":{page}}}")
}

/// The answers and page of a stored draft; `None` when it is not a draft's shape.
pub fn parse(
    questionnaire: &Questionnaire,
    draft: &Value,
) -> Option<(LiteMap<String, AnswerValue>, Page)> {
    // Read from the parsed value by hand (`AnswerValue::from_value`), as the module reads
    // built-ins: serde's readers of answers are not in the patient's bundle.
    let answers: LiteMap<String, AnswerValue> = kapforms_core::id_map::collect(
        draft
            .get("answers")?
            .as_object()?
            .iter()
            .map(|(id, answer)| Some((id.clone(), AnswerValue::from_value(answer.clone())?)))
            .collect::<Option<Vec<_>>>()?,
    );
    let page = draft
        .get("page")
        .and_then(Value::as_str)
        .map_or(Page::Start, |name| page_from_name(questionnaire, name));
    Some((answers, page))
}

/// A page's name in a draft.
pub fn page_name(questionnaire: &Questionnaire, page: Page) -> String {
    match page {
        Page::Start => "start".to_owned(),
        Page::Section(index) => match questionnaire.sections.get(index) {
            Some(section) => format!("section:{}", section.id),
            None => "start".to_owned(),
        },
        Page::Review => "review".to_owned(),
        Page::Done => "done".to_owned(),
    }
}

/// The page a draft names; an unknown name is the start.
pub fn page_from_name(questionnaire: &Questionnaire, name: &str) -> Page {
    match name {
        "review" => Page::Review,
        "done" => Page::Done,
        _ => name
            .strip_prefix("section:")
            .and_then(|id| {
                questionnaire
                    .sections
                    .iter()
                    .position(|section| section.id == id)
            })
            .map_or(Page::Start, Page::Section),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intake() -> Questionnaire {
        kapforms_instruments::load("intake")
            .expect("built in")
            .expect("valid")
    }

    #[test]
    fn every_page_round_trips_through_its_name() {
        let questionnaire = intake();
        let mut pages = vec![Page::Start, Page::Review, Page::Done];
        pages.extend((0..questionnaire.sections.len()).map(Page::Section));
        for page in pages {
            let name = page_name(&questionnaire, page);
            assert_eq!(page_from_name(&questionnaire, &name), page, "{name}");
        }
        assert_eq!(
            page_name(&questionnaire, Page::Section(1)),
            "section:reasons"
        );
    }

    #[test]
    fn a_section_no_longer_in_the_form_restores_to_the_start() {
        let questionnaire = intake();
        assert_eq!(page_from_name(&questionnaire, "section:gone"), Page::Start);
        assert_eq!(page_from_name(&questionnaire, "elsewhere"), Page::Start);
    }

    #[test]
    fn a_draft_keeps_every_answer_and_the_page() {
        let questionnaire = std::sync::Arc::new(intake());
        let mut session = Session::new(questionnaire.clone());
        session
            .set_answer("emergency_name", Some(AnswerValue::Text("Sam".into())))
            .expect("fits");
        session
            .set_answer("takes_medicines", Some(AnswerValue::Bool(true)))
            .expect("fits");
        let draft: Value =
            serde_json::from_str(&snapshot_json(&session, Page::Section(6))).expect("JSON");
        let (answers, page) = parse(&questionnaire, &draft).expect("a draft");
        assert_eq!(&answers, session.answers());
        assert_eq!(page, Page::Section(6));
        assert_eq!(
            parse(&questionnaire, &serde_json::json!({"page": "review"})),
            None
        );
    }
}
