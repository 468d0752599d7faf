//! The figures people read, computed from tallies and cubes without reading files.

pub mod check;
pub mod commitments;
pub mod compare;
pub mod invoices;
pub mod query;
pub mod question;
pub mod reconcile;
pub mod report;
pub mod search;
pub mod tags;
pub mod trend;
