//! The page: Leptos components, one concern per file. Components read the
//! application state and call the engine's pure functions (report, queries,
//! formatting, search, SQL); they never see Parquet, which only the scan workers
//! read.

mod charts;
mod combobox;
mod commitments;
mod costs;
mod diagnostics;
mod explorer;
mod exports;
mod file_picker;
mod file_problems;
mod files_in_use;
mod state;
mod status_bar;
mod tabs;
mod usage_setting;
mod warm_up;
mod workspaces;

use leptos::prelude::*;

pub use state::{AppState, Status};

use commitments::Commitments;
use costs::CostsPage;
use diagnostics::Diagnostics;
use explorer::Explorer;
use file_picker::FilePicker;
use file_problems::FileProblems;
use files_in_use::FilesInUse;
use status_bar::StatusBar;
use tabs::{TabPanel, Tabs};
use usage_setting::UsageSetting;
use workspaces::{WorkspaceManager, WorkspaceSwitcher};

use crate::engine::view::Tab;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::default();
    provide_context(state);
    warm_up::start(state);
    view! {
        <header class="masthead">
            <div class="masthead__top">
                <h1 class="masthead__title">"ducks"</h1>
                <WorkspaceSwitcher/>
            </div>
            <p class="masthead__lede">
                "AWS Cost and Usage Report analysis that runs in this tab. "
                <strong>"Your files never leave your computer"</strong>
                ": nothing is uploaded, and the page makes no requests while it reads them."
            </p>
        </header>
        <main class="page">
            <FilePicker/>
            <StatusBar/>
            <FileProblems/>
            <FilesInUse/>
            <Show when=move || state.analysis.with(Option::is_some)>
                <div class="toolbar">
                    <Tabs/>
                    <UsageSetting/>
                </div>
                <TabPanel tab=Tab::Costs>
                    <Show
                        when=move || state.report.with(Option::is_some)
                        fallback=|| view! { <p>"No costs to show: none of the files could be used."</p> }
                    >
                        <CostsPage/>
                    </Show>
                </TabPanel>
                <TabPanel tab=Tab::Explore>
                    <Explorer/>
                </TabPanel>
                <TabPanel tab=Tab::Commitments>
                    <Commitments/>
                </TabPanel>
                <TabPanel tab=Tab::Diagnostics>
                    <Diagnostics/>
                </TabPanel>
            </Show>
            <WorkspaceManager/>
        </main>
        <footer class="colophon">
            "Undiscounted cost: unblended cost of the line items counted as usage (by default, Usage); usage paid by Reserved Instances or Savings Plans carries no unblended cost and is left out unless counted at its on-demand price. "
            "Discounted cost: undiscounted × the service's multiplier (a new workspace has none: enter your own). "
            "Share paid after discounts (the brief's “blended discount rate”, not AWS's blended cost): discounted ÷ undiscounted."
        </footer>
    }
}

/// Mounts the page on `<body>`.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
