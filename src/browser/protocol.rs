//! Messages between the page and the scan workers.
//!
//! Both sides encode and decode here (`encode_request` … `decode_reply`). A
//! message is a plain JS object `{ id, key, file, body }`: the `File` travels as
//! itself (structured clone passes a reference to the same bytes, nothing is
//! copied), and `body` is JSON text of the types below. A worker's replies also
//! carry `memory` (its wasm memory, in bytes) and, when final, `elapsed` (the
//! milliseconds it spent on the request). An explorer cube's numbers travel as
//! typed arrays beside the body (see [`CUBE_ARRAYS`]), not as JSON.

use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

use super::error::Error;
use crate::engine::question::{Asked, Sized};
use crate::engine::{
    Column, Commitments, CubeColumns, DetailScan, Findings, Invoices, Outline, RowSlice, ScanKind, Tally,
};

/// What the page asks a worker to do with the file sent beside it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    /// Read the footer and describe the file.
    Outline,
    /// Scan a slice of the file, for the costs page or for the explorer.
    Scan(RowSlice, ScanKind),
    /// Scan a slice for the explorer with the on-demand dimension read from
    /// this column (none: the file lacks it), the rest as the `DetailScan`
    /// says; replies as `Scan` with `ScanKind::Explore`.
    Detail(RowSlice, Option<Column>, DetailScan),
    /// Scan as `Detail` does, for a question of more groups than the page
    /// holds: each part of the cube cut by these label slots into this many
    /// parts ([`CubeColumns::split`]), sent as bytes (`SplitPart`, the last as
    /// `Split`), which the page keeps as `Blob`s outside wasm memory.
    Split(RowSlice, Option<Column>, DetailScan, Vec<usize>, usize),
    /// Scan a slice for the commitments, with the resources this one paid
    /// (its ARN or FOCUS id); replies as `Scan` with `ScanKind::Commitments`.
    Paid(RowSlice, String),
    /// Answer the question from the parts of one number in the file sent
    /// beside it (each as its byte length, 8 bytes little-endian, then its
    /// bytes): merged, grouped, the largest groups kept.
    Answer(Asked),
}

/// Parts of a cube cut for a question, as bytes: in the worker the bytes
/// (all parts one after the other), on the page a `Blob` of each.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SplitBytes {
    /// The byte length of each part, in part order.
    pub sizes: Vec<u32>,
    /// The parts' bytes (the worker's side).
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// Each part as a `Blob` (the page's side).
    #[serde(skip)]
    pub blobs: Vec<Blob>,
}

impl SplitBytes {
    /// The parts as bytes, each after its length.
    pub fn of(parts: &[CubeColumns]) -> SplitBytes {
        let mut split = SplitBytes::default();
        for part in parts {
            let bytes = part.to_bytes();
            split.sizes.push(bytes.len() as u32);
            split.bytes.extend_from_slice(&bytes);
        }
        split
    }
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
    /// What the commitments of a slice cost, used and covered.
    Commitments(Commitments),
    /// What the rows of a slice get wrong (`ducks check`'s rules).
    Check(Findings),
    /// The total per invoice of a slice's rows.
    Invoices(Invoices),
    /// The cube of a slice (an explorer scan); its numeric columns come as typed arrays.
    Cube(Box<CubeColumns>),
    /// A part of the cube of a slice still being scanned, sent when it has grown
    /// large so the worker holds one part at a time; typed arrays as for `Cube`.
    CubePart(Box<CubeColumns>),
    /// A part of a split scan's cube, as bytes; the bytes travel as a
    /// `Uint8Array` (`bytes`) beside the body.
    SplitPart(Box<SplitBytes>),
    /// The last part of a split scan.
    Split(Box<SplitBytes>),
    /// The answer to a question from its parts.
    Answer(Box<Sized>),
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

/// The worker's boot: the loader's first message (`worker_loader.js`, which
/// cannot import these, spells the same names) and what the loader leaves for
/// the engine's start.
pub mod boot {
    /// The compiled engine (a `WebAssembly.Module`), or null for the worker to load it.
    pub const ENGINE: &str = "engine";
    /// Whether the worker warms the engine up.
    pub const WARM_UP: &str = "warmUp";
    /// The global the loader sets to the message's `warmUp`, read by the worker's start.
    pub const WARM_UP_GLOBAL: &str = "ducksWarmUp";

