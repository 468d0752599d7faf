#![cfg(not(target_arch = "wasm32"))]

//! Native integration tests of the engine and the command line, one binary with a
//! module per area (see matklad's "Delete Cargo Integration Tests").

/// A deterministic pseudo-random source, shared with the data generator example.
mod random;

/// Writing CUR-like Parquet files with chosen names, types, codecs and layouts.
mod support;

/// Reading files of every shape the engine must accept, checked against sums
/// computed exactly from the rows that were written.
mod read;

/// The `ducks` command: arguments, output formats, exit codes, messages.
mod cli;

/// The explorer's scan and queries.
mod explore;

/// `ducks group`: tags, cost categories and resources in every layout.
mod group;

/// Every cloud in one view: providers, currencies, several clouds' files at once.
mod clouds;

/// `ducks check`: each rule, alone, in a file made to break it.
mod check;

/// Counting what the engine allocates, to hold it to what a file justifies.
mod alloc;

/// Finding `../shared/`, and skipping clearly without it.
mod shared;

/// The shared corpus of valid, broken and lying Parquet files.
mod corpus;

/// CSV deliveries, plain, gzip'd and zipped.
mod csv;

/// The real public exports, against DuckDB's figures.
mod real_exports;

/// What the fuzzer found.
mod regression;

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;
