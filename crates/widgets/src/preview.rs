//! The first page of a built-in form rendered to HTML ahead of time, natively, by the same
//! [`QuestionnaireForm`] the module mounts (yew's server renderer; only with the `ssr`
//! feature, which `cargo xtask dist` turns on and the WebAssembly module never does). The
//! loader shows this preview, inert, while the module downloads and compiles, and swaps in the
//! live form once it has drawn: a patient on a slow phone reads the first question at once,
//! and cannot answer it before the form that keeps the answer is there.

use crate::{Definition, FormProps, Language, QuestionnaireForm};
use kapforms_core::Questionnaire;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

/// The id prefix of the first form on a page, which the preview uses so that its markup is
/// the live form's (a preview is only shown in its element's own shadow root, where ids are
/// scoped, so two previews on one page cannot collide).
pub const PREVIEW_ID_PREFIX: &str = "kf1";

/// What a form shows first, as the module shows it with the host's default options: the
/// definition `definition` (a built-in, modules spliced in) worded by `wording` in `language`
/// (`None`: its own wording), with `english_sections` noted as shown in English.
pub struct PreviewInput {
    /// The definition the form is built from.
    pub definition: Arc<Questionnaire>,
    /// Its wording in `language`, when that is a translation.
    pub wording: Option<Arc<Questionnaire>>,
    /// Sections shown in English for want of a translation.
    pub english_sections: Vec<String>,
    /// The definition's content hash (a built-in's, from its build).
    pub content_hash: String,
    /// The interface's language.
    pub language: Language,
}

/// The HTML of the form's first page (what the module's first render draws into its
/// container), or why it could not be rendered.
pub fn first_page(input: PreviewInput) -> Result<String, String> {
    let props = FormProps {
        definition: Definition(input.definition),
        wording: input.wording.map(Definition),
        content_hash: input.content_hash.into(),
        language: input.language,
        english_sections: input.english_sections,
        id_prefix: PREVIEW_ID_PREFIX.into(),
        crisis: None,
        show_bands: false,
        show_start: None,
        patient_copy: true,
        on_change: Default::default(),
        on_submit: Default::default(),
        on_print: Default::default(),
        on_page: Default::default(),
        controller: Default::default(),
        drafts: false,
        on_progress: Default::default(),
    };
    let render = yew::LocalServerRenderer::<QuestionnaireForm>::with_props(props)
        .hydratable(false)
        .render();
    run_to_completion(render).ok_or_else(|| "the server renderer did not finish".to_owned())
}

/// Polls `future` on this thread until it is ready (the server renderer needs no I/O and no
/// other thread, only polling); `None` if it never is within a generous number of polls.
fn run_to_completion<F: Future>(future: F) -> Option<F::Output> {
    struct Nothing;
    impl Wake for Nothing {
        fn wake(self: Arc<Self>) {}
    }
    let waker = Waker::from(Arc::new(Nothing));
    let mut context = Context::from_waker(&waker);
    let mut future = pin!(future);
    for _ in 0..1_000_000 {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return Some(output);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phq9() -> PreviewInput {
        let questionnaire = kapforms_instruments::load("phq9")
            .expect("a built-in")
            .expect("valid");
        PreviewInput {
            content_hash: questionnaire.content_hash(),
            definition: Arc::new(questionnaire),
            wording: None,
            english_sections: Vec::new(),
            language: Language::English,
        }
    }

    /// The preview is the form's first page: the PHQ-9's nine items with their options and
    /// the running total, as the live form draws them.
    #[test]
    fn the_phq9_preview_shows_every_item_and_the_total() {
        let html = first_page(phq9()).expect("rendered");
        assert!(html.contains("Little interest or pleasure in doing things"));
        for item in 1..=9 {
            assert!(
                html.contains(&format!("data-item=\"phq9_{item}\"")),
                "item {item}"
            );
        }
        assert_eq!(html.matches("type=\"radio\"").count(), 36);
        assert!(html.contains("data-score-total"));
        assert!(!html.contains("<script"));
    }
}
