//! The discount table in the page: edit a multiplier, add one for any service,
//! restore the defaults, export it for the command line (`--discounts`) or import
//! one. Changes apply at once and are saved in the browser.

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlDetailsElement, HtmlInputElement};

use super::super::combobox::shown;
use super::super::state::AppState;
use crate::engine::{Discounts, MAX_MULTIPLIER};

/// The editor, folded away until opened.
#[component]
pub fn DiscountsEditor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let problem = RwSignal::new(None::<String>);
    let new_service = RwSignal::new(String::new());

    // Services of the report first (by cost), then any others the table names.
    let services = move || {
        let mut names: Vec<String> = state
            .report
            .with(|r| r.as_ref().map(|r| r.services.iter().map(|s| s.service.clone()).collect()).unwrap_or_default());
        state.workspaces.with(|w| {
            for (service, _) in w.current().discounts.entries() {
                if !names.iter().any(|n| n == service) {
                    names.push(service.to_owned());
                }
            }
        });
        names
    };
    let update = move |service: String, text: String| {
        let parsed = text.trim().parse::<f64>().map_err(|_| format!("{text:?} is not a number"));
        let mut discounts = state.workspaces.with_untracked(|w| w.current().discounts.clone());
        match parsed.and_then(|value| discounts.set(&service, value).map_err(|e| e.to_string())) {
            Ok(()) => {
                problem.set(None);
                state.set_discounts(discounts);
            }
            Err(message) => problem.set(Some(format!("{}: {message}", shown(&service)))),
        }
    };
    let add = move |event: ev::SubmitEvent| {
        event.prevent_default();
        let service = new_service.get_untracked().trim().to_owned();
        if service.is_empty() {
            problem.set(Some("Type the service code to add, such as AWSLambda.".into()));
            return;
        }
        update(service, "1".into());
        new_service.set(String::new());
    };
    let import = move |event: ev::Event| {
        let input: HtmlInputElement = event.target().expect("an input fired it").unchecked_into();
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        input.set_value("");
        spawn_local(async move {
            let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string());
            match text.map(|t| Discounts::from_json(&t)) {
                Some(Ok(discounts)) => {
                    problem.set(None);
                    state.set_discounts(discounts);
                }
                Some(Err(error)) => problem.set(Some(format!("{} was not imported: {error}", file.name()))),
                None => problem.set(Some(format!("{} could not be read", file.name()))),
            }
        });
    };

    // Replacing edits asks first; replacing a table that is already the one wanted does not.
    let replace = move |table: Discounts, what: &str| {
        let current = state.discounts();
        if current == table {
            return;
        }
        let edited = current != Discounts::default() && current != Discounts::none();
        let question = format!("Replace your discount multipliers with {what}? Your edits are lost.");
        let sure = !edited || web_sys::window().and_then(|w| w.confirm_with_message(&question).ok()).unwrap_or(false);
        if sure {
            problem.set(None);
            state.set_discounts(table);
        }
    };

    // The table (a row per service) is built when first opened, not with every
    // costs page: most visits never open it.
    let opened = RwSignal::new(false);
    let on_toggle = move |event: ev::Event| {
        if event_target::<HtmlDetailsElement>(&event).open() {
            opened.set(true);
        }
    };

    view! {
        <details class="discounts" on:toggle=on_toggle>
            <summary class="discounts__summary">"Discount multipliers"</summary>
            <p class="discounts__hint">
                {format!(
                    "A multiplier of 1 is full price, 0.5 is half price; from 0 to {MAX_MULTIPLIER}. Services not listed pay full price. Changes are saved in this browser."
                )}
            </p>
            <Show when=move || problem.with(Option::is_some)>
                <p class="discounts__problem" role="alert">{move || problem.get()}</p>
            </Show>
            <Show when=move || opened.get()>
            <table class="discounts__table" data-testid="discounts">
                <thead>
                    <tr>
                        <th scope="col">"Service"</th>
                        <th scope="col" class="numeric">"Multiplier"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=services key=|service| service.clone() let:service>
                        <tr>
                            <th scope="row">
                                <label for=format!("multiplier-{service}")>{shown(&service)}</label>
                            </th>
                            <td class="numeric">
                                <input
                                    id=format!("multiplier-{service}")
                                    class="discounts__input"
                                    type="number"
                                    min="0"
                                    max=MAX_MULTIPLIER.to_string()
                                    step="0.01"
                                    data-service=service.clone()
                                    prop:value={
                                        let service = service.clone();
                                        move || state.workspaces.with(|w| w.current().discounts.multiplier(&service)).to_string()
                                    }
                                    on:change={
                                        let service = service.clone();
                                        move |event| update(service.clone(), event_target_value(&event))
                                    }
                                />
                            </td>
                        </tr>
                    </For>
                </tbody>
            </table>
            </Show>
            <form class="discounts__add" on:submit=add>
                <label for="new-service">"Another service"</label>
                <input
                    id="new-service"
                    type="text"
                    placeholder="Service code, e.g. AWSLambda"
                    prop:value=move || new_service.get()
                    on:input=move |event| new_service.set(event_target_value(&event))
                />
                <button class="button" type="submit">"Add"</button>
            </form>
            <div class="discounts__actions">
                <button class="button" type="button" on:click=move |_| replace(Discounts::none(), "No discounts")>
                    "No discounts"
                </button>
                <button class="button" type="button" on:click=move |_| replace(Discounts::default(), "the example table")>
                    "Use the example table"
                </button>
                <a
                    class="button"
                    download="ducks-discounts.json"
                    href=move || format!("data:application/json;charset=utf-8,{}", encode(&state.discounts().to_json()))
                >
                    "Export…"
                </a>
                <label class="button" for="discounts-import">"Import…"</label>
                <input id="discounts-import" class="visually-hidden" type="file" accept=".json,application/json" on:change=import/>
            </div>
        </details>
    }
}

/// Percent-encodes text for a `data:` URL.
fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}
