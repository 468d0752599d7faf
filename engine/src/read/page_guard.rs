//! The guard on page headers: every header the parquet crate is about to act on
//! is decoded here first (a small Thrift compact-protocol reader) and checked
//! against its column chunk and row group. A page claiming 2 GiB, a dictionary of
//! two billion entries, or more rows than its row group has is refused before the
//! crate allocates anything for it.

use parquet::basic::{Compression, Type as PhysicalType};
use parquet::file::metadata::ColumnChunkMetaData;

use crate::error::{Error, Result};
use crate::read::thrift::{Compact, Parsed, Thrift, wire};

/// No honest writer makes pages this large (the usual limit is 1 MiB); refusing
/// larger ones bounds what a lying header can make the decoder allocate.
pub const MAX_PAGE_BYTES: i64 = 128 << 20;

/// Thrift page headers are small; statistics with long strings can make them grow,
/// but not past this.
pub const MAX_HEADER_BYTES: u64 = 16 << 20;

/// What a header guard knows of one column chunk, and what it has seen of it.
#[derive(Debug, Clone)]
pub struct ChunkGuard {
    column: String,
    /// The chunk's bytes in the file.
    pub start: u64,
    /// One past the chunk's last byte.
    pub end: u64,
    rows: u64,
    codec: Compression,
    value_width: Option<u64>,
    /// Rows of the data pages checked so far, and where the next header must start.
    rows_seen: u64,
    next_header: u64,
    /// Where the body of the last checked page starts.
    last_body: Option<u64>,
    /// Whether the chunk's dictionary page has been seen.
    has_dictionary: bool,
}

/// The outcome of decoding a header: its length, or more bytes are needed.
pub enum Decoded {
    /// The header is `length` bytes long and passed every check.
    Header { length: u64 },
    /// The bytes end inside the header; read at least this many and try again.
    NeedMore,
}

impl ChunkGuard {
    /// A guard for `chunk`, a flat column chunk of a row group with `rows` rows, whose
    /// byte range was checked to lie inside the file. `column` names it in errors.
    pub fn new(chunk: &ColumnChunkMetaData, rows: u64, column: &str) -> ChunkGuard {
        let (start, length) = chunk.byte_range();
        ChunkGuard {
            column: column.to_owned(),
            start,
            end: start + length,
            rows,
            codec: chunk.compression(),
            value_width: value_width(chunk.column_type(), chunk.column_descr().type_length()),
            rows_seen: 0,
            next_header: start,
            last_body: None,
            has_dictionary: false,
        }
    }

    /// Whether `offset` is where the body of the last checked page begins.
    pub fn is_body_of_checked_page(&self, offset: u64) -> bool {
        self.last_body == Some(offset)
    }

    /// Decodes and checks the header at `offset`, given the bytes from `offset` on
    /// (possibly fewer than the whole header).
    pub fn check(&mut self, offset: u64, bytes: &[u8]) -> Result<Decoded> {
        let damaged = |detail: String| Error::Corrupt { detail: format!("column {}: {detail}", self.column) };
        let mut input = Compact { bytes, at: 0 };
        let header = match page_header(&mut input) {
            Ok(header) => header,
            Err(Thrift::NeedMore) if (bytes.len() as u64) < (self.end - offset).min(MAX_HEADER_BYTES) => {
                return Ok(Decoded::NeedMore);
            }
            Err(Thrift::NeedMore) => {
                return Err(damaged(format!("the page header at byte {offset} runs past the end of its column chunk")));
            }
            Err(Thrift::Invalid(what)) => {
                return Err(damaged(format!("the page header at byte {offset} is not a valid page header ({what})")));
            }
        };
        let header_length = input.at as u64;
        let page_length = header_length.saturating_add(header.compressed_size.max(0) as u64);
        if header.compressed_size < 0 || page_length > self.end - offset {
            return Err(damaged(format!(
                "a page at byte {offset} claims {} bytes, but its column chunk has {} bytes left",
                header.compressed_size,
                (self.end - offset).saturating_sub(header_length)
            )));
        }
        check_sizes(&header, self.codec).map_err(|detail| damaged(format!("a page at byte {offset} {detail}")))?;
        // The reader may look at a header twice (peek, then read); count it once.
        let first_look = offset >= self.next_header;
        match header.kind {
            PageKind::Dictionary { values } => {
                if first_look && offset != self.start {
                    return Err(damaged(format!(
                        "a dictionary page at byte {offset} that is not the chunk's first page"
                    )));
                }
                self.has_dictionary = true;
                let min_width = self.value_width.unwrap_or(4);
                if values < 0 || (values as u64).saturating_mul(min_width) > header.uncompressed_size as u64 {
                    return Err(damaged(format!(
                        "the dictionary page claims {values} entries in {} bytes",
                        header.uncompressed_size
                    )));
                }
            }
            PageKind::Data { by_dictionary: true, .. } if !self.has_dictionary => {
                // The parquet crate would panic here (it expects the dictionary decoder to exist).
                return Err(damaged(format!(
                    "a data page at byte {offset} refers to a dictionary its column chunk does not have"
                )));
            }
            PageKind::Data { values, rows, .. } => {
                let rows_left = self.rows - self.rows_seen.min(self.rows);
                if values < 0 || rows < 0 || (first_look && rows as u64 > rows_left) || rows as u64 > self.rows {
                    return Err(damaged(format!(
                        "a data page claims {rows} rows, but its row group has {rows_left} rows left"
                    )));
                }
                if let Some(width) = self.value_width {
                    let bound = 1024 + values as u64 * (width + 5);
                    if header.uncompressed_size as u64 > bound {
                        return Err(damaged(format!(
                            "a data page of {values} values claims {} bytes once decompressed",
                            header.uncompressed_size
                        )));
                    }
                }
                if first_look {
                    self.rows_seen += rows as u64;
                }
            }
            PageKind::Other => {}
        }
        if first_look {
            self.next_header = offset + page_length;
        }
        // A page with no body has its successor's header where its body would be.
        self.last_body = (header.compressed_size > 0).then_some(offset + header_length);
        Ok(Decoded::Header { length: header_length })
    }
}

