//! Opening a CUR Parquet file and scanning slices of it.
//!
//! Opening reads only the footer: it checks the envelope (the `PAR1` marks and the
//! footer length) before the parquet crate parses anything, checks the metadata of
//! the needed column chunks against the file's real size, and finds the columns.
//! A scan reads one slice of one row group, the three columns of the costs page
//! (or those plus the explorer's), page by page, so memory follows what is being
//! decoded, never the size of the file.

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use bytes::Bytes;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder, RowSelection, RowSelector,
};
use parquet::arrow::{ProjectionMask, parquet_to_arrow_schema};
use parquet::basic::{Compression, Type as PhysicalType};
use parquet::file::metadata::{
    ParquetMetaData, ParquetMetaDataOptions, ParquetMetaDataReader, ParquetStatisticsPolicy, RowGroupMetaData,
};
use parquet::file::reader::{ChunkReader, Length};
use parquet::schema::types::{ColumnDescriptor, SchemaDescriptor};
use serde::{Deserialize, Serialize};

use super::columns::{self, Column, CurColumns, CurFormat, ExploreColumns};
use super::cube::Cube;
use super::cube_kernel::{CubeKernel, EXTRAS, Extra};
use super::error::{Error, Result};
use super::footer_guard;
use super::kernel::Kernel;
use super::page_guard::ChunkGuard;
use super::source::{FooterSource, ReadStats, ScanSource};
use super::tally::Tally;

/// Rows decoded per batch: large enough that per-batch work (dictionary mapping)
/// vanishes, small enough that a batch of three columns stays around a megabyte.
const BATCH_ROWS: usize = 64 * 1024;

/// At most this much is read ahead for one scan; the rest is read as needed. The
/// explorer's scan holds a cube beside its bytes, so it reads ahead less.
const MAX_PREFETCH: u64 = 160 << 20;
const MAX_EXPLORE_PREFETCH: u64 = 32 << 20;

/// Read ahead past the estimated end of a slice, for its last page.
const PREFETCH_SLACK: u64 = 256 << 10;

/// What opening a file learned: enough to plan the work and to explain the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outline {
    /// The columns the costs page reads, and the report's flavour.
    pub columns: CurColumns,
    /// The columns the explorer reads besides them (those the file has and ducks can use).
    pub explore: ExploreColumns,
    /// How many top-level columns the file has.
    pub column_count: usize,
    /// Rows in the file.
    pub rows: u64,
    /// The row groups, in file order.
    pub row_groups: Vec<RowGroupOutline>,
    /// Things the reader of the figures should know about this file.
    pub notes: Vec<String>,
}

/// One row group, as the planner sees it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RowGroupOutline {
    /// Rows in the row group.
    pub rows: u64,
    /// Compressed bytes of the three needed column chunks: the I/O a scan costs.
    pub bytes: u64,
}

/// A run of rows inside one row group: the unit of work of a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowSlice {
    /// Index of the row group in the file.
    pub row_group: usize,
    /// First row, counted from the start of the row group.
    pub first_row: u64,
    /// Number of rows.
    pub rows: u64,
}

/// What a scan computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScanKind {
    /// Per (line item type, service) sums of the cost: the costs page.
    Costs,
    /// The explorer's [`Cube`]: more columns, more measures.
    Explore,
}

/// The columns one kind of scan reads: the three of the costs page first, then
/// (for the explorer) the [`Extra`] ones in their order, absent ones as `None`.
struct Projection {
    columns: Vec<Option<Column>>,
    /// Leaf column indices of the present columns.
    leaves: Vec<usize>,
    mask: ProjectionMask,
    /// Where each of `columns` sits in a decoded batch.
    positions: Vec<Option<usize>>,
}

impl Projection {
    fn new(schema: &SchemaDescriptor, columns: Vec<Option<Column>>) -> Result<Projection> {
        let present: Vec<&Column> = columns.iter().flatten().collect();
        let mut by_index: Vec<usize> = present.iter().map(|column| column.index).collect();
        by_index.sort_unstable();
        let positions = columns
            .iter()
            .map(|column| column.as_ref().and_then(|c| by_index.iter().position(|&i| i == c.index)))
            .collect();
        let leaves = present.iter().map(|column| flat_leaf(schema, column, "explorer")).collect::<Result<_>>()?;
        let mask = ProjectionMask::roots(schema, by_index);
        Ok(Projection { columns, leaves, mask, positions })
    }

