//! The page's components mounted in a real document (headless Chromium and
//! Firefox), not only driven end to end: the whole page mounts, shows the file
//! picker and an idle status, offers the demo, and a shared link's view waits
//! for its files by name.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn host() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    host
}

/// Lets the page render what its signals changed.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_page_mounts_with_its_picker_and_an_idle_status() {
    let host = host();
    let mounted = leptos::mount::mount_to(host.clone(), ducks::ui::App);
    settle().await;
    let text = host.text_content().unwrap_or_default();
    assert!(text.contains("Open your Cost and Usage Report"), "{text}");
    assert!(text.contains("Try the demo data"), "{text}");
    let status = host.query_selector("[data-testid=status]").unwrap().expect("a status");
    assert_eq!(status.get_attribute("data-state").as_deref(), Some("idle"));
    assert!(host.query_selector("#file-input").unwrap().is_some(), "the file input");
    assert!(host.query_selector("[data-testid=link-waiting]").unwrap().is_none(), "no link, no waiting view");
    drop(mounted);
}

#[wasm_bindgen_test]
async fn a_shared_link_says_its_view_waits_for_its_files() {
    let history = web_sys::window().unwrap().history().unwrap();
    let before = web_sys::window().unwrap().location().href().unwrap();
    history
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some("?tab=explore&by=account&file=cur-2024-01.parquet"),
        )
        .unwrap();
    let host = host();
    let mounted = leptos::mount::mount_to(host.clone(), ducks::ui::App);
    settle().await;
    let waiting = host.query_selector("[data-testid=link-waiting]").unwrap().expect("the waiting note");
    let text = waiting.text_content().unwrap_or_default();
    assert!(text.contains("cur-2024-01.parquet"), "{text}");
    drop(mounted);
    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&before)).unwrap();
}
