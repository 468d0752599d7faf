//! Charts as SVG drawn from the figures: a bar per group, and columns over time
//! stacked by the largest groups. Colours come from the stylesheet (light and
//! dark), twelve that do not repeat within a chart and a grey kept for "Other";
//! each chart has a caption, a text alternative, and a title per mark.
//!
//! A chart is laid out at the width it is shown at (one SVG unit is one CSS
//! pixel), so its text keeps its size on a phone instead of shrinking with the
//! drawing. Every mark can be reached with Tab, and the one under the pointer
//! or the focus is read out below the chart.

use leptos::ev;
use leptos::html::Figure;
use leptos::prelude::*;

use crate::browser::intl::figure;
use crate::engine::query::{Group, OTHER, OverTime};
use crate::engine::{Measure, format};

/// Bars drawn at most; the table lists every group.
const BARS: usize = 12;

/// The narrowest layout: below it the chart is drawn at this width and scaled down.
const NARROWEST: f64 = 280.0;

/// Horizontal padding of `.chart` (0.75rem each side, in the stylesheet).
const PADDING: f64 = 24.0;

/// The width `figure` has for its drawing, kept current as the window resizes.
fn drawing_width(figure: NodeRef<Figure>) -> Signal<f64> {
    let width = RwSignal::new(640.0);
    let measure = move || {
        if let Some(figure) = figure.get_untracked() {
            let inner = f64::from(figure.client_width()) - PADDING;
            if inner > 0.0 && (inner - width.get_untracked()).abs() >= 1.0 {
                width.set(inner.max(NARROWEST));
            }
        }
    };
    Effect::new(move |_| {
        // Runs once the figure is in the page.
        if figure.get().is_some() {
            measure();
        }
    });
    let handle = window_event_listener(ev::resize, move |_| measure());
    on_cleanup(move || handle.remove());
    width.into()
}

/// The frame both charts share: a figure laid out at the width it is shown at,
/// its caption (`{name}-title`), what the mark pointed at or focused says
/// (`{name}-readout`) and a summary for screen readers (`{name}-summary`).
/// `draw` makes the drawing at a width, with the readout to set, and the
/// summary's text.
fn framed(
    name: &'static str,
    title: Signal<String>,
    draw: impl Fn(f64, RwSignal<Option<String>>) -> (AnyView, String) + Send + Sync + 'static,
) -> impl IntoView {
    let figure_ref = NodeRef::<Figure>::new();
    let width = drawing_width(figure_ref);
    let said = RwSignal::new(None::<String>);
    view! {
        <figure class="chart" data-testid=name node_ref=figure_ref>
            <figcaption id=format!("{name}-title") class="chart__caption">{move || title.get()}</figcaption>
            {move || {
                let (drawing, summary) = draw(width.get(), said);
                view! {
                    {drawing}
                    <p class="chart__readout" data-testid=format!("{name}-readout") aria-hidden="true">{move || said.get().unwrap_or_default()}</p>
                    <p id=format!("{name}-summary") class="visually-hidden">{summary}</p>
                }
            }}
        </figure>
    }
}

