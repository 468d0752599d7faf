//! What the costs page's figures leave out or move, said beside them, each
//! with the choice that changes it: usage paid by commitments (0 unblended,
//! countable at its on-demand price), and rows of no service code (named by
//! their product code, or "(none)" as the original service counted them).
//! The sentences are the engine's, so the command line says the same.

use leptos::prelude::*;

use super::super::state::AppState;
use crate::browser::intl::money;
use crate::engine::UsageRule;

/// The notes and their choices, shown only where the files call for them.
#[component]
pub fn LeftOut() -> impl IntoView {
    let state = expect_context::<AppState>();
    let covered = move || {
        state.report.with(|r| {
            let covered = r.as_ref().map(|r| r.covered.as_slice()).unwrap_or_default();
            covered.iter().map(|c| (c.currency.clone(), c.rows, c.on_demand, c.sentence(money))).collect::<Vec<_>>()
        })
    };
    let fell_back = move || {
        state.report.with(|r| {
            let fell_back = r.as_ref().map(|r| r.fell_back.as_slice()).unwrap_or_default();
            fell_back.iter().map(|f| (f.currency.clone(), f.rows, f.cost, f.sentence(money))).collect::<Vec<_>>()
        })
    };
    // Counting at a price is offered once the price is known (the explorer's
    // cube brings it a moment after the costs).
    let priced = move || state.report.with(|r| r.as_ref().is_some_and(|r| r.covered.iter().all(|c| c.priced)));
    view! {
        <section class="left-out" data-testid="left-out" aria-label="What the figures leave out">
            <Note
                testid="covered-note"
                choice="covered-at-list"
                choosable=Signal::derive(priced)
                sentences=Signal::derive(covered)
                label=" Count it in “undiscounted” at its public on-demand price"
                chosen=UsageRule::covered_at_list
                choose=UsageRule::with_covered_at_list
            />
            <Note
                testid="fell-back-note"
                choice="service-code-only"
                choosable=Signal::derive(|| true)
                sentences=Signal::derive(fell_back)
                label=" The original service's rule: count them as “(none)”"
                chosen=UsageRule::service_code_only
                choose=UsageRule::with_service_code_only
            />
        </section>
    }
}

/// One note: a sentence per currency (currency, rows, amount, sentence), and
/// the usage rule's choice that changes what it says, as a checkbox.
#[component]
fn Note(
    testid: &'static str,
    choice: &'static str,
    choosable: Signal<bool>,
    sentences: Signal<Vec<(String, u64, f64, String)>>,
    label: &'static str,
    chosen: fn(&UsageRule) -> bool,
    choose: fn(&UsageRule, bool) -> UsageRule,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let usage = move || state.view.with(|v| v.usage.clone());
    move || {
        let sentences = sentences.get();
        (!sentences.is_empty()).then(|| {
            view! {
                <div class="left-out__item" role="note" data-testid=testid>
                    {sentences
                        .into_iter()
                        .map(|(currency, rows, amount, sentence)| view! {
                            <p data-currency=currency data-rows=rows data-amount=amount.to_string()>{sentence}</p>
                        })
                        .collect_view()}
                    <Show when=move || choosable.get()>
                        <label class="left-out__choice">
                            <input
                                type="checkbox"
                                data-testid=choice
                                prop:checked=move || chosen(&usage())
                                on:change=move |event| state.set_usage(choose(&usage(), event_target_checked(&event)))
                            />
                            {label}
                        </label>
                    </Show>
                </div>
            }
        })
    }
}