    /// The loader's first message.
    pub fn message(engine: &wasm_bindgen::JsValue, warm_up: bool) -> js_sys::Object {
        let message = js_sys::Object::new();
        super::set(&message, ENGINE, engine);
        super::set(&message, WARM_UP, &warm_up.into());
        message
    }

    /// What the loader told this worker of warming up (`None`: nothing).
    pub fn told_to_warm_up() -> Option<bool> {
        super::get(&js_sys::global(), WARM_UP_GLOBAL).as_bool()
    }
}

/// The `file` field's cache key: the page numbers every file it sends, so a
/// worker can keep a file's metadata between the requests for its slices.
pub type FileKey = u32;

/// The message fields that carry a cube's numeric columns, in the order of
/// `CubeColumns`' fields: `keys` (Uint32Array), `days` (Int32Array), `rows`,
/// `null_costs` and `sums` (Float64Array).
pub const CUBE_ARRAYS: [&str; 5] = ["keys", "days", "rows", "null_costs", "sums"];

/// The message field that carries a split's bytes (a `Uint8Array`).
pub const SPLIT_BYTES: &str = "bytes";

fn get(message: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(message, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn set(message: &js_sys::Object, name: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(message, &JsValue::from_str(name), value);
}

/// The page's message asking for `request` (number `id`) on `file` (`key`).
pub fn encode_request(id: u32, key: FileKey, file: &Blob, request: &Request) -> js_sys::Object {
    let message = js_sys::Object::new();
    set(&message, fields::ID, &id.into());
    set(&message, fields::KEY, &key.into());
    set(&message, fields::FILE, file);
    set(&message, fields::BODY, &serde_json::to_string(request).unwrap_or_default().into());
    message
}

/// A request's number, if the message has one (a message without is not ours).
pub fn request_id(message: &JsValue) -> Option<u32> {
    get(message, fields::ID).as_f64().map(|id| id as u32)
}

/// A request as the page sent it; anything else is ducks' own bug.
pub fn decode_request(message: &JsValue) -> Result<(FileKey, Blob, Request), Error> {
    let bad = |what: &str| Error::Internal(format!("the request {what}"));
    let key = get(message, fields::KEY).as_f64().ok_or_else(|| bad("names no file"))? as FileKey;
    let blob: Blob = get(message, fields::FILE).dyn_into().map_err(|_| bad("carries no file"))?;
    let body = get(message, fields::BODY).as_string().ok_or_else(|| bad("has no body"))?;
    let request = serde_json::from_str(&body).map_err(|error| bad(&format!("is not understood: {error}")))?;
    Ok((key, blob, request))
}

/// A worker's message with `reply` to request `id`, and the buffers to move
/// (not copy) with it: a cube's numbers go as typed arrays.
pub fn encode_reply(id: u32, reply: Reply, memory: f64, elapsed: Option<f64>) -> (js_sys::Object, js_sys::Array) {
    let message = js_sys::Object::new();
    let transfer = js_sys::Array::new();
    let with_arrays = |mut columns: Box<CubeColumns>| {
        let arrays: [js_sys::Object; 5] = [
            js_sys::Uint32Array::from(std::mem::take(&mut columns.keys).as_slice()).into(),
            js_sys::Int32Array::from(std::mem::take(&mut columns.days).as_slice()).into(),
            js_sys::Float64Array::from(std::mem::take(&mut columns.rows).as_slice()).into(),
            js_sys::Float64Array::from(std::mem::take(&mut columns.null_costs).as_slice()).into(),
            js_sys::Float64Array::from(std::mem::take(&mut columns.sums).as_slice()).into(),
        ];
        for (name, array) in CUBE_ARRAYS.iter().zip(arrays) {
            transfer.push(&get(&array, "buffer"));
            set(&message, name, &array);
        }
        columns
    };
    let with_bytes = |mut split: Box<SplitBytes>| {
        let array = js_sys::Uint8Array::from(std::mem::take(&mut split.bytes).as_slice());
        transfer.push(&array.buffer());
        set(&message, SPLIT_BYTES, &array);
        split
    };
    let reply = match reply {
        Reply::Cube(columns) => Reply::Cube(with_arrays(columns)),
        Reply::CubePart(columns) => Reply::CubePart(with_arrays(columns)),
        Reply::SplitPart(split) => Reply::SplitPart(with_bytes(split)),
        Reply::Split(split) => Reply::Split(with_bytes(split)),
        reply => reply,
    };
    let body = serde_json::to_string(&reply).unwrap_or_else(|error| {
        serde_json::to_string(&Reply::Failed(format!("the result could not be encoded: {error}"))).unwrap_or_default()
    });
    set(&message, fields::ID, &id.into());
    set(&message, fields::BODY, &body.into());
    set(&message, fields::MEMORY, &memory.into());
    if let Some(elapsed) = elapsed {
        set(&message, fields::ELAPSED, &elapsed.into());
    }
    (message, transfer)
}

/// A worker's message as the page reads it.
pub struct Received {
    /// The request it answers (0 for `Ready`).
    pub id: u32,
    /// The reply, its cube's arrays put back; one that cannot be read is `Failed`.
    pub reply: Reply,
    /// The worker's wasm memory, in bytes.
    pub memory: f64,
    /// The milliseconds a final reply's request took.
    pub elapsed: f64,
}

/// Reads a worker's message.
pub fn decode_reply(message: &JsValue) -> Received {
    let number = |name: &str| get(message, name).as_f64();
    let body = get(message, fields::BODY).as_string().unwrap_or_default();
    let with_arrays = |mut columns: Box<CubeColumns>| {
        cube_arrays(message, &mut columns).map(|()| columns).map_err(|error| error.to_string())
    };
    let with_blobs = |split: Box<SplitBytes>| split_blobs(message, split).map_err(|error| error.to_string());
    let reply = match serde_json::from_str(&body) {
        Ok(Reply::Cube(columns)) => with_arrays(columns).map_or_else(Reply::Failed, Reply::Cube),
        Ok(Reply::CubePart(columns)) => with_arrays(columns).map_or_else(Reply::Failed, Reply::CubePart),
        Ok(Reply::SplitPart(split)) => with_blobs(split).map_or_else(Reply::Failed, Reply::SplitPart),
        Ok(Reply::Split(split)) => with_blobs(split).map_or_else(Reply::Failed, Reply::Split),
        Ok(reply) => reply,
        Err(error) => Reply::Failed(format!("the worker's answer was not understood ({error})")),
    };
    Received {
        id: number(fields::ID).unwrap_or(0.0) as u32,
        reply,
        memory: number(fields::MEMORY).unwrap_or(0.0),
        elapsed: number(fields::ELAPSED).unwrap_or(0.0),
    }
}

/// Makes a `Blob` of each part of a split from the message's bytes, which
/// never enter wasm memory on the page.
fn split_blobs(message: &JsValue, mut split: Box<SplitBytes>) -> Result<Box<SplitBytes>, Error> {
    let bytes: js_sys::Uint8Array = get(message, SPLIT_BYTES)
        .dyn_into()
        .map_err(|_| Error::Internal("the worker's split lacks its bytes".into()))?;
    let total: u64 = split.sizes.iter().map(|&s| u64::from(s)).sum();
    if total != u64::from(bytes.length()) {
        return Err(Error::Internal("the worker's split has the wrong length".into()));
    }
    let mut at = 0u32;
    for &size in &split.sizes {
        let parts = js_sys::Array::of1(&bytes.subarray(at, at + size));
        let blob =
            Blob::new_with_u8_array_sequence(&parts).map_err(|_| Error::Internal("a part could not be kept".into()))?;
        split.blobs.push(blob);
        at += size;
    }
    Ok(split)
}

/// Moves a cube's numeric columns from the message's typed arrays into `columns`.
fn cube_arrays(message: &JsValue, columns: &mut CubeColumns) -> Result<(), Error> {
    let array = |name: &str| {
        Some(get(message, name))
            .filter(|value| !value.is_undefined())
            .ok_or_else(|| Error::Internal(format!("the worker's cube lacks its {name}")))
    };
    let [keys, days, rows, nulls, sums] = CUBE_ARRAYS;
    columns.keys = js_sys::Uint32Array::new(&array(keys)?).to_vec();
    columns.days = js_sys::Int32Array::new(&array(days)?).to_vec();
    columns.rows = js_sys::Float64Array::new(&array(rows)?).to_vec();
    columns.null_costs = js_sys::Float64Array::new(&array(nulls)?).to_vec();
    columns.sums = js_sys::Float64Array::new(&array(sums)?).to_vec();
    Ok(())
}
