//! The scan worker: runs the engine on files sent by the page.
//!
//! A worker answers one request at a time (the engine's reads are synchronous),
//! which is what lets Cancel simply terminate it. If the engine panics, the panic
//! hook tells the page which request died before the wasm instance aborts; the page
//! then starts a fresh worker.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use bytes::Bytes;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

use super::blob_source::BlobSource;
use super::error::{Error, js_message};
use super::protocol::{self, FileKey, Reply, Request, SplitBytes, decode_request, encode_reply, request_id};
use crate::engine::question::{Asked, Sized};
use crate::engine::{Cube, CubeColumns, CurFile, PART_CELLS, Paying, RowSlice, ScanKind, footer_ranges, panic_message};

/// Opened files kept between requests, so the slices of one file pay for its
/// footer once. Small: each holds only metadata.
const KEPT_FILES: usize = 8;

/// Files this worker has opened, most recently used last.
type Kept = Rc<RefCell<Vec<(FileKey, Rc<CurFile<BlobSource>>)>>>;

/// Reads ahead are split into parts of this size, read concurrently.
const PREFETCH_PART: u64 = 4 << 20;

/// How often a long scan reports progress.
const PROGRESS_EVERY_MS: f64 = 100.0;

thread_local! {
    /// The request being served, for the panic hook.
    static CURRENT_REQUEST: Cell<Option<u32>> = const { Cell::new(None) };
}

/// Starts serving requests in this worker.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("ducks worker: {info}").into());
        // The person reading the page gets what went wrong, not where in which crate.
        let message = panic_message(info.payload());
        if let Some(id) = CURRENT_REQUEST.with(Cell::get) {
            post(id, Reply::Crashed(message), None);
        }
    }));
    // The loader says whether this worker warms up (the page's first one does, for all).
    let told = protocol::boot::told_to_warm_up();
    wasm_bindgen_futures::spawn_local(async move {
        if told != Some(false) {
            warm_up().await;
        }
        let files: Kept = Rc::default();
        let on_message =
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| serve(&files, &event.data()));
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The handler lives as long as the worker.
        on_message.forget();
        post(0, Reply::Ready, None);
    });
}

/// Warm-up stops after this long even on a slow machine.
const WARM_UP_MS: f64 = 400.0;

/// Reads the warm-up file (`super::warm_up`) a few times before taking
/// requests. A fresh wasm instance runs baseline code, compiled function by
/// function on first call, and the browser optimises only the functions that
/// have run a while: without this, the first real file is read about three
/// times slower than the next ones. The file goes through the very requests a
/// chosen file does (its outline, then costs and explorer scans of each row
/// group): code warmed on other paths is thrown away and optimised again, at a
/// cost of hundreds of milliseconds, when the first real file takes the real
/// one. The workers share one compiled module, so the pool's first worker warms
/// up for all of them.
async fn warm_up() {
    let Some(file) = super::warm_up::file() else { return };
    let blob: Blob = file.into();
    let started = js_sys::Date::now();
    for _ in 0..30 {
        // No file kept from the last round, so the footer is read and parsed every
        // time; the real requests' kept files are another list and start empty.
        let files: Kept = Rc::default();
        let key = 0;
        let Reply::Outline(outline) = answer(&files, key, blob.clone(), Request::Outline, 0).await else { return };
        for (row_group, group) in outline.row_groups.iter().enumerate() {
            let slice = RowSlice { row_group, first_row: 0, rows: group.rows };
            for kind in [ScanKind::Costs, ScanKind::Explore] {
                let _ = answer(&files, key, blob.clone(), Request::Scan(slice, kind), 0).await;
            }
        }
        if js_sys::Date::now() - started > WARM_UP_MS {
            break;
        }
    }
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Sends `reply` to request `id` to the page.
fn post(id: u32, reply: Reply, elapsed: Option<f64>) {
    let (message, transfer) = encode_reply(id, reply, memory_bytes(), elapsed);
    let _ = scope().post_message_with_transfer(&message, &transfer);
}

/// The size of this worker's wasm memory (it only grows), reported with every
/// message so the page can show what reading took.
fn memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64
}

