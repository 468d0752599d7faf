//! Inputs the fuzzer (`scripts/fuzz.sh`) found to crash the engine, minimised and
//! kept in `tests/fixtures/fuzz/`. Each panicked inside the parquet crate, on page
//! data whose header claimed more than the page held. Where the header says enough, the guard now refuses the file
//! before decoding; where only decoding the page data can tell, the boundary
//! catches the panic (the CLI's `catch_unwind`; in the browser the worker dies and
//! is replaced, see `e2e/robustness.test.mjs`). Either way: one clear line.

use std::path::Path;
use std::process::Command;

/// (file, what it does to parquet 60.1, what ducks says of it)
const FOUND: &[(&str, &str, &str)] = &[
    (
        "def-levels-out-of-bounds.parquet",
        "definition levels that claim more values than the page holds: arrow-buffer panics \
         (offset + len out of bounds) under parquet's definition level decoder",
        "the Parquet decoder failed on it",
    ),
    (
        "rle-run-header-too-long.parquet",
        "an RLE run header longer than 10 bytes: BitReader::get_vlq_int overflows a shift \
         (debug) or fails an assert (release) instead of returning an error",
        "the Parquet decoder failed on it",
    ),
    (
        "dictionary-page-missing.parquet",
        "dictionary-encoded data pages whose chunk has no dictionary page: the column reader \
         expects the dictionary decoder to exist (\"Decoder for dict should have been set\")",
        "refers to a dictionary its column chunk does not have",
    ),
];

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz")
}

#[test]
fn every_fuzz_find_is_listed() {
    let mut present: Vec<String> =
        std::fs::read_dir(fixtures()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    present.sort();
    let mut listed: Vec<String> = FOUND.iter().map(|(name, ..)| name.to_string()).collect();
    listed.sort();
    assert_eq!(present, listed, "a new fixture needs a line in FOUND saying what it does");
}

#[test]
fn fuzz_finds_are_answered_with_one_clear_line() {
    for (name, what, said) in FOUND {
        let path = fixtures().join(name);
        let output = Command::new(env!("CARGO_BIN_EXE_ducks")).args(["costs", "--json"]).arg(&path).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name} ({what}): {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
        assert!(
            stderr.starts_with(&format!("ducks: {}: This Parquet file is damaged", path.display())),
            "{name}: {stderr}"
        );
        assert!(stderr.contains(said), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
}
