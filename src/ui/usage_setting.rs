//! Which line item types count as usage: presets from other tools, or any set of
//! the types the files hold. Changes both the costs page and the explorer.

use leptos::prelude::*;

use super::state::AppState;
use crate::engine::{UsagePreset, format};

/// The setting, with the rows of each type in the files.
#[component]
pub fn UsageSetting() -> impl IntoView {
    let state = expect_context::<AppState>();
    let usage = move || state.view.with(|v| v.usage.clone());
    // The line item types in the files, most rows first.
    let types = Memo::new(move |_| {
        state.analysis.with(|analysis| analysis.as_ref().map(|a| a.tally.line_item_types()).unwrap_or_default())
    });
    let preset_key = move || usage().preset().map_or("custom", UsagePreset::key);
    view! {
        <div class="usage">
            <label class="usage__label" for="usage-preset">"Counted as usage"</label>
            <select
                id="usage-preset"
                class="usage__select"
                prop:value=preset_key
                on:change=move |event| {
                    if let Some(preset) = UsagePreset::from_key(&event_target_value(&event)) {
                        // The service and commitment choices stay as they were.
                        state.set_usage(usage().choices_on(preset.rule()));
                    }
                }
            >
                {UsagePreset::ALL.map(|p| view! { <option value=p.key()>{p.label()}</option> }).collect_view()}
                <option value="custom" disabled=true>"Chosen types"</option>
            </select>
            <details class="usage__types">
                <summary>"Line item types"</summary>
                <fieldset class="usage__fieldset">
                    <legend class="visually-hidden">"Line item types counted as usage"</legend>
                    <For each=move || types.get() key=|(t, rows)| (t.clone(), *rows) let:entry>
                        {
                            let (line_item_type, rows) = entry;
                            let id = format!("usage-type-{}", line_item_type.replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
                            let checked = {
                                let t = line_item_type.clone();
                                move || usage().counts(&t)
                            };
                            let toggle = {
                                let t = line_item_type.clone();
                                move |event: leptos::ev::Event| {
                                    state.set_usage(usage().with(&t, event_target_checked(&event)));
                                }
                            };
                            view! {
                                <div class="usage__type">
                                    <input
                                        id=id.clone()
                                        type="checkbox"
                                        prop:checked=checked
                                        prop:disabled=move || usage().is_everything()
                                        on:change=toggle
                                    />
                                    <label for=id>
                                        {format::label(&line_item_type).into_owned()}
                                        <span class="usage__rows">{format!(" {} rows", format::count(rows))}</span>
                                    </label>
                                </div>
                            }
                        }
                    </For>
                </fieldset>
            </details>
        </div>
    }
}
