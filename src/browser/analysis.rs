//! One analysis of a set of files in the browser: outlines first (footers only,
//! on all workers at once), then the planned pieces, then a merge in file order.
//! The costs come first; the explorer's cube is built after, by a second scan of
//! the same pieces with more columns, while the costs page is already shown.
//!
//! A file that cannot be used is reported and left out; the others still give
//! their figures. Only Cancel stops the whole analysis.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::StreamExt;
use futures::channel::mpsc;
use futures::future::join_all;
use wasm_bindgen::JsValue;

use super::files::Chosen;
use super::pool::{Done, JobError, OnPartial, Partial, Pool};
use super::protocol::{FileKey, Reply, Request};
use crate::engine::{Cube, CubeColumns, Outline, Piece, ScanKind, Tally, plan};

/// Where the time went for one file, in milliseconds of worker time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timing {
    /// Reading and checking the footer.
    pub open: f64,
    /// The costs scan (reading ahead and decoding), over all pieces.
    pub costs: f64,
    /// The explorer scan, once it has run.
    pub explore: Option<f64>,
}

/// What happened to one file.
#[derive(Debug, Clone)]
pub struct FileOutcome {
    /// The file's name as the browser gives it (a relative path for dropped folders).
    pub name: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its outline, or why it could not be used.
    pub result: Result<Outline, String>,
    /// This file's own tally, for the diagnostics panel.
    pub tally: Tally,
    /// Where the time went.
    pub timing: Timing,
    /// Why the explorer could not read it, if it could not.
    pub explore_problem: Option<String>,
}

/// The result of an analysis.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Every file, in the order given.
    pub files: Vec<FileOutcome>,
    /// The merged tally of the files that could be used.
    pub tally: Tally,
    chosen: Vec<Chosen>,
    keys: Vec<FileKey>,
    pieces: Vec<Piece>,
}

impl Analysis {
    /// How many files contributed to the tally.
    pub fn files_used(&self) -> usize {
        self.files.iter().filter(|file| file.result.is_ok()).count()
    }

    /// The files as they were chosen, in order.
    pub fn chosen(&self) -> &[Chosen] {
        &self.chosen
    }

    /// Why the explorer left out files the costs page used: one sentence each.
    pub fn explore_problems(&self) -> Vec<String> {
        self.files
            .iter()
            .filter(|file| file.result.is_ok())
            .filter_map(|file| Some(format!("{}: {}", file.name, file.explore_problem.as_ref()?)))
            .collect()
    }

    /// The outlines of the files used.
    pub fn outlines(&self) -> impl Iterator<Item = &Outline> {
        self.files.iter().filter_map(|file| file.result.as_ref().ok())
    }
}

/// How far an analysis has come.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Progress {
    /// Footers read so far.
    pub files_opened: usize,
    /// Files in the analysis.
    pub files: usize,
    /// Work done so far: rows of Parquet files, bytes of CSV files (see `Piece::work`).
    pub work_done: u64,
    /// Work to do (known once every file is opened).
    pub work_total: u64,
}

/// Why an analysis stopped before the end.
#[derive(Debug, Clone, PartialEq)]
pub enum Stopped {
    /// The user cancelled, or a newer analysis took over.
    Cancelled,
    /// The scan engine cannot run in this browser.
    Unavailable(String),
}

