//! The questionnaire definition model: a questionnaire holds sections, a section holds items,
//! and each item has a kind (single choice, yes/no, text, ...). Definitions are data: the
//! built-in instruments and a clinic's own forms are JSON documents of this shape, read with
//! [`Questionnaire::from_json`], which never panics and names the path of any bad field.
//!
//! Scoring rules and flag rules live in [`crate::scoring`] and [`crate::flags`]; the conditions
//! that both they and visibility use live in [`crate::condition`].

use litemap::LiteMap;
use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::condition::Condition;
use crate::diagnostic::{DefinitionError, Diagnostic};
use crate::flags::FlagRule;
use crate::scoring::ScoreRule;

/// The value of [`Questionnaire::format`] for definitions of this version.
pub const DEFINITION_FORMAT: &str = "kapforms-definition";
/// The schema version of definitions this crate reads and writes.
pub const DEFINITION_SCHEMA_VERSION: u32 = 1;

/// A whole questionnaire: metadata, provenance, sections of items, scores and flags.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    /// Always `"kapforms-definition"`.
    pub format: String,
    /// The definition schema version; this crate reads version 1.
    pub schema_version: u32,
    /// Stable machine id, e.g. `"phq9"`. Lower-case letters, digits, `-` and `_`.
    pub id: String,
    /// Version of this definition's content (not of the schema), e.g. `"1.0.0"`.
    pub version: String,
    /// Title shown to the patient.
    pub title: String,
    /// A code for the whole instrument (e.g. LOINC 44249-1 for the PHQ-9), used in FHIR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<Coding>,
    /// Optional introduction shown before the first section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the content comes from, under what licence, and what justifies its scoring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// Named answer lists that choice items may share, e.g. the PHQ frequency scale.
    #[serde(
        default,
        skip_serializing_if = "LiteMap::is_empty",
        serialize_with = "crate::id_map::serialize",
        deserialize_with = "crate::serde_strict::unique_keys"
    )]
    #[cfg_attr(
        feature = "json-schema",
        schemars(with = "std::collections::BTreeMap<String, Vec<AnswerOption>>")
    )]
    pub option_sets: LiteMap<String, Vec<AnswerOption>>,
    /// The sections, in the order the patient meets them.
    pub sections: Vec<Section>,
    /// Scores computed from the answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scores: Vec<ScoreRule>,
    /// Flags raised for the clinician by answer conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<FlagRule>,
    /// Numeric cut-offs of flag rules that a clinic may configure (for example the blood
    /// pressure above which "monitor" is raised). A condition uses one by naming it in its
    /// `threshold` field; see [`Threshold`] and [`Questionnaire::with_thresholds`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thresholds: Vec<Threshold>,
    /// The score shown to the patient as a running total while they answer (by id), if any.
    /// Clinicians get every score in the response whatever this says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running_total: Option<String>,
    /// The instrument's wording may not be reproduced in software without a licence (C-SSRS,
    /// MDQ, ...). Such a definition is a skeleton: structure, scoring and flags, with empty
    /// item text; a licensed clinic supplies the wording as a text pack
    /// ([`Questionnaire::with_text_pack`]). Until it does, the form is not shown.
    #[serde(default, skip_serializing_if = "is_false")]
    pub restricted_text: bool,
    /// The clinic's values for [`Questionnaire::thresholds`], by id, as the host configured
    /// them ([`Questionnaire::with_thresholds`]). Not part of the definition's content (nor of
    /// its hash): responses record them instead, so a re-score uses the same values.
    #[serde(skip)]
    pub(crate) threshold_overrides: LiteMap<String, f64>,
}

/// What [`Questionnaire::content_hash`] covers: the questionnaire's fields in their order and
/// with their serialization, but its provenance (borrowed, so hashing copies nothing).
#[derive(Serialize)]
struct HashedContent<'a> {
    format: &'a str,
    schema_version: u32,
    id: &'a str,
    version: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a Coding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(
        skip_serializing_if = "is_empty_map",
        serialize_with = "crate::id_map::serialize"
    )]
    option_sets: &'a LiteMap<String, Vec<AnswerOption>>,
    sections: &'a [Section],
    #[serde(skip_serializing_if = "is_empty_slice")]
    scores: &'a [ScoreRule],
    #[serde(skip_serializing_if = "is_empty_slice")]
    flags: &'a [FlagRule],
    #[serde(skip_serializing_if = "is_empty_slice")]
    thresholds: &'a [Threshold],
    #[serde(skip_serializing_if = "Option::is_none")]
    running_total: Option<&'a str>,
    #[serde(skip_serializing_if = "is_false")]
    restricted_text: bool,
}

/// `skip_serializing_if` for a borrowed list.
fn is_empty_slice<T>(list: &&[T]) -> bool {
    list.is_empty()
}

