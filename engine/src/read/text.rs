//! CSV deliveries: legacy CUR (`.csv.gz` by default, or `.csv.zip`) and Data
//! Exports (CUR 2.0, FOCUS) as plain or gzip'd CSV.
//!
//! A file is read as one stream, a chunk of bytes at a time, through the
//! decompressor (flate2, pure Rust) and the CSV parser (the `csv` crate, RFC 4180:
//! quotes, commas and newlines in fields, CRLF, a BOM) into batches of the needed
//! columns, which go to the same kernels as Parquet's. Memory follows one chunk
//! and one batch, never the size of the file.
//!
//! Only the needed fields of a record are looked at: labels become text arrays
//! (the kernels intern them), amounts are parsed here so a bad number is named by
//! its line and column. An empty field is null; so is the literal `NULL` that
//! FOCUS writes (in amounts it is null in any flavour, as it cannot be a number).

use std::io::{Cursor, Read};

use bytes::Bytes;
use parquet::file::reader::ChunkReader;

use crate::error::{Error, Result, shorten};
use crate::fold::batch::Fold;
use crate::read::format::Format;
use crate::read::outline::{Delivery, Outline, RowSlice, ScanKind};
use crate::read::sniff::{Container, is_text};
use crate::read::source::ReadStats;
use crate::read::text_batch::{BATCH_ROWS, Builders, Projection};
use crate::read::text_stream::{Counter, io_error, with_stream, zip_entry};
use crate::schema::catalogue::Field;
use crate::schema::columns::{self, Column, CurFormat};

/// Text read ahead to tell what the file holds before it is parsed.
const SNIFF: usize = 64 << 10;

/// An opened CSV delivery.
pub(crate) struct TextFile<R> {
    reader: R,
    container: Container,
    /// For a ZIP archive, the index of the CSV entry.
    entry: usize,
    outline: Outline,
    /// What each scan kind reads, at its [`ScanKind::index`].
    projections: Vec<Projection>,
}

impl<R: ChunkReader> TextFile<R> {
    /// Reads the header (and whatever it takes to reach it) and finds the columns.
    pub(crate) fn open(reader: R, container: Container) -> Result<Self> {
        let entry = match container {
            Container::Zip => zip_entry(&reader)?,
            _ => 0,
        };
        let counter = Counter::default();
        let names = with_stream(&reader, container, entry, &counter, |stream| {
            let (head, stream) = sniff(stream, container)?;
            let mut csv = csv_reader(Cursor::new(head).chain(stream));
            let header = csv.byte_headers().map_err(|error| csv_error(error, container))?;
            Ok(header
                .iter()
                .map(|name| String::from_utf8_lossy(name).trim_start_matches('\u{feff}').trim().to_owned())
                .collect::<Vec<String>>())
        })?;
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let found = columns::detect(&refs)?;
        let optional = columns::detect_optional(&refs, found.format);
        let required = [found.line_item_type.index, found.service.index, found.cost.index];
        let projections = ScanKind::ALL
            .into_iter()
            .map(|kind| Projection {
                required,
                optional: optional
                    .present()
                    .filter(|(field, _)| kind.reads(*field))
                    .map(|(field, column): (Field, &Column)| (field, column.index, field.holds(), column.key.clone()))
                    .collect(),
                detail: None,
            })
            .collect();
        let outline = Outline {
            delivery: Delivery::Csv(container),
            notes: columns::notes(&found, &optional, &refs),
            optional,
            column_count: names.len(),
            names: names.clone(),
            rows: 0,
            row_groups: Vec::new(),
            bytes: reader.len(),
            columns: found,
        };
        Ok(TextFile { reader, container, entry, outline, projections })
    }

