//! Architecture invariant: kapforms-core has no web dependency (yew, web-sys, js-sys, gloo,
//! wasm-bindgen) anywhere in its dependency tree, so it builds and tests natively and a host
//! server can re-score with it. Asks cargo for the real tree rather than reading Cargo.toml.

use std::process::Command;

#[test]
fn core_dependency_tree_has_no_web_crates() {
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--package",
            "kapforms-core",
            "--edges",
            "normal,build",
            "--prefix",
            "none",
            "--target",
            "all",
        ])
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8_lossy(&output.stdout);
    let crates: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(crates.contains(&"kapforms-core"), "unexpected tree: {tree}");
    assert!(
        crates.contains(&"serde"),
        "the tree should list dependencies: {tree}"
    );
    for name in crates {
        for forbidden in ["yew", "web-sys", "js-sys", "wasm-bindgen", "gloo"] {
            assert!(
                !name.starts_with(forbidden),
                "kapforms-core depends on `{name}`; the core must stay free of web crates"
            );
        }
    }
}