/// `skip_serializing_if` for a borrowed map.
fn is_empty_map<K, V>(map: &&LiteMap<K, V>) -> bool {
    map.is_empty()
}

impl<'a> HashedContent<'a> {
    /// The hashed content of `questionnaire`. The pattern names every field, so a field added
    /// to [`Questionnaire`] does not compile until it is hashed here or left out on purpose.
    fn of(questionnaire: &'a Questionnaire) -> HashedContent<'a> {
        let Questionnaire {
            format,
            schema_version,
            id,
            version,
            title,
            code,
            description,
            provenance: _,
            option_sets,
            sections,
            scores,
            flags,
            thresholds,
            running_total,
            restricted_text,
            threshold_overrides: _,
        } = questionnaire;
        HashedContent {
            format,
            schema_version: *schema_version,
            id,
            version,
            title,
            code: code.as_ref(),
            description: description.as_deref(),
            option_sets,
            sections,
            scores,
            flags,
            thresholds,
            running_total: running_total.as_deref(),
            restricted_text: *restricted_text,
        }
    }
}

/// A configurable numeric cut-off of the flag rules, with the range a clinic may set it in.
///
/// In JSON: `{"id": "bp_monitor_systolic", "label": "Systolic blood pressure above which
/// monitor is flagged", "default": 140, "min": 120, "max": 200, "unit": "mmHg"}`. A condition
/// names it beside the bound it sets: `{"answer": {"item": "bp_systolic", "score_above": 140,
/// "threshold": "bp_monitor_systolic"}}`; the written bound must equal the default, so the
/// definition reads true, and a clinic's value replaces it at run time.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// Id unique among the questionnaire's thresholds.
    pub id: String,
    /// What the threshold decides, as a clinician reads it.
    pub label: String,
    /// The value used unless the clinic sets another.
    #[serde(serialize_with = "crate::number::serialize")]
    pub default: f64,
    /// The lowest value a clinic may set.
    #[serde(serialize_with = "crate::number::serialize")]
    pub min: f64,
    /// The highest value a clinic may set.
    #[serde(serialize_with = "crate::number::serialize")]
    pub max: f64,
    /// The unit, e.g. `"mmHg"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// A clinic's threshold values by threshold id (see [`Questionnaire::with_thresholds`]).
pub type ThresholdValues = LiteMap<String, f64>;

/// Reads threshold values (`{"bp_monitor_systolic": 150}`) from JSON; an error names its path
/// under `thresholds` (a value that is not a number is refused at `thresholds.<id>`).
pub fn parse_thresholds(text: &str) -> Result<ThresholdValues, Diagnostic> {
    let value: serde_json::Value = crate::json_path::parse(text).map_err(|diagnostic| {
        let path = if diagnostic.path == "." {
            "thresholds".to_owned()
        } else {
            format!("thresholds.{}", diagnostic.path)
        };
        Diagnostic::new(path, diagnostic.message)
    })?;
    threshold_values_from(&value)
}

/// Threshold values from an already parsed JSON value (an object of numbers by id).
pub fn threshold_values_from(value: &serde_json::Value) -> Result<ThresholdValues, Diagnostic> {
    let serde_json::Value::Object(map) = value else {
        return Err(Diagnostic::new(
            "thresholds",
            "expected an object of numbers by threshold id",
        ));
    };
    let mut values = ThresholdValues::new();
    for (id, value) in map {
        match value.as_f64().filter(|v| v.is_finite()) {
            Some(number) => {
                values.insert(id.clone(), number);
            }
            None => {
                return Err(Diagnostic::new(
                    format!("thresholds.{id}"),
                    // Written by core's compact writer (what serde_json's writes), not
                    // `Value`'s `Display`, which would bring serde's serializer and its pretty
                    // writer into the WebAssembly module too.
                    format!(
                        "expected a number, found {}",
                        crate::json_value::write(value)
                    ),
                ));
            }
        }
    }
    Ok(values)
}

/// A clinic's licensed wording for a skeleton: item id → question text, and
/// `"<item id>/<option code>"` → option label.
pub type TextPack = LiteMap<String, String>;

/// Reads a text pack inside a larger document (a translation file's `text`), refusing a key
/// written twice. For `#[serde(deserialize_with = "...")]`.
pub fn deserialize_text_pack<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<TextPack, D::Error> {
    crate::serde_strict::unique_keys(deserializer)
}

/// Reads a text pack from JSON; an error names its path under `text_pack`.
pub fn parse_text_pack(text: &str) -> Result<TextPack, Diagnostic> {
    /// A text pack as read: a key written twice is refused.
    #[derive(Deserialize)]
    #[serde(transparent)]
    struct UniqueTextPack(#[serde(deserialize_with = "crate::serde_strict::unique_keys")] TextPack);
    crate::json_path::parse(text)
        .map(|UniqueTextPack(pack)| pack)
        .map_err(|diagnostic| {
            let path = if diagnostic.path == "." {
                "text_pack".to_owned()
            } else {
                format!("text_pack.{}", diagnostic.path)
            };
            Diagnostic::new(path, diagnostic.message)
        })
}

/// A text pack from a parsed JSON value, read by hand (no serde reader): `None` unless it is
/// an object of strings. For a pack already parsed (a page's options) and for the shipped
/// translations ([`parse_trusted_text_pack`]).
pub fn text_pack_from_value(value: serde_json::Value) -> Option<TextPack> {
    let serde_json::Value::Object(entries) = value else {
        return None;
    };
    entries
        .into_iter()
        .map(|(key, text)| match text {
            serde_json::Value::String(text) => Some((key, text)),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .map(crate::id_map::collect)
}

/// Reads a shipped translation's wording (a text pack validated when it was built) like
/// [`parse_text_pack`], but from the parsed value by hand ([`text_pack_from_value`]): what the
/// patient's bundle of built-ins does, which carries no serde reader of text packs. A key
/// written twice keeps its last value here, where [`parse_text_pack`] refuses it.
pub fn parse_trusted_text_pack(text: &str) -> Result<TextPack, Diagnostic> {
    crate::json_value::parse(text.strip_prefix('\u{feff}').unwrap_or(text))
        .ok()
        .and_then(text_pack_from_value)
        .ok_or_else(|| Diagnostic::new("text_pack", "expected an object of strings"))
}

/// A code from a terminology, e.g. `{"system": "http://loinc.org", "code": "44250-9"}`.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coding {
    /// The terminology's canonical URI.
    pub system: String,
    /// The code.
    pub code: String,
    /// The terminology's display text for the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

/// Source, licence and citations of a definition's content.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// Where the wording was taken from.
    pub source: String,
    /// The licence or permission statement, quoted.
    pub licence: String,
    /// Copyright or attribution line to keep with the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    /// Citations for scoring rules, cut-offs and flags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<Citation>,
    /// The provenance of each embedded instrument (module), kept with its wording.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modules: Vec<ModuleProvenance>,
}

/// Where an embedded instrument comes from.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleProvenance {
    /// The section that embeds it.
    pub section: String,
    /// The instrument, as `id@version`.
    pub instrument: String,
    /// The instrument's own provenance.
    pub provenance: Box<Provenance>,
}

/// One citation and what it supports.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// What the citation supports, e.g. `"severity bands"`.
    pub supports: String,
    /// The reference.
    pub reference: String,
}

/// A group of items shown together.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Id unique within the questionnaire.
    pub id: String,
    /// Heading shown to the patient.
    pub title: String,
    /// Optional text shown under the heading, e.g. a question stem shared by the items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
    /// The id of a built-in instrument this section embeds, scored as that instrument. Such a
    /// section is written without `items`; reading the definition splices the instrument in
    /// (see [`crate::modules`]), so a loaded definition never has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
    /// For a module section: the embedded instrument's questions may be left unanswered (its
    /// items are spliced in as not required), e.g. a trauma checklist a patient may prefer to
    /// talk about instead.
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
    /// The section's wording is licensed and supplied by the clinic (set on the sections an
    /// embedded skeleton brings, such as DAST-10 in the intake). While any of its wording is
    /// missing, its items are withheld: not shown, not required, not scored (their scores
    /// are reported as not available), and the response says the section was withheld.
    #[serde(default, skip_serializing_if = "is_false")]
    pub restricted_text: bool,
    /// The section's items in order.
    #[serde(default)]
    pub items: Vec<Item>,
}

