//! The commitments' life: read once per analysis, when the Commitments tab is
//! first shown (most visits never open it, and the scan reads columns of its
//! own), a newer analysis dropping an older one's result.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::AppState;
use crate::browser::analysis::{CommitmentsRead, Progress, Stopped, scan_commitments};

/// Where the commitments stand.
#[derive(Clone, Default)]
pub enum CommitmentsStage {
    /// Not read for these files.
    #[default]
    NotRead,
    /// Being read.
    Reading(Progress),
    /// Read.
    Ready(Rc<CommitmentsRead>),
    /// Could not be read: why.
    Failed(String),
}

impl AppState {
    /// Reads the commitments of the files in use, unless they are read or being read.
    pub fn ensure_commitments(self) {
        if !self.commitments.with_untracked(|stage| matches!(stage, CommitmentsStage::NotRead)) {
            return;
        }
        let Some(analysis) = self.analysis.get_untracked().filter(|a| a.files_used() > 0) else { return };
        let wanted = self.reading_commitments.start();
        let stage = self.commitments;
        stage.set(CommitmentsStage::Reading(Progress::default()));
        let pool = self.pool.get_value();
        spawn_local(async move {
            let on_progress = Rc::new(move |progress| {
                if wanted() {
                    stage.set(CommitmentsStage::Reading(progress));
                }
            });
            match scan_commitments(&pool, &analysis, on_progress, wanted).await {
                Ok(read) if wanted() => stage.set(CommitmentsStage::Ready(Rc::new(read))),
                Ok(_) | Err(Stopped::Cancelled) => {}
                Err(Stopped::Unavailable(problem)) if wanted() => {
                    stage.set(CommitmentsStage::Failed(problem.to_string()))
                }
                Err(Stopped::Unavailable(_)) => {}
            }
        });
    }

    /// Forgets the commitments read for earlier files.
    pub(super) fn reset_commitments(self) {
        self.reading_commitments.cancel();
        self.commitments.set(CommitmentsStage::NotRead);
    }
}
