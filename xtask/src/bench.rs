//! `cargo xtask bench`: the performance measurements, reported and never asserted. It builds
//! `dist/`; runs the peers harness (`../shared/bench/peers`, copied into `target/bench/` and
//! installed with `npm ci` there) with our widget as a column, served from a folder of its
//! own (dist/ plus `bench/page/index.html`), and the framework floor (`bench/floor/`) as
//! another, then `bench/shadow-probe.mjs` for what that harness cannot see inside a shadow
//! root and `bench/quiet-probe.mjs` for the first item without the harness's driver working
//! during the load; runs the criterion benchmarks of the core
//! (`crates/core/benches/scoring.rs`); times the release `kapforms score -` over 100,000
//! generated PHQ-9 responses; and writes `bench/RESULTS.md` with the machine, the harness's
//! tables and every goal marked met or not met with its gap. A step that cannot run is
//! reported in the file and makes the command fail at the end, after the file is written.

use crate::process::{self, cargo, stdout_of};
use crate::{dist, size_breakdown, tools, Paths, Result};
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Cold loads per column (and loads at 4x CPU) of a full run.
const FULL_RUNS: u32 = 9;
/// Cold loads per column of a `--quick` run.
const QUICK_RUNS: u32 = 3;
/// Loads at 4x CPU of a `--quick` run.
const QUICK_THROTTLE_RUNS: u32 = 1;
/// The CPU slowdown of the harness's throttled loads (its default).
const CPU_RATE: u32 = 4;
/// The column name of our widget in the harness's tables.
const COLUMN: &str = "kapforms";
/// The column name of the framework floor (`bench/floor/`) in the harness's tables.
const FLOOR_COLUMN: &str = "floor";
/// The peer our first-item goal is measured against.
const PEER: &str = "surveyjs";
/// How many responses the CLI throughput step scores.
const CLI_RESPONSES: usize = 100_000;

/// The goal for everything the page loads, gzipped, in bytes (150 KB).
const GOAL_BYTES: f64 = 150.0 * 1024.0;
/// The goal for our first-item time as a fraction of SurveyJS's.
const GOAL_FIRST_ITEM_RATIO: f64 = 0.25;
/// The goal for click → total updated at normal speed, ms.
const GOAL_CLICK_MS: f64 = 2.0;
/// The goal for click → total updated at 4x CPU, ms.
const GOAL_CLICK_THROTTLED_MS: f64 = 8.0;
/// The goal for JS heap + wasm memory after render, bytes (3 MB).
const GOAL_MEMORY: f64 = 3.0 * 1024.0 * 1024.0;
/// The goal for the CLI, responses per second on one core.
const GOAL_CLI_PER_SECOND: f64 = 100_000.0;

/// The sizes of the generated forms of criterion's `per_answer` group.
const PER_ANSWER_SIZES: [u32; 3] = [50, 500, 2000];
/// The benchmarks of criterion's `phq9` group, with what each one times.
const PHQ9_BENCHES: [(&str, &str); 5] = [
    ("parse_definition", "parse + validate the PHQ-9 definition"),
    (
        "evaluate_answers",
        "evaluate a full answer set (scores, flags)",
    ),
    (
        "build_and_serialize_response",
        "build a completed response + JSON",
    ),
    ("parse_response", "read a stored response from JSON"),
    ("verify", "verify (re-score) a stored response"),
];

/// The command line of `cargo xtask bench`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// `--quick`: fewer browser loads, shorter criterion runs, one CLI run.
    pub quick: bool,
}

impl Options {
    /// Reads the arguments after `bench`.
    pub fn parse(args: &[String]) -> Result<Options> {
        match args {
            [] => Ok(Options { quick: false }),
            [flag] if flag == "--quick" => Ok(Options { quick: true }),
            _ => Err(format!("unexpected arguments to bench: {args:?}")),
        }
    }

    fn runs(self) -> u32 {
        if self.quick {
            QUICK_RUNS
        } else {
            FULL_RUNS
        }
    }

    fn throttle_runs(self) -> u32 {
        if self.quick {
            QUICK_THROTTLE_RUNS
        } else {
            FULL_RUNS
        }
    }

    fn cli_runs(self) -> usize {
        if self.quick {
            1
        } else {
            3
        }
    }

    fn probe_runs(self) -> u32 {
        if self.quick {
            2
        } else {
            5
        }
    }

    /// Cold loads per column on the quiet probe's slow mobile network.
    fn network_runs(self) -> u32 {
        if self.quick {
            1
        } else {
            5
        }
    }
}

/// What one step produced: its results, or why there are none.
enum Step<T> {
    Done(T),
    Skipped(String),
    Failed(String),
}

impl<T> Step<T> {
    fn from_result(result: Result<T>) -> Step<T> {
        match result {
            Ok(value) => Step::Done(value),
            Err(message) => Step::Failed(message),
        }
    }

    fn done(&self) -> Option<&T> {
        match self {
            Step::Done(value) => Some(value),
            _ => None,
        }
    }

    fn failure(&self) -> Option<&str> {
        match self {
            Step::Failed(message) => Some(message),
            _ => None,
        }
    }

    /// Why there are no results, for the report (`None` when there are).
    fn absence(&self) -> Option<String> {
        match self {
            Step::Done(_) => None,
            Step::Skipped(why) => Some(format!("not run: {why}")),
            Step::Failed(why) => Some(format!("failed: {why}")),
        }
    }
}

/// `key=value` lines, as `bench/summarize.mjs` and `bench/shadow-probe.mjs` print them.
#[derive(Debug, Clone, Default)]
struct KeyValues(BTreeMap<String, String>);

impl KeyValues {
    fn parse(text: &str) -> KeyValues {
        KeyValues(
            text.lines()
                .filter_map(|line| line.split_once('='))
                .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
                .collect(),
        )
    }

    fn text(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .map(String::as_str)
            .filter(|value| *value != "null")
    }

    fn number(&self, key: &str) -> Option<f64> {
        self.text(key)?.parse().ok()
    }
}

/// The browser step's results.
struct Browser {
    /// The harness's `results/latest.md`.
    table: String,
    /// Exact medians from its `raw-latest.json` (`bench/summarize.mjs`).
    stats: KeyValues,
    /// `bench/shadow-probe.mjs`'s output, or why it has none.
    probe: Step<KeyValues>,
    /// `bench/quiet-probe.mjs`'s output (`quiet.<column>.<key>`), or why it has none.
    quiet: Step<KeyValues>,
    /// `bench/scaling-probe.mjs`'s Markdown table, or why there is none.
    scaling: Step<String>,
    runs: u32,
    throttle_runs: u32,
    elapsed: Duration,
}

/// One criterion estimate, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Estimate {
    point: f64,
    lower: f64,
    upper: f64,
}

/// The criterion step's results: estimates by benchmark id (`phq9/verify`).
struct Criterion {
    estimates: BTreeMap<String, Estimate>,
    elapsed: Duration,
}

/// The CLI throughput step's results.
struct Cli {
    responses: usize,
    /// Wall time of each timed run.
    walls: Vec<Duration>,
    /// User + system CPU seconds of each timed run, when /proc tells.
    cpus: Vec<Option<f64>>,
    input_bytes: u64,
}

/// The machine, read when the bench starts and ends.
struct Machine {
    cpu: String,
    cores: usize,
    memory_gib: Option<u64>,
    chromium: Option<String>,
    node: Option<String>,
    rustc: Option<String>,
    /// The toolchain `dist/`'s WebAssembly is built with ([`tools::SHIP_TOOLCHAIN`]).
    ship_rustc: Option<String>,
    load_start: String,
    load_end: String,
    prioritized: bool,
}

