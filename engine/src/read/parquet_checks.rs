//! The checks made when a Parquet file is opened, before the parquet crate
//! trusts anything its footer says: the envelope (`PAR1` marks, footer length),
//! the needed columns' types, every row group's and column chunk's metadata
//! against the bytes that exist, the codecs this build decodes, and which
//! optional columns can be used (each one that cannot is left out with a note).

use parquet::basic::{Compression, Type as PhysicalType};
use parquet::file::metadata::{ParquetMetaData, RowGroupMetaData};
use parquet::file::reader::ChunkReader;
use parquet::schema::types::{ColumnDescriptor, SchemaDescriptor};

use crate::error::{Error, Result};
use crate::read::sniff;
use crate::schema::catalogue::{Field, Holds};
use crate::schema::columns::{self, Column, CurColumns, OptionalColumns};

/// Whether a column of this type can hold `holds`: text for labels, a timestamp,
/// date or ISO text for the day, a number (or numeric text) for amounts.
/// The role of the on-demand dimension's column, in errors.
pub(super) const DETAIL_ROLE: &str = "tag, cost category or resource";

pub(super) fn fits(holds: Holds, descriptor: &ColumnDescriptor) -> bool {
    use parquet::basic::{ConvertedType, LogicalType};
    let temporal = matches!(
        descriptor.logical_type_ref(),
        Some(LogicalType::Timestamp { .. } | LogicalType::Date | LogicalType::Time { .. })
    ) || matches!(
        descriptor.converted_type(),
        ConvertedType::DATE
            | ConvertedType::TIMESTAMP_MILLIS
            | ConvertedType::TIMESTAMP_MICROS
            | ConvertedType::TIME_MILLIS
            | ConvertedType::TIME_MICROS
    );
    match (holds, descriptor.physical_type()) {
        (Holds::Label | Holds::Text, physical) => physical == PhysicalType::BYTE_ARRAY,
        (Holds::Day, PhysicalType::INT96 | PhysicalType::BYTE_ARRAY) => true,
        (Holds::Day, PhysicalType::INT32 | PhysicalType::INT64) => temporal,
        (Holds::Day, _) => false,
        (_, PhysicalType::DOUBLE | PhysicalType::FLOAT | PhysicalType::BYTE_ARRAY) => true,
        (_, PhysicalType::INT32 | PhysicalType::INT64) => !temporal,
        (_, PhysicalType::FIXED_LEN_BYTE_ARRAY) => {
            (1..=32).contains(&descriptor.type_length())
                && matches!(descriptor.logical_type_ref(), Some(LogicalType::Decimal { .. }))
        }
        _ => false,
    }
}

/// The optional columns the file has, less those ducks cannot read (nested, an
/// unusable type, a column chunk whose metadata does not add up), each left out
/// with a note.
pub(super) fn usable_optional_columns(
    schema: &SchemaDescriptor,
    metadata: &ParquetMetaData,
    columns: &CurColumns,
    data_end: u64,
    notes: &mut Vec<String>,
) -> OptionalColumns {
    let mut optional = columns::detect_optional(
        &schema.root_schema().get_fields().iter().map(|f| f.name()).collect::<Vec<_>>(),
        columns.format,
    );
    let usable = |column: &Column, holds: Holds| -> std::result::Result<(), String> {
        let leaf = flat_leaf(schema, column, "explorer").map_err(|e| e.to_string())?;
        let descriptor = schema.column(leaf);
        if !fits(holds, &descriptor) {
            return Err(format!("it holds {}", describe_type(&descriptor)));
        }
        check_row_groups(metadata, &[leaf], std::iter::once(column.name.as_str()), data_end).map_err(|e| e.to_string())
    };
    let refused: Vec<(Field, String)> = optional
        .present()
        .filter_map(|(field, column)| {
            usable(column, field.holds()).err().map(|why| {
                let note = match &column.key {
                    // CUR 2.0 Parquet keeps `product` as a map of attributes.
                    Some(key) => format!(
                        "{}['{key}'] is left out: the column {} is a map of values, which ducks does not read yet (codes and costs are not affected)",
                        column.name, column.name
                    ),
                    None => format!("The explorer leaves out column {} ({why})", column.name),
                };
                (field, note)
            })
        })
        .collect();
    for (field, note) in refused {
        // Nothing a person reads is missing when only the check would have read it.
        if !field.checked_only() {
            notes.push(note);
        }
        optional.remove(field);
    }
    optional
}

