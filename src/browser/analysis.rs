//! One analysis of a set of files in the browser: outlines first (footers only,
//! on all workers at once), then the planned pieces, then a merge in file order.
//!
//! A file that cannot be used is reported and left out; the others still give
//! their figures. Only Cancel stops the whole analysis.

use std::cell::Cell;
use std::rc::Rc;

use futures::future::join_all;

use super::files::Chosen;
use super::pool::{JobError, Pool};
use super::protocol::{Reply, Request};
use crate::engine::{Outline, Tally, plan};

/// What happened to one file.
#[derive(Debug, Clone)]
pub struct FileOutcome {
    /// The file's name as the browser gives it (a relative path for dropped folders).
    pub name: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its outline, or why it could not be used.
    pub result: Result<Outline, String>,
}

/// The result of an analysis.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Every file, in the order given.
    pub files: Vec<FileOutcome>,
    /// The merged tally of the files that could be used.
    pub tally: Tally,
}

impl Analysis {
    /// How many files contributed to the tally.
    pub fn files_used(&self) -> usize {
        self.files.iter().filter(|file| file.result.is_ok()).count()
    }
}

/// How far an analysis has come.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Progress {
    /// Footers read so far.
    pub files_opened: usize,
    /// Files in the analysis.
    pub files: usize,
    /// Rows scanned so far.
    pub rows_done: u64,
    /// Rows to scan (known once every footer is read).
    pub rows_total: u64,
}

/// Why an analysis stopped before the end.
#[derive(Debug, Clone, PartialEq)]
pub enum Stopped {
    /// The user cancelled.
    Cancelled,
    /// The scan engine cannot run in this browser.
    Unavailable(String),
}

/// Analyses `files` on the pool's workers, reporting progress as it goes.
/// `wanted` is asked between phases: when it says no (a newer analysis has
/// started, or the user cancelled), the analysis stops without queueing more work.
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
        let result = match reply {
            Ok(Reply::Outline(outline)) => Ok(*outline),
            other => Err(failure(other)?),
        };
        outcomes.push(FileOutcome { name: file.name.clone(), bytes: file.blob.size() as u64, result });
    }

    let usable: Vec<(usize, &Outline)> = outcomes
        .iter()
        .enumerate()
        .filter_map(|(index, outcome)| Some((index, outcome.result.as_ref().ok()?)))
        .collect();
    let pieces = plan(&usable, pool.size());
    let mut now = state.get();
    now.rows_total = pieces.iter().map(|piece| piece.slice.rows).sum();
    state.set(now);
    on_progress(now);

    let scans = join_all(pieces.iter().map(|piece| {
        let (state, on_progress) = (Rc::clone(&state), Rc::clone(&on_progress));
        let reported = Rc::new(Cell::new(0u64));
        let advance = {
            let reported = Rc::clone(&reported);
            move |rows: u64| {
                reported.set(reported.get() + rows);
                let mut now = state.get();
                now.rows_done += rows;
                state.set(now);
                on_progress(now);
            }
        };
        let advance = Rc::new(advance);
        let blob = files[piece.file].blob.clone();
        let key = keys[piece.file];
        async move {
            let on_rows: Rc<dyn Fn(u64)> = advance.clone();
            let reply = pool.run(key, blob, Request::Scan(piece.slice), Some(on_rows)).await;
            // Rows the worker did not get to report before it finished.
            advance(piece.slice.rows.saturating_sub(reported.get()));
            reply
        }
    }))
    .await;

    if !wanted() {
        return Err(Stopped::Cancelled);
    }
    let mut per_file: Vec<Tally> = vec![Tally::default(); outcomes.len()];
    for (piece, reply) in pieces.iter().zip(scans) {
        match reply {
            Ok(Reply::Tally(tally)) => per_file[piece.file].merge(&tally),
            other => {
                let message = failure(other)?;
                if outcomes[piece.file].result.is_ok() {
                    outcomes[piece.file].result = Err(message);
                }
            }
        }
    }
    let mut tally = Tally::default();
    for (outcome, part) in outcomes.iter().zip(&per_file) {
        if outcome.result.is_ok() {
            tally.merge(part);
        }
    }
    Ok(Analysis { files: outcomes, tally })
}

/// The message for a file whose job did not give the expected reply; stops the
/// analysis on Cancel or when the engine cannot run.
fn failure(reply: Result<Reply, JobError>) -> Result<String, Stopped> {
    match reply {
        Ok(Reply::Failed(message)) => Ok(message),
        Ok(other) => Ok(format!("the worker answered out of turn ({other:?})")),
        Err(JobError::Crashed(detail)) => Ok(format!(
            "The reader crashed on this file, so it was left out (the page and the other files are fine): {detail}"
        )),
        Err(JobError::Cancelled) => Err(Stopped::Cancelled),
        Err(JobError::Unavailable(problem)) => Err(Stopped::Unavailable(problem)),
    }
}
