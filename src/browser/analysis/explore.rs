//! The explorer's phase: the same pieces scanned again with more columns, each
//! piece's cube arriving in parts, merged a slice of cells per task so the page
//! keeps answering.

use std::cell::RefCell;
use std::rc::Rc;

use futures::StreamExt;
use futures::channel::mpsc;

use super::pieces::{OnPart, Part, failure, scan_pieces};
use super::{Analysis, Progress, Stopped};
use crate::browser::next_task;
use crate::browser::pool::{Done, Pool};
use crate::browser::protocol::{Reply, Request};
use crate::engine::{Column, Cube, CubeColumns, DetailScan, Piece, ScanKind};

/// What the explorer's scan learned of each file of the analysis (its time,
/// any failure), kept beside the analysis, which it leaves as it was.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Explored {
    /// Per file of the analysis, in order.
    pub files: Vec<FileExplored>,
}

/// One file's explorer scan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileExplored {
    /// Worker milliseconds, where it was scanned.
    pub ms: Option<f64>,
    /// Why the explorer could not read it, if it could not.
    pub problem: Option<String>,
}

impl Explored {
    /// Why the explorer left out files the costs page used: one sentence each.
    pub fn problems(&self, analysis: &Analysis) -> Vec<String> {
        analysis
            .files
            .iter()
            .zip(&self.files)
            .filter(|(file, _)| file.result.is_ok())
            .filter_map(|(file, explored)| Some(format!("{}: {}", file.name, explored.problem.as_ref()?)))
            .collect()
    }

    /// Whether the explorer read file `index` (on-demand scans read only those).
    pub fn read(&self, analysis: &Analysis, index: usize) -> bool {
        analysis.files.get(index).is_some_and(|f| f.result.is_ok())
            && self.files.get(index).is_none_or(|f| f.problem.is_none())
    }
}

/// Builds the explorer's cube of the files `analysis` used, by a second scan of
/// its pieces, and what it learned of each file (its time, any failure).
///
/// Workers send a piece's cube in parts as it grows (so a worker holds one part
/// at a time), and each part is merged into its file's cube as it arrives and
/// then dropped. A file whose piece fails is left out of the cube whole.
pub async fn explore(
    pool: &Pool,
    analysis: &Analysis,
    on_progress: Rc<dyn Fn(Progress)>,
    wanted: impl Fn() -> bool,
) -> Result<(Cube, Explored), Stopped> {
    let request = |piece: &Piece| Request::Scan(piece.slice, ScanKind::Explore);
    let (scanned, _) = scan_cubes(pool, analysis, request, on_progress, &wanted, usize::MAX).await?;
    let mut good = Vec::new();
    let mut files = Vec::new();
    for (outcome, (cube, (problem, ms))) in analysis.files.iter().zip(scanned) {
        if outcome.result.is_ok() && problem.is_none() {
            good.push(cube);
        }
        files.push(FileExplored { ms, problem });
    }
    Ok((merge_files(good, &wanted).await?, Explored { files }))
}

/// What an on-demand scan gave.
pub struct DetailCube {
    /// The cube (empty when it grew too large).
    pub cube: Cube,
    /// Per file left out, why.
    pub problems: Vec<String>,
    /// Whether the cube grew past the cells allowed, so it was not kept.
    pub too_large: bool,
}

/// The explorer's cube with its [`Detail`](crate::engine::Dimension::Detail)
/// slot read on demand from each file's column `columns[file]` (none: the
/// file lacks it; a file the explorer left out, `explored`, is left out here
/// too), the rest as `scan` says: the same pieces scanned again with that
/// column too. Beyond `max_cells` cells the parts are no longer merged (the
/// page's memory stays bounded) and the result says it grew too large.
pub async fn explore_detail(
    pool: &Pool,
    (analysis, explored): (&Analysis, &Explored),
    columns: Vec<Option<Column>>,
    scan: DetailScan,
    max_cells: usize,
    on_progress: Rc<dyn Fn(Progress)>,
    wanted: impl Fn() -> bool,
) -> Result<DetailCube, Stopped> {
    let request = |piece: &Piece| Request::Detail(piece.slice, columns[piece.file].clone(), scan.clone());
    let (scanned, too_large) = scan_cubes(pool, analysis, request, on_progress, &wanted, max_cells).await?;
    if too_large {
        return Ok(DetailCube { cube: Cube::default(), problems: Vec::new(), too_large });
    }
    let mut good = Vec::new();
    let mut problems = Vec::new();
    for (index, (outcome, (cube, (problem, _)))) in analysis.files.iter().zip(scanned).enumerate() {
        match problem {
            Some(problem) if outcome.result.is_ok() => problems.push(format!("{}: {problem}", outcome.name)),
            Some(_) => {}
            None if explored.read(analysis, index) => good.push(cube),
            None => {}
        }
    }
    Ok(DetailCube { cube: merge_files(good, &wanted).await?, problems, too_large })
}