    fn read_fields(
        &self,
        slice: RowSlice,
        projection: &Projection,
        progress: &mut dyn FnMut(u64),
        fold: &mut Fold<'_>,
    ) -> Result<ReadStats> {
        if slice != RowSlice::WHOLE {
            return Err(Error::Internal(format!("a CSV file is read whole, not as {slice:?}")));
        }
        let counter = Counter::default();
        // Progress is the file's bytes read, at most its size: a ZIP's directory is
        // read twice (at open and at the scan), which would count past the end.
        let size = self.outline.bytes;
        let done = |counter: &Counter| counter.bytes.get().min(size);
        let focus = self.outline.columns.format == CurFormat::Focus;
        let cost_name = &self.outline.columns.cost.name;
        let name_of = |index: usize| {
            [&self.outline.columns.line_item_type, &self.outline.columns.service, &self.outline.columns.cost]
                .into_iter()
                .chain(self.outline.optional.present().map(|(_, c)| c))
                .find(|c| c.index == index)
                .map_or_else(|| format!("number {}", index + 1), |c| c.name.clone())
        };
        with_stream(&self.reader, self.container, self.entry, &counter, |stream| {
            let mut csv = csv_reader(stream);
            csv.byte_headers().map_err(|error| csv_error(error, self.container))?;
            let mut batch = Builders::new(projection);
            let mut record = csv::ByteRecord::new();
            let mut reported = 0;
            loop {
                let more = csv.read_byte_record(&mut record).map_err(|error| csv_error(error, self.container))?;
                if more {
                    let line = record.position().map_or(0, |p| p.line());
                    batch.push(&record, projection, focus).map_err(|index| Error::CsvNumber {
                        column: name_of(index),
                        line,
                        value: shorten(&String::from_utf8_lossy(record.get(index).unwrap_or_default()), 40),
                    })?;
                }
                if batch.rows == BATCH_ROWS || (!more && batch.rows > 0) {
                    batch.flush(projection, (cost_name, self.outline.columns.format.provider()), fold)?;
                    let fetched = done(&counter);
                    progress(fetched - reported);
                    reported = fetched;
                }
                if !more {
                    break;
                }
            }
            let fetched = done(&counter);
            if fetched > reported {
                progress(fetched - reported);
            }
            Ok(())
        })?;
        Ok(ReadStats { reads: counter.reads.get(), bytes: counter.bytes.get() })
    }
}

// A CSV file is read as a stream from its start: nothing is read ahead, and
// no range is worth prefetching.
impl<R: ChunkReader> Format for TextFile<R> {
    fn outline(&self) -> &Outline {
        &self.outline
    }
    /// Reads the whole file (`slice` must be [`RowSlice::WHOLE`]) in the columns
    /// `kind` needs, handing each batch to `fold`.
    fn read(
        &self,
        slice: RowSlice,
        kind: ScanKind,
        _prefetched: Vec<(u64, Bytes)>,
        progress: &mut dyn FnMut(u64),
        fold: &mut Fold<'_>,
    ) -> Result<ReadStats> {
        self.read_fields(slice, &self.projections[kind.index()], progress, fold)
    }
    /// Reads the whole file for an on-demand scan: the explorer's fields `scan`
    /// reads ([`DetailScan::reads`]) and the `detail` column, if the file has it.
    fn read_detail(
        &self,
        slice: RowSlice,
        detail: Option<&Column>,
        scan: &crate::read::outline::DetailScan,
        progress: &mut dyn FnMut(u64),
        fold: &mut Fold<'_>,
    ) -> Result<ReadStats> {
        let explore = &self.projections[ScanKind::Explore.index()];
        let projection = Projection {
            required: explore.required,
            optional: explore.optional.iter().filter(|(field, ..)| scan.reads(*field)).cloned().collect(),
            detail: detail.map(|column| (column.index, column.key.clone())),
        };
        self.read_fields(slice, &projection, progress, fold)
    }
}

fn csv_reader<S: Read>(stream: S) -> csv::Reader<S> {
    csv::ReaderBuilder::new().has_headers(true).flexible(false).buffer_capacity(256 << 10).from_reader(stream)
}

