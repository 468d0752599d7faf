//! Reading files: opening and checking them, reading by ranges, planning the work.

pub mod delivery;
pub mod file;
pub mod footer_guard;
pub mod format;
pub mod keyed;
pub mod outline;
pub mod page_guard;
pub mod parquet;
pub mod parquet_checks;
pub mod plan;
pub mod sniff;
pub mod source;
pub mod text;
pub mod text_batch;
pub mod text_stream;
pub mod thrift;
