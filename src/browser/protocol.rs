//! Messages between the page and the scan workers.
//!
//! A message is a plain JS object `{ id, file, body }`: the `File` travels as
//! itself (structured clone passes a reference to the same bytes, nothing is
//! copied), and `body` is JSON text of the types below. A worker's replies also
//! carry `memory` (its wasm memory, in bytes) and, when final, `elapsed` (the
//! milliseconds it spent on the request). An explorer cube's numbers travel as
//! typed arrays beside the body (see [`CUBE_ARRAYS`]), not as JSON.

use serde::{Deserialize, Serialize};

use crate::engine::{CubeColumns, Outline, RowSlice, ScanKind, Tally};

/// What the page asks a worker to do with the file sent beside it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    /// Read the footer and describe the file.
    Outline,
    /// Scan a slice of the file, for the costs page or for the explorer.
    Scan(RowSlice, ScanKind),
}

/// What a worker sends back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Reply {
    /// The worker's wasm is instantiated and it takes requests.
    Ready,
    /// Rows scanned since the last progress message of this request.
    Progress(u64),
    /// The outline of the file.
    Outline(Box<Outline>),
    /// The tally of a slice (a costs scan).
    Tally(Tally),
    /// The cube of a slice (an explorer scan); its numeric columns come as typed arrays.
    Cube(Box<CubeColumns>),
    /// A part of the cube of a slice still being scanned, sent when it has grown
    /// large so the worker holds one part at a time; typed arrays as for `Cube`.
    CubePart(Box<CubeColumns>),
    /// The file cannot be used; the text is for people.
    Failed(String),
    /// The engine panicked; the worker is dead after this.
    Crashed(String),
}

/// The names of a message's fields, for both sides.
pub mod fields {
    /// The request's number, echoed by every reply to it.
    pub const ID: &str = "id";
    /// The page's number for the file ([`FileKey`](super::FileKey)).
    pub const KEY: &str = "key";
    /// The `File` (or `Blob`) itself.
    pub const FILE: &str = "file";
    /// The JSON text of a `Request` or `Reply`.
    pub const BODY: &str = "body";
    /// The worker's wasm memory, in bytes.
    pub const MEMORY: &str = "memory";
    /// The milliseconds a final reply's request took.
    pub const ELAPSED: &str = "elapsed";
}

/// The `file` field's cache key: the page numbers every file it sends, so a
/// worker can keep a file's metadata between the requests for its slices.
pub type FileKey = u32;

/// The message fields that carry a cube's numeric columns, in the order of
/// `CubeColumns`' fields: `keys` (Uint32Array), `days` (Int32Array), `rows`,
/// `null_costs` and `sums` (Float64Array).
pub const CUBE_ARRAYS: [&str; 5] = ["keys", "days", "rows", "null_costs", "sums"];
