//! How the engine reads bytes: few, large reads.
//!
//! In a browser worker a read from a `File` costs about a millisecond however
//! small it is (then about 1.5 ms per MB), so reading page by page would cost more
//! than decoding. A scan therefore reads each needed column chunk through a window
//! of [`WINDOW`] bytes: headers and pages inside the window cost nothing more, and a
//! page far ahead is jumped to without reading what lies between. Opening a file
//! reads its tail once, which holds the footer of most files.
//!
//! Where reads can be issued ahead of time and in parallel (in the browser,
//! asynchronous `Blob` reads are several times faster than synchronous ones), the
//! caller hands the scan its bytes already read: see [`ScanSource::new`].
//!
//! The scan source is also where the [page guard](crate::read::page_guard) sits: the
//! parquet crate asks for every page header through `get_read`, and the header is
//! checked before the crate sees it.

use std::io::Cursor;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use parquet::errors::{ParquetError, Result};
use parquet::file::reader::{ChunkReader, Length};

use crate::error::Error;
use crate::read::page_guard::{ChunkGuard, Decoded, MAX_HEADER_BYTES};

/// Bytes fetched at a time for a column chunk: large enough that the per-read
/// cost vanishes, small enough that three windows are a modest amount of memory.
pub const WINDOW: u64 = 4 << 20;

/// Bytes of a file's tail read when opening it.
const TAIL: u64 = 256 << 10;

/// The first read for a page header; most headers are under 100 bytes.
const FIRST_HEADER_READ: u64 = 256;

/// The byte source of one scan: windows over the needed column chunks, with a
/// guard on every page header.
pub struct ScanSource<R> {
    inner: Arc<R>,
    state: Mutex<ScanState>,
}

struct ScanState {
    guards: Vec<ChunkGuard>,
    /// Bytes read ahead by the caller, by start offset, kept for the whole scan.
    prefetched: Vec<(u64, Bytes)>,
    /// Recently read windows, oldest first.
    windows: Vec<(u64, Bytes)>,
    /// The guard's refusal, kept because the arrow reader turns errors into text.
    refusal: Option<Error>,
    /// Reads made of the inner source, and bytes read: for tests and benchmarks.
    reads: u64,
    bytes_read: u64,
}

/// What a scan read from its source.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ReadStats {
    /// Reads made.
    pub reads: u64,
    /// Bytes read.
    pub bytes: u64,
}

impl<R: ChunkReader> ScanSource<R> {
    /// A source that reads the chunks the `guards` describe from `inner`, starting
    /// with the `prefetched` parts (start offset, bytes) already in memory.
    pub fn new(inner: Arc<R>, guards: Vec<ChunkGuard>, mut prefetched: Vec<(u64, Bytes)>) -> Self {
        prefetched.sort_by_key(|(start, _)| *start);
        let state = ScanState { guards, prefetched, windows: Vec::new(), refusal: None, reads: 0, bytes_read: 0 };
        ScanSource { inner, state: Mutex::new(state) }
    }

    /// The guard's refusal, if a page header was refused.
    pub fn take_refusal(&self) -> Option<Error> {
        self.lock().refusal.take()
    }

