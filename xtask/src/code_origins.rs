//! Where the patient module's code comes from, for `bench/RESULTS.md`: each function of the
//! shipped module (read from the copy `cargo xtask dist` binds again keeping its name section,
//! [`crate::dist::named_module`]) is given an origin by its name, and each origin's function bodies are
//! measured together, raw and gzipped. Names are the linker's demangled ones; generic code
//! goes to the origin that made it exist: serde's readers for kapforms' types count as serde,
//! yew's hooks for a kapforms component as that kapforms crate, a B-tree of kapforms answers
//! as kapforms core.

use crate::size_breakdown::{leb128, Part};
use crate::Result;

/// The origins, in the order a function's name is tested against them (the first that
/// matches wins), each with the name fragments that mark it.
const ORIGINS: [(&str, &[&str]); 6] = [
    (
        "serde: JSON reading and writing (serde_json, and serde's derived readers and writers of kapforms' types)",
        &["serde", "Deserializ", "Serializ"],
    ),
    ("kapforms widgets (the views)", &["kapforms_widgets"]),
    (
        "kapforms core (model, conditions, scoring, flags, FHIR export)",
        &["kapforms_core"],
    ),
    (
        "kapforms embed and instruments (mounting, host API, events, built-ins)",
        &["kapforms_embed", "kapforms_instruments"],
    ),
    (
        "yew (the framework: virtual DOM, scheduler, hooks)",
        &["yew", "implicit_clone", "gloo", "indexmap"],
    ),
    (
        "wasm-bindgen, js-sys and web-sys (calls into the browser)",
        &["wasm_bindgen", "js_sys", "web_sys"],
    ),
];

/// Where code matching none of [`ORIGINS`] goes.
const REST: &str = "Rust's standard library (collections, text, numbers, formatting, allocator)";

/// The origin of the function called `name`.
fn origin_of(name: &str) -> &'static str {
    ORIGINS
        .iter()
        .find(|(_, marks)| marks.iter().any(|mark| name.contains(mark)))
        .map_or(REST, |(origin, _)| origin)
}

/// The module's code by origin: one part per origin that has code (in [`ORIGINS`] order, the
/// rest last), then the functions without a name, if any.
pub fn measure(wasm: &[u8]) -> Result<Vec<Part>> {
    let module = Module::parse(wasm)?;
    let mut by_origin: Vec<(&str, Vec<u8>)> = ORIGINS
        .iter()
        .map(|(origin, _)| *origin)
        .chain([REST, "functions without a name"])
        .map(|origin| (origin, Vec::new()))
        .collect();
    for (index, body) in module.bodies.iter().enumerate() {
        let function = module.imported_functions + index as u64;
        let origin = module
            .names
            .binary_search_by_key(&function, |(named, _)| *named)
            .map_or("functions without a name", |found| {
                origin_of(&module.names[found].1)
            });
        if let Some((_, bytes)) = by_origin.iter_mut().find(|(o, _)| *o == origin) {
            bytes.extend_from_slice(body);
        }
    }
    by_origin
        .into_iter()
        .filter(|(_, bytes)| !bytes.is_empty())
        .map(|(origin, bytes)| Part::of(origin, &bytes))
        .collect()
}

/// What this module reads of a WebAssembly module.
struct Module<'a> {
    /// How many functions are imported (they come first in the function index space).
    imported_functions: u64,
    /// Each defined function's body, in order.
    bodies: Vec<&'a [u8]>,
    /// (function index, name) from the name section, sorted by index.
    names: Vec<(u64, String)>,
}

