//! The bytes of a CSV delivery as one stream: plain, gzip'd or zipped, fetched
//! from its file a chunk at a time (a ZIP's directory by seeking), with what
//! was fetched counted, and the source's failures told apart from damaged data.

use std::cell::Cell;
use std::io::{self, Read, Seek, SeekFrom};

use bytes::Bytes;
use parquet::file::reader::ChunkReader;

use crate::error::{Error, Result, shorten};
use crate::read::sniff::Container;

/// Bytes fetched from the file at a time (one `FileReaderSync` read in the browser).
pub(super) const CHUNK: usize = 4 << 20;

/// For a ZIP archive: the index of the one CSV file in it.
pub(super) fn zip_entry<R: ChunkReader>(reader: &R) -> Result<usize> {
    let counter = Counter::default();
    let mut archive = zip::ZipArchive::new(Sequential::new(reader, &counter)).map_err(zip_error)?;
    let mut files: Vec<(usize, String)> = Vec::new();
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(zip_error)?;
        let name = entry.name().map_err(zip_error)?.into_owned();
        // Finder adds __MACOSX/ entries beside what was zipped.
        if entry.is_file() && !name.starts_with("__MACOSX/") {
            files.push((index, name));
        }
    }
    let csv: Vec<&(usize, String)> =
        files.iter().filter(|(_, name)| name.to_ascii_lowercase().ends_with(".csv")).collect();
    match (files.as_slice(), csv.as_slice()) {
        ([(index, _)], _) | (_, [(index, _)]) => Ok(*index),
        ([], _) => Err(Error::Archive { detail: "holds no files".into() }),
        _ => Err(Error::Archive {
            detail: format!(
                "holds {} files ({}); ducks reads a ZIP that holds one CSV report: unzip it and drop the folder",
                files.len(),
                shorten(&files.iter().map(|(_, name)| name.as_str()).collect::<Vec<_>>().join(", "), 80)
            ),
        }),
    }
}

/// Runs `work` on the decompressed text of the file.
pub(super) fn with_stream<R: ChunkReader, T>(
    reader: &R,
    container: Container,
    entry: usize,
    counter: &Counter,
    work: impl FnOnce(&mut dyn Read) -> Result<T>,
) -> Result<T> {
    let mut source = Sequential::new(reader, counter);
    match container {
        Container::Plain => work(&mut source),
        Container::Gzip => work(&mut flate2::read::MultiGzDecoder::new(source)),
        Container::Zip => {
            let mut archive = zip::ZipArchive::new(source).map_err(zip_error)?;
            let mut file = archive.by_index(entry).map_err(zip_error)?;
            work(&mut file)
        }
    }
}

/// What a stream fetched from its file, for progress and the diagnostics.
#[derive(Default)]
pub(super) struct Counter {
    pub(super) reads: Cell<u64>,
    pub(super) bytes: Cell<u64>,
}

/// A [`ChunkReader`] read front to back (and, for a ZIP's directory, by seeking),
/// a chunk at a time.
pub(super) struct Sequential<'a, R> {
    reader: &'a R,
    /// Where the next chunk starts.
    next: u64,
    chunk: Bytes,
    at: usize,
    counter: &'a Counter,
}

impl<'a, R: ChunkReader> Sequential<'a, R> {
    pub(super) fn new(reader: &'a R, counter: &'a Counter) -> Self {
        Sequential { reader, next: 0, chunk: Bytes::new(), at: 0, counter }
    }

    pub(super) fn position(&self) -> u64 {
        self.next - (self.chunk.len() - self.at) as u64
    }
}

impl<R: ChunkReader> Read for Sequential<'_, R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        if self.at == self.chunk.len() {
            let length = self.reader.len();
            if self.next >= length || buffer.is_empty() {
                return Ok(0);
            }
            let take = (length - self.next).min(CHUNK as u64) as usize;
            let chunk =
                self.reader.get_bytes(self.next, take).map_err(|error| io::Error::other(SourceFailed(error.into())))?;
            if chunk.is_empty() {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            self.next += chunk.len() as u64;
            self.counter.reads.set(self.counter.reads.get() + 1);
            self.counter.bytes.set(self.counter.bytes.get() + chunk.len() as u64);
            self.chunk = chunk;
            self.at = 0;
        }
        let n = buffer.len().min(self.chunk.len() - self.at);
        buffer[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

impl<R: ChunkReader> Seek for Sequential<'_, R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(offset) => Some(offset),
            SeekFrom::End(delta) => self.reader.len().checked_add_signed(delta),
            SeekFrom::Current(delta) => self.position().checked_add_signed(delta),
        }
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "a seek before the start of the file"))?;
        let chunk_start = self.next - self.chunk.len() as u64;
        if (chunk_start..self.next).contains(&target) {
            self.at = (target - chunk_start) as usize;
        } else {
            (self.next, self.chunk, self.at) = (target, Bytes::new(), 0);
        }
        Ok(target)
    }
}

/// A failure of the byte source, carried through `io::Error` to be told apart
/// from damaged data.
#[derive(Debug)]
pub(super) struct SourceFailed(Error);

impl std::fmt::Display for SourceFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for SourceFailed {}

pub(super) fn io_error(error: io::Error, container: Container) -> Error {
    if error.get_ref().and_then(|inner| inner.downcast_ref::<SourceFailed>()).is_some() {
        let inner = error.into_inner().and_then(|inner| inner.downcast::<SourceFailed>().ok());
        return inner.map_or_else(|| Error::Io("the file could not be read".into()), |failed| failed.0);
    }
    match container {
        Container::Plain => Error::Io(error.to_string()),
        _ => Error::Damaged { container: container.label(), detail: error.to_string() },
    }
}

pub(super) fn zip_error(error: zip::result::ZipError) -> Error {
    match error {
        zip::result::ZipError::Io(error) => io_error(error, Container::Zip),
        zip::result::ZipError::UnsupportedArchive(what) => {
            Error::Archive { detail: format!("uses what ducks cannot read ({what})") }
        }
        other => Error::Damaged { container: "ZIP", detail: other.to_string() },
    }
}
