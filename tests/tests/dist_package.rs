//! `dist/` as a host receives it (built by `cargo xtask test` before these tests): the
//! Subresource Integrity hashes in `integrity.json`, in the README's snippet and in
//! `kapforms.js` (the wasm's) are the SHA-384 of the files, computed here by Node's crypto,
//! an implementation independent of xtask's; and `npm pack --dry-run` packs the entry files
//! that `package.json` names; the modules are built with the shipping flags.

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
        "kapforms_form_custom.js",
        "kapforms_form_custom_bg.wasm",
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
    // The widgets' stylesheet rides in the loader, minified by esbuild: every rule, no
    // comment.
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let minified = Command::new(manifest.join("node/node_modules/.bin/esbuild"))
        .arg(manifest.join("../crates/widgets/src/style.css"))
        .arg("--minify")
        .output()
        .expect("esbuild runs");
    assert!(minified.status.success(), "{minified:?}");
    let css = String::from_utf8(minified.stdout).expect("UTF-8");
    // (esbuild writes it as a template literal, escaping its backticks.)
    assert!(
        loader.replace("\\`", "`").contains(css.trim()),
        "kapforms.js carries crates/widgets/src/style.css, minified"
    );
    assert!(css.contains(".kf-item[data-invalid]"), "{css}");
    assert!(
        !loader.contains("kapforms widget styles"),
        "the stylesheet's comments are left out"
    );
    // The clinician's view's stylesheet does not: it comes with the clinician's bundle.
    assert!(
        !loader.contains(".kr-root"),
        "kapforms.js carries none of crates/widgets/src/results.css"
    );
    for wasm in [
        "kapforms_form_bg.wasm",
        "kapforms_form_custom_bg.wasm",
        "kapforms_results_bg.wasm",
    ] {
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
        "kapforms_form_custom.js",
        "kapforms_form_custom_bg.wasm",
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

/// The initial value of a WebAssembly module's first global if it is a mutable `i32`: the stack
/// pointer that rustc's linker places first, so its start value is the stack's size.
fn stack_size(wasm: &[u8]) -> Option<u64> {
    fn leb(bytes: &[u8], at: &mut usize) -> Option<u64> {
        let (mut value, mut shift) = (0u64, 0);
        loop {
            let byte = *bytes.get(*at)?;
            *at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
    }
    const GLOBAL_SECTION: u8 = 6;
    const I32: u8 = 0x7f;
    const I32_CONST: u8 = 0x41;
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        at += 1;
        let size = usize::try_from(leb(wasm, &mut at)?).ok()?;
        if id == GLOBAL_SECTION {
            let mut inner = at;
            // The first global (a section holds at least one when the stack pointer is in it).
            if leb(wasm, &mut inner)? == 0 {
                return None;
            }
            let (kind, mutable, op) = (wasm[inner], wasm[inner + 1], wasm[inner + 2]);
            inner += 3;
            // A positive value below 2^31: the unsigned reading of the LEB128 is it.
            return (kind == I32 && mutable == 1 && op == I32_CONST)
                .then(|| leb(wasm, &mut inner))
                .flatten();
        }
        at += size;
    }
    None
}

/// `dist/`'s modules are built as `xtask/src/dist.rs` (`ship_build`) says: with
/// `.cargo/config.toml`'s 512 KiB stack (flags given as `RUSTFLAGS` would silently replace
/// it) and with no source locations, so no Rust file path is left in them (a plain release
/// build keeps the standard library's and our own for panic messages).
#[test]
fn shipped_modules_are_built_with_the_ship_flags_and_the_small_stack() {
    for name in [
        "kapforms_form_bg.wasm",
        "kapforms_form_custom_bg.wasm",
        "kapforms_results_bg.wasm",
    ] {
        let path = dist().join(name);
        let wasm =
            std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {} ({e})", path.display()));
        assert_eq!(stack_size(&wasm), Some(512 * 1024), "{name}: stack size");
        for needle in [&b"/rustc/"[..], b"crates/core/src/", b"crates/widgets/src/"] {
            assert!(
                !wasm.windows(needle.len()).any(|window| window == needle),
                "{name} holds {:?}: not built with the ship flags",
                String::from_utf8_lossy(needle)
            );
        }
    }
}
