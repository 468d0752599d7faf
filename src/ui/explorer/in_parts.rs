//! A question of more groups than the page holds, as the workers answered it:
//! the largest groups, an "Other" row so the rows add up to the total, the
//! count of all, and a search the workers answer among every group.

use std::rc::Rc;

use leptos::prelude::*;

use leptos::task::spawn_local;

use super::super::state::{AppState, InParts};
use super::group_table::group_row;
use crate::browser::analysis::{Stopped, every_group};
use crate::browser::intl::figure;
use crate::browser::output::download_parts;
use crate::engine::format;
use crate::engine::query::{Group, OTHER};
use crate::engine::table::{Cell, csv_noted, csv_rows};

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
            let group = Group { key: g.keys[0].clone(), currency: g.currency.clone(), cost: g.cost, rows: g.rows };
            group_row(state, first, group, total_of(&g.currency), measure)
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
    let left_out = (!in_parts.answered.problems.is_empty()).then(|| {
        let problems = in_parts.answered.problems.clone();
        view! {
            <div class="status__text--error" role="alert" data-testid="in-parts-problems">
                <p>{format!("These figures leave out {} file(s) that could not be read:", problems.len())}</p>
                <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            </div>
        }
    });
    let exporting = RwSignal::new(None::<String>);
    let export = {
        let in_parts = Rc::clone(&in_parts);
        move |_| {
            exporting.set(Some("Adding up every group…".into()));
            spawn_local(export_every_group(state, Rc::clone(&in_parts), exporting));
        }
    };
    let needle = RwSignal::new(asked.needle.clone().unwrap_or_default());
    let search = move || {
        let text = needle.get_untracked().trim().to_owned();
        state.ask_in_parts((!text.is_empty()).then_some(text));
    };
    view! {
        <div class="explorer__in-parts" data-testid="in-parts">
            {left_out}
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
            <div class="exports">
                <button type="button" class="button" data-testid="in-parts-export" on:click=export>
                    "Download every group (CSV)"
                </button>
                {move || exporting.get().map(|text| view! { <span role="status">{format!(" {text}")}</span> })}
            </div>
        </div>
    }
}

/// Downloads every group of `in_parts` as CSV, asked of the workers a number
/// at a time, each number's rows written and let go before the next: the
/// file is made in parts, never whole in wasm memory. `status` says how it went.
async fn export_every_group(state: AppState, in_parts: Rc<InParts>, status: RwSignal<Option<String>>) {
    let asked = &in_parts.asked;
    let labels: Vec<String> = state.view.with_untracked(|v| asked.by.iter().map(|&d| v.dimension_label(d)).collect());
    let (amount, denomination) = if asked.measure.is_money() { ("Cost", "Currency") } else { ("Quantity", "Unit") };
    let mut header: Vec<&str> = labels.iter().map(String::as_str).collect();
    header.extend([amount, denomination, "Rows"]);
    let mut notes = vec![format!(
        "ducks: {} by {}, every group (each part of the groups by cost, largest first)",
        asked.measure.label(),
        labels.join(" and ").to_lowercase()
    )];
    let link = state.view.with_untracked(|v| v.to_query_string());
    if !link.is_empty() {
        notes.push(format!("view (filters, dates, usage rule): ?{link}"));
    }
    if let Some(needle) = &asked.needle {
        notes.push(format!("only the groups holding {needle:?}"));
    }
    let chunks = js_sys::Array::new();
    chunks.push(&csv_noted(&notes, &header, std::iter::empty()).into());
    let pool = state.pool.get_value();
    let parts = &in_parts.answered.parts;
    let written = every_group(&pool, parts, asked, &|| true, |sized| {
        let rows = sized.groups.into_iter().map(|g| {
            let mut row: Vec<Cell> = g.keys.into_iter().map(Cell::Text).collect();
            row.extend([Cell::Number(g.cost), Cell::Text(g.currency), Cell::Number(g.rows as f64)]);
            row
        });
        chunks.push(&csv_rows(rows).into());
    })
    .await;
    let name = format!("ducks-{}-every-group.csv", asked.measure.key());
    let outcome = match written {
        Ok(()) => download_parts(&name, "text/csv", &chunks).map(|()| "Downloaded.".to_owned()),
        Err(Stopped::Cancelled) => Ok("Stopped.".to_owned()),
        Err(Stopped::Unavailable(problem)) => Err(problem),
    };
    status.set(Some(outcome.unwrap_or_else(|problem| problem.to_string())));
}
