//! Choosing files: a file input, a folder input, drag and drop of files or
//! folders anywhere on the page, and the demo data.

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use super::state::{AppState, Status, now};
use crate::browser::files;

/// The place where files come in.
#[component]
pub fn FilePicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dragging = RwSignal::new(false);
    let folder_input = NodeRef::<leptos::html::Input>::new();
    // `webkitdirectory` turns the second input into a folder picker.
    folder_input.on_load(|input| input.set_webkitdirectory(true));

    // Choosing replaces the files in use; adding keeps them (a month at a time).
    let chosen = move |event: ev::Event, add: bool| {
        let started = now();
        let input: HtmlInputElement = event.target().expect("an input fired it").unchecked_into();
        if let Some(list) = input.files() {
            let picked = files::from_list(&list);
            spawn_local(async move {
                match picked.await {
                    Ok(picked) if add => state.add(picked, started),
                    Ok(picked) => state.analyse(picked, started),
                    Err(problem) => state.status.set(Status::Error(problem.to_string())),
                }
            });
        }
        // Clearing lets the same file be chosen again after it was fixed on disk.
        input.set_value("");
    };
    let from_input = move |event: ev::Event| chosen(event, false);
    let add_input = move |event: ev::Event| chosen(event, true);
    let has_files = move || state.analysis.with(Option::is_some);
    let on_drop = move |event: ev::DragEvent| {
        event.prevent_default();
        dragging.set(false);
        let started = now();
        let Some(transfer) = event.data_transfer() else { return };
        let dropped = files::dropped(&transfer);
        spawn_local(async move {
            match files::files_of(dropped).await {
                Ok(picked) => state.analyse(picked, started),
                Err(problem) => state.status.set(Status::Error(problem.to_string())),
            }
        });
    };
    let load_demo = move |_| {
        let started = now();
        // The demo opens in its own workspace, with the example discount table
        // (which says so beside every discounted figure).
        state.use_demo_workspace();
        state.status.set(Status::Loading { progress: Default::default(), started });
        spawn_local(async move {
            match files::demo().await {
                Ok(files) => state.analyse(files::Picked { files, skipped: Vec::new() }, started),
                Err(problem) => state.status.set(Status::Error(problem.to_string())),
            }
        });
    };

    view! {
        <section
            class="picker"
            class:picker--dragging=move || dragging.get()
            aria-labelledby="picker-title"
            on:dragover=move |event: ev::DragEvent| {
                event.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <h2 id="picker-title" class="picker__title">"Open your Cost and Usage Report"</h2>
            <p class="picker__hint">
                "Drop CUR, CUR 2.0 or FOCUS exports here (Parquet, CSV, .csv.gz or .csv.zip; or a whole report folder), or choose them:"
            </p>
            <div class="picker__actions">
                <label class="button button--primary" for="file-input">"Choose files…"</label>
                <input
                    id="file-input"
                    class="visually-hidden"
                    type="file"
                    multiple
                    accept=files::ACCEPT
                    on:change=from_input
                />
                <Show when=has_files>
                    <label class="button" for="add-input">"Add files…"</label>
                </Show>
                <input
                    id="add-input"
                    class="visually-hidden"
                    type="file"
                    multiple
                    aria-label="Add files to those in use"
                    accept=files::ACCEPT
                    on:change=add_input
                />
                <button class="button" type="button" on:click=move |_| {
                    if let Some(input) = folder_input.get() {
                        input.click();
                    }
                }>"Choose a folder…"</button>
                <input
                    node_ref=folder_input
                    class="visually-hidden"
                    type="file"
                    multiple
                    tabindex="-1"
                    aria-hidden="true"
                    on:change=from_input
                />
                <button class="button" type="button" data-testid="demo" on:click=load_demo>
                    "Try the demo data"
                </button>
            </div>
            // A link opened on an empty page: its view waits for its files.
            {move || {
                let waiting = !has_files() && state.view.with(|v| !v.to_query_string().is_empty());
                waiting.then(|| {
                    let files = state.view.with(|v| v.files.clone());
                    let text = if files.is_empty() {
                        "This link holds a view (its grouping, filters and dates): it opens once you choose the files it was made on.".to_owned()
                    } else {
                        format!(
                            "This link holds a view (its grouping, filters and dates): it opens once you choose the files it was made on: {}.",
                            files.join(", ")
                        )
                    };
                    view! { <p class="picker__link" role="note" data-testid="link-waiting">{text}</p> }
                })
            }}
        </section>
    }
}
