//! The explorer: costs grouped by any dimension, filtered by dates and labels,
//! for any measure, drawn and tabled, with a drill-down trail. Every change
//! recomputes from the cube in memory.

//!
//! One concern per file: the controls (grouping, measure, dates, label
//! filters, the tag read on demand), the drill-down trail, the table of groups
//! and the month over month table; the charts are `ui::charts`.

mod breakdown_table;
mod controls;
mod group_table;
mod in_parts;
mod trail;
mod trend_table;

use std::rc::Rc;

use leptos::prelude::*;

use self::breakdown_table::BreakdownTable;
use self::controls::Controls;
use self::group_table::GroupTable;
use self::in_parts::InPartsTable;
use self::trail::Trail;
use self::trend_table::TrendTable;
use super::charts::{BarChart, TimeChart};
use super::exports::{Export, Exports};
use super::state::{AppState, DetailStage, Explorer as Stage};
use crate::engine::Cube;
use crate::engine::query::{Grain, Grouped, OverTime, group, measure_notes, over_time};
use crate::engine::sql::explore_sql;
use crate::engine::table::{Cell, csv_noted};

/// Series stacked in the time chart before the rest is gathered as "Other".
const TOP_SERIES: usize = 5;

/// The explorer tab.
#[component]
pub fn Explorer() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        {move || match state.explorer.get() {
            Stage::Idle => view! { <p class="explorer__wait">"The explorer is ready once files are read."</p> }.into_any(),
            Stage::Building(progress) => {
                let fraction = progress.fraction();
                view! {
                    <div class="explorer__wait" role="status">
                        <progress class="status__bar" max="1" value=fraction aria-label="Explorer progress"></progress>
                        <p>{format!("Preparing the explorer: reading accounts, regions, usage types and dates ({:.0}%)…", fraction * 100.0)}</p>
                    </div>
                }
                    .into_any()
            }
            Stage::Failed(problem) => view! { <p class="status__text--error" role="alert">{problem}</p> }.into_any(),
            Stage::Ready => view! { <Ready/> }.into_any(),
        }}
    }
}

