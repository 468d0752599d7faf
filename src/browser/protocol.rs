//! Messages between the page and the scan workers.
//!
//! A message is a plain JS object `{ id, file, body }`: the `File` travels as
//! itself (structured clone passes a reference to the same bytes, nothing is
//! copied), and `body` is JSON text of the types below.

use serde::{Deserialize, Serialize};

use crate::engine::{Outline, RowSlice, Tally};

/// What the page asks a worker to do with the file sent beside it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    /// Read the footer and describe the file.
    Outline,
    /// Scan a slice of the file.
    Scan(RowSlice),
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
    /// The tally of a slice.
    Tally(Tally),
    /// The file cannot be used; the text is for people.
    Failed(String),
    /// The engine panicked; the worker is dead after this.
    Crashed(String),
}

/// The `file` field's cache key: the page numbers every file it sends, so a
/// worker can keep a file's metadata between the requests for its slices.
pub type FileKey = u32;