/// One question (or piece of display text).
///
/// In JSON an item is one flat object: the common fields, a `"type"` tag, and the fields that
/// type takes (`options`, `min`, ...). A field that does not apply to the item's type is an
/// error, not silently ignored, so a misspelt or misplaced field never goes unnoticed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(into = "RawItem")]
pub struct Item {
    /// Id unique within the questionnaire; answers are keyed by it.
    pub id: String,
    /// The question text as the patient reads it.
    pub text: String,
    /// Optional hint shown under the question.
    pub help: Option<String>,
    /// Whether an answer is needed before the form can be submitted.
    pub required: bool,
    /// When present, the item is shown (and its answer counted) only while this holds.
    pub enable_when: Option<Condition>,
    /// A code for the question (e.g. its LOINC code), used in FHIR.
    pub code: Option<Coding>,
    /// What kind of answer the item takes.
    pub kind: ItemKind,
    /// Why the item as written is not a valid item of its type (an unknown type, a field
    /// that does not apply), found while reading; validation reports it at the item's path.
    pub(crate) problem: Option<String>,
}

impl Item {
    /// A display item (text for the patient to read, no answer) with nothing else set.
    pub fn display(id: String, text: String) -> Item {
        Item {
            id,
            text,
            help: None,
            required: false,
            enable_when: None,
            code: None,
            kind: ItemKind::Display,
            problem: None,
        }
    }
}

