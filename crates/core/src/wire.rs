//! The native response format, version 1: the JSON a host receives on submit and stores.
//!
//! # Format
//!
//! ```json
//! {
//!   "format": "kapforms-response",
//!   "schema_version": 1,
//!   "instrument": {"id": "phq9", "version": "1.0.0", "content_hash": "sha256:…"},
//!   "status": "completed",
//!   "language": "es",
//!   "started_at": "2026-11-27T10:00:00.000Z",
//!   "updated_at": "2026-11-27T10:04:12.000Z",
//!   "completed_at": "2026-11-27T10:04:12.000Z",
//!   "answers": {"phq9_1": "1", "phq9_9": "0"},
//!   "scores": [{"id": "phq9_total", "label": "PHQ-9 total score", "rule": "sum",
//!               "instrument": "phq9@1.0.0", "value": 12, "min": 0, "max": 27,
//!               "answered": 9, "counted": 9, "complete": true, "band": "Moderate"}],
//!   "flags": [{"id": "phq9_item9", "label": "…", "severity": "safety", "items": ["phq9_9"]}]
//! }
//! ```
//!
//! Two optional fields record what the evaluation depended on besides the answers; each is
//! written only when it applies, so a response without them is exactly as before:
//!
//! - `thresholds`: the clinic's values of the definition's configurable thresholds, by id
//!   (`{"bp_monitor_systolic": 150}`); a threshold not named had its default. A verifier
//!   re-scores with these values.
//! - `withheld_sections`: sections not asked because their licensed wording was not supplied
//!   (an embedded skeleton such as DAST-10 without the clinic's text pack). Their scores carry
//!   `"available": false` (no value, no band, never complete) and say so to the clinician.
//!
//! A reader that predates these fields refuses a response carrying them (unknown fields are
//! errors), so a response is never re-scored with the wrong cut-offs.
//!
//! - `answers` maps item id to the answer as [`AnswerValue`] writes it; answers of items that
//!   are hidden are left out.
//! - `scores[].rule` and `scores[].instrument` record what produced the score.
//! - `scores[].band` is present only when `complete` is true; an incomplete score names its
//!   unanswered items in `missing`. `prorated: true` marks a value completed by the
//!   instrument's published missing-answer rule.
//! - `scores[].available` is written (as `false`) only for a score whose questions were
//!   withheld.
//! - `flags` lists raised flags, most severe first (`safety`, `exclude_pending_review`,
//!   `medical_clearance`, `monitor`, `info`).
//! - `language` (optional) is the language the patient read the questionnaire in (`en`,
//!   `es`); answers are option codes, the same in every language, and scores, labels and the
//!   content hash are those of the definition itself, so two responses that differ only in
//!   language differ only in this field.
//! - Timestamps are RFC 3339 strings written by the host side (the core has no clock).
//!
//! Readers must reject a `schema_version` they do not know; writers add fields only with a
//! new schema version (the optional `language` is the one exception, added to version 1 before
//! any release). Internal types ([`crate::session::Session`], [`Evaluation`]) are not
//! these types.

use litemap::LiteMap;

use serde::{Deserialize, Serialize};

use serde_json::{Map, Value};

use crate::answer::AnswerValue;
use crate::definition::{Questionnaire, ThresholdValues};
use crate::diagnostic::Diagnostic;
use crate::evaluation::Evaluation;
use crate::flags::Severity;
use crate::json_value::object;
use crate::scoring::{ScoreMethod, ScoreResult};

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_true(value: &bool) -> bool {
    *value
}

fn yes() -> bool {
    true
}

/// The value of [`Response::format`].
pub const RESPONSE_FORMAT: &str = "kapforms-response";
/// The response schema version this crate writes and reads.
pub const RESPONSE_SCHEMA_VERSION: u32 = 1;

