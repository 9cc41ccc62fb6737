//! FHIR R4 import and export: a definition as a FHIR `Questionnaire`, a native
//! [`Response`](crate::wire::Response) as a `QuestionnaireResponse`, and the way back from real-world FHIR data. The JSON is built and
//! read as [`serde_json::Value`]; there is no FHIR crate behind it.
//!
//! # Export
//!
//! [`questionnaire`] writes a definition as an R4 `Questionnaire`; [`questionnaire_response`]
//! writes a native response as a `QuestionnaireResponse` of that Questionnaire. Choices are
//! laid out so that a FHIR reader needs no kapforms knowledge:
//!
//! - **Canonical URL.** `<canonical_base>:<id>` when the base ([`ExportOptions`]) is a URN
//!   (`urn:…`, the default `urn:kapforms:questionnaire` gives `urn:kapforms:questionnaire:phq9`),
//!   `<canonical_base>/<id>` otherwise (`https://forms.example/Questionnaire/phq9`). A response
//!   names its Questionnaire as `<canonical>|<version>`. The definition id is also written as
//!   an `identifier` with the system [`DEFINITION_ID_SYSTEM`]; that identifier marks a
//!   Questionnaire written by kapforms (see *Import*).
//! - **Sections** are `group` items (linkId = section id, text = title); a section's intro is
//!   a `display` child at the front. **Items** keep their id as linkId. **Scores** are
//!   read-only `decimal` items after the last section (linkId = score id), carrying an SDC
//!   `calculatedExpression` in FHIRPath (SDC `ordinal()` reads the option scores). Where a
//!   section or score id equals an item id, the group or score item gets `<id>.section` /
//!   `<id>.score` so linkIds stay unique. Responses nest answers in the sections' groups.
//!   Integer answers and bounds are written as they are; R4 limits `integer` to 32 bits.
//! - **Options** are `valueCoding`s: the option's own code (e.g. LOINC `LA6568-5`) when it has
//!   one, else the local system [`local_option_system`] with the option's value as code. A
//!   scored option carries its score twice, as the R4 `ordinalValue` and as the R5-backport
//!   `itemWeight` extension. A named option set becomes a contained `ValueSet`
//!   (`compose.include[].concept[]`) that its items name as `answerValueSet: "#<id>"`.
//! - **Visibility** is a standard `enableWhen` where FHIR can say it exactly (an answer equals
//!   an option / a boolean / a number / a text, a multiple choice includes an option, an item
//!   is answered or not, combined by one `all` or `any`). Conditions FHIR `enableWhen` cannot
//!   express (`score_at_least`, `not`, nested `all`/`any`) become an SDC
//!   `enableWhenExpression` in FHIRPath instead; they are never approximated.
//! - **Skeletons** (`restricted_text`) are exported without `text` and option `display`: FHIR
//!   JSON allows no empty strings, and no wording is invented.
//!
//! What FHIR has no element for travels in `urn:kapforms:extension:*` extensions (see the
//! `KAPFORMS_*` constants), so that export followed by [`import_questionnaire`] gives back the
//! same definition: option values that differ from their code, option set names and section
//! ids that are not valid FHIR ids or linkIds, yes/no scores, score rules (method, bands,
//! missing-answer rule), exact conditions, flag rules, the running total, provenance, the help
//! text of display items and the skeleton mark. Other FHIR readers may ignore them: everything
//! a form filler needs is in standard elements. Not exported: option sets no item uses (a
//! contained resource must be referenced), sections without items or intro (an R4 group needs
//! children), the `code` of a `display` item (R4 forbids it), and the `display` of an option's
//! code (the option's label is the display).
//!
//! # Import
//!
//! [`import_questionnaire`] reads an R4 `Questionnaire` (or a `Bundle` holding exactly one) and
//! returns an [`Imported`] definition, validated like any other, plus the map back to the
//! original linkIds ([`LinkIds`]) and warnings for what was left out. It is tolerant of
//! real-world data, and documented heuristics fill the gaps:
//!
//! - **Sections.** Each top-level `group` is a section; a run of top-level non-group items goes
//!   into a section of its own (id `section`, titled with the questionnaire's title). Deeper
//!   groups are flattened into their top-level section in order; a nested group's text becomes
//!   a `display` item. A group's (or a question's) `enableWhen` is carried down to every item
//!   inside it. When a section's first item is a plain `display` (no condition, no code) and
//!   more items follow, it becomes the section's intro. A `display` child marked as `help`
//!   (`itemControl` help or flyover) becomes its question's help.
//! - **Ids.** A linkId that is not a valid id (`[a-z0-9_.-]{1,64}`) is lower-cased, other
//!   characters become `_`, leading and trailing `_` go, and a clash gets `-2`, `-3`, …, all
//!   in document order, so the same file always gives the same ids. [`LinkIds`] maps every
//!   item, section and score id back to its linkId. The questionnaire's id comes from its
//!   `id`, else the end of its `url`, its `name` or its `title`, made valid the same way; a
//!   missing `version` becomes `unversioned`; `copyright` becomes the provenance licence.
//! - **Options** come from `answerOption` (`valueCoding`, `valueString`, `valueInteger`) or
//!   from an `answerValueSet` naming a contained ValueSet (`#id` or its `url`), read from
//!   `expansion.contains[]` or `compose.include[].concept[]`. The LOINC answer list `LL358-3`
//!   (PHQ/GAD frequency) is built in; any other external value set is an error. Scores come
//!   from `ordinalValue` or `itemWeight` on the option, its coding, or the ValueSet concept.
//! - **Totals.** A `decimal`/`integer`/`quantity` item with an SDC `calculatedExpression` or
//!   a `cqf-expression` (FHIRPath or CQL), or one coded as a known LOINC total (PHQ-9 44261-6,
//!   GAD-7 70274-6, PHQ-2 55758-7; also a hidden `display` so coded) is not a question. It becomes a `sum` score when its code is a known total, or its FHIRPath is a
//!   sum (has `sum(` or `+`, directly or through the variable it names), or its linkId or text
//!   says "total" or "sum". Which items it sums: the scored choice items coded as that
//!   total's LOINC items, else those whose linkIds the expression names, else every scored
//!   choice item (one whose every option carries a score). Any other calculated item (say a
//!   T-score lookup) is left out with a warning. When the form has no total item at all but
//!   every choice item carries scores, a `total` sum score over them is added (with a
//!   warning): scored answer lists exist to be added up.
//! - **Visibility.** `enableWhen` with `exists`, `=` and `!=` (read as "answered and not
//!   equal", since R4 enables nothing on a missing answer), and `>`, `>=`, `<`, `<=` on
//!   integer questions (an integer's score is its value), combined by `enableBehavior` (`all`
//!   when it is missing, with a warning). An `enableWhenExpression` from
//!   elsewhere cannot be evaluated and is an error, as is anything else that would change who
//!   sees what.
//! - **Left out, with a warning:** hidden items, the free text of `open-choice`, `repeats` on
//!   non-choice items, and (unless written by kapforms) `description`, which FHIR aims at
//!   implementers as often as at patients.
//!
//! [`import_questionnaire_response`] reads a `QuestionnaireResponse`'s answers back against a
//! definition: codings are matched by system and code, or by code alone when the answer has
//! no system (real data often omits it); score items are skipped, since scores are recomputed.