/// Bytes per value of a fixed-width physical type; `None` for variable-length bytes.
fn value_width(physical: PhysicalType, type_length: i32) -> Option<u64> {
    match physical {
        PhysicalType::BOOLEAN => Some(1),
        PhysicalType::INT32 | PhysicalType::FLOAT => Some(4),
        PhysicalType::INT64 | PhysicalType::DOUBLE => Some(8),
        PhysicalType::INT96 => Some(12),
        PhysicalType::FIXED_LEN_BYTE_ARRAY => Some(type_length.max(1) as u64),
        PhysicalType::BYTE_ARRAY => None,
    }
}

/// Refuses sizes no codec can produce from the page's compressed bytes, and sizes
/// beyond [`MAX_PAGE_BYTES`].
fn check_sizes(header: &PageHeader, codec: Compression) -> std::result::Result<(), String> {
    let (compressed, uncompressed) = (header.compressed_size, header.uncompressed_size);
    if uncompressed < 0 {
        return Err(format!("claims {uncompressed} bytes once decompressed"));
    }
    if uncompressed > MAX_PAGE_BYTES || compressed > MAX_PAGE_BYTES {
        return Err(format!(
            "claims {} bytes; pages this large are not written by any Parquet writer",
            uncompressed.max(compressed)
        ));
    }
    // The largest expansion each codec's format allows per input byte, with slack.
    let ratio: Option<i64> = match codec {
        Compression::UNCOMPRESSED => Some(1),
        Compression::SNAPPY => Some(22),
        Compression::LZ4 | Compression::LZ4_RAW => Some(256),
        Compression::GZIP(_) => Some(1040),
        _ => None,
    };
    let plain_v2 = matches!(header.kind, PageKind::Data { .. }) && !header.v2_compressed;
    if let Some(ratio) = ratio.filter(|_| !plain_v2)
        && uncompressed > compressed.saturating_mul(ratio).saturating_add(64)
    {
        return Err(format!(
            "claims {uncompressed} bytes once decompressed from {compressed}, more than {codec} can expand to"
        ));
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum PageKind {
    Dictionary {
        values: i64,
    },
    /// `by_dictionary`: the values are keys into the chunk's dictionary page.
    Data {
        values: i64,
        rows: i64,
        by_dictionary: bool,
    },
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct PageHeader {
    kind: PageKind,
    uncompressed_size: i64,
    compressed_size: i64,
    /// Data page v2 may store its values uncompressed whatever the chunk's codec.
    v2_compressed: bool,
}

/// `PageHeader` from parquet.thrift: type (1), uncompressed_page_size (2),
/// compressed_page_size (3), data_page_header (5), dictionary_page_header (7),
/// data_page_header_v2 (8).
fn page_header(input: &mut Compact<'_>) -> Parsed<PageHeader> {
    let (mut page_type, mut uncompressed, mut compressed) = (None, None, None);
    let (mut data, mut dictionary, mut data_v2) = (None, None, None);
    let mut last_id = 0;
    while let Some((id, field_type)) = input.field(&mut last_id)? {
        match id {
            1 => page_type = Some(input.i32(field_type)?),
            2 => uncompressed = Some(input.i32(field_type)?),
            3 => compressed = Some(input.i32(field_type)?),
            // DataPageHeader and DictionaryPageHeader: num_values (1).
            // DataPageHeader: num_values (1), encoding (2).
            5 if field_type == wire::STRUCT => data = Some(counts(input, &[1, 2], None)?),
            7 if field_type == wire::STRUCT => dictionary = Some(counts(input, &[1], None)?),
            // DataPageHeaderV2: num_values (1), num_nulls (2), num_rows (3), encoding (4), is_compressed (7).
            8 if field_type == wire::STRUCT => data_v2 = Some(counts(input, &[1, 2, 3, 4], Some(7))?),
            _ => input.skip(field_type, 0)?,
        }
    }
    let (Some(page_type), Some(uncompressed_size), Some(compressed_size)) = (page_type, uncompressed, compressed)
    else {
        return Err(Thrift::Invalid("a required field is missing"));
    };
    let missing = Thrift::Invalid("the page's own header is missing");
    let mut v2_compressed = true;
    let kind = match page_type {
        // DATA_PAGE: rows are values in a flat column.
        0 => {
            let ([values, encoding, ..], _) = data.ok_or(missing)?;
            let values = values.ok_or(Thrift::Invalid("num_values is missing"))?;
            PageKind::Data { values, rows: values, by_dictionary: is_dictionary_encoding(encoding) }
        }
        // DICTIONARY_PAGE
        2 => PageKind::Dictionary {
            values: dictionary.ok_or(missing)?.0[0].ok_or(Thrift::Invalid("num_values is missing"))?,
        },
        // DATA_PAGE_V2
        3 => {
            let (fields, flags) = data_v2.ok_or(missing)?;
            let [Some(values), Some(nulls), Some(rows), encoding] = fields else {
                return Err(Thrift::Invalid("a count is missing"));
            };
            if nulls < 0 || nulls > values {
                return Err(Thrift::Invalid("more nulls than values"));
            }
            v2_compressed = flags.unwrap_or(true);
            PageKind::Data { values, rows, by_dictionary: is_dictionary_encoding(encoding) }
        }
        // INDEX_PAGE, and types from the future: nothing to check, nothing to read.
        _ => PageKind::Other,
    };
    Ok(PageHeader { kind, uncompressed_size, compressed_size, v2_compressed })
}

/// PLAIN_DICTIONARY (2) and RLE_DICTIONARY (8): values that are dictionary keys.
fn is_dictionary_encoding(encoding: Option<i64>) -> bool {
    matches!(encoding, Some(2 | 8))
}

/// Reads a struct, keeping the i32 fields with the `ints` ids (in that order) and
/// the bool field with the `flag` id; the rest is skipped.
fn counts(input: &mut Compact<'_>, ints: &[i64], flag: Option<i64>) -> Parsed<([Option<i64>; 4], Option<bool>)> {
    let (mut values, mut flag_value) = ([None; 4], None);
    let mut last_id = 0;
    while let Some((id, field_type)) = input.field(&mut last_id)? {
        if let Some(slot) = ints.iter().position(|&wanted| wanted == id) {
            values[slot] = Some(input.i32(field_type)?);
        } else if flag == Some(id) && matches!(field_type, wire::BOOL_TRUE | wire::BOOL_FALSE) {
            flag_value = Some(field_type == wire::BOOL_TRUE);
        } else {
            input.skip(field_type, 1)?;
        }
    }
    Ok((values, flag_value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(uncompressed: i64, compressed: i64) -> PageHeader {
        PageHeader {
            kind: PageKind::Data { values: 10, rows: 10, by_dictionary: false },
            uncompressed_size: uncompressed,
            compressed_size: compressed,
            v2_compressed: true,
        }
    }

    #[test]
    fn sizes_a_codec_cannot_produce_are_refused() {
        assert_eq!(check_sizes(&data(1000, 100), Compression::SNAPPY), Ok(()));
        let snappy = check_sizes(&data(100_000, 100), Compression::SNAPPY).unwrap_err();
        assert!(snappy.contains("more than SNAPPY can expand to"), "{snappy}");
        assert!(check_sizes(&data(100, 100), Compression::UNCOMPRESSED).is_ok());
        assert!(check_sizes(&data(1_000, 100), Compression::UNCOMPRESSED).is_err(), "plain pages do not grow");
        assert!(check_sizes(&data(-1, 100), Compression::SNAPPY).unwrap_err().contains("-1 bytes"));
        let huge = check_sizes(&data(MAX_PAGE_BYTES + 1, MAX_PAGE_BYTES), Compression::ZSTD(Default::default()));
        assert!(huge.unwrap_err().contains("not written by any Parquet writer"));
        // A v2 data page may keep its values uncompressed whatever the codec says.
        let plain_v2 = PageHeader { v2_compressed: false, ..data(100_000, 100_000) };
        assert!(check_sizes(&plain_v2, Compression::SNAPPY).is_ok());
    }

    #[test]
    fn widths_of_fixed_types() {
        assert_eq!(value_width(PhysicalType::DOUBLE, 0), Some(8));
        assert_eq!(value_width(PhysicalType::FIXED_LEN_BYTE_ARRAY, 16), Some(16));
        assert_eq!(value_width(PhysicalType::FIXED_LEN_BYTE_ARRAY, 0), Some(1), "a zero length cannot divide");
        assert_eq!(value_width(PhysicalType::BYTE_ARRAY, 0), None);
    }
}
