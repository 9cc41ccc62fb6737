//! Golden scoring cases of every built-in instrument (`tests/cases/<id>.json`), exposed so the
//! same fixtures drive the native tests and the in-browser widget tests. A case gives answers
//! (native answer values by item id), the expected value, completeness and band of scores, and
//! the exact set of flags raised. Nothing here is used at run time; the linker drops it.
//!
//! ```json
//! {"instrument": "phq9", "cases": [{"name": "all zero is minimal",
//!   "answers": {"phq9_1": "0", ...},
//!   "scores": {"phq9_total": {"value": 0, "complete": true, "band": "Minimal"}},
//!   "flags": []}]}
//! ```

/// `(instrument id, JSON text of its golden cases)` for every built-in instrument.
pub const CASES: &[(&str, &str)] = &[
    ("phq9", include_str!("../tests/cases/phq9.json")),
    ("phq2", include_str!("../tests/cases/phq2.json")),
    ("gad7", include_str!("../tests/cases/gad7.json")),
    ("gad2", include_str!("../tests/cases/gad2.json")),
    ("pcl5", include_str!("../tests/cases/pcl5.json")),
    ("who5", include_str!("../tests/cases/who5.json")),
    ("audit", include_str!("../tests/cases/audit.json")),
    ("auditc", include_str!("../tests/cases/auditc.json")),
    ("dast10", include_str!("../tests/cases/dast10.json")),
    ("mdq", include_str!("../tests/cases/mdq.json")),
    ("cssrs", include_str!("../tests/cases/cssrs.json")),
    (
        "readiness-ruler",
        include_str!("../tests/cases/readiness-ruler.json"),
    ),
    ("intake", include_str!("../tests/cases/intake.json")),
    ("motivation", include_str!("../tests/cases/motivation.json")),
    ("readiness", include_str!("../tests/cases/readiness.json")),
    (
        "integration",
        include_str!("../tests/cases/integration.json"),
    ),
];