/// Checks the `PAR1` marks and the footer length against the file's size, and
/// returns the footer length. Names what the file looks like when it is not Parquet.
pub(super) fn check_envelope<R: ChunkReader>(reader: &R) -> Result<u64> {
    let length = reader.len();
    if length == 0 {
        return Err(Error::Empty);
    }
    let head = reader.get_bytes(0, length.min(64) as usize)?;
    if head.starts_with(b"PARE") {
        return Err(Error::Encrypted);
    }
    let starts_right = head.starts_with(b"PAR1");
    if length < 12 {
        return Err(if starts_right {
            Error::Truncated { detail: format!("it is only {length} bytes long, too short to hold a footer") }
        } else {
            Error::NotParquet { found: sniff::describe(&head) }
        });
    }
    let tail = reader.get_bytes(length - 8, 8)?;
    let ends_right = &tail[4..] == b"PAR1";
    match (starts_right, ends_right) {
        (false, false) => return Err(Error::NotParquet { found: sniff::describe(&head) }),
        (false, true) => {
            return Err(Error::NotParquet {
                found: format!("it ends like Parquet but does not start with PAR1 ({})", sniff::describe(&head)),
            });
        }
        (true, false) => {
            return Err(Error::Truncated {
                detail: "it does not end with Parquet's closing PAR1 mark, so it was probably cut short (an interrupted download?)"
                    .into(),
            });
        }
        (true, true) => {}
    }
    let footer_length = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    if footer_length == 0 || footer_length + 12 > length {
        return Err(Error::Corrupt {
            detail: format!("its footer claims {footer_length} bytes, but the whole file has {length}"),
        });
    }
    Ok(footer_length)
}

/// The leaves of the on-demand dimension's column: one of text, or a map of
/// text to text (CUR 2.0's `resource_tags`), whose key and value leaves are read.
pub(super) fn detail_leaves(schema: &SchemaDescriptor, column: &Column) -> Result<Vec<usize>> {
    let refuse = |found: String| Error::ColumnType {
        role: DETAIL_ROLE,
        column: column.name.clone(),
        found,
        expected: "text, or a map of text to text",
    };
    let field = &schema.root_schema().get_fields()[column.index];
    let leaves: Vec<usize> =
        (0..schema.num_columns()).filter(|&leaf| schema.get_column_root_idx(leaf) == column.index).collect();
    let text = |leaf: &usize| schema.column(*leaf).physical_type() == PhysicalType::BYTE_ARRAY;
    if field.is_primitive() {
        let leaf = flat_leaf(schema, column, DETAIL_ROLE)?;
        return if text(&leaf) { Ok(vec![leaf]) } else { Err(refuse(describe_type(&schema.column(leaf)))) };
    }
    use parquet::basic::{ConvertedType, LogicalType};
    let info = field.get_basic_info();
    let map = matches!(info.logical_type_ref(), Some(LogicalType::Map))
        || matches!(info.converted_type(), ConvertedType::MAP | ConvertedType::MAP_KEY_VALUE);
    if map
        && leaves.len() == 2
        && leaves.iter().all(text)
        && leaves.iter().all(|&l| schema.column(l).max_rep_level() == 1)
    {
        Ok(leaves)
    } else {
        Err(refuse("nested values other than a map of text".into()))
    }
}

/// The leaf index of a top-level column, which must be a plain (non-nested) value.
pub(super) fn flat_leaf(schema: &SchemaDescriptor, column: &Column, role: &'static str) -> Result<usize> {
    let field = &schema.root_schema().get_fields()[column.index];
    let leaf = (0..schema.num_columns()).find(|&leaf| schema.get_column_root_idx(leaf) == column.index);
    match leaf {
        Some(leaf) if field.is_primitive() && schema.column(leaf).max_rep_level() == 0 => Ok(leaf),
        _ => Err(Error::ColumnType {
            role,
            column: column.name.clone(),
            found: "nested values (a group, list or map)".into(),
            expected: "one value per row",
        }),
    }
}

