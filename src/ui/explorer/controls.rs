//! The explorer's controls: grouping, measure, time axis, dates, and a picker
//! per dimension that adds labels to the filter.

use leptos::prelude::*;

use super::super::combobox::{Choice, Combobox};
use super::super::state::AppState;
use crate::browser::intl::figure;
use crate::engine::dates::{format_day, parse_day};
use crate::engine::query::{Grain, Query, group};
use crate::engine::tags::KeyShare;
use crate::engine::{Detail, Dimension, Measure};

/// Grouping, measure, time axis, dates and label filters.
#[component]
pub(super) fn Controls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let set_query = move |change: &dyn Fn(&mut Query)| state.view.update(|v| change(&mut v.query));
    let span = Memo::new(move |_| state.cube.with(|c| c.as_ref().and_then(|c| c.day_span())));
    let detail = move || state.view.with(|v| v.detail.clone());
    // Files in one currency (nearly all) need no currency filter.
    let several_currencies = move || {
        let slot = Dimension::Currency.slot().unwrap_or_default();
        state.cube.with(|c| c.as_ref().is_some_and(|c| c.labels_in_use(slot) > 1))
    };
    // Files of several clouds are filtered to one of them.
    let several_providers = move || {
        let slot = Dimension::Provider.slot().unwrap_or_default();
        state.cube.with(|c| c.as_ref().is_some_and(|c| c.labels_in_use(slot) > 1))
    };
    // Quantities of several units are filtered to one to be compared.
    let several_units = move || {
        let slot = Dimension::Unit.slot().unwrap_or_default();
        state.view.with(|v| v.query.measure == Measure::Usage)
            && state.cube.with(|c| c.as_ref().is_some_and(|c| c.labels_in_use(slot) > 1))
    };
    view! {
        <div class="controls">
            <DimensionSelect
                id="group-by"
                label="Group by"
                none=None
                chosen=Signal::derive(move || state.view.with(|v| Some(v.query.group_by)))
                choose=Callback::new(move |d: Option<Dimension>| {
                    if let Some(d) = d {
                        state.view.update(|v| *v = v.grouped_by(d));
                    }
                })
            />
            <DimensionSelect
                id="then-by"
                label="Then by"
                none=Some("— (one grouping)")
                chosen=Signal::derive(move || state.view.with(|v| v.then_by))
                choose=Callback::new(move |d| state.view.update(|v| *v = v.broken_down_by(d)))
            />
            <DetailPicker/>
            <div class="controls__field">
                <label for="measure">"Measure"</label>
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
            <DateInput
                id="date-from"
                label="From"
                span=span
                day=Signal::derive(move || state.view.with(|v| v.query.filter.from))
                choose=Callback::new(move |day| set_query(&|q| q.filter.from = day))
            />
            <DateInput
                id="date-to"
                label="To"
                span=span
                day=Signal::derive(move || state.view.with(|v| v.query.filter.to))
                choose=Callback::new(move |day| set_query(&|q| q.filter.to = day))
            />
            <Show when=move || detail().is_some()>
                <FilterPicker dimension=Dimension::Detail id="filter-detail" label="Filter by the tag"/>
            </Show>
            <FilterPicker dimension=Dimension::Service id="filter-service" label="Filter services"/>
            <FilterPicker dimension=Dimension::Account id="filter-account" label="Filter accounts"/>
            <FilterPicker dimension=Dimension::Region id="filter-region" label="Filter regions"/>
            <Show when=several_providers>
                <FilterPicker dimension=Dimension::Provider id="filter-provider" label="Filter providers"/>
            </Show>
            <Show when=several_currencies>
                <FilterPicker dimension=Dimension::Currency id="filter-currency" label="Filter currencies"/>
            </Show>
            <Show when=several_units>
                <FilterPicker dimension=Dimension::Unit id="filter-unit" label="Filter units"/>
            </Show>
        </div>
    }
}