use crate::id_set::IdSet;
use litemap::LiteMap;

use serde_json::{json, Map, Value};

use crate::definition::{AnswerOption, Coding, Item, ItemKind, Options, Questionnaire};
use crate::diagnostic::Diagnostic;

mod conditions;
mod export;
mod fhirpath;
mod import;
mod loinc;
mod response;

pub use export::{
    questionnaire, questionnaire_response, questionnaire_response_as_built,
    questionnaire_response_with, questionnaire_with,
};
pub use import::{import_questionnaire, Imported};
pub use response::import_questionnaire_response;

/// The default [`ExportOptions::canonical_base`].
pub const DEFAULT_CANONICAL_BASE: &str = "urn:kapforms:questionnaire";
/// The `identifier.system` under which an exported Questionnaire carries its definition id.
pub const DEFINITION_ID_SYSTEM: &str = "urn:kapforms:definition-id";

/// R4 `ordinalValue` (on an answer option, a Coding or a ValueSet concept): the option's score.
pub const ORDINAL_VALUE: &str = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
/// R5 `itemWeight`, backported: the option's score.
pub const ITEM_WEIGHT: &str = "http://hl7.org/fhir/StructureDefinition/itemWeight";
/// Smallest value of an integer question.
pub const MIN_VALUE: &str = "http://hl7.org/fhir/StructureDefinition/minValue";
/// Largest value of an integer question.
pub const MAX_VALUE: &str = "http://hl7.org/fhir/StructureDefinition/maxValue";
/// The most repetitions of a repeating group.
pub const MAX_OCCURS: &str = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs";
/// Unit of a numeric question.
pub const QUESTIONNAIRE_UNIT: &str = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit";
/// How an item is rendered; `help` marks a question's help text.
pub const ITEM_CONTROL: &str = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl";
/// An item that is never shown.
pub const HIDDEN: &str = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden";
/// A named FHIRPath value usable in other expressions.
pub const VARIABLE: &str = "http://hl7.org/fhir/StructureDefinition/variable";
/// SDC: an item's value, calculated in FHIRPath.
pub const CALCULATED_EXPRESSION: &str =
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression";
/// SDC: when an item is enabled, in FHIRPath.
pub const ENABLE_WHEN_EXPRESSION: &str =
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression";
/// CQF: an item's value, calculated in some expression language (often CQL).
pub const CQF_EXPRESSION: &str = "http://hl7.org/fhir/StructureDefinition/cqf-expression";

