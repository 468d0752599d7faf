//! Charts as SVG drawn from the figures: a bar per group, and columns over time
//! stacked by the largest groups. Colours come from the stylesheet (light and
//! dark), twelve that do not repeat within a chart and a grey kept for "Other";
//! each chart has a caption, a text alternative, and a title per mark.

use leptos::prelude::*;

use crate::browser::intl::figure;
use crate::engine::query::{Group, OTHER, OverTime};
use crate::engine::{Measure, format};

/// Bars drawn at most; the table lists every group.
const BARS: usize = 12;

/// Horizontal bars, one per group, largest first.
#[component]
pub fn BarChart(
    /// What the chart shows, for its caption.
    title: Signal<String>,
    /// What the figures are (money, or a usage quantity).
    measure: Signal<Measure>,
    /// The groups, largest first.
    groups: Signal<Vec<Group>>,
) -> impl IntoView {
    const WIDTH: f64 = 640.0;
    const LABEL: f64 = 190.0;
    const VALUE: f64 = 110.0;
    const ROW: f64 = 26.0;
    view! {
        <figure class="chart" data-testid="bar-chart">
            <figcaption id="bar-chart-title" class="chart__caption">{move || title.get()}</figcaption>
            {move || {
                // The largest groups, whatever order the table has (by date for months and days).
                let mut all = groups.get();
                let measure = measure.get();
                let money = |value: f64, denomination: &str| figure(value, denomination, measure);
                all.sort_by(|a, b| b.cost.total_cmp(&a.cost));
                let more = all.len().saturating_sub(BARS);
                let shown: Vec<Group> = all.into_iter().take(BARS).collect();
                let largest = shown.iter().map(|g| g.cost).fold(0.0_f64, f64::max);
                let height = (shown.len() as f64 * ROW).max(ROW);
                let summary = shown
                    .iter()
                    .map(|g| format!("{} {}", label(&g.key), money(g.cost, &g.currency)))
                    .collect::<Vec<_>>()
                    .join("; ");
                view! {
                    <svg
                        class="chart__svg"
                        viewBox=format!("0 0 {WIDTH} {height}")
                        role="img"
                        aria-labelledby="bar-chart-title"
                        aria-describedby="bar-chart-summary"
                    >
                        {shown
                            .into_iter()
                            .enumerate()
                            .map(|(i, group)| {
                                let y = i as f64 * ROW;
                                let length = if largest > 0.0 { (group.cost.max(0.0) / largest) * (WIDTH - LABEL - VALUE) } else { 0.0 };
                                let name = label(&group.key);
                                view! {
                                    <g class="chart__bar" data-key=group.key.clone()>
                                        <title>{format!("{name}: {}", money(group.cost, &group.currency))}</title>
                                        <text class="chart__label" x=LABEL - 8.0 y=y + ROW * 0.65 text-anchor="end">
                                            {shorten(&name, 26)}
                                        </text>
                                        <rect
                                            class=fill(i, &group.key)
                                            x=LABEL
                                            y=y + 4.0
                                            width=length.max(1.0)
                                            height=ROW - 8.0
                                            rx="3"
                                        ></rect>
                                        <text class="chart__value" x=LABEL + length + 6.0 y=y + ROW * 0.65>
                                            {money(group.cost, &group.currency)}
                                        </text>
                                    </g>
                                }
                            })
                            .collect_view()}
                    </svg>
                    {(more > 0).then(|| view! { <p class="chart__more" data-testid="bar-chart-more">{format!("+{more} more in the table below")}</p> })}
                    <p id="bar-chart-summary" class="visually-hidden">{summary}</p>
                }
            }}
        </figure>
    }
}

