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
pub mod worker;

/// `performance.now()`: milliseconds since the page started.
pub fn now() -> f64 {
    web_sys::window().and_then(|window| window.performance()).map_or(0.0, |performance| performance.now())
}