/// Runs the whole bench and writes `bench/RESULTS.md`.
pub fn run(paths: &Paths, options: Options) -> Result<()> {
    let started = Instant::now();
    let date = utc_now();
    let load_start = load_average();
    let work = paths.target.join("bench");
    fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;

    println!("== bench 1/5: dist/");
    let wasm_tools = tools::ensure_wasm_tools(paths)?;
    dist::build_dist(paths, &wasm_tools)?;
    let sizes = dist::measure(&paths.dist)?;
    dist::print_sizes(&sizes);
    let breakdown = Step::from_result(size_breakdown::measure(paths, &wasm_tools));
    // Compile what steps 3 and 4 run now, so nothing compiles while anything is timed.
    process::run(cargo().current_dir(&paths.root).args([
        "build",
        "--release",
        "-p",
        "kapforms-cli",
    ]))?;
    process::run(cargo().current_dir(&paths.root).args([
        "bench",
        "-p",
        "kapforms-core",
        "--bench",
        "scoring",
        "--no-run",
    ]))?;

    println!("== bench 2/5: browser harness (peers)");
    let peers = paths.root.join("../shared/bench/peers");
    let browser = if peers.join("run.mjs").is_file() {
        let floor_built = breakdown
            .done()
            .is_some_and(|breakdown| breakdown.floor.is_ok());
        Step::from_result(browser_step(paths, &work, &peers, floor_built, options))
    } else {
        let why = format!("{} not found", peers.display());
        println!("skipped: {why}");
        Step::Skipped(why)
    };

    println!("== bench 3/5: criterion (crates/core/benches/scoring.rs)");
    let criterion = Step::from_result(criterion_step(paths, &work, options));

    println!("== bench 4/5: CLI throughput (kapforms score -)");
    let cli = Step::from_result(cli_step(paths, &work, options));

    println!("== bench 5/5: bench/RESULTS.md");
    let machine = Machine {
        cpu: cpu_model(),
        cores: std::thread::available_parallelism().map_or(0, usize::from),
        memory_gib: memory_gib(),
        chromium: stdout_of(Command::new(tools::CHROMIUM).arg("--version")),
        node: stdout_of(Command::new("node").arg("--version")),
        rustc: stdout_of(Command::new("rustc").arg("--version")),
        ship_rustc: stdout_of(Command::new("rustup").args([
            "run",
            tools::SHIP_TOOLCHAIN,
            "rustc",
            "--version",
        ])),
        load_start,
        load_end: load_average(),
        prioritized: can_prioritize(),
    };
    let report = Report {
        date,
        quick: options.quick,
        elapsed: started.elapsed(),
        machine,
        dist_code_gzip: dist::form_page_gzip_total(&sizes),
        breakdown,
        browser,
        criterion,
        cli,
    };
    let text = report.render();
    let results = paths.root.join("bench").join("RESULTS.md");
    fs::write(&results, &text).map_err(|e| format!("cannot write {}: {e}", results.display()))?;
    println!("{}", report.goals_table());
    println!(
        "wrote {} (the bench took {})",
        results.display(),
        duration_text(report.elapsed)
    );

    let failures: Vec<String> = [
        report
            .breakdown
            .failure()
            .map(|m| format!("size breakdown: {m}")),
        report.browser.failure().map(|m| format!("browser: {m}")),
        report
            .criterion
            .failure()
            .map(|m| format!("criterion: {m}")),
        report.cli.failure().map(|m| format!("cli: {m}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("some steps failed:\n  {}", failures.join("\n  ")))
    }
}

// ------------------------------------------------------------------ step 2: browser

fn browser_step(
    paths: &Paths,
    work: &Path,
    peers: &Path,
    floor_built: bool,
    options: Options,
) -> Result<Browser> {
    let started = Instant::now();
    tools::ensure_chromium()?;

    // The harness's folder may be read-only: run a copy, as its README says.
    let harness = work.join("peers");
    remove_dir(&harness)?;
    copy_tree(peers, &harness, &["node_modules"])?;
    for script in [
        "summarize.mjs",
        "shadow-probe.mjs",
        "quiet-probe.mjs",
        "scaling-probe.mjs",
    ] {
        copy_file(
            &paths.root.join("bench").join(script),
            &harness.join(script),
        )?;
    }
    process::run(Command::new("npm").current_dir(&harness).args([
        "ci",
        "--no-audit",
        "--no-fund",
    ]))?;

    // Our column's page: dist/ plus the bench page as index.html, in a folder of its own.
    let page = work.join("page");
    remove_dir(&page)?;
    copy_tree(&paths.dist, &page, &[])?;
    copy_file(
        &paths.root.join("bench/page/index.html"),
        &page.join("index.html"),
    )?;
    let target = work.join("kapforms-target.json");
    fs::write(&target, target_json(&page))
        .map_err(|e| format!("cannot write {}: {e}", target.display()))?;

    // The framework floor's column (when this run built it): what a yew widget with none of
    // kapforms costs on the same loads, so the first-item gap can be split into the
    // framework's share and ours.
    let floor_target = if floor_built {
        let floor_page = work.join("floor-page");
        remove_dir(&floor_page)?;
        copy_tree(&work.join("floor"), &floor_page, &[])?;
        for file in ["index.html", "page.js"] {
            copy_file(
                &paths.root.join("bench/floor").join(file),
                &floor_page.join(file),
            )?;
        }
        bundle_floor_page(paths, &floor_page)?;
        let target = work.join("floor-target.json");
        fs::write(&target, floor_target_json(&floor_page))
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        Some(target)
    } else {
        println!("the framework floor was not built: no floor column");
        None
    };

    let out = work.join("harness-results");
    remove_dir(&out)?;
    let (runs, throttle_runs) = (options.runs(), options.throttle_runs());
    let mut run = prioritized("node");
    run.current_dir(&harness)
        .arg("run.mjs")
        .args(["--runs", &runs.to_string()]);
    if options.quick {
        run.args(["--throttle-runs", &throttle_runs.to_string()]);
    }
    run.arg("--target").arg(&target);
    if let Some(floor_target) = &floor_target {
        run.arg("--target").arg(floor_target);
    }
    run.arg("--out").arg(&out);
    process::run(&mut run)?;

    let latest = out.join("latest.md");
    let table = fs::read_to_string(&latest)
        .map_err(|e| format!("cannot read {}: {e}", latest.display()))?;
    let stats = KeyValues::parse(&capture(
        Command::new("node")
            .current_dir(&harness)
            .arg("summarize.mjs")
            .arg(out.join("raw-latest.json")),
    )?);
    if stats.text(&format!("{COLUMN}.runs")).is_none() {
        return Err(format!("the harness's results have no `{COLUMN}` column"));
    }

    println!("-- shadow-root probe (bench/shadow-probe.mjs)");
    let mut probe = prioritized("node");
    probe
        .current_dir(&harness)
        .arg("shadow-probe.mjs")
        .arg("--dir")
        .arg(&page)
        .args(["--runs", &options.probe_runs().to_string()]);
    let probe = Step::from_result(capture(&mut probe).map(|text| KeyValues::parse(&text)));

    println!("-- first item with the driver quiet (bench/quiet-probe.mjs)");
    let mut quiet = prioritized("node");
    quiet
        .current_dir(&harness)
        .arg("quiet-probe.mjs")
        .arg("--harness")
        .arg(&harness)
        .args(["--runs", &runs.to_string()])
        .args(["--throttle-runs", &throttle_runs.to_string()])
        .args(["--network-runs", &options.network_runs().to_string()])
        .args(["--cpu-rate", &CPU_RATE.to_string()]);
    for peer in ["vanilla", PEER] {
        quiet
            .arg("--target")
            .arg(harness.join("targets").join(format!("{peer}.json")));
    }
    quiet.arg("--target").arg(&target);
    if let Some(floor_target) = &floor_target {
        quiet.arg("--target").arg(floor_target);
    }
    let quiet = Step::from_result(capture(&mut quiet).map(|text| KeyValues::parse(&text)));

    println!("-- scaling probe (bench/scaling-probe.mjs)");
    let scaling_dir = work.join("scaling");
    remove_dir(&scaling_dir)?;
    copy_tree(&paths.dist, &scaling_dir, &[])?;
    let mut scaling = prioritized("node");
    scaling
        .current_dir(&harness)
        .arg("scaling-probe.mjs")
        .arg("--dir")
        .arg(&scaling_dir)
        .args(["--loads", &options.probe_runs().min(3).to_string()]);
    let scaling = Step::from_result(capture(&mut scaling));

    Ok(Browser {
        table,
        stats,
        probe,
        quiet,
        scaling,
        runs,
        throttle_runs,
        elapsed: started.elapsed(),
    })
}

/// Bundles the floor page's `page.js` with the floor's glue (`floor.js`, then removed) into one
/// minified module, as `cargo xtask dist` bundles kapforms.js with the form's glue: the floor
/// loads the way ours does.
fn bundle_floor_page(paths: &Paths, page: &Path) -> Result<()> {
    dist::esbuild_in_place(paths, &page.join("page.js"), &["--bundle".to_owned()])?;
    let glue = page.join("floor.js");
    fs::remove_file(&glue).map_err(|e| format!("cannot remove {}: {e}", glue.display()))
}

/// A path as a JSON string's contents.
fn json_path_text(path: &Path) -> String {
    path.to_string_lossy()
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
}

/// The floor's column for the harness: the same DOM contract as ours (`bench/floor/` renders
/// `data-item` fieldsets of radios and a `data-score-total`), in the light DOM.
fn floor_target_json(page: &Path) -> String {
    let dir = json_path_text(page);
    format!(
        r#"{{
  "name": "{FLOOR_COLUMN}",
  "label": "the framework floor (bench/floor/: yew + serde_json PHQ-9, none of kapforms; bench/floor/index.html)",
  "dir": "{dir}",
  "page": "index.html",
  "item": "[data-item=\"phq9_{{i}}\"]",
  "answer": "[data-item=\"phq9_{{i}}\"] input[type=radio][value=\"{{v}}\"]",
  "score": "[data-score-total]",
  "order": 5
}}
"#
    )
}

