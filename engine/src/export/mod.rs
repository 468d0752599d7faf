//! What leaves the engine as text: CSV tables and SQL.

pub mod sql;
pub mod table;
