//! Running pieces on the pool's workers, with the progress each reports.

use std::cell::Cell;
use std::rc::Rc;

use futures::future::join_all;

use super::{Progress, Stopped};
use crate::browser::files::Chosen;
use crate::browser::pool::{Done, JobError, OnPartial, Partial, Pool};
use crate::browser::protocol::{FileKey, Reply, Request, SplitBytes};
use crate::engine::{CubeColumns, Piece};

/// Where the parts of a piece's cube go (with the piece's file), as they come.
pub(super) type OnPart = Rc<dyn Fn(usize, Part)>;

/// A part of a piece's cube as it comes.
pub(super) enum Part {
    /// As columns, to merge on the page.
    Cube(Box<CubeColumns>),
    /// Cut for a question, as bytes kept in `Blob`s.
    Split(Box<SplitBytes>),
}

/// Runs a scan of every piece on the pool (the request `request` makes of it),
/// counting rows into `state`, handing cube parts to `on_part` and each final
/// reply to `on_reply` as they arrive; returns what `on_reply` made of each, in
/// piece order.
#[allow(clippy::too_many_arguments)]
pub(super) async fn scan_pieces<T, F: Future<Output = T>>(
    pool: &Pool,
    files: &[Chosen],
    keys: &[FileKey],
    pieces: &[Piece],
    request: impl Fn(&Piece) -> Request,
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
        let request = request(&piece);
        async move {
            let told = Rc::clone(&advance);
            let partial: OnPartial = Rc::new(move |partial| match partial {
                Partial::Rows(rows) => told(rows),
                Partial::Cube(part) => {
                    if let Some(on_part) = &on_part {
                        on_part(piece.file, Part::Cube(part));
                    }
                }
                Partial::Split(split) => {
                    if let Some(on_part) = &on_part {
                        on_part(piece.file, Part::Split(split));
                    }
                }
            });
            let reply = pool.run(key, blob, request, Some(partial)).await;
            // Rows the worker did not get to report before it finished.
            advance(piece.work.saturating_sub(reported.get()));
            on_reply(piece, reply).await
        }
    }))
    .await
}

/// The message for a file whose job did not give the expected reply; stops the
/// analysis on Cancel or when the engine cannot run.
pub(super) fn failure(reply: Result<Done, JobError>) -> Result<String, Stopped> {
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
