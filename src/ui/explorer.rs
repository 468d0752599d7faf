//! The explorer: costs grouped by any dimension, filtered by dates and labels,
//! for any measure, drawn and tabled, with a drill-down trail. Every change
//! recomputes from the cube in memory.

use std::rc::Rc;

use leptos::prelude::*;

use super::charts::{BarChart, TimeChart};
use super::combobox::{Combobox, shown};
use super::exports::{Export, Exports};
use super::state::{AppState, Explorer as Stage};
use crate::browser::intl::money;
use crate::engine::dates::{format_day, parse_day};
use crate::engine::query::{Filter, Grain, Grouped, OverTime, Query, date_span, drill, group, over_time};
use crate::engine::sql::explore_sql;
use crate::engine::table::{Cell, csv};
use crate::engine::{Cube, Dimension, Measure, format};

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
    let bar_title =
        Signal::derive(move || format!("{} cost by {}", measure().label(), dimension().label().to_lowercase()));
    let time_title = Signal::derive(move || {
        let grain = if state.view.with(|v| v.grain == Grain::Day) { "day" } else { "month" };
        format!("{} cost per {grain}, by {}", measure().label(), dimension().label().to_lowercase())
    });
    let export = Export {
        name: Signal::derive(move || format!("ducks-{}-by-{}", measure().key(), dimension().key())),
        csv: Signal::derive(move || {
            let header = [dimension().label(), "Cost", "Currency", "Rows"];
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
    view! {
        <div class="explorer">
            {left_out}
            <Controls/>
            <Trail/>
            <div class="explorer__charts">
                <BarChart title=bar_title groups=Signal::derive(move || grouped.get().groups)/>
                <TimeChart title=time_title over_time=Signal::derive(move || series.get())/>
            </div>
            <GroupTable grouped=grouped/>
            <Exports export=export/>
        </div>
    }
}

/// Grouping, measure, time axis, dates and label filters.
#[component]
fn Controls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let set_query = move |change: &dyn Fn(&mut Query)| state.view.update(|v| change(&mut v.query));
    let span = Memo::new(move |_| state.cube.with(|c| c.as_ref().and_then(|c| date_span(c))));
    let day_input = move |value: Option<i32>| value.map(format_day).unwrap_or_default();
    // Files in one currency (nearly all) need no currency filter.
    let several_currencies = move || {
        let slot = Dimension::Currency.slot().unwrap_or_default();
        state.cube.with(|c| c.as_ref().is_some_and(|c| c.labels(slot).len() > 1))
    };
    view! {
        <div class="controls">
            <div class="controls__field">
                <label for="group-by">"Group by"</label>
                <select
                    id="group-by"
                    prop:value=move || state.view.with(|v| v.query.group_by.key())
                    on:change=move |e| {
                        if let Some(d) = Dimension::from_key(&event_target_value(&e)) {
                            set_query(&|q| q.group_by = d);
                        }
                    }
                >
                    {Dimension::ALL.map(|d| view! { <option value=d.key()>{d.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="controls__field">
                <label for="measure">"Cost"</label>
                <select
                    id="measure"
                    prop:value=move || state.view.with(|v| v.query.measure.key())
                    on:change=move |e| {
                        if let Some(m) = Measure::from_key(&event_target_value(&e)) {
                            set_query(&|q| q.measure = m);
                        }
                    }
                >
                    {Measure::ALL.map(|m| view! { <option value=m.key()>{m.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="controls__field">
                <label for="grain">"Over time by"</label>
                <select
                    id="grain"
                    prop:value=move || if state.view.with(|v| v.grain == Grain::Day) { "day" } else { "month" }
                    on:change=move |e| {
                        let grain = if event_target_value(&e) == "day" { Grain::Day } else { Grain::Month };
                        state.view.update(|v| v.grain = grain);
                    }
                >
                    <option value="month">"Month"</option>
                    <option value="day">"Day"</option>
                </select>
            </div>
            <div class="controls__field">
                <label for="date-from">"From"</label>
                <input
                    id="date-from"
                    type="date"
                    prop:min=move || day_input(span.get().map(|s| s.0))
                    prop:max=move || day_input(span.get().map(|s| s.1))
                    prop:value=move || day_input(state.view.with(|v| v.query.filter.from))
                    on:change=move |e| {
                        let day = parse_day(&event_target_value(&e));
                        set_query(&|q| q.filter.from = day);
                    }
                />
            </div>
            <div class="controls__field">
                <label for="date-to">"To"</label>
                <input
                    id="date-to"
                    type="date"
                    prop:min=move || day_input(span.get().map(|s| s.0))
                    prop:max=move || day_input(span.get().map(|s| s.1))
                    prop:value=move || day_input(state.view.with(|v| v.query.filter.to))
                    on:change=move |e| {
                        let day = parse_day(&event_target_value(&e));
                        set_query(&|q| q.filter.to = day);
                    }
                />
            </div>
            <FilterPicker dimension=Dimension::Service id="filter-service" label="Filter services"/>
            <FilterPicker dimension=Dimension::Account id="filter-account" label="Filter accounts"/>
            <FilterPicker dimension=Dimension::Region id="filter-region" label="Filter regions"/>
            <Show when=several_currencies>
                <FilterPicker dimension=Dimension::Currency id="filter-currency" label="Filter currencies"/>
            </Show>
        </div>
    }
}

/// A combobox that adds a label to the filter of one dimension.
#[component]
fn FilterPicker(dimension: Dimension, id: &'static str, label: &'static str) -> impl IntoView {
    let state = expect_context::<AppState>();
    let options = Signal::derive(move || {
        let Some(cube) = state.cube.get() else { return Vec::new() };
        state.view.with(|v| {
            // The choices: this dimension's labels under the other filters, by cost.
            let others = v.query.filter.with_labels(dimension, Vec::new());
            let query = Query { group_by: dimension, measure: v.query.measure, filter: others };
            let taken = v.query.filter.labels_of(dimension).unwrap_or_default();
            let mut seen = std::collections::HashSet::new();
            // A label with costs in two currencies is offered once, with its largest currency's cost.
            group(&cube, &query, &v.usage)
                .groups
                .into_iter()
                .filter(|g| !taken.contains(&g.key) && seen.insert(g.key.clone()))
                .map(|g| (g.key, money(g.cost, &g.currency)))
                .collect()
        })
    });
    let on_pick = Callback::new(move |value: String| {
        state.view.update(|v| {
            let mut labels = v.query.filter.labels_of(dimension).map(<[String]>::to_vec).unwrap_or_default();
            labels.push(value);
            v.query.filter = v.query.filter.with_labels(dimension, labels);
        })
    });
    view! {
        <div class="controls__field controls__field--wide">
            <Combobox id=id label=label placeholder="Type to add" options=options on_pick=on_pick keep_text=false/>
        </div>
    }
}

/// The drill-down trail: every filter as a crumb, each removable; "All costs" clears them.
#[component]
fn Trail() -> impl IntoView {
    let state = expect_context::<AppState>();
    let filter = move || state.view.with(|v| v.query.filter.clone());
    let remove = move |dimension: Option<Dimension>, label: Option<String>| {
        state.view.update(|v| {
            if dimension.is_none() {
                // "All costs" is where the explorer starts: no filters, by service.
                v.query.group_by = Dimension::Service;
            }
            v.query.filter = match (dimension, label) {
                (None, _) => Filter::default(),
                (Some(d), Some(label)) => {
                    let kept = v
                        .query
                        .filter
                        .labels_of(d)
                        .unwrap_or_default()
                        .iter()
                        .filter(|l| **l != label)
                        .cloned()
                        .collect();
                    v.query.filter.with_labels(d, kept)
                }
                (Some(_), None) => Filter { labels: v.query.filter.labels.clone(), ..Filter::default() },
            }
        })
    };
    view! {
        <nav class="trail" aria-label="Filters and drill-down">
            <ol class="trail__list">
                <li class="trail__crumb">
                    <button class="link" type="button" on:click=move |_| remove(None, None)>"All costs"</button>
                </li>
                {move || {
                    let filter = filter();
                    let dates = (filter.from.is_some() || filter.to.is_some()).then(|| {
                        let text = format!(
                            "Dates: {} to {}",
                            filter.from.map(format_day).unwrap_or_else(|| "start".into()),
                            filter.to.map(format_day).unwrap_or_else(|| "end".into())
                        );
                        view! {
                            <li class="trail__crumb">
                                {text.clone()}
                                <button class="trail__remove" type="button" aria-label=format!("Remove {text}") on:click=move |_| remove(Some(Dimension::Day), None)>"×"</button>
                            </li>
                        }
                    });
                    let labels = filter
                        .labels
                        .into_iter()
                        .flat_map(|(d, labels)| labels.into_iter().map(move |l| (d, l)))
                        .map(|(d, l)| {
                            let text = format!("{}: {}", d.label(), shown(&l));
                            view! {
                                <li class="trail__crumb" data-testid="crumb">
                                    {text.clone()}
                                    <button class="trail__remove" type="button" aria-label=format!("Remove {text}") on:click=move |_| remove(Some(d), Some(l.clone()))>"×"</button>
                                </li>
                            }
                        })
                        .collect_view();
                    (dates, labels)
                }}
            </ol>
        </nav>
    }
}

/// The groups as a table; a group can be drilled into.
#[component]
fn GroupTable(grouped: Memo<Grouped>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let dimension = move || state.view.with(|v| v.query.group_by);
    // Amounts in different currencies are never added: one total per currency.
    let data_total = move || grouped.with(|g| g.total().map(|t| t.to_string()).unwrap_or_default());
    let in_all = move || {
        grouped.with(|g| {
            let sums: Vec<String> = g.totals.iter().map(|t| money(t.cost, &t.currency)).collect();
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
                        <th scope="col">{move || dimension().label()}</th>
                        <th scope="col" class="numeric">"Cost"</th>
                        <th scope="col" class="numeric">"Share"</th>
                        <th scope="col" class="numeric">"Rows"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let grouped = grouped.get();
                        let total_of = |currency: &str| {
                            grouped.totals.iter().find(|t| t.currency == currency).map_or(0.0, |t| t.cost)
                        };
                        let rows: Vec<_> = grouped.groups.iter().map(|g| (g.clone(), total_of(&g.currency))).collect();
                        rows.into_iter()
                            .map(|(g, all)| {
                                let key = g.key.clone();
                                let share = if all != 0.0 { g.cost / all * 100.0 } else { 0.0 };
                                view! {
                                    <tr data-key=g.key.clone() data-cost=g.cost.to_string() data-currency=g.currency.clone()>
                                        <th scope="row">
                                            <button
                                                class="link"
                                                type="button"
                                                title="Look inside"
                                                on:click=move |_| state.view.update(|v| v.query = drill(&v.query, &key))
                                            >
                                                {shown(&g.key)}
                                            </button>
                                        </th>
                                        <td class="numeric">{money(g.cost, &g.currency)}</td>
                                        <td class="numeric">{format!("{share:.1}%")}</td>
                                        <td class="numeric">{format::count(g.rows)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </div>
    }
}
