//! The costs page, a room of its own like the explorer: pick a service, read
//! its figures, the totals and what they leave out, the table of every
//! service, the reconciliation, other files side by side, the discounts, and
//! the exports; one component per file.

use leptos::prelude::*;

mod comparison;
mod coverage;
mod discounts_editor;
mod left_out;
mod reconciliation;
mod service_detail;
mod service_search;
mod services_table;
mod totals;

use self::comparison::Comparison;
use self::coverage::Coverage;
use self::discounts_editor::DiscountsEditor;
use self::left_out::LeftOut;
use self::reconciliation::Reconciliation;
use self::service_detail::ServiceDetail;
use self::service_search::ServiceSearch;
use self::services_table::ServicesTable;
use self::totals::Totals;
use super::exports::{Export, Exports};
use super::state::AppState;
use crate::engine::sql::costs_sql;
use crate::engine::table::{Cell, csv_noted};

/// Shown once a report exists.
#[component]
pub fn CostsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let export = Export {
        name: Signal::derive(|| "ducks-costs".to_owned()),
        csv: Signal::derive(move || {
            let services = state.report.with(|r| r.as_ref().map(|r| r.services.clone()).unwrap_or_default());
            // What the figures are of: the usage rule and whose discounts.
            let link = state.view.with(|v| v.to_query_string());
            let notes = [
                "ducks: costs by service (undiscounted: unblended cost of the rows counted as usage)".to_owned(),
                format!("view (usage rule): ?{link}"),
                format!("discounts: {}", state.discounts().describe()),
            ];
            csv_noted(
                &notes,
                &["service", "currency", "undiscounted", "multiplier", "discounted", "rate"],
                services.into_iter().map(|s| {
                    vec![
                        Cell::Text(s.service),
                        Cell::Text(s.currency),
                        Cell::Number(s.undiscounted),
                        Cell::Number(s.multiplier),
                        Cell::Number(s.discounted),
                        Cell::Number(s.rate),
                    ]
                }),
            )
        }),
        json: Signal::derive(move || state.report.with(|r| serde_json::to_string_pretty(r).unwrap_or_default())),
        sql: Callback::new(move |dialect| {
            let analysis = state.analysis.get()?;
            let outline = analysis.outlines().next()?.clone();
            Some(state.view.with(|v| costs_sql(&outline, &v.usage, &state.discounts(), dialect)))
        }),
    };
    view! {
        <div class="costs">
            <div class="costs__top">
                <div class="costs__pick">
                    <ServiceSearch/>
                    <ServiceDetail/>
                </div>
                <div class="costs__summary">
                    <Totals/>
                    <LeftOut/>
                    <Coverage/>
                </div>
            </div>
            <ServicesTable/>
            <Reconciliation/>
            <Comparison/>
            <DiscountsEditor/>
            <Exports export=export/>
        </div>
    }
}
