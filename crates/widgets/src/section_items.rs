//! [`SectionItems`]: the questions of one section, in order, with the crisis resources right
//! after the question a raised safety flag depends on. It is memoized on cheap props and
//! redraws only when what it lists changes (a question shown or hidden, the crisis resources
//! moving, missing answers pointed out, another language); each question redraws itself when
//! its answer changes, so a click never walks the page's list.

use kapforms_core::AnswerValue;
use yew::prelude::*;

use crate::crisis::{crisis_resources, CrisisContent};
use crate::definition::Definition;
use crate::item::ItemView;
use crate::shared_session::{ItemWatchers, SharedSession};
use crate::text::Language;

/// Properties of [`SectionItems`].
#[derive(Properties, PartialEq)]
pub struct SectionItemsProps {
    /// The questionnaire (in the wording shown).
    pub definition: Definition,
    /// The section's index.
    pub section: usize,
    /// The answers and what they mean.
    pub session: SharedSession,
    /// Where each question registers to be redrawn.
    pub watchers: ItemWatchers,
    /// Core's count of visibility changes ([`kapforms_core::Session::visibility_version`]):
    /// the list changes only when it does.
    pub visibility_version: u64,
    /// Whether missing answers are pointed out.
    pub show_missing: bool,
    /// The question after which the crisis resources stand, if any.
    pub crisis_after: Option<AttrValue>,
    /// The crisis resources' words.
    pub crisis: CrisisContent,
    /// The form's id prefix.
    pub id_prefix: AttrValue,
    /// The language of the interface strings ([`crate::Language::texts`]).
    pub language: Language,
    /// Sends `(item id, new answer)`.
    pub on_answer: Callback<(String, Option<AnswerValue>)>,
}

/// The visible questions of one section.
#[function_component(SectionItems)]
pub fn section_items(props: &SectionItemsProps) -> Html {
    let Some(section) = props.definition.sections.get(props.section) else {
        return Html::default();
    };
    let session = props.session.read();
    let items = section
        .items
        .iter()
        .enumerate()
        .filter(|(_, item)| session.is_visible(&item.id))
        .map(|(index, item)| {
            html! {
                <>
                    <ItemView
                        key={item.id.clone()}
                        definition={props.definition.clone()}
                        section={props.section}
                        {index}
                        session={props.session.clone()}
                        watchers={props.watchers.clone()}
                        show_missing={props.show_missing}
                        id_prefix={props.id_prefix.clone()}
                        language={props.language}
                        on_answer={props.on_answer.clone()}
                    />
                    if props.crisis_after.as_deref() == Some(item.id.as_str()) {
                        { crisis_resources(&props.crisis) }
                    }
                </>
            }
        });
    html! { <>{ for items }</> }
}
