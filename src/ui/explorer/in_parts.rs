//! A question of more groups than the page holds, as the workers answered it:
//! the largest groups, an "Other" row so the rows add up to the total, the
//! count of all, and a search the workers answer among every group.

use std::rc::Rc;

use leptos::prelude::*;

use super::super::state::{AppState, InParts};
use crate::browser::intl::figure;
use crate::engine::format;
use crate::engine::query::OTHER;

/// The answer of `in_parts` as a table, with a search among all its groups.
#[component]
pub(super) fn InPartsTable(in_parts: Rc<InParts>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let sized = &in_parts.answered.sized;
    let asked = &in_parts.asked;
    let measure = asked.measure;
    let first = asked.by[0];
    let what = state.view.with_untracked(|v| v.dimension_label(first));
    let total = match sized.totals.as_slice() {
        [one] => one.cost.to_string(),
        _ => String::new(),
    };
    let in_all: Vec<String> = sized.totals.iter().map(|t| figure(t.cost, &t.currency, measure)).collect();
    let in_all = if in_all.is_empty() { "nothing".to_owned() } else { in_all.join(" and ") };
    let found = match &asked.needle {
        Some(needle) => format!(" holding “{needle}”"),
        None => String::new(),
    };
    let groups = if sized.count == 1 { "group" } else { "groups" };
    let caption = format!("{} {groups}{found}, {in_all} in all", format::count(sized.count));
    let total_of = |currency: &str| sized.totals.iter().find(|t| t.currency == currency).map_or(0.0, |t| t.cost);
    let rows = sized
        .groups
        .iter()
        .map(|g| {
            let key = g.keys[0].clone();
            let all = total_of(&g.currency);
            let share = if all != 0.0 { g.cost / all * 100.0 } else { 0.0 };
            let drill = key.clone();
            view! {
                <tr data-key=key.clone() data-cost=g.cost.to_string() data-currency=g.currency.clone()>
                    <th scope="row">
                        <button
                            class="link"
                            type="button"
                            title="Look inside"
                            on:click=move |_| state.view.update(|v| *v = v.drilled(&drill))
                        >
                            {state.shown_label(first, &key)}
                        </button>
                    </th>
                    <td class="numeric">{figure(g.cost, &g.currency, measure)}</td>
                    <td class="numeric">{format!("{share:.1}%")}</td>
                    <td class="numeric">{format::count(g.rows)}</td>
                </tr>
            }
        })
        .collect_view();
    let others = sized.other();
    let other_rows = others
        .iter()
        .map(|o| {
            view! {
                <tr data-other="true" data-cost=o.cost.to_string() data-currency=o.currency.clone()>
                    <th scope="row">{format!("{OTHER} ({} rows)", format::count(o.rows))}</th>
                    <td class="numeric">{figure(o.cost, &o.currency, measure)}</td>
                    <td class="numeric"></td>
                    <td class="numeric">{format::count(o.rows)}</td>
                </tr>
            }
        })
        .collect_view();
    let shown = sized.groups.len() as u64;
    let more = (sized.count > shown).then(|| {
        view! {
            <p class="explorer__wait" data-testid="explore-table-more">
                {format!(
                    "Showing the largest {} of {} groups; the other {} are the Other row. Search finds any of them.",
                    format::count(shown),
                    format::count(sized.count),
                    format::count(sized.count - shown),
                )}
            </p>
        }
    });
    let needle = RwSignal::new(asked.needle.clone().unwrap_or_default());
    let search = move || {
        let text = needle.get_untracked().trim().to_owned();
        state.ask_in_parts((!text.is_empty()).then_some(text));
    };
    view! {
        <div class="explorer__in-parts" data-testid="in-parts">
            <p class="explorer__notes" role="note">
                {format!(
                    "{what} has more groups than a page can hold, so the workers added them up and sent the \
                     largest. Charts and month over month need fewer: choose a filter above to draw them."
                )}
            </p>
            <form
                class="controls__field controls__field--wide"
                on:submit=move |event| {
                    event.prevent_default();
                    search();
                }
            >
                <label for="in-parts-search">{format!("Find a {} among all groups", what.to_lowercase())}</label>
                <input
                    id="in-parts-search"
                    type="search"
                    placeholder="Part of a name, then Enter"
                    prop:value=move || needle.get()
                    on:input=move |event| needle.set(event_target_value(&event))
                />
            </form>
            <div class="table-wrap">
                <table class="services" data-testid="explore-table" data-total=total>
                    <caption class="services__caption">{caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{what.clone()}</th>
                            <th scope="col" class="numeric">{if measure.is_money() { "Cost" } else { "Quantity" }}</th>
                            <th scope="col" class="numeric">"Share"</th>
                            <th scope="col" class="numeric">"Rows"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                    <tfoot>{other_rows}</tfoot>
                </table>
            </div>
            {more}
        </div>
    }
}
