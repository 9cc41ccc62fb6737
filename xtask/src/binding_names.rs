//! Shortens the names by which a wasm-bindgen module and its JavaScript glue call each other.
//! wasm-bindgen names each import after the browser function it wraps plus a 16-digit hash
//! (`__wbg_setAttribute_148e0e65e20e5f27`) and each closure's entry point after its Rust
//! types (`wasm_bindgen_8999ec673cc711d4___convert__closures_____invoke…`); the names are
//! written twice, once in the module's import and export sections and once in the glue, and
//! their hashes are bytes gzip cannot shrink. This pass gives each such name a short one
//! (`a`, `b`, …) in both files at once, the way a minifier renames a program's locals; what
//! the module does is unchanged. 4.1 KiB gzip off a PHQ-9 page.
//!
//! Which names: every import of the glue's module (`./NAME_bg.js`) and every export whose
//! name wasm-bindgen made up (it holds `__` or starts with `wasm_bindgen`) and the glue
//! calls. The exports a clinic's code reaches through the glue (`instruments`,
//! `formhandle_*`), `memory`, and exports the glue never calls keep their names. A short
//! name is never one the glue already uses as a word, so the rename cannot capture another
//! identifier; an import the glue does not mention is an error (the module could not be
//! instantiated).

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;

use wasm_encoder::reencode::{self, Reencode};
use wasmparser::{Parser, Payload};

use crate::Result;

/// The renaming of a module's imports and exports (old name → short name).
struct Renaming {
    /// The import module whose names are renamed (the glue, `./NAME_bg.js`).
    glue_module: String,
    /// Old name → new name, for imports of `glue_module` and for generated exports.
    names: HashMap<String, String>,
}

impl Renaming {
    /// The new name of `name`, or `name` itself if it is not renamed.
    fn renamed<'a>(&'a self, name: &'a str) -> &'a str {
        self.names.get(name).map_or(name, String::as_str)
    }
}

impl Reencode for Renaming {
    type Error = Infallible;

    fn parse_imports(
        &mut self,
        section: &mut wasm_encoder::ImportSection,
        imports: wasmparser::Imports<'_>,
    ) -> core::result::Result<(), reencode::Error> {
        for import in imports {
            let (_, import) = import?;
            let name = if import.module == self.glue_module {
                self.renamed(import.name).to_owned()
            } else {
                import.name.to_owned()
            };
            section.import(import.module, &name, self.entity_type(import.ty)?);
        }
        Ok(())
    }

    fn parse_export(
        &mut self,
        exports: &mut wasm_encoder::ExportSection,
        export: wasmparser::Export<'_>,
    ) -> core::result::Result<(), reencode::Error> {
        let kind = self.export_kind(export.kind)?;
        let index = self.external_index(export.kind, export.index)?;
        let name = self.renamed(export.name).to_owned();
        exports.export(&name, kind, index);
        Ok(())
    }
}

/// Whether wasm-bindgen made up the export `name` (an allocator, a closure's entry point, a
/// table): such names are renamed, the program's own exports are not.
fn is_generated_export(name: &str) -> bool {
    name.contains("__") || name.starts_with("wasm_bindgen")
}

/// The words (runs of identifier characters) of JavaScript source `js`, with their byte
/// ranges.
fn words(js: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = js.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() && !is_word(bytes[at]) {
            at += 1;
        }
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len() && is_word(bytes[at]) {
            at += 1;
        }
        Some((start, at))
    })
}

/// JavaScript's reserved words of one or two letters, which no short name may be.
const RESERVED: [&str; 3] = ["do", "if", "in"];

/// The `n`-th short name: `a` … `z`, `A` … `Z`, then two letters (`aa`, `ab`, …).
fn short_name(n: usize) -> String {
    const LETTERS: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = Vec::new();
    let mut rest = n;
    loop {
        name.push(LETTERS[rest % LETTERS.len()]);
        rest /= LETTERS.len();
        if rest == 0 {
            break;
        }
        rest -= 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// The module `wasm` and its glue `glue` (wasm-bindgen's `web` target, `name` its
/// `--out-name`) with their shared names shortened (see the module's documentation).
pub fn shorten(wasm: &[u8], glue: &str, name: &str) -> Result<(Vec<u8>, String)> {
    let glue_module = format!("./{name}_bg.js");
    let glue_words: HashSet<&str> = words(glue).map(|(start, end)| &glue[start..end]).collect();
    let mut long = Vec::new();
    let mut taken = HashSet::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| format!("cannot read the module: {e}"))? {
            Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    let import = import.map_err(|e| format!("cannot read an import: {e}"))?;
                    if import.module == glue_module {
                        long.push(import.name.to_owned());
                    } else {
                        taken.insert(import.name.to_owned());
                    }
                }
            }
            Payload::ExportSection(section) => {
                for export in section {
                    let export = export.map_err(|e| format!("cannot read an export: {e}"))?;
                    if is_generated_export(export.name) && glue_words.contains(export.name) {
                        long.push(export.name.to_owned());
                    } else {
                        taken.insert(export.name.to_owned());
                    }
                }
            }
            _ => {}
        }
    }
    taken.extend(glue_words.iter().map(|word| word.to_string()));
    let mut names = HashMap::new();
    let mut next = 0;
    for old in long {
        if names.contains_key(&old) {
            continue;
        }
        if !glue_words.contains(old.as_str()) {
            return Err(format!("the glue of {name} does not mention `{old}`"));
        }
        let new = loop {
            let candidate = short_name(next);
            next += 1;
            if !taken.contains(&candidate) && !RESERVED.contains(&candidate.as_str()) {
                break candidate;
            }
        };
        names.insert(old, new);
    }
    let mut renamed_glue = String::with_capacity(glue.len());
    let mut copied = 0;
    for (start, end) in words(glue) {
        if let Some(new) = names.get(&glue[start..end]) {
            renamed_glue.push_str(&glue[copied..start]);
            renamed_glue.push_str(new);
            copied = end;
        }
    }
    renamed_glue.push_str(&glue[copied..]);
    let mut renaming = Renaming { glue_module, names };
    let mut module = wasm_encoder::Module::new();
    renaming
        .parse_core_module(&mut module, Parser::new(0), wasm)
        .map_err(|e| format!("cannot rewrite the module: {e:?}"))?;
    Ok((module.finish(), renamed_glue))
}

