//! Installing what the commands need on a fresh Debian machine, and skipping
//! what is already there: the `wasm32-unknown-unknown` target (rustup), the pinned
//! nightly toolchain the shipped modules are built with ([`SHIP_TOOLCHAIN`], rustup),
//! wasm-bindgen-cli at exactly the `wasm-bindgen` version pinned in Cargo.lock
//! (`cargo install`), and Debian's Chromium and ChromeDriver (`apt-get`).
//! Each check prints one short line.

use crate::process::{self, cargo, stdout_of};
use crate::{Paths, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The WebAssembly target everything browser-side is built for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Where Debian's `chromium` package puts the browser.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Where Debian's `chromium-driver` package puts ChromeDriver.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The wasm-bindgen command-line tools, at the version Cargo.lock pins.
#[derive(Debug, Clone)]
pub struct WasmTools {
    /// The `wasm-bindgen` executable.
    pub wasm_bindgen: PathBuf,
    /// The `wasm-bindgen-test-runner` executable (a cargo test runner).
    pub test_runner: PathBuf,
}

/// The toolchain `dist/`'s WebAssembly is built with (see `dist::ship_build`), pinned to one
/// dated nightly so a build is reproducible. Only nightly can rebuild the standard library
/// for size, which takes about a twelfth off the patient's module; everything else (the
/// tests, clippy, the CLI) uses the stable toolchain. The fuzz targets build with it too.
pub const SHIP_TOOLCHAIN: &str = "nightly-2026-05-20";

/// Makes sure the wasm32 target, the shipping toolchain and the matching wasm-bindgen-cli
/// are installed.
pub fn ensure_wasm_tools(paths: &Paths) -> Result<WasmTools> {
    ensure_wasm_target()?;
    ensure_ship_toolchain()?;
    ensure_wasm_bindgen(paths)
}

/// Installs [`SHIP_TOOLCHAIN`] with the standard library's source (`rust-src`, which
/// `-Zbuild-std` compiles) and the wasm32 target, with rustup, unless all three are there.
/// About 10 s and 200 MB on a fresh machine.
pub fn ensure_ship_toolchain() -> Result<()> {
    let sysroot = stdout_of(Command::new("rustup").args([
        "run",
        SHIP_TOOLCHAIN,
        "rustc",
        "--print",
        "sysroot",
    ]));
    let complete = sysroot.is_some_and(|root| {
        let rustlib = Path::new(root.trim()).join("lib/rustlib");
        rustlib.join("src/rust/library").is_dir() && rustlib.join(WASM_TARGET).is_dir()
    });
    if complete {
        println!("ok: {SHIP_TOOLCHAIN} with rust-src and the wasm32 target present");
        return Ok(());
    }
    if process::find_on_path("rustup").is_none() {
        return Err(format!(
            "building dist/ needs the {SHIP_TOOLCHAIN} toolchain, and `rustup` is not \
             available to install it (https://rustup.rs)"
        ));
    }
    println!("installing the {SHIP_TOOLCHAIN} toolchain with rust-src and {WASM_TARGET} (rustup)");
    process::run(Command::new("rustup").args([
        "toolchain",
        "install",
        SHIP_TOOLCHAIN,
        "--profile",
        "minimal",
        "--component",
        "rust-src",
        "--target",
        WASM_TARGET,
    ]))
}

/// Installs the `wasm32-unknown-unknown` target with rustup unless present.
pub fn ensure_wasm_target() -> Result<()> {
    let installed = stdout_of(Command::new("rustup").args(["target", "list", "--installed"]));
    match installed {
        Some(list) if list.lines().any(|line| line.trim() == WASM_TARGET) => {
            println!("ok: wasm32 target present");
            Ok(())
        }
        Some(_) => {
            println!("installing the {WASM_TARGET} target (rustup target add)");
            process::run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
        }
        None => {
            // No rustup: accept a toolchain that ships the target in its sysroot.
            let sysroot = stdout_of(Command::new("rustc").args(["--print", "sysroot"]));
            let present = sysroot.is_some_and(|root| {
                Path::new(&root)
                    .join("lib/rustlib")
                    .join(WASM_TARGET)
                    .is_dir()
            });
            if present {
                println!("ok: wasm32 target present (toolchain sysroot)");
                Ok(())
            } else {
                Err(format!(
                    "the {WASM_TARGET} target is missing and `rustup` is not available to add it"
                ))
            }
        }
    }
}

/// Finds `wasm-bindgen` and `wasm-bindgen-test-runner` at the version of the
/// `wasm-bindgen` crate in Cargo.lock, installing them with `cargo install`
/// if no such pair is on `PATH` or in cargo's bin folder.
pub fn ensure_wasm_bindgen(paths: &Paths) -> Result<WasmTools> {
    let lock_path = paths.root.join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path)
        .map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let version = locked_version(&lock, "wasm-bindgen").ok_or_else(|| {
        format!(
            "{} has no `wasm-bindgen` package to take the version from",
            lock_path.display()
        )
    })?;

    let mut dirs = process::path_dirs();
    dirs.extend(process::cargo_bin_dir());
    if let Some(tools) = dirs.iter().find_map(|dir| matching_pair(dir, &version)) {
        println!(
            "ok: wasm-bindgen-cli {version} present ({})",
            tools.wasm_bindgen.display()
        );
        return Ok(tools);
    }

    println!("installing wasm-bindgen-cli {version} (cargo install; takes a few minutes)");
    // Not `--locked`: the crate's own lock file does not resolve on this registry.
    process::run(cargo().args(["install", "wasm-bindgen-cli", "--version", &version]))?;
    process::cargo_bin_dir()
        .and_then(|dir| matching_pair(&dir, &version))
        .ok_or_else(|| {
            format!("`cargo install wasm-bindgen-cli --version {version}` finished, but no wasm-bindgen {version} is in cargo's bin folder")
        })
}

