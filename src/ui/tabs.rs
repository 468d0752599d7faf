//! The page's tabs (ARIA tabs pattern): Left and Right move between them, Home
//! and End jump to the ends; the chosen tab is part of the view (and the URL).

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::state::AppState;
use crate::engine::view::Tab;

const TABS: [(Tab, &str); 4] = [
    (Tab::Costs, "Costs"),
    (Tab::Explore, "Explorer"),
    (Tab::Commitments, "Commitments"),
    (Tab::Diagnostics, "Diagnostics"),
];

/// The tab list; the panels are rendered by [`TabPanel`].
#[component]
pub fn Tabs() -> impl IntoView {
    let state = expect_context::<AppState>();
    let current = move || state.view.with(|v| v.tab);
    let choose = move |tab: Tab, focus: bool| {
        state.view.update(|v| v.tab = tab);
        if focus
            && let Some(button) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("tab-{}", tab.key())))
        {
            let _ = button.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    };
    let on_keydown = move |event: ev::KeyboardEvent| {
        let index = TABS.iter().position(|(tab, _)| *tab == current()).unwrap_or(0);
        let next = match event.key().as_str() {
            "ArrowRight" => (index + 1) % TABS.len(),
            "ArrowLeft" => (index + TABS.len() - 1) % TABS.len(),
            "Home" => 0,
            "End" => TABS.len() - 1,
            _ => return,
        };
        event.prevent_default();
        choose(TABS[next].0, true);
    };
    view! {
        <div class="tabs" role="tablist" aria-label="Views" on:keydown=on_keydown>
            {TABS
                .map(|(tab, title)| {
                    let selected = move || current() == tab;
                    view! {
                        <button
                            id=format!("tab-{}", tab.key())
                            class="tabs__tab"
                            class:tabs__tab--selected=selected
                            type="button"
                            role="tab"
                            aria-selected=move || if selected() { "true" } else { "false" }
                            aria-controls=format!("panel-{}", tab.key())
                            tabindex=move || if selected() { "0" } else { "-1" }
                            on:click=move |_| choose(tab, false)
                        >
                            {title}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The panel of one tab, shown while it is chosen.
#[component]
pub fn TabPanel(
    /// The tab it belongs to.
    tab: Tab,
    /// Its content.
    children: ChildrenFn,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section
            id=format!("panel-{}", tab.key())
            class="panel"
            role="tabpanel"
            aria-labelledby=format!("tab-{}", tab.key())
            hidden=move || state.view.with(|v| v.tab != tab)
        >
            <Show when=move || state.view.with(|v| v.tab == tab)>{children()}</Show>
        </section>
    }
}
