//! Lists the definition files (`definitions/<id>.json`, in [`CATALOGUE`] order) and the
//! translation files (`translations/<lang>/<id>.json`) for the crate, and makes the compact
//! copies the patient's WebAssembly bundle carries: each definition minified and without its
//! provenance (which the content hash does not cover), each translation's wording alone
//! (`{"key":"text",...}`). The files as written, with provenance and indentation, stay in
//! `ALL` and `translations::ALL` for tests, tools and the clinician's view; a build that never
//! reads them (the patient's bundle) leaves them out. Every definition is also read and
//! validated here with `kapforms-core`, as the form would (modules spliced from the compact
//! copies): an invalid built-in fails the build, and each one's content hash is written into
//! `CONTENT_HASHES`, so the patient's form needs neither to validate nor to hash a built-in
//! before its first page. Adding a translation is adding a file; adding an instrument is adding
//! its file and its id to [`CATALOGUE`].

use kapforms_core::Questionnaire;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Every built-in instrument's id, in the order a catalogue lists them; each is the name of a
/// file in `definitions/`, and every file there must be listed.
const CATALOGUE: [&str; 16] = [
    "phq9",
    "phq2",
    "gad7",
    "gad2",
    "pcl5",
    "who5",
    "audit",
    "auditc",
    "dast10",
    "mdq",
    "cssrs",
    "readiness-ruler",
    "intake",
    "motivation",
    "readiness",
    "integration",
];

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    definitions(&out);
    translations(&out);
}

/// Writes `definitions.rs`: `ALL` (each file as written), `IDS`, `WITHOUT_PROVENANCE` (each
/// definition minified, its top-level `provenance` removed) and `CONTENT_HASHES` (each
/// definition's content hash, computed from that copy validated with its modules spliced in).
fn definitions(out: &Path) {
    println!("cargo:rerun-if-changed=definitions");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("definitions");
    let mut unlisted: Vec<String> = read_dir(&root)
        .iter()
        .filter(|file| file.extension().is_some_and(|e| e == "json"))
        .map(|file| stem(file))
        .filter(|id| !CATALOGUE.contains(&id.as_str()))
        .collect();
    unlisted.sort();
    assert!(
        unlisted.is_empty(),
        "definitions/ has files that build.rs's CATALOGUE does not list: {unlisted:?}"
    );
    let mut all = String::from(
        "/// Every built-in instrument, in the order a catalogue lists them.\n\
         pub const ALL: &[BuiltIn] = &[\n",
    );
    let mut ids = String::from(
        "/// Every built-in instrument's id, in catalogue order.\nconst IDS: &[&str] = &[\n",
    );
    let mut lean = String::from(
        "/// Each definition minified and without its provenance: (id, JSON).\n\
         const WITHOUT_PROVENANCE: &[(&str, &str)] = &[\n",
    );
    for id in CATALOGUE {
        let path = root.join(format!("{id}.json"));
        println!("cargo:rerun-if-changed={}", path.display());
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut value: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if let Some(object) = value.as_object_mut() {
            object.remove("provenance");
        }
        let compact = serde_json::to_string(&value).expect("serializes");
        let compact_path = out.join(format!("definition-{id}.json"));
        std::fs::write(&compact_path, compact).expect("write the compact definition");
        let _ = writeln!(
            all,
            "    BuiltIn {{ id: {id:?}, json: include_str!({:?}) }},",
            path.display().to_string()
        );
        let _ = writeln!(ids, "    {id:?},");
        let _ = writeln!(
            lean,
            "    ({id:?}, include_str!({:?})),",
            compact_path.display().to_string()
        );
    }
    for list in [&mut all, &mut ids, &mut lean] {
        list.push_str("];\n");
    }
    let hashes = content_hashes(out);
    std::fs::write(out.join("definitions.rs"), all + &ids + &lean + &hashes)
        .expect("write definitions.rs");
}

/// `CONTENT_HASHES`: each built-in read from its compact copy as the patient's form reads it
/// (modules resolved against the other compact copies), validated, and hashed.
fn content_hashes(out: &Path) -> String {
    let compact =
        |id: &str| std::fs::read_to_string(out.join(format!("definition-{id}.json"))).ok();
    let resolve = |id: &str| {
        CATALOGUE
            .contains(&id)
            .then(|| compact(id))
            .flatten()
            .and_then(|json| Questionnaire::parse_unchecked(&json).ok())
    };
    let mut hashes = String::from(
        "/// Each built-in's content hash, computed by build.rs from the copy without provenance\n\
         /// after validating it: (id, hash).\n\
         const CONTENT_HASHES: &[(&str, &str)] = &[\n",
    );
    for id in CATALOGUE {
        let json = compact(id).expect("the compact copy was just written");
        let questionnaire =
            Questionnaire::from_json_with(&json, &resolve).unwrap_or_else(|error| {
                let problems: Vec<String> = error
                    .diagnostics()
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                panic!(
                    "definitions/{id}.json is not a valid definition:\n  {}",
                    problems.join("\n  ")
                )
            });
        let _ = writeln!(hashes, "    ({id:?}, {:?}),", questionnaire.content_hash());
    }
    hashes.push_str("];\n");
    hashes
}

/// Writes `translations.rs`: `ALL` (each translation file as written) and `WORDING` (each
/// one's wording alone, compacted).
fn translations(out: &Path) {
    println!("cargo:rerun-if-changed=translations");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("translations");
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

/// A file's name without its extension.
fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A file's or folder's name.
fn name(path: &Path) -> String {
    path.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
