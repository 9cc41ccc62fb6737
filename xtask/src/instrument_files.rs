//! The built-in questionnaires as files of `dist/instruments/`, which `kapforms.js` fetches
//! beside the patient's module instead of the module carrying all sixteen, prepared as the
//! patient's form reads them (`kapforms_instruments::prepared`): `<id>.json`, each built-in's
//! definition without its provenance and with the built-ins it embeds spliced in, and
//! `<lang>/<id>.json`, the whole definition worded in each shipped language, with the
//! sections left in English. [`manifest`] is what the loader needs to know before the module
//! arrives: for each built-in, the languages it has wording in and those it has a preview in. The files as
//! written, with their sources and citations, stay in `crates/instruments/` (and in the
//! clinician's bundle).
//!
//! `preview/<lang>/<id>.html` is a built-in's first page in a language, rendered here by the
//! widgets' own form (`kapforms_widgets::preview`) with the host's default options: the
//! loader shows it, inert, until the module has drawn the live form. Skeletons (licensed
//! text a clinic supplies) have none.

use crate::Result;
use kapforms_core::Questionnaire;
use kapforms_instruments::prepared;
use kapforms_widgets::preview::{first_page, PreviewInput};
use kapforms_widgets::Language;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::Arc;

/// Every file of `instruments/`: its path relative to `dist/` and its text.
pub fn files() -> Result<Vec<(String, String)>> {
    let mut files = Vec::new();
    for id in kapforms_instruments::ids() {
        let json = prepared::definition_json(id)
            .ok_or_else(|| format!("no built-in {id}"))?
            .map_err(|error| format!("the built-in {id} cannot be prepared: {error:?}"))?;
        files.push((format!("instruments/{id}.json"), json));
    }
    for translation in kapforms_instruments::translations::ALL {
        let (id, language) = (translation.instrument, translation.language);
        let wording = prepared::wording_json(id, language)
            .ok_or_else(|| format!("no translation {language}/{id}"))?
            .map_err(|error| {
                format!("the translation {language}/{id} cannot be prepared: {error:?}")
            })?;
        files.push((format!("instruments/{language}/{id}.json"), wording));
    }
    for id in kapforms_instruments::ids() {
        for language in Language::ALL {
            if let Some(html) = preview(id, language)? {
                files.push((preview_path(id, language.tag()), html));
            }
        }
    }
    Ok(files)
}

/// Where the preview of `id` in `language` is, relative to `dist/`.
fn preview_path(id: &str, language: &str) -> String {
    format!("instruments/preview/{language}/{id}.html")
}

/// The built-in `id` as the patient's form reads it: its prepared definition (the modules
/// it embeds spliced in).
fn built_in(id: &str) -> Result<Questionnaire> {
    prepared::definition_json(id)
        .ok_or_else(|| format!("no built-in {id}"))?
        .and_then(|json| prepared::read_definition(&json))
        .map_err(|error| format!("the built-in {id} does not load: {error:?}"))
}

/// The first page of `id` in `language` as the module draws it with the default options
/// (`None` for a skeleton, whose text only a clinic's pack supplies).
pub fn preview(id: &str, language: Language) -> Result<Option<String>> {
    let definition = built_in(id)?;
    if definition.restricted_text {
        return Ok(None);
    }
    let content_hash = kapforms_instruments::content_hash_of(id)
        .ok_or_else(|| format!("the built-in {id} has no content hash"))?
        .to_owned();
    // As the module's `wording_in` does: a translation when there is one, else the
    // definition's own wording with every section noted as shown in English.
    let (wording, english_sections) = match language {
        Language::English => (None, Vec::new()),
        _ => {
            let tag = language.tag();
            let worded = prepared::wording_json(id, tag)
                .map(|json| json.and_then(|json| prepared::read_wording(&json)));
            match worded {
                Some(Ok(worded)) => (
                    Some(Arc::new(worded.questionnaire)),
                    worded.english_sections,
                ),
                Some(Err(error)) => {
                    return Err(format!("the wording {tag}/{id} does not load: {error:?}"))
                }
                None => (None, definition.section_ids()),
            }
        }
    };
    first_page(PreviewInput {
        definition: Arc::new(definition),
        wording,
        english_sections,
        content_hash,
        language,
    })
    .map(Some)
    .map_err(|error| format!("the preview of {id} in {}: {error}", language.tag()))
}

/// Writes [`files`] under `out` and returns each one's integrity hash, by path: what the
/// loader pins them with (sha256, see `integrity::sri_sha256`).
pub fn write(out: &Path) -> Result<BTreeMap<String, String>> {
    let mut hashes = BTreeMap::new();
    for (path, text) in files()? {
        let file = out.join(&path);
        if let Some(dir) = file.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        fs::write(&file, &text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        hashes.insert(path, crate::integrity::sri_sha256(text.as_bytes()));
    }
    Ok(hashes)
}

/// The loader's `KAPFORMS_LIBRARY`, as JSON: `{id: {wording: [lang, ...], previews: [lang,
/// ...]}}` for every built-in. No built-in's files need another's: each is prepared with the
/// modules it embeds spliced in.
pub fn manifest() -> Result<String> {
    let mut library = serde_json::Map::new();
    for id in kapforms_instruments::ids() {
        let languages: Vec<&str> = kapforms_instruments::translations::ALL
            .iter()
            .filter(|translation| translation.instrument == id)
            .map(|translation| translation.language)
            .collect();
        let restricted = built_in(id)?.restricted_text;
        let previews: Vec<&str> = Language::ALL
            .iter()
            .filter(|_| !restricted)
            .map(|language| language.tag())
            .collect();
        library.insert(
            id.to_owned(),
            serde_json::json!({
                "wording": languages,
                "previews": previews,
            }),
        );
    }
    serde_json::to_string(&library).map_err(|e| format!("cannot write JSON: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_and_translation_has_a_file_and_the_manifest_names_them() {
        let files = files().expect("files");
        let manifest: serde_json::Value =
            serde_json::from_str(&manifest().expect("manifest")).expect("JSON");
        for id in kapforms_instruments::ids() {
            assert!(files
                .iter()
                .any(|(path, _)| *path == format!("instruments/{id}.json")));
            for language in manifest[id]["wording"].as_array().expect("a list") {
                let language = language.as_str().expect("a tag");
                assert!(
                    files
                        .iter()
                        .any(|(path, _)| *path == format!("instruments/{language}/{id}.json")),
                    "{language}/{id}"
                );
            }
        }
        assert_eq!(manifest["phq9"]["wording"], serde_json::json!(["es"]));
        assert_eq!(manifest["intake"]["wording"], serde_json::json!(["es"]));
        assert_eq!(manifest["who5"]["wording"], serde_json::json!([]));
        // Every built-in with its own text has a preview in each language; a skeleton none.
        assert_eq!(
            manifest["phq9"]["previews"],
            serde_json::json!(["en", "es"])
        );
        assert_eq!(manifest["cssrs"]["previews"], serde_json::json!([]));
        for id in kapforms_instruments::ids() {
            for language in manifest[id]["previews"].as_array().expect("a list") {
                let language = language.as_str().expect("a tag");
                assert!(
                    files
                        .iter()
                        .any(|(path, _)| *path == preview_path(id, language)),
                    "{language}/{id}"
                );
            }
        }
    }
}
