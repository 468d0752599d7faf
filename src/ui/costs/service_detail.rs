//! The figures of the service picked in the search box.

use leptos::prelude::*;

use super::super::combobox::shown;
use super::super::state::AppState;
use crate::browser::intl::money;
use crate::engine::format;

/// Undiscounted cost, multiplier, discounted cost and rate of one service.
#[component]
pub fn ServiceDetail() -> impl IntoView {
    let state = expect_context::<AppState>();
    let figures = move || {
        let selected = state.view.with(|v| v.service.clone())?;
        // A service billed in two currencies shows its figures in the larger (the report's order).
        state.report.with(|report| report.as_ref()?.services.iter().find(|s| s.service == selected).cloned())
    };
    view! {
        <div class="detail" data-testid="service-detail" aria-live="polite">
            {move || match figures() {
                None => view! { <p class="detail__empty">"Pick a service to see its figures."</p> }.into_any(),
                Some(service) => view! {
                    <h3 class="detail__name" data-testid="detail-service">{shown(&service.service)}</h3>
                    {service.name.clone().map(|name| view! { <p class="detail__alias" data-testid="detail-name">{name}</p> })}
                    <dl class="figures">
                        <div class="figures__item">
                            <dt>"Undiscounted"</dt>
                            <dd data-testid="detail-undiscounted" data-value=service.undiscounted.to_string()>
                                {money(service.undiscounted, &service.currency)}
                            </dd>
                        </div>
                        <div class="figures__item">
                            <dt>"Multiplier"</dt>
                            <dd data-testid="detail-multiplier" data-value=service.multiplier.to_string()>
                                {format::rate(service.multiplier)}
                            </dd>
                        </div>
                        <div class="figures__item">
                            <dt>"Discounted"</dt>
                            <dd data-testid="detail-discounted" data-value=service.discounted.to_string()>
                                {money(service.discounted, &service.currency)}
                            </dd>
                        </div>
                        <div class="figures__item">
                            <dt>"Rate"</dt>
                            <dd data-testid="detail-rate" data-value=service.rate.to_string()>{format::rate(service.rate)}</dd>
                        </div>
                    </dl>
                }
                    .into_any(),
            }}
        </div>
    }
}
