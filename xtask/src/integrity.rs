//! Subresource Integrity for `dist/`: the `sha384-…` hashes a host puts in `integrity`
//! attributes. `cargo xtask dist` writes the wasm's hash into `kapforms.js` (which fetches the
//! module with it), then lists the hashes of the files a host tags or preloads in
//! `dist/integrity.json` and in the package README's snippet.

use sha2::{Digest, Sha256, Sha384};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::Result;

/// The files of `dist/` whose hashes `integrity.json` lists: the module a host tags (which
/// holds the form bundle's glue), the glues it imports (the custom form's and the results
/// bundle's: a host can pin them with `<link rel="modulepreload" integrity>`), the WebAssembly
/// modules, and the two scripts of iframe mode.
pub const HASHED: [&str; 8] = [
    "kapforms.js",
    "kapforms_form_bg.wasm",
    "kapforms_form_custom.js",
    "kapforms_form_custom_bg.wasm",
    "kapforms_results.js",
    "kapforms_results_bg.wasm",
    "kapforms-iframe.js",
    "embed-page.js",
];

/// The WebAssembly modules whose hashes `kapforms.js` carries and fetches them with.
pub const WASM_FILES: [&str; 3] = [
    "kapforms_form_bg.wasm",
    "kapforms_form_custom_bg.wasm",
    "kapforms_results_bg.wasm",
];

/// The line of `kapforms.js` that holds the wasm hashes, empty in the source tree.
pub const FILE_INTEGRITY_LINE: &str = "const FILE_INTEGRITY = {};";

/// The SRI value of `bytes`: `sha384-` and the base64 of their SHA-384 digest.
pub fn sri(bytes: &[u8]) -> String {
    format!("sha384-{}", base64(&Sha384::digest(bytes)))
}

/// The SRI value of `bytes` with SHA-256: `sha256-` and the base64 of the digest. What the
/// loader pins the built-ins' files with: SRI accepts it as well, and each hash is 20
/// characters shorter than [`sri`]'s, which counts where the loader carries one for each of
/// some sixty files.
pub fn sri_sha256(bytes: &[u8]) -> String {
    format!("sha256-{}", base64(&Sha256::digest(bytes)))
}

/// The SRI value of a file.
pub fn sri_of(file: &Path) -> Result<String> {
    let bytes = fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    Ok(sri(&bytes))
}

/// `kapforms.js` with the wasm hashes filled in (file name → SRI value, as a JavaScript
/// object); an error if the line is not there exactly once (the loader would then fetch the
/// modules unchecked).
pub fn with_file_integrity(loader: &str, wasm_sri: &BTreeMap<String, String>) -> Result<String> {
    if loader.matches(FILE_INTEGRITY_LINE).count() != 1 {
        return Err(format!(
            "kapforms.js must hold the line `{FILE_INTEGRITY_LINE}` exactly once"
        ));
    }
    let object = serde_json::to_string(wasm_sri).map_err(|e| format!("cannot write JSON: {e}"))?;
    Ok(loader.replace(
        FILE_INTEGRITY_LINE,
        &format!("const FILE_INTEGRITY = {object};"),
    ))
}

/// The hashes of [`HASHED`] in `dir`, by file name.
pub fn hashes(dir: &Path) -> Result<BTreeMap<String, String>> {
    HASHED
        .iter()
        .map(|name| Ok(((*name).to_owned(), sri_of(&dir.join(name))?)))
        .collect()
}

/// Standard base64 with padding (RFC 4648 §4), as SRI uses.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_test_vectors() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected, "{input:?}");
        }
    }

    #[test]
    fn sri_of_a_known_input() {
        // `printf 'alert(1)' | openssl dgst -sha384 -binary | openssl base64 -A`
        assert_eq!(
            sri(b"alert(1)"),
            "sha384-HT2E9NfWiuQ/w1PRai+hTyqW16NIoCGA/m8VQDUopfAtcz6YQjtsMmQd5uRbVDpW"
        );
    }

    #[test]
    fn the_wasm_hash_is_written_into_the_loader_once() {
        let loader = format!("a\n{FILE_INTEGRITY_LINE}\nb");
        let hashes = BTreeMap::from([("m_bg.wasm".to_owned(), "sha384-abc".to_owned())]);
        let filled = with_file_integrity(&loader, &hashes).expect("filled");
        assert_eq!(
            filled,
            "a\nconst FILE_INTEGRITY = {\"m_bg.wasm\":\"sha384-abc\"};\nb"
        );
        assert!(with_file_integrity("no line", &hashes).is_err());
        let twice = format!("{FILE_INTEGRITY_LINE}{FILE_INTEGRITY_LINE}");
        assert!(with_file_integrity(&twice, &hashes).is_err());
    }
}
