//! The embeddable bundle and the demo site. `build_dist` compiles
//! `kapforms-embed` to WebAssembly twice (the patient's bundle and the clinician's, see
//! [`Bundle`]), runs wasm-bindgen into `dist/` and adds the host-facing loader (with the
//! modules' integrity hashes), its types, the iframe mode (`embed.html` and the parent's
//! `kapforms-iframe.js`), the schemas, an example page, `integrity.json` and the npm
//! package's `package.json` and `README.md`; `measure`/`print_sizes` report each
//! file raw and gzipped; `build_site` lays out `target/site/` = `www/` plus
//! `dist/` for `serve` and the browser tests.

use crate::process;
use crate::tools::{self, WasmTools, WASM_TARGET};
use crate::{instrument_files, integrity, package};
use crate::{Paths, Result};
use flate2::write::GzEncoder;
use flate2::Compression;
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The crate that becomes the WebAssembly module.
const EMBED_PACKAGE: &str = "kapforms-embed";
/// The file name cargo gives that crate's `cdylib`.
const EMBED_WASM: &str = "kapforms_embed.wasm";
/// The files of `crates/embed/js/` copied into `dist/` as they are (`kapforms.js` gets the
/// wasm's integrity hash on the way).
const COPIED_JS: [&str; 6] = [
    "kapforms.d.ts",
    "kapforms-iframe.js",
    "kapforms-iframe.d.ts",
    "embed.html",
    "embed-page.js",
    "embed-page.css",
];

/// The WebAssembly bundles of `dist/`: the patient's two (`<kap-form>`: the built-ins as
/// shipped, or a clinic's own definition or text pack) and the clinician's (`<kap-results>`),
/// each a build of `kapforms-embed` with its own features, named by wasm-bindgen's
/// `--out-name` (`NAME.js` glue and `NAME_bg.wasm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// `kapforms_form`: a built-in questionnaire as shipped, all a patient usually downloads
    /// (no validator, no definition serializer, no clinician view).
    Form,
    /// `kapforms_form_custom`: a questionnaire from a clinic's own definition, or a built-in
    /// reworded by a text pack (the `custom` feature: validation and content hashing).
    FormCustom,
    /// `kapforms_results`: the clinician's view (the `results` feature).
    Results,
}

impl Bundle {
    /// Every bundle, the patient's first.
    pub const ALL: [Bundle; 3] = [Bundle::Form, Bundle::FormCustom, Bundle::Results];

    /// wasm-bindgen's `--out-name`.
    pub fn name(self) -> &'static str {
        match self {
            Bundle::Form => "kapforms_form",
            Bundle::FormCustom => "kapforms_form_custom",
            Bundle::Results => "kapforms_results",
        }
    }

    /// The crate features that make it (default features are always off).
    fn features(self) -> &'static [&'static str] {
        match self {
            Bundle::Form => &[],
            Bundle::FormCustom => &["custom"],
            Bundle::Results => &["results"],
        }
    }
}

/// Builds `dist/` from scratch: both bundles (each the release wasm and wasm-bindgen's `web`
/// glue), `kapforms.js`, `kapforms.d.ts`, the JSON Schemas and `example.html`.
pub fn build_dist(paths: &Paths, tools: &WasmTools) -> Result<()> {
    build_bundles(paths, tools, &[], &paths.dist)
}

/// Builds the browser tests' copy of dist into `site/dist-test/`: the same bundles with the
/// `test-hooks` feature (a deliberate panic reachable from JavaScript). Never shipped.
pub fn build_test_dist(paths: &Paths, tools: &WasmTools) -> Result<()> {
    build_bundles(paths, tools, &["test-hooks"], &paths.site.join("dist-test"))
}