impl<'a> Module<'a> {
    fn parse(wasm: &'a [u8]) -> Result<Module<'a>> {
        const CUSTOM: u8 = 0;
        const IMPORT: u8 = 2;
        const CODE: u8 = 10;
        let mut rest = wasm
            .strip_prefix(b"\0asm\x01\0\0\0")
            .ok_or("not a WebAssembly module (version 1)")?;
        let mut module = Module {
            imported_functions: 0,
            bodies: Vec::new(),
            names: Vec::new(),
        };
        while let Some((&id, after_id)) = rest.split_first() {
            let (content, next) = sized(after_id)?;
            match id {
                IMPORT => module.imported_functions = imported_functions(content)?,
                CODE => {
                    let (count, mut bodies) = leb128(content)?;
                    for _ in 0..count {
                        let (body, after) = sized(bodies)?;
                        module.bodies.push(body);
                        bodies = after;
                    }
                }
                CUSTOM => {
                    let (name, subsections) = sized(content)?;
                    if name == b"name" {
                        module.names = function_names(subsections)?;
                    }
                }
                _ => {}
            }
            rest = next;
        }
        module.names.sort_by_key(|(index, _)| *index);
        Ok(module)
    }
}

/// A LEB128 length and the bytes it counts, then what follows them.
fn sized(bytes: &[u8]) -> Result<(&[u8], &[u8])> {
    let (length, rest) = leb128(bytes)?;
    let length = usize::try_from(length).map_err(|_| "a length too large")?;
    if rest.len() < length {
        return Err("a length runs past the end of the module".to_owned());
    }
    Ok(rest.split_at(length))
}

/// How many of the import section's imports are functions.
fn imported_functions(section: &[u8]) -> Result<u64> {
    let (count, mut rest) = leb128(section)?;
    let mut functions = 0;
    for _ in 0..count {
        let (_, after_module) = sized(rest)?;
        let (_, after_field) = sized(after_module)?;
        let (&kind, after_kind) = after_field.split_first().ok_or("a truncated import")?;
        rest = match kind {
            // A function: its type index.
            0 => {
                functions += 1;
                leb128(after_kind)?.1
            }
            // A table (element type, then limits) or a memory (limits).
            1 | 2 => {
                let limits = if kind == 1 {
                    after_kind.get(1..).ok_or("a truncated table import")?
                } else {
                    after_kind
                };
                let (&flags, after_flags) =
                    limits.split_first().ok_or("truncated import limits")?;
                let after_min = leb128(after_flags)?.1;
                if flags & 1 == 1 {
                    leb128(after_min)?.1
                } else {
                    after_min
                }
            }
            // A global: its value type and mutability.
            3 => after_kind.get(2..).ok_or("a truncated global import")?,
            other => return Err(format!("an import of unknown kind {other}")),
        };
    }
    Ok(functions)
}

/// The function names of a name section's subsections (subsection 1).
fn function_names(mut subsections: &[u8]) -> Result<Vec<(u64, String)>> {
    const FUNCTION_NAMES: u8 = 1;
    let mut names = Vec::new();
    while let Some((&id, after_id)) = subsections.split_first() {
        let (content, next) = sized(after_id)?;
        if id == FUNCTION_NAMES {
            let (count, mut rest) = leb128(content)?;
            for _ in 0..count {
                let (index, after_index) = leb128(rest)?;
                let (name, after_name) = sized(after_index)?;
                names.push((index, String::from_utf8_lossy(name).into_owned()));
                rest = after_name;
            }
        }
        subsections = next;
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_given_the_origin_that_made_their_code() {
        let serde = "<&mut serde_json[b8ef92ea46d69a7c]::de::Deserializer<serde_json[b8ef92ea46d69a7c]::read::StrRead> as serde_core[e4e7b04ffec4c6ba]::de::Deserializer>::deserialize_map::<kapforms_core[8f086fe6d1c48e5e]::objects_only::Wrapped<_>>";
        assert!(origin_of(serde).starts_with("serde"));
        let hook = "<kapforms_widgets[2ad310ba1b7f822c]::item::ItemView as yew[1ca623ec49d91525]::functional::FunctionProvider>::run";
        assert!(origin_of(hook).starts_with("kapforms widgets"));
        let btree = "<alloc[fec436730cafd369]::collections::btree::map::BTreeMap<alloc[fec436730cafd369]::string::String, kapforms_core[8f086fe6d1c48e5e]::answer::AnswerValue>>::insert";
        assert!(origin_of(btree).starts_with("kapforms core"));
        assert!(
            origin_of("<yew[1ca623ec49d91525]::virtual_dom::vlist::VList>::reconcile")
                .starts_with("yew")
        );
        assert_eq!(origin_of("dlmalloc::Dlmalloc::malloc"), REST);
    }

    #[test]
    fn bodies_are_summed_by_origin_with_imports_counted_in_the_index() {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        // An import section: one function import "m"."f" of type 0.
        wasm.extend_from_slice(&[2, 7, 1, 1, b'm', 1, b'f', 0, 0]);
        // A code section: two bodies, of 2 and 3 bytes (functions 1 and 2).
        wasm.extend_from_slice(&[10, 8, 2, 2, 0, 0x0b, 3, 0, 0x01, 0x0b]);
        // A name section naming function 1 (ours) and function 2 (yew's).
        let names: Vec<u8> = [
            &[2u8, 1, 16][..],
            b"kapforms_core::a",
            &[2, 9],
            b"yew::b::c",
        ]
        .concat();
        let mut subsection = vec![1, u8::try_from(names.len()).expect("short")];
        subsection.extend_from_slice(&names);
        let mut custom = vec![4];
        custom.extend_from_slice(b"name");
        custom.extend_from_slice(&subsection);
        wasm.push(0);
        wasm.push(u8::try_from(custom.len()).expect("short"));
        wasm.extend_from_slice(&custom);
        let parts = measure(&wasm).expect("parses");
        let raws: Vec<(&str, u64)> = parts
            .iter()
            .map(|part| (part.name.split(' ').next().unwrap_or_default(), part.raw))
            .collect();
        assert_eq!(raws, [("kapforms", 2), ("yew", 3)]);
        assert!(measure(b"\0asm\x01\0\0\0\x0a\x05\x01").is_err());
    }
}