/// What a mark says when pointed at or focused.
fn readout(said: RwSignal<Option<String>>, text: String) -> impl Fn() + Clone + 'static {
    move || said.set(Some(text.clone()))
}

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
    const ROW: f64 = 26.0;
    framed("bar-chart", title, move |width, said| {
        // The largest groups, whatever order the table has (by date for months and days).
        let mut all = groups.get();
        let measure = measure.get();
        let money = |value: f64, denomination: &str| figure(value, denomination, measure);
        // Bars share one scale, so one currency (or unit): the groups' first, whose total is largest.
        let denomination = all.first().map(|g| g.currency.clone()).unwrap_or_default();
        let mut others: Vec<String> =
            all.iter().filter(|g| g.currency != denomination).map(|g| g.currency.clone()).collect();
        others.sort_unstable();
        others.dedup();
        let only = only_in(&denomination, &others, measure);
        all.retain(|g| g.currency == denomination);
        all.sort_by(|a, b| b.cost.total_cmp(&a.cost));
        let shown: Vec<Group> = all.into_iter().take(BARS).collect();
        // Groups beyond the bars, and those of other currencies or units: all in the table.
        let more = groups.with(Vec::len).saturating_sub(shown.len());
        // Names get up to 30 % of the width; the figures what their longest needs (at
        // most 40 %); the bars what is left. 7.5 px is a 12 px character, on average.
        let label_width = (width * 0.3).min(190.0);
        let longest = shown.iter().map(|g| money(g.cost, &g.currency).chars().count()).max().unwrap_or(0);
        let value_width = (longest as f64 * 7.5 + 10.0).min(width * 0.4);
        let characters = ((label_width - 10.0) / 7.5).floor().max(6.0) as usize;
        let largest = shown.iter().map(|g| g.cost).fold(0.0_f64, f64::max);
        let height = (shown.len() as f64 * ROW).max(ROW);
        let summary = shown
            .iter()
            .map(|g| format!("{} {}", label(&g.key), money(g.cost, &g.currency)))
            .collect::<Vec<_>>()
            .join("; ");
        let drawing = view! {
                    <svg
                        class="chart__svg"
                        viewBox=format!("0 0 {width} {height}")
                        role="group"
                        aria-labelledby="bar-chart-title"
                        aria-describedby="bar-chart-summary"
                        on:mouseleave=move |_| said.set(None)
                    >
                        {shown
                            .into_iter()
                            .enumerate()
                            .map(|(i, group)| {
                                let y = i as f64 * ROW;
                                let length = if largest > 0.0 {
                                    (group.cost.max(0.0) / largest) * (width - label_width - value_width)
                                } else {
                                    0.0
                                };
                                let name = label(&group.key);
                                let text = format!("{name}: {}", money(group.cost, &group.currency));
                                let show = readout(said, text.clone());
                                view! {
                                    <g
                                        class="chart__bar"
                                        data-key=group.key.clone()
                                        tabindex="0"
                                        role="img"
                                        aria-label=text.clone()
                                        on:mouseenter={
                                            let show = show.clone();
                                            move |_| show()
                                        }
                                        on:focus=move |_| show()
                                        on:blur=move |_| said.set(None)
                                    >
                                        <title>{text.clone()}</title>
                                        <text class="chart__label" x=label_width - 8.0 y=y + ROW * 0.65 text-anchor="end">
                                            {format::shorten_middle(&name, characters)}
                                        </text>
                                        <rect
                                            class=fill(i, &group.key)
                                            x=label_width
                                            y=y + 4.0
                                            width=length.max(1.0)
                                            height=ROW - 8.0
                                            rx="3"
                                        ></rect>
                                        <text class="chart__value" x=label_width + length + 6.0 y=y + ROW * 0.65>
                                            {money(group.cost, &group.currency)}
                                        </text>
                                    </g>
                                }
                            })
                            .collect_view()}
                    </svg>
                    {(more > 0).then(|| view! { <p class="chart__more" data-testid="bar-chart-more">{format!("+{more} more in the table below")}</p> })}
                    {only.map(|text| view! { <p class="chart__more" data-testid="bar-chart-only">{text}</p> })}
                }
                .into_any();
        (drawing, summary)
    })
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
    const HEIGHT: f64 = 220.0;
    const AXIS: f64 = 84.0;
    const FOOT: f64 = 22.0;
    framed("time-chart", title, move |width, said| {
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
        let slot = (width - AXIS) / periods as f64;
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
                        // One stop per period: its total, then each series in it.
                        let parts: Vec<String> = data
                            .series
                            .iter()
                            .filter(|series| series.values[p] != 0.0)
                            .map(|series| format!("{} {}", label(&series.key), in_currency(series.values[p])))
                            .collect();
                        let text = format!("{}: {} ({})", data.periods[p], in_currency(totals[p]), parts.join(", "));
                        let show = readout(said, text.clone());
                        let marks = data
                            .series
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
                            .collect_view();
                        view! {
                            <g
                                class="chart__column"
                                data-period=data.periods[p].clone()
                                tabindex="0"
                                role="img"
                                aria-label=text
                                on:mouseenter={
                                    let show = show.clone();
                                    move |_| show()
                                }
                                on:focus=move |_| show()
                                on:blur=move |_| said.set(None)
                            >
                                {marks}
                            </g>
                        }
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
        let drawing = view! {
                    <svg
                        class="chart__svg"
                        viewBox=format!("0 0 {width} {HEIGHT}")
                        role="group"
                        aria-labelledby="time-chart-title"
                        aria-describedby="time-chart-summary"
                        on:mouseleave=move |_| said.set(None)
                    >
                        {ticks_at
                            .iter()
                            .map(|&tick| {
                                let y = plot - scale(tick);
                                view! {
                                    <line class="chart__grid" x1=AXIS y1=y x2=width y2=y></line>
                                    <text class="chart__tick" x=AXIS - 6.0 y=y + 4.0 text-anchor="end">{in_currency(tick)}</text>
                                }
                            })
                            .collect_view()}
                        <line class="chart__axis" x1=AXIS y1=plot x2=width y2=plot></line>
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
                    {only_in(&currency, &data.left_out, measure).map(|text| view! { <p class="chart__more" data-testid="time-chart-only">{text}</p> })}
                }
                .into_any();
        (drawing, format!("Total per period: {summary}"))
    })
}

/// What a chart drawn in one currency (or unit) says of the others it leaves out.
fn only_in(shown: &str, others: &[String], measure: Measure) -> Option<String> {
    if others.is_empty() {
        return None;
    }
    let others: Vec<String> = others.iter().map(|o| label(o)).collect();
    let (what, kind) = if measure.is_money() { ("Amounts", "currencies") } else { ("Quantities", "units") };
    Some(format!(
        "{what} in {} only: {} in the table below ({kind} are never added).",
        label(shown),
        if others.len() == 1 { format!("{} is", others[0]) } else { format!("{} are", others.join(", ")) }
    ))
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
