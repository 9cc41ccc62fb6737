//! [`Definition`]: a shared questionnaire definition as a yew prop. Props are compared on
//! every render; comparing the `Arc` pointer instead of the whole definition keeps that free.

use std::sync::Arc;

use kapforms_core::Questionnaire;

/// A questionnaire definition shared between components, compared by identity.
#[derive(Debug, Clone)]
pub struct Definition(pub Arc<Questionnaire>);

impl PartialEq for Definition {
    fn eq(&self, other: &Definition) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Definition {
    type Target = Questionnaire;

    fn deref(&self) -> &Questionnaire {
        &self.0
    }
}
