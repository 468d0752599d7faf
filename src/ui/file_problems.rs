//! Files that could not be used, and notes on the ones that were.

use leptos::prelude::*;

use super::state::AppState;

/// One line per file that was left out, with the reason, and the notes of the
/// files that were read (a FOCUS file has no AWSDataTransfer service, say).
#[component]
pub fn FileProblems() -> impl IntoView {
    let state = expect_context::<AppState>();
    let problems = move || {
        state.analysis.with(|analysis| {
            analysis.as_ref().map_or_else(Vec::new, |analysis| {
                analysis
                    .files
                    .iter()
                    .filter_map(|file| file.result.as_ref().err().map(|error| (file.name.clone(), error.clone())))
                    .collect::<Vec<_>>()
            })
        })
    };
    let notes = move || {
        state.analysis.with(|analysis| {
            let mut notes: Vec<String> = analysis.as_ref().map_or_else(Vec::new, |analysis| {
                analysis
                    .files
                    .iter()
                    .filter_map(|f| f.result.as_ref().ok())
                    .flat_map(|o| o.notes.iter().cloned())
                    .collect()
            });
            notes.sort();
            notes.dedup();
            notes
        })
    };
    view! {
        <Show when=move || !problems().is_empty()>
            <section class="problems" role="alert" data-testid="file-errors">
                <h2 class="problems__title">
                    {move || {
                        let count = problems().len();
                        if count == 1 { "1 file was left out".to_owned() } else { format!("{count} files were left out") }
                    }}
                </h2>
                <ul class="problems__list">
                    {move || {
                        problems()
                            .into_iter()
                            .map(|(name, error)| {
                                view! {
                                    <li class="problems__item">
                                        <span class="problems__file">{name}</span>
                                        ": "
                                        <span class="problems__reason">{error}</span>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </section>
        </Show>
        <Show when=move || !notes().is_empty()>
            <ul class="notes" data-testid="file-notes">
                {move || notes().into_iter().map(|note| view! { <li class="notes__item">{note}</li> }).collect_view()}
            </ul>
        </Show>
        <Show when=move || state.settings_notice.with(Option::is_some)>
            <p class="notes notes--warning" role="alert" data-testid="settings-notice">
                {move || state.settings_notice.get()}
            </p>
        </Show>
    }
}