/// Our column for the harness: its `wasm.template.json` with the PHQ-9 item ids of our
/// widget's DOM contract, and `dir` = the page folder.
fn target_json(page: &Path) -> String {
    let dir = json_path_text(page);
    format!(
        r#"{{
  "name": "{COLUMN}",
  "label": "kapforms `kap-form` element (Rust/yew WASM in an open shadow root; bench/page/index.html)",
  "dir": "{dir}",
  "page": "index.html",
  "item": "[data-item=\"phq9_{{i}}\"]",
  "answer": "[data-item=\"phq9_{{i}}\"] input[type=radio][value=\"{{v}}\"]",
  "score": "[data-score-total]",
  "order": 4
}}
"#
    )
}

// ------------------------------------------------------------------ step 3: criterion

fn criterion_step(paths: &Paths, work: &Path, options: Options) -> Result<Criterion> {
    let started = Instant::now();
    let home = work.join("criterion");
    remove_dir(&home)?;
    let mut bench = prioritized(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    bench
        .current_dir(&paths.root)
        .env("CRITERION_HOME", &home)
        .args(["bench", "-p", "kapforms-core", "--bench", "scoring"]);
    if options.quick {
        bench.args(["--", "--warm-up-time", "0.5", "--measurement-time", "1"]);
    }
    process::run(&mut bench)?;

    let mut ids: Vec<String> = PHQ9_BENCHES
        .iter()
        .map(|(name, _)| format!("phq9/{name}"))
        .collect();
    for function in ["set_answer", "widget_step", "change_event"] {
        for size in PER_ANSWER_SIZES {
            ids.push(format!("per_answer/{function}/{size}"));
        }
    }
    let mut estimates = BTreeMap::new();
    for id in ids {
        let file = home.join(&id).join("new/estimates.json");
        let text = fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let estimate = parse_estimate(&text)
            .ok_or_else(|| format!("{} has no slope or mean estimate", file.display()))?;
        estimates.insert(id, estimate);
    }
    Ok(Criterion {
        estimates,
        elapsed: started.elapsed(),
    })
}

/// The estimate criterion prints (`slope` for linear sampling, else `mean`) from the text of
/// its `estimates.json`.
fn parse_estimate(text: &str) -> Option<Estimate> {
    let object = json_object(text, "slope").or_else(|| json_object(text, "mean"))?;
    Some(Estimate {
        point: json_number(object, "point_estimate")?,
        lower: json_number(object, "lower_bound")?,
        upper: json_number(object, "upper_bound")?,
    })
}

/// The text of the object under `"key":` (first occurrence), braces included; `None` if the
/// key is missing or not an object (criterion writes `"slope":null` for flat sampling).
fn json_object<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let needle = format!("\"{key}\":");
    let start = text.find(&needle)? + needle.len();
    let rest = text[start..].trim_start();
    if !rest.starts_with('{') {
        return None;
    }
    let mut depth = 0usize;
    for (i, c) in rest.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&rest[..=i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// The number under `"key":` (first occurrence) in a JSON text.
fn json_number(text: &str, key: &str) -> Option<f64> {
    let needle = format!("\"{key}\":");
    let start = text.find(&needle)? + needle.len();
    let rest = text[start..].trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

// ------------------------------------------------------------------ step 4: CLI

fn cli_step(paths: &Paths, work: &Path, options: Options) -> Result<Cli> {
    let binary = paths.target.join("release").join("kapforms");
    if !binary.is_file() {
        return Err(format!("{} was not built", binary.display()));
    }
    let dir = work.join("cli");
    remove_dir(&dir)?;
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;

    // Inputs: the completed PHQ-9 fixture with its answers varied (every response has
    // different answers), re-scored by `kapforms score --json -` itself so that each one is
    // a consistent response as a host would store it.
    let fixture_path = paths
        .root
        .join("crates/cli/tests/fixtures/phq9-completed.json");
    let fixture = fs::read_to_string(&fixture_path)
        .map_err(|e| format!("cannot read {}: {e}", fixture_path.display()))?;
    let fixture = one_line(&fixture);
    let (before, after) = split_answers(&fixture)
        .ok_or_else(|| format!("{} has no answers object", fixture_path.display()))?;
    let unscored = dir.join("phq9-unscored.jsonl");
    {
        let file = File::create(&unscored)
            .map_err(|e| format!("cannot create {}: {e}", unscored.display()))?;
        let mut writer = std::io::BufWriter::new(file);
        for n in 0..CLI_RESPONSES {
            writeln!(writer, "{before}{}{after}", phq9_answers(n))
                .map_err(|e| format!("cannot write {}: {e}", unscored.display()))?;
        }
        writer
            .flush()
            .map_err(|e| format!("cannot write {}: {e}", unscored.display()))?;
    }
    let inputs = dir.join("phq9-responses.jsonl");
    let mut generate = Command::new(&binary);
    generate
        .args(["score", "--json", "-"])
        .stdin(open(&unscored)?)
        .stdout(create(&inputs)?)
        .stderr(Stdio::null());
    println!(
        "$ {} < {}",
        process::describe(&generate),
        unscored.display()
    );
    let status = generate
        .status()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    // Exit 1 is expected here: the varied answers disagree with the fixture's stored scores.
    if !matches!(status.code(), Some(0 | 1)) {
        return Err(format!(
            "`kapforms score --json -` failed ({status}) generating the inputs"
        ));
    }
    let generated = count_lines(&inputs, |_| true)?;
    if generated != CLI_RESPONSES {
        return Err(format!(
            "generated {generated} responses, expected {CLI_RESPONSES}"
        ));
    }
    let input_bytes = fs::metadata(&inputs).map(|m| m.len()).unwrap_or(0);

    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    for run in 1..=options.cli_runs() {
        let output = dir.join(format!("score-{run}.txt"));
        let errors = dir.join(format!("score-{run}.stderr"));
        let mut score = prioritized(&binary);
        score
            .args(["score", "-"])
            .stdin(open(&inputs)?)
            .stdout(create(&output)?)
            .stderr(create(&errors)?);
        println!(
            "$ {} < {} (run {run}/{})",
            process::describe(&score),
            inputs.display(),
            options.cli_runs()
        );
        let cpu_before = children_cpu_seconds();
        let started = Instant::now();
        let status = score
            .status()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let wall = started.elapsed();
        let cpu = children_cpu_seconds()
            .zip(cpu_before)
            .map(|(after, before)| after - before);
        if !status.success() {
            return Err(format!(
                "`kapforms score -` exited with {status} on consistent responses; see {}",
                errors.display()
            ));
        }
        let scored = count_lines(&output, |line| line.starts_with("stdin:"))?;
        if scored != CLI_RESPONSES {
            return Err(format!(
                "`kapforms score -` reported {scored} responses, expected {CLI_RESPONSES}"
            ));
        }
        println!(
            "   {CLI_RESPONSES} responses in {:.2} s: {:.0} responses/s",
            wall.as_secs_f64(),
            CLI_RESPONSES as f64 / wall.as_secs_f64()
        );
        walls.push(wall);
        cpus.push(cpu);
    }
    Ok(Cli {
        responses: CLI_RESPONSES,
        walls,
        cpus,
        input_bytes,
    })
}

/// A pretty-printed JSON text on one line (its strings hold no line breaks).
fn one_line(json: &str) -> String {
    json.lines().map(str::trim).collect()
}

/// The text before and after the value of `"answers"` (an object without nested objects).
fn split_answers(line: &str) -> Option<(&str, &str)> {
    let key = line.find("\"answers\":")?;
    let open = key + line[key..].find('{')?;
    let close = open + line[open..].find('}')?;
    Some((&line[..open], &line[close + 1..]))
}

/// The PHQ-9 answers of generated response `n`: item k scores the k-th base-4 digit of `n`
/// (so the first 4^9 responses all differ), plus the difficulty question.
fn phq9_answers(n: usize) -> String {
    let mut text = String::from("{");
    let mut rest = n;
    for item in 1..=9 {
        let _ = write!(text, "\"phq9_{item}\":\"{}\",", rest % 4);
        rest /= 4;
    }
    text.push_str("\"phq9_difficulty\":\"somewhat\"}");
    text
}

fn count_lines(path: &Path, keep: impl Fn(&str) -> bool) -> Result<usize> {
    let file = open(path)?;
    let mut count = 0;
    for line in BufReader::new(file).lines() {
        let line = line.map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if keep(&line) {
            count += 1;
        }
    }
    Ok(count)
}

/// User + system CPU seconds of this process's finished children (`/proc/self/stat`,
/// fields 16 and 17, at Linux's fixed 100 ticks per second).
fn children_cpu_seconds() -> Option<f64> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // fields[0] is field 3 (state), so field 16 (cutime) is fields[13].
    let ticks: f64 = fields.get(13)?.parse::<f64>().ok()? + fields.get(14)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

// ------------------------------------------------------------------ the report

struct Report {
    date: String,
    quick: bool,
    elapsed: Duration,
    machine: Machine,
    dist_code_gzip: u64,
    /// Where the page's bytes go, and the framework floor.
    breakdown: Step<size_breakdown::Breakdown>,
    browser: Step<Browser>,
    criterion: Step<Criterion>,
    cli: Step<Cli>,
}

/// One row of the goals table.
struct Goal {
    name: String,
    measured: String,
    goal: String,
    status: String,
}

impl Report {
    fn render(&self) -> String {
        let mut md = String::new();
        let m = &self.machine;
        let _ = writeln!(md, "# Benchmark results\n");
        let _ = writeln!(
            md,
            "Written by `cargo xtask bench{}` on {} (the whole bench took {}). Every figure \
             depends on the machine and on what else ran on it: compare figures from one run \
             only, never across runs or machines. Speed is reported here, never asserted. See \
             [README.md](README.md) for what each step does.\n",
            if self.quick { " --quick" } else { "" },
            self.date,
            duration_text(self.elapsed)
        );
        let _ = writeln!(md, "## Machine\n");
        let _ = writeln!(
            md,
            "- CPU: {}, {} cores{}",
            m.cpu,
            m.cores,
            m.memory_gib
                .map_or(String::new(), |g| format!(", {g} GiB memory"))
        );
        let _ = writeln!(
            md,
            "- {}; node {}; {} (native: the CLI, criterion); the WebAssembly: {} ({}, \
             the standard library rebuilt for size)",
            m.chromium.as_deref().unwrap_or("Chromium: not found"),
            m.node.as_deref().unwrap_or("not found"),
            m.rustc.as_deref().unwrap_or("rustc: not found"),
            m.ship_rustc.as_deref().unwrap_or("rustc: not found"),
            tools::SHIP_TOOLCHAIN
        );
        let _ = writeln!(
            md,
            "- load average (1/5/15 min): {} when the bench started, {} when it ended{}",
            m.load_start,
            m.load_end,
            self.browser.done().map_or(String::new(), |b| format!(
                "; during the browser harness {} → {}",
                b.stats.text("env.loadavgStart").unwrap_or("?"),
                b.stats.text("env.loadavgEnd").unwrap_or("?")
            ))
        );
        let _ = writeln!(
            md,
            "- the timed steps (harness, shadow probe, criterion, CLI) ran {}\n",
            if m.prioritized {
                "under `nice -n -10` (as root), ahead of other work on the machine"
            } else {
                "at normal priority"
            }
        );

        let _ = writeln!(md, "## Goals\n");
        md.push_str(&self.goals_table());
        md.push('\n');
        let _ = writeln!(
            md,
            "\nRatios and medians come from this run's raw results (`raw-latest.json` of the \
             harness, criterion's `estimates.json`), not from the rounded tables below.\n"
        );

        self.render_first_item_floor(&mut md);
        match &self.breakdown {
            Step::Done(breakdown) => md.push_str(&breakdown.markdown()),
            other => {
                let _ = writeln!(
                    md,
                    "## Where the patient's bytes go\n\n{}\n",
                    other.absence().unwrap_or_default()
                );
            }
        }
        self.render_criterion(&mut md);
        self.render_cli(&mut md);
        self.render_browser(&mut md);
        md
    }

    /// What limits the first-item goals: the framework floor's column of the same run, against
    /// SurveyJS and against ours, as the harness measures and with the driver quiet.
    fn render_first_item_floor(&self, md: &mut String) {
        let Step::Done(browser) = &self.browser else {
            return;
        };
        let _ = writeln!(
            md,
            "## What limits the first item
"
        );
        let s = &browser.stats;
        let harness = |column: &str, key: &str| s.number(&format!("{column}.{key}"));
        let quiet = |column: &str, key: &str| {
            browser
                .quiet
                .done()
                .and_then(|q| q.number(&format!("quiet.{column}.{key}")))
        };
        if harness(FLOOR_COLUMN, "runs").is_some() {
            let _ = writeln!(
                md,
                "The `{FLOOR_COLUMN}` column is the framework floor (`bench/floor/`: yew and \
                 serde_json showing the PHQ-9 from JSON with radios and a running total, none \
                 of kapforms; built with our profile, wasm-bindgen and minifier; its page script \
                 is bundled with its glue, as `kapforms.js` is, and fetches the module at once, \
                 and it renders into the light DOM). Where it misses the goal, no yew widget \
                 loaded this way meets it on this machine. Our first item is not drawn by the \
                 module, though: it is the preview, the first page rendered ahead of time \
                 (`instruments/preview/`), which the loader fetches and shows inert before it \
                 lets the module compile and draw the live form (the last column of the tables \
                 below); on a connection the browser reports fast, it requests the module and \
                 the definition only once the preview is painted. What limits it is the loader \
                 (one script to fetch, parse and run before the preview's request goes out), \
                 the preview's own request, and the page's first layout of the form."
            );
            if let (Some(floor), Some(ours)) = (
                harness(FLOOR_COLUMN, "bytesGzip"),
                harness(COLUMN, "bytesGzip"),
            ) {
                let _ = writeln!(
                    md,
                    "The floor's page loads {} gzip, ours {} ({:.1}×).",
                    kb(floor),
                    kb(ours),
                    ours / floor
                );
            }
        } else {
            let _ = writeln!(
                md,
                "The framework floor was not measured in this run (it was not built), so the \
                 gap cannot be split into the framework's share and ours."
            );
        }
        let _ = writeln!(
            md,
            "\n**As the harness measures** (the goals table's figures):\n"
        );
        first_item_table(md, &harness);
        let _ = writeln!(
            md,
            "\n**With the driver quiet** (`bench/quiet-probe.mjs`, the same pages and target \
             files, {} cold loads per column at normal speed and {} at {CPU_RATE}x, \
             interleaved). The harness waits for `load`, then calls Playwright's \
             `waitForFunction`, which parses and runs Playwright's injected script on the \
             page's main thread. Pages whose `load` comes before their first item (ours and the \
             floor's: `load` does not wait for a fetched module) pay for it inside their \
             first-item time; SurveyJS's scripts hold `load` until after its first item, so it \
             does not. This probe only reads one global through CDP every 100 ms until the \
             stamp is there (a MutationObserver on the document and every shadow root, the \
             harness's visibility rule).{}\n",
            browser.runs,
            browser.throttle_runs,
            match &browser.quiet {
                Step::Done(_) => String::new(),
                other => format!(" Not measured: {}", other.absence().unwrap_or_default()),
            }
        );
        if let Some(probe) = browser.quiet.done() {
            first_item_table(md, &quiet);
            network_table(md, probe);
        }
        md.push('\n');
    }

    fn goals_table(&self) -> String {
        let mut goals = Vec::new();
        goals.extend(self.browser_goals());
        goals.push(self.cli_goal());
        let mut md = String::from("| goal | measured | target | status |\n|---|---|---|---|\n");
        for goal in goals {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                goal.name, goal.measured, goal.goal, goal.status
            );
        }
        md.trim_end().to_owned()
    }

    fn browser_goals(&self) -> Vec<Goal> {
        let names = [
            "Bytes the page loads, gzip -9 (everything: html, js, wasm)",
            "First item visible vs SurveyJS, normal speed (median)",
            "First item visible vs SurveyJS, 4x CPU (median)",
            "Click → total updated, normal speed (median, all clicks)",
            "Click → total updated, 4x CPU (median, all clicks)",
            "JS heap + wasm memory after render (median, post-GC)",
        ];
        let browser = match &self.browser {
            Step::Done(browser) => browser,
            other => {
                let why = other.absence().unwrap_or_default();
                return names
                    .iter()
                    .map(|name| Goal {
                        name: (*name).to_owned(),
                        measured: why.clone(),
                        goal: String::new(),
                        status: "not measured".to_owned(),
                    })
                    .collect();
            }
        };
        let s = &browser.stats;
        let ours = |key: &str| s.number(&format!("{COLUMN}.{key}"));
        let peer = |key: &str| s.number(&format!("{PEER}.{key}"));
        let quiet_ratio = |key: &str| {
            let quiet = browser.quiet.done()?;
            let us = quiet.number(&format!("quiet.{COLUMN}.{key}"))?;
            let them = quiet.number(&format!("quiet.{PEER}.{key}"))?;
            (them > 0.0).then(|| us / them)
        };
        let mut goals = Vec::new();

        goals.push(match ours("bytesGzip") {
            Some(bytes) => Goal {
                name: names[0].to_owned(),
                measured: format!(
                    "{} (dist/'s files alone, without the page: {})",
                    kb(bytes),
                    kb(self.dist_code_gzip as f64)
                ),
                goal: format!("≤ {}", kb(GOAL_BYTES)),
                status: upper_bound_status(bytes, GOAL_BYTES, kb),
            },
            None => missing(names[0]),
        });

        for (name, key) in [(names[1], "firstItem"), (names[2], "firstItemThrottled")] {
            goals.push(match (ours(key), peer(key)) {
                (Some(us), Some(them)) if them > 0.0 => {
                    let target = them * GOAL_FIRST_ITEM_RATIO;
                    Goal {
                        name: name.to_owned(),
                        measured: format!(
                            "{} vs {} = {:.2} of SurveyJS's{}",
                            ms(us),
                            ms(them),
                            us / them,
                            quiet_ratio(key).map_or(String::new(), |ratio| format!(
                                " (with the driver quiet: {ratio:.2})"
                            ))
                        ),
                        goal: format!("≤ 1/4 (≤ {})", ms(target)),
                        status: upper_bound_status(us, target, ms),
                    }
                }
                _ => missing(name),
            });
        }

        for (name, key, goal) in [
            (names[3], "clickDom", GOAL_CLICK_MS),
            (names[4], "clickDomThrottled", GOAL_CLICK_THROTTLED_MS),
        ] {
            goals.push(match ours(key) {
                Some(value) => Goal {
                    name: name.to_owned(),
                    measured: format!(
                        "{} (SurveyJS {})",
                        ms(value),
                        peer(key).map_or("n/a".to_owned(), ms)
                    ),
                    goal: format!("≤ {}", ms(goal)),
                    status: upper_bound_status(value, goal, ms),
                },
                None => missing(name),
            });
        }

        let heap = ours("heapPostGC");
        let backing = ours("backingStore").unwrap_or(0.0);
        let wasm = browser.probe.done().and_then(|p| p.number("wasm"));
        goals.push(match (heap, wasm) {
            (Some(heap), Some(wasm)) => {
                let total = heap + backing + wasm;
                Goal {
                    name: names[5].to_owned(),
                    measured: format!(
                        "{} = JS heap {} + backing stores {} (harness) + wasm linear memory {} \
                         (shadow probe); an almost empty page (vanilla) has {} of JS heap",
                        mb(total),
                        mb(heap),
                        mb(backing),
                        mb(wasm),
                        s.number("vanilla.heapPostGC").map_or("n/a".to_owned(), mb)
                    ),
                    goal: format!("≤ {}", mb(GOAL_MEMORY)),
                    status: upper_bound_status(total, GOAL_MEMORY, mb),
                }
            }
            (Some(heap), None) => Goal {
                name: names[5].to_owned(),
                measured: format!(
                    "JS heap {} + backing stores {}; wasm linear memory unknown ({})",
                    mb(heap),
                    mb(backing),
                    browser.probe.absence().unwrap_or_default()
                ),
                goal: format!("≤ {}", mb(GOAL_MEMORY)),
                status: "not measured (wasm memory missing)".to_owned(),
            },
            _ => missing(names[5]),
        });
        goals
    }

    fn cli_goal(&self) -> Goal {
        let name = "CLI `kapforms score -`, PHQ-9 responses per second (one process, one core)";
        match &self.cli {
            Step::Done(cli) => {
                let rate = cli.responses as f64 / median_duration(&cli.walls).as_secs_f64();
                Goal {
                    name: name.to_owned(),
                    measured: format!("{} /s", thousands(rate)),
                    goal: format!("≥ {} /s", thousands(GOAL_CLI_PER_SECOND)),
                    status: if rate >= GOAL_CLI_PER_SECOND {
                        "**met**".to_owned()
                    } else {
                        format!(
                            "**not met**: {} /s short ({:.1}× too slow)",
                            thousands(GOAL_CLI_PER_SECOND - rate),
                            GOAL_CLI_PER_SECOND / rate
                        )
                    },
                }
            }
            other => Goal {
                name: name.to_owned(),
                measured: other.absence().unwrap_or_default(),
                goal: format!("≥ {} /s", thousands(GOAL_CLI_PER_SECOND)),
                status: "not measured".to_owned(),
            },
        }
    }

    fn render_criterion(&self, md: &mut String) {
        let _ = writeln!(md, "## Core scoring (criterion)\n");
        let criterion = match &self.criterion {
            Step::Done(criterion) => criterion,
            other => {
                let _ = writeln!(md, "{}\n", other.absence().unwrap_or_default());
                return;
            }
        };
        let get = |id: &str| criterion.estimates.get(id).copied();
        let _ = writeln!(
            md,
            "`crates/core/benches/scoring.rs`, native, the workspace's release profile \
             (opt-level \"z\", LTO, as the CLI ships; the widget is built with the same profile \
             and `dist::ship_build`'s flags); {}; the step took {}. \
             Times are criterion's estimate with its 95% confidence interval.\n",
            if self.quick {
                "0.5 s warm-up and 1 s measurement per benchmark (--quick)"
            } else {
                "1 s warm-up and 3 s measurement per benchmark"
            },
            duration_text(criterion.elapsed)
        );
        let _ = writeln!(
            md,
            "**One changed answer** on a generated form of N single-choice items (4 options \
             scored 0–3) with one sum score, the middle item changed. `set_answer` = \
             `Session::set_answer` (the check and the incremental update of what depends on \
             the item); `widget_step` = what the widget does in core before the page shows \
             the click: set the answer in place, read the running total; `change_event` = \
             what it does just after (in a microtask behind the render): set the answer, \
             build and serialize the `kap-change` response, which holds every answer.\n"
        );
        let _ = writeln!(
            md,
            "| items | set_answer | growth | widget_step | growth | change_event | growth |\n\
             |---|---|---|---|---|---|---|"
        );
        // (size, set_answer, widget_step, change_event) of the previous size.
        type Row = (u32, Option<Estimate>, Option<Estimate>, Option<Estimate>);
        let mut previous: Option<Row> = None;
        for size in PER_ANSWER_SIZES {
            let set = get(&format!("per_answer/set_answer/{size}"));
            let step = get(&format!("per_answer/widget_step/{size}"));
            let event = get(&format!("per_answer/change_event/{size}"));
            let growth =
                |now: Option<Estimate>, before: Option<Estimate>, n0: u32| match (now, before) {
                    (Some(now), Some(before)) => {
                        let factor = now.point / before.point;
                        let exponent = factor.ln() / (f64::from(size) / f64::from(n0)).ln();
                        format!("×{factor:.1} for ×{} items (~N^{exponent:.2})", size / n0)
                    }
                    _ => "–".to_owned(),
                };
            let (set_growth, step_growth, event_growth) = match previous {
                Some((n0, set0, step0, event0)) => (
                    growth(set, set0, n0),
                    growth(step, step0, n0),
                    growth(event, event0, n0),
                ),
                None => ("–".to_owned(), "–".to_owned(), "–".to_owned()),
            };
            let _ = writeln!(
                md,
                "| {size} | {} | {set_growth} | {} | {step_growth} | {} | {event_growth} |",
                estimate_text(set),
                estimate_text(step),
                estimate_text(event)
            );
            previous = Some((size, set, step, event));
        }
        let _ = writeln!(md, "\n**PHQ-9** (the shipped definition):\n");
        let _ = writeln!(md, "| step | time |\n|---|---|");
        for (name, what) in PHQ9_BENCHES {
            let _ = writeln!(
                md,
                "| {what} (`phq9/{name}`) | {} |",
                estimate_text(get(&format!("phq9/{name}")))
            );
        }
        md.push('\n');
    }

    fn render_cli(&self, md: &mut String) {
        let _ = writeln!(md, "## CLI throughput\n");
        let cli = match &self.cli {
            Step::Done(cli) => cli,
            other => {
                let _ = writeln!(md, "{}\n", other.absence().unwrap_or_default());
                return;
            }
        };
        let median_wall = median_duration(&cli.walls);
        let runs: Vec<String> = cli
            .walls
            .iter()
            .zip(&cli.cpus)
            .map(|(wall, cpu)| {
                format!(
                    "{:.2} s wall{}",
                    wall.as_secs_f64(),
                    cpu.map_or(String::new(), |c| format!(" / {c:.2} s CPU"))
                )
            })
            .collect();
        let cpu_rate = {
            let mut cpus: Vec<f64> = cli.cpus.iter().flatten().copied().collect();
            cpus.sort_by(f64::total_cmp);
            cpus.get(cpus.len() / 2)
                .filter(|c| **c > 0.0)
                .map(|c| cli.responses as f64 / c)
        };
        let _ = writeln!(
            md,
            "The release `kapforms` binary (workspace release profile) scoring {} consistent \
             PHQ-9 native responses ({:.1} MB of JSON lines) from standard input, one process: \
             `kapforms score - < responses.jsonl > out.txt`. The inputs are the completed PHQ-9 \
             fixture with its nine answers varied (every response differs), re-scored by \
             `kapforms score --json -` so that each is what a host stores. Runs: {}.\n",
            thousands(cli.responses as f64),
            cli.input_bytes as f64 / 1e6,
            runs.join("; ")
        );
        let _ = writeln!(
            md,
            "Median: **{} responses/s** by wall time{} (the goal is {} /s).\n",
            thousands(cli.responses as f64 / median_wall.as_secs_f64()),
            cpu_rate.map_or(String::new(), |r| format!(
                ", {} per CPU-second (user + system)",
                thousands(r)
            )),
            thousands(GOAL_CLI_PER_SECOND)
        );
    }

    fn render_browser(&self, md: &mut String) {
        let _ = writeln!(md, "## Browser harness (peers)\n");
        let browser = match &self.browser {
            Step::Done(browser) => browser,
            other => {
                let _ = writeln!(md, "{}\n", other.absence().unwrap_or_default());
                return;
            }
        };
        let _ = writeln!(
            md,
            "`../shared/bench/peers/run.mjs` run from a copy in `target/bench/peers` with \
             `--runs {}{}` ({} cold loads per column at normal speed, {} at {CPU_RATE}x CPU) and our column `{COLUMN}` (`target/bench/kapforms-target.json`: \
             item `[data-item=\"phq9_{{i}}\"]`, answer `… input[type=radio][value=\"{{v}}\"]`, \
             score `[data-score-total]`), served from `target/bench/page/` = dist/ + \
             `bench/page/index.html`. The step (install, harness, shadow probe) took {}. Its \
             `results/latest.md`, as written:\n",
            browser.runs,
            if self.quick {
                format!(" --throttle-runs {}", browser.throttle_runs)
            } else {
                String::new()
            },
            browser.runs,
            browser.throttle_runs,
            duration_text(browser.elapsed)
        );
        md.push_str(browser.table.trim_end());
        md.push_str("\n\n");

        let _ = writeln!(md, "### What the harness cannot see in our shadow root\n");
        let s = &browser.stats;
        let _ = writeln!(
            md,
            "- **First item visible**: the harness matches the first item on light-DOM \
             mutations, and inside shadow roots only by its requestAnimationFrame poll, so our \
             column was detected via `{}` (the others via mutation). `bench/shadow-probe.mjs` \
             stamps both ways on the same loads; see the bias below.",
            s.text(&format!("{COLUMN}.firstItemVia")).unwrap_or("?")
        );
        let _ = writeln!(
            md,
            "- **Click → score update**: the harness's score observer watches the light DOM \
             only. `bench/page/index.html` mirrors every mutation of the widget's shadow root \
             as an attribute toggle on the `<kap-form>` host, so the harness's observer fires \
             in the same microtask checkpoint (detected via `{}`; {} clicks measured, {} with \
             no change seen). Without it the update would be found one frame late.",
            s.text(&format!("{COLUMN}.clickVia")).unwrap_or("?"),
            s.text(&format!("{COLUMN}.clicksMeasured")).unwrap_or("?"),
            s.text(&format!("{COLUMN}.clicksUnseen")).unwrap_or("?")
        );
        let _ = writeln!(
            md,
            "- **Memory**: this Chromium does not count WebAssembly linear memory in \
             `Runtime.getHeapUsage().backingStorageSize` (the harness's \"ArrayBuffer backing \
             stores\" row), so the probe reads the byteLength of every `WebAssembly.Memory` the \
             page instantiates; the memory goal adds it."
        );
        let _ = writeln!(
            md,
            "- **Probe table**: its DOM counts (fieldset, radios, aria attributes) and its \
             keyboard pass look in the light DOM only, so our column reads 0 / null there. \
             The rows from Playwright's accessibility queries do pierce the shadow root. The \
             shadow probe repeats the keyboard pass looking through open shadow roots.\n"
        );
        match &browser.probe {
            Step::Done(p) => {
                let num = |key: &str| p.number(key);
                let _ = writeln!(
                    md,
                    "Shadow probe ({} cold loads at normal speed, unthrottled, served without gzip by the probe itself):\n",
                    p.text("runs").unwrap_or("?")
                );
                let _ = writeln!(md, "| measure | value |\n|---|---|");
                let _ = writeln!(
                    md,
                    "| first item visible, shadow-root MutationObserver (exact) | {} |",
                    num("firstMutation").map_or("n/a".to_owned(), ms)
                );
                let _ = writeln!(
                    md,
                    "| first item visible, requestAnimationFrame poll (the harness's way for us) | {} |",
                    num("firstRaf").map_or("n/a".to_owned(), ms)
                );
                let _ = writeln!(
                    md,
                    "| frame-granularity bias (poll − exact, median per load) | {} |",
                    num("bias").map_or("n/a".to_owned(), ms)
                );
                let _ = writeln!(
                    md,
                    "| first item of the live form visible (exact): from then on it can be \
                     answered; until then the loader shows the inert preview | {} |",
                    num("firstLive").map_or("n/a".to_owned(), ms)
                );
                // Where the first-item time goes (medians of each phase's end, so the spans
                // are approximate): what limits the first-item goal.
                let phases = [
                    num("loaderEnd"),
                    num("wasmEnd"),
                    num("instantiated"),
                    num("firstLive"),
                ];
                if let [Some(loader), Some(wasm), Some(instantiated), Some(first)] = phases {
                    let _ = writeln!(
                        md,
                        "| the live form's first item, by phase: navigation → kapforms.js \
                         (the loader with the form's glue) arrived / → module arrived / → \
                         compiled (from the first bytes on, as it streams) and instantiated / → \
                         mounted and first page rendered | {} / +{} / +{} / +{} |",
                        ms(loader),
                        ms(wasm - loader),
                        ms(instantiated - wasm),
                        ms(first - instantiated)
                    );
                }
                if let (Some(count), Some(time)) = (num("lazyCompiles"), num("lazyCompileMs")) {
                    let _ = writeln!(
                        md,
                        "| WebAssembly functions V8 compiled lazily (at first call, on the main \
                         thread) before the live form's first item, one traced load | {count} \
                         functions, {} |",
                        ms(time)
                    );
                }
                let _ = writeln!(
                    md,
                    "| JS heap post-GC / backing stores / wasm linear memory | {} / {} / {} |",
                    num("heap").map_or("n/a".to_owned(), mb),
                    num("backing").map_or("n/a".to_owned(), mb),
                    num("wasm").map_or("n/a".to_owned(), mb)
                );
                let _ = writeln!(
                    md,
                    "| keyboard: Tab presses to reach item 1 | {} |",
                    p.text("tabsToItem1").unwrap_or("null")
                );
                let _ = writeln!(
                    md,
                    "| keyboard: Space+ArrowDown answers item 1 (total +1) | {} |",
                    p.text("item1ByKeyboard").unwrap_or("n/a")
                );
                let _ = writeln!(
                    md,
                    "| keyboard: that answer shown as checked in the a11y tree | {} |",
                    p.text("item1CheckedInA11yTree").unwrap_or("n/a")
                );
                let _ = writeln!(
                    md,
                    "| keyboard: Tab presses item 1 → item 2; item 2 answered too | {}; {} |",
                    p.text("tabsItem1to2").unwrap_or("null"),
                    p.text("item2ByKeyboard").unwrap_or("n/a")
                );
                md.push('\n');
            }
            other => {
                let _ = writeln!(
                    md,
                    "Shadow probe: {}\n",
                    other.absence().unwrap_or_default()
                );
            }
        }
        let _ = writeln!(md, "## Scaling with form size (browser)\n");
        match &browser.scaling {
            Step::Done(table) => {
                let _ = writeln!(
                    md,
                    "`bench/scaling-probe.mjs`: a generated clinic definition of N required \
                     single-choice items in one section (the whole form on one page, the worst \
                     case), a sum score shown as the running total, no start page; cold loads \
                     until the last item is laid out, then clicks on the last item's options \
                     timed in the page from the click to the total's change and to the \
                     element's `kap-change` event (sent just after the page shows the change; it \
                     carries the whole response, so grows with the form) (first click \
                     excluded), at normal speed and at {CPU_RATE}x CPU throttling.\n"
                );
                md.push_str(table.trim_end());
                md.push_str("\n\n");
            }
            other => {
                let _ = writeln!(md, "{}\n", other.absence().unwrap_or_default());
            }
        }
    }
}

fn missing(name: &str) -> Goal {
    Goal {
        name: name.to_owned(),
        measured: "n/a (no value in the results)".to_owned(),
        goal: String::new(),
        status: "not measured".to_owned(),
    }
}

/// The quiet probe's loads on a slow mobile network (not a goal: the harness does not throttle
/// the network), where the preview shows what a patient waits for.
fn network_table(md: &mut String, quiet: &KeyValues) {
    let runs = quiet.number("quiet.networkRuns").unwrap_or(0.0);
    let get = |column: &str, key: &str| quiet.number(&format!("quiet.{column}.{key}"));
    let Some(peer) = get(PEER, "firstItemNetwork") else {
        return;
    };
    let _ = writeln!(
        md,
        "
**On a slow mobile network** (not one of the goals: the harness does not throttle the \
         network). The quiet probe's {runs} cold loads per column at {CPU_RATE}x CPU with \
         Lighthouse's DevTools-throttled \"Slow 4G\" (562.5 ms latency, 1474.56 kbps down, \
         675 kbps up; CDP `Network.emulateNetworkConditions`), files served gzipped. Here a \
         page's bytes cost the most, and the preview (the first page, shown inert while the \
         module downloads) is what the patient waits for.\n"
    );
    let _ = writeln!(
        md,
        "| column | first item visible | vs SurveyJS | the live form's first item (answerable) |\n\
         |---|---|---|---|"
    );
    for (column, label) in [
        ("vanilla", "vanilla"),
        (PEER, "SurveyJS"),
        (FLOOR_COLUMN, "the floor"),
        (COLUMN, "kapforms"),
    ] {
        let (Some(first), Some(live)) = (
            get(column, "firstItemNetwork"),
            get(column, "liveItemNetwork"),
        ) else {
            continue;
        };
        let _ = writeln!(
            md,
            "| {label} | {} | {:.2} | {} |",
            ms(first),
            first / peer,
            ms(live)
        );
    }
}

/// "met" or "not met" with the gap, for a goal that is an upper bound.
/// The first-item table of "What limits the first item": SurveyJS, the goal, the floor and
/// ours at both CPU speeds, from `get(column, key)`.
fn first_item_table(md: &mut String, get: &dyn Fn(&str, &str) -> Option<f64>) {
    let _ = writeln!(
        md,
        "| CPU | vanilla | SurveyJS | 1/4 of SurveyJS (the goal) | the floor | kapforms | \
         kapforms − the floor | kapforms, the live form (answerable; until then the inert \
         preview) |\n|---|---|---|---|---|---|---|---|"
    );
    for (label, key, live_key) in [
        ("normal speed", "firstItem", "liveItem"),
        ("4x", "firstItemThrottled", "liveItemThrottled"),
    ] {
        let Some(peer) = get(PEER, key) else {
            let _ = writeln!(md, "| {label} | | n/a | | | | | |");
            continue;
        };
        let goal = peer * GOAL_FIRST_ITEM_RATIO;
        let versus = |value: Option<f64>| match value {
            Some(value) => format!(
                "{} = {:.2} ({})",
                ms(value),
                value / peer,
                if value <= goal {
                    "meets the goal"
                } else {
                    "misses it"
                }
            ),
            None => "n/a".to_owned(),
        };
        let (floor, ours) = (get(FLOOR_COLUMN, key), get(COLUMN, key));
        let _ = writeln!(
            md,
            "| {label} | {} | {} | {} | {} | {} | {} | {} |",
            get("vanilla", key).map_or("n/a".to_owned(), ms),
            ms(peer),
            ms(goal),
            versus(floor),
            versus(ours),
            match (floor, ours) {
                (Some(floor), Some(ours)) => ms(ours - floor),
                _ => "n/a".to_owned(),
            },
            get(COLUMN, live_key).map_or("n/a (the harness cannot tell)".to_owned(), |live| {
                format!("{} = {:.2}", ms(live), live / peer)
            })
        );
    }
}

fn upper_bound_status(value: f64, goal: f64, unit: impl Fn(f64) -> String) -> String {
    if value <= goal {
        format!("**met** ({} to spare)", unit(goal - value))
    } else {
        format!(
            "**not met**: {} over ({:.2}× the goal)",
            unit(value - goal),
            value / goal
        )
    }
}

fn estimate_text(estimate: Option<Estimate>) -> String {
    match estimate {
        Some(e) => format!(
            "**{}** ({}–{})",
            nanos(e.point),
            nanos(e.lower),
            nanos(e.upper)
        ),
        None => "n/a".to_owned(),
    }
}

/// Nanoseconds as ns, µs or ms with three significant digits.
fn nanos(value: f64) -> String {
    let (scaled, unit) = if value >= 1e6 {
        (value / 1e6, "ms")
    } else if value >= 1e3 {
        (value / 1e3, "µs")
    } else {
        (value, "ns")
    };
    let decimals = if scaled >= 100.0 {
        0
    } else if scaled >= 10.0 {
        1
    } else {
        2
    };
    format!("{scaled:.decimals$} {unit}")
}

fn ms(value: f64) -> String {
    format!("{value:.1} ms")
}

fn kb(bytes: f64) -> String {
    format!("{:.1} KB", bytes / 1024.0)
}

fn mb(bytes: f64) -> String {
    format!("{:.2} MB", bytes / 1024.0 / 1024.0)
}

/// A whole number with thin thousands separators: `123,456`.
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn duration_text(duration: Duration) -> String {
    let seconds = duration.as_secs();
    if seconds >= 60 {
        format!("{} min {:02} s", seconds / 60, seconds % 60)
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

fn median_duration(values: &[Duration]) -> Duration {
    let mut sorted = values.to_vec();
    sorted.sort();
    match sorted.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}

// ------------------------------------------------------------------ machine and helpers

fn cpu_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}

fn memory_gib() -> Option<u64> {
    let text = fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|line| line.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some((kib + 512 * 1024) / (1024 * 1024))
}

/// The 1, 5 and 15 minute load averages as `a/b/c`.
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Whether timed commands can run under `nice -n -10`: only as root, with `nice` present.
fn can_prioritize() -> bool {
    stdout_of(Command::new("id").arg("-u")).as_deref() == Some("0")
        && process::find_on_path("nice").is_some()
}

/// A command for `program`, under `nice -n -10` when [`can_prioritize`], as the harness's
/// README suggests on a busy machine.
fn prioritized(program: impl AsRef<OsStr>) -> Command {
    if can_prioritize() {
        let mut cmd = Command::new("nice");
        cmd.args(["-n", "-10"]).arg(program);
        cmd
    } else {
        Command::new(program)
    }
}

/// Echoes `cmd`, runs it with stderr on the terminal, and returns its stdout if it exits 0.
fn capture(cmd: &mut Command) -> Result<String> {
    let shown = process::describe(cmd);
    println!("$ {shown}");
    let output = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start `{shown}`: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!("`{shown}` failed ({})", output.status))
    }
}

fn open(path: &Path) -> Result<File> {
    File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))
}