/// Reading an item never fails on its content: a problem is kept on the item and reported by
/// validation with the item's exact path (serde's own position for such errors is imprecise).
impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Item, D::Error> {
        let raw = RawItem::deserialize(deserializer)?;
        let kept = (
            raw.id.clone(),
            raw.text.clone(),
            raw.help.clone(),
            raw.required,
            raw.enable_when.clone(),
            raw.code.clone(),
        );
        Ok(Item::try_from(raw).unwrap_or_else(|problem| {
            let (id, text, help, required, enable_when, code) = kept;
            Item {
                id,
                text,
                help,
                required,
                enable_when,
                code,
                kind: ItemKind::Display,
                problem: Some(problem),
            }
        }))
    }
}

/// The kinds of item, written as `"type"` in JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// Exactly one option; options may carry scores.
    SingleChoice {
        /// The options, inline or by the name of an option set.
        options: Options,
    },
    /// Any number of options.
    MultipleChoice {
        /// The options, inline or by the name of an option set.
        options: Options,
    },
    /// Yes or no; answered with a boolean.
    YesNo {
        /// Score of a "yes" answer, if the item is scored.
        yes_score: Option<f64>,
        /// Score of a "no" answer, if the item is scored.
        no_score: Option<f64>,
    },
    /// One line of text.
    ShortText {
        /// Longest answer accepted, in characters.
        max_length: Option<u32>,
    },
    /// Several lines of text.
    LongText {
        /// Longest answer accepted, in characters.
        max_length: Option<u32>,
    },
    /// A whole number, optionally within a range.
    Integer {
        /// Smallest accepted value.
        min: Option<i64>,
        /// Largest accepted value.
        max: Option<i64>,
        /// Unit shown beside the field, e.g. `"mmHg"`.
        unit: Option<String>,
    },
    /// A calendar date, answered as `YYYY-MM-DD`.
    Date,
    /// Text for the patient to read; takes no answer.
    Display,
    /// A group of fields the patient fills in once per row, as many rows as they need (for
    /// example one row per medicine: name, dose, how often). Answered with a list of rows.
    RepeatingGroup {
        /// The fields of one row: ordinary items with ids unique within the group.
        fields: Vec<Item>,
        /// The most rows accepted.
        max_rows: Option<u32>,
    },
}

impl ItemKind {
    /// The `"type"` tag of this kind, as written in JSON.
    pub fn type_name(&self) -> &'static str {
        match self {
            ItemKind::SingleChoice { .. } => "single_choice",
            ItemKind::MultipleChoice { .. } => "multiple_choice",
            ItemKind::YesNo { .. } => "yes_no",
            ItemKind::ShortText { .. } => "short_text",
            ItemKind::LongText { .. } => "long_text",
            ItemKind::Integer { .. } => "integer",
            ItemKind::Date => "date",
            ItemKind::Display => "display",
            ItemKind::RepeatingGroup { .. } => "repeating_group",
        }
    }

    /// Whether items of this kind take an answer.
    pub fn takes_answer(&self) -> bool {
        !matches!(self, ItemKind::Display)
    }
}

