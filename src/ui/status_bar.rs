//! What the page is doing: idle, reading (with progress, an estimate and Cancel),
//! done (with the time it took) or stopped by an error.

use leptos::prelude::*;

use super::state::{AppState, Explorer, Status, now};
use crate::engine::format;

/// The status line. Its `data-state`, `data-ms`, `data-worker-memory` (the
/// largest scan worker's wasm memory, in bytes) and `data-explorer` (the second
/// scan's stage: `idle`, `building`, `ready` or `failed`) and `data-warmed-up`
/// (when the page's warm-up finished, in ms since it opened) are stable hooks
/// for tests and benchmarks.
#[component]
pub fn StatusBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let status = state.status;
    let data_state = move || match status.get() {
        Status::Idle => "idle",
        Status::Loading { .. } => "loading",
        Status::Done { .. } => "done",
        Status::Error(_) => "error",
    };
    let data_ms = move || match status.get() {
        Status::Done { ms, .. } => Some(format!("{ms:.1}")),
        _ => None,
    };
    let data_memory = move || match status.get() {
        Status::Done { worker_memory, .. } => Some(worker_memory.to_string()),
        _ => None,
    };
    let data_explorer = move || match state.explorer.get() {
        Explorer::Idle => "idle",
        Explorer::Building(_) => "building",
        Explorer::Ready => "ready",
        Explorer::Failed(_) => "failed",
    };
    view! {
        <section
            class="status"
            data-testid="status"
            data-state=data_state
            data-ms=data_ms
            data-worker-memory=data_memory
            data-explorer=data_explorer
            data-warmed-up=move || state.warmed_up.get().map(|ms| format!("{ms:.0}"))
            role="status"
            aria-live="polite"
        >
            {move || match status.get() {
                Status::Idle => view! { <p class="status__text">"No files read yet."</p> }.into_any(),
                Status::Loading { progress, started } => {
                    let fraction = progress.fraction();
                    let elapsed = now() - started;
                    // An estimate only once there is enough behind it to mean something.
                    let estimate = if fraction > 0.05 && elapsed > 500.0 {
                        format!(", about {} left", seconds(elapsed * (1.0 - fraction) / fraction))
                    } else {
                        String::new()
                    };
                    let text = if progress.work_total == 0 {
                        format!("Reading the footers of {} of {} files…", progress.files_opened, progress.files)
                    } else {
                        let files = if progress.files == 1 { "1 file".to_owned() } else { format!("{} files", progress.files) };
                        format!("Reading {files} ({:.0}%){estimate}…", fraction * 100.0)
                    };
                    view! {
                        <progress class="status__bar" max="1" value=fraction aria-label="Progress"></progress>
                        <p class="status__text">{text}</p>
                        <button class="button" type="button" on:click=move |_| state.cancel()>"Cancel"</button>
                    }
                        .into_any()
                }
                Status::Done { ms, files, rows, .. } => {
                    // The same counts as the files in use and the files left out.
                    let chosen = state.analysis.with_untracked(|a| a.as_ref().map_or(files, |a| a.files.len()));
                    let read = if chosen > files {
                        format!("Read {files} of {chosen} files ({} left out)", chosen - files)
                    } else if files == 1 {
                        "Read 1 file".to_owned()
                    } else {
                        format!("Read {files} files")
                    };
                    view! {
                        <p class="status__text">
                            {format!("{read}, {} rows, in {}.", format::count(rows), duration(ms))}
                        </p>
                    }
                        .into_any()
                }
                Status::Error(message) => view! { <p class="status__text status__text--error" role="alert">{message}</p> }.into_any(),
            }}
        </section>
    }
}

fn seconds(ms: f64) -> String {
    if ms < 1_500.0 { "a second".into() } else { format!("{:.0} s", ms / 1000.0) }
}

fn duration(ms: f64) -> String {
    if ms < 1_000.0 { format!("{ms:.0} ms") } else { format!("{:.1} s", ms / 1000.0) }
}