    fn names(&self) -> impl Iterator<Item = &str> + Clone {
        self.columns.iter().flatten().map(|column| column.name.as_str())
    }
}

/// An opened CUR file, ready to scan. `R` is where the bytes come from: a file on
/// disk, bytes in memory, or (in the browser) a `Blob` read by ranges.
pub struct CurFile<R: ChunkReader> {
    reader: Arc<R>,
    metadata: Arc<ParquetMetaData>,
    outline: Outline,
    costs: Projection,
    explore: Projection,
    /// The metadata and the arrow schema (text columns asked for as dictionaries)
    /// every scan starts from.
    arrow_metadata: ArrowReaderMetadata,
}

impl<R: ChunkReader + 'static> CurFile<R> {
    /// Reads and checks the footer and finds the columns to use.
    pub fn open(reader: R) -> Result<Self> {
        Self::open_prefetched(reader, Vec::new())
    }

    /// [`open`](Self::open), with some of the [`footer_ranges`](super::footer_ranges)
    /// already read (start offset, bytes).
    pub fn open_prefetched(reader: R, prefetched: Vec<(u64, Bytes)>) -> Result<Self> {
        if reader.len() == 0 {
            return Err(Error::Empty);
        }
        let mut footer = FooterSource::new(&reader, prefetched)?;
        let footer_length = check_envelope(&footer)?;
        let footer_start = reader.len() - 8 - footer_length;
        footer_guard::check(&footer.keep(footer_start, footer_length)?)?;
        let options = ParquetMetaDataOptions::new()
            .with_column_stats_policy(ParquetStatisticsPolicy::SkipAll)
            .with_encoding_stats_policy(ParquetStatisticsPolicy::SkipAll);
        let metadata = ParquetMetaDataReader::new()
            .with_metadata_options(Some(options))
            .parse_and_finish(&reader)
            .map_err(|error| match Error::from(error) {
                Error::Corrupt { detail } => {
                    Error::Corrupt { detail: format!("its footer cannot be decoded ({detail})") }
                }
                other => other,
            })?;
        let schema = metadata.file_metadata().schema_descr_ptr();
        let roots = schema.root_schema().get_fields();
        let names: Vec<&str> = roots.iter().map(|field| field.name()).collect();
        let columns = columns::detect(&names)?;

        let roles =
            [(&columns.line_item_type, "line item type"), (&columns.service, "service"), (&columns.cost, "cost")];
        let mut leaves = [0; 3];
        for (slot, (column, role)) in leaves.iter_mut().zip(roles) {
            *slot = flat_leaf(&schema, column, role)?;
        }
        check_column_types(&schema, &columns, leaves)?;
        let required = [columns.line_item_type.clone(), columns.service.clone(), columns.cost.clone()];
        let costs = Projection::new(&schema, required.iter().cloned().map(Some).collect())?;
        check_row_groups(&metadata, &costs.leaves, costs.names(), footer_start)?;

        // The explorer's columns are a bonus: one the file has but ducks cannot
        // use (a nested field, an odd type, a chunk whose metadata lies) is left
        // out with a note, and the costs still come.
        let mut notes = notes(&columns);
        let explore_columns = usable_explore_columns(&schema, &metadata, &columns, footer_start, &mut notes);
        let extras = extra_columns(&explore_columns);
        let explore = Projection::new(&schema, required.into_iter().map(Some).chain(extras).collect())?;

        let metadata = Arc::new(metadata);
        let options = ArrowReaderOptions::new().with_schema(arrow_schema(&schema, &explore)?);
        let arrow_metadata = ArrowReaderMetadata::try_new(Arc::clone(&metadata), options)?;

        let row_groups = metadata
            .row_groups()
            .iter()
            .map(|group| RowGroupOutline {
                rows: group.num_rows() as u64,
                bytes: costs.leaves.iter().map(|&leaf| group.column(leaf).compressed_size() as u64).sum(),
            })
            .collect();
        let outline = Outline {
            notes,
            explore: explore_columns,
            column_count: names.len(),
            rows: metadata.file_metadata().num_rows() as u64,
            row_groups,
            columns,
        };
        Ok(CurFile { reader: Arc::new(reader), metadata, outline, costs, explore, arrow_metadata })
    }

    /// What opening the file learned.
    pub fn outline(&self) -> &Outline {
        &self.outline
    }

    fn projection(&self, kind: ScanKind) -> &Projection {
        match kind {
            ScanKind::Costs => &self.costs,
            ScanKind::Explore => &self.explore,
        }
    }

    /// Scans one slice for the costs page, calling `progress` with the rows done
    /// after each batch.
    pub fn scan(&self, slice: RowSlice, progress: &mut dyn FnMut(u64)) -> Result<Tally> {
        self.scan_prefetched(slice, Vec::new(), progress).map(|(tally, _)| tally)
    }

    /// The byte ranges (start, length) a scan of `slice` will most likely read: each
    /// needed column chunk from its start (the page headers before the slice are
    /// read to find it) to a little past where the slice's rows should end. A
    /// caller that can read them faster ahead of time (in parallel) passes them to
    /// [`scan_prefetched`](Self::scan_prefetched); anything missed is read then.
    pub fn prefetch_ranges(&self, slice: RowSlice, kind: ScanKind) -> Vec<(u64, u64)> {
        let Some(group) = self.metadata.row_groups().get(slice.row_group) else { return Vec::new() };
        let rows = group.num_rows().max(1) as u64;
        let reach = (slice.first_row + slice.rows).min(rows);
        let mut budget = match kind {
            ScanKind::Costs => MAX_PREFETCH,
            ScanKind::Explore => MAX_EXPLORE_PREFETCH,
        };
        self.projection(kind)
            .leaves
            .iter()
            .map(|&leaf| {
                let (start, length) = group.column(leaf).byte_range();
                // Rows are spread evenly over the bytes, give or take; a tenth more covers the take.
                let wanted = (length as u128 * reach as u128 * 11 / (rows as u128 * 10)) as u64 + PREFETCH_SLACK;
                let take = wanted.min(length).min(budget);
                budget -= take;
                (start, take)
            })
            .filter(|&(_, length)| length > 0)
            .collect()
    }

    /// [`scan`](Self::scan), starting with bytes already read (start offset, bytes),
    /// and telling how many more reads it made.
    pub fn scan_prefetched(
        &self,
        slice: RowSlice,
        prefetched: Vec<(u64, Bytes)>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(Tally, ReadStats)> {
        let mut kernel = Kernel::default();
        let cost_name = &self.outline.columns.cost.name;
        let stats = self.read(slice, &self.costs, prefetched, progress, &mut |[t, s, c], _| {
            kernel.add(t.as_ref(), s.as_ref(), c.as_ref(), cost_name)
        })?;
        Ok((kernel.finish(), stats))
    }

    /// Scans one slice for the explorer, starting with bytes already read (as from
    /// [`prefetch_ranges`](Self::prefetch_ranges) with [`ScanKind::Explore`]).
    ///
    /// The cube grows with the distinct labels and days it meets, so whenever it
    /// holds `part_cells` cells it goes to `part` and a new one starts: a slice of
    /// any size is scanned in one pass with bounded memory. The parts and the cube
    /// returned merge to the slice's cube; if the scan fails, the parts already
    /// given are of an incomplete slice.
    pub fn explore_prefetched(
        &self,
        slice: RowSlice,
        prefetched: Vec<(u64, Bytes)>,
        progress: &mut dyn FnMut(u64),
        part_cells: usize,
        part: &mut dyn FnMut(Cube),
    ) -> Result<(Cube, ReadStats)> {
        let mut kernel = CubeKernel::default();
        let cost_name = &self.outline.columns.cost.name;
        let stats = self.read(slice, &self.explore, prefetched, progress, &mut |[t, s, c], rest| {
            let extras: [Option<&ArrayRef>; EXTRAS] = std::array::from_fn(|i| rest.get(i).copied().flatten());
            kernel.add(t.as_ref(), s.as_ref(), c.as_ref(), &extras, cost_name)?;
            if kernel.cells() >= part_cells {
                part(kernel.take_part());
            }
            Ok(())
        })?;
        Ok((kernel.take_part(), stats))
    }

    /// Reads the rows of `slice` in the columns of `projection`, handing each batch
    /// to `fold` as the three costs-page columns and the rest (absent ones `None`).
    fn read(
        &self,
        slice: RowSlice,
        projection: &Projection,
        prefetched: Vec<(u64, Bytes)>,
        progress: &mut dyn FnMut(u64),
        fold: &mut Fold<'_>,
    ) -> Result<ReadStats> {
        let group_rows = self
            .outline
            .row_groups
            .get(slice.row_group)
            .map(|group| group.rows)
            .filter(|&rows| slice.first_row.checked_add(slice.rows).is_some_and(|end| end <= rows))
            .ok_or_else(|| Error::Corrupt { detail: format!("no rows {slice:?} in this file") })?;
        let group = self.metadata.row_group(slice.row_group);
        let guards = projection
            .leaves
            .iter()
            .zip(projection.names())
            .map(|(&leaf, name)| ChunkGuard::new(group.column(leaf), group_rows, name))
            .collect();
        let source = Arc::new(ScanSource::new(Arc::clone(&self.reader), guards, prefetched));
        let failed = |error: Error| source.take_refusal().unwrap_or(error);

        let batches = ParquetRecordBatchReaderBuilder::new_with_metadata(
            Shared(Arc::clone(&source)),
            self.arrow_metadata.clone(),
        )
        .with_row_groups(vec![slice.row_group])
        .with_projection(projection.mask.clone())
        .with_batch_size(BATCH_ROWS)
        .with_row_selection(RowSelection::from(vec![
            RowSelector::skip(slice.first_row as usize),
            RowSelector::select(slice.rows as usize),
            RowSelector::skip((group_rows - slice.first_row - slice.rows) as usize),
        ]))
        .build()
        .map_err(|error| failed(error.into()))?;
        let mut rows_read = 0;
        for batch in batches {
            let batch: RecordBatch = batch.map_err(|error| failed(error.into()))?;
            let columns: Vec<Option<&ArrayRef>> =
                projection.positions.iter().map(|position| position.map(|p| batch.column(p))).collect();
            let [Some(t), Some(s), Some(c), rest @ ..] = columns.as_slice() else {
                return Err(Error::Corrupt { detail: "a batch came without its cost columns".into() });
            };
            fold([t, s, c], rest)?;
            rows_read += batch.num_rows() as u64;
            progress(batch.num_rows() as u64);
        }
        if rows_read != slice.rows {
            return Err(Error::Corrupt {
                detail: format!(
                    "row group {} gave {rows_read} rows where {} were expected",
                    slice.row_group, slice.rows
                ),
            });
        }
        Ok(source.stats())
    }
}