/// kapforms: an option's native value where it differs from its code (valueString).
pub const KAPFORMS_OPTION_VALUE: &str = "urn:kapforms:extension:option-value";
/// kapforms: an option set's native name where it differs from its ValueSet id (valueString).
pub const KAPFORMS_OPTION_SET_NAME: &str = "urn:kapforms:extension:option-set-name";
/// kapforms: the exact native `enable_when` as JSON (valueString), where FHIR `enableWhen`
/// cannot carry it exactly.
pub const KAPFORMS_ENABLE_WHEN: &str = "urn:kapforms:extension:enable-when";
/// kapforms: the native score rule as JSON (valueString), on a score item.
pub const KAPFORMS_SCORE_RULE: &str = "urn:kapforms:extension:score-rule";
/// kapforms: one native flag rule as JSON (valueString), on the Questionnaire; repeats.
pub const KAPFORMS_FLAG_RULE: &str = "urn:kapforms:extension:flag-rule";
/// kapforms: the native provenance as JSON (valueString), on the Questionnaire.
pub const KAPFORMS_PROVENANCE: &str = "urn:kapforms:extension:provenance";
/// kapforms: the id of the score shown to the patient as a running total (valueString).
pub const KAPFORMS_RUNNING_TOTAL: &str = "urn:kapforms:extension:running-total";
/// kapforms: the definition is a skeleton whose wording a text pack supplies (valueBoolean).
pub const KAPFORMS_RESTRICTED_TEXT: &str = "urn:kapforms:extension:restricted-text";
/// kapforms: one configurable threshold as JSON (valueString), on the Questionnaire; repeats.
pub const KAPFORMS_THRESHOLD: &str = "urn:kapforms:extension:threshold";
/// kapforms: the id of a section whose licensed wording a text pack supplies (an embedded
/// skeleton's), on the Questionnaire (valueString); repeats.
pub const KAPFORMS_RESTRICTED_SECTION: &str = "urn:kapforms:extension:restricted-section";
/// kapforms: a section's id, on its group when the group's linkId had to differ (valueString).
pub const KAPFORMS_SECTION_ID: &str = "urn:kapforms:extension:section-id";
/// kapforms: this `display` item is its section's intro (valueBoolean).
pub const KAPFORMS_SECTION_INTRO: &str = "urn:kapforms:extension:section-intro";
/// kapforms: the score of a "yes" answer (valueDecimal).
pub const KAPFORMS_YES_SCORE: &str = "urn:kapforms:extension:yes-score";
/// kapforms: the score of a "no" answer (valueDecimal).
pub const KAPFORMS_NO_SCORE: &str = "urn:kapforms:extension:no-score";
/// kapforms: the help text of a `display` item, which R4 lets have no children (valueString).
pub const KAPFORMS_HELP: &str = "urn:kapforms:extension:help";