/// The dimension read on demand (a tag, a cost category, the resource, a
/// commitment, the invoice…), from those the files offer.
#[component]
fn DetailPicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let choices = move || {
        let keys = state.detail_keys.get();
        let share = |k: &KeyShare| k.share.map(|s| format!(" ({:.0}% of cost)", s * 100.0)).unwrap_or_default();
        let mut choices: Vec<(String, String)> = Vec::new();
        choices.extend(keys.fixed.iter().map(|d| (d.key(), d.label())));
        for key in &keys.tags {
            choices.push((Detail::Tag(key.key.clone()).key(), format!("Tag: {}{}", key.key, share(key))));
        }
        for key in &keys.categories {
            choices.push((
                Detail::CostCategory(key.key.clone()).key(),
                format!("Cost category: {}{}", key.key, share(key)),
            ));
        }
        // A link's choice stays offered while the keys are looked for.
        if let Some(current) = state.view.with(|v| v.detail.clone())
            && !choices.iter().any(|(value, _)| *value == current.key())
        {
            choices.push((current.key(), current.label()));
        }
        choices
    };
    let none = move || {
        let keys = state.detail_keys.get();
        let nothing = keys.tags.is_empty() && keys.categories.is_empty() && keys.fixed.is_empty();
        match (keys.finding, nothing) {
            (true, _) => "None (looking for tags…)",
            (false, true) => "None (the files have no tags)",
            (false, false) => "None",
        }
    };
    view! {
        <div class="controls__field">
            <label for="detail">"Tag, resource, commitment, invoice…"</label>
            <select
                id="detail"
                data-testid="detail-picker"
                prop:value=move || state.view.with(|v| v.detail.as_ref().map(Detail::key).unwrap_or_default())
                on:change=move |e| {
                    let detail = Detail::from_key(&event_target_value(&e));
                    state.view.update(|v| *v = v.with_detail(detail.clone()));
                }
            >
                <option value="">{none}</option>
                {move || choices().into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// A combobox that adds a label to the filter of one dimension.
#[component]
fn FilterPicker(dimension: Dimension, id: &'static str, label: &'static str) -> impl IntoView {
    let state = expect_context::<AppState>();
    let options = Signal::derive(move || {
        // While a detail is read (or was too large to read), and when the read
        // does not hold this dimension, the explorer's own cube offers the
        // labels, so the rows can be narrowed first.
        let Some((cube, whole)) = state.choices_cube(dimension) else { return Vec::new() };
        state.view.with(|v| {
            // The choices: this dimension's labels under the other filters, by cost.
            let mut others = v.query.filter.with_labels(dimension, Vec::new());
            if whole {
                others = others.with_labels(Dimension::Detail, Vec::new());
            }
            let query = Query { group_by: dimension, measure: v.query.measure, filter: others };
            let taken = v.query.filter.labels_of(dimension).unwrap_or_default();
            let mut seen = std::collections::HashSet::new();
            // A label with costs in two currencies is offered once, with its largest currency's cost.
            group(&cube, &query, &v.usage)
                .groups
                .into_iter()
                .filter(|g| !taken.contains(&g.key) && seen.insert(g.key.clone()))
                .map(|g| {
                    // An account answers to its name too.
                    let name = (dimension == Dimension::Account).then(|| state.account_name(&g.key)).flatten();
                    Choice { detail: figure(g.cost, &g.currency, query.measure), value: g.key, name }
                })
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

/// A choice of dimension (the grouping, the second grouping): the detail read
/// on demand where there is one, then every dimension; `none` names the
/// choice of none, where there is one.
#[component]
fn DimensionSelect(
    id: &'static str,
    label: &'static str,
    none: Option<&'static str>,
    chosen: Signal<Option<Dimension>>,
    choose: Callback<Option<Dimension>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let detail = move || state.view.with(|v| v.detail.clone());
    view! {
        <div class="controls__field">
            <label for=id>{label}</label>
            <select
                id=id
                prop:value=move || chosen.get().map_or("", |d| d.key())
                on:change=move |e| {
                    let key = event_target_value(&e);
                    let d = if key == Dimension::Detail.key() { Some(Dimension::Detail) } else { Dimension::from_key(&key) };
                    choose.run(d);
                }
            >
                {none.map(|text| view! { <option value="">{text}</option> })}
                {move || detail().map(|d| view! { <option value=Dimension::Detail.key()>{d.label()}</option> })}
                {Dimension::ALL.map(|d| view! { <option value=d.key()>{d.label()}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// A day of the view's dates, within the days the files hold.
#[component]
fn DateInput(
    id: &'static str,
    label: &'static str,
    span: Memo<Option<(i32, i32)>>,
    day: Signal<Option<i32>>,
    choose: Callback<Option<i32>>,
) -> impl IntoView {
    let shown = |value: Option<i32>| value.map(format_day).unwrap_or_default();
    view! {
        <div class="controls__field">
            <label for=id>{label}</label>
            <input
                id=id
                type="date"
                prop:min=move || shown(span.get().map(|s| s.0))
                prop:max=move || shown(span.get().map(|s| s.1))
                prop:value=move || shown(day.get())
                on:change=move |e| choose.run(parse_day(&event_target_value(&e)))
            />
        </div>
    }
}