/// Whether a column of this type can serve as `extra`: text for the labels, a
/// timestamp, date or ISO text for the day, a number (or numeric text) for amounts.
fn fits(extra: Extra, descriptor: &ColumnDescriptor) -> bool {
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
    match (extra, descriptor.physical_type()) {
        (extra, physical) if extra.is_text() => physical == PhysicalType::BYTE_ARRAY,
        (Extra::UsageStart, PhysicalType::INT96 | PhysicalType::BYTE_ARRAY) => true,
        (Extra::UsageStart, PhysicalType::INT32 | PhysicalType::INT64) => temporal,
        (_, PhysicalType::DOUBLE | PhysicalType::FLOAT | PhysicalType::BYTE_ARRAY) => true,
        (_, PhysicalType::INT32 | PhysicalType::INT64) => !temporal,
        (_, PhysicalType::FIXED_LEN_BYTE_ARRAY) => {
            (1..=32).contains(&descriptor.type_length())
                && matches!(descriptor.logical_type_ref(), Some(LogicalType::Decimal { .. }))
        }
        _ => false,
    }
}

/// What a scan does with each batch: the three costs-page columns, then the rest.
type Fold<'a> = dyn FnMut([&ArrayRef; 3], &[Option<&ArrayRef>]) -> Result<()> + 'a;