/// How a definition is exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// Base of the Questionnaire's canonical URL: `<base>:<id>` for a URN, else `<base>/<id>`.
    pub canonical_base: String,
}

impl Default for ExportOptions {
    fn default() -> ExportOptions {
        ExportOptions {
            canonical_base: DEFAULT_CANONICAL_BASE.to_owned(),
        }
    }
}

impl ExportOptions {
    /// The canonical URL of `questionnaire` (without version).
    pub fn canonical(&self, questionnaire: &Questionnaire) -> String {
        let base = self.canonical_base.trim_end_matches(['/', ':']);
        let separator = if base.starts_with("urn:") { ':' } else { '/' };
        format!("{base}{separator}{}", questionnaire.id)
    }
}

/// Where imported ids came from: the original FHIR linkId of each native item, section and
/// score id (three maps, since those are three id spaces natively), and the linkIds
/// deliberately not imported. Reading a `QuestionnaireResponse` back needs the items, the
/// scores and the ignored. For a definition that was not imported, the default (empty) value
/// means "every linkId is the native id", as [`questionnaire`] writes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkIds {
    /// Native item id → the linkId it was imported from.
    pub items: LiteMap<String, String>,
    /// Native section id → the linkId of the group it was imported from (sections made for
    /// top-level items outside any group have none).
    pub sections: LiteMap<String, String>,
    /// Native score id → the linkId of the total item it was imported from (a total added by
    /// the import has none).
    pub scores: LiteMap<String, String>,
    /// LinkIds of items left out on import (hidden items, calculated items that are not
    /// sums); their answers in a response are skipped.
    pub ignored: IdSet,
}

/// The local code system of options without a code of their own:
/// `urn:kapforms:options:<questionnaire id>:item:<item id>` for an item's inline options,
/// `urn:kapforms:options:<questionnaire id>:set:<set name>` for a named option set
/// (characters a URN does not allow are percent-encoded). Each option's code in it is the
/// option's value.
pub fn local_option_system(questionnaire: &Questionnaire, item: &Item) -> String {
    match &item.kind {
        ItemKind::SingleChoice {
            options: Options::Set(name),
        }
        | ItemKind::MultipleChoice {
            options: Options::Set(name),
        } => set_system(&questionnaire.id, name),
        _ => format!(
            "urn:kapforms:options:{}:item:{}",
            urn_escape(&questionnaire.id),
            urn_escape(&item.id)
        ),
    }
}

/// The local code system of a named option set.
fn set_system(questionnaire_id: &str, set: &str) -> String {
    format!(
        "urn:kapforms:options:{}:set:{}",
        urn_escape(questionnaire_id),
        urn_escape(set)
    )
}

/// The prefix of every local option system.
const LOCAL_SYSTEM_PREFIX: &str = "urn:kapforms:options:";

/// Percent-encodes what a URN's specific string does not allow.
fn urn_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The system and code an option is exported with.
pub(crate) fn option_coding(
    questionnaire: &Questionnaire,
    item: &Item,
    option: &AnswerOption,
) -> (String, String) {
    match &option.code {
        Some(code) => (code.system.clone(), code.code.clone()),
        None => (
            local_option_system(questionnaire, item),
            option.value.clone(),
        ),
    }
}