/// Analyses `files` on the pool's workers for the costs page, reporting progress
/// as it goes. `wanted` is asked between phases: when it says no (a newer
/// analysis has started, or the user cancelled), the analysis stops without
/// queueing more work.
pub async fn analyse(
    pool: &Pool,
    files: Vec<Chosen>,
    on_progress: Rc<dyn Fn(Progress)>,
    wanted: impl Fn() -> bool,
) -> Result<Analysis, Stopped> {
    let state = Rc::new(Cell::new(Progress { files: files.len(), ..Progress::default() }));
    let keys: Vec<_> = files.iter().map(|_| pool.new_file_key()).collect();
    let few_files = files.len() < pool.size();

    let outlines = join_all(files.iter().zip(&keys).map(|(file, &key)| {
        let (state, on_progress) = (Rc::clone(&state), Rc::clone(&on_progress));
        async move {
            // With fewer files than workers, every worker opens every file, at the
            // same time: the slices of a file then start on any worker without
            // reading its footer again.
            let reply = if few_files {
                pool.run_everywhere(key, file.blob.clone(), Request::Outline).await
            } else {
                pool.run(key, file.blob.clone(), Request::Outline, None).await
            };
            let mut now = state.get();
            now.files_opened += 1;
            state.set(now);
            on_progress(now);
            reply
        }
    }))
    .await;
    if !wanted() {
        return Err(Stopped::Cancelled);
    }

    let mut outcomes = Vec::with_capacity(files.len());
    for (file, reply) in files.iter().zip(outlines) {
        let open = reply.as_ref().map_or(0.0, |done| done.elapsed);
        let result = match reply {
            Ok(Done { reply: Reply::Outline(outline), .. }) => Ok(*outline),
            other => Err(failure(other)?),
        };
        outcomes.push(FileOutcome {
            name: file.name.clone(),
            bytes: file.blob.size() as u64,
            result,
            tally: Tally::default(),
            timing: Timing { open, ..Timing::default() },
            explore_problem: None,
        });
    }

    let usable: Vec<(usize, &Outline)> = outcomes
        .iter()
        .enumerate()
        .filter_map(|(index, outcome)| Some((index, outcome.result.as_ref().ok()?)))
        .collect();
    let pieces = plan(&usable, pool.size());
    let mut now = state.get();
    now.work_total = pieces.iter().map(|piece| piece.work).sum();
    state.set(now);
    on_progress(now);

    let scans =
        scan_pieces(pool, &files, &keys, &pieces, ScanKind::Costs, state, on_progress, None, |_, reply| async {
            reply
        })
        .await;
    if !wanted() {
        return Err(Stopped::Cancelled);
    }
    for (piece, reply) in pieces.iter().zip(scans) {
        let outcome = &mut outcomes[piece.file];
        outcome.timing.costs += reply.as_ref().map_or(0.0, |done| done.elapsed);
        match reply {
            Ok(Done { reply: Reply::Tally(tally), .. }) => outcome.tally.merge(&tally),
            other => {
                let message = failure(other)?;
                if outcome.result.is_ok() {
                    outcome.result = Err(message);
                }
            }
        }
    }
    let mut tally = Tally::default();
    for outcome in outcomes.iter().filter(|outcome| outcome.result.is_ok()) {
        tally.merge(&outcome.tally);
    }
    Ok(Analysis { files: outcomes, tally, chosen: files, keys, pieces })
}

/// Builds the explorer's cube of the files `analysis` used, by a second scan of
/// its pieces; records each file's explorer time (and any failure) in `analysis`.
///
/// Workers send a piece's cube in parts as it grows (so a worker holds one part
/// at a time), and each part is merged into its file's cube as it arrives and
/// then dropped. A file whose piece fails is left out of the cube whole.
pub async fn explore(
    pool: &Pool,
    analysis: &mut Analysis,
    on_progress: Rc<dyn Fn(Progress)>,
    wanted: impl Fn() -> bool,
) -> Result<Cube, Stopped> {
    let pieces: Vec<Piece> =
        analysis.pieces.iter().copied().filter(|piece| analysis.files[piece.file].result.is_ok()).collect();
    let used = analysis.files_used();
    let state = Rc::new(Cell::new(Progress {
        files: used,
        files_opened: used,
        work_done: 0,
        work_total: pieces.iter().map(|piece| piece.work).sum(),
    }));
    let count = analysis.files.len();
    let problems = RefCell::new(vec![None::<String>; count]);
    let times = RefCell::new(vec![None::<f64>; count]);
    let (parts_in, mut parts_out) = mpsc::unbounded::<(usize, Box<CubeColumns>)>();

    let scan = async {
        let on_part: OnPart = {
            let parts_in = parts_in.clone();
            Rc::new(move |file, part| {
                let _ = parts_in.unbounded_send((file, part));
            })
        };
        let (problems, times, parts_in) = (&problems, &times, &parts_in);
        let replies = scan_pieces(
            pool,
            &analysis.chosen,
            &analysis.keys,
            &pieces,
            ScanKind::Explore,
            state,
            on_progress,
            Some(on_part),
            |piece: Piece, reply| async move {
                *times.borrow_mut()[piece.file].get_or_insert(0.0) += reply.as_ref().map_or(0.0, |done| done.elapsed);
                match reply {
                    Ok(Done { reply: Reply::Cube(last), .. }) => {
                        let _ = parts_in.unbounded_send((piece.file, last));
                    }
                    other => problems.borrow_mut()[piece.file] = Some(failure(other)?),
                }
                Ok(())
            },
        )
        .await;
        parts_in.close_channel();
        replies.into_iter().collect::<Result<(), Stopped>>()
    };
    let merge = async {
        let cubes: Vec<RefCell<Cube>> = (0..count).map(|_| RefCell::default()).collect();
        while let Some((file, part)) = parts_out.next().await {
            if problems.borrow()[file].is_some() {
                continue;
            }
            match part.check() {
                Ok(()) => merge_in_tasks(&cubes[file], &part, &wanted).await?,
                Err(error) => problems.borrow_mut()[file] = Some(error.to_string()),
            }
        }
        Ok(cubes)
    };
    let (scanned, merged) = futures::join!(scan, merge);
    scanned?;
    let cubes = merged?;
    if !wanted() {
        return Err(Stopped::Cancelled);
    }

    let mut good = Vec::new();
    let outcomes = analysis.files.iter_mut();
    for ((outcome, cube), (problem, time)) in outcomes
        .zip(cubes.into_iter().map(RefCell::into_inner))
        .zip(problems.into_inner().into_iter().zip(times.into_inner()))
    {
        outcome.timing.explore = time;
        outcome.explore_problem = problem;
        if outcome.result.is_ok() && outcome.explore_problem.is_none() {
            good.push(cube);
        }
    }
    // One file (the common case) is its own cube; several are merged, again a
    // slice at a time.
    if good.len() == 1 {
        return Ok(good.remove(0));
    }
    let total = RefCell::default();
    for cube in good {
        let part = cube.to_columns();
        drop(cube);
        merge_in_tasks(&total, &part, &wanted).await?;
    }
    Ok(total.into_inner())
}