/// The explorer's columns in [`Extra::ALL`] order.
fn extra_columns(explore: &ExploreColumns) -> Vec<Option<Column>> {
    let a = &explore.amortization;
    Extra::ALL
        .iter()
        .map(|extra| match extra {
            Extra::Account => explore.account.clone(),
            Extra::Region => explore.region.clone(),
            Extra::UsageType => explore.usage_type.clone(),
            Extra::Operation => explore.operation.clone(),
            Extra::UsageStart => explore.usage_start.clone(),
            Extra::NetUnblended => explore.net_unblended.clone(),
            Extra::EffectiveCost => explore.effective_cost.clone(),
            Extra::SavingsPlanEffectiveCost => a.savings_plan_effective_cost.clone(),
            Extra::SavingsPlanTotalCommitment => a.savings_plan_total_commitment.clone(),
            Extra::SavingsPlanUsedCommitment => a.savings_plan_used_commitment.clone(),
            Extra::ReservationEffectiveCost => a.reservation_effective_cost.clone(),
            Extra::ReservationUnusedUpfront => a.reservation_unused_upfront.clone(),
            Extra::ReservationUnusedRecurring => a.reservation_unused_recurring.clone(),
            Extra::ReservationArn => a.reservation_arn.clone(),
        })
        .collect()
}