fn create(path: &Path) -> Result<File> {
    File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))
}

fn remove_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    Ok(())
}

/// Copies one file; the copy is writable by its owner even if the source is read-only.
fn copy_file(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::copy(from, to)
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))?;
    make_writable(to)
}

#[cfg(unix)]
fn make_writable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut permissions = fs::metadata(path)
        .map_err(|e| format!("cannot stat {}: {e}", path.display()))?
        .permissions();
    permissions.set_mode(permissions.mode() | 0o200);
    fs::set_permissions(path, permissions)
        .map_err(|e| format!("cannot make {} writable: {e}", path.display()))
}

#[cfg(not(unix))]
fn make_writable(_path: &Path) -> Result<()> {
    Ok(())
}

/// Copies a folder recursively, leaving out entries named in `skip` at any depth.
fn copy_tree(from: &Path, to: &Path, skip: &[&str]) -> Result<()> {
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        if skip
            .iter()
            .any(|name| entry.file_name() == OsStr::new(name))
        {
            continue;
        }
        let source: PathBuf = entry.path();
        let target = to.join(entry.file_name());
        if source.is_dir() {
            copy_tree(&source, &target, skip)?;
        } else {
            copy_file(&source, &target)?;
        }
    }
    Ok(())
}

/// The current time in UTC as `2026-11-27T10:43:00Z`.
fn utc_now() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    utc_text(seconds)
}

