//! What the costs page's figures leave out or move, said beside them, each
//! with the choice that changes it: usage paid by commitments (0 unblended,
//! countable at its on-demand price), and rows of no service code (named by
//! their product code, or "(none)" as the original service counted them).
//! The sentences are the engine's, so the command line says the same.

use leptos::prelude::*;

use super::super::state::AppState;
use crate::browser::intl::money;

/// The notes and their choices, shown only where the files call for them.
#[component]
pub fn LeftOut() -> impl IntoView {
    let state = expect_context::<AppState>();
    let usage = move || state.view.with(|v| v.usage.clone());
    let covered = move || state.report.with(|r| r.as_ref().map(|r| r.covered.clone()).unwrap_or_default());
    let fell_back = move || state.report.with(|r| r.as_ref().map(|r| r.fell_back.clone()).unwrap_or_default());
    view! {
        <section class="left-out" data-testid="left-out" aria-label="What the figures leave out">
            {move || {
                let covered = covered();
                (!covered.is_empty()).then(|| {
                    view! {
                        <div class="left-out__item" role="note" data-testid="covered-note">
                            {covered
                                .iter()
                                .map(|c| view! {
                                    <p data-currency=c.currency.clone() data-rows=c.rows data-on-demand=c.on_demand.to_string()>
                                        {c.sentence(money)}
                                    </p>
                                })
                                .collect_view()}
                            <label class="left-out__choice">
                                <input
                                    type="checkbox"
                                    data-testid="covered-at-list"
                                    prop:checked=move || usage().covered_at_list()
                                    on:change=move |event| state.set_usage(usage().with_covered_at_list(event_target_checked(&event)))
                                />
                                " Count it in “undiscounted” at its public on-demand price"
                            </label>
                        </div>
                    }
                })
            }}
            {move || {
                let fell_back = fell_back();
                (!fell_back.is_empty()).then(|| {
                    view! {
                        <div class="left-out__item" role="note" data-testid="fell-back-note">
                            {fell_back
                                .iter()
                                .map(|f| view! { <p data-currency=f.currency.clone() data-rows=f.rows data-cost=f.cost.to_string()>{f.sentence(money)}</p> })
                                .collect_view()}
                            <label class="left-out__choice">
                                <input
                                    type="checkbox"
                                    data-testid="service-code-only"
                                    prop:checked=move || usage().service_code_only()
                                    on:change=move |event| state.set_usage(usage().with_service_code_only(event_target_checked(&event)))
                                />
                                " The original service's rule: count them as “(none)”"
                            </label>
                        </div>
                    }
                })
            }}
        </section>
    }
}