/// Serves one request. The page sends a worker its next request only after the
/// reply to the last, so requests never overlap even though reads are awaited.
fn serve(files: &Kept, message: &JsValue) {
    let Some(id) = request_id(message) else { return };
    CURRENT_REQUEST.with(|current| current.set(Some(id)));
    let decoded = decode_request(message);
    let files = Rc::clone(files);
    let started = js_sys::Date::now();
    wasm_bindgen_futures::spawn_local(async move {
        let reply = match decoded {
            Ok((key, blob, request)) => answer(&files, key, blob, request, id).await,
            Err(problem) => Reply::Failed(problem.to_string()),
        };
        post(id, reply, Some(js_sys::Date::now() - started));
        CURRENT_REQUEST.with(|current| current.set(None));
    });
}

async fn answer(files: &Kept, key: FileKey, blob: Blob, request: Request, id: u32) -> Reply {
    // The parts of a question are ducks' own bytes, not a file to open.
    if let Request::Answer(asked) = request {
        return match answer_parts(&blob, &asked).await {
            Ok(sized) => Reply::Answer(Box::new(sized)),
            Err(problem) => Reply::Failed(problem.to_string()),
        };
    }
    let file = match opened(files, key, blob.clone()).await {
        Ok(file) => file,
        Err(message) => return Reply::Failed(message),
    };
    match request {
        Request::Outline => Reply::Outline(Box::new(file.outline().clone())),
        Request::Scan(slice, kind) => match prefetch(&blob, &file.prefetch_ranges(slice, kind)).await {
            Ok(prefetched) => scan(&file, slice, kind, prefetched, id),
            Err(problem) => Reply::Failed(problem.to_string()),
        },
        Request::Detail(slice, column, scan) => {
            let mut progress = progress_poster(id);
            let mut part = |cube: Cube| post(id, Reply::CubePart(Box::new(cube.to_columns())), None);
            file.explore_detail(slice, column.as_ref(), &scan, &mut progress, PART_CELLS, &mut part)
                .map(|cube| Reply::Cube(Box::new(cube.to_columns())))
                .unwrap_or_else(|error| Reply::Failed(error.to_string()))
        }
        Request::Split(slice, column, scan, slots, parts) => {
            let mut progress = progress_poster(id);
            let split = |cube: Cube| Box::new(SplitBytes::of(&cube.to_columns().split(&slots, parts)));
            let mut part = |cube: Cube| post(id, Reply::SplitPart(split(cube)), None);
            file.explore_detail(slice, column.as_ref(), &scan, &mut progress, PART_CELLS, &mut part)
                .map(|cube| Reply::Split(split(cube)))
                .unwrap_or_else(|error| Reply::Failed(error.to_string()))
        }
        Request::Paid(slice, arn) => {
            match prefetch(&blob, &file.prefetch_ranges(slice, ScanKind::CommitmentResources)).await {
                Ok(prefetched) => {
                    let mut progress = progress_poster(id);
                    file.scan_commitment_resources(slice, Paying::One(arn), prefetched, &mut progress)
                        .map_or_else(|error| Reply::Failed(error.to_string()), Reply::Commitments)
                }
                Err(problem) => Reply::Failed(problem.to_string()),
            }
        }
        Request::Answer(_) => Reply::Failed("a question's parts were sent as a file".into()),
    }
}

/// Answers `asked` from the parts in `blob` (each after its length, 8 bytes
/// little-endian), written by the page from the workers' splits: read and
/// merged one part at a time, so the worker holds the merged groups and one
/// part, never all the parts' bytes.
async fn answer_parts(blob: &Blob, asked: &Asked) -> Result<Sized, Error> {
    let read = |from: u64, to: u64| async move {
        let part =
            blob.slice_with_f64_and_f64(from as f64, to as f64).map_err(|error| Error::Internal(js_message(&error)))?;
        let buffer = JsFuture::from(part.array_buffer()).await.map_err(|error| Error::Internal(js_message(&error)))?;
        Ok::<Vec<u8>, Error>(js_sys::Uint8Array::new(&buffer).to_vec())
    };
    let size = blob.size() as u64;
    let mut cube = Cube::default();
    let mut at = 0u64;
    while at < size {
        let cut = || Error::Internal("a question's parts are cut short".into());
        let length = read(at, at + 8).await?;
        let length = u64::from_le_bytes(length.as_slice().try_into().map_err(|_| cut())?);
        let end = at.checked_add(8 + length).filter(|&end| end <= size).ok_or_else(cut)?;
        let part =
            CubeColumns::from_bytes(&read(at + 8, end).await?).map_err(|error| Error::Internal(error.to_string()))?;
        let labels = cube.map_labels(&part);
        cube.merge_columns(&part, &labels, 0..part.cells());
        at = end;
    }
    Ok(asked.answer(&cube))
}

