//! The shared corpus (`../shared/parquet-corpus`, or `DUCKS_CORPUS`): valid files
//! of many encodings and codecs, real-world bad files, arrow's fuzzing finds, and
//! `made/`, CUR-like files that truncate, corrupt or lie, with `made/EXPECTED.json`
//! saying what a careful reader must do with each.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ducks::cli::LocalFile;
use ducks::engine::{CurFile, Error, Tally};

use crate::{alloc, shared};

/// Every file must be answered within this.
const DEADLINE: Duration = Duration::from_secs(2);

/// Every data file of the corpus (not its scripts, notes or licences), in name order.
fn corpus_files(root: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if !matches!(path.extension().and_then(|e| e.to_str()), Some("py" | "json" | "md" | "txt"))
                && !path.file_name().unwrap().to_string_lossy().starts_with("LICENSE")
            {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(root, &mut found);
    found.sort();
    assert!(found.len() > 200, "the corpus looks incomplete: {} files", found.len());
    found
}

/// Reads a file the way the CLI does, on one thread.
fn analyse(path: &Path) -> Result<Tally, Error> {
    let reader = LocalFile::open(path).map_err(|error| Error::Io(error.to_string()))?;
    CurFile::open_named(reader, &path.to_string_lossy())?.scan_all(1)
}

/// What reading one file gave and what it allocated (the deadline is
/// `recv_timeout`'s: a run that comes back came back in time).
struct Run {
    outcome: Result<Tally, Error>,
    peak: usize,
    largest: usize,
}

/// Reads `path` on a thread of its own, giving up after the deadline.
fn run(path: &Path) -> Option<Run> {
    let (send, receive) = mpsc::channel();
    let owned = path.to_owned();
    std::thread::spawn(move || {
        let (outcome, peak, largest) = alloc::measure(|| analyse(&owned));
        let _ = send.send(Run { outcome, peak, largest });
    });
    receive.recv_timeout(DEADLINE).ok()
}

/// A message a person can act on: one line, one of the engine's own sentences.
fn is_clear(message: &str) -> bool {
    let ours = ["This file is ", "This Parquet file is ", "No ", "The ", "Could not read the file"];
    !message.contains('\n') && message.len() < 600 && ours.iter().any(|start| message.starts_with(start))
}

#[test]
fn every_file_is_answered_quickly_clearly_and_within_its_memory() {
    let Some(root) = shared::corpus("every_file_is_answered_quickly_clearly_and_within_its_memory") else { return };
    let mut problems = Vec::new();
    for path in corpus_files(&root) {
        let size = std::fs::metadata(&path).unwrap().len() as usize;
        let Some(run) = run(&path) else {
            problems.push(format!("{}: no answer within {DEADLINE:?}", path.display()));
            continue;
        };
        // Decoding three columns needs batch buffers and read windows, never
        // memory in proportion to what a footer or page header merely claims.
        let (peak_bound, single_bound) = ((24 << 20) + 8 * size, (8 << 20) + 4 * size);
        if run.peak > peak_bound || run.largest > single_bound {
            problems.push(format!(
                "{}: used {} bytes at peak (largest allocation {}) for a file of {size} bytes",
                path.display(),
                run.peak,
                run.largest
            ));
        }
        if let Err(error) = &run.outcome
            && !is_clear(&error.to_string())
        {
            problems.push(format!("{}: unclear error {:?}", path.display(), error.to_string()));
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// What ducks does with each `made/` file, checked against `EXPECTED.json`'s rule.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// EXPECTED.json: "must be refused", or "should be refused" (ducks refuses
    /// every file that contradicts itself, rather than guess which half is true),
    /// with this kind of error: a refusal for the wrong reason is a bug too.
    Refuse(Refusal),
    /// Read all rows; the cost column sums to this over every row.
    Read { rows: u64, sum: f64 },
}

/// The kind of error a refused file must give.
#[derive(Debug, Clone, Copy)]
enum Refusal {
    NotParquet,
    Truncated,
    Corrupt,
    Ambiguous,
    Empty,
}

impl Refusal {
    fn is(self, error: &Error) -> bool {
        match self {
            Refusal::NotParquet => matches!(error, Error::NotParquet { .. }),
            Refusal::Truncated => matches!(error, Error::Truncated { .. }),
            Refusal::Corrupt => matches!(error, Error::Corrupt { .. }),
            Refusal::Ambiguous => matches!(error, Error::AmbiguousColumn { .. }),
            Refusal::Empty => matches!(error, Error::Empty),
        }
    }
}

/// The sum of `line_item_unblended_cost` over the 1000 rows of `made/`'s base table.
const BASE_SUM: f64 = 4921.6144776;

const MADE: &[(&str, Expect)] = &[
    ("bad_leading_magic.parquet", Expect::Refuse(Refusal::NotParquet)),
    ("chunk_cut_footer_kept.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("corrupt_cost_page_header.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("corrupt_cost_page_payload.parquet", Expect::Refuse(Refusal::Corrupt)),
    // "sum 0 or refuse": nulls count as 0.
    ("cost_all_null.parquet", Expect::Read { rows: 1000, sum: 0.0 }),
    ("cost_decimal18_8.parquet", Expect::Read { rows: 1000, sum: BASE_SUM }),
    ("cost_decimal18_8_int64.parquet", Expect::Read { rows: 1000, sum: BASE_SUM }),
    // "parse the strings or refuse": parsed.
    ("cost_string.parquet", Expect::Read { rows: 1000, sum: BASE_SUM }),
    ("csv_renamed.parquet", Expect::Refuse(Refusal::NotParquet)),
    // "pick deterministically or refuse as ambiguous": refused as ambiguous.
    ("duplicate_cost_column.parquet", Expect::Refuse(Refusal::Ambiguous)),
    ("footer_len_huge.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("footer_len_minus1.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("footer_len_past_file.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("footer_len_short.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("footer_len_zero.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_chunk_data_offset_negative.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_chunk_data_offset_past_eof.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_chunk_num_values_huge.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_chunk_total_compressed_huge.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_chunk_total_compressed_negative.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_dict_num_values_2g.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_dict_num_values_negative.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_file_num_rows_huge.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_file_num_rows_negative.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_flba_type_length_huge.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_flba_type_length_negative.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_flba_type_length_zero.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_page_compressed_size_2g.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_page_compressed_size_negative.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_page_num_values_2g.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_page_num_values_zero.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_page_uncompressed_size_2g.parquet", Expect::Refuse(Refusal::Corrupt)),
    // "refused (or read 1000 rows)": refused.
    ("lie_page_uncompressed_size_2g_plain.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_page_uncompressed_size_negative.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_rowgroup_num_rows_huge.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_rowgroup_num_rows_less.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_rowgroup_num_rows_more.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_rowgroup_num_rows_negative.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_schema_root_children_huge.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_schema_root_children_more.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("lie_schema_root_children_negative.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("mixed_case_columns.parquet", Expect::Read { rows: 1000, sum: BASE_SUM }),
    ("random_par1.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("random_par1_plausible_len.parquet", Expect::Refuse(Refusal::Corrupt)),
    ("trunc_before_footer.parquet", Expect::Refuse(Refusal::Truncated)),
    ("trunc_half.parquet", Expect::Refuse(Refusal::Truncated)),
    ("trunc_last_byte.parquet", Expect::Refuse(Refusal::Truncated)),
    ("trunc_magic_only.parquet", Expect::Refuse(Refusal::Truncated)),
    ("trunc_mid_cost_chunk.parquet", Expect::Refuse(Refusal::Truncated)),
    ("trunc_mid_footer.parquet", Expect::Refuse(Refusal::Truncated)),
    ("trunc_no_magic.parquet", Expect::Refuse(Refusal::Truncated)),
    ("type_dictionary.parquet", Expect::Read { rows: 1000, sum: BASE_SUM }),
    ("valid_cur_baseline.parquet", Expect::Read { rows: 1000, sum: BASE_SUM }),
    ("valid_cur_multi_rowgroup_zstd_v2.parquet", Expect::Read { rows: 50_000, sum: 252_994.783_857_66 }),
    ("valid_cur_plain_uncompressed.parquet", Expect::Read { rows: 1000, sum: BASE_SUM }),
    ("zero_bytes.parquet", Expect::Refuse(Refusal::Empty)),
    ("zero_rows.parquet", Expect::Read { rows: 0, sum: 0.0 }),
];

#[test]
fn made_cases_meet_their_expectations() {
    let Some(root) = shared::corpus("made_cases_meet_their_expectations") else { return };
    let made = root.join("made");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(made.join("EXPECTED.json")).unwrap()).unwrap();
    let listed: Vec<&str> = expected["files"].as_object().unwrap().keys().map(String::as_str).collect();
    let known: Vec<&str> = MADE.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        listed, known,
        "EXPECTED.json and this table must list the same files (a new case needs a decision here)"
    );
    assert_eq!(expected["base_cost_sum"].as_f64(), Some(BASE_SUM));

    let mut problems = Vec::new();
    for &(name, expect) in MADE {
        let rule = expected["files"][name]["expect"].as_str().unwrap_or_default();
        match (expect, analyse(&made.join(name))) {
            (Expect::Refuse(kind), Err(error)) if kind.is(&error) && is_clear(&error.to_string()) => {}
            (Expect::Refuse(kind), outcome) => {
                problems.push(format!("{name} ({rule}): expected a {kind:?} refusal, got {outcome:?}"))
            }
            (Expect::Read { rows, sum }, Ok(tally)) => {
                let total: f64 = tally.cells().map(|(_, cell)| cell.cost.value()).sum();
                if tally.rows != rows || (total - sum).abs() > 1e-6 * sum.abs().max(1.0) {
                    problems.push(format!(
                        "{name}: read {} rows summing to {total}, expected {rows} and {sum}",
                        tally.rows
                    ));
                }
                if name == "cost_all_null.parquet" {
                    let nulls: u64 = tally.cells().map(|(_, cell)| cell.null_costs).sum();
                    assert_eq!(nulls, 1000, "every null cost is counted");
                }
            }
            (Expect::Read { .. }, Err(error)) => problems.push(format!("{name} ({rule}): refused: {error}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_cli_answers_every_file_in_time_with_json_or_one_line() {
    let Some(root) = shared::corpus("the_cli_answers_every_file_in_time_with_json_or_one_line") else { return };
    let mut problems = Vec::new();
    for path in corpus_files(&root) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ducks"))
            .args(["costs", "--json"])
            .arg(&path)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() && started.elapsed() < DEADLINE {
            std::thread::sleep(Duration::from_millis(2));
        }
        if child.try_wait().unwrap().is_none() {
            let _ = child.kill();
            problems.push(format!("{}: the CLI did not finish within {DEADLINE:?}", path.display()));
            continue;
        }
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let errors: Vec<&str> = stderr.lines().filter(|line| !line.starts_with("ducks: note: ")).collect();
        match output.status.code() {
            Some(0) if serde_json::from_str::<serde_json::Value>(&stdout).is_ok() && errors.is_empty() => {}
            Some(1)
                if stdout.is_empty()
                    && errors.len() == 1
                    && errors[0].starts_with(&format!("ducks: {}: ", path.display()))
                    && !stderr.contains("panicked") => {}
            code => problems.push(format!("{}: exit {code:?}, stderr {stderr:?}", path.display())),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