/// The explorer's columns the file has, less those ducks cannot read (nested,
/// an unusable type, a column chunk whose metadata does not add up), each left
/// out with a note.
fn usable_explore_columns(
    schema: &SchemaDescriptor,
    metadata: &ParquetMetaData,
    columns: &CurColumns,
    data_end: u64,
    notes: &mut Vec<String>,
) -> ExploreColumns {
    let mut explore = columns::detect_explore(
        &schema.root_schema().get_fields().iter().map(|f| f.name()).collect::<Vec<_>>(),
        columns.format,
    );
    let usable = |column: &Column, extra: Extra| -> std::result::Result<(), String> {
        let leaf = flat_leaf(schema, column, "explorer").map_err(|e| e.to_string())?;
        let descriptor = schema.column(leaf);
        if !fits(extra, &descriptor) {
            return Err(format!("it holds {}", describe_type(&descriptor)));
        }
        check_row_groups(metadata, &[leaf], std::iter::once(column.name.as_str()), data_end).map_err(|e| e.to_string())
    };
    let extras = extra_columns(&explore);
    for (extra, column) in Extra::ALL.into_iter().zip(extras) {
        let Some(column) = column else { continue };
        if let Err(why) = usable(&column, extra) {
            notes.push(format!("The explorer leaves out column {} ({why})", column.name));
            let a = &mut explore.amortization;
            let slot = match extra {
                Extra::Account => &mut explore.account,
                Extra::Region => &mut explore.region,
                Extra::UsageType => &mut explore.usage_type,
                Extra::Operation => &mut explore.operation,
                Extra::UsageStart => &mut explore.usage_start,
                Extra::NetUnblended => &mut explore.net_unblended,
                Extra::EffectiveCost => &mut explore.effective_cost,
                Extra::SavingsPlanEffectiveCost => &mut a.savings_plan_effective_cost,
                Extra::SavingsPlanTotalCommitment => &mut a.savings_plan_total_commitment,
                Extra::SavingsPlanUsedCommitment => &mut a.savings_plan_used_commitment,
                Extra::ReservationEffectiveCost => &mut a.reservation_effective_cost,
                Extra::ReservationUnusedUpfront => &mut a.reservation_unused_upfront,
                Extra::ReservationUnusedRecurring => &mut a.reservation_unused_recurring,
                Extra::ReservationArn => &mut a.reservation_arn,
            };
            *slot = None;
        }
    }
    explore
}

