//! Tying the costs page to the invoice: every line item type with its rows and
//! cost over all rows, what the usage rule counts and leaves out, and what the
//! files add up to. The figures come from the engine (`reconcile`).

use leptos::prelude::*;

use super::super::state::{AppState, Phase};
use crate::browser::intl::money;
use crate::engine::format;
use crate::engine::reconcile::reconcile;
use crate::engine::view::View;

/// The line item types and the balance of each currency.
#[component]
pub fn Reconciliation() -> impl IntoView {
    let state = expect_context::<AppState>();
    let found = Memo::new(move |_| {
        state.analysis.with(|a| a.as_ref().map(|a| state.view.with(|v| reconcile(&a.tally, &v.usage))))
    });
    // The one line a person checks against the invoice, shown while the table is folded.
    let summary = move || {
        let found = found.get().unwrap_or_default();
        let parts: Vec<String> = found
            .balances
            .iter()
            .map(|b| format!("all line items {}, counted {}", money(b.all, &b.currency), money(b.counted, &b.currency)))
            .collect();
        format!("Reconcile with your invoice: {}", parts.join("; "))
    };
    view! {
        <details
            class="reconcile"
            data-testid="reconciliation"
            on:toggle=move |e| {
                // The total per invoice is read when the panel is first opened.
                let open = event_target::<web_sys::HtmlDetailsElement>(&e).open();
                if open && state.invoices.with_untracked(|s| matches!(s, Phase::NotRead)) {
                    state.ensure_invoices();
                }
            }
        >
            <summary>{summary}</summary>
            <p class="reconcile__hint">
                "Every line item type in the files, over all their rows. The costs page counts the types marked "
                "counted (change that with “Counted as usage”). The files' total is what AWS charged for these "
                "rows; an invoice can also hold charges billed outside them."
            </p>
            <div class="table-wrap">
                <table class="services" data-testid="reconciliation-table">
                    <caption class="visually-hidden">"Line item types, their rows and cost, and whether they are counted"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Line item type"</th>
                            <th scope="col" class="numeric">"Rows"</th>
                            <th scope="col" class="numeric">"Cost"</th>
                            <th scope="col">"Counted as usage"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let found = found.get().unwrap_or_default();
                            found
                                .lines
                                .into_iter()
                                .map(|line| {
                                    view! {
                                        <tr
                                            data-type=line.line_item_type.clone()
                                            data-cost=line.cost.to_string()
                                            data-currency=line.currency.clone()
                                            data-counted=line.counted.to_string()
                                            class:reconcile__left-out=!line.counted
                                        >
                                            <th scope="row">{format::label(&line.line_item_type).into_owned()}</th>
                                            <td class="numeric">{format::count(line.rows)}</td>
                                            <td class="numeric">{money(line.cost, &line.currency)}</td>
                                            <td>{if line.counted { "counted" } else { "left out" }}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                    <tfoot>
                        {move || {
                            let found = found.get().unwrap_or_default();
                            found
                                .balances
                                .into_iter()
                                .map(|b| {
                                    let row = |label: &'static str, amount: f64, which: &'static str| {
                                        view! {
                                            <tr data-balance=which data-cost=amount.to_string() data-currency=b.currency.clone()>
                                                <th scope="row" colspan="2">{label}</th>
                                                <td class="numeric">{money(amount, &b.currency)}</td>
                                                <td></td>
                                            </tr>
                                        }
                                    };
                                    view! {
                                        {row("All line items (the files' total)", b.all, "all")}
                                        {row("Counted as usage (the costs page's undiscounted total)", b.counted, "counted")}
                                        {row("Left out", b.left_out, "left-out")}
                                    }
                                })
                                .collect_view()
                        }}
                    </tfoot>
                </table>
            </div>
            <PerInvoice/>
            <p class="reconcile__hint">
                <a
                    href=format!("?{}", View::per_invoice().to_query_string())
                    data-testid="per-invoice"
                    on:click=move |e| {
                        e.prevent_default();
                        let files = state.view.with_untracked(|v| v.files.clone());
                        state.view.set(View { files, ..View::per_invoice() });
                    }
                >
                    "The files' total per invoice and month →"
                </a>
                " (every line item, by the invoice id the files carry: CUR bill_invoice_id, FOCUS InvoiceId; "
                "rows of a month not yet invoiced have none)."
            </p>
        </details>
    }
}

/// The files' total per invoice, with its issuer, billing period and currency,
/// to tie each to the invoice received.
#[component]
fn PerInvoice() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.invoices.with(|stage| match stage {
            Phase::NotRead => None,
            Phase::Reading(progress) => Some(
                view! {
                    <p class="reconcile__hint" role="status">
                        {format!("Reading the invoices ({:.0}%)…", progress.fraction() * 100.0)}
                    </p>
                }
                .into_any(),
            ),
            Phase::Failed(problem) => {
                Some(view! { <p class="status__text--error" role="alert">{problem.clone()}</p> }.into_any())
            }
            Phase::Ready(read) => Some(
                view! {
                    {read.problems.iter().map(|p| view! { <p class="status__text--error" role="alert">{format!("Left out: {p}")}</p> }).collect_view()}
                    <div class="table-wrap" tabindex="0" role="region" aria-label="Total per invoice">
                        <table class="services" data-testid="invoices-table">
                            <caption class="services__caption">
                                "Per invoice: every line item's billed cost, by the invoice id, issuer and billing period the files carry"
                            </caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Billing period"</th>
                                    <th scope="col">"Issuer"</th>
                                    <th scope="col">"Invoice"</th>
                                    <th scope="col" class="numeric">"Cost"</th>
                                    <th scope="col" class="numeric">"Rows"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {read.invoices.iter().map(|r| {
                                    let or = |text: &str, instead: &str| if text.is_empty() { instead.to_owned() } else { text.to_owned() };
                                    view! {
                                        <tr data-invoice=r.invoice.clone() data-issuer=r.issuer.clone() data-period=r.period.clone()
                                            data-currency=r.currency.clone() data-cost=r.cost.to_string()>
                                            <td>{or(&r.period, "—")}</td>
                                            <td>{or(&r.issuer, "—")}</td>
                                            <th scope="row">{or(&r.invoice, "(not invoiced yet)")}</th>
                                            <td class="numeric">{money(r.cost, &r.currency)}</td>
                                            <td class="numeric">{format::count(r.rows)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any(),
            ),
        })
    }
}
