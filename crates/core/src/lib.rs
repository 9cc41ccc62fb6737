//! kapforms-core: the whole questionnaire model, with no web dependencies. Definitions are
//! parsed and validated here ([`Questionnaire::from_json`]); a [`Session`] takes a patient's
//! answers, keeping what they mean up to date answer by answer ([`incremental`]);
//! [`Evaluation`] works out visibility, scores and flags in one pass; [`wire`] is the native
//! response format that hosts receive; [`verify`] re-scores a stored response. It builds and
//! tests natively, so a host server can re-score exactly as the widget did.

pub mod answer;
pub mod condition;
pub mod definition;
mod dependencies;
pub mod diagnostic;
pub mod evaluation;
pub mod fhir;
pub mod flags;
pub mod id_map;
pub mod id_set;
pub mod incremental;
pub mod item_index;
mod json_path;
pub mod json_value;
pub mod localize;
pub mod medications;
pub mod modules;
pub mod number;
mod objects_only;
pub mod placeholders;
#[cfg(feature = "json-schema")]
pub mod schema;
pub mod scoring;
mod serde_strict;
pub mod session;
mod trusted_reader;
mod validate;
pub mod verify;
pub mod wire;

pub use answer::AnswerValue;
pub use definition::{Item, ItemKind, Questionnaire, Section};
pub use diagnostic::{DefinitionError, Diagnostic};
pub use evaluation::Evaluation;
pub use flags::Severity;
pub use id_set::IdSet;
pub use incremental::ScoreProgress;
pub use json_path::decode_utf8;
pub use litemap::LiteMap;
pub use session::Session;
pub use verify::{verify, Mismatch, Verification, Verifier};
pub use wire::{Response, Status, Timestamps};
