//! The service box of the costs page.

use leptos::prelude::*;

use super::super::combobox::{Choice, Combobox};
use super::super::state::AppState;
use crate::browser::intl::money;

/// The service picker: its options are the report's services with their cost.
#[component]
pub fn ServiceSearch() -> impl IntoView {
    let state = expect_context::<AppState>();
    let options = Signal::derive(move || {
        state.report.with(|report| {
            report.as_ref().map_or_else(Vec::new, |r| {
                let mut seen = std::collections::HashSet::new();
                r.services
                    .iter()
                    .filter(|s| seen.insert(s.service.as_str()))
                    .map(|s| Choice {
                        value: s.service.clone(),
                        name: s.name.clone(),
                        detail: money(s.undiscounted, &s.currency),
                    })
                    .collect()
            })
        })
    });
    let on_pick = Callback::new(move |service: String| state.view.update(|view| view.service = Some(service)));
    view! {
        <Combobox
            id="service-search"
            label="Service"
            placeholder="Type a service, e.g. EC2"
            options=options
            on_pick=on_pick
        />
    }
}
