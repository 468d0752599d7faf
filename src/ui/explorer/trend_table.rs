//! What changed: each group's month against the month before, the largest
//! change first, for any month the files hold.

use leptos::prelude::*;

use super::super::state::AppState;
use crate::browser::intl::figure;
use crate::engine::trend::{MonthOverMonth, month_over_month};

/// Month over month, folded away until asked for.
#[component]
pub(super) fn TrendTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let chosen = RwSignal::new(None::<String>);
    let trend: Memo<MonthOverMonth> = Memo::new(move |_| {
        let Some(cube) = state.explorer_cube() else { return MonthOverMonth::default() };
        let month = chosen.get();
        state.view.with(|v| month_over_month(&cube, &v.query, &v.usage, month.as_deref()))
    });
    let measure = move || state.view.with(|v| v.query.measure);
    // A month the files cover only in part says so wherever it is named.
    let marked = move |month: &str| {
        trend.with(
            |t| if t.partial.iter().any(|p| p == month) { format!("{month} (partial)") } else { month.to_owned() },
        )
    };
    let summary = move || {
        let (month, previous) = trend.with(|t| (t.month.clone(), t.previous.clone()));
        match (month, previous) {
            (Some(month), Some(previous)) => {
                format!("Month over month: {} against {}", marked(&month), marked(&previous))
            }
            (Some(month), None) => format!(
                "Month over month: the files hold no month before {}; add the previous month's files to compare",
                marked(&month)
            ),
            _ => "Month over month: no dated costs".into(),
        }
    };
    let signed = move |value: f64, currency: &str| {
        let text = figure(value.abs(), currency, measure());
        if value > 0.0 {
            format!("+{text}")
        } else if value < 0.0 {
            format!("−{text}")
        } else {
            text
        }
    };
    view! {
        <details class="trend" data-testid="trend">
            <summary>{summary}</summary>
            <div class="controls__field">
                <label for="trend-month">"Month"</label>
                <select
                    id="trend-month"
                    prop:value=move || trend.with(|t| t.month.clone().unwrap_or_default())
                    on:change=move |e| chosen.set(Some(event_target_value(&e)))
                >
                    {move || trend.with(|t| t.months.iter().map(|m| view! { <option value=m.clone()>{marked(m)}</option> }).collect_view())}
                </select>
            </div>
            <div class="table-wrap">
                <table class="services" data-testid="trend-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || state.view.with(|v| v.dimension_label(v.query.group_by))}</th>
                            <th scope="col" class="numeric">{move || marked(&trend.with(|t| t.previous.clone().unwrap_or_default()))}</th>
                            <th scope="col" class="numeric">{move || marked(&trend.with(|t| t.month.clone().unwrap_or_default()))}</th>
                            <th scope="col" class="numeric">"Change"</th>
                            <th scope="col" class="numeric">"%"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let measure = measure();
                            trend.get().changes.into_iter().map(|c| {
                                let shown = state.shown_label(state.view.with_untracked(|v| v.query.group_by), &c.key);
                                let percent = c.percent.map_or_else(
                                    || "new".to_owned(),
                                    |p| format!("{}{:.1}%", if p > 0.0 { "+" } else if p < 0.0 { "−" } else { "" }, (p * 100.0).abs()),
                                );
                                view! {
                                    <tr
                                        data-key=c.key.clone()
                                        data-previous=c.previous.to_string()
                                        data-current=c.current.to_string()
                                        data-change=c.change.to_string()
                                    >
                                        <th scope="row">{shown}</th>
                                        <td class="numeric">{figure(c.previous, &c.currency, measure)}</td>
                                        <td class="numeric">{figure(c.current, &c.currency, measure)}</td>
                                        <td class="numeric">{signed(c.change, &c.currency)}</td>
                                        <td class="numeric">{percent}</td>
                                    </tr>
                                }
                            }).collect_view()
                        }}
                    </tbody>
                </table>
            </div>
        </details>
    }
}
