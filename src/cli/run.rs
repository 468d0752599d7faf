//! Running an analysis natively: files are opened and their pieces scanned on
//! every core, then merged in a fixed order so the figures do not depend on
//! which thread finished first.

use std::collections::BTreeMap;
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::args::{By, CostsOptions, GroupOptions};
use super::local_file::LocalFile;
use crate::engine::check::{FileCheck, check_file};
use crate::engine::commitments::{CommitmentReport, Coverage, CoverageBy, commitment_report, coverage};
use crate::engine::invoices::{InvoiceRow, invoice_report};
use crate::engine::query::{Filter, GroupedMany, measure_notes};
use crate::engine::question::{Asked, Sized};
use crate::engine::{
    Column, Commitments, CostReport, Cube, CurFile, Dates, Detail, DetailScan, Dimension, Discounts, Error, Findings,
    Invoices, PART_CELLS, Paying, Tally, cost_report, delivery, keys_in_json, panic_message, plan,
};

/// A finished analysis.
#[derive(Debug)]
pub struct Analysis {
    /// The figures.
    pub report: CostReport,
    /// Things to tell the user beside the figures.
    pub notes: Vec<String>,
}

/// Why an analysis stopped: the input it could not use, and why.
#[derive(Debug, PartialEq)]
pub struct Failure {
    /// The file or directory at fault.
    pub path: PathBuf,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl Failure {
    fn new(path: &Path, message: impl fmt::Display) -> Self {
        Failure { path: path.to_owned(), message: message.to_string() }
    }
}

/// The opened files of a command line, with the notes of what was skipped and
/// what each file lacks.
struct Opened {
    paths: Vec<PathBuf>,
    files: Vec<CurFile<LocalFile>>,
    notes: Vec<String>,
    threads: usize,
}

impl Opened {
    fn new(paths: &[PathBuf]) -> Result<Opened, Failure> {
        let Found { files: paths, skipped } = find_files(paths)?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let opened = in_parallel(&paths, threads, |path| {
            let file = LocalFile::open(path).map_err(|error| Error::Io(io_message(&error)))?;
            CurFile::open_named(file, &path.to_string_lossy())
        });
        let files: Vec<CurFile<LocalFile>> = opened
            .into_iter()
            .zip(&paths)
            .map(|(result, path)| result.map_err(|error| Failure::new(path, error)))
            .collect::<Result<_, _>>()?;
        let mut notes = skipped;
        for (file, path) in files.iter().zip(&paths) {
            for note in &file.outline().notes {
                notes.push(format!("{}: {note}", path.display()));
            }
        }
        Ok(Opened { paths, files, notes, threads })
    }