/// One question as a flat JSON object: the common fields, a `type`, and the fields that type
/// takes (`options` for choices, `yes_score`/`no_score`, `max_length`, `min`/`max`/`unit`).
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawItem {
    pub(crate) id: String,
    #[serde(rename = "type")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(extend("enum" = ["single_choice", "multiple_choice", "yes_no", "short_text",
            "long_text", "integer", "date", "display", "repeating_group"]))
    )]
    pub(crate) item_type: String,
    pub(crate) text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) help: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub(crate) required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) enable_when: Option<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) code: Option<Coding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) options: Option<Options>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) yes_score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) no_score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) max_length: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) max: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) fields: Option<Vec<Item>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) max_rows: Option<u32>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl TryFrom<RawItem> for Item {
    type Error = String;

    fn try_from(raw: RawItem) -> Result<Item, String> {
        let mut stray: Vec<&str> = Vec::new();
        let mut allow = |present: bool, name: &'static str, allowed: bool| {
            if present && !allowed {
                stray.push(name);
            }
        };
        let t = raw.item_type.as_str();
        const TYPES: [&str; 9] = [
            "single_choice",
            "multiple_choice",
            "yes_no",
            "short_text",
            "long_text",
            "integer",
            "date",
            "display",
            "repeating_group",
        ];
        if !TYPES.contains(&t) {
            return Err(format!(
                "unknown type `{}`; expected one of {}",
                crate::diagnostic::quoted(t),
                TYPES.join(", ")
            ));
        }
        let choice = t == "single_choice" || t == "multiple_choice";
        allow(raw.options.is_some(), "options", choice);
        allow(raw.yes_score.is_some(), "yes_score", t == "yes_no");
        allow(raw.no_score.is_some(), "no_score", t == "yes_no");
        allow(
            raw.max_length.is_some(),
            "max_length",
            t == "short_text" || t == "long_text",
        );
        allow(raw.min.is_some(), "min", t == "integer");
        allow(raw.max.is_some(), "max", t == "integer");
        allow(raw.unit.is_some(), "unit", t == "integer");
        allow(raw.fields.is_some(), "fields", t == "repeating_group");
        allow(raw.max_rows.is_some(), "max_rows", t == "repeating_group");
        if !stray.is_empty() {
            return Err(format!(
                "field(s) {} do not apply to a `{t}` item",
                stray.join(", ")
            ));
        }
        let kind = match t {
            "single_choice" | "multiple_choice" => {
                let options = raw
                    .options
                    .ok_or_else(|| format!("a `{t}` item needs `options`"))?;
                if t == "single_choice" {
                    ItemKind::SingleChoice { options }
                } else {
                    ItemKind::MultipleChoice { options }
                }
            }
            "yes_no" => ItemKind::YesNo {
                yes_score: raw.yes_score,
                no_score: raw.no_score,
            },
            "short_text" => ItemKind::ShortText {
                max_length: raw.max_length,
            },
            "long_text" => ItemKind::LongText {
                max_length: raw.max_length,
            },
            "integer" => ItemKind::Integer {
                min: raw.min,
                max: raw.max,
                unit: raw.unit,
            },
            "date" => ItemKind::Date,
            "display" => ItemKind::Display,
            "repeating_group" => ItemKind::RepeatingGroup {
                fields: raw
                    .fields
                    .ok_or_else(|| "a `repeating_group` item needs `fields`".to_owned())?,
                max_rows: raw.max_rows,
            },
            other => {
                return Err(format!(
                    "unknown type `{other}`; expected one of single_choice, \
                     multiple_choice, yes_no, short_text, long_text, integer, date, display, \
                     repeating_group"
                ))
            }
        };
        Ok(Item {
            id: raw.id,
            text: raw.text,
            help: raw.help,
            required: raw.required,
            enable_when: raw.enable_when,
            code: raw.code,
            kind,
            problem: None,
        })
    }
}

/// An item's schema is the flat JSON object it is read from.
#[cfg(feature = "json-schema")]
impl schemars::JsonSchema for Item {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Item".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        RawItem::json_schema(generator)
    }
}

impl From<Item> for RawItem {
    fn from(item: Item) -> RawItem {
        let mut raw = RawItem {
            id: item.id,
            item_type: item.kind.type_name().to_owned(),
            text: item.text,
            help: item.help,
            required: item.required,
            enable_when: item.enable_when,
            code: item.code,
            options: None,
            yes_score: None,
            no_score: None,
            max_length: None,
            min: None,
            max: None,
            unit: None,
            fields: None,
            max_rows: None,
        };
        match item.kind {
            ItemKind::SingleChoice { options } | ItemKind::MultipleChoice { options } => {
                raw.options = Some(options)
            }
            ItemKind::YesNo {
                yes_score,
                no_score,
            } => {
                raw.yes_score = yes_score;
                raw.no_score = no_score;
            }
            ItemKind::ShortText { max_length } | ItemKind::LongText { max_length } => {
                raw.max_length = max_length
            }
            ItemKind::Integer { min, max, unit } => {
                raw.min = min;
                raw.max = max;
                raw.unit = unit;
            }
            ItemKind::RepeatingGroup { fields, max_rows } => {
                raw.fields = Some(fields);
                raw.max_rows = max_rows;
            }
            ItemKind::Date | ItemKind::Display => {}
        }
        raw
    }
}

/// A choice item's options: written inline, or named from [`Questionnaire::option_sets`].
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Options {
    /// The name of an option set.
    Set(String),
    /// The options themselves.
    Inline(Vec<AnswerOption>),
}

/// Reads a choice item's options by the JSON type it meets, in one pass: a string names a set,
/// a list holds the options. (serde's `untagged` would buffer the value and try each variant
/// in turn: slower, vaguer errors, and its buffering machinery in the WebAssembly module.)
impl<'de> Deserialize<'de> for Options {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OptionsVisitor;

