//! The application state, shared by the components through context: the
//! signals (here), the life of an analysis (`lifecycle`), the saved settings
//! (`settings`) and the view kept in the URL and the history (`url`).

mod comparison;
mod detail;
mod latest;
mod lifecycle;
mod phases;
mod settings;
mod url;

use std::rc::Rc;

use leptos::prelude::*;

pub use self::comparison::Other;
pub use self::latest::Latest;
pub use self::phases::{ChecksStage, CommitmentsStage, InvoicesStage, Phase};
use crate::browser::analysis::{Analysis, Answered, Explored, Progress};
use crate::browser::pool::Pool;
use crate::browser::storage;
use crate::engine::question::Asked;
use crate::engine::tags::KeyShare;
use crate::engine::view::View;
use crate::engine::{AccountNames, CostReport, Cube, Detail, DetailScan, Tally, Workspaces, cost_report, priced_by};

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

/// Where the view's on-demand read stands: its detail (a tag, a cost
/// category, the resource) or, without one (`None`), its days.
#[derive(Debug, Clone, Default)]
pub enum DetailStage {
    /// None is read.
    #[default]
    None,
    /// Its scan (reading what the `DetailScan` says) is running.
    Reading(Option<Detail>, DetailScan, Progress),
    /// The cube read.
    Ready(Option<Detail>, DetailScan, Rc<Cube>),
    /// It could not be read; the text says why.
    Failed(Option<Detail>, DetailScan, String),
    /// Too many groups for a cube on the page: answered by the workers in
    /// parts, the largest groups shown (see `browser::analysis::answer_in_parts`).
    InParts(Option<Detail>, DetailScan, Rc<InParts>),
}

/// A question the workers answered in parts, with the parts kept to ask again.
#[derive(Debug, Clone)]
pub struct InParts {
    /// The question the answer is to.
    pub asked: Asked,
    /// The answer, and the parts.
    pub answered: Answered,
}

/// The tags, cost categories and resources the files offer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DetailKeys {
    /// User tag keys, the ones covering the most cost first.
    pub tags: Vec<KeyShare>,
    /// Cost category names, likewise.
    pub categories: Vec<KeyShare>,
    /// The details read from a column of their own (the resource, the
    /// commitment that paid a row) that some file has.
    pub fixed: Vec<Detail>,
    /// Whether the keys inside columns of pairs are still being looked for.
    pub finding: bool,
}

/// Everything the components share. `Copy`: every field is a handle.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The scan workers.
    pub pool: StoredValue<Pool, LocalStorage>,
    /// The latest analysis: a superseded (or cancelled) one drops its results.
    analysing: Latest,
    /// What the page is doing.
    pub status: RwSignal<Status>,
    /// The last finished analysis.
    pub analysis: RwSignal<Option<Rc<Analysis>>, LocalStorage>,
    /// The explorer's data.
    pub cube: RwSignal<Option<Rc<Cube>>, LocalStorage>,
    /// What the explorer's scan learned of each file (its time, any failure).
    pub explored: RwSignal<Rc<Explored>, LocalStorage>,
    /// Other files read to be set beside those in use.
    pub other: RwSignal<Other, LocalStorage>,
    /// The files' Savings Plans and reservations, read when first shown.
    pub commitments: RwSignal<CommitmentsStage, LocalStorage>,
    /// The latest commitments scan.
    reading_commitments: Latest,
    /// The check of each file in use, read when the Diagnostics tab is first shown.
    pub checks: RwSignal<ChecksStage, LocalStorage>,
    /// The latest check.
    reading_checks: Latest,
    /// The total per invoice, read when the reconciliation is first opened.
    pub invoices: RwSignal<InvoicesStage, LocalStorage>,
    /// The latest invoices scan.
    reading_invoices: Latest,
    /// The latest comparison: a newer choice drops an older one's result.
    comparing: Latest,
    /// Where the explorer's data stands.
    pub explorer: RwSignal<Explorer>,
    /// The dimension read on demand, and its cube.
    pub detail: RwSignal<DetailStage, LocalStorage>,
    /// The latest on-demand scan: a superseded one drops its result.
    reading_detail: Latest,
    /// The tags, cost categories and resources the files offer.
    pub detail_keys: RwSignal<DetailKeys>,
    /// Account names the files carry beside the ids (CUR 2.0, FOCUS).
    pub file_account_names: RwSignal<AccountNames>,
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
    /// When the page's warm-up finished (`performance.now()`), if it has.
    pub warmed_up: RwSignal<Option<f64>>,
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
        let state = AppState::new(Pool::for_this_machine(), workspaces, notice, view);
        url::follow(state.view);
        state
    }
}

impl AppState {
    /// A state of its own on `pool`, with the default settings and view, that
    /// neither reads nor writes the saved settings or the URL: the page's
    /// warm-up renders with it, out of sight.
    pub fn apart(pool: Pool) -> AppState {
        AppState::new(pool, Workspaces::default(), None, View::default())
    }

    fn new(pool: Pool, workspaces: Workspaces, notice: Option<String>, view: View) -> AppState {
        let analysis: RwSignal<Option<Rc<Analysis>>, LocalStorage> = RwSignal::new_local(None);
        let workspaces = RwSignal::new(workspaces);
        let view = RwSignal::new(view);
        let cube: RwSignal<Option<Rc<Cube>>, LocalStorage> = RwSignal::new_local(None);
        // The costs scan leaves out the list cost (the on-demand price of usage a
        // commitment paid): the explorer's cube brings it, once it is read.
        let priced: Memo<Option<Tally>> = Memo::new(move |_| {
            analysis.with(|a| {
                let a = a.as_ref()?;
                Some(cube.with(|c| c.as_ref().map_or_else(|| a.tally.clone(), |cube| priced_by(&a.tally, cube))))
            })
        });
        let report = Memo::new(move |_| {
            let files = analysis.with(|a| a.as_ref().map_or(0, |a| a.files_used()));
            let usage = view.with(|v| v.usage.clone());
            priced.with(|tally| {
                let tally = tally.as_ref().filter(|_| files > 0)?;
                Some(workspaces.with(|w| cost_report(tally, files, &w.current().discounts, &usage)))
            })
        });
        AppState {
            pool: StoredValue::new_local(pool),
            analysing: Latest::new(),
            status: RwSignal::new(Status::Idle),
            analysis,
            cube,
            explored: RwSignal::new_local(Rc::default()),
            other: RwSignal::new_local(Other::None),
            commitments: RwSignal::new_local(CommitmentsStage::NotRead),
            reading_commitments: Latest::new(),
            checks: RwSignal::new_local(ChecksStage::NotRead),
            reading_checks: Latest::new(),
            invoices: RwSignal::new_local(InvoicesStage::NotRead),
            reading_invoices: Latest::new(),
            comparing: Latest::new(),
            explorer: RwSignal::new(Explorer::Idle),
            detail: RwSignal::new_local(DetailStage::None),
            reading_detail: Latest::new(),
            detail_keys: RwSignal::new(DetailKeys::default()),
            file_account_names: RwSignal::new(AccountNames::new()),
            workspaces,
            settings_notice: RwSignal::new(notice),
            view,
            report,
            skipped: RwSignal::new(Vec::new()),
            warmed_up: RwSignal::new(None),
        }
    }

    /// Whether no analysis has started (nor been cancelled) on this state yet.
    pub fn untouched(self) -> bool {
        self.analysing.untouched()
    }
}

pub use crate::browser::now;