/// Reads ahead what tells a CSV file from the other texts people drop (a
/// manifest, Athena's text output), and refuses those with a sentence on what
/// they are. Returns the bytes read and the stream to go on with.
fn sniff(stream: &mut dyn Read, container: Container) -> Result<(Vec<u8>, &mut dyn Read)> {
    let mut head = Vec::with_capacity(SNIFF);
    let mut buffer = [0u8; 8192];
    while head.len() < SNIFF && !head.contains(&b'\n') {
        let read = stream.read(&mut buffer).map_err(|error| io_error(error, container))?;
        if read == 0 {
            break;
        }
        head.extend_from_slice(&buffer[..read]);
    }
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&head);
    let first_line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    let has = |needle: &[u8]| text.windows(needle.len()).any(|window| window == needle);
    if text.trim_ascii().is_empty() {
        return Err(Error::NotCostData { what: "empty text".into(), advice: "it has no header and no rows".into() });
    }
    if !is_text(&head[..head.len().min(SNIFF)]) && !first_line.contains(&0x01) {
        return Err(Error::NotCostData {
            what: format!("{} data that is not text", container.label()),
            advice: "ducks reads CUR and FOCUS exports as Parquet or CSV (plain, .gz or .zip)".into(),
        });
    }
    if matches!(text.trim_ascii_start().first(), Some(b'{' | b'[')) {
        let manifest =
            [&b"\"reportKeys\""[..], b"\"assemblyId\"", b"\"dataFiles\"", b"\"exportArn\""].iter().any(|key| has(key));
        return Err(if manifest {
            Error::NotCostData {
                what: "the manifest of an AWS report delivery (JSON that lists the report's files and columns)".into(),
                advice: "drop the report's data files, or its whole folder, instead".into(),
            }
        } else {
            Error::NotCostData {
                what: "JSON".into(),
                advice: "ducks reads CUR and FOCUS exports as Parquet or CSV (plain, .gz or .zip)".into(),
            }
        });
    }
    if first_line.contains(&0x01) {
        return Err(Error::NotCostData {
            what: "Athena's text output (Hive format: fields separated by \\x01, nulls written \\N)".into(),
            advice: "it is a query result, not a file AWS delivers; read the report's own Parquet or CSV files, or have Athena write CSV or Parquet".into(),
        });
    }
    if !first_line.contains(&b',') {
        let line = String::from_utf8_lossy(first_line);
        return Err(Error::NotCostData {
            what: format!("text whose first line has no commas ({:?})", shorten(line.trim(), 40)),
            advice: "a CSV export starts with a header of comma-separated column names".into(),
        });
    }
    Ok((head, stream))
}

fn csv_error(error: csv::Error, container: Container) -> Error {
    let line = error.position().map_or(0, |p| p.line());
    match error.into_kind() {
        csv::ErrorKind::Io(error) => io_error(error, container),
        csv::ErrorKind::UnequalLengths { expected_len, len, pos } => Error::Csv {
            line: pos.map_or(line, |p| p.line()),
            detail: format!("it has {len} fields where the header has {expected_len}"),
        },
        other => Error::Csv { line, detail: format!("{other:?}") },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Seek, SeekFrom};

    use crate::read::text_batch::number;
    use crate::read::text_stream::Sequential;

    #[test]
    fn containers_are_told_by_their_first_bytes() {
        assert_eq!(Container::of(b"\x1f\x8b\x08\x00"), Some(Container::Gzip));
        assert_eq!(Container::of(b"PK\x03\x04"), Some(Container::Zip));
        assert_eq!(Container::of(b"PAR1\x15\x04"), None);
        assert_eq!(Container::of(b"\xef\xbb\xbfidentity/LineItemId,"), Some(Container::Plain));
        assert_eq!(Container::of(b"a,b\r\n1,\xc3"), Some(Container::Plain), "cut inside a character");
        assert_eq!(Container::of(b"\x00\x01\x02\x03"), None);
        assert_eq!(Container::of(b"   \n"), None);
    }

    #[test]
    fn numbers_in_every_spelling_aws_writes() {
        assert_eq!(number(b"8.9E-9"), Some(Some(8.9e-9)));
        assert_eq!(number(b"-1.3333E-6"), Some(Some(-1.3333e-6)));
        assert_eq!(number(b" 0.0100000000 "), Some(Some(0.01)));
        assert_eq!(number(b""), Some(None));
        assert_eq!(number(b"NULL"), Some(None));
        assert_eq!(number(b"12,5"), None);
        assert_eq!(number(b"\xff"), None);
    }

    #[test]
    fn a_sequential_read_seeks_within_and_beyond_its_chunk() {
        let data = Bytes::from((0..=255u8).cycle().take(10_000).collect::<Vec<u8>>());
        let counter = Counter::default();
        let mut source = Sequential::new(&data, &counter);
        let mut buffer = [0u8; 10];
        source.read_exact(&mut buffer).unwrap();
        assert_eq!(buffer[9], 9);
        source.seek(SeekFrom::Start(300)).unwrap();
        source.read_exact(&mut buffer).unwrap();
        assert_eq!(buffer[0], 44);
        source.seek(SeekFrom::End(-1)).unwrap();
        source.read_exact(&mut buffer[..1]).unwrap();
        assert_eq!(buffer[0], (9_999 % 256) as u8);
        assert_eq!(source.read(&mut buffer).unwrap(), 0);
        assert!(source.seek(SeekFrom::Current(-20_000)).is_err());
    }
}