pub(super) fn check_column_types(
    schema: &SchemaDescriptor,
    columns: &CurColumns,
    [type_leaf, service_leaf, cost_leaf]: [usize; 3],
) -> Result<()> {
    for (leaf, column, role) in
        [(type_leaf, &columns.line_item_type, "line item type"), (service_leaf, &columns.service, "service")]
    {
        let descriptor = schema.column(leaf);
        if descriptor.physical_type() != PhysicalType::BYTE_ARRAY {
            return Err(Error::ColumnType {
                role,
                column: column.name.clone(),
                found: describe_type(&descriptor),
                expected: "text",
            });
        }
    }
    let cost = schema.column(cost_leaf);
    let wrong = |found: String| Error::ColumnType {
        role: "cost",
        column: columns.cost.name.clone(),
        found,
        expected: "numbers (double, float, decimal, integer) or numeric text",
    };
    match cost.physical_type() {
        PhysicalType::BOOLEAN | PhysicalType::INT96 => Err(wrong(describe_type(&cost))),
        PhysicalType::FIXED_LEN_BYTE_ARRAY => {
            let length = cost.type_length();
            let is_decimal = matches!(cost.logical_type_ref(), Some(parquet::basic::LogicalType::Decimal { .. }))
                || cost.converted_type() == parquet::basic::ConvertedType::DECIMAL;
            if !(1..=32).contains(&length) {
                Err(Error::Corrupt {
                    detail: format!(
                        "the cost column {} claims {length}-byte values; decimals take 1 to 32 bytes",
                        columns.cost.name
                    ),
                })
            } else if !is_decimal {
                Err(wrong(describe_type(&cost)))
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}

pub(super) fn describe_type(descriptor: &ColumnDescriptor) -> String {
    match descriptor.logical_type_ref() {
        Some(logical) => format!("{logical:?} values"),
        None => format!("{} values", descriptor.physical_type()),
    }
}

/// Checks what the footer says of every row group and of the needed column
/// chunks against each other and against the bytes that exist before the footer,
/// so no later read or allocation trusts a number the file cannot back.
pub(super) fn check_row_groups<'a>(
    metadata: &ParquetMetaData,
    leaves: &[usize],
    names: impl Iterator<Item = &'a str> + Clone,
    data_end: u64,
) -> Result<()> {
    let damaged = |detail: String| Error::Corrupt { detail };
    let file_rows = metadata.file_metadata().num_rows();
    if file_rows < 0 {
        return Err(damaged(format!("its footer claims {file_rows} rows")));
    }
    let mut total: i64 = 0;
    for (index, group) in metadata.row_groups().iter().enumerate() {
        let rows = group.num_rows();
        if rows < 0 {
            return Err(damaged(format!("row group {index} claims {rows} rows")));
        }
        total =
            total.checked_add(rows).ok_or_else(|| damaged("its row groups claim more rows than can exist".into()))?;
        // An empty row group is never read, so its chunks' offsets do not matter
        // (writers leave them at 0).
        if rows > 0 {
            for (&leaf, name) in leaves.iter().zip(names.clone()) {
                check_chunk(group, leaf, name, index, data_end)?;
            }
        }
    }
    if total != file_rows {
        return Err(damaged(format!("its footer claims {file_rows} rows, but its row groups hold {total}")));
    }
    Ok(())
}

pub(super) fn check_chunk(
    group: &RowGroupMetaData,
    leaf: usize,
    name: &str,
    index: usize,
    data_end: u64,
) -> Result<()> {
    let chunk = group.column(leaf);
    let damaged = |what: String| Error::Corrupt { detail: format!("column {name} in row group {index}: {what}") };
    let start = chunk.dictionary_page_offset().unwrap_or_else(|| chunk.data_page_offset());
    let size = chunk.compressed_size();
    if start < 4 || size < 0 {
        return Err(damaged(format!("its data is said to start at byte {start} and take {size} bytes")));
    }
    let end = (start as u64).saturating_add(size as u64);
    if end > data_end {
        return Err(damaged(format!(
            "its data is said to run to byte {end}, but the column data ends at byte {data_end} (the file was cut short, or its footer lies)"
        )));
    }
    if chunk.data_page_offset() < start || chunk.data_page_offset() as u64 >= end.max(start as u64 + 1) {
        return Err(damaged(format!("its first data page is said to be at byte {}", chunk.data_page_offset())));
    }
    // A flat column has a value (or a null) per row; a map's leaves have one
    // per pair and at least one per row (an empty or null map has one level).
    let repeated = chunk.column_descr().max_rep_level() > 0;
    if (!repeated && chunk.num_values() != group.num_rows()) || (repeated && chunk.num_values() < group.num_rows()) {
        return Err(damaged(format!("it claims {} values for {} rows", chunk.num_values(), group.num_rows())));
    }
    check_codec(chunk.compression(), name)
}

/// Refuses, by name, a compression this build cannot decode, before the parquet
/// crate fails on the first page with a message meant for its developers. The
/// browser build leaves Brotli out: its codec was a third of the worker's
/// download, and AWS writes CUR with Snappy. LZO has no decoder in the crate.
pub(super) fn check_codec(compression: Compression, column: &str) -> Result<()> {
    let refuse = |codec, reader, advice| Err(Error::Codec { column: column.into(), codec, reader, advice });
    match compression {
        Compression::LZO => refuse("LZO", "ducks", "; re-export the file with Snappy, gzip or ZSTD"),
        Compression::BROTLI(_) if cfg!(target_arch = "wasm32") => refuse(
            "Brotli",
            "ducks in the browser",
            "; the ducks command line reads it, or re-export the file with Snappy, gzip or ZSTD",
        ),
        _ => Ok(()),
    }
}