/// Per file of `analysis`: its cube, why it failed (if it did) and the worker time.
type Scanned = Vec<(Cube, (Option<String>, Option<f64>))>;

/// Scans the pieces of the files `analysis` used with `request`, merging each
/// piece's cube parts into its file's cube as they arrive. Past `max_cells`
/// it says it grew too large, with no cubes, and its jobs are stopped if less
/// than half the work is done (the workers that ran them are replaced: at 1M
/// rows, where the rest of the work is short, the fresh workers made the next
/// scan about 0.6 s slower than letting the work finish).
async fn scan_cubes(
    pool: &Pool,
    analysis: &Analysis,
    request: impl Fn(&Piece) -> Request,
    on_progress: Rc<dyn Fn(Progress)>,
    wanted: &impl Fn() -> bool,
    max_cells: usize,
) -> Result<(Scanned, bool), Stopped> {
    // Its own group, so that it can be stopped alone.
    let pool = &pool.in_new_group();
    let (pieces, state) = analysis.rescan();
    let count = analysis.files.len();
    let problems = RefCell::new(vec![None::<String>; count]);
    let times = RefCell::new(vec![None::<f64>; count]);
    let (parts_in, mut parts_out) = mpsc::unbounded::<(usize, Box<CubeColumns>)>();

    let scan = async {
        let on_part: OnPart = {
            let parts_in = parts_in.clone();
            Rc::new(move |file, part| {
                if let Part::Cube(part) = part {
                    let _ = parts_in.unbounded_send((file, part));
                }
            })
        };
        let (problems, times, parts_in) = (&problems, &times, &parts_in);
        let replies = scan_pieces(
            pool,
            &analysis.chosen,
            &analysis.keys,
            &pieces,
            request,
            Rc::clone(&state),
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
        let mut too_large = false;
        while let Some((file, part)) = parts_out.next().await {
            if too_large {
                // Parts sent before the jobs stopped.
                continue;
            }
            if cubes.iter().map(|c| c.borrow().len()).sum::<usize>() + part.cells() > max_cells {
                too_large = true;
                cubes.iter().for_each(|c| *c.borrow_mut() = Cube::default());
                let Progress { work_done, work_total, .. } = state.get();
                if work_done < work_total / 2 {
                    pool.cancel_group();
                }
                continue;
            }
            if problems.borrow()[file].is_some() {
                continue;
            }
            match part.check() {
                Ok(()) => merge_in_tasks(&cubes[file], &part, wanted).await?,
                Err(error) => problems.borrow_mut()[file] = Some(error.to_string()),
            }
        }
        Ok((cubes, too_large))
    };
    let (scanned, merged) = futures::join!(scan, merge);
    let (cubes, too_large) = merged?;
    if !wanted() {
        return Err(Stopped::Cancelled);
    }
    if too_large {
        // Its stopped jobs answered "cancelled"; that was this scan's own doing.
        return Ok((Vec::new(), true));
    }
    scanned?;
    let scanned =
        cubes.into_iter().map(RefCell::into_inner).zip(problems.into_inner().into_iter().zip(times.into_inner()));
    Ok((scanned.collect(), too_large))
}

/// The files' cubes as one: one file (the common case) is its own cube;
/// several are merged, a slice at a time.
async fn merge_files(mut good: Vec<Cube>, wanted: &impl Fn() -> bool) -> Result<Cube, Stopped> {
    if good.len() == 1 {
        return Ok(good.remove(0));
    }
    let total = RefCell::default();
    for cube in good {
        let part = cube.to_columns();
        drop(cube);
        merge_in_tasks(&total, &part, wanted).await?;
    }
    Ok(total.into_inner())
}

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
