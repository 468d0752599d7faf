//! The totals over every service, and the blended discount rate.

use leptos::prelude::*;

use super::state::AppState;
use crate::engine::format;

/// Overall undiscounted and discounted cost and the blended discount rate.
#[component]
pub fn Totals() -> impl IntoView {
    let state = expect_context::<AppState>();
    let total = move || state.report.with(|report| report.as_ref().map(|r| r.total.clone()));
    let counts = move || {
        state.report.with(|report| {
            report.as_ref().map_or_else(String::new, |r| {
                let files = if r.files == 1 { "1 file".to_owned() } else { format!("{} files", r.files) };
                let nulls = if r.null_costs > 0 {
                    format!(", {} with no cost (counted as 0)", format::count(r.null_costs))
                } else {
                    String::new()
                };
                format!("{files}, {} rows, {} usage rows{nulls}", format::count(r.rows), format::count(r.usage_rows))
            })
        })
    };
    view! {
        <div
            class="totals"
            data-testid="totals"
            data-undiscounted=move || total().map(|t| t.undiscounted.to_string())
            data-discounted=move || total().map(|t| t.discounted.to_string())
            data-blended-rate=move || total().map(|t| t.blended_rate.map(|r| r.to_string()).unwrap_or_default())
        >
            <h3 class="totals__title">"All services"</h3>
            <dl class="figures">
                <div class="figures__item">
                    <dt>"Undiscounted"</dt>
                    <dd>{move || total().map(|t| format::money(t.undiscounted))}</dd>
                </div>
                <div class="figures__item">
                    <dt>"Discounted"</dt>
                    <dd>{move || total().map(|t| format::money(t.discounted))}</dd>
                </div>
                <div class="figures__item figures__item--key">
                    <dt>"Blended discount rate"</dt>
                    <dd data-testid="blended-rate">
                        {move || total().map(|t| t.blended_rate.map_or_else(|| "— (nothing spent)".into(), format::rate))}
                    </dd>
                </div>
            </dl>
            <p class="totals__counts">{counts}</p>
        </div>
    }
}
