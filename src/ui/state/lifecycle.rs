//! The life of an analysis: files in (chosen, added, removed), the costs scan,
//! the figures shown, the explorer's scan after it, and Cancel.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{AppState, Explorer, Status, now};
use crate::browser::analysis::{Analysis, Progress, Stopped, analyse, explore};
use crate::browser::files::Picked;
use crate::browser::pool::Pool;

impl AppState {
    /// Analyses `files`, chosen at `started` (`performance.now()`), replacing any
    /// analysis under way.
    pub fn analyse(self, picked: Picked, started: f64) {
        let Picked { files, skipped } = picked;
        self.skipped.set(skipped);
        if files.is_empty() {
            self.status.set(Status::Error(
                "No data files (Parquet, CSV, .csv.gz or .csv.zip) were found in what was chosen.".into(),
            ));
            return;
        }
        let pool = self.pool.get_value();
        pool.cancel_queued();
        let wanted = self.analysing.start();
        self.status.set(Status::Loading { progress: Progress { files: files.len(), ..Progress::default() }, started });
        self.explorer.set(Explorer::Idle);
        let status = self.status;
        let on_progress = Rc::new(move |progress: Progress| {
            status.update(|status| {
                if let Status::Loading { progress: shown, .. } = status {
                    *shown = progress;
                }
            })
        });
        spawn_local(async move {
            match analyse(&pool, files, on_progress, wanted).await {
                Ok(analysis) if wanted() => {
                    let analysis = self.show(analysis, started);
                    self.build_explorer(pool, analysis, wanted).await;
                }
                Ok(_) => {}
                // A newer analysis (or the Cancel button) has taken over the status.
                Err(Stopped::Cancelled) => {}
                Err(Stopped::Unavailable(problem)) => self.status.set(Status::Error(problem.to_string())),
            }
        });
    }

    /// Adds `picked` to the files in use (rather than replacing them) and reads them all.
    pub fn add(self, picked: Picked, started: f64) {
        let current = self.analysis.with_untracked(|a| a.as_ref().map(|a| a.chosen().to_vec()).unwrap_or_default());
        let files = crate::browser::files::merged(&current, picked.files);
        self.analyse(Picked { files, skipped: picked.skipped }, started);
    }

    /// Reads the files in use without the one at `index`; with none left, the page starts over.
    pub fn remove(self, index: usize, started: f64) {
        let mut files = self.analysis.with_untracked(|a| a.as_ref().map(|a| a.chosen().to_vec()).unwrap_or_default());
        if index < files.len() {
            files.remove(index);
        }
        if files.is_empty() {
            self.cancel();
            self.analysis.set(None);
            self.cube.set(None);
            self.reset_detail();
            self.reset_phases();
            return;
        }
        self.analyse(Picked { files, skipped: Vec::new() }, started);
    }

    /// Shows the costs of `analysis`, set once here (the explorer's scan keeps
    /// what it learns beside it); returns it for the explorer's scan.
    fn show(self, analysis: Analysis, started: f64) -> Rc<Analysis> {
        let used = analysis.files_used();
        let rows = analysis.tally.rows;
        let names: Vec<String> = analysis.files.iter().map(|f| f.name.clone()).collect();
        self.update_workspaces(|w| {
            w.remember_files(names.iter().map(String::as_str));
            Ok(())
        });
        // The link names the files its view was made on.
        let used_names: Vec<String> =
            analysis.files.iter().filter(|f| f.result.is_ok()).map(|f| f.name.clone()).collect();
        self.view.update(|view| view.files = used_names);
        self.cube.set(None);
        self.explored.set(Rc::default());
        self.reset_detail();
        self.reset_phases();
        let analysis = Rc::new(analysis);
        self.analysis.set(Some(Rc::clone(&analysis)));
        if used == 0 {
            self.status.set(Status::Error("None of the files could be used; see why below.".into()));
            return analysis;
        }
        // Measured once the browser has painted the figures, not when they were computed.
        let status = self.status;
        let worker_memory = self.pool.get_value().peak_memory();
        request_animation_frame(move || {
            let ms = now() - started;
            status.set(Status::Done { ms, files: used, rows, worker_memory });
        });
        analysis
    }

    /// The second scan, for the explorer, while the costs page is shown.
    async fn build_explorer(self, pool: Pool, analysis: Rc<Analysis>, wanted: impl Fn() -> bool) {
        if analysis.files_used() == 0 {
            return;
        }
        let explorer = self.explorer;
        explorer.set(Explorer::Building(Progress::default()));
        let on_progress = Rc::new(move |progress: Progress| explorer.set(Explorer::Building(progress)));
        match explore(&pool, &analysis, on_progress, &wanted).await {
            Ok((cube, explored)) if wanted() => {
                let problems = explored.problems(&analysis);
                let all_failed = problems.len() == analysis.files_used();
                self.cube.set(Some(Rc::new(cube)));
                self.explored.set(Rc::new(explored));
                explorer.set(if all_failed {
                    Explorer::Failed(format!("The explorer could not be built. {}", problems.join(" ")))
                } else {
                    Explorer::Ready
                });
                // The pool's peak memory now includes the explorer's scan.
                self.status.update(|status| {
                    if let Status::Done { worker_memory, .. } = status {
                        *worker_memory = pool.peak_memory();
                    }
                });
                if !all_failed {
                    // A link's tag, then the keys the files offer.
                    self.ensure_detail();
                    self.find_detail_keys(&pool, &analysis, &wanted).await;
                }
            }
            Ok(_) | Err(Stopped::Cancelled) => {}
            Err(Stopped::Unavailable(problem)) => explorer.set(Explorer::Failed(problem.to_string())),
        }
    }

    /// Stops the analysis under way.
    pub fn cancel(self) {
        self.analysing.cancel();
        self.pool.get_value().cancel_all();
        self.status.set(Status::Idle);
        self.explorer.update(|explorer| {
            if matches!(explorer, Explorer::Building(_)) {
                *explorer = Explorer::Idle;
            }
        });
        // Phases being read start again when next shown.
        if self.commitments.with_untracked(|stage| matches!(stage, super::Phase::Reading(_)))
            || self.checks.with_untracked(|stage| matches!(stage, super::Phase::Reading(_)))
            || self.invoices.with_untracked(|stage| matches!(stage, super::Phase::Reading(_)))
        {
            self.reset_phases();
        }
    }
}