/// Where the parts of a piece's cube go (with the piece's file), as they come.
type OnPart = Rc<dyn Fn(usize, Box<CubeColumns>)>;

/// Merges a checked part into `cube` a slice of cells per task, letting the page
/// paint and answer input in between (other parts may merge into the same cube
/// in the pauses).
async fn merge_in_tasks(cube: &RefCell<Cube>, part: &CubeColumns, wanted: &impl Fn() -> bool) -> Result<(), Stopped> {
    let labels = cube.borrow_mut().map_labels(part);
    let cells = part.cells();
    for start in (0..cells).step_by(MERGE_CELLS_PER_TASK) {
        cube.borrow_mut().merge_columns(part, &labels, start..cells.min(start + MERGE_CELLS_PER_TASK));
        next_task().await;
        if !wanted() {
            return Err(Stopped::Cancelled);
        }
    }
    Ok(())
}

/// Cells merged per main-thread task: about 10 ms of work.
const MERGE_CELLS_PER_TASK: usize = 16_384;

/// Resolves in a later task (a message to itself: unlike a timer, never clamped
/// to 4 ms), so the browser can paint and handle input in between.
async fn next_task() {
    let Ok(channel) = web_sys::MessageChannel::new() else { return };
    let port = channel.port1();
    let promise = js_sys::Promise::new(&mut |resolve, _| port.set_onmessage(Some(&resolve)));
    if channel.port2().post_message(&JsValue::NULL).is_ok() {
        // `channel` is held until the message arrives.
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}

/// Runs a scan of every piece on the pool, counting rows into `state`, handing
/// cube parts to `on_part` and each final reply to `on_reply` as they arrive;
/// returns what `on_reply` made of each, in piece order.
#[allow(clippy::too_many_arguments)]
async fn scan_pieces<T, F: Future<Output = T>>(
    pool: &Pool,
    files: &[Chosen],
    keys: &[FileKey],
    pieces: &[Piece],
    kind: ScanKind,
    state: Rc<Cell<Progress>>,
    on_progress: Rc<dyn Fn(Progress)>,
    on_part: Option<OnPart>,
    on_reply: impl Fn(Piece, Result<Done, JobError>) -> F,
) -> Vec<T> {
    let on_reply = &on_reply;
    join_all(pieces.iter().map(|&piece| {
        let reported = Rc::new(Cell::new(0u64));
        let advance = {
            let (state, on_progress, reported) = (Rc::clone(&state), Rc::clone(&on_progress), Rc::clone(&reported));
            Rc::new(move |rows: u64| {
                reported.set(reported.get() + rows);
                let mut now = state.get();
                now.work_done += rows;
                state.set(now);
                on_progress(now);
            })
        };
        let blob = files[piece.file].blob.clone();
        let key = keys[piece.file];
        let on_part = on_part.clone();
        async move {
            let told = Rc::clone(&advance);
            let partial: OnPartial = Rc::new(move |partial| match partial {
                Partial::Rows(rows) => told(rows),
                Partial::Cube(part) => {
                    if let Some(on_part) = &on_part {
                        on_part(piece.file, part);
                    }
                }
            });
            let reply = pool.run(key, blob, Request::Scan(piece.slice, kind), Some(partial)).await;
            // Rows the worker did not get to report before it finished.
            advance(piece.work.saturating_sub(reported.get()));
            on_reply(piece, reply).await
        }
    }))
    .await
}

/// The message for a file whose job did not give the expected reply; stops the
/// analysis on Cancel or when the engine cannot run.
fn failure(reply: Result<Done, JobError>) -> Result<String, Stopped> {
    match reply {
        Ok(Done { reply: Reply::Failed(message), .. }) => Ok(message),
        Ok(Done { reply, .. }) => Ok(format!("the worker answered out of turn ({reply:?})")),
        Err(JobError::Crashed(detail)) => Ok(format!(
            "The reader crashed on this file, so it was left out (the page and the other files are fine): {detail}"
        )),
        Err(JobError::Cancelled) => Err(Stopped::Cancelled),
        Err(JobError::Unavailable(problem)) => Err(Stopped::Unavailable(problem)),
    }
}
