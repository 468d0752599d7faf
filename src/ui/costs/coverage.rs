//! What the files cover, beside the totals: the days with costs, the number of
//! accounts, and the usage cost of each month. It needs the explorer's data, so
//! it says so until that is ready.

use leptos::prelude::*;

use super::super::state::{AppState, Explorer};
use crate::browser::intl::money;
use crate::engine::dates::format_day;
use crate::engine::query::coverage;

/// The period, the accounts and the months.
#[component]
pub fn Coverage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let covered = Memo::new(move |_| {
        let cube = state.cube.get()?;
        Some(state.view.with(|v| coverage(&cube, &v.usage)))
    });
    view! {
        <section class="coverage" data-testid="coverage" aria-label="What the files cover">
            {move || match (covered.get(), state.explorer.get()) {
                (Some(covered), _) => {
                    let span = covered.span.map_or_else(
                        || "No dates in the files".to_owned(),
                        |(first, last)| format!("Usage from {} to {}", format_day(first), format_day(last)),
                    );
                    let accounts =
                        if covered.accounts == 1 { "1 account".to_owned() } else { format!("{} accounts", covered.accounts) };
                    view! {
                        <p class="coverage__span" data-accounts=covered.accounts>{format!("{span} · {accounts}")}</p>
                        <ul class="coverage__months">
                            {covered
                                .months
                                .into_iter()
                                .map(|m| {
                                    let partial = covered.partial.contains(&m.key);
                                    view! {
                                        <li data-month=m.key.clone() data-cost=m.cost.to_string() data-partial=partial.to_string()>
                                            <span class="coverage__month">{m.key.clone()}</span>
                                            {partial.then(|| view! { <span class="coverage__partial" title="The files' rows start after this month's first day or end before its last">" (partial)"</span> })}
                                            " "
                                            <span class="coverage__cost">{money(m.cost, &m.currency)}</span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
                (None, Explorer::Failed(_)) => view! { <p class="coverage__span">"Months and accounts are not available: see the Explorer tab."</p> }.into_any(),
                (None, _) => view! { <p class="coverage__span">"Months and accounts appear once the files are read for the explorer…"</p> }.into_any(),
            }}
        </section>
    }
}