/// Builds both bundles with these extra `kapforms-embed` features, and the files beside them,
/// into `out`.
fn build_bundles(paths: &Paths, tools: &WasmTools, extra: &[&str], out: &Path) -> Result<()> {
    // esbuild (an npm package of tests/node) minifies the scripts a page loads.
    tools::ensure_node_packages(paths)?;
    if out.exists() {
        fs::remove_dir_all(out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    for bundle in Bundle::ALL {
        let features: Vec<&str> = bundle.features().iter().chain(extra).copied().collect();
        // Only the shipped bundles (no extra features) are kept with their names.
        build_bundle(
            paths,
            tools,
            bundle.name(),
            &features,
            out,
            extra.is_empty(),
        )?;
        minify_module(paths, &out.join(format!("{}.js", bundle.name())))?;
    }
    let js = paths.root.join("crates/embed/js");
    let instrument_sri = instrument_files::write(out)?;
    // The loader gets the hashes of the modules and of the built-ins' files, so a page that
    // pins kapforms.js pins everything it fetches too.
    let mut fetched_sri: BTreeMap<String, String> = integrity::WASM_FILES
        .iter()
        .map(|name| Ok(((*name).to_owned(), integrity::sri_of(&out.join(name))?)))
        .collect::<Result<_>>()?;
    fetched_sri.extend(instrument_sri);
    let loader = fs::read_to_string(js.join("kapforms.js"))
        .map_err(|e| format!("cannot read kapforms.js: {e}"))?;
    fs::write(
        out.join("kapforms.js"),
        integrity::with_file_integrity(&loader, &fetched_sri)?,
    )
    .map_err(|e| format!("cannot write kapforms.js: {e}"))?;
    bundle_loader(paths, out)?;
    for file in COPIED_JS {
        copy_file(&js.join(file), &out.join(file))?;
    }
    for schema in ["definition.schema.json", "response.schema.json"] {
        copy_file(
            &paths.root.join("schema").join(schema),
            &out.join("schema").join(schema),
        )?;
    }
    copy_file(
        &paths.root.join("www/example.html"),
        &out.join("example.html"),
    )?;
    package::write(&paths.root, out, &integrity::hashes(out)?)?;
    println!("ok: built {}", out.display());
    Ok(())
}

/// Minifies the ES module `file` in place with esbuild (whitespace, comments, local names;
/// no syntax lowered): what every `<kap-form>` page downloads, the loader and the bundles'
/// wasm-bindgen glue, 17 KiB gzip as written and 9 KiB minified. The readable loader is
/// `crates/embed/js/kapforms.js`; its exported names and the elements' API are unchanged.
pub fn minify_module(paths: &Paths, file: &Path) -> Result<()> {
    esbuild_in_place(paths, file, &[])
}

/// esbuild, from the npm packages of `tests/node` (`tools::ensure_node_packages` installs them).
fn esbuild(paths: &Paths) -> PathBuf {
    paths.root.join("tests/node/node_modules/.bin/esbuild")
}

/// Rewrites the ES module `file` in place with esbuild: minified, still an ES module, plus
/// `extra` arguments (`--bundle` to inline what it imports, `--define:…`, `--external:…`).
/// The one way xtask runs esbuild on a shipped or measured script.
pub fn esbuild_in_place(paths: &Paths, file: &Path, extra: &[String]) -> Result<()> {
    process::run(
        Command::new(esbuild(paths))
            .current_dir(&paths.root)
            .arg(file)
            .args([
                "--minify",
                "--format=esm",
                "--allow-overwrite",
                "--log-level=warning",
            ])
            .args(extra)
            .arg(format!("--outfile={}", file.display())),
    )
}

/// Makes `out/kapforms.js` one minified module holding the loader, the widgets' stylesheet
/// (minified too), the built-ins' manifest ([`instrument_files::manifest`]) and the form bundle's glue
/// (esbuild inlines the loader's `import('./kapforms_form.js')`), and removes that glue file:
/// a `<kap-form>` page then fetches the loader, then the module and the built-in's files at
/// once, and the module starts compiling as it streams in, with no glue import to wait for (on the peers bench this
/// made the first item come sooner, most at 4x CPU). The results glue and the custom form's
/// stay files of their own, imported only when a `<kap-results>`, or a `<kap-form>` with a
/// clinic's own definition or a text pack, appears.
fn bundle_loader(paths: &Paths, out: &Path) -> Result<()> {
    // The widgets' stylesheet goes into the loader as a string (its `KAPFORMS_STYLESHEET`), so
    // a shadow root is styled while the module downloads; minified by esbuild (its comments
    // and layout out: 0.5 KiB gzip of every patient's page).
    let css_file = paths.root.join("crates/widgets/src/style.css");
    let css = process::stdout_of(Command::new(esbuild(paths)).arg(&css_file).arg("--minify"))
        .ok_or_else(|| format!("esbuild could not minify {}", css_file.display()))?;
    let css =
        serde_json::to_string(&css).map_err(|e| format!("cannot quote the stylesheet: {e}"))?;
    esbuild_in_place(
        paths,
        &out.join("kapforms.js"),
        &[
            "--bundle".to_owned(),
            format!("--external:./{}.js", Bundle::Results.name()),
            format!("--external:./{}.js", Bundle::FormCustom.name()),
            format!("--define:KAPFORMS_STYLESHEET={css}"),
            // Which built-ins each one embeds, and the languages each has wording and a
            // preview in.
            format!(
                "--define:KAPFORMS_LIBRARY={}",
                instrument_files::manifest()?
            ),
        ],
    )?;
    let glue = out.join(format!("{}.js", Bundle::Form.name()));
    fs::remove_file(&glue).map_err(|e| format!("cannot remove {}: {e}", glue.display()))
}

/// The compiler flags of every shipped (and measured) WebAssembly build, beyond the release
/// profile: the panic strategy `immediate-abort` (a panic traps at once, with no message
/// formatting; the loader already treats any trap as a crash, see `kapforms.js`) and no source
/// locations in the module. With the standard library rebuilt with them and with its
/// `optimize_for_size` feature (see [`ship_build`]), the patient's module is 27 KiB (9%)
/// smaller gzipped. They are added to `.cargo/config.toml`'s (the stack size), not put in
/// their place, as `RUSTFLAGS` would.
pub const SHIP_RUSTFLAGS: [&str; 3] = [
    "-Zunstable-options",
    "-Cpanic=immediate-abort",
    "-Zlocation-detail=none",
];

/// `cargo build --release --target wasm32-unknown-unknown` as `dist/` is built: with the
/// pinned nightly [`tools::SHIP_TOOLCHAIN`], `-Zbuild-std` and [`SHIP_RUSTFLAGS`], into
/// `target_dir` (its own folder, so these flags do not invalidate the stable builds' cache).
/// The caller adds the package or manifest and the features.
pub fn ship_build(paths: &Paths, target_dir: &Path) -> Command {
    let flags: Vec<String> = SHIP_RUSTFLAGS.iter().map(|f| format!("\"{f}\"")).collect();
    let mut build = Command::new("rustup");
    build
        .current_dir(&paths.root)
        .args(["run", tools::SHIP_TOOLCHAIN, "cargo", "build"])
        .args([
            "-Zbuild-std=std,panic_abort",
            "-Zbuild-std-features=optimize_for_size",
            "--release",
            "--target",
            WASM_TARGET,
            "--config",
        ])
        .arg(format!(
            "target.{WASM_TARGET}.rustflags=[{}]",
            flags.join(", ")
        ))
        .arg("--target-dir")
        .arg(target_dir)
        // The outer cargo's variables would point the nested build at the stable toolchain.
        .env_remove("CARGO")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTC")
        .env_remove("RUSTDOC");
    build
}

/// Builds one bundle (`name`) of `kapforms-embed` with exactly these features into `out`, and,
/// if `keep_named`, its copy with function names ([`named_module`]).
fn build_bundle(
    paths: &Paths,
    tools: &WasmTools,
    name: &str,
    features: &[&str],
    out: &Path,
    keep_named: bool,
) -> Result<()> {
    let target_dir = paths.target.join("ship");
    let mut build = ship_build(paths, &target_dir);
    build.args(["-p", EMBED_PACKAGE, "--no-default-features"]);
    if !features.is_empty() {
        build.args(["--features", &features.join(",")]);
    }
    process::run(&mut build)?;
    let wasm = target_dir
        .join(WASM_TARGET)
        .join("release")
        .join(EMBED_WASM);
    if !wasm.is_file() {
        return Err(format!("the build did not produce {}", wasm.display()));
    }

    // The module as shipped but with its function names, for `cargo xtask bench`'s account
    // of where the code comes from.
    if keep_named {
        bind_with(paths, tools, &wasm, name, &named_dir(paths, name), false)?;
    }

    // Each bundle passes through a folder of its own (wasm-bindgen writes every file it makes
    // there), then joins `out`.
    let staging = paths.target.join("wasm-bindgen").join(name);
    bind(paths, tools, &wasm, name, &staging)?;
    copy_dir(&staging, out)
}

/// Bundle `name`'s module from the last `dist` build as shipped, but with its name section
/// (the shipped one has none).
pub fn named_module(paths: &Paths, name: &str) -> std::path::PathBuf {
    named_dir(paths, name).join(format!("{name}_bg.wasm"))
}

/// The folder of [`named_module`] (and its glue).
fn named_dir(paths: &Paths, name: &str) -> std::path::PathBuf {
    paths.target.join("wasm-names").join(name)
}

/// Runs wasm-bindgen as for shipping on the cargo-built `wasm` into a cleared folder `out`:
/// the `web` target's glue `NAME.js` and module `NAME_bg.wasm` (`name` is the `--out-name`),
/// no TypeScript, no name section; then [`optimize_module`] on the module.
pub fn bind(paths: &Paths, tools: &WasmTools, wasm: &Path, name: &str, out: &Path) -> Result<()> {
    bind_with(paths, tools, wasm, name, out, true)
}

/// [`bind`], keeping the module's function names unless `remove_names`.
fn bind_with(
    paths: &Paths,
    tools: &WasmTools,
    wasm: &Path,
    name: &str,
    out: &Path,
    remove_names: bool,
) -> Result<()> {
    if out.exists() {
        fs::remove_dir_all(out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    let mut command = Command::new(&tools.wasm_bindgen);
    command.args(["--target", "web", "--no-typescript"]);
    if remove_names {
        command.arg("--remove-name-section");
    }
    process::run(
        command
            .args(["--out-name", name, "--out-dir"])
            .arg(out)
            .arg(wasm),
    )?;
    let module = out.join(format!("{name}_bg.wasm"));
    shorten_binding_names(&module, &out.join(format!("{name}.js")), name)?;
    optimize_module(paths, &module, !remove_names)
}

/// Rewrites wasm-bindgen's `module` and `glue` in place with the names they share shortened
/// ([`crate::binding_names`]).
fn shorten_binding_names(module: &Path, glue: &Path, name: &str) -> Result<()> {
    let wasm = fs::read(module).map_err(|e| format!("cannot read {}: {e}", module.display()))?;
    let js =
        fs::read_to_string(glue).map_err(|e| format!("cannot read {}: {e}", glue.display()))?;
    let (wasm, js) = crate::binding_names::shorten(&wasm, &js, name)?;
    fs::write(module, wasm).map_err(|e| format!("cannot write {}: {e}", module.display()))?;
    fs::write(glue, js).map_err(|e| format!("cannot write {}: {e}", glue.display()))
}

/// What binaryen's `wasm-opt` runs on a module: its level-1 function passes twice (simpler
/// locals, branches and constants), then the merging of functions that compiled to the same
/// code. About 3.3 KiB gzip off the patient's module. The size levels (`-Os`, `-Oz`) make it
/// smaller raw but larger gzipped (by 8 KiB): they inline more and reorder functions by use,
/// which leaves gzip fewer repeats to find, and a page's cost is its gzipped bytes.
pub const WASM_OPT_PASSES: [&str; 3] = ["-O1", "-O1", "--duplicate-function-elimination"];

/// The WebAssembly features the modules use (the wasm32 target's defaults with the pinned
/// toolchain), which wasm-opt must be told of.
const WASM_OPT_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-reference-types",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-multivalue",
];

/// Runs wasm-opt ([`WASM_OPT_PASSES`]; binaryen's npm package in tests/node, pinned by its
/// lock: Debian's binaryen is too old for these modules) on `module` in place, then orders its
/// functions for gzip ([`crate::function_order`]); keeps its function names, and wasm-opt's
/// order, if `keep_names` (the copy `cargo xtask bench` reads them from).
pub fn optimize_module(paths: &Paths, module: &Path, keep_names: bool) -> Result<()> {
    tools::ensure_node_packages(paths)?;
    let mut command = Command::new(paths.root.join("tests/node/node_modules/.bin/wasm-opt"));
    command.args(WASM_OPT_FEATURES).args(WASM_OPT_PASSES);
    if keep_names {
        command.arg("--debuginfo");
    }
    process::run(command.arg(module).arg("-o").arg(module))?;
    if keep_names {
        // The named copy keeps wasm-opt's order: a name section lists functions by index.
        return Ok(());
    }
    let wasm = fs::read(module).map_err(|e| format!("cannot read {}: {e}", module.display()))?;
    fs::write(module, crate::function_order::sorted_by_body(&wasm)?)
        .map_err(|e| format!("cannot write {}: {e}", module.display()))
}

/// Rebuilds `target/site/`: every file of `www/` (but the React example's source), `dist/`
/// as `site/dist/`, and the React example bundled by esbuild (see [`build_react_example`]).
pub fn build_site(paths: &Paths) -> Result<()> {
    if paths.site.exists() {
        fs::remove_dir_all(&paths.site)
            .map_err(|e| format!("cannot clear {}: {e}", paths.site.display()))?;
    }
    copy_dir(&paths.root.join("www"), &paths.site)?;
    copy_dir(&paths.dist, &paths.site.join("dist"))?;
    build_react_example(paths)?;
    println!("ok: built {}", paths.site.display());
    Ok(())
}

/// Bundles `www/react/app.jsx`, a small React 19 app that renders `<kap-form>`, into
/// `site/react/app.js` with esbuild (both from `tests/node/node_modules`), the way a clinic's
/// React site would use the npm package: `dist/` is "installed" as `node_modules/kapforms`
/// under `target/react-example/`, and the app imports `kapforms`. The bundled loader fetches
/// each WebAssembly module from beside the bundle (`kapforms_form_bg.wasm`, ...), so they are
/// copied there, as a bundler's asset step would (esbuild inlines the results glue, which
/// the loader imports by a literal path; a bundler that splits it off finds it there too), and
/// so is the built-ins' folder `instruments/`.
fn build_react_example(paths: &Paths) -> Result<()> {
    let node_modules = paths.root.join("tests/node/node_modules");
    let esbuild = esbuild(paths);
    if !esbuild.is_file() {
        return Err(format!(
            "{} is missing: `cargo xtask test tools` installs the npm packages",
            esbuild.display()
        ));
    }
    let installed = paths.target.join("react-example/node_modules");
    let package = installed.join(package::NAME);
    if package.exists() {
        fs::remove_dir_all(&package)
            .map_err(|e| format!("cannot clear {}: {e}", package.display()))?;
    }
    for file in package::FILES.iter().chain(&["package.json", "README.md"]) {
        copy_file(&paths.dist.join(file), &package.join(file))?;
    }
    for folder in package::FOLDERS {
        copy_dir(&paths.dist.join(folder), &package.join(folder))?;
    }
    let out = paths.site.join("react");
    let node_path = std::env::join_paths([&installed, &node_modules])
        .map_err(|e| format!("cannot form NODE_PATH: {e}"))?;
    process::run(
        Command::new(&esbuild)
            .current_dir(&paths.root)
            .env("NODE_PATH", node_path)
            .arg(paths.root.join("www/react/app.jsx"))
            .args([
                "--bundle",
                "--format=esm",
                "--jsx=automatic",
                "--minify",
                "--define:process.env.NODE_ENV=\"production\"",
                "--log-level=warning",
            ])
            .arg(format!("--outfile={}", out.join("app.js").display())),
    )?;
    let glues = [Bundle::FormCustom, Bundle::Results].map(|bundle| format!("{}.js", bundle.name()));
    let modules = Bundle::ALL.map(|bundle| format!("{}_bg.wasm", bundle.name()));
    for file in modules.iter().chain(glues.iter()) {
        copy_file(&paths.dist.join(file), &out.join(file))?;
    }
    for folder in package::FOLDERS {
        copy_dir(&paths.dist.join(folder), &out.join(folder))?;
    }
    let source = out.join("app.jsx");
    if source.exists() {
        fs::remove_file(&source).map_err(|e| format!("cannot remove {}: {e}", source.display()))?;
    }
    Ok(())
}

/// Copies one file, creating the destination's folder, with a useful error.
fn copy_file(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

/// Copies a folder recursively (files and sub-folders; symlinks are followed).
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        let source = entry.path();
        let target = to.join(entry.file_name());
        if source.is_dir() {
            copy_dir(&source, &target)?;
        } else {
            copy_file(&source, &target)?;
        }
    }
    Ok(())
}

/// One file of `dist/` and what it weighs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSize {
    /// The file's path relative to `dist/`.
    pub name: String,
    /// Its size on disk in bytes.
    pub raw: u64,
    /// Its size gzipped at the best compression level, in bytes.
    pub gzip: u64,
}

/// The files of `dist/` a page with a `<kap-form instrument="phq9">` loads: the loader (which
/// holds the form bundle's glue), the patient's module, the PHQ-9's definition and the preview
/// of its first page. The size budget is about these: what a patient downloads to see the
/// PHQ-9. (Another built-in loads its own definition and preview instead, and the definitions
/// of the built-ins it embeds; a page in Spanish also loads the wording,
/// `instruments/es/phq9.json`, and the Spanish preview instead of the English one.)
pub const FORM_PAGE_FILES: [&str; 4] = [
    "kapforms.js",
    "kapforms_form_bg.wasm",
    "instruments/phq9.json",
    "instruments/preview/en/phq9.html",
];

/// The files a page with only a `<kap-results>` loads: the loader and the clinician's bundle.
pub const RESULTS_PAGE_FILES: [&str; 3] = [
    "kapforms.js",
    "kapforms_results.js",
    "kapforms_results_bg.wasm",
];

/// The sizes of every file in `dir` (recursively), sorted by name.
pub fn measure(dir: &Path) -> Result<Vec<FileSize>> {
    let mut sizes = Vec::new();
    measure_into(dir, dir, &mut sizes)?;
    sizes.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(sizes)
}

fn measure_into(base: &Path, dir: &Path, sizes: &mut Vec<FileSize>) -> Result<()> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            measure_into(base, &path, sizes)?;
            continue;
        }
        let bytes = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let name = path
            .strip_prefix(base)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        sizes.push(FileSize {
            name,
            raw: bytes.len() as u64,
            gzip: gzip_len(&bytes)?,
        });
    }
    Ok(())
}

