//! The costs page: pick a service, read its figures, the totals and the table of
//! every service, adjust the discounts, take the figures elsewhere.

use leptos::prelude::*;

use super::comparison::Comparison;
use super::coverage::Coverage;
use super::discounts_editor::DiscountsEditor;
use super::exports::{Export, Exports};
use super::left_out::LeftOut;
use super::reconciliation::Reconciliation;
use super::service_detail::ServiceDetail;
use super::service_search::ServiceSearch;
use super::services_table::ServicesTable;
use super::state::AppState;
use super::totals::Totals;
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
