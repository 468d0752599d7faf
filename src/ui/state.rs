//! The application state, shared by the components through context.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::analysis::{Analysis, Progress, Stopped, analyse, explore};
use crate::browser::files::Picked;
use crate::browser::pool::Pool;
use crate::browser::storage;
use crate::engine::view::View;
use crate::engine::{CostReport, Cube, Discounts, UsageRule, Workspace, Workspaces, cost_report};

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

/// Where the explorer's data stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Explorer {
    /// No files yet.
    Idle,
    /// The second scan is running.
    Building(Progress),
    /// The cube is ready.
    Ready,
    /// It could not be built; the text says why.
    Failed(String),
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
    /// The explorer's data.
    pub cube: RwSignal<Option<Rc<Cube>>, LocalStorage>,
    /// Where the explorer's data stands.
    pub explorer: RwSignal<Explorer>,
    /// The workspaces (discount table, usage rule, recent files), saved in the browser.
    pub workspaces: RwSignal<Workspaces>,
    /// A notice about settings (ignored saved settings, a failed save).
    pub settings_notice: RwSignal<Option<String>>,
    /// What the page shows, mirrored in the URL.
    pub view: RwSignal<View>,
    /// The costs page's figures, recomputed when discounts or the usage rule change.
    pub report: Memo<Option<CostReport>>,
    /// The files of dropped or picked folders that were left out, and why.
    pub skipped: RwSignal<Vec<String>>,
}

