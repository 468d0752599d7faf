//! The scan worker: runs the engine on files sent by the page.
//!
//! A worker answers one request at a time (the engine's reads are synchronous),
//! which is what lets Cancel simply terminate it. If the engine panics, the panic
//! hook tells the page which request died before the wasm instance aborts; the page
//! then starts a fresh worker.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

use super::blob_source::BlobSource;
use super::protocol::{FileKey, Reply, Request};
use crate::engine::{CurFile, RowSlice};

/// Opened files kept between requests, so the slices of one file pay for its
/// footer once. Small: each holds only metadata.
const KEPT_FILES: usize = 8;

/// Files this worker has opened, most recently used last.
type Kept = Rc<RefCell<Vec<(FileKey, Rc<CurFile<BlobSource>>)>>>;

/// How often a long scan reports progress.
const PROGRESS_EVERY_MS: f64 = 100.0;

thread_local! {
    /// The request being served, for the panic hook.
    static CURRENT_REQUEST: Cell<Option<u32>> = const { Cell::new(None) };
}

/// Starts serving requests in this worker.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&format!("ducks worker: {message}").into());
        if let Some(id) = CURRENT_REQUEST.with(Cell::get) {
            post(id, &Reply::Crashed(message));
        }
    }));
    let files: Kept = Rc::default();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| serve(&files, &event.data()));
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(0, &Reply::Ready);
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn field(message: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(message, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Sends `{ id, body }` to the page.
fn post(id: u32, reply: &Reply) {
    let message = js_sys::Object::new();
    let body = serde_json::to_string(reply).unwrap_or_else(|error| {
        serde_json::to_string(&Reply::Failed(format!("the result could not be encoded: {error}"))).unwrap_or_default()
    });
    let _ = js_sys::Reflect::set(&message, &"id".into(), &id.into());
    let _ = js_sys::Reflect::set(&message, &"body".into(), &body.into());
    let _ = scope().post_message(&message);
}

fn serve(files: &Kept, message: &JsValue) {
    let Some(id) = field(message, "id").as_f64().map(|id| id as u32) else { return };
    CURRENT_REQUEST.with(|current| current.set(Some(id)));
    let reply = match decode(message) {
        Ok((key, blob, request)) => answer(files, key, blob, request, id),
        Err(problem) => Reply::Failed(problem),
    };
    post(id, &reply);
    CURRENT_REQUEST.with(|current| current.set(None));
}

fn decode(message: &JsValue) -> Result<(FileKey, Blob, Request), String> {
    let key = field(message, "key").as_f64().ok_or("the request names no file")? as FileKey;
    let blob: Blob = field(message, "file").dyn_into().map_err(|_| "the request carries no file")?;
    let body = field(message, "body").as_string().ok_or("the request has no body")?;
    let request = serde_json::from_str(&body).map_err(|error| format!("the request is not understood: {error}"))?;
    Ok((key, blob, request))
}

fn answer(files: &Kept, key: FileKey, blob: Blob, request: Request, id: u32) -> Reply {
    let file = match opened(files, key, blob) {
        Ok(file) => file,
        Err(message) => return Reply::Failed(message),
    };
    match request {
        Request::Outline => Reply::Outline(Box::new(file.outline().clone())),
        Request::Scan(slice) => scan(&file, slice, id),
    }
}

fn opened(files: &Kept, key: FileKey, blob: Blob) -> Result<Rc<CurFile<BlobSource>>, String> {
    let mut files = files.borrow_mut();
    if let Some(position) = files.iter().position(|(kept, _)| *kept == key) {
        let entry = files.remove(position);
        let file = Rc::clone(&entry.1);
        files.push(entry);
        return Ok(file);
    }
    let file = Rc::new(CurFile::open(BlobSource::new(blob)?).map_err(|error| error.to_string())?);
    if files.len() == KEPT_FILES {
        files.remove(0);
    }
    files.push((key, Rc::clone(&file)));
    Ok(file)
}

fn scan(file: &CurFile<BlobSource>, slice: RowSlice, id: u32) -> Reply {
    let now = js_sys::Date::now;
    let mut last_post = now();
    let mut unreported = 0;
    let result = file.scan(slice, &mut |rows| {
        unreported += rows;
        if now() - last_post >= PROGRESS_EVERY_MS {
            post(id, &Reply::Progress(unreported));
            unreported = 0;
            last_post = now();
        }
    });
    match result {
        Ok(tally) => Reply::Tally(tally),
        Err(error) => Reply::Failed(error.to_string()),
    }
}