/// Finds the option an answer coding means: by system and code, or (when the coding has no
/// system) by code alone, against the option's exported code and then its value.
pub(crate) fn match_coding<'a>(
    questionnaire: &'a Questionnaire,
    item: &'a Item,
    system: Option<&str>,
    code: &str,
) -> Result<&'a AnswerOption, String> {
    let options = questionnaire.options_of(item);
    let exported: Vec<(String, String)> = options
        .iter()
        .map(|option| option_coding(questionnaire, item, option))
        .collect();
    let found: Vec<&AnswerOption> = match system {
        Some(system) => options
            .iter()
            .zip(&exported)
            .filter(|(_, (s, c))| s == system && c == code)
            .map(|(option, _)| option)
            .collect(),
        None => {
            let by_code: Vec<&AnswerOption> = options
                .iter()
                .zip(&exported)
                .filter(|(_, (_, c))| c == code)
                .map(|(option, _)| option)
                .collect();
            if by_code.is_empty() {
                options
                    .iter()
                    .filter(|option| option.value == code)
                    .collect()
            } else {
                by_code
            }
        }
    };
    match found.as_slice() {
        [one] => Ok(one),
        [] => {
            let known: Vec<&str> = exported.iter().map(|(_, c)| c.as_str()).collect();
            let in_system = system.map_or(String::new(), |s| format!(" in system `{s}`"));
            Err(format!(
                "no option of `{}` has code `{code}`{in_system} (codes: {})",
                item.id,
                known.join(", ")
            ))
        }
        _ => Err(format!(
            "code `{code}` matches several options of `{}`",
            item.id
        )),
    }
}

/// The linkIds an exported Questionnaire uses for what is not an item: sections, intros,
/// help texts and scores, made unique against the item ids. Shared by both exports and the
/// response import, so all three agree.
pub(crate) struct Plan {
    /// LinkId of each section's group, by section index.
    pub sections: Vec<String>,
    /// LinkId of each section's intro display item, by section index.
    pub intros: Vec<String>,
    /// LinkId of each item's help display item, by item id.
    pub help: LiteMap<String, String>,
    /// LinkId of each score item, by score index.
    pub scores: Vec<String>,
    /// Contained ValueSet id of each option set that an item uses, by set name.
    pub value_sets: LiteMap<String, String>,
}

impl Plan {
    /// The plan for `questionnaire`.
    pub fn new(questionnaire: &Questionnaire) -> Plan {
        let mut used: IdSet = questionnaire.items().map(|i| i.id.clone()).collect();
        let mut claim = |wanted: String, fallback: String| -> String {
            let chosen = if used.contains(&wanted) {
                unique(&fallback, &used)
            } else {
                wanted
            };
            used.insert(chosen.clone());
            chosen
        };
        let sections: Vec<String> = questionnaire
            .sections
            .iter()
            .map(|s| claim(s.id.clone(), format!("{}.section", s.id)))
            .collect();
        let intros = sections
            .iter()
            .map(|link| claim(format!("{link}.intro"), format!("{link}.intro")))
            .collect();
        let mut help = LiteMap::new();
        for item in questionnaire.items() {
            if item.help.is_some() && item.kind.takes_answer() {
                let link = claim(format!("{}.help", item.id), format!("{}.help", item.id));
                help.insert(item.id.clone(), link);
            }
        }
        let scores = questionnaire
            .scores
            .iter()
            .map(|s| claim(s.id.clone(), format!("{}.score", s.id)))
            .collect();
        let mut value_sets = LiteMap::new();
        let mut vs_ids: IdSet = IdSet::new();
        for item in questionnaire.items() {
            if let ItemKind::SingleChoice {
                options: Options::Set(name),
            }
            | ItemKind::MultipleChoice {
                options: Options::Set(name),
            } = &item.kind
            {
                if value_sets.contains_key(name) {
                    continue;
                }
                let id = unique(&fhir_id(name), &vs_ids);
                vs_ids.insert(id.clone());
                value_sets.insert(name.clone(), id);
            }
        }
        Plan {
            sections,
            intros,
            help,
            scores,
            value_sets,
        }
    }
}

