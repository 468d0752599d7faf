//! Folding decoded batches into sums: the kernels, tallies and the explorer's cube.

pub mod amortize;
pub mod batch;
pub mod check;
pub mod commitments;
pub mod cube;
pub mod cube_index;
pub mod cube_kernel;
pub mod cube_wire;
pub mod invoices;
pub mod kernel;
pub mod sum;
pub mod tally;