/// A native response, version 1.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// Always `"kapforms-response"`.
    pub format: String,
    /// Always 1 for this version.
    pub schema_version: u32,
    /// Which definition the answers belong to.
    pub instrument: InstrumentRef,
    /// Whether the patient submitted.
    pub status: Status,
    /// The language the patient read the questionnaire in (a BCP 47 tag such as `es`), when
    /// the widget recorded it. Answers and scores do not depend on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// When the patient started, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// When the answers last changed.
    pub updated_at: String,
    /// When the patient submitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
    /// The answers of visible items, by item id.
    #[serde(
        serialize_with = "crate::id_map::serialize",
        deserialize_with = "crate::serde_strict::unique_keys"
    )]
    #[cfg_attr(
        feature = "json-schema",
        schemars(with = "std::collections::BTreeMap<String, AnswerValue>")
    )]
    pub answers: LiteMap<String, AnswerValue>,
    /// Every score of the definition.
    pub scores: Vec<WireScore>,
    /// The raised flags, most severe first.
    pub flags: Vec<WireFlag>,
    /// The clinic's values of configurable thresholds the flags were raised with, by id
    /// (absent: every threshold had its default).
    #[serde(
        default,
        skip_serializing_if = "LiteMap::is_empty",
        serialize_with = "crate::number::serialize_map",
        deserialize_with = "crate::serde_strict::unique_keys"
    )]
    #[cfg_attr(
        feature = "json-schema",
        schemars(with = "std::collections::BTreeMap<String, f64>")
    )]
    pub thresholds: ThresholdValues,
    /// Sections not asked because their licensed wording was not supplied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withheld_sections: Vec<String>,
}

/// Identifies a definition exactly.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstrumentRef {
    /// The definition's id.
    pub id: String,
    /// The definition's content version.
    pub version: String,
    /// [`Questionnaire::content_hash`] of the definition.
    pub content_hash: String,
}

/// Whether a response is still being filled in.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Not yet submitted.
    InProgress,
    /// Submitted by the patient.
    Completed,
}

/// A score as written in a response.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireScore {
    /// The score rule's id.
    pub id: String,
    /// The score rule's label.
    pub label: String,
    /// The rule that produced it: `sum`, `mean` or `count`.
    pub rule: ScoreMethod,
    /// The instrument and definition version that produced it, as `id@version`.
    pub instrument: String,
    /// The value.
    #[serde(serialize_with = "crate::number::serialize")]
    pub value: f64,
    /// Lowest possible value.
    #[serde(serialize_with = "crate::number::serialize")]
    pub min: f64,
    /// Highest possible value.
    #[serde(serialize_with = "crate::number::serialize")]
    pub max: f64,
    /// Items answered.
    pub answered: usize,
    /// Items that count (visible).
    pub counted: usize,
    /// Whether the value is final (every counted item answered, or prorated by the rule).
    pub complete: bool,
    /// Counted items without an answer, named.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// Whether missing answers were prorated by the instrument's published rule.
    #[serde(default, skip_serializing_if = "is_false")]
    pub prorated: bool,
    /// The band label, when complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<String>,
    /// False when the score's questions were withheld for lack of licensed wording: the
    /// score is not available (written only then).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub available: bool,
}

impl WireScore {
    /// A computed score as a response writes it, for `questionnaire` (which names the
    /// instrument of a score that is not an embedded module's).
    pub fn of(questionnaire: &Questionnaire, score: &ScoreResult) -> WireScore {
        WireScore {
            id: score.id.clone(),
            label: score.label.clone(),
            rule: score.method,
            instrument: score.instrument.clone().unwrap_or_else(|| {
                let mut name =
                    String::with_capacity(questionnaire.id.len() + 1 + questionnaire.version.len());
                name.push_str(&questionnaire.id);
                name.push('@');
                name.push_str(&questionnaire.version);
                name
            }),
            value: score.value,
            min: score.min,
            max: score.max,
            answered: score.answered,
            counted: score.counted,
            complete: score.is_complete(),
            missing: score.missing.clone(),
            prorated: score.prorated,
            band: score.band.clone(),
            available: score.available,
        }
    }
}

/// A raised flag as written in a response.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireFlag {
    /// The flag rule's id.
    pub id: String,
    /// The flag rule's label.
    pub label: String,
    /// The flag's class.
    pub severity: Severity,
    /// The items the rule tested.
    pub items: Vec<String>,
    /// What the rule found, for the clinician (e.g. matched medicine names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
}

