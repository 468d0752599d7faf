//! The commitments' phase: the pieces of the files in use scanned once more,
//! reading only the Savings Plans' and reservations' columns, when a person
//! opens the Commitments tab. A file that fails here is named and left out.

use std::rc::Rc;

use super::pieces::{failure, scan_pieces};
use super::{Analysis, Progress, Stopped};
use crate::browser::pool::{Done, Pool};
use crate::browser::protocol::{Reply, Request};
use crate::engine::{Commitments, Piece, ScanKind};

/// What the commitments' scan gave: the sums, and per file left out, why.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommitmentsRead {
    /// The commitments of the files read.
    pub commitments: Commitments,
    /// One sentence per file left out.
    pub problems: Vec<String>,
}

/// Scans the pieces of the files `analysis` used for their commitments.
pub async fn scan_commitments(
    pool: &Pool,
    analysis: &Analysis,
    on_progress: Rc<dyn Fn(Progress)>,
    wanted: impl Fn() -> bool,
) -> Result<CommitmentsRead, Stopped> {
    let pool = &pool.in_new_group();
    let (pieces, state) = analysis.rescan();
    let request = |piece: &Piece| Request::Scan(piece.slice, ScanKind::Commitments);
    let replies = scan_pieces(
        pool,
        &analysis.chosen,
        &analysis.keys,
        &pieces,
        request,
        state,
        on_progress,
        None,
        |_, reply| async { reply },
    )
    .await;
    if !wanted() {
        return Err(Stopped::Cancelled);
    }
    let mut read = CommitmentsRead::default();
    let mut failed = vec![false; analysis.files.len()];
    let mut per_file: Vec<Commitments> = vec![Commitments::default(); analysis.files.len()];
    for (piece, reply) in pieces.iter().zip(replies) {
        match reply {
            Ok(Done { reply: Reply::Commitments(part), .. }) => per_file[piece.file].merge(&part),
            other => {
                let message = failure(other)?;
                if !failed[piece.file] {
                    failed[piece.file] = true;
                    read.problems.push(format!("{}: {message}", analysis.files[piece.file].name));
                }
            }
        }
    }
    for (commitments, _) in per_file.iter().zip(&failed).filter(|(_, failed)| !**failed) {
        read.commitments.merge(commitments);
    }
    Ok(read)
}
