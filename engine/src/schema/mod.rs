//! Which columns hold what, in every flavour of the report.

pub mod catalogue;
pub mod columns;
pub mod detail;
pub mod rules;
