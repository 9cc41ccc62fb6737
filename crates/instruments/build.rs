//! Lists the translation files (`translations/<lang>/<id>.json`) for the crate and compacts
//! each one's wording: the WebAssembly build carries only `{"key":"text",...}` per
//! translation, without the provenance and indentation the files keep for people (they stay
//! in `translations::ALL` for tests and tools, which the widget never reads, so the linker
//! drops them). Adding a translation is adding a file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=translations");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("translations");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let mut files: Vec<(String, String, PathBuf)> = Vec::new();
    for language in read_dir(&root) {
        if !language.is_dir() {
            continue;
        }
        let tag = name(&language);
        for file in read_dir(&language) {
            if file.extension().is_some_and(|e| e == "json") {
                let id = file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                files.push((id, tag.clone(), file));
            }
        }
    }
    let mut all =
        String::from("/// Every shipped translation.\npub const ALL: &[Translation] = &[\n");
    let mut wording = String::from(
        "/// Each translation's wording alone, compacted: (instrument, language, JSON).\n\
         const WORDING: &[(&str, &str, &str)] = &[\n",
    );
    for (id, tag, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let value: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let compact = serde_json::to_string(&value["text"]).expect("serializes");
        let compact_path = out.join(format!("{tag}-{id}.json"));
        std::fs::write(&compact_path, compact).expect("write the compact wording");
        let _ = writeln!(
            all,
            "    Translation {{ instrument: {id:?}, language: {tag:?}, json: include_str!({:?}) }},",
            path.display().to_string()
        );
        let _ = writeln!(
            wording,
            "    ({id:?}, {tag:?}, include_str!({:?})),",
            compact_path.display().to_string()
        );
    }
    all.push_str("];\n");
    wording.push_str("];\n");
    std::fs::write(out.join("translations.rs"), all + &wording).expect("write translations.rs");
}

/// The entries of a folder, sorted (so the generated list is stable).
fn read_dir(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    entries.sort();
    entries
}

fn name(path: &Path) -> String {
    path.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
