//! A file on disk as the engine's byte source, safe to share between threads.
//!
//! The parquet crate's own `ChunkReader` for `std::fs::File` seeks a handle whose
//! position is shared by every clone, so two threads reading one file interleave
//! their seeks and decode each other's bytes. Positional reads have no shared
//! position.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use parquet::errors::{ParquetError, Result};
use parquet::file::reader::{ChunkReader, Length};

/// An open file read only by offset.
pub struct LocalFile {
    file: Arc<File>,
    length: u64,
}

impl LocalFile {
    /// Opens `path` for reading.
    pub fn open(path: &Path) -> io::Result<Self> {
        let file = File::open(path)?;
        let length = file.metadata()?.len();
        Ok(LocalFile { file: Arc::new(file), length })
    }
}

#[cfg(unix)]
fn read_at(file: &File, buffer: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buffer: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buffer, offset)
}

impl Length for LocalFile {
    fn len(&self) -> u64 {
        self.length
    }
}

impl ChunkReader for LocalFile {
    type T = PositionalReader;

    fn get_read(&self, start: u64) -> Result<PositionalReader> {
        Ok(PositionalReader { file: Arc::clone(&self.file), position: start })
    }

    fn get_bytes(&self, start: u64, length: usize) -> Result<Bytes> {
        let mut buffer = vec![0; length];
        let mut filled = 0;
        while filled < length {
            match read_at(&self.file, &mut buffer[filled..], start + filled as u64) {
                Ok(0) => {
                    return Err(ParquetError::EOF(format!(
                        "wanted {length} bytes at byte {start}, but the file ends at byte {}",
                        start + filled as u64
                    )));
                }
                Ok(read) => filled += read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(ParquetError::External(Box::new(error))),
            }
        }
        Ok(buffer.into())
    }
}

/// A `Read` from a fixed starting offset, by positional reads.
pub struct PositionalReader {
    file: Arc<File>,
    position: u64,
}

impl Read for PositionalReader {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let read = read_at(&self.file, buffer, self.position)?;
        self.position += read as u64;
        Ok(read)
    }
}
