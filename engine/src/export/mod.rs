//! What leaves the engine as text: CSV tables, SQL, formatted numbers.

pub mod format;
pub mod sql;
pub mod table;
