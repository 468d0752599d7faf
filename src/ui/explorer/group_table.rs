//! The groups as a table, each a way in (drill down).

use leptos::prelude::*;

use super::super::state::AppState;
use crate::browser::intl::{figure, money};
use crate::engine::format;
use crate::engine::query::{Group, Grouped};
use crate::engine::{Dimension, Measure};

/// Groups shown as rows: a resource or tag can have hundreds of thousands, and
/// a row each would stall the page (the exports carry them all).
const TABLE_ROWS: usize = 2_000;

/// One group as a row: its label (a way in: drill down), its figure, its
/// share of its currency's total `all`, its rows.
pub(super) fn group_row(state: AppState, by: Dimension, g: Group, all: f64, measure: Measure) -> impl IntoView {
    let key = g.key.clone();
    let share = if all != 0.0 { g.cost / all * 100.0 } else { 0.0 };
    view! {
        <tr data-key=g.key.clone() data-cost=g.cost.to_string() data-currency=g.currency.clone()>
            <th scope="row">
                <button
                    class="link"
                    type="button"
                    title="Look inside"
                    on:click=move |_| state.view.update(|v| *v = v.drilled(&key))
                >
                    {state.shown_label(by, &g.key)}
                </button>
            </th>
            <td class="numeric">{figure(g.cost, &g.currency, measure)}</td>
            <td class="numeric">{format!("{share:.1}%")}</td>
            <td class="numeric">{format::count(g.rows)}</td>
        </tr>
    }
}

/// The groups as a table, the largest first; a group can be drilled into.
#[component]
pub(super) fn GroupTable(grouped: Memo<Grouped>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let measure = move || state.view.with(|v| v.query.measure);
    // Amounts in different currencies (quantities in different units) are never added: one total for each.
    let data_total = move || grouped.with(|g| g.total().map(|t| t.to_string()).unwrap_or_default());
    let in_all = move || {
        grouped.with(|g| {
            let sums: Vec<String> = g.totals.iter().map(|t| figure(t.cost, &t.currency, measure())).collect();
            let sums = if sums.is_empty() { money(0.0, crate::engine::ASSUMED_CURRENCY) } else { sums.join(" and ") };
            let groups = if g.groups.len() == 1 { "1 group".to_owned() } else { format!("{} groups", g.groups.len()) };
            format!("{groups}, {sums} in all")
        })
    };
    view! {
        <div class="table-wrap">
            <table class="services" data-testid="explore-table" data-total=data_total>
                <caption class="services__caption">{in_all}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || state.view.with(|v| v.dimension_label(v.query.group_by))}</th>
                        <th scope="col" class="numeric">{move || if measure().is_money() { "Cost" } else { "Quantity" }}</th>
                        <th scope="col" class="numeric">"Share"</th>
                        <th scope="col" class="numeric">"Rows"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let grouped = grouped.get();
                        let measure = measure();
                        let total_of = |currency: &str| {
                            grouped.totals.iter().find(|t| t.currency == currency).map_or(0.0, |t| t.cost)
                        };
                        let rows: Vec<_> = grouped
                            .groups
                            .iter()
                            .take(TABLE_ROWS)
                            .map(|g| (g.clone(), total_of(&g.currency)))
                            .collect();
                        let by = state.view.with_untracked(|v| v.query.group_by);
                        rows.into_iter().map(|(g, all)| group_row(state, by, g, all, measure)).collect_view()
                    }}
                </tbody>
            </table>
            {move || {
                let more = grouped.with(|g| g.groups.len().saturating_sub(TABLE_ROWS));
                (more > 0).then(|| view! {
                    <p class="explorer__wait" data-testid="explore-table-more">
                        {format!(
                            "Showing the first {TABLE_ROWS} groups; {} more are in the exports (or narrow the view with a filter).",
                            format::count(more as u64)
                        )}
                    </p>
                })
            }}
        </div>
    }
}
