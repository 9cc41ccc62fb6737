//! Where a patient's bytes go, for `bench/RESULTS.md`: the files a `<kap-form>` page loads
//! ([`dist::FORM_PAGE_FILES`]), the patient bundle's WebAssembly split into its code and data
//! sections, the known parts kept out of the module (the built-in definitions and their
//! wording, which `dist/instruments/` holds and a page fetches as it needs them, and the
//! stylesheet, in the loader), and the framework floor: `bench/floor/`, the smallest yew +
//! serde_json widget that shows the PHQ-9 and its total, built as `dist/` is, with the same
//! wasm-bindgen and minifier. Each part is gzipped on its own, so the parts of a
//! file add up to about, not exactly, the file's own gzip size.

use crate::code_origins;
use crate::process;
use crate::tools::{WasmTools, WASM_TARGET};
use crate::{dist, Paths, Result};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// The size goal of a `<kap-form>` page, gzipped (the 150 KB budget).
const GOAL: u64 = crate::pipeline::GZIP_TARGET;

/// One measured part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// What it is.
    pub name: String,
    /// Its size in bytes.
    pub raw: u64,
    /// Its size gzipped alone at the best level, in bytes.
    pub gzip: u64,
}

impl Part {
    /// `bytes`, measured.
    pub(crate) fn of(name: impl Into<String>, bytes: &[u8]) -> Result<Part> {
        Ok(Part {
            name: name.into(),
            raw: bytes.len() as u64,
            gzip: dist::gzip_len(bytes)?,
        })
    }
}

/// The breakdown of a `<kap-form>` page.
#[derive(Debug, Clone)]
pub struct Breakdown {
    /// Each file the page loads.
    pub files: Vec<Part>,
    /// The patient bundle's WebAssembly by section: code, data, the rest.
    pub sections: Vec<Part>,
    /// Known parts that are not in the module: the built-ins' files beside it, the stylesheet
    /// in the loader.
    pub data: Vec<Part>,
    /// The framework floor's files (its glue and module), or why it could not be built.
    pub floor: std::result::Result<Vec<Part>, String>,
    /// The patient module's code by origin ([`code_origins`]), or why it could not be read.
    pub origins: std::result::Result<Vec<Part>, String>,
}

/// Measures `dist/` as built, and builds and measures the floor.
pub fn measure(paths: &Paths, tools: &WasmTools) -> Result<Breakdown> {
    let files = dist::FORM_PAGE_FILES
        .iter()
        .map(|name| Part::of(*name, &read(&paths.dist.join(name))?))
        .collect::<Result<Vec<_>>>()?;
    let wasm = read(&paths.dist.join("kapforms_form_bg.wasm"))?;
    let sections = wasm_sections(&wasm)?;
    let data = data_parts(paths)?;
    let floor = floor(paths, tools);
    let origins = read(&dist::named_module(paths, "kapforms_form"))
        .and_then(|named| code_origins::measure(&named));
    Ok(Breakdown {
        files,
        sections,
        data,
        floor,
        origins,
    })
}

fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The module's code section, data section and everything else (types, imports, exports,
/// the function table, ...), each as its bytes.
fn wasm_sections(wasm: &[u8]) -> Result<Vec<Part>> {
    const CODE: u8 = 10;
    const DATA: u8 = 11;
    let body = wasm
        .strip_prefix(b"\0asm\x01\0\0\0")
        .ok_or("not a WebAssembly module (version 1)")?;
    let (mut code, mut data, mut other) = (Vec::new(), Vec::new(), Vec::new());
    let mut rest = body;
    while let Some((&id, after_id)) = rest.split_first() {
        let (length, after_length) = leb128(after_id)?;
        let length = usize::try_from(length).map_err(|_| "section too long")?;
        if after_length.len() < length {
            return Err("a section runs past the end of the module".to_owned());
        }
        let (content, next) = after_length.split_at(length);
        match id {
            CODE => code.extend_from_slice(content),
            DATA => data.extend_from_slice(content),
            _ => other.extend_from_slice(content),
        }
        rest = next;
    }
    Ok(vec![
        Part::of("code (compiled Rust: ours, yew, serde, std)", &code)?,
        Part::of("data (strings, tables, embedded files)", &data)?,
        Part::of("other sections (types, imports, exports, table)", &other)?,
    ])
}