    /// Scans every piece of every file on every core with `scan`, and merges
    /// the parts in file order, so the figures never depend on thread timing.
    fn scan<T: Send>(
        &self,
        scan: impl Fn(&CurFile<LocalFile>, usize, crate::engine::RowSlice) -> Result<T, Error> + Sync,
        mut merge: impl FnMut(T),
    ) -> Result<(), Failure> {
        let outlines: Vec<_> = self.files.iter().enumerate().map(|(index, file)| (index, file.outline())).collect();
        let pieces = plan(&outlines, self.threads);
        let scanned =
            in_parallel(&pieces, self.threads, |piece| scan(&self.files[piece.file], piece.file, piece.slice));
        let mut order: Vec<usize> = (0..pieces.len()).collect();
        order.sort_by_key(|&i| (pieces[i].file, pieces[i].slice.row_group, pieces[i].slice.first_row));
        let mut scanned: Vec<Option<Result<T, Error>>> = scanned.into_iter().map(Some).collect();
        for i in order {
            match scanned[i].take().unwrap_or_else(|| Err(Error::Internal("a piece was merged twice".into()))) {
                Ok(part) => merge(part),
                Err(error) => return Err(Failure::new(&self.paths[pieces[i].file], error)),
            }
        }
        Ok(())
    }
}

/// What `ducks commitments` prints: the report, and coverage if asked for.
#[derive(Debug, serde::Serialize)]
pub struct CommitmentsOutput {
    /// Each commitment: cost, use, waste, savings, end.
    #[serde(flatten)]
    pub report: CommitmentReport,
    /// Of the eligible usage, the share covered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
}

/// Reads the commitments (Savings Plans, reservations) of every file at
/// `paths`, with `resources` what each paid per resource, and with
/// `coverage_by` the explorer's figures for their coverage.
pub fn commitments(
    paths: &[std::path::PathBuf],
    coverage_by: Option<CoverageBy>,
    resources: bool,
) -> Result<CommitmentsOutput, Failure> {
    let opened = Opened::new(paths)?;
    let mut commitments = Commitments::default();
    opened.scan(
        |file, _, slice| match resources {
            true => file.scan_commitment_resources(slice, Paying::All, Vec::new(), &mut |_| {}),
            false => file.scan_commitments(slice, Vec::new(), &mut |_| {}),
        },
        |part| commitments.merge(&part),
    )?;
    let coverage = match coverage_by {
        None => None,
        Some(by) => {
            let explorer = DetailScan::explorer();
            let mut cube = Cube::default();
            opened.scan(
                |file, _, slice| file.explore_detail(slice, None, &explorer, &mut |_| {}, usize::MAX, &mut |_| {}),
                |part| cube.merge(&part),
            )?;
            Some(coverage(&cube, by))
        }
    };
    Ok(CommitmentsOutput { report: commitment_report(&commitments), coverage })
}

/// What `ducks check` prints: each file's layout and findings.
#[derive(Debug, serde::Serialize)]
pub struct CheckedFile {
    /// The file.
    pub path: String,
    /// Its layout and what it gets wrong.
    #[serde(flatten)]
    pub check: FileCheck,
}

/// Checks every file at `paths` (`schema::rules`): one read of the columns
/// the rules need, on every core, each file's parts merged in order.
pub fn check(paths: &[std::path::PathBuf]) -> Result<Vec<CheckedFile>, Failure> {
    let opened = Opened::new(paths)?;
    let mut found: Vec<Findings> = vec![Findings::default(); opened.files.len()];
    opened.scan(
        |file, index, slice| file.scan_check(slice, Vec::new(), &mut |_| {}).map(|f| (index, f)),
        |(index, part)| found[index].merge(&part),
    )?;
    Ok(opened
        .files
        .iter()
        .zip(&opened.paths)
        .zip(&found)
        .map(|((file, path), found)| CheckedFile {
            path: path.display().to_string(),
            check: check_file(file.outline(), found),
        })
        .collect())
}

/// The files' total per invoice, issuer, billing period and currency.
pub fn invoices(paths: &[std::path::PathBuf]) -> Result<Vec<InvoiceRow>, Failure> {
    let opened = Opened::new(paths)?;
    let mut invoices = Invoices::default();
    opened.scan(|file, _, slice| file.scan_invoices(slice, Vec::new(), &mut |_| {}), |part| invoices.merge(&part))?;
    Ok(invoice_report(&invoices))
}

/// Reads every file of `options` and computes the costs report.
pub fn analyse(options: &CostsOptions) -> Result<Analysis, Failure> {
    let discounts = match &options.discounts {
        None => Discounts::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|error| Failure::new(path, io_message(&error)))?;
            Discounts::from_json(&text).map_err(|error| Failure::new(path, error))?
        }
    };
    let opened = Opened::new(&options.paths)?;
    let mut tally = Tally::default();
    // The list cost (the on-demand price of usage a commitment paid) is read
    // only when it is counted: reading it made 10M rows' costs 1.6x slower.
    if options.usage.covered_at_list() {
        opened.scan(|file, _, slice| file.scan_covered(slice, &mut |_| {}), |part| tally.merge(&part))?;
    } else {
        opened.scan(|file, _, slice| file.scan(slice, &mut |_| {}), |part| tally.merge(&part))?;
    }
    let files = &opened.files;

    let usage = &options.usage;
    let report = cost_report(&tally, files.len(), &discounts, usage);
    let mut notes = opened.notes;
    let invalid: u64 =
        tally.cells().filter(|(key, _)| usage.counts(key.line_item_type)).map(|(_, c)| c.invalid_costs).sum();
    if invalid > 0 {
        notes.push(format!("{invalid} usage rows have a cost that is not a number (NaN or infinite); they count as 0"));
    }
    Ok(Analysis { report, notes })
}

/// A finished `ducks group`.
#[derive(Debug)]
pub struct Grouping {
    /// Files read.
    pub files: usize,
    /// Rows read.
    pub rows: u64,
    /// The groups (with `--top N`, the N largest of each currency).
    pub grouped: GroupedMany,
    /// Groups in all.
    pub count: u64,
    /// Things to tell the user beside the figures.
    pub notes: Vec<String>,
}

/// Why `ducks group` stopped.
#[derive(Debug, PartialEq)]
pub enum Problem {
    /// A file or directory could not be used.
    File(Failure),
    /// The files cannot answer what was asked (a tag none of them has).
    Request(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::File(failure) => failure.fmt(f),
            Problem::Request(message) => f.write_str(message),
        }
    }
}

impl From<Failure> for Problem {
    fn from(failure: Failure) -> Problem {
        Problem::File(failure)
    }
}

