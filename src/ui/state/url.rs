//! The view lives in the URL, so a link reopens it (once the files are dropped
//! again), and each change of it is a history entry: Back goes to the tab or the
//! drill-down before, not away from the page.

use leptos::prelude::*;

use crate::engine::view::View;

/// Keeps the URL and the history in step with `view`, both ways.
pub(super) fn follow(view: RwSignal<View>) {
    let restoring = StoredValue::new(false);
    Effect::new(move |previous: Option<String>| {
        let query = view.with(View::to_query_string);
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let url = if query.is_empty() { "?".to_owned() } else { format!("?{query}") };
            let null = wasm_bindgen::JsValue::NULL;
            let _ = match previous {
                // The first view, and one Back or Forward brought: the entry is already there.
                None => history.replace_state_with_url(&null, "", Some(&url)),
                Some(_) if restoring.get_value() => Ok(()),
                // The files' names change with the files, not with a step of the view.
                Some(previous) if previous != query && same_but_files(&previous, &query) => {
                    history.replace_state_with_url(&null, "", Some(&url))
                }
                Some(previous) if previous != query => history.push_state_with_url(&null, "", Some(&url)),
                Some(_) => Ok(()),
            };
        }
        restoring.set_value(false);
        query
    });
    if let Some(window) = web_sys::window() {
        let on_pop = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
            let restored = View::from_query_string(&search);
            // Only a real change re-runs the effect, which clears the flag.
            if restored.to_query_string() != view.with_untracked(View::to_query_string) {
                restoring.set_value(true);
                view.set(restored);
            }
        });
        window.set_onpopstate(Some(wasm_bindgen::JsCast::unchecked_ref(on_pop.as_ref())));
        // The page lives as long as the window.
        on_pop.forget();
    }
}

/// Whether two links differ in their files' names only.
fn same_but_files(a: &str, b: &str) -> bool {
    let without_files = |query: &str| View { files: Vec::new(), ..View::from_query_string(query) }.to_query_string();
    without_files(a) == without_files(b)
}