impl Default for AppState {
    /// Starts the workers, reads the saved settings and the link's view.
    fn default() -> AppState {
        let (workspaces, notice) = storage::load_workspaces();
        let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
        let mut view = View::from_query_string(&search);
        if !search.contains("usage=") && !search.contains("type=") {
            view.usage = workspaces.current().usage.clone();
        }
        let analysis: RwSignal<Option<Rc<Analysis>>, LocalStorage> = RwSignal::new_local(None);
        let workspaces = RwSignal::new(workspaces);
        let view = RwSignal::new(view);
        let report = Memo::new(move |_| {
            analysis.with(|analysis| {
                let analysis = analysis.as_ref().filter(|a| a.files_used() > 0)?;
                let usage = view.with(|v| v.usage.clone());
                Some(
                    workspaces
                        .with(|w| cost_report(&analysis.tally, analysis.files_used(), &w.current().discounts, &usage)),
                )
            })
        });
        // The view lives in the URL, so a link reopens it (once the files are dropped
        // again), and each change of it is a history entry: Back goes to the tab or
        // the drill-down before, not away from the page.
        let restoring = StoredValue::new(false);
        Effect::new(move |previous: Option<String>| {
            let query = view.with(View::to_query_string);
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let url = if query.is_empty() { "?".to_owned() } else { format!("?{query}") };
                let null = wasm_bindgen::JsValue::NULL;
                let _ = match previous {
                    // The first view, and one Back or Forward brought: the entry is already there.
                    None => history.replace_state_with_url(&null, "", Some(&url)),
                    Some(_) if restoring.get_value() => Ok(()),
                    Some(previous) if previous != query => history.push_state_with_url(&null, "", Some(&url)),
                    Some(_) => Ok(()),
                };
            }
            restoring.set_value(false);
            query
        });
        if let Some(window) = web_sys::window() {
            let on_pop = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
                let restored = View::from_query_string(&search);
                // Only a real change re-runs the effect, which clears the flag.
                if restored.to_query_string() != view.with_untracked(View::to_query_string) {
                    restoring.set_value(true);
                    view.set(restored);
                }
            });
            window.set_onpopstate(Some(wasm_bindgen::JsCast::unchecked_ref(on_pop.as_ref())));
            // The page lives as long as the window.
            on_pop.forget();
        }
        AppState {
            pool: StoredValue::new_local(Pool::for_this_machine()),
            generation: StoredValue::new(0),
            status: RwSignal::new(Status::Idle),
            analysis,
            cube: RwSignal::new_local(None),
            explorer: RwSignal::new(Explorer::Idle),
            workspaces,
            settings_notice: RwSignal::new(notice),
            view,
            report,
            skipped: RwSignal::new(Vec::new()),
        }
    }
}

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
        let generation = self.next_generation();
        let wanted = move || self.generation.get_value() == generation;
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
                    self.show(analysis.clone(), started);
                    self.build_explorer(pool, analysis, wanted).await;
                }
                Ok(_) => {}
                // A newer analysis (or the Cancel button) has taken over the status.
                Err(Stopped::Cancelled) => {}
                Err(Stopped::Unavailable(problem)) => self.status.set(Status::Error(problem)),
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
            return;
        }
        self.analyse(Picked { files, skipped: Vec::new() }, started);
    }

    fn show(self, analysis: Analysis, started: f64) {
        let used = analysis.files_used();
        let rows = analysis.tally.rows;
        let names: Vec<String> = analysis.files.iter().map(|f| f.name.clone()).collect();
        self.update_workspaces(|w| {
            w.remember_files(names.iter().map(String::as_str));
            Ok(())
        });
        self.cube.set(None);
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

    /// The second scan, for the explorer, while the costs page is shown.
    async fn build_explorer(self, pool: Pool, mut analysis: Analysis, wanted: impl Fn() -> bool) {
        if analysis.files_used() == 0 {
            return;
        }
        let explorer = self.explorer;
        explorer.set(Explorer::Building(Progress::default()));
        let on_progress = Rc::new(move |progress: Progress| explorer.set(Explorer::Building(progress)));
        match explore(&pool, &mut analysis, on_progress, &wanted).await {
            Ok(cube) if wanted() => {
                let problems = analysis.explore_problems();
                let all_failed = problems.len() == analysis.files_used();
                self.cube.set(Some(Rc::new(cube)));
                self.analysis.set(Some(Rc::new(analysis)));
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
            }
            Ok(_) | Err(Stopped::Cancelled) => {}
            Err(Stopped::Unavailable(problem)) => explorer.set(Explorer::Failed(problem)),
        }
    }

    /// Stops the analysis under way.
    pub fn cancel(self) {
        self.next_generation();
        self.pool.get_value().cancel_all();
        self.status.set(Status::Idle);
        self.explorer.update(|explorer| {
            if matches!(explorer, Explorer::Building(_)) {
                *explorer = Explorer::Idle;
            }
        });
    }

    fn next_generation(self) -> u64 {
        self.generation.update_value(|generation| *generation += 1);
        self.generation.get_value()
    }

    /// The discount table of the current workspace.
    pub fn discounts(self) -> Discounts {
        self.workspaces.with(|w| w.current().discounts.clone())
    }

    /// Changes the workspaces and saves them; a refused change is shown as a notice
    /// and changes nothing.
    pub fn update_workspaces(self, change: impl FnOnce(&mut Workspaces) -> crate::engine::Result<()>) -> bool {
        let mut workspaces = self.workspaces.get_untracked();
        if let Err(error) = change(&mut workspaces) {
            self.settings_notice.set(Some(error.to_string()));
            return false;
        }
        self.settings_notice.set(storage::save_workspaces(&workspaces).err().map(|error| error.to_string()));
        self.workspaces.set(workspaces);
        true
    }

    /// Uses and saves a new discount table in the current workspace.
    pub fn set_discounts(self, discounts: Discounts) {
        self.update_workspaces(|w| {
            w.current_mut().discounts = discounts;
            Ok(())
        });
    }

    /// Uses and saves a usage rule (in the view and the current workspace).
    pub fn set_usage(self, usage: UsageRule) {
        self.view.update(|view| view.usage = usage.clone());
        self.update_workspaces(|w| {
            w.current_mut().usage = usage;
            Ok(())
        });
    }

    /// Switches to workspace `index`, taking its usage rule.
    pub fn switch_workspace(self, index: usize) {
        if self.update_workspaces(|w| w.switch(index)) {
            let usage = self.workspaces.with_untracked(|w| w.current().usage.clone());
            self.view.update(|view| view.usage = usage);
        }
    }

    /// Adds a workspace with default settings and switches to it.
    pub fn add_workspace(self, name: &str) -> bool {
        let added = self.update_workspaces(|w| w.add(Workspace::new(name)));
        if added {
            self.view.update(|view| view.usage = UsageRule::default());
        }
        added
    }
}

/// `performance.now()`: milliseconds since the page started.
pub fn now() -> f64 {
    web_sys::window().and_then(|window| window.performance()).map_or(0.0, |performance| performance.now())
}