/// Reads every file of `options` (with the tag, cost category or resource
/// asked for, if any) and groups the measure by the dimensions asked for.
pub fn group(options: &GroupOptions) -> Result<Grouping, Problem> {
    let opened = Opened::new(&options.paths)?;
    let files = &opened.files;
    let detail = options.detail();
    let columns: Vec<Option<Column>> =
        files.iter().map(|file| detail.and_then(|d| file.outline().detail_column(d))).collect();
    if let Some(detail) = detail
        && columns.iter().all(Option::is_none)
    {
        return Err(Problem::Request(missing(detail, &opened)?));
    }
    // Only the labels and the dates the question needs: a dimension of many
    // values is not multiplied by the others.
    let by_day = options.by.contains(&By::Cube(Dimension::Day));
    let dates = if options.from.is_some() || options.to.is_some() || by_day {
        Dates::Days
    } else if options.by.contains(&By::Cube(Dimension::Month)) {
        Dates::Months
    } else {
        Dates::Undated
    };
    let filter = Filter {
        from: options.from,
        to: options.to,
        labels: options.filters.iter().map(|(by, values)| (by.dimension(), values.clone())).collect(),
    };
    let asked = Asked {
        by: options.by.iter().map(By::dimension).collect(),
        measure: options.measure,
        filter,
        usage: options.usage.clone(),
        top: options.top.unwrap_or(usize::MAX),
        needle: None,
    };
    let scan = asked.question(dates).scan();
    // Each part of a piece's cube (every `PART_CELLS` cells) is cut by the
    // question's labels into numbered parts, each group whole in one number,
    // and merged at once into that number's cube: memory holds the groups
    // and a part per thread, not every piece's cube. Each number's cube then
    // answers on its own thread.
    let (slots, splits) = (asked.slots(), opened.threads.max(1) * 4);
    let numbered: Vec<Mutex<Cube>> = (0..splits).map(|_| Mutex::default()).collect();
    let fold_in = |cube: Cube| {
        let read = cube.rows_read();
        for (number, part) in cube.to_columns().split(&slots, splits).into_iter().enumerate() {
            let mut into = numbered[number].lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let labels = into.map_labels(&part);
            into.merge_columns(&part, &labels, 0..part.cells());
        }
        read
    };
    let mut rows = 0;
    opened.scan(
        |file, index, slice| {
            let mut read = 0;
            let mut part = |cube: Cube| read += fold_in(cube);
            let last =
                file.explore_detail(slice, columns[index].as_ref(), &scan, &mut |_| {}, PART_CELLS, &mut part)?;
            Ok(read + fold_in(last))
        },
        |read| rows += read,
    )?;
    let partitions: Vec<Cube> =
        numbered.into_iter().map(|cube| cube.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner())).collect();
    if let Some(detail @ (Detail::Tag(_) | Detail::CostCategory(_) | Detail::AllocatedTag(_))) = detail {
        // Every row without the tag: the files may not know the key at all.
        let slot = Dimension::Detail.slot().expect("a text dimension");
        if partitions.iter().all(|cube| cube.labels(slot).iter().all(String::is_empty)) {
            let message = missing(detail, &opened)?;
            if !message.is_empty() {
                return Err(Problem::Request(message));
            }
        }
    }

    // The numbers shared among the threads, each answered in turn.
    let answers: Vec<Sized> = std::thread::scope(|scope| {
        let asked = &asked;
        let running: Vec<_> = partitions
            .chunks(splits.div_ceil(opened.threads.max(1)))
            .map(|cubes| scope.spawn(move || cubes.iter().map(|cube| asked.answer(cube)).collect::<Vec<_>>()))
            .collect();
        running
            .into_iter()
            .flat_map(|thread| thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    drop(partitions);
    let sized = Sized::merge(answers, asked.top);
    let count = sized.count;
    let grouped = GroupedMany { groups: sized.groups, totals: sized.totals, rows: sized.rows };

    let mut notes = opened.notes;
    let optional: Vec<_> = files.iter().map(|file| &file.outline().optional).collect();
    notes.extend(measure_notes(options.measure, &optional, &options.usage));
    if let Some(detail) = detail {
        let lacking = columns.iter().filter(|c| c.is_none()).count();
        if lacking > 0 {
            notes.push(format!(
                "{lacking} of {} files have no column for {}; their rows are counted without it",
                files.len(),
                detail.key()
            ));
        }
    }
    Ok(Grouping { files: files.len(), rows, grouped, count, notes })
}

/// What to say when no row has `detail`: "" when the files do know it (its
/// rows are only empty), otherwise a sentence naming the ones they have.
fn missing(detail: &Detail, opened: &Opened) -> Result<String, Failure> {
    if detail.is_fixed() {
        return Ok(detail.lacking(&[]).unwrap_or_default());
    }
    // Keys with a column of their own (legacy CUR), then keys inside the files'
    // columns of key → value pairs (CUR 2.0, FOCUS), read from the data.
    let mut known: Vec<String> = Vec::new();
    let mut pairs: Vec<Option<Column>> = Vec::new();
    for file in &opened.files {
        known.extend(file.outline().named_keys(detail));
        pairs.push(file.outline().pairs_column(detail));
    }
    if pairs.iter().any(Option::is_some) {
        let census = DetailScan::census();
        let mut cube = Cube::default();
        opened.scan(
            |file, index, slice| match &pairs[index] {
                Some(column) => file.explore_detail(slice, Some(column), &census, &mut |_| {}, usize::MAX, &mut |_| {}),
                None => Ok(Cube::default()),
            },
            |part| cube.merge(&part),
        )?;
        let slot = Dimension::Detail.slot().expect("a text dimension");
        for (file, column) in opened.files.iter().zip(&pairs) {
            if column.is_some() {
                let format = file.outline().columns.format;
                for text in cube.labels(slot) {
                    for key in keys_in_json(text) {
                        known.extend(detail.key_of_pair(&key, format).map(str::to_owned));
                    }
                }
            }
        }
    }
    Ok(detail.lacking(&known).unwrap_or_default())
}

/// The files to read, and what was left out of the folders and why.
#[derive(Debug, Default, PartialEq)]
pub struct Found {
    /// The files, in the order given (a folder's in path order).
    pub files: Vec<PathBuf>,
    /// One line per file of a folder that is not read, with the reason.
    pub skipped: Vec<String>,
}

/// Expands `paths`: files are taken as given; a directory is a report folder,
/// searched recursively, whose data files are chosen so that every billing
/// period counts once (see [`delivery::select`]).
pub fn find_files(paths: &[PathBuf]) -> Result<Found, Failure> {
    let mut found = Found::default();
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|error| Failure::new(path, io_message(&error)))?;
        if !metadata.is_dir() {
            found.files.push(path.clone());
            continue;
        }
        let mut listed = Vec::new();
        walk(path, path, &mut listed, 0)?;
        let manifests: BTreeMap<usize, String> = listed
            .iter()
            .enumerate()
            .filter(|(_, file)| delivery::kind(&file.path) == delivery::Kind::Manifest)
            // An unreadable manifest is left out; the folder is then chosen from without it.
            .filter_map(|(index, file)| Some((index, std::fs::read_to_string(path.join(&file.path)).ok()?)))
            .collect();
        let selection = delivery::select(&listed, &manifests);
        if selection.counted.is_empty() {
            return Err(Failure::new(path, "this directory holds no Parquet or CSV data files"));
        }
        found.files.extend(selection.counted.iter().map(|&index| path.join(&listed[index].path)));
        for (index, why) in &selection.skipped {
            found.skipped.push(format!("skipped {}: {why}", path.join(&listed[*index].path).display()));
        }
    }
    Ok(found)
}

