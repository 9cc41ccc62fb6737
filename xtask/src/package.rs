//! `dist/` as an npm package: `package.json` (name, the workspace's version, the ES module
//! entry `kapforms.js` and its types, the files it ships, the licence) and `README.md`, filled
//! in from `crates/embed/package/README.md` with the version and the Subresource Integrity
//! hashes of this build.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::Result;

/// The package's name on npm.
pub const NAME: &str = "kapforms";
/// The version: the workspace's (`[workspace.package] version`), which xtask inherits.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The folders the package ships: the built-ins' files the loader fetches
/// (`instruments/<id>.json`, `instruments/<lang>/<id>.json`, and the first-page previews
/// `instruments/preview/<lang>/<id>.html`).
pub const FOLDERS: [&str; 1] = ["instruments"];

/// The files the package ships besides `package.json`, `README.md` and [`FOLDERS`].
pub const FILES: [&str; 16] = [
    "kapforms.js",
    "kapforms.d.ts",
    "kapforms_form_bg.wasm",
    "kapforms_form_custom.js",
    "kapforms_form_custom_bg.wasm",
    "kapforms_results.js",
    "kapforms_results_bg.wasm",
    "kapforms-iframe.js",
    "kapforms-iframe.d.ts",
    "embed.html",
    "embed-page.js",
    "embed-page.css",
    "example.html",
    "integrity.json",
    "schema/definition.schema.json",
    "schema/response.schema.json",
];

/// The text of `package.json`.
pub fn manifest() -> String {
    let manifest = serde_json::json!({
        "name": NAME,
        "version": VERSION,
        "description": "Embeddable patient questionnaires for clinics practising ketamine-assisted psychotherapy: one <kap-form> custom element (Rust + WebAssembly), strict-CSP safe, no network requests of its own.",
        "license": "MIT OR Apache-2.0",
        "type": "module",
        "module": "./kapforms.js",
        "main": "./kapforms.js",
        "types": "./kapforms.d.ts",
        "exports": {
            ".": { "types": "./kapforms.d.ts", "default": "./kapforms.js" },
            "./iframe": { "types": "./kapforms-iframe.d.ts", "default": "./kapforms-iframe.js" },
            "./kapforms.js": "./kapforms.js",
            "./kapforms-iframe.js": "./kapforms-iframe.js",
            "./kapforms_form_bg.wasm": "./kapforms_form_bg.wasm",
            "./kapforms_form_custom.js": "./kapforms_form_custom.js",
            "./kapforms_form_custom_bg.wasm": "./kapforms_form_custom_bg.wasm",
            "./kapforms_results.js": "./kapforms_results.js",
            "./kapforms_results_bg.wasm": "./kapforms_results_bg.wasm",
            "./embed.html": "./embed.html",
            "./integrity.json": "./integrity.json",
            "./schema/*": "./schema/*",
            "./instruments/*": "./instruments/*",
            "./package.json": "./package.json"
        },
        "sideEffects": true,
        "files": FILES.iter().chain(&FOLDERS).collect::<Vec<_>>(),
        "keywords": ["questionnaire", "phq-9", "gad-7", "custom-element", "webassembly", "fhir"],
    });
    let mut text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    text.push('\n');
    text
}

/// The package README: the template with `{{version}}` and each `{{sri:FILE}}` filled in.
/// An error names a placeholder left unfilled.
pub fn readme(template: &str, hashes: &BTreeMap<String, String>) -> Result<String> {
    let mut text = template.replace("{{version}}", VERSION);
    for (file, hash) in hashes {
        text = text.replace(&format!("{{{{sri:{file}}}}}"), hash);
    }
    match text.find("{{") {
        Some(at) => Err(format!(
            "the package README has an unknown placeholder: {}",
            text[at..].lines().next().unwrap_or_default()
        )),
        None => Ok(text),
    }
}

/// Writes `package.json`, `README.md` and `integrity.json` into `out`.
pub fn write(root: &Path, out: &Path, hashes: &BTreeMap<String, String>) -> Result<()> {
    let template_path = root.join("crates/embed/package/README.md");
    let template = fs::read_to_string(&template_path)
        .map_err(|e| format!("cannot read {}: {e}", template_path.display()))?;
    let mut integrity = serde_json::to_string_pretty(hashes).unwrap_or_default();
    integrity.push('\n');
    for (name, text) in [
        ("package.json", manifest()),
        ("README.md", readme(&template, hashes)?),
        ("integrity.json", integrity),
    ] {
        let path = out.join(name);
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_is_an_es_module_package_with_types() {
        let manifest: serde_json::Value =
            serde_json::from_str(&manifest()).expect("package.json is JSON");
        assert_eq!(manifest["name"], NAME);
        assert_eq!(manifest["version"], VERSION);
        assert_eq!(manifest["type"], "module");
        assert_eq!(manifest["exports"]["."]["default"], "./kapforms.js");
        assert_eq!(manifest["types"], "./kapforms.d.ts");
        assert_eq!(manifest["license"], "MIT OR Apache-2.0");
        assert!(manifest["files"]
            .as_array()
            .is_some_and(|files| files.contains(&"kapforms_form_bg.wasm".into())));
    }

    #[test]
    fn the_readme_gets_the_version_and_hashes_or_names_what_is_missing() {
        let hashes = BTreeMap::from([("kapforms.js".to_owned(), "sha384-abc".to_owned())]);
        let text =
            readme("v{{version}} integrity=\"{{sri:kapforms.js}}\"", &hashes).expect("filled");
        assert_eq!(text, format!("v{VERSION} integrity=\"sha384-abc\""));
        let error = readme("{{sri:other.js}}", &hashes).expect_err("unknown file");
        assert!(error.contains("{{sri:other.js}}"), "{error}");
    }
}
