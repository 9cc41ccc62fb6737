//! Host options for one element, read from what `kapforms.js` collects off the element: the
//! `textPack` property (a licensed clinic's wording for a skeleton instrument), the
//! `crisisResources` property (`{title, paragraphs}` for the clinic's country), the
//! `thresholds` property (the clinic's values of configurable screening thresholds, checked
//! against the questionnaire when it is mounted), the `show-bands`, `start="show|skip"`,
//! `patient-copy="off"` and `drafts="local"` attributes, and the language (`language`: the
//! element's `lang`, else the nearest ancestor's, as kapforms.js found it). Bad options are
//! reported with the name of the bad field.

use kapforms_core::definition::{TextPack, ThresholdValues};
use kapforms_widgets::{CrisisContent, Language};
use serde_json::Value;

/// The options of one element.
#[derive(Debug, Clone, PartialEq)]
pub struct HostOptions {
    /// Licensed wording for a skeleton instrument.
    pub text_pack: Option<TextPack>,
    /// Crisis resources replacing the default.
    pub crisis: Option<CrisisContent>,
    /// The clinic's values of the questionnaire's configurable thresholds, by id.
    pub thresholds: Option<ThresholdValues>,
    /// Whether patients see band labels.
    pub show_bands: bool,
    /// Whether to begin with a start page (`None`: when the form has several sections).
    pub show_start: Option<bool>,
    /// Whether the patient gets a copy of their answers after submitting (default yes).
    pub patient_copy: bool,
    /// Whether the host keeps encrypted drafts on this device (`drafts="local"`).
    pub drafts: bool,
    /// The language to show the form in.
    pub language: Language,
}

impl Default for HostOptions {
    fn default() -> HostOptions {
        HostOptions {
            text_pack: None,
            crisis: None,
            thresholds: None,
            show_bands: false,
            show_start: None,
            patient_copy: true,
            drafts: false,
            language: Language::English,
        }
    }
}

/// Reads options from the JSON text `kapforms.js` passes; `""` or `null` means none.
pub fn parse(text: &str) -> Result<HostOptions, String> {
    if text.trim().is_empty() {
        return Ok(HostOptions::default());
    }
    // kapforms.js writes the options with `JSON.stringify`, so they are always JSON: the
    // message needs no position (core's parser gives none; serde_json's deserializer is not
    // in the module).
    let value: Value =
        kapforms_core::json_value::parse(text).map_err(|_| "options: not JSON".to_owned())?;
    let mut options = HostOptions::default();
    let Value::Object(map) = value else {
        return match value {
            Value::Null => Ok(options),
            _ => Err("options: expected an object".to_owned()),
        };
    };
    for (key, value) in map {
        match key.as_str() {
            "textPack" if value.is_null() => {}
            "textPack" => {
                let pack: TextPack = kapforms_core::definition::text_pack_from_value(value)
                    .ok_or("textPack: expected an object of strings by item id")?;
                options.text_pack = Some(pack);
            }
            "thresholds" if value.is_null() => {}
            "thresholds" => {
                let values = kapforms_core::definition::threshold_values_from(&value)
                    .map_err(|diagnostic| diagnostic.to_string())?;
                options.thresholds = Some(values);
            }
            "crisisResources" if value.is_null() => {}
            "crisisResources" => {
                let title = value
                    .get("title")
                    .and_then(Value::as_str)
                    .ok_or("crisisResources.title: expected a string")?;
                let paragraphs: Vec<String> = value
                    .get("paragraphs")
                    .and_then(Value::as_array)
                    .and_then(|list| {
                        list.iter()
                            .map(|p| p.as_str().map(str::to_owned))
                            .collect::<Option<Vec<String>>>()
                    })
                    .filter(|p| !p.is_empty())
                    .ok_or("crisisResources.paragraphs: expected a non-empty list of strings")?;
                options.crisis = Some(CrisisContent {
                    title: title.to_owned(),
                    paragraphs,
                });
            }
            "showBands" => options.show_bands = value.as_bool().unwrap_or(false),
            "start" => {
                options.show_start = match value.as_str() {
                    None | Some("") | Some("auto") => None,
                    Some("show") => Some(true),
                    Some("skip") => Some(false),
                    Some(other) => {
                        return Err(format!(
                            "start: expected \"show\", \"skip\" or \"auto\", not \"{other}\""
                        ))
                    }
                }
            }
            "patientCopy" => options.patient_copy = value.as_str() != Some("off"),
            "drafts" => {
                options.drafts = match value.as_str() {
                    None | Some("") | Some("off") => false,
                    Some("local") => true,
                    Some(other) => {
                        return Err(format!(
                            "drafts: expected \"local\" or \"off\", not \"{other}\""
                        ))
                    }
                }
            }
            "language" => options.language = Language::from_tag(value.as_str().unwrap_or("")),
            other => return Err(format!("options: unknown option `{other}`")),
        }
    }
    Ok(options)
}

/// The language the options ask for, read leniently (for messages about options that could
/// not be read as a whole): English unless `language` names a shipped one.
pub fn language_of(text: &str) -> Language {
    kapforms_core::json_value::parse(text)
        .ok()
        .and_then(|value| value.get("language")?.as_str().map(Language::from_tag))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn options_that_are_not_json_are_refused() {
        assert_eq!(parse("{").map(|_| ()), Err("options: not JSON".to_owned()));
        assert_eq!(parse("  ").expect("none"), super::HostOptions::default());
    }

    #[test]
    fn a_text_pack_is_an_object_of_strings() {
        let options = parse(r#"{"textPack": {"phq9_1": "Reworded", "@title": "T"}}"#)
            .expect("an object of strings");
        let pack = options.text_pack.expect("kept");
        assert_eq!(pack.get("phq9_1").map(String::as_str), Some("Reworded"));
        assert_eq!(pack.len(), 2);
        assert!(parse(r#"{"textPack": null}"#)
            .expect("none")
            .text_pack
            .is_none());
        for wrong in [r#"{"textPack": {"phq9_1": 3}}"#, r#"{"textPack": ["a"]}"#] {
            assert_eq!(
                parse(wrong).map(|_| ()),
                Err("textPack: expected an object of strings by item id".to_owned()),
                "{wrong}"
            );
        }
    }

    #[test]
    fn crisis_resources_need_a_title_and_paragraphs_of_text() {
        let options = parse(
            r#"{"crisisResources": {"title": "Help now", "paragraphs": ["Call 988.", "Or 911."]}}"#,
        )
        .expect("valid");
        let crisis = options.crisis.expect("kept");
        assert_eq!(crisis.title, "Help now");
        assert_eq!(crisis.paragraphs, ["Call 988.", "Or 911."]);
        for wrong in [
            r#"{"crisisResources": {"title": "Help now", "paragraphs": []}}"#,
            r#"{"crisisResources": {"title": "Help now", "paragraphs": ["Call 988.", 911]}}"#,
            r#"{"crisisResources": {"title": "Help now", "paragraphs": "Call 988."}}"#,
        ] {
            assert_eq!(
                parse(wrong).map(|_| ()),
                Err("crisisResources.paragraphs: expected a non-empty list of strings".to_owned()),
                "{wrong}"
            );
        }
    }
}
