//! The costs page: pick a service, read its figures, the totals and the table of
//! every service, and adjust the discounts.

use leptos::prelude::*;

use super::discounts_editor::DiscountsEditor;
use super::service_detail::ServiceDetail;
use super::service_search::ServiceSearch;
use super::services_table::ServicesTable;
use super::totals::Totals;

/// Shown once a report exists.
#[component]
pub fn CostsPage() -> impl IntoView {
    view! {
        <section class="costs" aria-labelledby="costs-title">
            <h2 id="costs-title" class="costs__title">"Costs"</h2>
            <div class="costs__top">
                <div class="costs__pick">
                    <ServiceSearch/>
                    <ServiceDetail/>
                </div>
                <Totals/>
            </div>
            <ServicesTable/>
            <DiscountsEditor/>
        </section>
    }
}

/// How a service is shown: the raw code, or a placeholder when the files leave it empty.
pub fn service_label(service: &str) -> String {
    if service.is_empty() { "(no service)".to_owned() } else { service.to_owned() }
}
