//! A `Blob` (a dropped `File`) as the engine's byte source.
//!
//! Inside a worker, `FileReaderSync` reads any byte range of a `Blob`
//! synchronously, straight from the disk behind it. The engine asks for the footer
//! and then page by page for the three columns it needs, so a 2 GB file costs a
//! few megabytes of memory, and the parquet crate's synchronous reader (simpler
//! and faster than its async one) can drive it.

use super::error::{Error, js_message};
use std::io::Read;

use bytes::Bytes;
use parquet::errors::{ParquetError, Result};
use parquet::file::reader::{ChunkReader, Length};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, FileReaderSync};

/// How much a sequential reader (used for the footer) fetches at a time.
const READ_AHEAD: u64 = 64 * 1024;

/// A `Blob` read by ranges. Only usable in a worker (`FileReaderSync` does not
/// exist on the main thread).
#[derive(Clone)]
pub struct BlobSource {
    blob: Blob,
    reader: FileReaderSync,
    length: u64,
}

// SAFETY: the parquet crate requires `Send + Sync` byte sources because it may be
// used from threads. This wasm32 target has no threads (the build has no `atomics`
// feature, checked by the `cfg`), so a `BlobSource` can never be seen by a second
// thread. A threaded build would not compile these impls and would fail instead of
// becoming unsound.
#[cfg(not(target_feature = "atomics"))]
unsafe impl Send for BlobSource {}
#[cfg(not(target_feature = "atomics"))]
unsafe impl Sync for BlobSource {}

impl BlobSource {
    /// Wraps a `Blob`; fails where `FileReaderSync` is unavailable (the main thread).
    pub fn new(blob: Blob) -> std::result::Result<Self, Error> {
        let reader = FileReaderSync::new()
            .map_err(|_| Error::Internal("FileReaderSync is only available in a worker".into()))?;
        let length = blob.size() as u64;
        Ok(BlobSource { blob, reader, length })
    }

    fn read(&self, start: u64, length: usize) -> Result<Bytes> {
        let end = start.saturating_add(length as u64);
        if end > self.length {
            return Err(ParquetError::EOF(format!(
                "wanted bytes {start} to {end}, but the file has {} bytes",
                self.length
            )));
        }
        let unreadable = |error: JsValue| {
            ParquetError::External(Box::new(std::io::Error::other(Error::Vanished(js_message(&error)))))
        };
        let slice = self.blob.slice_with_f64_and_f64(start as f64, end as f64).map_err(unreadable)?;
        let buffer = self.reader.read_as_array_buffer(&slice).map_err(unreadable)?;
        let bytes = js_sys::Uint8Array::new(buffer.unchecked_ref()).to_vec();
        if bytes.len() != length {
            return Err(ParquetError::EOF(format!("wanted {length} bytes at byte {start}, got {}", bytes.len())));
        }
        Ok(bytes.into())
    }
}

impl Length for BlobSource {
    fn len(&self) -> u64 {
        self.length
    }
}

impl ChunkReader for BlobSource {
    type T = BlobRead;

    fn get_read(&self, start: u64) -> Result<BlobRead> {
        Ok(BlobRead { source: self.clone(), position: start, buffer: Bytes::new() })
    }

    fn get_bytes(&self, start: u64, length: usize) -> Result<Bytes> {
        self.read(start, length)
    }
}

/// Sequential reading from an offset, fetching [`READ_AHEAD`] bytes at a time.
pub struct BlobRead {
    source: BlobSource,
    position: u64,
    buffer: Bytes,
}

impl Read for BlobRead {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.buffer.is_empty() {
            let left = self.source.length.saturating_sub(self.position);
            if left == 0 {
                return Ok(0);
            }
            let length = left.min(READ_AHEAD) as usize;
            self.buffer = self.source.read(self.position, length).map_err(std::io::Error::other)?;
            self.position += length as u64;
        }
        let count = out.len().min(self.buffer.len());
        out[..count].copy_from_slice(&self.buffer[..count]);
        self.buffer = self.buffer.slice(count..);
        Ok(count)
    }
}
