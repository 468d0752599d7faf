//! The totals over every service, and the share paid after discounts (the
//! brief's blended discount rate: discounted ÷ undiscounted).

use leptos::prelude::*;

use super::super::state::AppState;
use crate::browser::intl::money;
use crate::engine::format;

/// Overall undiscounted and discounted cost and the blended discount rate: one
/// set per currency, as amounts in different currencies are never added.
#[component]
pub fn Totals() -> impl IntoView {
    let state = expect_context::<AppState>();
    // The one total of files in one currency (`None` when they mix currencies).
    let total = move || state.report.with(|report| report.as_ref().and_then(|r| r.total.clone()));
    let totals = move || {
        state.report.with(|report| {
            report.as_ref().map_or_else(Vec::new, |r| {
                if r.totals.is_empty() { r.total.iter().cloned().collect() } else { r.totals.clone() }
            })
        })
    };
    let mixed = move || {
        let totals = totals();
        (totals.len() > 1).then(|| {
            let codes: Vec<&str> = totals.iter().map(|t| t.currency.as_str()).collect();
            format!(
                "These files bill in {} currencies ({}). Amounts in different currencies are never added: each has its own totals.",
                codes.len(),
                codes.join(", ")
            )
        })
    };
    // Whose discounts these are, beside every discounted figure.
    let table = move || {
        state.workspaces.with(|w| {
            let current = w.current();
            format!("Discounted with {}, in workspace “{}”.", current.discounts.describe(), current.name)
        })
    };
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
            data-currency=move || total().map(|t| t.currency)
            data-undiscounted=move || total().map(|t| t.undiscounted.to_string())
            data-discounted=move || total().map(|t| t.discounted.to_string())
            data-blended-rate=move || total().map(|t| t.blended_rate.map(|r| r.to_string()).unwrap_or_default())
        >
            <h3 class="totals__title">"All services"</h3>
            {move || mixed().map(|text| view! { <p class="totals__mixed" role="note" data-testid="mixed-currencies">{text}</p> })}
            {move || {
                let several = totals().len() > 1;
                totals()
                    .into_iter()
                    .map(|t| {
                        let in_currency = |amount: f64| money(amount, &t.currency);
                        view! {
                            <div class="totals__currency" data-testid="currency-total" data-currency=t.currency.clone() data-undiscounted=t.undiscounted.to_string()>
                            {several.then(|| view! { <h4 class="totals__code">{t.currency.clone()}</h4> })}
                            <dl class="figures">
                                <div class="figures__item">
                                    <dt>"Undiscounted"</dt>
                                    <dd>{in_currency(t.undiscounted)}</dd>
                                </div>
                                <div class="figures__item">
                                    <dt>"Discounted"</dt>
                                    <dd>{in_currency(t.discounted)}</dd>
                                </div>
                                <div class="figures__item figures__item--key">
                                    <dt title="Discounted ÷ undiscounted: the brief's “blended discount rate” (not AWS's blended cost)">
                                        "Share paid after discounts"
                                    </dt>
                                    <dd data-testid="blended-rate">
                                        {t.blended_rate.map_or_else(|| "— (nothing spent)".into(), format::rate)}
                                        {t.blended_rate.map(|rate| view! { <span class="figures__saving">{format!(" ({})", format::saving(rate))}</span> })}
                                    </dd>
                                </div>
                            </dl>
                            </div>
                        }
                    })
                    .collect_view()
            }}
            <p class="totals__table" data-testid="discount-table">{table}</p>
            <p class="totals__counts">{counts}</p>
        </div>
    }
}
