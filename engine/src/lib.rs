//! The ducks engine: pure Rust, no web APIs. Cost and Usage Report files in,
//! cost figures out; the page's workers and the `ducks` command both run it.
//!
//! The flow is [`CurFile::open`] (footer, checks, columns) → [`plan`] (pieces for
//! the workers) → [`CurFile::scan`] (a [`Tally`] per piece) → [`Tally::merge`] →
//! [`cost_report`] (discounts and rates). Everything after the scan is cheap, so
//! changing a discount or the usage rule never reads a file again.
//!
//! The rooms, each a module of the tree:
//! - `read`: opening files, the checks made before a size or count is trusted,
//!   reading by ranges, planning the work;
//! - `schema`: which columns hold what, in every flavour of the report;
//! - `fold`: batches into sums: the kernels, tallies, the explorer's cube;
//! - `answer`: the figures people read: the report, queries, search, dates;
//! - `settings`: discounts, the usage rule, workspaces, account names;
//! - `export`: CSV and SQL;
//! - `vocab`: the words every room shares: dates, dimensions and measures, how
//!   figures are written;
//! - `view`: the view a link carries, the question it asks.
//!
//! Each room imports only rooms below it: `error` < `schema` < `vocab` <
//! `settings` < `fold` < `read` < `answer` < `export` < `view`.
//!
//! This file is the one way in: everything outside the engine uses the names
//! below, never a room's path.

#![forbid(unsafe_code)]

mod answer;
mod error;
mod export;
mod fold;
mod read;
mod schema;
mod settings;
mod vocab;
// The top floor: a view names a question (answer/) and its exports (export/).
pub mod view;

pub use answer::report::{CostReport, Covered, FellBack, ServiceCost, Total, cost_report, priced_by};
pub use answer::{check, commitments, compare, invoices, query, question, reconcile, search, tags, trend};
pub use error::{Error, Result, panic_message};
pub use export::{sql, table};
pub use fold::check::Findings;
pub use fold::commitments::{CommitmentKind, Commitments, Paying};
pub use fold::cube::{Cube, CubeColumns, LabelMap, PART_CELLS};
pub use fold::invoices::Invoices;
pub use fold::kernel::COVERED_TYPES;
pub use fold::sum::CompensatedSum;
pub use fold::tally::{Cell, CellTotals, Tally};
pub use read::delivery;
pub use read::file::CurFile;
pub use read::keyed::{keys_in_json, value_in_json};
pub use read::outline::{Dates, Delivery, DetailScan, Outline, RowGroupOutline, RowSlice, ScanKind};
pub use read::plan::{Piece, plan};
pub use read::sniff::Container;
pub use read::source::{ReadStats, footer_ranges};
pub use schema::catalogue::ASSUMED_CURRENCY;
pub use schema::catalogue::{Field, Holds};
pub use schema::columns::{Column, CurColumns, CurFormat, OptionalColumns, canonical};
pub use schema::detail::Detail;
pub use settings::account_names::AccountNames;
pub use settings::account_names::parse as parse_account_names;
pub use settings::discounts::{DEFAULT_MULTIPLIERS, Discounts, MAX_MULTIPLIER};
pub use settings::usage::{UsagePreset, UsageRule};
pub use settings::workspaces::{Workspace, Workspaces};
pub use vocab::dimension::{Dimension, Measure, TEXT_DIMENSIONS};
pub use vocab::{dates, format};
