//! One analysis of a set of files in the browser: outlines first (footers only,
//! on all workers at once), then the planned pieces, then a merge in file order.
//! The costs come first; the explorer's cube is built after, by a second scan of
//! the same pieces with more columns, while the costs page is already shown.
//!
//! A file that cannot be used is reported and left out; the others still give
//! their figures. Only Cancel stops the whole analysis.
//!
//! Here: the outcome types and the costs phase; `explore.rs`: the explorer's
//! phase and its merging in tasks; `phases.rs`: the commitments and the check,
//! read when asked for; `pieces.rs`: running pieces on the pool with
//! their progress.

mod explore;
mod phases;
mod pieces;
mod question;

pub use explore::{DetailCube, Explored, FileExplored, explore, explore_detail};
pub use phases::{ChecksRead, CommitmentsRead, InvoicesRead, scan_checks, scan_commitments, scan_invoices, scan_paid};
use pieces::{failure, scan_pieces};
pub use question::{Answered, answer_in_parts, ask, every_group};

use std::cell::Cell;
use std::rc::Rc;

use futures::future::join_all;

use super::error::Error;
use super::files::Chosen;
use super::pool::{Done, Pool};
use super::protocol::{FileKey, Reply, Request};
use crate::engine::{Outline, Piece, ScanKind, Tally, plan};

/// Where the time went for one file, in milliseconds of worker time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timing {
    /// Reading and checking the footer.
    pub open: f64,
    /// The costs scan (reading ahead and decoding), over all pieces.
    pub costs: f64,
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

    /// The pieces of the files used, and a progress over them starting at
    /// none done: what a later scan of the same files (the explorer's, one on
    /// demand, the commitments') goes over.
    pub(super) fn rescan(&self) -> (Vec<Piece>, Rc<Cell<Progress>>) {
        let pieces: Vec<Piece> =
            self.pieces.iter().copied().filter(|piece| self.files[piece.file].result.is_ok()).collect();
        let used = self.files_used();
        let state =
            Progress { files: used, files_opened: used, work_done: 0, work_total: pieces.iter().map(|p| p.work).sum() };
        (pieces, Rc::new(Cell::new(state)))
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

impl Progress {
    /// The share of the work done, 0 to 1 (0 until the work is known).
    pub fn fraction(&self) -> f64 {
        if self.work_total > 0 { self.work_done as f64 / self.work_total as f64 } else { 0.0 }
    }
}

/// Why an analysis stopped before the end.
#[derive(Debug, Clone, PartialEq)]
pub enum Stopped {
    /// The user cancelled, or a newer analysis took over.
    Cancelled,
    /// The scan engine cannot run in this browser.
    Unavailable(Error),
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

    let scans = scan_pieces(
        pool,
        &files,
        &keys,
        &pieces,
        |piece| Request::Scan(piece.slice, ScanKind::Costs),
        state,
        on_progress,
        None,
        |_, reply| async { reply },
    )
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