/// Deeper than any real delivery layout; stops symlink loops.
const MAX_DEPTH: usize = 32;

/// Lists the files under `directory`, as paths relative to `root` with `/`.
fn walk(root: &Path, directory: &Path, listed: &mut Vec<delivery::Listed>, depth: usize) -> Result<(), Failure> {
    if depth > MAX_DEPTH {
        return Err(Failure::new(directory, "directories nest too deeply (a symbolic link loop?)"));
    }
    let entries = std::fs::read_dir(directory).map_err(|error| Failure::new(directory, io_message(&error)))?;
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()
        .map_err(|error| Failure::new(directory, io_message(&error)))?;
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(root, &path, listed, depth + 1)?;
        } else {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let parts: Vec<String> =
                relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            let modified = std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_secs_f64() * 1000.0);
            listed.push(delivery::Listed { path: parts.join("/"), modified });
        }
    }
    Ok(())
}

/// Runs `work` on every item with `threads` threads; results keep the items' order.
/// A panic in the parquet crate becomes an error for that item instead of a crash.
fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&T) -> Result<R, Error> + Sync,
) -> Vec<Result<R, Error>> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<R, Error>>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads.min(items.len()) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(index) else { break };
                    let result = catch_unwind(AssertUnwindSafe(|| work(item))).unwrap_or_else(|panic| {
                        let detail = format!("the Parquet decoder failed on it ({})", panic_message(panic.as_ref()));
                        Err(Error::Corrupt { detail })
                    });
                    results.lock().unwrap_or_else(|poisoned| poisoned.into_inner())[index] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .into_iter()
        .map(|result| result.unwrap_or_else(|| Err(Error::Io("the work was not done".into()))))
        .collect()
}

fn io_message(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => error.to_string(),
    }
}
