//! The built-in questionnaires as files of `dist/instruments/`, which `kapforms.js` fetches
//! beside the patient's module instead of the module carrying all sixteen: `<id>.json`, each
//! built-in's definition without its provenance (the copy `kapforms-instruments`' build
//! validated and hashed, byte for byte), and `<lang>/<id>.json`, its wording in each shipped
//! language (the translation's text pack, without the file's provenance). [`manifest`] is
//! what the loader needs to know before the module arrives: for each built-in, the built-ins
//! it embeds and the languages it has wording in. The files as written, with their sources
//! and citations, stay in `crates/instruments/` (and in the clinician's bundle).

use crate::Result;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Every file of `instruments/`: its path relative to `dist/` and its text.
pub fn files() -> Result<Vec<(String, &'static str)>> {
    let mut files = Vec::new();
    for id in kapforms_instruments::ids() {
        let json = kapforms_instruments::json_without_provenance(id)
            .ok_or_else(|| format!("the built-in {id} has no copy without provenance"))?;
        files.push((format!("instruments/{id}.json"), json));
    }
    for translation in kapforms_instruments::translations::ALL {
        let (id, language) = (translation.instrument, translation.language);
        let wording = kapforms_instruments::translations::wording_without_provenance(id, language)
            .ok_or_else(|| format!("the translation {language}/{id} has no wording"))?;
        files.push((format!("instruments/{language}/{id}.json"), wording));
    }
    Ok(files)
}

/// Writes [`files`] under `out`.
pub fn write(out: &Path) -> Result<()> {
    for (path, text) in files()? {
        let file = out.join(path);
        if let Some(dir) = file.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        fs::write(&file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    }
    Ok(())
}

/// The loader's `KAPFORMS_LIBRARY`, as JSON: `{id: {modules: [...], wording: [lang, ...]}}`
/// for every built-in.
pub fn manifest() -> Result<String> {
    let mut library = serde_json::Map::new();
    for id in kapforms_instruments::ids() {
        let languages: Vec<&str> = kapforms_instruments::translations::ALL
            .iter()
            .filter(|translation| translation.instrument == id)
            .map(|translation| translation.language)
            .collect();
        library.insert(
            id.to_owned(),
            serde_json::json!({
                "modules": kapforms_instruments::embedded_modules(id),
                "wording": languages,
            }),
        );
    }
    serde_json::to_string(&library).map_err(|e| format!("cannot write JSON: {e}"))
}

/// The integrity hash of each file of [`files`], by path.
pub fn hashes() -> Result<BTreeMap<String, String>> {
    Ok(files()?
        .into_iter()
        .map(|(path, text)| (path, crate::integrity::sri(text.as_bytes())))
        .collect())
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
        assert_eq!(
            manifest["intake"]["modules"].as_array().map(Vec::len),
            Some(5)
        );
        assert_eq!(manifest["who5"]["wording"], serde_json::json!([]));
    }
}