        impl<'de> serde::de::Visitor<'de> for OptionsVisitor {
            type Value = Options;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("the name of an option set, or a list of options")
            }

            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Options, E> {
                Ok(Options::Set(name.to_owned()))
            }

            fn visit_string<E: serde::de::Error>(self, name: String) -> Result<Options, E> {
                Ok(Options::Set(name))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Options, A::Error> {
                Vec::<AnswerOption>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
                    .map(Options::Inline)
            }
        }

        deserializer.deserialize_any(OptionsVisitor)
    }
}

/// One option of a choice item.
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    /// The code stored in answers, e.g. `"2"`. Unique within the item.
    pub value: String,
    /// The label the patient reads.
    pub label: String,
    /// The option's score, for scored items.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::number::serialize_option"
    )]
    pub score: Option<f64>,
    /// A code for the answer (e.g. LOINC LA6568-5), used in FHIR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<Coding>,
}

impl Questionnaire {
    /// Parses and validates a definition from JSON text.
    ///
    /// Never panics. A syntax or shape error names the JSON path of the bad field
    /// (`sections[0].items[3].type`); a definition that parses but is inconsistent (duplicate
    /// ids, a score naming a missing item, bands with gaps) returns every problem found.
    pub fn from_json(text: &str) -> Result<Questionnaire, DefinitionError> {
        Questionnaire::from_json_with(text, &crate::modules::no_modules)
    }

    /// Reads a definition's JSON without expanding modules or validating: what a module
    /// resolver hands back (see [`crate::modules`]). Use [`Questionnaire::from_json`] for
    /// anything that will be shown or scored.
    pub fn parse_unchecked(text: &str) -> Result<Questionnaire, Diagnostic> {
        crate::json_path::parse(text)
    }

    /// Like [`Questionnaire::from_json`], resolving module sections (embedded instruments)
    /// with `resolve`; see [`crate::modules`].
    pub fn from_json_with(
        text: &str,
        resolve: crate::modules::Resolver<'_>,
    ) -> Result<Questionnaire, DefinitionError> {
        let questionnaire: Questionnaire =
            crate::json_path::parse(text).map_err(DefinitionError::Parse)?;
        questionnaire.expanded_with(resolve)
    }

    /// Like [`Questionnaire::from_json_with`] but without validating: only for a definition
    /// whose exact text was validated when it was built. The built-in instruments are such
    /// (`kapforms-instruments` tests load and validate every one, and check that the copies
    /// the patient's form carries are the same definitions), so a form starting one does not
    /// repeat the check on every page load. A definition from anywhere else (a clinic's own,
    /// one passed at run time) must go through [`Questionnaire::from_json_with`].
    pub fn from_trusted_json_with(
        text: &str,
        resolve: crate::modules::Resolver<'_>,
    ) -> Result<Questionnaire, DefinitionError> {
        let mut questionnaire =
            Questionnaire::parse_trusted(text).map_err(DefinitionError::Parse)?;
        crate::modules::expand(&mut questionnaire, resolve, &mut Vec::new())
            .map_err(DefinitionError::Invalid)?;
        Ok(questionnaire)
    }

    /// Reads a built-in's copy without provenance (see [`Questionnaire::from_trusted_json_with`]),
    /// its module sections not yet expanded, with the small reader of such copies
    /// ([`crate::trusted_reader`]) instead of serde's: what the patient's bundle of built-ins
    /// does, which carries no other reader of definitions. Gives the same definition as
    /// [`Questionnaire::parse_unchecked`] for every such copy; refuses provenance and any
    /// field it does not know. Never panics.
    pub fn parse_trusted(text: &str) -> Result<Questionnaire, Diagnostic> {
        crate::trusted_reader::read(text)
    }

    /// [`Questionnaire::parse_trusted`] from the definition's parsed JSON `value` (one
    /// member of a larger JSON document).
    pub fn parse_trusted_value(value: serde_json::Value) -> Result<Questionnaire, Diagnostic> {
        crate::trusted_reader::read_value(value)
    }

    /// A definition read with [`Questionnaire::parse_unchecked`] (and perhaps reworded) with its
    /// module sections spliced in by `resolve`, then validated, as
    /// [`Questionnaire::from_json_with`] does.
    pub fn expanded_with(
        self,
        resolve: crate::modules::Resolver<'_>,
    ) -> Result<Questionnaire, DefinitionError> {
        let mut questionnaire = self;
        crate::modules::expand(&mut questionnaire, resolve, &mut Vec::new())
            .map_err(DefinitionError::Invalid)?;
        let problems = crate::validate::validate(&questionnaire);
        if problems.is_empty() {
            Ok(questionnaire)
        } else {
            Err(DefinitionError::Invalid(problems))
        }
    }

