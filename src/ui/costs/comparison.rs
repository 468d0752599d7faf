//! Two sets of files of the same period side by side: the files in use against
//! others chosen here (a month as first delivered and as restated, or two
//! exports that should agree), service by service. The other files are read by
//! the same workers with the costs scan only, and replace nothing.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use super::super::combobox::shown;
use super::super::state::{AppState, Other};
use crate::browser::files;
use crate::browser::intl::money;
use crate::engine::compare::{Comparison as Compared, compare};
use crate::engine::cost_report;

/// The files in use against other files, service by service.
#[component]
pub fn Comparison() -> impl IntoView {
    let state = expect_context::<AppState>();
    let other = state.other;
    let choose = move |event: ev::Event| {
        let input: HtmlInputElement = event.target().expect("an input fired it").unchecked_into();
        let Some(list) = input.files() else { return };
        let picked = files::from_list(&list);
        input.set_value("");
        state.compare_with(picked);
    };
    let compared = move || -> Option<(Compared, usize)> {
        let Other::Read(analysis) = other.get() else { return None };
        let current = state.report.get()?;
        let usage = state.view.with(|v| v.usage.clone());
        let theirs = state
            .workspaces
            .with(|w| cost_report(&analysis.tally, analysis.files_used(), &w.current().discounts, &usage));
        Some((compare(&current, &theirs), analysis.files_used()))
    };
    let status = move || match other.get() {
        Other::None => None,
        Other::Reading(progress) => {
            let fraction = progress.fraction();
            Some(
                view! { <p role="status">{format!("Reading the other files ({:.0}%)…", fraction * 100.0)}</p> }
                    .into_any(),
            )
        }
        Other::Failed(problem) => Some(view! { <p class="status__text--error" role="alert">{problem}</p> }.into_any()),
        Other::Read(_) => None,
    };
    let result = move || {
        let (found, files) = compared()?;
        let totals: Vec<String> = found
            .totals
            .iter()
            .map(|(currency, ours, theirs)| {
                format!(
                    "these files {}, the other {} {}, a difference of {}",
                    money(*ours, currency),
                    if files == 1 { "file" } else { "files" },
                    money(*theirs, currency),
                    money(ours - theirs, currency)
                )
            })
            .collect();
        let unchanged = match found.unchanged {
            1 => "1 service has the same cost in both.".to_owned(),
            n => format!("{n} services have the same cost in both."),
        };
        Some(view! {
            <p data-testid="comparison-summary">{format!("Usage cost: {}. {unchanged}", totals.join("; "))}</p>
            <div class="table-wrap">
                <table class="services" data-testid="comparison-table">
                    <caption class="visually-hidden">"Services whose cost differs between the two sets of files"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Service"</th>
                            <th scope="col" class="numeric">"These files"</th>
                            <th scope="col" class="numeric">"Other files"</th>
                            <th scope="col" class="numeric">"Difference"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {found.changed.into_iter().map(|c| view! {
                            <tr
                                data-service=c.service.clone()
                                data-current=c.current.to_string()
                                data-other=c.other.to_string()
                                data-change=c.change.to_string()
                            >
                                <th scope="row">{shown(&c.service)}</th>
                                <td class="numeric">{money(c.current, &c.currency)}</td>
                                <td class="numeric">{money(c.other, &c.currency)}</td>
                                <td class="numeric">{money(c.change, &c.currency)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })
    };
    view! {
        <details class="reconcile" data-testid="comparison">
            <summary>"Compare with other files (a restated month, another export)"</summary>
            <p class="reconcile__hint">
                "Choose another delivery of the same period: its usage cost is set beside these files', service "
                "by service, under the same usage rule. The files in use stay as they are."
            </p>
            <label class="button" for="compare-input">"Choose the other files…"</label>
            <input id="compare-input" class="visually-hidden" type="file" multiple accept=files::ACCEPT on:change=choose/>
            {status}
            {result}
        </details>
    }
}
