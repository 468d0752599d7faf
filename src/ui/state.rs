//! The application state, shared by the components through context.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::analysis::{Analysis, Progress, Stopped, analyse};
use crate::browser::files::Chosen;
use crate::browser::pool::Pool;
use crate::browser::storage;
use crate::engine::{CostReport, Discounts, UsageRule, cost_report};

/// What the page is doing.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Waiting for files.
    Idle,
    /// Reading files.
    Loading {
        /// How far it has come.
        progress: Progress,
        /// `performance.now()` when the files were chosen.
        started: f64,
    },
    /// Figures are shown.
    Done {
        /// Milliseconds from the files being chosen to the figures being shown.
        ms: f64,
        /// Files read.
        files: usize,
        /// Rows read.
        rows: u64,
        /// The largest wasm memory of a scan worker so far, in bytes.
        worker_memory: u64,
    },
    /// Nothing could be shown; the text says why.
    Error(String),
}

/// Everything the components share. `Copy`: every field is a handle.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The scan workers.
    pub pool: StoredValue<Pool, LocalStorage>,
    /// Counts analyses started (and cancels), so a superseded one drops its results.
    generation: StoredValue<u64>,
    /// What the page is doing.
    pub status: RwSignal<Status>,
    /// The last finished analysis.
    pub analysis: RwSignal<Option<Rc<Analysis>>, LocalStorage>,
    /// The discount table in use (saved in the browser).
    pub discounts: RwSignal<Discounts>,
    /// A notice about settings (a saved table that had to be ignored, a failed save).
    pub settings_notice: RwSignal<Option<String>>,
    /// The service picked in the search box.
    pub selected: RwSignal<Option<String>>,
    /// The figures, recomputed from the analysis whenever the discounts change.
    pub report: Memo<Option<CostReport>>,
}

impl Default for AppState {
    /// Starts the workers and reads the saved settings.
    fn default() -> AppState {
        let (discounts, notice) = storage::load_discounts();
        let analysis: RwSignal<Option<Rc<Analysis>>, LocalStorage> = RwSignal::new_local(None);
        let discounts = RwSignal::new(discounts);
        let report = Memo::new(move |_| {
            analysis.with(|analysis| {
                analysis.as_ref().filter(|a| a.files_used() > 0).map(|a| {
                    discounts.with(|discounts| cost_report(&a.tally, a.files_used(), discounts, &UsageRule::default()))
                })
            })
        });
        AppState {
            pool: StoredValue::new_local(Pool::for_this_machine()),
            generation: StoredValue::new(0),
            status: RwSignal::new(Status::Idle),
            analysis,
            discounts,
            settings_notice: RwSignal::new(notice),
            selected: RwSignal::new(None),
            report,
        }
    }
}

impl AppState {
    /// Analyses `files`, chosen at `started` (`performance.now()`), replacing any
    /// analysis under way.
    pub fn analyse(self, files: Vec<Chosen>, started: f64) {
        if files.is_empty() {
            self.status.set(Status::Error("No Parquet files were found in what was dropped.".into()));
            return;
        }
        let pool = self.pool.get_value();
        pool.cancel_all();
        let generation = self.next_generation();
        let wanted = move || self.generation.get_value() == generation;
        self.status.set(Status::Loading { progress: Progress { files: files.len(), ..Progress::default() }, started });
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
                Ok(analysis) if wanted() => self.show(analysis, started),
                Ok(_) => {}
                // A newer analysis (or the Cancel button) has taken over the status.
                Err(Stopped::Cancelled) => {}
                Err(Stopped::Unavailable(problem)) => self.status.set(Status::Error(problem)),
            }
        });
    }

    fn show(self, analysis: Analysis, started: f64) {
        let used = analysis.files_used();
        let rows = analysis.tally.rows;
        let keep_selection = self
            .selected
            .with_untracked(|s| s.as_ref().is_some_and(|s| analysis.tally.cells().any(|(_, name, _)| name == s)));
        if !keep_selection {
            self.selected.set(None);
        }
        self.analysis.set(Some(Rc::new(analysis)));
        if used == 0 {
            self.status.set(Status::Error("None of the files could be used; see why below.".into()));
            return;
        }
        // Measured once the browser has painted the figures, not when they were computed.
        let status = self.status;
        let worker_memory = self.pool.get_value().peak_memory();
        request_animation_frame(move || {
            let ms = now() - started;
            status.set(Status::Done { ms, files: used, rows, worker_memory });
        });
    }

    /// Stops the analysis under way.
    pub fn cancel(self) {
        self.next_generation();
        self.pool.get_value().cancel_all();
        self.status.set(Status::Idle);
    }

    fn next_generation(self) -> u64 {
        self.generation.update_value(|generation| *generation += 1);
        self.generation.get_value()
    }

    /// Uses and saves a new discount table.
    pub fn set_discounts(self, discounts: Discounts) {
        self.settings_notice.set(storage::save_discounts(&discounts).err());
        self.discounts.set(discounts);
    }

    /// Goes back to the default discount table.
    pub fn restore_default_discounts(self) {
        storage::forget_discounts();
        self.settings_notice.set(None);
        self.discounts.set(Discounts::default());
    }
}

/// `performance.now()`: milliseconds since the page started.
pub fn now() -> f64 {
    web_sys::window().and_then(|window| window.performance()).map_or(0.0, |performance| performance.now())
}