#[cfg(test)]
mod tests {
    use wasm_encoder::{
        CodeSection, EntityType, ExportKind, ExportSection, Function, FunctionSection,
        ImportSection, Instruction, MemorySection, MemoryType, Module, TypeSection,
    };
    use wasmparser::{Parser, Payload};

    use super::{short_name, shorten};

    /// A module as wasm-bindgen writes one for `--out-name x`: two imports from the glue
    /// (`./x_bg.js`), one from elsewhere, and five exports: memory, the program's own
    /// `instruments`, two made-up ones the glue calls, one made-up one it does not.
    fn module() -> Vec<u8> {
        let mut types = TypeSection::new();
        types.ty().function([], []);
        let mut imports = ImportSection::new();
        imports.import(
            "./x_bg.js",
            "__wbg_alert_0123456789abcdef",
            EntityType::Function(0),
        );
        imports.import(
            "./x_bg.js",
            "__wbindgen_init_externref_table",
            EntityType::Function(0),
        );
        imports.import("env", "__wbg_other", EntityType::Function(0));
        let mut functions = FunctionSection::new();
        let mut code = CodeSection::new();
        functions.function(0);
        let mut body = Function::new([]);
        body.instruction(&Instruction::End);
        code.function(&body);
        let mut memories = MemorySection::new();
        memories.memory(MemoryType {
            minimum: 1,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        });
        let mut exports = ExportSection::new();
        exports.export("memory", ExportKind::Memory, 0);
        exports.export("instruments", ExportKind::Func, 3);
        exports.export("__wbindgen_malloc", ExportKind::Func, 3);
        exports.export(
            "wasm_bindgen_1234___convert__closures_____invoke",
            ExportKind::Func,
            3,
        );
        exports.export("__abort_handler", ExportKind::Func, 3);
        let mut module = Module::new();
        module
            .section(&types)
            .section(&imports)
            .section(&functions)
            .section(&memories)
            .section(&exports)
            .section(&code);
        module.finish()
    }

    /// Glue for [`module`]; it already uses the word `a` (a local), so no short name is `a`.
    const GLUE: &str = "function wasm_bindgen_1234___convert__closures_____invoke(a) {\n\
        wasm.wasm_bindgen_1234___convert__closures_____invoke(a);\n}\n\
        const imports = { \"./x_bg.js\": {\n\
        __wbg_alert_0123456789abcdef: function(a) { alert(a); },\n\
        __wbindgen_init_externref_table: function() {},\n} };\n\
        const ptr = wasm.__wbindgen_malloc(8); wasm.instruments(); wasm.memory;\n";

    /// The module's import names and export names, in order.
    fn names(wasm: &[u8]) -> (Vec<String>, Vec<String>) {
        let (mut imports, mut exports) = (Vec::new(), Vec::new());
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.expect("a module") {
                Payload::ImportSection(section) => {
                    for import in section.into_imports() {
                        let import = import.expect("an import");
                        imports.push(format!("{} {}", import.module, import.name));
                    }
                }
                Payload::ExportSection(section) => {
                    for export in section {
                        exports.push(export.expect("an export").name.to_owned());
                    }
                }
                _ => {}
            }
        }
        (imports, exports)
    }

    #[test]
    fn the_glue_and_the_module_get_the_same_short_names() {
        let (wasm, glue) = shorten(&module(), GLUE, "x").expect("shortened");
        let (imports, exports) = names(&wasm);
        assert_eq!(
            imports,
            ["./x_bg.js b", "./x_bg.js c", "env __wbg_other"],
            "the glue's imports are renamed, skipping `a`; another module's are not"
        );
        assert_eq!(
            exports,
            ["memory", "instruments", "d", "e", "__abort_handler"],
            "made-up exports the glue calls are renamed; the rest keep their names"
        );
        assert_eq!(
            glue,
            "function e(a) {\nwasm.e(a);\n}\n\
             const imports = { \"./x_bg.js\": {\n\
             b: function(a) { alert(a); },\n\
             c: function() {},\n} };\n\
             const ptr = wasm.d(8); wasm.instruments(); wasm.memory;\n"
        );
    }

    #[test]
    fn an_import_the_glue_does_not_provide_is_an_error() {
        let glue = GLUE.replace("__wbindgen_init_externref_table", "something_else");
        let error = shorten(&module(), &glue, "x").expect_err("an import is missing");
        assert!(error.contains("__wbindgen_init_externref_table"), "{error}");
    }

    #[test]
    fn short_names_run_through_one_then_two_letters() {
        let names: Vec<String> = [0, 1, 25, 26, 51, 52, 53, 104].map(short_name).to_vec();
        assert_eq!(names, ["a", "b", "z", "A", "Z", "aa", "ab", "ba"]);
    }
}