    /// The reads made so far.
    pub fn stats(&self) -> ReadStats {
        let state = self.lock();
        ReadStats { reads: state.reads, bytes: state.bytes_read }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ScanState> {
        // A panic while the lock was held has already failed the scan; the state
        // (windows, counters) is still consistent enough to report from.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn bytes(&self, state: &mut ScanState, start: u64, length: u64) -> Result<Bytes> {
        let end = start.saturating_add(length);
        if let Some(bytes) = from_parts(&state.prefetched, start, end) {
            return Ok(bytes);
        }
        if let Some((from, window)) =
            state.windows.iter().find(|(from, window)| *from <= start && end <= from + window.len() as u64)
        {
            return Ok(window.slice((start - from) as usize..(end - from) as usize));
        }
        // Read on to the end of the chunk (or file), a window at most, never less than asked.
        let region_end =
            state.guards.iter().find(|g| g.start <= start && start < g.end).map_or(self.inner.len(), |g| g.end);
        let want = length.max(WINDOW.min(region_end.saturating_sub(start)));
        let bytes = self.inner.get_bytes(start, want as usize)?;
        state.reads += 1;
        state.bytes_read += want;
        let slice = bytes.slice(..length as usize);
        if want <= WINDOW {
            if state.windows.len() > state.guards.len() {
                state.windows.remove(0);
            }
            state.windows.push((start, bytes));
        }
        Ok(slice)
    }
}

/// The bytes `start..end` from consecutive parts, if they hold all of them; a
/// range across two parts (a page on a boundary) is copied into one buffer.
fn from_parts(parts: &[(u64, Bytes)], start: u64, end: u64) -> Option<Bytes> {
    let first = parts.partition_point(|(from, bytes)| from + bytes.len() as u64 <= start);
    let (from, bytes) = parts.get(first)?;
    if *from > start {
        return None;
    }
    if end <= from + bytes.len() as u64 {
        return Some(bytes.slice((start - from) as usize..(end - from) as usize));
    }
    let mut joined = Vec::with_capacity((end - start) as usize);
    let mut next = start;
    for (from, bytes) in &parts[first..] {
        if *from > next {
            return None;
        }
        let take_to = end.min(from + bytes.len() as u64);
        joined.extend_from_slice(&bytes[(next - from) as usize..(take_to - from) as usize]);
        next = take_to;
        if next == end {
            return Some(joined.into());
        }
    }
    None
}

impl<R: ChunkReader> Length for ScanSource<R> {
    fn len(&self) -> u64 {
        self.inner.len()
    }
}

impl<R: ChunkReader> ChunkReader for ScanSource<R> {
    type T = Cursor<Bytes>;

    /// The parquet crate reads page headers (and only them) through this.
    fn get_read(&self, start: u64) -> Result<Cursor<Bytes>> {
        let mut state = self.lock();
        let Some(index) = state.guards.iter().position(|g| g.start <= start && start < g.end) else {
            return Err(ParquetError::General(format!(
                "a page header was sought at byte {start}, outside the columns read"
            )));
        };
        // After peeking at a header, the crate asks for a reader at the page's body
        // and does not use it; that is not a header to decode.
        if state.guards[index].is_body_of_checked_page(start) {
            return Ok(Cursor::new(Bytes::new()));
        }
        let limit = (state.guards[index].end - start).min(MAX_HEADER_BYTES);
        let mut want = FIRST_HEADER_READ.min(limit);
        loop {
            let bytes = self.bytes(&mut state, start, want)?;
            match state.guards[index].check(start, &bytes) {
                Ok(Decoded::Header { length }) => return Ok(Cursor::new(bytes.slice(..length as usize))),
                Ok(Decoded::NeedMore) => want = (want * 8).min(limit),
                Err(refusal) => {
                    let message = refusal.to_string();
                    state.refusal = Some(refusal);
                    return Err(ParquetError::General(message));
                }
            }
        }
    }

    fn get_bytes(&self, start: u64, length: usize) -> Result<Bytes> {
        let mut state = self.lock();
        self.bytes(&mut state, start, length as u64)
    }
}

/// The parts of a file opening it reads (start, length): the head (for the
/// leading `PAR1`) and the tail, which holds the footer of most files. A caller
/// that reads faster ahead of time passes them to [`FooterSource::new`].
pub fn footer_ranges(file_length: u64) -> [(u64, u64); 2] {
    let tail = file_length.min(TAIL);
    [(0, file_length.min(HEAD)), (file_length - tail, tail)]
}

/// Bytes of a file's head read when opening it: the magic and, for a file that
/// is not Parquet, enough to say what it is instead.
const HEAD: u64 = 64;

/// The file's head (its [`footer_ranges`]' first), from `prefetched` when it is
/// there, else read and added to it, so that opening reads it once.
pub(crate) fn head<R: ChunkReader>(reader: &R, prefetched: &mut Vec<(u64, Bytes)>) -> Result<Bytes> {
    let [(start, length), _] = footer_ranges(reader.len());
    prefetched.sort_by_key(|(start, _)| *start);
    if let Some(bytes) = from_parts(prefetched, start, start + length) {
        return Ok(bytes);
    }
    let bytes = reader.get_bytes(start, length as usize)?;
    prefetched.push((start, bytes.clone()));
    Ok(bytes)
}

/// A file being opened: the envelope check and the footer parse are served from
/// the head and the tail, read once; anything else (a footer larger than the tail)
/// is read as asked.
pub struct FooterSource<'a, R> {
    inner: &'a R,
    parts: Vec<(u64, Bytes)>,
}

