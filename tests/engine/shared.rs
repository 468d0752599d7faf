//! The material beside the repository in `../shared/`: the Parquet corpus and the
//! real exports. A plain clone has none of it, so the tests that need it skip
//! with one printed line; where `CI` is set a missing piece fails instead, so CI
//! can never pass by skipping.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The directory `relative` under `../shared/` (or the one `variable` names), if it
/// holds `marker`; `None`, after printing why, when it is absent outside CI.
pub fn dir(variable: &str, relative: &str, marker: &str, test: &str) -> Option<PathBuf> {
    let root = std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared").join(relative));
    if root.join(marker).exists() {
        return Some(root);
    }
    let why = format!("{} is missing (set {variable} to its directory)", root.join(marker).display());
    assert!(std::env::var_os("CI").is_none(), "{test}: {why}; CI is set, so this is a failure, not a skip");
    // Straight to stderr: the test harness captures `println!` of passing tests.
    let _ = writeln!(std::io::stderr(), "skipped {test}: {why}");
    None
}

/// The Parquet corpus (`../shared/parquet-corpus`, or `DUCKS_CORPUS`).
pub fn corpus(test: &str) -> Option<PathBuf> {
    dir("DUCKS_CORPUS", "parquet-corpus", "made/EXPECTED.json", test)
}

/// The real exports (`../shared/real-cur`, or `DUCKS_REAL_CUR`).
pub fn real_cur(test: &str) -> Option<PathBuf> {
    dir("DUCKS_REAL_CUR", "real-cur", "README.md", test)
}