/// `base`, or `base-2`, `base-3`, … : the first not in `used`.
fn unique(base: &str, used: &IdSet) -> String {
    if !used.contains(base) {
        return base.to_owned();
    }
    let mut n = 2u32;
    loop {
        let candidate = format!("{base}-{n}");
        if !used.contains(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

/// A FHIR resource id (`[A-Za-z0-9-.]{1,64}`) made from any text.
fn fhir_id(text: &str) -> String {
    let id: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    if id.is_empty() {
        "options".to_owned()
    } else {
        id
    }
}

/// A Coding as FHIR JSON.
fn coding_json(coding: &Coding) -> Value {
    let mut out = Map::new();
    put_str(&mut out, "system", &coding.system);
    put_str(&mut out, "code", &coding.code);
    if let Some(display) = &coding.display {
        put_str(&mut out, "display", display);
    }
    Value::Object(out)
}

/// Sets `key` to `value` unless the value is empty (FHIR JSON allows no empty strings).
fn put_str(object: &mut Map<String, Value>, key: &str, value: &str) {
    if !value.trim().is_empty() {
        object.insert(key.to_owned(), Value::String(value.to_owned()));
    }
}

/// A number as JSON: an integer when it has no fractional part.
fn number_json(value: f64) -> Value {
    crate::number::to_value(value)
}

/// An extension with one value.
fn extension(url: &str, value_key: &str, value: Value) -> Value {
    json!({ "url": url, value_key: value })
}

/// The extensions of `element` with this url.
fn extensions<'a>(element: &'a Value, url: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    element
        .get("extension")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(move |ext| ext.get("url").and_then(Value::as_str) == Some(url))
}

/// The first extension of `element` with this url.
fn first_extension<'a>(element: &'a Value, url: &'a str) -> Option<&'a Value> {
    extensions(element, url).next()
}

/// A numeric extension value (`valueDecimal` or `valueInteger`).
fn extension_number(element: &Value, url: &str) -> Option<f64> {
    let ext = first_extension(element, url)?;
    ext.get("valueDecimal")
        .or_else(|| ext.get("valueInteger"))
        .and_then(Value::as_f64)
}

/// A string extension value.
fn extension_string<'a>(element: &'a Value, url: &'a str) -> Option<&'a str> {
    first_extension(element, url)?
        .get("valueString")
        .and_then(Value::as_str)
}

/// A boolean extension value.
fn extension_bool(element: &Value, url: &str) -> Option<bool> {
    first_extension(element, url)?
        .get("valueBoolean")
        .and_then(Value::as_bool)
}

/// A string field of a JSON object.
fn str_field<'a>(element: &'a Value, key: &str) -> Option<&'a str> {
    element.get(key).and_then(Value::as_str)
}

/// The array field of a JSON object, or an empty slice.
fn array_field<'a>(element: &'a Value, key: &str) -> &'a [Value] {
    element
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Joins a path prefix (empty, or ending in `.`) and a path.
fn join_path(prefix: &str, rest: &str) -> String {
    if prefix.is_empty() {
        rest.to_owned()
    } else {
        format!("{prefix}{rest}")
    }
}

/// Parses `text` and finds the resource of type `wanted`, directly or as the only such entry
/// of a Bundle. Returns it with the path prefix of its fields (`""` or `entry[2].resource.`).
fn parse_resource(text: &str, wanted: &str) -> Result<(Value, String), Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let document: Value = serde_json::from_str(text)
        .map_err(|error| vec![Diagnostic::new(".", format!("not JSON: {error}"))])?;
    match str_field(&document, "resourceType") {
        Some(found) if found == wanted => Ok((document, String::new())),
        Some("Bundle") => {
            let matches: Vec<usize> = array_field(&document, "entry")
                .iter()
                .enumerate()
                .filter(|(_, entry)| {
                    entry
                        .get("resource")
                        .and_then(|r| str_field(r, "resourceType"))
                        == Some(wanted)
                })
                .map(|(index, _)| index)
                .collect();
            match matches.as_slice() {
                [index] => {
                    let resource = document
                        .get("entry")
                        .and_then(|e| e.get(*index))
                        .and_then(|e| e.get("resource"))
                        .cloned()
                        .unwrap_or(Value::Null);
                    Ok((resource, format!("entry[{index}].resource.")))
                }
                [] => Err(vec![Diagnostic::new(
                    "entry",
                    format!("the Bundle holds no {wanted}"),
                )]),
                _ => Err(vec![Diagnostic::new(
                    "entry",
                    format!(
                        "the Bundle holds {} resources of type {wanted}; import one at a time",
                        matches.len()
                    ),
                )]),
            }
        }
        Some(other) => Err(vec![Diagnostic::new(
            "resourceType",
            format!("expected a {wanted} (or a Bundle holding one), found `{other}`"),
        )]),
        None => Err(vec![Diagnostic::new(
            "resourceType",
            format!("missing: expected a {wanted}"),
        )]),
    }
}