/// An unsigned LEB128 number and what follows it.
pub(crate) fn leb128(bytes: &[u8]) -> Result<(u64, &[u8])> {
    let mut value = 0u64;
    for (index, byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * index);
        if byte & 0x80 == 0 {
            return Ok((value, &bytes[index + 1..]));
        }
    }
    Err("a malformed LEB128 number".to_owned())
}

/// Known parts kept out of the module: every built-in definition and every translation's
/// wording, as `dist/instruments/` holds them (a page fetches only those it shows), and the
/// stylesheet, which travels in `kapforms.js`.
fn data_parts(paths: &Paths) -> Result<Vec<Part>> {
    let instruments = paths.dist.join("instruments");
    let mut definitions = Vec::new();
    for file in json_files(&instruments)? {
        definitions.extend_from_slice(&read(&file)?);
    }
    let mut wording = Vec::new();
    for language in sorted_entries(&instruments)?.iter().filter(|p| p.is_dir()) {
        for file in json_files(language)? {
            wording.extend_from_slice(&read(&file)?);
        }
    }
    let stylesheet = read(&paths.root.join("crates/widgets/src/style.css"))?;
    Ok(vec![
        Part::of(
            "not in the module: the 16 built-in definitions, `instruments/*.json` \
             (a page fetches those it shows)",
            &definitions,
        )?,
        Part::of(
            "not in the module: their wording in Spanish, `instruments/es/*.json`",
            &wording,
        )?,
        Part::of("in `kapforms.js`: the stylesheet", &stylesheet)?,
    ])
}

fn sorted_entries(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    entries.sort();
    Ok(entries)
}

fn json_files(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    Ok(sorted_entries(dir)?
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect())
}

/// Builds `bench/floor/` to WebAssembly as `dist/` is built ([`dist::ship_build`]), with its
/// own lock file and target folder, runs
/// wasm-bindgen and the minifier as `dist/` does, and measures its glue and module.
fn floor(paths: &Paths, tools: &WasmTools) -> std::result::Result<Vec<Part>, String> {
    let manifest = paths.root.join("bench/floor/Cargo.toml");
    let target = paths.target.join("bench/floor-target");
    process::run(
        dist::ship_build(paths, &target)
            .arg("--locked")
            .arg("--manifest-path")
            .arg(&manifest),
    )?;
    let wasm = target
        .join(WASM_TARGET)
        .join("release/kapforms_bench_floor.wasm");
    let out = paths.target.join("bench/floor");
    dist::bind(paths, tools, &wasm, "floor", &out)?;
    let glue = out.join("floor.js");
    dist::minify_module(paths, &glue)?;
    Ok(vec![
        Part::of("glue (floor.js)", &read(&glue)?)?,
        Part::of("module (floor_bg.wasm)", &read(&out.join("floor_bg.wasm"))?)?,
    ])
}

impl Breakdown {
    /// The page's total, gzipped file by file (as the size budget counts it).
    fn page_gzip(&self) -> u64 {
        self.files.iter().map(|part| part.gzip).sum()
    }

