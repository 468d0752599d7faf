//! The page: Leptos components, one concern per file. Components read the
//! application state and call the engine's pure functions (report, formatting,
//! search); they never see Parquet, which only the scan workers read.

mod costs_page;
mod discounts_editor;
mod file_picker;
mod file_problems;
mod service_detail;
mod service_search;
mod services_table;
mod state;
mod status_bar;
mod totals;

use leptos::prelude::*;

pub use state::{AppState, Status};

use costs_page::CostsPage;
use file_picker::FilePicker;
use file_problems::FileProblems;
use status_bar::StatusBar;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::default();
    provide_context(state);
    view! {
        <header class="masthead">
            <h1 class="masthead__title">"ducks"</h1>
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
            <Show when=move || state.report.with(Option::is_some)>
                <CostsPage/>
            </Show>
        </main>
        <footer class="colophon">
            "Undiscounted cost: unblended cost of Usage line items. Discounted cost: undiscounted × the service's multiplier. "
            "Blended discount rate: discounted ÷ undiscounted."
        </footer>
    }
}

/// Mounts the page on `<body>`.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
