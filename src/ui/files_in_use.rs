//! The files in use, each removable: adding a month keeps the others, and a
//! wrong file can be taken out without choosing the rest again.

use leptos::prelude::*;

use super::state::{AppState, now};
use crate::engine::format;

/// The list, shown once files are read.
#[component]
pub fn FilesInUse() -> impl IntoView {
    let state = expect_context::<AppState>();
    let files = move || {
        state.analysis.with(|a| {
            a.as_ref()
                .map(|a| a.chosen().iter().map(|file| (file.name.clone(), file.blob.size() as u64)).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    view! {
        <Show when=move || !files().is_empty()>
            <details class="files" data-testid="files-in-use">
                <summary>
                    {move || {
                        let count = files().len();
                        let used = state.analysis.with(|a| a.as_ref().map_or(count, |a| a.files_used()));
                        match (count, used) {
                            (1, 1) => "1 file in use".to_owned(),
                            (count, used) if used == count => format!("{count} files in use"),
                            (count, used) => format!("{count} files chosen: {used} in use, {} left out", count - used),
                        }
                    }}
                </summary>
                <ul class="files__list">
                    {move || {
                        files()
                            .into_iter()
                            .enumerate()
                            .map(|(index, (name, bytes))| {
                                let (label, key) = (format!("Remove {name}"), name.clone());
                                view! {
                                    <li class="files__item" data-name=key>
                                        <span class="files__name">{name}</span>
                                        <span class="files__size">{format!(" {} bytes ", format::count(bytes))}</span>
                                        <button
                                            class="link"
                                            type="button"
                                            aria-label=label
                                            on:click=move |_| state.remove(index, now())
                                        >
                                            "Remove"
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </details>
        </Show>
    }
}
