//! Every service's figures in a sortable table (the original `/api/cost/all`).

use leptos::prelude::*;

use super::super::combobox::shown;
use super::super::state::AppState;
use crate::browser::intl::money;
use crate::engine::{ServiceCost, format};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Column {
    Service,
    Undiscounted,
    Multiplier,
    Discounted,
    Rate,
}

impl Column {
    const ALL: [Column; 5] =
        [Column::Service, Column::Undiscounted, Column::Multiplier, Column::Discounted, Column::Rate];

    fn title(self) -> &'static str {
        match self {
            Column::Service => "Service",
            Column::Undiscounted => "Undiscounted",
            Column::Multiplier => "Multiplier",
            Column::Discounted => "Discounted",
            Column::Rate => "Rate",
        }
    }

    fn compare(self, a: &ServiceCost, b: &ServiceCost) -> std::cmp::Ordering {
        match self {
            Column::Service => a.service.to_lowercase().cmp(&b.service.to_lowercase()),
            Column::Undiscounted => a.undiscounted.total_cmp(&b.undiscounted),
            Column::Multiplier => a.multiplier.total_cmp(&b.multiplier),
            Column::Discounted => a.discounted.total_cmp(&b.discounted),
            Column::Rate => a.rate.total_cmp(&b.rate),
        }
    }
}

/// The table. Rows carry full-precision figures in `data-*` attributes for tests.
#[component]
pub fn ServicesTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Highest cost first, as the report comes.
    let sort = RwSignal::new((Column::Undiscounted, false));
    let rows = move || {
        let (column, ascending) = sort.get();
        let (mut services, currencies) = state.report.with(|report| {
            report.as_ref().map_or_else(Default::default, |r| {
                (r.services.clone(), r.totals.iter().map(|t| t.currency.clone()).collect::<Vec<_>>())
            })
        });
        // Amounts in different currencies are not one number: the rows are grouped
        // by currency (the largest total first, as the totals are), sorted within it.
        let rank = |currency: &str| currencies.iter().position(|c| c == currency);
        services.sort_by(|a, b| {
            let order = column.compare(a, b).then_with(|| a.service.cmp(&b.service));
            rank(&a.currency).cmp(&rank(&b.currency)).then(if ascending { order } else { order.reverse() })
        });
        services
    };
    let header = move |column: Column| {
        let aria_sort = move || match sort.get() {
            (c, true) if c == column => "ascending",
            (c, false) if c == column => "descending",
            _ => "none",
        };
        let numeric = column != Column::Service;
        view! {
            <th scope="col" aria-sort=aria_sort class:numeric=numeric>
                <button
                    class="sort"
                    type="button"
                    on:click=move |_| {
                        sort.update(|(current, ascending)| {
                            if *current == column {
                                *ascending = !*ascending;
                            } else {
                                *current = column;
                                *ascending = column == Column::Service;
                            }
                        })
                    }
                >
                    {column.title()}
                    <span class="sort__mark" aria-hidden="true">
                        {move || match aria_sort() {
                            "ascending" => "▲",
                            "descending" => "▼",
                            _ => "",
                        }}
                    </span>
                </button>
            </th>
        }
    };
    view! {
        <div class="table-wrap">
            <table class="services" data-testid="costs-table">
                <caption class="services__caption">"All services, by usage cost"</caption>
                <thead>
                    <tr>{Column::ALL.map(header)}</tr>
                </thead>
                <tbody>
                    <For each=rows key=|s| (s.service.clone(), s.currency.clone(), s.undiscounted.to_bits(), s.multiplier.to_bits()) let:service>
                        <tr
                            data-service=service.service.clone()
                            data-currency=service.currency.clone()
                            data-undiscounted=service.undiscounted.to_string()
                            data-discounted=service.discounted.to_string()
                            data-rate=service.rate.to_string()
                            class:selected={
                                let name = service.service.clone();
                                move || state.view.with(|v| v.service.as_deref() == Some(name.as_str()))
                            }
                        >
                            <th scope="row">
                                <button class="link" type="button" on:click={
                                    let name = service.service.clone();
                                    move |_| state.view.update(|v| v.service = Some(name.clone()))
                                }>{shown(&service.service)}</button>
                                {service.name.clone().map(|name| view! { <span class="services__name">{name}</span> })}
                            </th>
                            <td class="numeric">{money(service.undiscounted, &service.currency)}</td>
                            <td class="numeric">{format::rate(service.multiplier)}</td>
                            <td class="numeric">{money(service.discounted, &service.currency)}</td>
                            <td class="numeric">{format::rate(service.rate)}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
    }
}
