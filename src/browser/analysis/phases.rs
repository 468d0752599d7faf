//! The phases read when a person asks for them, each a scan of the files in
//! use for columns of its own: the commitments (when the Commitments tab is
//! opened), the check of each file (when the Diagnostics tab is) and the
//! total per invoice (when the reconciliation is). A file
//! that fails in a phase is named and left out of it.

use std::rc::Rc;

use super::pieces::{failure, scan_pieces};
use super::{Analysis, Progress, Stopped};
use crate::browser::pool::{Done, Pool};
use crate::browser::protocol::{Reply, Request};
use crate::engine::check::{FileCheck, check_file};
use crate::engine::invoices::{InvoiceRow, invoice_report};
use crate::engine::{Commitments, Findings, Invoices, Piece, ScanKind};

/// What the commitments' scan gave: the sums, and per file left out, why.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommitmentsRead {
    /// The commitments of the files read.
    pub commitments: Commitments,
    /// One sentence per file left out.
    pub problems: Vec<String>,
}

/// What the check gave: per file read, its name and what it gets wrong; per
/// file left out, why.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChecksRead {
    /// Each file checked, by name.
    pub files: Vec<(String, FileCheck)>,
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
    let request = |piece: &Piece| Request::Scan(piece.slice, ScanKind::Commitments);
    let (per_file, problems) =
        scan_each_file(pool, analysis, request, commitments_of, Commitments::merge, on_progress, wanted).await?;
    Ok(CommitmentsRead { commitments: merged(&per_file, Commitments::merge), problems })
}

/// Scans the files `analysis` used for the commitments once more, with the
/// resources the commitment `arn` paid (`CommitmentRow::resources`).
pub async fn scan_paid(
    pool: &Pool,
    analysis: &Analysis,
    arn: String,
    on_progress: Rc<dyn Fn(Progress)>,
    wanted: impl Fn() -> bool,
) -> Result<CommitmentsRead, Stopped> {
    let request = |piece: &Piece| Request::Paid(piece.slice, arn.clone());
    let (per_file, problems) =
        scan_each_file(pool, analysis, request, commitments_of, Commitments::merge, on_progress, wanted).await?;
    Ok(CommitmentsRead { commitments: merged(&per_file, Commitments::merge), problems })
}

/// A reply's commitments, or the reply.
fn commitments_of(reply: Reply) -> Result<Commitments, Reply> {
    match reply {
        Reply::Commitments(part) => Ok(part),
        other => Err(other),
    }
}

/// The files read, together.
fn merged<T: Default>(per_file: &[Option<T>], merge: fn(&mut T, &T)) -> T {
    let mut all = T::default();
    for part in per_file.iter().flatten() {
        merge(&mut all, part);
    }
    all
}

/// What the invoices' scan gave: the files' total per invoice, and per file
/// left out, why.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InvoicesRead {
    /// Per invoice, issuer, billing period and currency.
    pub invoices: Vec<InvoiceRow>,
    /// One sentence per file left out.
    pub problems: Vec<String>,
}

/// The total per invoice of the files `analysis` used.
pub async fn scan_invoices(
    pool: &Pool,
    analysis: &Analysis,
    on_progress: Rc<dyn Fn(Progress)>,
    wanted: impl Fn() -> bool,
) -> Result<InvoicesRead, Stopped> {
    let request = |piece: &Piece| Request::Scan(piece.slice, ScanKind::Invoices);
    let take = |reply| match reply {
        Reply::Invoices(part) => Ok(part),
        other => Err(other),
    };
    let (per_file, problems) =
        scan_each_file(pool, analysis, request, take, Invoices::merge, on_progress, wanted).await?;
    Ok(InvoicesRead { invoices: invoice_report(&merged(&per_file, Invoices::merge)), problems })
}

/// Checks the files `analysis` used (`ducks check`'s rules).
pub async fn scan_checks(
    pool: &Pool,
    analysis: &Analysis,
    on_progress: Rc<dyn Fn(Progress)>,
    wanted: impl Fn() -> bool,
) -> Result<ChecksRead, Stopped> {
    let take = |reply| match reply {
        Reply::Check(part) => Ok(part),
        other => Err(other),
    };
    let request = |piece: &Piece| Request::Scan(piece.slice, ScanKind::Check);
    let (per_file, problems) =
        scan_each_file(pool, analysis, request, take, Findings::merge, on_progress, wanted).await?;
    let files = analysis
        .files
        .iter()
        .zip(per_file)
        .filter_map(|(file, found)| Some((file.name.clone(), check_file(file.result.as_ref().ok()?, &found?))))
        .collect();
    Ok(ChecksRead { files, problems })
}

/// Scans every piece of the files in use with `request`, each reply's part
/// (`take`, which gives back a reply of another kind) merged into its file's: per file its merged parts (`None` for a
/// file that failed or was not in use), and one sentence per file that failed.
async fn scan_each_file<T: Default + Clone>(
    pool: &Pool,
    analysis: &Analysis,
    request: impl Fn(&Piece) -> Request,
    take: impl Fn(Reply) -> Result<T, Reply>,
    merge: fn(&mut T, &T),
    on_progress: Rc<dyn Fn(Progress)>,
    wanted: impl Fn() -> bool,
) -> Result<(Vec<Option<T>>, Vec<String>), Stopped> {
    let pool = &pool.in_new_group();
    let (pieces, state) = analysis.rescan();
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
    let mut problems = Vec::new();
    let mut per_file: Vec<Option<T>> = vec![None; analysis.files.len()];
    let mut failed = vec![false; analysis.files.len()];
    for (piece, reply) in pieces.iter().zip(replies) {
        let part = match reply {
            Ok(Done { reply, elapsed }) => take(reply).map_err(|reply| Ok(Done { reply, elapsed })),
            other => Err(other),
        };
        match part {
            Ok(part) => merge(per_file[piece.file].get_or_insert_with(T::default), &part),
            Err(other) => {
                let message = failure(other)?;
                if !failed[piece.file] {
                    failed[piece.file] = true;
                    problems.push(format!("{}: {message}", analysis.files[piece.file].name));
                }
            }
        }
    }
    for (file, failed) in per_file.iter_mut().zip(failed) {
        if failed {
            *file = None;
        }
    }
    Ok((per_file, problems))
}