/// Seconds since the Unix epoch as an ISO 8601 UTC time (the civil-from-days algorithm).
fn utc_text(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options() {
        assert_eq!(Options::parse(&[]), Ok(Options { quick: false }));
        assert_eq!(
            Options::parse(&["--quick".to_owned()]),
            Ok(Options { quick: true })
        );
        assert!(Options::parse(&["--slow".to_owned()]).is_err());
    }

    #[test]
    fn reads_criterions_estimate() {
        let text = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":27237.4,"upper_bound":29917.5},"point_estimate":28545.1,"standard_error":685.8},"slope":{"confidence_interval":{"confidence_level":0.95,"lower_bound":26752.9,"upper_bound":29501.8},"point_estimate":28029.5,"standard_error":702.5}}"#;
        assert_eq!(
            parse_estimate(text),
            Some(Estimate {
                point: 28029.5,
                lower: 26752.9,
                upper: 29501.8
            })
        );
        let flat = r#"{"mean":{"confidence_interval":{"lower_bound":1.0,"upper_bound":3e2},"point_estimate":2.5},"slope":null}"#;
        assert_eq!(
            parse_estimate(flat),
            Some(Estimate {
                point: 2.5,
                lower: 1.0,
                upper: 300.0
            })
        );
    }

    #[test]
    fn key_values_treat_null_as_missing() {
        let kv = KeyValues::parse("a.b=1.5\nc=null\nd=x=y\n");
        assert_eq!(kv.number("a.b"), Some(1.5));
        assert_eq!(kv.text("c"), None);
        assert_eq!(kv.text("d"), Some("x=y"));
    }

    #[test]
    fn generated_answers_differ_and_replace_the_fixtures() {
        assert_eq!(
            phq9_answers(1),
            "{\"phq9_1\":\"1\",\"phq9_2\":\"0\",\"phq9_3\":\"0\",\"phq9_4\":\"0\",\"phq9_5\":\"0\",\"phq9_6\":\"0\",\"phq9_7\":\"0\",\"phq9_8\":\"0\",\"phq9_9\":\"0\",\"phq9_difficulty\":\"somewhat\"}"
        );
        assert_ne!(phq9_answers(4), phq9_answers(1));
        let line = one_line("{\n  \"status\": \"completed\",\n  \"answers\": {\n    \"phq9_1\": \"2\"\n  },\n  \"scores\": []\n}\n");
        let (before, after) = split_answers(&line).expect("answers");
        assert_eq!(before, "{\"status\": \"completed\",\"answers\": ");
        assert_eq!(after, ",\"scores\": []}");
    }

    #[test]
    fn formats() {
        assert_eq!(thousands(1_234_567.4), "1,234,567");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(nanos(28_029.5), "28.0 µs");
        assert_eq!(nanos(12_715_000.0), "12.7 ms");
        assert_eq!(nanos(512.0), "512 ns");
        assert_eq!(utc_text(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_text(1_795_775_000), "2026-11-27T10:23:20Z");
        assert_eq!(
            upper_bound_status(3.0, 2.0, ms),
            "**not met**: 1.0 ms over (1.50× the goal)"
        );
        assert_eq!(
            upper_bound_status(1.5, 2.0, ms),
            "**met** (0.5 ms to spare)"
        );
    }
}