/// Checks the `PAR1` marks and the footer length against the file's size, and
/// returns the footer length. Names what the file looks like when it is not Parquet.
fn check_envelope<R: ChunkReader>(reader: &R) -> Result<u64> {
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
            Error::NotParquet { found: looks_like(&head) }
        });
    }
    let tail = reader.get_bytes(length - 8, 8)?;
    let ends_right = &tail[4..] == b"PAR1";
    match (starts_right, ends_right) {
        (false, false) => return Err(Error::NotParquet { found: looks_like(&head) }),
        (false, true) => {
            return Err(Error::NotParquet {
                found: format!("it ends like Parquet but does not start with PAR1 ({})", looks_like(&head)),
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

/// A few words on what a non-Parquet file seems to be, from its first bytes.
fn looks_like(head: &[u8]) -> String {
    let prefix = &head[..head.len().min(4)];
    match prefix {
        [0x1f, 0x8b, ..] => "it is gzip-compressed (a .csv.gz report?)".into(),
        [b'P', b'K', 3, 4] => "it is a ZIP archive".into(),
        _ => match std::str::from_utf8(head) {
            Ok(text) if !text.trim().is_empty() && text.chars().all(|c| !c.is_control() || c.is_whitespace()) => {
                let first_line = text.lines().next().unwrap_or("").trim();
                let kind = if first_line.contains(',') { "CSV text" } else { "text" };
                format!("it is {kind} starting with {:?}", super::error::shorten(first_line, 40))
            }
            _ => {
                let hex: Vec<String> = prefix.iter().map(|byte| format!("{byte:02x}")).collect();
                format!("it starts with the bytes {} instead of PAR1", hex.join(" "))
            }
        },
    }
}

/// The leaf index of a top-level column, which must be a plain (non-nested) value.
fn flat_leaf(schema: &SchemaDescriptor, column: &Column, role: &'static str) -> Result<usize> {
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

fn check_column_types(
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

fn describe_type(descriptor: &ColumnDescriptor) -> String {
    match descriptor.logical_type_ref() {
        Some(logical) => format!("{logical:?} values"),
        None => format!("{} values", descriptor.physical_type()),
    }
}

/// Checks what the footer says of every row group and of the needed column
/// chunks against each other and against the bytes that exist before the footer,
/// so no later read or allocation trusts a number the file cannot back.
fn check_row_groups<'a>(
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

fn check_chunk(group: &RowGroupMetaData, leaf: usize, name: &str, index: usize, data_end: u64) -> Result<()> {
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
    if chunk.num_values() != group.num_rows() {
        return Err(damaged(format!("it claims {} values for {} rows", chunk.num_values(), group.num_rows())));
    }
    check_codec(chunk.compression(), name)
}

/// Refuses, by name, a compression this build cannot decode, before the parquet
/// crate fails on the first page with a message meant for its developers. The
/// browser build leaves Brotli out: its codec was a third of the worker's
/// download, and AWS writes CUR with Snappy. LZO has no decoder in the crate.
fn check_codec(compression: Compression, column: &str) -> Result<()> {
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

/// The file's schema in arrow types, asking for the text columns as dictionaries
/// so the kernel sees keys, not strings.
fn arrow_schema(schema: &SchemaDescriptor, explore: &Projection) -> Result<SchemaRef> {
    let arrow = parquet_to_arrow_schema(schema, None)
        .map_err(|error| Error::Corrupt { detail: format!("its schema cannot be read: {error}") })?;
    // The type and service columns, and the explorer's text columns.
    let text_columns: Vec<usize> = explore
        .columns
        .iter()
        .enumerate()
        .filter(|(i, _)| *i < 2 || i.checked_sub(3).and_then(|j| Extra::ALL.get(j)).is_some_and(|e| e.is_text()))
        .filter_map(|(_, column)| column.as_ref().map(|c| c.index))
        .collect();
    let fields: Vec<Arc<Field>> = arrow
        .fields()
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let is_text = matches!(
                field.data_type(),
                DataType::Utf8 | DataType::Binary | DataType::LargeUtf8 | DataType::Utf8View
            );
            if text_columns.contains(&index) && is_text {
                let dictionary = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
                Arc::new(Field::new(field.name(), dictionary, field.is_nullable()))
            } else {
                Arc::clone(field)
            }
        })
        .collect();
    Ok(Arc::new(Schema::new(fields)))
}

fn notes(columns: &CurColumns) -> Vec<String> {
    let mut notes = Vec::new();
    if columns.format == CurFormat::Focus {
        notes.push(
            "FOCUS data has no AWSDataTransfer service: transfer costs are counted under the service that moved the data"
                .into(),
        );
        if columns::canonical(&columns.service.name) == "service_name" {
            notes.push(
                "Services are FOCUS display names (no x_ServiceCode column); discounts are matched to them by name"
                    .into(),
            );
        }
    }
    if columns::canonical(&columns.service.name) == "line_item_product_code" {
        notes.push(format!("No product_servicecode column: services are taken from {}", columns.service.name));
    }
    notes
}

/// A reader shared by the scans of one file (the builder wants one by value).
struct Shared<R>(Arc<R>);

impl<R: ChunkReader> Length for Shared<R> {
    fn len(&self) -> u64 {
        self.0.len()
    }
}

impl<R: ChunkReader> ChunkReader for Shared<R> {
    type T = R::T;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        self.0.get_read(start)
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        self.0.get_bytes(start, length)
    }
}
