//! The phases read when first asked for, once per analysis: the commitments
//! (when the Commitments tab is first shown: most visits never open it, and
//! the scan reads columns of its own) and the check of each file (when the
//! Diagnostics tab is). A newer analysis drops an older one's result.

use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::AppState;
use super::latest::Latest;
use crate::browser::analysis::{
    Analysis, ChecksRead, CommitmentsRead, InvoicesRead, Progress, Stopped, scan_checks, scan_commitments,
    scan_invoices,
};
use crate::browser::pool::Pool;

/// Where a phase stands.
#[derive(Clone)]
pub enum Phase<T> {
    /// Not read for these files.
    NotRead,
    /// Being read.
    Reading(Progress),
    /// Read.
    Ready(Rc<T>),
    /// Could not be read: why.
    Failed(String),
}

/// Where the commitments stand.
pub type CommitmentsStage = Phase<CommitmentsRead>;

/// Where the check of the files stands.
pub type ChecksStage = Phase<ChecksRead>;

/// Where the total per invoice stands.
pub type InvoicesStage = Phase<InvoicesRead>;

impl AppState {
    /// Reads the commitments of the files in use, unless they are read or being read.
    pub fn ensure_commitments(self) {
        self.run_phase(self.commitments, self.reading_commitments, |pool, analysis, progress, wanted| async move {
            scan_commitments(&pool, &analysis, progress, move || wanted()).await
        });
    }

    /// Checks the files in use, unless they are checked or being checked.
    pub fn ensure_checks(self) {
        self.run_phase(self.checks, self.reading_checks, |pool, analysis, progress, wanted| async move {
            scan_checks(&pool, &analysis, progress, move || wanted()).await
        });
    }

    /// Reads the total per invoice of the files in use, unless it is read or being read.
    pub fn ensure_invoices(self) {
        self.run_phase(self.invoices, self.reading_invoices, |pool, analysis, progress, wanted| async move {
            scan_invoices(&pool, &analysis, progress, move || wanted()).await
        });
    }

    /// Runs `scan` for the files in use into `stage`, unless it holds them already.
    fn run_phase<T: 'static, F>(
        self,
        stage: RwSignal<Phase<T>, LocalStorage>,
        latest: Latest,
        scan: impl FnOnce(Pool, Rc<Analysis>, Rc<dyn Fn(Progress)>, Rc<dyn Fn() -> bool>) -> F + 'static,
    ) where
        F: Future<Output = Result<T, Stopped>> + 'static,
    {
        if !stage.with_untracked(|stage| matches!(stage, Phase::NotRead)) {
            return;
        }
        let Some(analysis) = self.analysis.get_untracked().filter(|a| a.files_used() > 0) else { return };
        let wanted = latest.start();
        stage.set(Phase::Reading(Progress::default()));
        let pool = self.pool.get_value();
        spawn_local(async move {
            let on_progress = Rc::new(move |progress| {
                if wanted() {
                    stage.set(Phase::Reading(progress));
                }
            });
            match scan(pool, analysis, on_progress, Rc::new(wanted)).await {
                Ok(read) if wanted() => stage.set(Phase::Ready(Rc::new(read))),
                Ok(_) | Err(Stopped::Cancelled) => {}
                Err(Stopped::Unavailable(problem)) if wanted() => stage.set(Phase::Failed(problem.to_string())),
                Err(Stopped::Unavailable(_)) => {}
            }
        });
    }

    /// Forgets the phases read for earlier files.
    pub(super) fn reset_phases(self) {
        self.reading_commitments.cancel();
        self.commitments.set(Phase::NotRead);
        self.reading_checks.cancel();
        self.checks.set(Phase::NotRead);
        self.reading_invoices.cancel();
        self.invoices.set(Phase::NotRead);
    }
}
