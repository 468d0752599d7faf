//! The explorer: costs grouped by any dimension, filtered by dates and labels,
//! for any measure, drawn and tabled, with a drill-down trail. Every change
//! recomputes from the cube in memory.

//!
//! One concern per file: the controls (grouping, measure, dates, label
//! filters), the drill-down trail and the table of groups; the charts are
//! `ui::charts`.

mod controls;
mod group_table;
mod trail;

use std::rc::Rc;

use leptos::prelude::*;

use self::controls::Controls;
use self::group_table::GroupTable;
use self::trail::Trail;
use super::charts::{BarChart, TimeChart};
use super::exports::{Export, Exports};
use super::state::{AppState, Explorer as Stage};
use crate::engine::Cube;
use crate::engine::query::{Grain, Grouped, OverTime, group, measure_notes, over_time};
use crate::engine::sql::explore_sql;
use crate::engine::table::{Cell, csv};

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
                let fraction = if progress.work_total > 0 { progress.work_done as f64 / progress.work_total as f64 } else { 0.0 };
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
    let cube = move || state.cube.get().unwrap_or_else(|| Rc::new(Cube::default()));
    let query = move || state.view.with(|v| v.query.clone());
    let grouped: Memo<Grouped> = Memo::new(move |_| state.view.with(|v| group(&cube(), &v.query, &v.usage)));
    let series: Memo<OverTime> =
        Memo::new(move |_| state.view.with(|v| over_time(&cube(), &v.query, &v.usage, v.grain, TOP_SERIES)));
    let dimension = move || state.view.with(|v| v.query.group_by);
    let measure = move || state.view.with(|v| v.query.measure);
    // "Amortized cost by service", "Usage quantity by usage type".
    let what = move || {
        let measure = measure();
        if measure.is_money() { format!("{} cost", measure.label()) } else { measure.label().to_owned() }
    };
    let bar_title = Signal::derive(move || format!("{} by {}", what(), dimension().label().to_lowercase()));
    let time_title = Signal::derive(move || {
        let grain = if state.view.with(|v| v.grain == Grain::Day) { "day" } else { "month" };
        format!("{} per {grain}, by {}", what(), dimension().label().to_lowercase())
    });
    let export = Export {
        name: Signal::derive(move || format!("ducks-{}-by-{}", measure().key(), dimension().key())),
        csv: Signal::derive(move || {
            let header = if measure().is_money() {
                [dimension().label(), "Cost", "Currency", "Rows"]
            } else {
                [dimension().label(), "Quantity", "Unit", "Rows"]
            };
            csv(
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
        let problems = state.analysis.with(|a| a.as_ref().map(|a| a.explore_problems()).unwrap_or_default());
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
    view! {
        <div class="explorer">
            {left_out}
            <Controls/>
            {measure_notes}
            <Trail/>
            <div class="explorer__charts">
                <BarChart title=bar_title measure=Signal::derive(measure) groups=Signal::derive(move || grouped.get().groups)/>
                <TimeChart title=time_title measure=Signal::derive(measure) over_time=Signal::derive(move || series.get())/>
            </div>
            <GroupTable grouped=grouped/>
            <Exports export=export/>
        </div>
    }
}
