//! Workspaces in the page: pick the one in use, and manage them (add, rename,
//! delete, export, import). Each has its own discount table, usage rule and
//! recently opened file names, all kept in this browser.

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;

use super::state::AppState;
use crate::browser::output;
use crate::engine::{Workspace, parse_account_names};

/// The switcher, in the page header.
#[component]
pub fn WorkspaceSwitcher() -> impl IntoView {
    let state = expect_context::<AppState>();
    let names = move || state.workspaces.with(|w| w.list().iter().map(|w| w.name.clone()).collect::<Vec<_>>());
    view! {
        <div class="workspace">
            <label class="workspace__label" for="workspace">"Workspace"</label>
            <select
                id="workspace"
                class="workspace__select"
                prop:value=move || state.workspaces.with(|w| w.current_index().to_string())
                on:change=move |event| {
                    if let Ok(index) = event_target_value(&event).parse() {
                        state.switch_workspace(index);
                    }
                }
            >
                {move || {
                    names()
                        .into_iter()
                        .enumerate()
                        .map(|(index, name)| view! { <option value=index.to_string()>{name}</option> })
                        .collect_view()
                }}
            </select>
        </div>
    }
}

/// The manager, folded away until opened.
#[component]
pub fn WorkspaceManager() -> impl IntoView {
    let state = expect_context::<AppState>();
    let new_name = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let deleting = RwSignal::new(None::<usize>);
    let done = move |ok: bool| {
        problem.set(if ok { None } else { state.settings_notice.get_untracked() });
        if !ok {
            state.settings_notice.set(None);
        }
    };
    let add = move |event: ev::SubmitEvent| {
        event.prevent_default();
        let name = new_name.get_untracked().trim().to_owned();
        let ok = state.add_workspace(&name);
        if ok {
            new_name.set(String::new());
        }
        done(ok);
    };
    let import = move |event: ev::Event| {
        let input: HtmlInputElement = event.target().expect("an input fired it").unchecked_into();
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        input.set_value("");
        spawn_local(async move {
            let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()).unwrap_or_default();
            match Workspace::from_json(&text) {
                Ok(mut workspace) => {
                    workspace.name = state.workspaces.with_untracked(|w| w.free_name(&workspace.name));
                    let usage = workspace.usage.clone();
                    let ok = state.update_workspaces(|w| w.add(workspace));
                    if ok {
                        state.view.update(|v| v.usage = usage);
                    }
                    done(ok);
                }
                Err(error) => problem.set(Some(format!("{} was not imported: {error}", file.name()))),
            }
        });
    };
    // Account names: a person's own list, validated whole; a bad file changes nothing.
    let names_notice = RwSignal::new(None::<String>);
    let import_names = move |event: ev::Event| {
        let input: HtmlInputElement = event.target().expect("an input fired it").unchecked_into();
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        input.set_value("");
        spawn_local(async move {
            let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()).unwrap_or_default();
            match parse_account_names(&text) {
                Ok(names) => {
                    let count = names.len();
                    let ok = state.update_workspaces(|w| {
                        w.current_mut().account_names = names;
                        Ok(())
                    });
                    names_notice.set(ok.then(|| format!("Imported {count} account names from {}.", file.name())));
                    done(ok);
                }
                Err(error) => problem.set(Some(format!("{}: {error}", file.name()))),
            }
        });
    };
    let named = move || state.workspaces.with(|w| w.current().account_names.len());
    let rows =
        move || state.workspaces.with(|w| w.list().iter().map(|w| w.name.clone()).enumerate().collect::<Vec<_>>());
    let recent = move || state.workspaces.with(|w| w.current().recent_files.join(", "));
    view! {
        <details class="workspaces" data-testid="workspaces">
            <summary class="workspaces__summary">"Manage workspaces"</summary>
            <p class="workspaces__hint">
                "A workspace per customer: each has its own discount table and usage rule, kept in this browser."
            </p>
            <Show when=move || problem.with(Option::is_some)>
                <p class="workspaces__problem" role="alert">{move || problem.get()}</p>
            </Show>
            <ul class="workspaces__list">
                <For each=rows key=|(index, name)| (*index, name.clone()) let:row>
                    {
                        let (index, name) = row;
                        let input_id = format!("workspace-name-{index}");
                        view! {
                            <li class="workspaces__item">
                                <label class="visually-hidden" for=input_id.clone()>{format!("Name of workspace {}", index + 1)}</label>
                                <input
                                    id=input_id
                                    type="text"
                                    value=name.clone()
                                    on:change=move |event| done(state.update_workspaces(|w| w.rename(index, event_target_value(&event).trim())))
                                />
                                <button
                                    class="button"
                                    type="button"
                                    on:click=move |_| {
                                        let json = state.workspaces.with_untracked(|w| w.list()[index].to_json());
                                        let file = format!("ducks-workspace-{}.json", index + 1);
                                        if let Err(error) = output::download(&file, "application/json", &json) {
                                            problem.set(Some(error.to_string()));
                                        }
                                    }
                                >
                                    {format!("Export {name}")}
                                </button>
                                <button
                                    class="button"
                                    type="button"
                                    on:click=move |_| {
                                        if deleting.get_untracked() == Some(index) {
                                            deleting.set(None);
                                            done(state.update_workspaces(|w| w.remove(index)));
                                            let usage = state.workspaces.with_untracked(|w| w.current().usage.clone());
                                            state.view.update(|v| v.usage = usage);
                                        } else {
                                            deleting.set(Some(index));
                                        }
                                    }
                                >
                                    {move || if deleting.get() == Some(index) { "Really delete?".to_owned() } else { format!("Delete {name}") }}
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <form class="workspaces__add" on:submit=add>
                <label for="new-workspace">"New workspace"</label>
                <input
                    id="new-workspace"
                    type="text"
                    placeholder="Customer name"
                    prop:value=move || new_name.get()
                    on:input=move |event| new_name.set(event_target_value(&event))
                />
                <button class="button" type="submit">"Add"</button>
                <label class="button" for="workspace-import">"Import…"</label>
                <input id="workspace-import" class="visually-hidden" type="file" accept=".json,application/json" on:change=import/>
            </form>
            <p class="workspaces__recent">
                {move || {
                    let files = recent();
                    if files.is_empty() { "No files opened in this workspace yet.".to_owned() } else { format!("Opened here lately: {files}") }
                }}
            </p>
            <div class="workspaces__names" data-testid="account-names">
                <p>
                    {move || match named() {
                        0 => "No account names in this workspace: import a list (CSV with account_id and account_name columns, or JSON) to see names beside the ids.".to_owned(),
                        1 => "1 account name in this workspace.".to_owned(),
                        n => format!("{n} account names in this workspace."),
                    }}
                </p>
                <label class="button" for="account-names-import">"Import account names…"</label>
                <input id="account-names-import" class="visually-hidden" type="file" accept=".csv,.json,text/csv,application/json" on:change=import_names/>
                <Show when=move || { named() > 0 }>
                    <button
                        class="button"
                        type="button"
                        on:click=move |_| {
                            names_notice.set(None);
                            done(state.update_workspaces(|w| {
                                w.current_mut().account_names.clear();
                                Ok(())
                            }));
                        }
                    >
                        "Clear account names"
                    </button>
                </Show>
                <Show when=move || names_notice.with(Option::is_some)>
                    <p role="status">{move || names_notice.get()}</p>
                </Show>
            </div>
        </details>
    }
}
