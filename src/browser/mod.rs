//! The browser edge: everything between the engine and the web platform.
//!
//! - [`blob_source`]: a `Blob` (a dropped `File`) as the engine's byte source,
//!   read by ranges with `FileReaderSync`, so a file is never loaded whole.
//! - [`worker`]: the entry point of the scan workers, which run the engine.
//! - [`pool`]: the main thread's side: a pool of scan workers, crash recovery,
//!   cancellation, progress.
//! - [`protocol`]: the messages between the two.
//! - [`analysis`]: one analysis of a set of files, from outlines to a merged tally.
//! - [`storage`]: saved settings, validated when read back.
//! - [`files`]: files from a drop (including folders) and the bundled demo data.
//! - [`output`]: downloads made in the page, and the clipboard.
//! - [`warm_up`]: the small file read at start-up, by the workers and the page.
//! - [`error`]: the room's one error type.
//! - [`intl`]: amounts in their currency, as the browser's `Intl.NumberFormat` writes them.
//!
//! Nothing here knows about Leptos; nothing in `ui` knows about Parquet or CSV.

pub mod analysis;
pub mod blob_source;
pub mod error;
pub mod files;
pub mod intl;
pub mod output;
pub mod pool;
pub mod protocol;
pub mod storage;
pub mod warm_up;
pub mod worker;

/// `performance.now()`: milliseconds since the page started.
pub fn now() -> f64 {
    web_sys::window().and_then(|window| window.performance()).map_or(0.0, |performance| performance.now())
}

/// Resolves in a later task (a message to itself: unlike a timer, never clamped
/// to 4 ms), so the browser can paint and handle input in between.
pub async fn next_task() {
    let Ok(channel) = web_sys::MessageChannel::new() else { return };
    let port = channel.port1();
    let promise = js_sys::Promise::new(&mut |resolve, _| port.set_onmessage(Some(&resolve)));
    if channel.port2().post_message(&wasm_bindgen::JsValue::NULL).is_ok() {
        // `channel` is held until the message arrives.
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}