    /// The ids of its sections, in order (e.g. the sections shown in English when there is
    /// no translation into the patient's language).
    pub fn section_ids(&self) -> Vec<String> {
        self.sections
            .iter()
            .map(|section| section.id.clone())
            .collect()
    }

    /// Iterates over every item of every section, in order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.sections
            .iter()
            .flat_map(|section| section.items.iter())
    }

    /// The item with this id, if any.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items().find(|item| item.id == id)
    }

    /// The options of a choice item (resolving a named set); empty for other kinds or an
    /// unknown set name (which validation reports).
    pub fn options_of<'a>(&'a self, item: &'a Item) -> &'a [AnswerOption] {
        let options = match &item.kind {
            ItemKind::SingleChoice { options } | ItemKind::MultipleChoice { options } => options,
            _ => return &[],
        };
        match options {
            Options::Inline(list) => list,
            Options::Set(name) => self.option_sets.get(name).map_or(&[], Vec::as_slice),
        }
    }

    /// A SHA-256 hash of the definition's content, as `"sha256:<hex>"`.
    ///
    /// Computed over the canonical serialization (fields in declaration order, maps sorted),
    /// so whitespace and key order in the source file do not change it. Responses carry it, so
    /// a verifier can tell whether it re-scores against the same definition.
    ///
    /// The content is everything the patient reads and everything that scores and flags:
    /// every field but [`Questionnaire::provenance`], which says where that content comes
    /// from. So a corrected citation does not orphan stored responses, and the patient's
    /// bundle can carry the definitions without their provenance (the clinician's view and
    /// the tools keep it) and still record the same hash.
    pub fn content_hash(&self) -> String {
        let canonical = serde_json::to_vec(&HashedContent::of(self)).unwrap_or_default();
        let digest = Sha256::digest(&canonical);
        let mut hex = String::with_capacity(7 + 64);
        hex.push_str("sha256:");
        for byte in digest {
            hex.push_str(&format!("{byte:02x}"));
        }
        hex
    }

    /// A generous estimate of how long the questionnaire takes, in whole minutes (at least
    /// one): a few seconds per choice, more for numbers and dates, most for free text; withheld
    /// sections are not asked, so they do not count. Shown on the start page so a patient
    /// knows what they are agreeing to.
    pub fn estimated_minutes(&self) -> u32 {
        let withheld = self.withheld_sections();
        let seconds: u32 = self
            .sections
            .iter()
            .filter(|section| !withheld.contains(&section.id))
            .flat_map(|section| section.items.iter())
            .map(|item| match item.kind {
                ItemKind::SingleChoice { .. } | ItemKind::YesNo { .. } => 10,
                ItemKind::MultipleChoice { .. } => 20,
                ItemKind::Integer { .. } | ItemKind::Date => 15,
                ItemKind::ShortText { .. } => 30,
                ItemKind::LongText { .. } => 90,
                ItemKind::Display => 10,
                ItemKind::RepeatingGroup { .. } => 60,
            })
            .sum();
        seconds.div_ceil(60).max(1)
    }

    /// Answerable items whose wording is missing (empty text or option labels): for a skeleton,
    /// what the clinic's text pack must still supply.
    pub fn missing_text(&self) -> Vec<String> {
        let mut missing = Vec::new();
        for item in self.items() {
            self.collect_missing_text(item, &mut missing);
        }
        missing
    }

    fn collect_missing_text(&self, item: &Item, missing: &mut Vec<String>) {
        if item.text.trim().is_empty() {
            missing.push(item.id.clone());
        }
        for option in self.options_of(item) {
            if option.label.trim().is_empty() {
                missing.push(format!("{}/{}", item.id, option.value));
            }
        }
    }

    /// Sections withheld for lack of licensed wording: `restricted_text` sections (an embedded
    /// skeleton's) with any item text or option label still missing. Their items are not
    /// shown, asked or scored until the clinic's text pack fills them.
    pub fn withheld_sections(&self) -> Vec<String> {
        self.sections
            .iter()
            .filter(|section| section.restricted_text)
            .filter(|section| {
                let mut missing = Vec::new();
                for item in &section.items {
                    self.collect_missing_text(item, &mut missing);
                }
                !missing.is_empty()
            })
            .map(|section| section.id.clone())
            .collect()
    }

    /// The threshold with this id, if declared.
    pub fn threshold(&self, id: &str) -> Option<&Threshold> {
        self.thresholds.iter().find(|threshold| threshold.id == id)
    }

    /// The clinic's threshold values set with [`Questionnaire::with_thresholds`] (empty when
    /// every threshold has its default).
    pub fn threshold_overrides(&self) -> &ThresholdValues {
        &self.threshold_overrides
    }

    /// Checks a clinic's threshold values against the declared thresholds: every id must name
    /// a threshold and every value lie within its range. Each problem has the path
    /// `thresholds.<id>`.
    pub fn check_thresholds(&self, values: &ThresholdValues) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for (id, value) in values {
            let path = format!("thresholds.{id}");
            let Some(threshold) = self.threshold(id) else {
                let known: Vec<&str> = self.thresholds.iter().map(|t| t.id.as_str()).collect();
                problems.push(Diagnostic::new(
                    path,
                    if known.is_empty() {
                        format!("`{}` has no configurable thresholds", self.id)
                    } else {
                        format!("no threshold has this id (known: {})", known.join(", "))
                    },
                ));
                continue;
            };
            if !value.is_finite() || *value < threshold.min || *value > threshold.max {
                let unit = threshold
                    .unit
                    .as_deref()
                    .map_or(String::new(), |unit| format!(" {unit}"));
                problems.push(Diagnostic::new(
                    path,
                    format!(
                        "{} is out of range: must be from {} to {}{unit}",
                        crate::number::display(*value),
                        crate::number::display(threshold.min),
                        crate::number::display(threshold.max)
                    ),
                ));
            }
        }
        problems
    }

    /// This definition with a clinic's threshold values (replacing any set before). Unknown
    /// ids and values outside a threshold's range are refused, each at `thresholds.<id>`. The
    /// content hash does not change: the values are recorded in each response instead.
    pub fn with_thresholds(
        &self,
        values: &ThresholdValues,
    ) -> Result<Questionnaire, Vec<Diagnostic>> {
        let mut configured = self.clone();
        configured.set_thresholds(values)?;
        Ok(configured)
    }

    /// Sets a clinic's threshold values on this definition in place (replacing any set
    /// before), refusing them as [`Questionnaire::with_thresholds`] does; a refusal leaves
    /// the definition as it was. What the patient's bundle uses: it owns the definition, and
    /// never cloning one keeps every definition type's `Clone` out of its module (2.1 KiB gzip
    /// of the module, measured).
    pub fn set_thresholds(&mut self, values: &ThresholdValues) -> Result<(), Vec<Diagnostic>> {
        let problems = self.check_thresholds(values);
        if !problems.is_empty() {
            return Err(problems);
        }
        self.threshold_overrides = values.clone();
        Ok(())
    }

    /// The item a text pack key names: the item with that id, else, for a key written for an
    /// instrument on its own (`dast10_1`), the one item of a `restricted_text` section whose
    /// id ends with `.<key>` (`drugs.dast10_1`), so a clinic's pack fits the instrument both
    /// alone and embedded.
    fn text_pack_target(&self, item_id: &str) -> Option<String> {
        if self.item(item_id).is_some() {
            return Some(item_id.to_owned());
        }
        let suffix = format!(".{item_id}");
        let mut found = self
            .sections
            .iter()
            .filter(|section| section.restricted_text)
            .flat_map(|section| section.items.iter())
            .filter(|item| item.id.ends_with(&suffix));
        match (found.next(), found.next()) {
            (Some(item), None) => Some(item.id.clone()),
            _ => None,
        }
    }

    /// A text pack key with its item id resolved by [`Questionnaire::text_pack_target`]: a key
    /// written for an instrument on its own (`dast10_1/2`) names the item it became once
    /// embedded (`drugs.dast10_1/2`). Keys for the questionnaire itself (`@title`) and keys
    /// that name no item stay as written.
    fn resolve_pack_key(&self, key: &str) -> String {
        if key.starts_with('@') {
            return key.to_owned();
        }
        let end = key.find(['/', '#', '>']).unwrap_or(key.len());
        let (item_id, rest) = key.split_at(end);
        match self.text_pack_target(item_id) {
            Some(target) if target != item_id => format!("{target}{rest}"),
            _ => key.to_owned(),
        }
    }

    /// This questionnaire with other wording: a licensed clinic's text pack filling in a
    /// skeleton (also one embedded as a module: see [`Questionnaire::text_pack_target`]), or a
    /// translation. Every key must name a place for wording (`item_id`, `item_id/code`,
    /// `item_id#help`, `@title`, ...: see [`crate::localize`]); an unknown key is an error at
    /// `text_pack.<key>`. Option labels of a named option set are copied into each item that
    /// is given one. Structure, codes and scoring never change.
    pub fn with_text_pack(&self, pack: &TextPack) -> Result<Questionnaire, Vec<Diagnostic>> {
        let resolved: TextPack = crate::id_map::collect(
            pack.iter()
                .map(|(key, text)| (self.resolve_pack_key(key), text.clone())),
        );
        crate::localize::reword(self, &resolved)
    }

    /// The ids of all items, for checks that need set membership.
    pub(crate) fn item_ids(&self) -> HashSet<&str> {
        self.items().map(|item| item.id.as_str()).collect()
    }
}