#[component]
fn Ready() -> impl IntoView {
    let state = expect_context::<AppState>();
    // A tag, cost category or resource chosen (here or by a link), or days,
    // are read on demand, again when the view comes to need more of the rest.
    Effect::new(move |_| {
        state.view.track();
        state.ensure_detail();
    });
    let cube = move || state.explorer_cube().unwrap_or_else(|| Rc::new(Cube::default()));
    let waiting = move || state.view.with(|v| v.on_demand_scan().is_some()) && state.explorer_cube().is_none();
    let query = move || state.view.with(|v| v.query.clone());
    let grouped: Memo<Grouped> = Memo::new(move |_| state.view.with(|v| group(&cube(), &v.query, &v.usage)));
    let series: Memo<OverTime> =
        Memo::new(move |_| state.view.with(|v| over_time(&cube(), &v.query, &v.usage, v.grain, TOP_SERIES)));
    let measure = move || state.view.with(|v| v.query.measure);
    // "Amortized cost by service", "Usage quantity by usage type".
    let what = move || {
        let measure = measure();
        if measure.is_money() { format!("{} cost", measure.label()) } else { measure.label().to_owned() }
    };
    let by = move || state.view.with(|v| v.dimension_label(v.query.group_by));
    let bar_title = Signal::derive(move || format!("{} by {}", what(), by().to_lowercase()));
    let time_title = Signal::derive(move || {
        let grain = if state.view.with(|v| v.grain == Grain::Day) { "day" } else { "month" };
        format!("{} per {grain}, by {}", what(), by().to_lowercase())
    });
    let export = Export {
        name: Signal::derive(move || {
            let key = state.view.with(|v| match (&v.detail, v.query.group_by) {
                (Some(detail), crate::engine::Dimension::Detail) => detail.key().replace(':', "-"),
                (_, dimension) => dimension.key().to_owned(),
            });
            format!("ducks-{}-by-{key}", measure().key())
        }),
        csv: Signal::derive(move || {
            let by = by();
            let header = if measure().is_money() {
                [by.as_str(), "Cost", "Currency", "Rows"]
            } else {
                [by.as_str(), "Quantity", "Unit", "Rows"]
            };
            // What the table is of, so a file passed on says its own filters.
            let mut notes = vec![format!("ducks: {}", bar_title.get())];
            let link = state.view.with(|v| v.to_query_string());
            if !link.is_empty() {
                notes.push(format!("view (filters, dates, usage rule): ?{link}"));
            }
            let names: Vec<String> = state
                .analysis
                .with(|a| {
                    a.as_ref().map(|a| a.files.iter().filter(|f| f.result.is_ok()).map(|f| f.name.clone()).collect())
                })
                .unwrap_or_default();
            notes.push(format!("files: {}", names.join(", ")));
            csv_noted(
                &notes,
                &header,
                grouped.get().groups.into_iter().map(|g| {
                    vec![Cell::Text(g.key), Cell::Number(g.cost), Cell::Text(g.currency), Cell::Number(g.rows as f64)]
                }),
            )
        }),
        json: Signal::derive(move || {
            serde_json::to_string_pretty(&serde_json::json!({ "query": query(), "result": grouped.get() }))
                .unwrap_or_default()
        }),
        sql: Callback::new(move |dialect| {
            let analysis = state.analysis.get()?;
            let outline = analysis.outlines().next()?.clone();
            Some(state.view.with(|v| explore_sql(&outline, &v.query, &v.usage, dialect)))
        }),
    };
    // Files the costs page used but the explorer could not read make its totals smaller: say so here.
    let left_out = move || {
        let problems = state
            .analysis
            .with(|a| a.as_ref().map(|a| state.explored.with(|explored| explored.problems(a))).unwrap_or_default());
        (!problems.is_empty()).then(|| {
            view! {
                <div class="status__text--error" role="alert" data-testid="explorer-problems">
                    <p>{format!("The explorer leaves out {} file(s) that the costs page counts:", problems.len())}</p>
                    <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                </div>
            }
        })
    };
    // Where the chosen measure is not quite what it says, say so beside it.
    let measure_notes = move || {
        let notes = state.analysis.with(|a| {
            let Some(a) = a.as_ref() else { return Vec::new() };
            let files: Vec<_> = a.outlines().map(|o| &o.optional).collect();
            state.view.with(|v| measure_notes(v.query.measure, &files, &v.usage))
        });
        (!notes.is_empty()).then(|| {
            view! {
                <ul class="explorer__notes" role="note" data-testid="measure-notes">
                    {notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                </ul>
            }
        })
    };
    // The charts name groups as the table does: "(untagged)", an account's name.
    let relabel = move |key: &mut String| {
        let dimension = state.view.with(|v| v.query.group_by);
        if matches!(dimension, crate::engine::Dimension::Detail | crate::engine::Dimension::Account) {
            *key = state.shown_label(dimension, key);
        }
    };
    let shown_groups = move |mut groups: Vec<crate::engine::query::Group>| {
        groups.iter_mut().for_each(|g| relabel(&mut g.key));
        groups
    };
    let shown_series = move |mut over_time: OverTime| {
        over_time.series.iter_mut().filter(|s| s.key != crate::engine::query::OTHER).for_each(|s| relabel(&mut s.key));
        over_time
    };
    // While a tag, cost category or resource is read (or if it cannot be), say so in place of the figures.
    let detail_status = move || {
        state.detail.with(|stage| match stage {
            DetailStage::Reading(detail, _, progress) => {
                let fraction = progress.fraction();
                view! {
                    <div class="explorer__wait" role="status" data-testid="detail-status">
                        <progress class="status__bar" max="1" value=fraction aria-label="Reading progress"></progress>
                        <p>{format!("Reading {} from the files ({:.0}%)…", detail.as_ref().map_or_else(|| "the days".to_owned(), |d| d.label().to_lowercase()), fraction * 100.0)}</p>
                    </div>
                }
                    .into_any()
            }
            DetailStage::InParts(_, _, in_parts) => view! { <InPartsTable in_parts=Rc::clone(in_parts)/> }.into_any(),
            DetailStage::Failed(_, _, problem) => view! {
                <p class="status__text--error" role="alert" data-testid="detail-status">{problem.clone()}</p>
            }
                .into_any(),
            _ => view! { <p class="explorer__wait" role="status" data-testid="detail-status">"Reading…"</p> }.into_any(),
        })
    };
    view! {
        <div class="explorer">
            {left_out}
            <Controls/>
            {measure_notes}
            <Trail/>
            <Show when=move || !waiting() fallback=detail_status>
                <div class="explorer__charts">
                    <BarChart title=bar_title measure=Signal::derive(measure) groups=Signal::derive(move || shown_groups(grouped.get().groups))/>
                    <TimeChart title=time_title measure=Signal::derive(measure) over_time=Signal::derive(move || shown_series(series.get()))/>
                </div>
                <GroupTable grouped=grouped/>
                <BreakdownTable/>
                <TrendTable/>
                <Exports export=export/>
            </Show>
        </div>
    }
}
