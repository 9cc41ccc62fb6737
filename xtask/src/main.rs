//! `cargo xtask`: the project's automation entry point. It reads the sub-command
//! (`dist`, `serve`, `test` or `bench`), finds the repository's folders and hands over to
//! the module that does the work. Everything here is plain `std` (plus `flate2`
//! for the gzip sizes), because this crate is compiled before anything else.

mod bench;
mod binding_names;
mod code_origins;
mod dist;
mod function_order;
mod instrument_files;
mod integrity;
mod package;
mod pipeline;
mod process;
mod size_breakdown;
mod static_server;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The error type of every xtask step: a message ready to print.
pub type Result<T> = std::result::Result<T, String>;

/// The address `cargo xtask serve` listens on unless `--port` says otherwise.
const SERVE_HOST: &str = "127.0.0.1";
/// The port `cargo xtask serve` listens on by default.
const SERVE_PORT: u16 = 8080;

/// The help text; `{ceiling}` and `{target}` are filled in by [`usage`].
const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  dist               build the embeddable bundle into dist/ and print its sizes
                     (raw and gzip)
  serve [--port N]   build dist/ and the demo site (target/site/), then serve it
                     on http://127.0.0.1:8080/ (or port N) until Ctrl-C
  test [STEP...]     the whole check pipeline that CI runs, in this order:
                       fmt          cargo fmt --all -- --check
                       clippy       clippy on the host, -D warnings
                       clippy-wasm  clippy for wasm32, -D warnings
                       native       cargo test --workspace (not the e2e crate)
                       fhir-validate every exported FHIR Questionnaire and
                                    QuestionnaireResponse through Medplum's R4
                                    validator and the HL7 R4 JSON Schema
                       fuzz-build   cargo fuzz build (the pinned nightly)
                       wasm         wasm-bindgen tests in headless Chromium
                       e2e          dist/ + site, served; browser end-to-end tests
                       size         gzip of a <kap-form> page's files in dist/ <= {ceiling}
                                    ceiling (target {target})
                     stops at the first failure and ends with `N passed, M failed`;
                     with STEP names, runs only those (after the tools check)
  screenshots        build dist/ and the site, serve it, and write the PHQ-9 and the
                     intake in English and Spanish at 1280 and 360 px wide to
                     docs/screenshots/ (headless Chromium; not part of `test`)
  bench [--quick]    measure, report, never assert (~10 min; --quick ~5 min):
                     dist/, the peers browser harness (../shared/bench/peers)
                     with our widget as a column, criterion benchmarks of the
                     core, CLI throughput (kapforms score -); writes
                     bench/RESULTS.md (see bench/README.md)

Each command first installs what it needs and is missing: the
wasm32-unknown-unknown target, wasm-bindgen-cli at the version in Cargo.lock,
and (for `test` and `bench`) Debian's chromium and chromium-driver.";

/// The folders every command works with, all absolute.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The repository (workspace) root.
    pub root: PathBuf,
    /// Cargo's target directory (`CARGO_TARGET_DIR` or `<root>/target`).
    pub target: PathBuf,
    /// The bundle a host copies: `<root>/dist`.
    pub dist: PathBuf,
    /// The demo site: `www/` plus `dist/`, in `<target>/site`.
    pub site: PathBuf,
}

impl Paths {
    /// Works out the folders from where this crate lives.
    fn discover() -> Paths {
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf();
        let target = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => root.join(dir),
            _ => root.join("target"),
        };
        Paths {
            dist: root.join("dist"),
            site: target.join("site"),
            root,
            target,
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let paths = Paths::discover();
    match args.first().map(String::as_str) {
        Some("-h" | "--help" | "help") => {
            println!("{}", usage());
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("{}", usage());
            ExitCode::from(2)
        }
        Some("dist") if args.len() == 1 => report(cmd_dist(&paths)),
        Some("screenshots") if args.len() == 1 => report(pipeline::screenshots(&paths)),
        Some("serve") => match parse_port(&args[1..]) {
            Ok(port) => report(cmd_serve(&paths, port)),
            Err(message) => usage_error(&message),
        },
        Some("bench") => match bench::Options::parse(&args[1..]) {
            Ok(options) => report(bench::run(&paths, options)),
            Err(message) => usage_error(&message),
        },
        Some("test") => match parse_steps(&args[1..]) {
            Ok(only) => pipeline::run(&paths, only),
            Err(message) => usage_error(&message),
        },
        Some(other) => usage_error(&format!("unknown command or argument: {other:?}")),
    }
}

/// The help text, with the size step's ceiling and target as the pipeline applies them.
fn usage() -> String {
    USAGE
        .replace("{ceiling}", &dist::human(pipeline::GZIP_CEILING))
        .replace("{target}", &dist::human(pipeline::GZIP_TARGET))
}

/// Prints a usage error and returns the conventional exit code 2.
fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{}", usage());
    ExitCode::from(2)
}

/// Reads `serve`'s optional `--port N`.
fn parse_port(args: &[String]) -> Result<u16> {
    match args {
        [] => Ok(SERVE_PORT),
        [flag, value] if flag == "--port" => value
            .parse()
            .map_err(|_| format!("--port needs a port number, got {value:?}")),
        _ => Err(format!("unexpected arguments to serve: {args:?}")),
    }
}

/// Reads `test`'s optional step names; `None` means every step.
fn parse_steps(args: &[String]) -> Result<Option<Vec<String>>> {
    if args.is_empty() {
        return Ok(None);
    }
    for arg in args {
        if !pipeline::STEPS.iter().any(|(key, _)| key == arg) {
            return Err(format!("unknown test step: {arg:?}"));
        }
    }
    Ok(Some(args.to_vec()))
}

/// Turns a command's result into an exit code, printing the error if any.
fn report(result: Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask dist`: tools, then the bundle and its size table.
fn cmd_dist(paths: &Paths) -> Result<()> {
    let wasm_tools = tools::ensure_wasm_tools(paths)?;
    dist::build_dist(paths, &wasm_tools)?;
    dist::print_sizes(&dist::measure(&paths.dist)?);
    Ok(())
}

/// `cargo xtask serve`: tools, bundle, site, then the static server until Ctrl-C, with a
/// second origin on the next port serving the same files with CORS headers (the iframe and
/// cross-origin examples load the widget from it).
fn cmd_serve(paths: &Paths, port: u16) -> Result<()> {
    cmd_dist(paths)?;
    tools::ensure_node_packages(paths)?;
    dist::build_site(paths)?;
    let partner_port = port.checked_add(1).ok_or("--port must be below 65535")?;
    let partner = static_server::Server::start(
        &paths.site,
        (SERVE_HOST, partner_port),
        static_server::Config {
            logging: static_server::Logging::All,
            cors: true,
            trusted_origins: Vec::new(),
        },
    )
    .map_err(|e| format!("cannot listen on {SERVE_HOST}:{partner_port}: {e}"))?;
    let server = static_server::Server::start(
        &paths.site,
        (SERVE_HOST, port),
        static_server::Config {
            logging: static_server::Logging::All,
            cors: false,
            trusted_origins: vec![partner.origin()],
        },
    )
    .map_err(|e| format!("cannot listen on {SERVE_HOST}:{port}: {e}"))?;
    println!(
        "serving {} on {} (Ctrl-C to stop); the same files with CORS, as another origin, on {}",
        paths.site.display(),
        server.url(),
        partner.url()
    );
    server.wait();
    drop(partner);
    Ok(())
}
