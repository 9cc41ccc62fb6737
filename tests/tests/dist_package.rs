//! `dist/` as a host receives it (built by `cargo xtask test` before these tests): the
//! Subresource Integrity hashes in `integrity.json`, in the README's snippet and in
//! `kapforms.js` (the wasm's) are the SHA-384 of the files, computed here by Node's crypto,
//! an implementation independent of xtask's; and `npm pack --dry-run` packs the entry files
//! that `package.json` names.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn dist() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist")
}

fn read(name: &str) -> String {
    let path = dist().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}); `cargo xtask dist` builds it",
            path.display()
        )
    })
}

/// `sha384-…` of a file of dist/, computed by Node.
fn node_sri(name: &str) -> String {
    let output = Command::new("node")
        .arg("-e")
        .arg(
            "const data = require('fs').readFileSync(process.argv[1]);\
             process.stdout.write('sha384-' + require('crypto').createHash('sha384')\
             .update(data).digest('base64'));",
        )
        .arg(dist().join(name))
        .output()
        .expect("node runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn integrity_hashes_match_the_files() {
    let listed: Value = serde_json::from_str(&read("integrity.json")).expect("JSON");
    let listed = listed.as_object().expect("an object");
    for file in [
        "kapforms.js",
        "kapforms_form_bg.wasm",
        "kapforms_results.js",
        "kapforms_results_bg.wasm",
        "kapforms-iframe.js",
        "embed-page.js",
    ] {
        assert_eq!(
            listed.get(file).and_then(Value::as_str),
            Some(node_sri(file).as_str()),
            "{file}"
        );
    }
    let loader = read("kapforms.js");
    // The questionnaire bundle's glue is inside the loader, not a file a page waits for.
    assert!(
        !dist().join("kapforms_form.js").exists(),
        "dist/ ships the form glue inside kapforms.js only"
    );
    assert!(
        loader.contains("import(\"./kapforms_results.js\")"),
        "the results glue stays a file of its own"
    );
    // The widgets' stylesheet rides in the loader, as written.
    let css = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/widgets/src/style.css"),
    )
    .expect("the stylesheet");
    // (esbuild writes it as a template literal, escaping its backticks.)
    assert!(
        loader.replace("\\`", "`").contains(&css),
        "kapforms.js carries crates/widgets/src/style.css"
    );
    for wasm in ["kapforms_form_bg.wasm", "kapforms_results_bg.wasm"] {
        assert!(
            loader.contains(&format!("\"{wasm}\":\"{}\"", node_sri(wasm))),
            "kapforms.js fetches {wasm} with its hash"
        );
    }
    let readme = read("README.md");
    assert!(
        readme.contains(&format!("integrity=\"{}\"", node_sri("kapforms.js"))),
        "the README's tag pins kapforms.js"
    );
    assert!(!readme.contains("{{"), "no placeholder left in the README");
}

#[test]
fn npm_pack_ships_the_entry_files_package_json_names() {
    let manifest: Value = serde_json::from_str(&read("package.json")).expect("JSON");
    let entry = manifest["exports"]["."]["default"]
        .as_str()
        .expect("an entry");
    let types = manifest["types"].as_str().expect("types");
    assert_eq!(manifest["type"], "module");
    let output = Command::new("npm")
        .args(["pack", "--dry-run", "--json", "--ignore-scripts"])
        .current_dir(dist())
        .output()
        .expect("npm runs");
    assert!(output.status.success(), "{output:?}");
    let packed: Value = serde_json::from_slice(&output.stdout).expect("npm's JSON");
    let files: Vec<&str> = packed[0]["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    for file in [
        entry.trim_start_matches("./"),
        types.trim_start_matches("./"),
        "kapforms_form_bg.wasm",
        "kapforms_results.js",
        "kapforms_results_bg.wasm",
        "kapforms-iframe.js",
        "embed.html",
        "embed-page.js",
        "integrity.json",
        "schema/response.schema.json",
        "package.json",
        "README.md",
    ] {
        assert!(files.contains(&file), "{file} is packed: {files:?}");
    }
    assert_eq!(packed[0]["name"], "kapforms");
    assert_eq!(packed[0]["version"], env!("CARGO_PKG_VERSION"));
}
