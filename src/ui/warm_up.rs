//! Before the first file: the page analyses the small warm-up file on the
//! workers and renders its costs page and explorer once, out of sight.
//!
//! A fresh wasm instance compiles each function on its first call and runs it
//! unoptimised for a while; without this, the first costs reply took one
//! main-thread task of 110–160 ms (merging, then the first render of about 750
//! functions) against about 15 ms the next time. With it, the first 1M-row file
//! on a fresh page took about 138 ms rather than 219 (`BENCHMARKS.md`).
//!
//! It runs in a state of its own ([`AppState::apart`]: no saved settings, no
//! URL) on the page's pool, and gives way to a person: once a real analysis
//! has started it stops where it is (the real analysis drops its queued jobs).

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::costs::CostsPage;
use super::explorer::Explorer;
use super::files_in_use::FilesInUse;
use super::state::{AppState, Explorer as ExplorerStage};
use super::tabs::Tabs;
use super::usage_setting::UsageSetting;
use crate::browser::analysis::{Analysis, analyse, explore};
use crate::browser::files::Chosen;
use crate::browser::pool::Pool;
use crate::browser::{next_task, now, warm_up};
use crate::engine::Cube;

/// Starts the warm-up for the page whose state is `page`.
pub fn start(page: AppState) {
    spawn_local(async move {
        let pool = page.pool.get_value();
        let Some(file) = warm_up::file() else { return };
        let idle = move || page.untouched();
        let files = vec![Chosen { name: warm_up::NAME.to_owned(), blob: file.into() }];
        let Ok(analysis) = analyse(&pool, files, Rc::new(|_| {}), idle).await else { return };
        let cube = explore(&pool, &analysis, Rc::new(|_| {}), idle).await.ok().map(|(cube, _)| cube);
        if idle() {
            render(&pool, Rc::new(analysis), cube.map(Rc::new)).await;
            page.warmed_up.set(Some(now()));
        }
    });
}

/// Renders the page's panels for `analysis` and `cube` in an element of no
/// document, in a state of their own, then takes it all down.
async fn render(pool: &Pool, analysis: Rc<Analysis>, cube: Option<Rc<Cube>>) {
    let Some(parent) = detached_element() else { return };
    // Its own owner, so that the state's signals go with the render.
    let owner = Owner::new();
    let mounted = owner.with(|| {
        let apart = AppState::apart(pool.clone());
        apart.analysis.set(Some(analysis));
        apart.explorer.set(if cube.is_some() { ExplorerStage::Ready } else { ExplorerStage::Idle });
        apart.cube.set(cube);
        leptos::mount::mount_to(parent, move || {
            provide_context(apart);
            view! {
                <FilesInUse/>
                <Tabs/>
                <UsageSetting/>
                <CostsPage/>
                <Explorer/>
            }
        })
    });
    // The effects (the charts' widths, the explorer's reads) run after the
    // render; then it all goes.
    next_task().await;
    next_task().await;
    drop(mounted);
    owner.cleanup();
}

/// An element in no document: nothing rendered into it is laid out or seen.
fn detached_element() -> Option<web_sys::HtmlElement> {
    let document = web_sys::window()?.document()?;
    document.create_element("div").ok()?.dyn_into().ok()
}