/// Posts the rows scanned as progress, at most every [`PROGRESS_EVERY_MS`].
fn progress_poster(id: u32) -> impl FnMut(u64) {
    let now = js_sys::Date::now;
    let mut last_post = now();
    let mut unreported = 0;
    move |rows| {
        unreported += rows;
        if now() - last_post >= PROGRESS_EVERY_MS {
            post(id, Reply::Progress(unreported), None);
            unreported = 0;
            last_post = now();
        }
    }
}

/// Reads `ranges` of `blob`, in parts of at most [`PREFETCH_PART`] bytes, all at once.
/// Asynchronous reads in flight together are several times faster than the
/// synchronous ones the scan would otherwise make.
async fn prefetch(blob: &Blob, ranges: &[(u64, u64)]) -> Result<Vec<(u64, Bytes)>, Error> {
    let parts: Vec<(u64, u64)> = ranges
        .iter()
        .flat_map(|&(start, length)| {
            (0..length.div_ceil(PREFETCH_PART)).map(move |i| {
                let from = start + i * PREFETCH_PART;
                (from, PREFETCH_PART.min(start + length - from))
            })
        })
        .collect();
    let reads = parts.iter().map(|&(start, length)| async move {
        let slice = blob
            .slice_with_f64_and_f64(start as f64, (start + length) as f64)
            .map_err(|error| Error::Internal(format!("a file could not be sliced: {error:?}")))?;
        let buffer = JsFuture::from(slice.array_buffer()).await.map_err(|error| Error::Vanished(js_message(&error)))?;
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        if bytes.len() as u64 != length {
            return Err(Error::Vanished(format!("wanted {length} bytes at byte {start}, got {}", bytes.len())));
        }
        Ok((start, Bytes::from(bytes)))
    });
    futures::future::join_all(reads).await.into_iter().collect()
}

async fn opened(files: &Kept, key: FileKey, blob: Blob) -> Result<Rc<CurFile<BlobSource>>, String> {
    {
        let mut files = files.borrow_mut();
        if let Some(position) = files.iter().position(|(kept, _)| *kept == key) {
            let entry = files.remove(position);
            let file = Rc::clone(&entry.1);
            files.push(entry);
            return Ok(file);
        }
    }
    let footer = prefetch(&blob, &footer_ranges(blob.size() as u64)).await.map_err(|error| error.to_string())?;
    // A picked or dropped file has a name (a `.parquet` must hold Parquet); the demo's blobs are read by content.
    let name = blob.dyn_ref::<web_sys::File>().map(web_sys::File::name);
    let source = BlobSource::new(blob).map_err(|error| error.to_string())?;
    let file = Rc::new(CurFile::open_prefetched(source, name.as_deref(), footer).map_err(|error| error.to_string())?);
    let mut files = files.borrow_mut();
    if files.len() == KEPT_FILES {
        files.remove(0);
    }
    files.push((key, Rc::clone(&file)));
    Ok(file)
}

fn scan(file: &CurFile<BlobSource>, slice: RowSlice, kind: ScanKind, prefetched: Vec<(u64, Bytes)>, id: u32) -> Reply {
    let mut progress = progress_poster(id);
    let result = match kind {
        ScanKind::Costs => file.scan_prefetched(slice, prefetched, &mut progress).map(|(tally, _)| Reply::Tally(tally)),
        // The page prices commitment-paid usage from the explorer's cube; a
        // request for this pass is answered all the same.
        ScanKind::Covered => file.scan_covered(slice, &mut progress).map(Reply::Tally),
        // The phases read what was fetched ahead, as the costs and the explorer do.
        ScanKind::Commitments => file.scan_commitments(slice, prefetched, &mut progress).map(Reply::Commitments),
        ScanKind::CommitmentResources => {
            file.scan_commitment_resources(slice, Paying::All, prefetched, &mut progress).map(Reply::Commitments)
        }
        ScanKind::Check => file.scan_check(slice, prefetched, &mut progress).map(Reply::Check),
        ScanKind::Invoices => file.scan_invoices(slice, prefetched, &mut progress).map(Reply::Invoices),
        ScanKind::Explore => {
            let mut part = |cube: Cube| post(id, Reply::CubePart(Box::new(cube.to_columns())), None);
            file.explore_prefetched(slice, prefetched, &mut progress, PART_CELLS, &mut part)
                .map(|(cube, _)| Reply::Cube(Box::new(cube.to_columns())))
        }
    };
    result.unwrap_or_else(|error| Reply::Failed(error.to_string()))
}
