//! Flags for the clinician, raised by conditions on the answers. A flag is never a verdict
//! for the patient: it marks an answer a clinician must look at. `safety` flags (such as any
//! answer above "not at all" on PHQ-9 item 9) also make the widget show crisis resources at
//! once.

use serde::{Deserialize, Serialize};

use crate::condition::Condition;

/// Orders raised flags most severe first, keeping definition order among equals.
pub(crate) fn sort_by_severity(flags: &mut [RaisedFlag]) {
    flags.sort_by_key(|flag| flag.severity);
}

/// A rule that raises a flag when its condition holds.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagRule {
    /// Id unique among the questionnaire's flags.
    pub id: String,
    /// What the clinician reads, e.g. "Thoughts of death or self-harm (PHQ-9 item 9)".
    pub label: String,
    /// How urgent the flag is.
    pub severity: Severity,
    /// When the flag is raised.
    pub when: Condition,
}

impl FlagRule {
    /// The label as the clinician reads it: each `{threshold_id}` placeholder naming a
    /// configurable threshold the rule uses is replaced by that threshold's value
    /// (`value_of`), so "above {bp_monitor_systolic}/{bp_monitor_diastolic} mmHg" says what
    /// the clinic configured.
    pub fn label_with(&self, value_of: &dyn Fn(&str) -> Option<f64>) -> String {
        let referenced = self.when.referenced_thresholds();
        crate::placeholders::fill(&self.label, &|name| {
            if referenced.contains(&name) {
                value_of(name).map(crate::number::display)
            } else {
                None
            }
        })
    }

    /// The `{...}` placeholders written in the label, in order.
    pub fn label_placeholders(&self) -> Vec<&str> {
        let mut found = Vec::new();
        let mut rest = self.label.as_str();
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            let Some(end) = after.find('}') else {
                break;
            };
            found.push(&after[..end]);
            rest = &after[end + 1..];
        }
        found
    }
}

/// Flag classes, most urgent first.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A risk to the patient's safety: crisis resources are shown to the patient at once.
    Safety,
    /// A possible contraindication: exclude pending clinician review.
    ExcludePendingReview,
    /// Needs medical clearance before treatment.
    MedicalClearance,
    /// Something to monitor.
    Monitor,
    /// For information.
    Info,
}

impl Severity {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Safety => "safety",
            Severity::ExcludePendingReview => "exclude_pending_review",
            Severity::MedicalClearance => "medical_clearance",
            Severity::Monitor => "monitor",
            Severity::Info => "info",
        }
    }
}

impl<'de> serde::Deserialize<'de> for Severity {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::serde_strict::by_name(
            deserializer,
            &[
                Severity::Safety,
                Severity::ExcludePendingReview,
                Severity::MedicalClearance,
                Severity::Monitor,
                Severity::Info,
            ],
            Severity::as_str,
            &[
                "safety",
                "exclude_pending_review",
                "medical_clearance",
                "monitor",
                "info",
            ],
        )
    }
}

/// A flag that is raised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaisedFlag {
    /// The rule's id.
    pub id: String,
    /// The rule's label.
    pub label: String,
    /// The rule's severity.
    pub severity: Severity,
    /// The items whose answers the rule tested.
    pub items: Vec<String>,
    /// What the rule found, for the clinician (e.g. the medicine names that matched).
    pub details: Vec<String>,
}
