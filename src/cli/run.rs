//! Running an analysis natively: files are opened and their pieces scanned on
//! every core, then merged in a fixed order so the figures do not depend on
//! which thread finished first.

use std::collections::BTreeMap;
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::args::CostsOptions;
use super::local_file::LocalFile;
use crate::engine::{
    CostReport, CurFile, Discounts, Error, Tally, UsageRule, cost_report, delivery, panic_message, plan,
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

/// Reads every file of `options` and computes the costs report.
pub fn analyse(options: &CostsOptions) -> Result<Analysis, Failure> {
    let discounts = match &options.discounts {
        None => Discounts::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|error| Failure::new(path, io_message(&error)))?;
            Discounts::from_json(&text).map_err(|error| Failure::new(path, error))?
        }
    };
    let Found { files: paths, skipped } = find_files(&options.paths)?;
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

    let outlines: Vec<_> = files.iter().enumerate().map(|(index, file)| (index, file.outline())).collect();
    let pieces = plan(&outlines, threads);
    let scanned = in_parallel(&pieces, threads, |piece| files[piece.file].scan(piece.slice, &mut |_| {}));

    // Merge in file order, so the figures never depend on thread timing.
    let mut order: Vec<usize> = (0..pieces.len()).collect();
    order.sort_by_key(|&i| (pieces[i].file, pieces[i].slice.row_group, pieces[i].slice.first_row));
    let mut tally = Tally::default();
    for i in order {
        match &scanned[i] {
            Ok(part) => tally.merge(part),
            Err(error) => return Err(Failure::new(&paths[pieces[i].file], error)),
        }
    }

    let usage = UsageRule::default();
    let report = cost_report(&tally, files.len(), &discounts, &usage);
    let mut notes: Vec<String> = skipped;
    for (file, path) in files.iter().zip(&paths) {
        for note in &file.outline().notes {
            notes.push(format!("{}: {note}", path.display()));
        }
    }
    let invalid: u64 =
        tally.cells().filter(|(key, _)| usage.counts(key.line_item_type)).map(|(_, c)| c.invalid_costs).sum();
    if invalid > 0 {
        notes.push(format!("{invalid} usage rows have a cost that is not a number (NaN or infinite); they count as 0"));
    }
    Ok(Analysis { report, notes })
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