/// The length of `bytes` gzipped at the best compression level.
pub fn gzip_len(bytes: &[u8]) -> Result<u64> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map(|out| out.len() as u64)
        .map_err(|e| format!("gzip failed: {e}"))
}

/// The summed gzip size of the files a `<kap-form>` page loads ([`FORM_PAGE_FILES`]).
pub fn form_page_gzip_total(sizes: &[FileSize]) -> u64 {
    page_gzip_total(sizes, &FORM_PAGE_FILES)
}

/// The summed gzip size of the files in `page`.
pub fn page_gzip_total(sizes: &[FileSize], page: &[&str]) -> u64 {
    sizes
        .iter()
        .filter(|f| page.contains(&f.name.as_str()))
        .map(|f| f.gzip)
        .sum()
}

/// Prints the size table: each file raw and gzipped, then what a `<kap-form>` page and a
/// `<kap-results>` page load.
pub fn print_sizes(sizes: &[FileSize]) {
    let width = sizes
        .iter()
        .map(|f| f.name.len())
        .chain(["<kap-results> page loads".len()])
        .max()
        .unwrap_or(0);
    println!("{:<width$}  {:>12}  {:>12}", "dist/", "raw", "gzip");
    for file in sizes {
        println!(
            "{:<width$}  {:>12}  {:>12}",
            file.name,
            human(file.raw),
            human(file.gzip)
        );
    }
    for (label, page) in [
        ("<kap-form> page loads", &FORM_PAGE_FILES[..]),
        ("<kap-results> page loads", &RESULTS_PAGE_FILES[..]),
    ] {
        let raw: u64 = sizes
            .iter()
            .filter(|f| page.contains(&f.name.as_str()))
            .map(|f| f.raw)
            .sum();
        println!(
            "{label:<width$}  {:>12}  {:>12}",
            human(raw),
            human(page_gzip_total(sizes, page))
        );
    }
}

/// Bytes as `123456 B (120.6 KiB)`-style text, short enough for a table.
pub fn human(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_shrinks_repetitive_input() {
        let text = "kap-form ".repeat(1000);
        let gz = gzip_len(text.as_bytes()).expect("gzip");
        assert!(gz > 0 && gz < 200, "gzip size {gz}");
    }

    #[test]
    fn only_what_a_form_page_loads_counts_towards_its_total() {
        let file = |name: &str, gzip| FileSize {
            name: name.to_owned(),
            raw: gzip * 3,
            gzip,
        };
        let sizes = [
            file("kapforms_form_bg.wasm", 100),
            file("kapforms.js", 11),
            file("kapforms_results_bg.wasm", 500),
            file("kapforms_results.js", 50),
            file("example.html", 1000),
        ];
        assert_eq!(form_page_gzip_total(&sizes), 111);
        assert_eq!(page_gzip_total(&sizes, &RESULTS_PAGE_FILES), 561);
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human(512), "512 B");
        assert_eq!(human(2048), "2.0 KiB");
    }
}
