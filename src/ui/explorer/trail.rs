//! The drill-down trail: every filter as a crumb, each removable.

use leptos::prelude::*;

use super::super::state::AppState;
use crate::engine::Dimension;
use crate::engine::dates::format_day;
use crate::engine::query::Filter;

/// The drill-down trail: every filter as a crumb, each removable; "All costs" clears them.
#[component]
pub(super) fn Trail() -> impl IntoView {
    let state = expect_context::<AppState>();
    let filter = move || state.view.with(|v| v.query.filter.clone());
    let remove = move |dimension: Option<Dimension>, label: Option<String>| {
        state.view.update(|v| {
            if dimension.is_none() {
                // "All costs" is where the explorer starts: no filters, by service, no tag.
                *v = v.with_detail(None);
                v.query.group_by = Dimension::Service;
            }
            v.query.filter = match (dimension, label) {
                (None, _) => Filter::default(),
                (Some(d), Some(label)) => {
                    let kept = v
                        .query
                        .filter
                        .labels_of(d)
                        .unwrap_or_default()
                        .iter()
                        .filter(|l| **l != label)
                        .cloned()
                        .collect();
                    v.query.filter.with_labels(d, kept)
                }
                (Some(_), None) => Filter { labels: v.query.filter.labels.clone(), ..Filter::default() },
            }
        })
    };
    view! {
        <nav class="trail" aria-label="Filters and drill-down">
            <ol class="trail__list">
                <li class="trail__crumb">
                    <button class="link" type="button" on:click=move |_| remove(None, None)>"All costs"</button>
                </li>
                {move || {
                    let filter = filter();
                    let dates = (filter.from.is_some() || filter.to.is_some()).then(|| {
                        let text = format!(
                            "Dates: {} to {}",
                            filter.from.map(format_day).unwrap_or_else(|| "start".into()),
                            filter.to.map(format_day).unwrap_or_else(|| "end".into())
                        );
                        view! {
                            <li class="trail__crumb">
                                {text.clone()}
                                <button class="trail__remove" type="button" aria-label=format!("Remove {text}") on:click=move |_| remove(Some(Dimension::Day), None)>"×"</button>
                            </li>
                        }
                    });
                    let labels = filter
                        .labels
                        .into_iter()
                        .flat_map(|(d, labels)| labels.into_iter().map(move |l| (d, l)))
                        .map(|(d, l)| {
                            let text = format!("{}: {}", state.view.with_untracked(|v| v.dimension_label(d)), state.shown_label(d, &l));
                            view! {
                                <li class="trail__crumb" data-testid="crumb">
                                    {text.clone()}
                                    <button class="trail__remove" type="button" aria-label=format!("Remove {text}") on:click=move |_| remove(Some(d), Some(l.clone()))>"×"</button>
                                </li>
                            }
                        })
                        .collect_view();
                    (dates, labels)
                }}
            </ol>
        </nav>
    }
}