/// Times to stamp on a response, from the host's clock.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timestamps {
    /// When the patient started.
    pub started_at: Option<String>,
    /// When the answers last changed.
    pub updated_at: String,
    /// When the patient submitted (set for completed responses).
    pub completed_at: Option<String>,
}

impl Response {
    /// Builds a response from a definition, its answers and their evaluation.
    pub fn build(
        questionnaire: &Questionnaire,
        answers: &LiteMap<String, AnswerValue>,
        evaluation: &Evaluation,
        status: Status,
        timestamps: Timestamps,
    ) -> Response {
        Response::build_with_hash(
            questionnaire,
            &questionnaire.content_hash(),
            answers,
            evaluation,
            status,
            timestamps,
        )
    }

    /// [`Response::build`] with the definition's content hash already computed (hashing the
    /// whole definition on every answer would dominate a long form's cost).
    pub fn build_with_hash(
        questionnaire: &Questionnaire,
        content_hash: &str,
        answers: &LiteMap<String, AnswerValue>,
        evaluation: &Evaluation,
        status: Status,
        timestamps: Timestamps,
    ) -> Response {
        let answers = crate::id_map::collect(
            answers
                .iter()
                .filter(|(id, value)| evaluation.visible.contains(id) && !value.is_empty())
                .map(|(id, value)| {
                    // Rows started but left empty are not sent.
                    let value = match value {
                        AnswerValue::Rows(rows) => AnswerValue::Rows(
                            rows.iter()
                                .filter(|row| !row.values().all(AnswerValue::is_empty))
                                .cloned()
                                .collect(),
                        ),
                        other => other.clone(),
                    };
                    (id.clone(), value)
                }),
        );
        Response {
            format: RESPONSE_FORMAT.to_owned(),
            schema_version: RESPONSE_SCHEMA_VERSION,
            instrument: InstrumentRef {
                id: questionnaire.id.clone(),
                version: questionnaire.version.clone(),
                content_hash: content_hash.to_owned(),
            },
            status,
            language: None,
            started_at: timestamps.started_at,
            updated_at: timestamps.updated_at,
            completed_at: timestamps.completed_at,
            answers,
            scores: evaluation
                .scores
                .iter()
                .map(|score| WireScore::of(questionnaire, score))
                .collect(),
            flags: evaluation
                .flags
                .iter()
                .map(|flag| WireFlag {
                    id: flag.id.clone(),
                    label: flag.label.clone(),
                    severity: flag.severity,
                    items: flag.items.clone(),
                    details: flag.details.clone(),
                })
                .collect(),
            thresholds: evaluation.thresholds.clone(),
            withheld_sections: evaluation.withheld.clone(),
        }
    }

    /// Reads a response from JSON text; never panics, and names the path of a bad field.
    pub fn from_json(text: &str) -> Result<Response, Diagnostic> {
        let response: Response = crate::json_path::parse(text)?;
        if response.format != RESPONSE_FORMAT {
            return Err(Diagnostic::new(
                "format",
                format!(
                    "expected \"{RESPONSE_FORMAT}\", found \"{}\"",
                    response.format
                ),
            ));
        }
        if response.schema_version != RESPONSE_SCHEMA_VERSION {
            return Err(Diagnostic::new(
                "schema_version",
                format!(
                    "this version of kapforms reads response schema version \
                     {RESPONSE_SCHEMA_VERSION}, not {}",
                    response.schema_version
                ),
            ));
        }
        Ok(response)
    }

    /// The response as compact JSON text: [`Response::to_value`], written by
    /// [`crate::json_value::write`].
    pub fn to_json(&self) -> String {
        crate::json_value::write(&self.to_value())
    }

