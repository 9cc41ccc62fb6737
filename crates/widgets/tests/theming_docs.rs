//! The theming table in `docs/theming.md` lists exactly the `--kap-*` custom properties the
//! widgets' stylesheets read (`style.css`, and the clinician's view's `results.css`): a
//! property added to either without documentation, or a documented one no longer read, fails
//! here. Native only (it reads files).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

/// Every `--kap-name` in `text` (a bare `--kap-` or `--kap-*` is not a name).
fn custom_properties(text: &str) -> BTreeSet<String> {
    text.match_indices("--kap-")
        .filter_map(|(at, prefix)| {
            let rest = &text[at + prefix.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                .collect();
            let name = name.trim_end_matches('-');
            (!name.is_empty()).then(|| format!("--kap-{name}"))
        })
        .collect()
}

/// The properties named in the first column of the table's rows (`| \`--kap-x\` | ...`).
fn documented(markdown: &str) -> BTreeSet<String> {
    markdown
        .lines()
        .filter_map(|line| line.strip_prefix("| `--kap-"))
        .filter_map(|rest| rest.split('`').next())
        .map(|name| format!("--kap-{name}"))
        .collect()
}

#[test]
fn the_theming_table_lists_every_custom_property_the_stylesheet_reads() {
    let css = concat!(
        include_str!("../src/style.css"),
        include_str!("../src/results.css")
    );
    let docs = include_str!("../../../docs/theming.md");
    let used = custom_properties(css);
    let listed = documented(docs);
    assert!(used.len() >= 13, "found only {used:?} in the stylesheets");
    assert_eq!(
        used, listed,
        "style.css and results.css read {used:?}; docs/theming.md's table lists {listed:?}"
    );
}

#[test]
fn the_scanner_finds_names_and_skips_the_wildcard() {
    let found = custom_properties("a { color: var(--kap-text, #000); } /* --kap-* */ --kap-ok");
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        ["--kap-ok", "--kap-text"]
    );
}