/// Columns per period, stacked by series (the largest groups and "Other").
#[component]
pub fn TimeChart(
    /// What the chart shows, for its caption.
    title: Signal<String>,
    /// What the figures are (money, or a usage quantity).
    measure: Signal<Measure>,
    /// The series.
    over_time: Signal<OverTime>,
) -> impl IntoView {
    const WIDTH: f64 = 640.0;
    const HEIGHT: f64 = 220.0;
    const AXIS: f64 = 84.0;
    const FOOT: f64 = 22.0;
    view! {
        <figure class="chart" data-testid="time-chart">
            <figcaption id="time-chart-title" class="chart__caption">{move || title.get()}</figcaption>
            {move || {
                let data = over_time.get();
                let currency = data.currency.clone().unwrap_or_else(|| crate::engine::ASSUMED_CURRENCY.to_owned());
                let measure = measure.get();
                let in_currency = |amount: f64| figure(amount, &currency, measure);
                let periods = data.periods.len().max(1);
                let totals: Vec<f64> =
                    (0..data.periods.len()).map(|p| data.series.iter().map(|s| s.values[p].max(0.0)).sum()).collect();
                let ticks_at = format::axis_ticks(totals.iter().copied().fold(0.0_f64, f64::max), 4);
                let top = ticks_at.last().copied().unwrap_or(0.0);
                let plot = HEIGHT - FOOT;
                let slot = (WIDTH - AXIS) / periods as f64;
                // As many period labels as fit side by side (a day is ten characters, a month seven).
                let label_width = data.periods.first().map_or(7, String::len) as f64 * 7.0 + 12.0;
                let every = ((label_width / slot).ceil() as usize).max(1);
                let summary = data
                    .periods
                    .iter()
                    .zip(&totals)
                    .map(|(period, total)| format!("{period} {}", in_currency(*total)))
                    .collect::<Vec<_>>()
                    .join("; ");
                let scale = move |value: f64| if top > 0.0 { value / top * (plot - 8.0) } else { 0.0 };
                let columns = (0..data.periods.len())
                    .map(|p| {
                        let mut base = plot;
                        let x = AXIS + p as f64 * slot + slot * 0.15;
                        data.series
                            .iter()
                            .enumerate()
                            .map(|(s, series)| {
                                let height = scale(series.values[p].max(0.0));
                                base -= height;
                                view! {
                                    <rect
                                        class=fill(s, &series.key)
                                        x=x
                                        y=base
                                        width=(slot * 0.7).max(1.0)
                                        height=height
                                    >
                                        <title>{format!("{} · {}: {}", data.periods[p], label(&series.key), in_currency(series.values[p]))}</title>
                                    </rect>
                                }
                            })
                            .collect_view()
                    })
                    .collect_view();
                let ticks = data
                    .periods
                    .iter()
                    .enumerate()
                    .filter(|(p, _)| p % every == 0)
                    .map(|(p, period)| {
                        view! {
                            <text class="chart__tick" x=AXIS + (p as f64 + 0.5) * slot y=HEIGHT - 6.0 text-anchor="middle">
                                {period.clone()}
                            </text>
                        }
                    })
                    .collect_view();
                view! {
                    <svg
                        class="chart__svg"
                        viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                        role="img"
                        aria-labelledby="time-chart-title"
                        aria-describedby="time-chart-summary"
                    >
                        {ticks_at
                            .iter()
                            .map(|&tick| {
                                let y = plot - scale(tick);
                                view! {
                                    <line class="chart__grid" x1=AXIS y1=y x2=WIDTH y2=y></line>
                                    <text class="chart__tick" x=AXIS - 6.0 y=y + 4.0 text-anchor="end">{in_currency(tick)}</text>
                                }
                            })
                            .collect_view()}
                        <line class="chart__axis" x1=AXIS y1=plot x2=WIDTH y2=plot></line>
                        {columns}
                        {ticks}
                    </svg>
                    <ul class="chart__legend">
                        {data
                            .series
                            .iter()
                            .enumerate()
                            .map(|(s, series)| {
                                view! {
                                    <li class="chart__key">
                                        <span class=format!("chart__swatch {}", fill(s, &series.key)) aria-hidden="true"></span>
                                        {label(&series.key)}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    <p id="time-chart-summary" class="visually-hidden">{format!("Total per period: {summary}")}</p>
                }
            }}
        </figure>
    }
}

/// The colour of the mark at `index`: one of twelve, or the grey of "Other".
fn fill(index: usize, key: &str) -> String {
    if key == OTHER {
        "chart__fill chart__fill--other".into()
    } else {
        format!("chart__fill chart__fill--{}", index % BARS)
    }
}

fn label(key: &str) -> String {
    format::label(key).into_owned()
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}
