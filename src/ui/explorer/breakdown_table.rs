//! Two groupings at once (team × service, account × region): each group of the
//! first broken down by the second, the largest combinations first.

use std::rc::Rc;

use leptos::prelude::*;

use super::super::state::AppState;
use crate::browser::intl::figure;
use crate::engine::query::{GroupedMany, group_many};
use crate::engine::{Cube, format};

/// Combinations shown as rows (the page stays responsive; narrow with a filter).
const TABLE_ROWS: usize = 2_000;

/// The table of combinations, when the view has a second grouping.
#[component]
pub(super) fn BreakdownTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let grouped: Memo<Option<GroupedMany>> = Memo::new(move |_| {
        let cube = state.explorer_cube().unwrap_or_else(|| Rc::new(Cube::default()));
        state.view.with(|v| {
            let then_by = v.then_by?;
            Some(group_many(&cube, &[v.query.group_by, then_by], v.query.measure, &v.query.filter, &v.usage))
        })
    });
    let measure = move || state.view.with(|v| v.query.measure);
    let dimensions = move || state.view.with(|v| (v.query.group_by, v.then_by.unwrap_or(v.query.group_by)));
    let title = move || {
        state.view.with(|v| {
            let then_by = v.then_by.map(|d| v.dimension_label(d)).unwrap_or_default();
            format!("{} × {}", v.dimension_label(v.query.group_by), then_by.to_lowercase())
        })
    };
    view! {
        {move || grouped.get().map(|grouped| {
            let (first, second) = dimensions();
            let measure = measure();
            let more = grouped.groups.len().saturating_sub(TABLE_ROWS);
            let count = format::count(grouped.groups.len() as u64);
            view! {
                <div class="table-wrap">
                    <table class="services" data-testid="breakdown-table">
                        <caption class="services__caption">{format!("{}: {count} combinations", title())}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{state.view.with_untracked(|v| v.dimension_label(first))}</th>
                                <th scope="col">{state.view.with_untracked(|v| v.dimension_label(second))}</th>
                                <th scope="col" class="numeric">{if measure.is_money() { "Cost" } else { "Quantity" }}</th>
                                <th scope="col" class="numeric">"Rows"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {grouped
                                .groups
                                .iter()
                                .take(TABLE_ROWS)
                                .map(|g| {
                                    let (a, b) = (g.keys[0].clone(), g.keys[1].clone());
                                    view! {
                                        <tr data-keys=format!("{a}\u{1f}{b}") data-cost=g.cost.to_string() data-currency=g.currency.clone()>
                                            <th scope="row">{state.shown_label(first, &a)}</th>
                                            <td>{state.shown_label(second, &b)}</td>
                                            <td class="numeric">{figure(g.cost, &g.currency, measure)}</td>
                                            <td class="numeric">{format::count(g.rows)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    {(more > 0).then(|| view! {
                        <p class="explorer__wait" data-testid="breakdown-table-more">
                            {format!("Showing the first {TABLE_ROWS} combinations; {} more (narrow the view with a filter).", format::count(more as u64))}
                        </p>
                    })}
                </div>
            }
        })}
    }
}
