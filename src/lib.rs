//! ducks: AWS Cost and Usage Report (CUR) analysis that runs where the file is.
//!
//! The crate has four rooms (see ARCHITECTURE.md):
//! - [`engine`]: the `ducks-engine` crate (`engine/`), pure Rust. Report files in,
//!   per-service costs out. No web APIs, so it is tested natively and shared by
//!   the page and the command line.
//! - `browser` (wasm32 only): the edge between the engine and the web platform:
//!   reading a `File` by ranges, the scan workers, the settings store.
//! - `ui` (wasm32 only): Leptos components. They never see Parquet, only reports.
//! - `cli` (native only): the `ducks` command.

pub use ducks_engine as engine;

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(target_arch = "wasm32")]
pub mod ui;