/// The pair of wasm-bindgen tools in `dir`, if both exist and print `version`.
fn matching_pair(dir: &Path, version: &str) -> Option<WasmTools> {
    let wasm_bindgen = dir.join("wasm-bindgen");
    let test_runner = dir.join("wasm-bindgen-test-runner");
    let reports = |tool: &Path| {
        tool.is_file()
            && stdout_of(Command::new(tool).arg("--version"))
                .is_some_and(|text| reported_version(&text) == Some(version))
    };
    (reports(&wasm_bindgen) && reports(&test_runner)).then_some(WasmTools {
        wasm_bindgen,
        test_runner,
    })
}

/// The version in a `--version` line such as `wasm-bindgen 0.2.130`.
fn reported_version(text: &str) -> Option<&str> {
    text.lines().next()?.split_whitespace().nth(1)
}

/// The version of package `name` in the text of a Cargo.lock file (the first
/// one, if several versions are locked).
pub fn locked_version(lock: &str, name: &str) -> Option<String> {
    let mut current_name: Option<&str> = None;
    for line in lock.lines().map(str::trim) {
        if line == "[[package]]" {
            current_name = None;
        } else if let Some(value) = toml_string(line, "name") {
            current_name = Some(value);
        } else if let Some(value) = toml_string(line, "version") {
            if current_name == Some(name) {
                return Some(value.to_owned());
            }
        }
    }
    None
}

/// The string value of a `key = "value"` line, if the line sets `key`.
fn toml_string<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(key)?.trim_start().strip_prefix('=')?;
    rest.trim().strip_prefix('"')?.strip_suffix('"')
}

/// Installs Debian's `chromium` and `chromium-driver` unless both
/// `/usr/bin/chromium` and `/usr/bin/chromedriver` exist. Needs root, or
/// `sudo`.
pub fn ensure_chromium() -> Result<()> {
    if Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file() {
        println!("ok: chromium and chromedriver present");
        return Ok(());
    }
    println!("installing chromium and chromium-driver (apt-get)");
    let is_root = stdout_of(Command::new("id").arg("-u")).as_deref() == Some("0");
    let apt = |args: &[&str]| -> Command {
        let mut cmd = if is_root {
            Command::new("apt-get")
        } else {
            // sudo may drop the environment, so pass the variable through `env`.
            let mut cmd = Command::new("sudo");
            cmd.args(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
            cmd
        };
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    if !is_root && process::find_on_path("sudo").is_none() {
        return Err(format!(
            "{CHROMIUM} or {CHROMEDRIVER} is missing; installing them needs root or sudo: \
             run `apt-get install -y chromium chromium-driver` as root"
        ));
    }
    process::run(&mut apt(&["update"]))?;
    process::run(&mut apt(&["install", "-y", "chromium", "chromium-driver"]))?;
    if Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file() {
        Ok(())
    } else {
        Err(format!(
            "apt-get finished but {CHROMIUM} or {CHROMEDRIVER} is still missing"
        ))
    }
}

/// The npm packages the tests and the demo site's examples use (`tests/node`: axe-core, the
/// Medplum FHIR validator and server, React, esbuild, binaryen's wasm-opt), installed with `npm ci` from the
/// committed `package-lock.json` when `node_modules` is missing or older than the lock.
/// Node.js and npm come with the machine; when they are missing this says how to get them.
pub fn ensure_node_packages(paths: &Paths) -> Result<()> {
    let dir = paths.root.join("tests").join("node");
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules").join(".package-lock.json");
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    if let (Some(lock_time), Some(installed_time)) = (modified(&lock), modified(&installed)) {
        if installed_time >= lock_time {
            println!("ok: npm packages in tests/node present");
            return Ok(());
        }
    }
    if process::find_on_path("npm").is_none() {
        return Err("npm is missing: install Node.js 20.19 or later with npm \
                    (Debian: `apt-get install -y nodejs npm`)"
            .to_owned());
    }
    println!("installing npm packages in tests/node (npm ci)");
    process::run(Command::new("npm").current_dir(&dir).args([
        "ci",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
# This file is automatically @generated by Cargo.
version = 4

[[package]]
name = "wasm-bindgen-backend"
version = "0.2.99"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "cfg-if",
]
"#;

    #[test]
    fn finds_the_locked_version_of_exactly_that_package() {
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen-backend").as_deref(),
            Some("0.2.99")
        );
        assert_eq!(locked_version(LOCK, "cfg-if"), None);
    }

    #[test]
    fn reads_the_version_a_tool_prints() {
        assert_eq!(reported_version("wasm-bindgen 0.2.130\n"), Some("0.2.130"));
        assert_eq!(
            reported_version("wasm-bindgen-test-runner 0.2.130"),
            Some("0.2.130")
        );
        assert_eq!(reported_version(""), None);
    }
}