    /// The section of `bench/RESULTS.md`.
    pub fn markdown(&self) -> String {
        let mut md = String::from("## Where the patient's bytes go\n\n");
        let _ = writeln!(
            md,
            "What limits the size goal, measured on this run's `dist/` \
             (`xtask/src/size_breakdown.rs`). Each part is gzipped alone (-9).\n"
        );
        let _ = writeln!(md, "| part | raw | gzip |\n|---|---|---|");
        let row = |md: &mut String, name: &str, part: &Part| {
            let _ = writeln!(
                md,
                "| {name} | {} | {} |",
                dist::human(part.raw),
                dist::human(part.gzip)
            );
        };
        for file in &self.files {
            row(&mut md, &format!("`{}`", file.name), file);
        }
        for section in &self.sections {
            row(&mut md, &format!("… wasm {}", section.name), section);
        }
        for part in &self.data {
            row(&mut md, &format!("… {}", part.name), part);
        }
        let _ = writeln!(
            md,
            "| **the page** | | **{}** |\n",
            dist::human(self.page_gzip())
        );
        match &self.origins {
            Ok(origins) => {
                let total: u64 = origins.iter().map(|part| part.raw).sum();
                let over = self.page_gzip().saturating_sub(GOAL);
                let largest = origins.iter().map(|part| part.gzip).max().unwrap_or(0);
                let spread = if over > largest {
                    format!(
                        " Even the largest ({}) is less than the page's {} over the goal: no \
                         one origin stands between the page and it.",
                        dist::human(largest),
                        dist::human(over)
                    )
                } else {
                    String::new()
                };
                let _ = writeln!(
                    md,
                    "The module's code by where it comes from (`xtask/src/code_origins.rs`: \
                     each function of the shipped module, by its name in a copy that kept its \
                     name section; code generated for a kapforms type counts where it was \
                     generated: serde's readers of kapforms' types as serde, yew's hooks of a \
                     kapforms component and the B-trees of its answers as kapforms). Each \
                     origin's function bodies are gzipped together, alone.{spread}\n\n\
                     | origin | raw | share | gzip |\n|---|---|---|---|"
                );
                for part in origins {
                    let _ = writeln!(
                        md,
                        "| {} | {} | {:.0}% | {} |",
                        part.name,
                        dist::human(part.raw),
                        part.raw as f64 * 100.0 / total.max(1) as f64,
                        dist::human(part.gzip)
                    );
                }
                md.push('\n');
            }
            Err(why) => {
                let _ = writeln!(
                    md,
                    "The module's code could not be split by origin: {why}\n"
                );
            }
        }
        match &self.floor {
            Ok(floor) => {
                let total: u64 = floor.iter().map(|part| part.gzip).sum();
                let _ = writeln!(
                    md,
                    "The framework floor (`bench/floor/`: yew 0.23 and serde_json showing the \
                     PHQ-9 from JSON with radios and a running total, nothing of kapforms; same \
                     profile, wasm-bindgen and minifier): {} gzip ({}). Our page is {} over it: \
                     that is kapforms' own code (scoring rules, flags, thresholds, modules, two \
                     languages, FHIR export, drafts, every kind of question, review and crisis \
                     pages; a clinic's own definitions, which need validation, are another \
                     bundle) and its data; the framework alone takes {:.0}% of the {} goal.\n",
                    dist::human(total),
                    floor
                        .iter()
                        .map(|part| format!("{} {}", part.name, dist::human(part.gzip)))
                        .collect::<Vec<_>>()
                        .join(", "),
                    dist::human(self.page_gzip().saturating_sub(total)),
                    total as f64 * 100.0 / GOAL as f64,
                    dist::human(GOAL)
                );
            }
            Err(why) => {
                let _ = writeln!(md, "The framework floor could not be built: {why}\n");
            }
        }
        md
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_split_by_id() {
        // A module: magic, version, a type section (id 1) of 2 bytes, a code section (id 10)
        // of 3 bytes, a data section (id 11) of 1 byte.
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend_from_slice(&[1, 2, 0xaa, 0xbb, 10, 3, 1, 2, 3, 11, 1, 9]);
        let parts = wasm_sections(&wasm).expect("parses");
        let raws: Vec<u64> = parts.iter().map(|part| part.raw).collect();
        assert_eq!(raws, [3, 1, 2]);
        assert!(wasm_sections(b"not wasm").is_err());
        let mut truncated = b"\0asm\x01\0\0\0".to_vec();
        truncated.extend_from_slice(&[10, 5, 1]);
        assert!(wasm_sections(&truncated).is_err());
    }

    #[test]
    fn leb128_reads_multi_byte_numbers() {
        assert_eq!(
            leb128(&[0xe5, 0x8e, 0x26, 7]).expect("reads"),
            (624_485, &[7u8][..])
        );
        assert!(leb128(&[0x80, 0x80]).is_err());
    }
}
