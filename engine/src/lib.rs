//! The engine: pure Rust, no web APIs. Parquet bytes in, cost figures out.
//!
//! The flow is [`CurFile::open`] (footer, checks, columns) → [`plan`] (pieces for
//! the workers) → [`CurFile::scan`] (a [`Tally`] per piece) → [`Tally::merge`] →
//! [`cost_report`] (discounts and rates). Everything after the scan is cheap, so
//! changing a discount or the usage rule never reads a file again.

mod columns;
mod cube;
mod cube_kernel;
pub mod dates;
mod discounts;
mod error;
pub mod export;
mod footer_guard;
pub mod format;
mod kernel;
mod page_guard;
mod plan;
pub mod query;
mod read;
mod report;
pub mod search;
mod source;
pub mod sql;
mod sum;
mod tally;
mod thrift;
mod usage;
pub mod view;
mod workspaces;

pub use columns::{Amortization, Column, CurColumns, CurFormat, ExploreColumns, canonical};
pub use cube::{Cube, CubeColumns, Dimension, LabelMap, Measure, TEXT_DIMENSIONS};
pub use discounts::{DEFAULT_MULTIPLIERS, Discounts, MAX_MULTIPLIER};
pub use error::{Error, Result, panic_message};
pub use plan::{Piece, plan};
pub use read::{CurFile, Outline, RowGroupOutline, RowSlice, ScanKind};
pub use report::{CostReport, ServiceCost, Total, cost_report};
pub use source::{ReadStats, footer_ranges};
pub use sum::CompensatedSum;
pub use tally::{Cell, CellTotals, Tally};
pub use usage::{UsagePreset, UsageRule};
pub use workspaces::{Workspace, Workspaces};