    /// The response as a JSON value, built field by field: exactly what its serde writer
    /// (`serde_json::to_string(&response)`) writes, in the same order and with the same fields
    /// left out (the tests compare the two on every golden response and on random sessions of
    /// every built-in). So the patient's module writes responses without serde's serializer.
    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        let mut put = |key: &str, value: Value| {
            map.insert(key.to_owned(), value);
        };
        put("format", Value::from(self.format.as_str()));
        put("schema_version", Value::from(self.schema_version));
        put(
            "instrument",
            object([
                ("id", Value::from(self.instrument.id.as_str())),
                ("version", Value::from(self.instrument.version.as_str())),
                (
                    "content_hash",
                    Value::from(self.instrument.content_hash.as_str()),
                ),
            ]),
        );
        put(
            "status",
            Value::from(match self.status {
                Status::InProgress => "in-progress",
                Status::Completed => "completed",
            }),
        );
        let optional = [
            ("language", &self.language),
            ("started_at", &self.started_at),
        ];
        for (key, text) in optional {
            if let Some(text) = text {
                put(key, Value::from(text.as_str()));
            }
        }
        put("updated_at", Value::from(self.updated_at.as_str()));
        if let Some(completed_at) = &self.completed_at {
            put("completed_at", Value::from(completed_at.as_str()));
        }
        put("answers", answers_value(&self.answers));
        put(
            "scores",
            Value::Array(self.scores.iter().map(WireScore::to_value).collect()),
        );
        put(
            "flags",
            Value::Array(self.flags.iter().map(WireFlag::to_value).collect()),
        );
        if !self.thresholds.is_empty() {
            put(
                "thresholds",
                Value::Object(
                    self.thresholds
                        .iter()
                        .map(|(id, value)| (id.clone(), crate::number::to_value(*value)))
                        .collect(),
                ),
            );
        }
        if !self.withheld_sections.is_empty() {
            put("withheld_sections", strings(&self.withheld_sections));
        }
        Value::Object(map)
    }
}

/// Texts as a JSON array of strings.
fn strings(texts: &[String]) -> Value {
    Value::Array(
        texts
            .iter()
            .map(|text| Value::from(text.as_str()))
            .collect(),
    )
}

/// Answers by item id as a JSON object (keys in sorted order), as a response writes them.
pub fn answers_value(answers: &LiteMap<String, AnswerValue>) -> Value {
    Value::Object(
        answers
            .iter()
            .map(|(id, answer)| (id.clone(), answer.to_value()))
            .collect(),
    )
}

impl WireScore {
    /// The score as a JSON value, as its serde writer writes it ([`Response::to_value`]).
    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        let mut put = |key: &str, value: Value| {
            map.insert(key.to_owned(), value);
        };
        put("id", Value::from(self.id.as_str()));
        put("label", Value::from(self.label.as_str()));
        put("rule", Value::from(self.rule.as_str()));
        put("instrument", Value::from(self.instrument.as_str()));
        put("value", crate::number::to_value(self.value));
        put("min", crate::number::to_value(self.min));
        put("max", crate::number::to_value(self.max));
        put("answered", Value::from(self.answered));
        put("counted", Value::from(self.counted));
        put("complete", Value::Bool(self.complete));
        if !self.missing.is_empty() {
            put("missing", strings(&self.missing));
        }
        if self.prorated {
            put("prorated", Value::Bool(true));
        }
        if let Some(band) = &self.band {
            put("band", Value::from(band.as_str()));
        }
        if !self.available {
            put("available", Value::Bool(false));
        }
        Value::Object(map)
    }
}

impl WireFlag {
    /// The flag as a JSON value, as its serde writer writes it ([`Response::to_value`]).
    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        map.insert("id".to_owned(), Value::from(self.id.as_str()));
        map.insert("label".to_owned(), Value::from(self.label.as_str()));
        map.insert("severity".to_owned(), Value::from(self.severity.as_str()));
        map.insert("items".to_owned(), strings(&self.items));
        if !self.details.is_empty() {
            map.insert("details".to_owned(), strings(&self.details));
        }
        Value::Object(map)
    }
}

/// Answers by item id as compact JSON text, written as a response writes its `answers` (an
/// object, keys in sorted order). For a draft of answers in progress.
pub fn answers_json(answers: &LiteMap<String, AnswerValue>) -> String {
    crate::json_value::write(&answers_value(answers))
}