impl<'a, R: ChunkReader> FooterSource<'a, R> {
    /// The bytes `start..start + length`, kept for later reads of the same range.
    pub fn keep(&mut self, start: u64, length: u64) -> Result<Bytes> {
        if let Some(bytes) = from_parts(&self.parts, start, start + length) {
            return Ok(bytes);
        }
        let bytes = self.inner.get_bytes(start, length as usize)?;
        self.parts.push((start, bytes.clone()));
        self.parts.sort_by_key(|(start, _)| *start);
        Ok(bytes)
    }

    /// Opens `inner`, with the [`footer_ranges`] already read when `prefetched` has them.
    pub fn new(inner: &'a R, mut prefetched: Vec<(u64, Bytes)>) -> Result<Self> {
        for (start, length) in footer_ranges(inner.len()) {
            if from_parts(&prefetched, start, start + length).is_none() {
                prefetched.push((start, inner.get_bytes(start, length as usize)?));
            }
        }
        prefetched.sort_by_key(|(start, _)| *start);
        Ok(FooterSource { inner, parts: prefetched })
    }
}

impl<R: ChunkReader> Length for FooterSource<'_, R> {
    fn len(&self) -> u64 {
        self.inner.len()
    }
}

impl<R: ChunkReader> ChunkReader for FooterSource<'_, R> {
    type T = Cursor<Bytes>;

    fn get_read(&self, start: u64) -> Result<Cursor<Bytes>> {
        Ok(Cursor::new(self.get_bytes(start, (self.len().saturating_sub(start)) as usize)?))
    }

    fn get_bytes(&self, start: u64, length: usize) -> Result<Bytes> {
        match from_parts(&self.parts, start, start.saturating_add(length as u64)) {
            Some(bytes) => Ok(bytes),
            None => self.inner.get_bytes(start, length),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts() -> Vec<(u64, Bytes)> {
        vec![(10, Bytes::from_static(b"abcde")), (15, Bytes::from_static(b"fghij")), (30, Bytes::from_static(b"xyz"))]
    }

    #[test]
    fn ranges_inside_one_part_are_slices() {
        assert_eq!(from_parts(&parts(), 11, 14).as_deref(), Some(&b"bcd"[..]));
        assert_eq!(from_parts(&parts(), 30, 33).as_deref(), Some(&b"xyz"[..]));
    }

    #[test]
    fn ranges_across_adjacent_parts_are_joined() {
        assert_eq!(from_parts(&parts(), 13, 17).as_deref(), Some(&b"defg"[..]));
        assert_eq!(from_parts(&parts(), 10, 20).as_deref(), Some(&b"abcdefghij"[..]));
    }

    #[test]
    fn ranges_outside_or_across_a_gap_are_not_served() {
        assert_eq!(from_parts(&parts(), 5, 12), None);
        assert_eq!(from_parts(&parts(), 18, 31), None);
        assert_eq!(from_parts(&parts(), 20, 25), None);
        assert_eq!(from_parts(&parts(), 32, 40), None);
        assert_eq!(from_parts(&[], 0, 1), None);
    }

    #[test]
    fn a_scan_source_reads_in_windows_and_counts_reads() {
        let file = Bytes::from((0..=255u8).cycle().take(10 << 20).collect::<Vec<u8>>());
        let guard_source = Arc::new(file.clone());
        let source = ScanSource::new(guard_source, Vec::new(), vec![(0, file.slice(0..1000))]);
        assert_eq!(source.get_bytes(10, 20).unwrap(), file.slice(10..30));
        assert_eq!(source.stats(), ReadStats::default(), "served from the prefetched part");
        assert_eq!(source.get_bytes(5000, 100).unwrap(), file.slice(5000..5100));
        assert_eq!(source.get_bytes(6000, 100).unwrap(), file.slice(6000..6100));
        assert_eq!(source.stats().reads, 1, "the second read falls in the first one's window");
    }
}
