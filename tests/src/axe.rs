//! axe-core in the page under test: the npm package's `axe.min.js` (installed in
//! `tests/node/node_modules` by `cargo xtask test tools`) is read from disk and injected with
//! WebDriver `execute`, which a strict `script-src 'self'` policy allows (a `<script>` element
//! would be refused). [`run`] checks the whole document, open shadow roots included (axe
//! walks them itself), against the WCAG 2.0, 2.1 and 2.2 A and AA rules and returns the
//! violations.

use std::path::PathBuf;
use std::sync::OnceLock;

use fantoccini::Client;
use serde_json::{json, Value};

/// The axe-core tags checked: every WCAG 2.0, 2.1 and 2.2 rule at levels A and AA.
pub const WCAG_TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// Where `npm ci` in `tests/node` puts axe-core's browser build.
pub fn axe_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("node/node_modules/axe-core/axe.min.js")
}

/// axe-core's source, read once.
fn axe_source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = axe_path();
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {} ({e}); run `cargo xtask test tools` (it runs npm ci in tests/node)",
                path.display()
            )
        })
    })
}

/// One rule axe found broken, with the elements that break it.
#[derive(Debug, Clone)]
pub struct Violation {
    /// The rule's id, e.g. `color-contrast`.
    pub rule: String,
    /// What the rule asks for.
    pub help: String,
    /// Each failing element: its selector path (through shadow roots) and axe's summary.
    pub nodes: Vec<String>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} ({})", self.rule, self.help)?;
        for node in &self.nodes {
            writeln!(f, "    {node}")?;
        }
        Ok(())
    }
}

/// Injects axe-core into the current document unless it is already there.
pub async fn inject(client: &Client) {
    let present = client
        .execute("return typeof window.axe === 'object';", vec![])
        .await
        .unwrap_or_else(|e| panic!("cannot ask whether axe is loaded: {e}"));
    if present == Value::Bool(true) {
        return;
    }
    client
        .execute(axe_source(), vec![])
        .await
        .unwrap_or_else(|e| panic!("injecting axe-core failed: {e}"));
}

/// Runs axe-core on the whole document with the [`WCAG_TAGS`] rules (injecting it first if
/// needed) and returns the violations.
pub async fn run(client: &Client) -> Vec<Violation> {
    inject(client).await;
    let result = client
        .execute_async(
            "const done = arguments[arguments.length - 1];\n\
             axe.run(document, { runOnly: { type: 'tag', values: arguments[0] },\n\
                                 resultTypes: ['violations'] })\n\
               .then((r) => done({ violations: r.violations.map((v) => ({\n\
                 rule: v.id, help: v.help,\n\
                 nodes: v.nodes.map((n) => JSON.stringify(n.target) + ' ' + n.html.slice(0, 200)\n\
                   + ' → ' + (n.failureSummary || '').replace(/\\s+/g, ' ')),\n\
               })) }))\n\
               .catch((e) => done({ error: String(e && e.stack || e) }));",
            vec![json!(WCAG_TAGS)],
        )
        .await
        .unwrap_or_else(|e| panic!("running axe-core failed: {e}"));
    if let Some(error) = result.get("error") {
        panic!("axe-core threw: {error}");
    }
    result["violations"]
        .as_array()
        .unwrap_or_else(|| panic!("axe-core returned no violations list: {result}"))
        .iter()
        .map(|v| Violation {
            rule: v["rule"].as_str().unwrap_or("?").to_owned(),
            help: v["help"].as_str().unwrap_or("").to_owned(),
            nodes: v["nodes"]
                .as_array()
                .map(|nodes| {
                    nodes
                        .iter()
                        .filter_map(|n| n.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}
