//! An accessible combobox (ARIA 1.2 "list autocomplete"): type to filter, arrow
//! keys to move, Enter to pick, Escape to close or clear. Used for the service
//! on the costs page and for the explorer's filters.

use leptos::ev;
use leptos::prelude::*;

use crate::engine::search;

/// More options than this are not read by anyone; typing narrows the list.
const MAX_OPTIONS: usize = 50;

/// How a label is shown (the one spelling of an empty label is the engine's).
pub fn shown(label: &str) -> String {
    crate::engine::format::label(label).into_owned()
}

/// One option: the value picked, a name it also answers to (a service's display
/// name, so "Elastic Compute" finds AmazonEC2), and a detail shown beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The value.
    pub value: String,
    /// Another name it is found by and shown with.
    pub name: Option<String>,
    /// Shown beside it (a cost).
    pub detail: String,
}

/// A text box with a list of matching options.
#[component]
pub fn Combobox(
    /// The input's id (the list's ids derive from it).
    id: &'static str,
    /// The visible label.
    label: &'static str,
    /// The hint inside the empty box.
    placeholder: &'static str,
    /// The candidates, best first.
    options: Signal<Vec<Choice>>,
    /// Called with the value picked.
    on_pick: Callback<String>,
    /// Whether the box keeps the picked value (a selection) or empties (a filter).
    #[prop(default = true)]
    keep_text: bool,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(0usize);
    let list_id = format!("{id}-options");
    let option_id = move |index: usize| format!("{id}-option-{index}");

    let matches = Memo::new(move |_| {
        options.with(|options| {
            let labels: Vec<String> = options
                .iter()
                .map(|choice| match &choice.name {
                    Some(name) => format!("{} {name}", shown(&choice.value)),
                    None => shown(&choice.value),
                })
                .collect();
            search::rank(&query.get(), labels.iter().map(String::as_str))
                .into_iter()
                .take(MAX_OPTIONS)
                .map(|index| options[index].clone())
                .collect::<Vec<_>>()
        })
    });
    let choose = move |value: String| {
        query.set(if keep_text { shown(&value) } else { String::new() });
        open.set(false);
        on_pick.run(value);
    };
    let on_keydown = move |event: ev::KeyboardEvent| {
        let count = matches.with(Vec::len);
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
                    && let Some(Choice { value, .. }) = matches.with(|m| m.get(active.get()).cloned())
                {
                    event.prevent_default();
                    choose(value);
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

    view! {
        <div class="search">
            <label class="search__label" for=id>{label}</label>
            <input
                id=id
                class="search__input"
                type="text"
                role="combobox"
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder
                aria-autocomplete="list"
                aria-controls=list_id.clone()
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-activedescendant=move || (open.get() && matches.with(|m| !m.is_empty())).then(|| option_id(active.get()))
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
                id=list_id
                class="search__options"
                role="listbox"
                aria-label=label
                hidden=move || !open.get() || matches.with(Vec::is_empty)
            >
                // Options exist only while the list is open: a closed list costs nothing to render.
                {move || {
                    let listed = if open.get() { matches.get() } else { Vec::new() };
                    listed
                        .into_iter()
                        .enumerate()
                        .map(|(index, Choice { value, name, detail })| {
                            let is_active = move || active.get() == index;
                            let picked = value.clone();
                            view! {
                                <li
                                    id=option_id(index)
                                    class="search__option"
                                    class:search__option--active=is_active
                                    role="option"
                                    aria-selected=move || if is_active() { "true" } else { "false" }
                                    data-value=value.clone()
                                    // mousedown, not click: it fires before the input's blur closes the list.
                                    on:mousedown=move |event| {
                                        event.prevent_default();
                                        choose(picked.clone());
                                    }
                                >
                                    <span class="search__name">{shown(&value)}</span>
                                    {name.map(|name| view! { <span class="search__alias">{format!(" {name}")}</span> })}
                                    <span class="search__cost">{detail}</span>
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
                        match matches.with(Vec::len) {
                            0 => "Nothing matches.".into(),
                            1 => "1 match.".into(),
                            n => format!("{n} matches."),
                        }
                    }
                }}
            </p>
        </div>
    }
}
