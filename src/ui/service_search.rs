//! The service box: an accessible combobox (ARIA 1.2 "list autocomplete"):
//! type to filter, arrow keys to move, Enter to pick, Escape to close or clear.

use leptos::ev;
use leptos::prelude::*;

use super::costs_page::service_label;
use super::state::AppState;
use crate::engine::{format, search};

/// More options than this are not read by anyone; typing narrows the list.
const MAX_OPTIONS: usize = 50;

/// The service picker.
#[component]
pub fn ServiceSearch() -> impl IntoView {
    let state = expect_context::<AppState>();
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(0usize);

    // (service, undiscounted cost) of the matching services, best match first.
    let options = Memo::new(move |_| {
        state.report.with(|report| {
            let Some(report) = report else { return Vec::new() };
            let names = report.services.iter().map(|s| s.service.as_str());
            search::rank(&query.get(), names)
                .into_iter()
                .take(MAX_OPTIONS)
                .map(|index| (report.services[index].service.clone(), report.services[index].undiscounted))
                .collect::<Vec<_>>()
        })
    });
    let choose = move |service: String| {
        query.set(service_label(&service));
        state.selected.set(Some(service));
        open.set(false);
    };
    let on_keydown = move |event: ev::KeyboardEvent| {
        let count = options.with(Vec::len);
        match event.key().as_str() {
            "ArrowDown" => {
                event.prevent_default();
                if open.get() && count > 0 {
                    active.update(|a| *a = (*a + 1) % count);
                } else {
                    open.set(true);
                    active.set(0);
                }
            }
            "ArrowUp" => {
                event.prevent_default();
                if count > 0 {
                    open.set(true);
                    active.update(|a| *a = (*a + count - 1) % count);
                }
            }
            "Home" | "End" if open.get() && count > 0 => {
                event.prevent_default();
                active.set(if event.key() == "Home" { 0 } else { count - 1 });
            }
            "Enter" => {
                if open.get()
                    && let Some((service, _)) = options.with(|o| o.get(active.get()).cloned())
                {
                    event.prevent_default();
                    choose(service);
                }
            }
            "Escape" => {
                if open.get() {
                    open.set(false);
                } else {
                    query.set(String::new());
                }
            }
            "Tab" => open.set(false),
            _ => {}
        }
    };
    let option_id = |index: usize| format!("service-option-{index}");

    view! {
        <div class="search">
            <label class="search__label" for="service-search">"Service"</label>
            <input
                id="service-search"
                class="search__input"
                type="text"
                role="combobox"
                autocomplete="off"
                spellcheck="false"
                placeholder="Type a service, e.g. EC2"
                aria-autocomplete="list"
                aria-controls="service-options"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-activedescendant=move || (open.get() && options.with(|o| !o.is_empty())).then(|| option_id(active.get()))
                prop:value=move || query.get()
                on:input=move |event| {
                    query.set(event_target_value(&event));
                    open.set(true);
                    active.set(0);
                }
                on:keydown=on_keydown
                on:focus=move |_| open.set(true)
                on:blur=move |_| open.set(false)
            />
            <ul
                id="service-options"
                class="search__options"
                role="listbox"
                aria-label="Services"
                hidden=move || !open.get() || options.with(Vec::is_empty)
            >
                {move || {
                    options
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(index, (service, cost))| {
                            let is_active = move || active.get() == index;
                            let picked = service.clone();
                            view! {
                                <li
                                    id=option_id(index)
                                    class="search__option"
                                    class:search__option--active=is_active
                                    role="option"
                                    aria-selected=move || if is_active() { "true" } else { "false" }
                                    data-service=service.clone()
                                    // mousedown, not click: it fires before the input's blur closes the list.
                                    on:mousedown=move |event| {
                                        event.prevent_default();
                                        choose(picked.clone());
                                    }
                                >
                                    <span class="search__name">{service_label(&service)}</span>
                                    <span class="search__cost">{format::money(cost)}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <p class="search__count" aria-live="polite">
                {move || {
                    if !open.get() || query.with(String::is_empty) {
                        String::new()
                    } else {
                        match options.with(Vec::len) {
                            0 => "No service matches.".into(),
                            1 => "1 service matches.".into(),
                            n => format!("{n} services match."),
                        }
                    }
                }}
            </p>
        </div>
    }
}
