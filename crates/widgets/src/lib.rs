//! kapforms-widgets: yew components that draw a questionnaire and send the patient's actions.
//! They show what kapforms-core computes (visibility, scores, flags, what is missing) and never
//! score or validate themselves. [`QuestionnaireForm`] is the whole form; the embed crate
//! mounts it into a custom element, and a test mounts it into any element.

mod answer_text;
pub mod catalogue;
mod controller;
mod crisis;
mod definition;
mod drafts;
mod error_summary;
mod form;
mod group;
mod item;
mod page_text;
#[cfg(feature = "ssr")]
pub mod preview;
mod results;
mod results_text;
pub mod review;
mod section_items;
mod shared_session;
mod start;
mod state;
mod summary;
mod text;
mod trend;

pub use answer_text::{answer_text, is_declined};
pub use controller::FormController;
pub use crisis::CrisisContent;
pub use definition::Definition;
pub use form::{FormProps, PageChange, QuestionnaireForm};
pub use page_text::PageTexts;
pub use results::{Patient, ResultsProps, ResultsView, SharedReview};
pub use results_text::ResultsTexts;
pub use shared_session::SharedSession;
pub use state::{DraftNotice, FormAction, Page};
pub use text::{Language, Texts};

/// The widgets' stylesheet (`style.css`). `cargo xtask dist` puts its text into the bundled
/// `kapforms.js`, which adopts it into each shadow root (`adoptedStyleSheets`), so it works
/// under a `style-src 'self'` policy; the CLI's clinician report inlines it.
pub const STYLESHEET: &str = include_str!("style.css");

/// The clinician's view's stylesheet (`results.css`, `kr-*` classes), on top of
/// [`STYLESHEET`]. Not in the patient's loader: the clinician's bundle hands it to
/// `kapforms.js` (`resultsStylesheet()`), which adopts it into a `<kap-results>` shadow root
/// once that bundle has loaded; the CLI's clinician report inlines it after [`STYLESHEET`].
pub const RESULTS_STYLESHEET: &str = include_str!("results.css");