/// Answers by item id from a parsed JSON object (as a response's `answers`), refusing a key
/// written twice.
pub fn answers_from_value(
    value: serde_json::Value,
) -> Result<LiteMap<String, AnswerValue>, serde_json::Error> {
    crate::serde_strict::unique_keys(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A response with every field a writer may leave out present, every severity and scoring
    /// rule, rows, fractions and a number that is not finite.
    fn full_response() -> Response {
        let severities = [
            Severity::Safety,
            Severity::ExcludePendingReview,
            Severity::MedicalClearance,
            Severity::Monitor,
            Severity::Info,
        ];
        let methods = [ScoreMethod::Sum, ScoreMethod::Mean, ScoreMethod::Count];
        let row: LiteMap<String, AnswerValue> = [
            ("dose".to_owned(), AnswerValue::Integer(-5)),
            (
                "name".to_owned(),
                AnswerValue::Text("Xanax \"XR\"\n\u{1}".to_owned()),
            ),
        ]
        .into_iter()
        .collect();
        Response {
            format: RESPONSE_FORMAT.to_owned(),
            schema_version: RESPONSE_SCHEMA_VERSION,
            instrument: InstrumentRef {
                id: "intake".to_owned(),
                version: "1.2.0".to_owned(),
                content_hash: "sha256:00ff".to_owned(),
            },
            status: Status::Completed,
            language: Some("es".to_owned()),
            started_at: Some("2026-11-28T09:00:00.000Z".to_owned()),
            updated_at: "2026-11-28T09:05:00.000Z".to_owned(),
            completed_at: Some("2026-11-28T09:05:00.000Z".to_owned()),
            answers: [
                ("a".to_owned(), AnswerValue::Bool(true)),
                (
                    "b".to_owned(),
                    AnswerValue::Choices(vec!["1".into(), "2".into()]),
                ),
                (
                    "c".to_owned(),
                    AnswerValue::Rows(vec![row.clone(), LiteMap::new()]),
                ),
                ("d".to_owned(), AnswerValue::Integer(i64::MAX)),
            ]
            .into_iter()
            .collect(),
            scores: methods
                .iter()
                .enumerate()
                .map(|(index, method)| WireScore {
                    id: format!("s{index}"),
                    label: "Total é".to_owned(),
                    rule: *method,
                    instrument: "phq9@1".to_owned(),
                    value: [27.0, 1.5, f64::NAN][index],
                    min: -0.25,
                    max: 1e300,
                    answered: index,
                    counted: 9,
                    complete: index == 0,
                    missing: if index == 1 {
                        vec!["q1".into()]
                    } else {
                        Vec::new()
                    },
                    prorated: index == 1,
                    band: (index == 0).then(|| "Severe".to_owned()),
                    available: index != 2,
                })
                .collect(),
            flags: severities
                .iter()
                .enumerate()
                .map(|(index, severity)| WireFlag {
                    id: format!("f{index}"),
                    label: "Flag".to_owned(),
                    severity: *severity,
                    items: vec!["q9".into()],
                    details: if index % 2 == 0 {
                        vec!["alprazolam".into()]
                    } else {
                        Vec::new()
                    },
                })
                .collect(),
            thresholds: [("bp".to_owned(), 140.0), ("bmi".to_owned(), 32.5)]
                .into_iter()
                .collect(),
            withheld_sections: vec!["drugs".into()],
        }
    }

    #[test]
    fn a_response_is_written_by_hand_as_its_serde_writer_writes_it() {
        let full = full_response();
        assert_eq!(full.to_json(), serde_json::to_string(&full).expect("JSON"));
        // And with every optional field left out.
        let bare = Response {
            status: Status::InProgress,
            language: None,
            started_at: None,
            completed_at: None,
            answers: LiteMap::new(),
            scores: Vec::new(),
            flags: Vec::new(),
            thresholds: LiteMap::new(),
            withheld_sections: Vec::new(),
            ..full
        };
        assert_eq!(bare.to_json(), serde_json::to_string(&bare).expect("JSON"));
        // A draft's answers, as serde's writer writes a response's.
        let by_serde = serde_json::to_value(full_response()).expect("JSON");
        assert_eq!(
            answers_json(&full_response().answers),
            serde_json::to_string(&by_serde["answers"]).expect("JSON")
        );
    }
}
