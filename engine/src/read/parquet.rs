//! Opening a CUR Parquet file and scanning slices of it.
//!
//! Opening reads only the footer: it checks the envelope (the `PAR1` marks and the
//! footer length) before the parquet crate parses anything, checks the metadata of
//! the needed column chunks against the file's real size, and finds the columns
//! (the checks are `parquet_checks.rs`).
//! A scan reads one slice of one row group, the three columns of the costs page
//! (or those plus the explorer's), page by page, so memory follows what is being
//! decoded, never the size of the file.

use std::sync::Arc;

use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field as ArrowField, Schema, SchemaRef};
use bytes::Bytes;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder, RowSelection, RowSelector,
};
use parquet::arrow::{ProjectionMask, parquet_to_arrow_schema};
use parquet::file::metadata::{
    ParquetMetaData, ParquetMetaDataOptions, ParquetMetaDataReader, ParquetStatisticsPolicy,
};
use parquet::file::reader::{ChunkReader, Length};
use parquet::schema::types::SchemaDescriptor;

use crate::error::{Error, Result};
use crate::fold::batch::{Batch, Fold};
use crate::read::footer_guard;
use crate::read::format::Format;
use crate::read::keyed::{column_of_key, map_as_json};
use crate::read::outline::{Delivery, DetailScan, Outline, RowGroupOutline, RowSlice, ScanKind};
use crate::read::page_guard::ChunkGuard;
use crate::read::parquet_checks::{
    check_column_types, check_envelope, check_row_groups, detail_leaves, flat_leaf, usable_optional_columns,
};
use crate::read::source::{FooterSource, ReadStats, ScanSource};
use crate::schema::catalogue::{Field, Holds};
use crate::schema::columns::{self, Column};

/// Rows decoded per batch: large enough that per-batch work (dictionary mapping)
/// vanishes, small enough that a batch of three columns stays around a megabyte.
const BATCH_ROWS: usize = 64 * 1024;

/// At most this much is read ahead for one scan; the rest is read as needed. The
/// explorer's scan holds a cube beside its bytes, so it reads ahead less.
const MAX_PREFETCH: u64 = 160 << 20;
const MAX_EXPLORE_PREFETCH: u64 = 32 << 20;

/// Read ahead past the estimated end of a slice, for its last page.
const PREFETCH_SLACK: u64 = 256 << 10;

/// The columns one kind of scan reads: the three required ones, then optional
/// ones, and the on-demand dimension's.
struct Projection {
    /// The required columns (type, service, cost).
    required: [Column; 3],
    /// The optional columns read, by field.
    optional: Vec<(Field, Column)>,
    /// The on-demand dimension's column, if the scan reads one.
    detail: Option<Column>,
    /// Leaf column indices of the distinct columns read (a map has two).
    leaves: Vec<usize>,
    /// The name of each leaf's column, for errors.
    leaf_names: Vec<String>,
    mask: ProjectionMask,
    /// Where each required column sits in a decoded batch.
    required_at: [usize; 3],
    /// Where each optional column sits in a decoded batch.
    optional_at: Vec<usize>,
    /// Where the detail column sits in a decoded batch.
    detail_at: Option<usize>,
}

impl Projection {
    fn new(
        schema: &SchemaDescriptor,
        required: [Column; 3],
        optional: Vec<(Field, Column)>,
        detail: Option<Column>,
    ) -> Result<Projection> {
        let all = || required.iter().chain(optional.iter().map(|(_, c)| c)).chain(detail.as_ref());
        // A column may serve two roles (FOCUS's BilledCost is both the cost and the
        // net cost): it is read once, and both roles point at it.
        let mut by_index: Vec<usize> = all().map(|column| column.index).collect();
        by_index.sort_unstable();
        by_index.dedup();
        let at = |column: &Column| by_index.binary_search(&column.index).unwrap_or(0);
        let required_at = [at(&required[0]), at(&required[1]), at(&required[2])];
        let optional_at = optional.iter().map(|(_, column)| at(column)).collect();
        let detail_at = detail.as_ref().map(at);
        let (mut leaves, mut leaf_names) = (Vec::new(), Vec::new());
        for &index in &by_index {
            let column = all().find(|c| c.index == index).expect("every index came from a column");
            let of_column = match &detail {
                Some(d) if d.index == index => detail_leaves(schema, column)?,
                _ => vec![flat_leaf(schema, column, "explorer")?],
            };
            leaf_names.extend(of_column.iter().map(|_| column.name.clone()));
            leaves.extend(of_column);
        }
        let mask = ProjectionMask::roots(schema, by_index);
        Ok(Projection { required, optional, detail, leaves, leaf_names, mask, required_at, optional_at, detail_at })
    }
}

/// An opened CUR Parquet file, ready to scan.
pub(crate) struct ParquetFile<R: ChunkReader> {
    reader: Arc<R>,
    metadata: Arc<ParquetMetaData>,
    outline: Outline,
    /// What each scan kind reads, at its [`ScanKind::index`].
    projections: Vec<Projection>,
    /// The metadata and the arrow schema (text columns asked for as dictionaries)
    /// every scan starts from.
    arrow_metadata: ArrowReaderMetadata,
    /// Where the column data ends (the footer starts): no chunk may reach past it.
    data_end: u64,
}

impl<R: ChunkReader + 'static> ParquetFile<R> {
    /// Reads and checks the footer and finds the columns to use, with some of the
    /// [`footer_ranges`](crate::read::source::footer_ranges) already read (start offset, bytes).
    pub(crate) fn open_prefetched(reader: R, prefetched: Vec<(u64, Bytes)>) -> Result<Self> {
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
            .parse_and_finish(&footer)
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
        let required_names: Vec<&str> = required.iter().map(|c| c.name.as_str()).collect();
        check_row_groups(&metadata, &leaves, required_names.iter().copied(), footer_start)?;

        // The optional columns are a bonus: one the file has but ducks cannot use
        // (a nested field, an odd type, a chunk whose metadata lies) is left out
        // with a note, and the costs still come.
        let mut refused = Vec::new();
        let optional = usable_optional_columns(&schema, &metadata, &columns, footer_start, &mut refused);
        let mut notes = columns::notes(&columns, &optional, &names);
        notes.extend(refused);
        let present: Vec<(Field, Column)> = optional.present().map(|(f, c)| (f, c.clone())).collect();
        let projection = |kind: ScanKind| {
            let read = present.iter().filter(|(field, _)| kind.reads(*field)).cloned().collect();
            Projection::new(&schema, required.clone(), read, None)
        };
        let projections = ScanKind::ALL.into_iter().map(projection).collect::<Result<Vec<Projection>>>()?;

        let metadata = Arc::new(metadata);
        // Every text column either scan reads comes as dictionary keys (the service's
        // name too, which only the costs scan reads).
        let options = ArrowReaderOptions::new()
            .with_schema(arrow_schema(&schema, &projections.iter().collect::<Vec<&Projection>>())?);
        let arrow_metadata = ArrowReaderMetadata::try_new(Arc::clone(&metadata), options)?;

        let row_groups = metadata
            .row_groups()
            .iter()
            .map(|group| RowGroupOutline {
                rows: group.num_rows() as u64,
                bytes: projections[ScanKind::Costs.index()]
                    .leaves
                    .iter()
                    .map(|&leaf| group.column(leaf).compressed_size() as u64)
                    .sum(),
            })
            .collect();
        let outline = Outline {
            delivery: Delivery::Parquet,
            bytes: reader.len(),
            notes,
            optional,
            column_count: names.len(),
            names: names.iter().map(|name| (*name).to_owned()).collect(),
            rows: metadata.file_metadata().num_rows() as u64,
            row_groups,
            columns,
        };
        Ok(ParquetFile {
            reader: Arc::new(reader),
            metadata,
            outline,
            projections,
            arrow_metadata,
            data_end: footer_start,
        })
    }

    fn projection(&self, kind: ScanKind) -> &Projection {
        &self.projections[kind.index()]
    }

    fn read_projected(
        &self,
        slice: RowSlice,
        projection: &Projection,
        arrow_metadata: &ArrowReaderMetadata,
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
            .zip(&projection.leaf_names)
            .map(|(&leaf, name)| {
                let chunk = group.column(leaf);
                // A map's leaves hold an entry per pair, not per row: their pages
                // are bounded by the values the chunk claims.
                let bound = if chunk.column_descr().max_rep_level() > 0 {
                    u64::try_from(chunk.num_values()).unwrap_or(0)
                } else {
                    group_rows
                };
                ChunkGuard::new(chunk, bound, name)
            })
            .collect();
        let source = Arc::new(ScanSource::new(Arc::clone(&self.reader), guards, prefetched));
        let failed = |error: Error| source.take_refusal().unwrap_or(error);

        let batches =
            ParquetRecordBatchReaderBuilder::new_with_metadata(Shared(Arc::clone(&source)), arrow_metadata.clone())
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
            let column = |at: usize| -> Result<&dyn Array> {
                batch.columns().get(at).map(|c| c.as_ref()).ok_or_else(|| {
                    Error::Internal(format!("a batch of {} columns has none at {at}", batch.num_columns()))
                })
            };
            let [t, s, c] = projection.required_at;
            // A value inside a column of JSON objects (CUR 2.0's `product`) becomes its own text column.
            let keyed: Vec<Option<ArrayRef>> = projection
                .optional
                .iter()
                .zip(&projection.optional_at)
                .map(|((_, col), &at)| col.key.as_deref().map(|key| column_of_key(column(at)?, key)).transpose())
                .collect::<Result<_>>()?;
            let optional = projection
                .optional
                .iter()
                .zip(&projection.optional_at)
                .zip(&keyed)
                .map(|(((field, _), &at), keyed)| match keyed {
                    Some(array) => Ok((*field, array.as_ref())),
                    None => Ok((*field, column(at)?)),
                })
                .collect::<Result<_>>()?;
            // A key's values in a column of pairs; a whole map column as JSON text.
            let keyed_detail = match (&projection.detail, projection.detail_at) {
                (Some(Column { key: Some(key), .. }), Some(at)) => Some(column_of_key(column(at)?, key)?),
                (Some(_), Some(at)) => map_as_json(column(at)?)?,
                _ => None,
            };
            let detail = match (keyed_detail.as_deref(), projection.detail_at) {
                (Some(keyed), _) => Some(keyed),
                (None, Some(at)) => Some(column(at)?),
                (None, None) => None,
            };
            fold(&Batch {
                line_item_type: column(t)?,
                service: column(s)?,
                cost: column(c)?,
                optional,
                detail,
                cost_name: &self.outline.columns.cost.name,
                provider: self.outline.columns.format.provider(),
            })?;
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

impl<R: ChunkReader + 'static> Format for ParquetFile<R> {
    /// What opening the file learned.
    fn outline(&self) -> &Outline {
        &self.outline
    }
    /// The byte ranges (start, length) a scan of `slice` will most likely read: each
    /// needed column chunk from its start (the page headers before the slice are
    /// read to find it) to a little past where the slice's rows should end. A
    /// caller that can read them faster ahead of time (in parallel) passes them to
    /// `CurFile::scan_prefetched`; anything missed is read then.
    fn prefetch_ranges(&self, slice: RowSlice, kind: ScanKind) -> Vec<(u64, u64)> {
        let Some(group) = self.metadata.row_groups().get(slice.row_group) else { return Vec::new() };
        let rows = group.num_rows().max(1) as u64;
        let reach = (slice.first_row + slice.rows).min(rows);
        let mut budget = match kind {
            ScanKind::Costs | ScanKind::Covered => MAX_PREFETCH,
            ScanKind::Explore
            | ScanKind::Commitments
            | ScanKind::CommitmentResources
            | ScanKind::Check
            | ScanKind::Invoices => MAX_EXPLORE_PREFETCH,
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
    /// Reads the rows of `slice` in the columns `kind` needs, starting with bytes
    /// already read (start offset, bytes), handing each batch to `fold`; tells how
    /// many more reads it made.
    fn read(
        &self,
        slice: RowSlice,
        kind: ScanKind,
        prefetched: Vec<(u64, Bytes)>,
        progress: &mut dyn FnMut(u64),
        fold: &mut Fold<'_>,
    ) -> Result<ReadStats> {
        self.read_projected(slice, self.projection(kind), &self.arrow_metadata, prefetched, progress, fold)
    }
    /// Reads `slice` for an on-demand scan: the explorer's columns `scan`
    /// reads ([`DetailScan::reads`]) and the `detail` column, if the file has it.
    fn read_detail(
        &self,
        slice: RowSlice,
        detail: Option<&Column>,
        scan: &DetailScan,
        progress: &mut dyn FnMut(u64),
        fold: &mut Fold<'_>,
    ) -> Result<ReadStats> {
        let schema = self.metadata.file_metadata().schema_descr();
        let optional = self
            .projection(ScanKind::Explore)
            .optional
            .iter()
            .filter(|(field, _)| scan.reads(*field))
            .cloned()
            .collect();
        let projection =
            Projection::new(schema, self.projection(ScanKind::Explore).required.clone(), optional, detail.cloned())?;
        if let Some(column) = detail {
            // Its chunks were not checked at open (only the columns every scan reads were).
            let leaves = detail_leaves(schema, column)?;
            let names = leaves.iter().map(|_| column.name.as_str());
            check_row_groups(&self.metadata, &leaves, names, self.data_end)?;
        }
        let options = ArrowReaderOptions::new().with_schema(arrow_schema(schema, &[&projection])?);
        let arrow_metadata = ArrowReaderMetadata::try_new(Arc::clone(&self.metadata), options)?;
        self.read_projected(slice, &projection, &arrow_metadata, Vec::new(), progress, fold)
    }
}

/// The file's schema in arrow types, asking for the text columns as dictionaries
/// so the kernel sees keys, not strings.
fn arrow_schema(schema: &SchemaDescriptor, projections: &[&Projection]) -> Result<SchemaRef> {
    let arrow = parquet_to_arrow_schema(schema, None)
        .map_err(|error| Error::Corrupt { detail: format!("its schema cannot be read: {error}") })?;
    // The type and service columns, the optional text columns, and the detail.
    let text_columns: Vec<usize> = projections
        .iter()
        .flat_map(|projection| {
            projection.required[..2].iter().chain(projection.detail.as_ref()).map(|c| c.index).chain(
                projection
                    .optional
                    .iter()
                    .filter(|(field, _)| matches!(field.holds(), Holds::Label | Holds::Text))
                    .map(|(_, c)| c.index),
            )
        })
        .collect();
    let fields: Vec<Arc<ArrowField>> = arrow
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
                Arc::new(ArrowField::new(field.name(), dictionary, field.is_nullable()))
            } else {
                Arc::clone(field)
            }
        })
        .collect();
    Ok(Arc::new(Schema::new(fields)))
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
    use arrow_schema::{DataType, Field as ArrowField, Schema};
    use bytes::Bytes;
    use parquet::arrow::ArrowWriter;

    use super::ParquetFile;

    /// Every text column a scan reads must come as dictionary keys: read as
    /// strings, each row is copied and hashed (the service's name once made the
    /// costs scan 2.3 times slower that way).
    #[test]
    fn the_text_columns_of_both_scans_are_read_as_dictionaries() {
        let text = |values: &[&str]| Arc::new(StringArray::from(values.to_vec())) as ArrayRef;
        let columns: Vec<(&str, ArrayRef)> = vec![
            ("line_item_line_item_type", text(&["Usage", "Tax"])),
            ("product_servicecode", text(&["AmazonS3", "AmazonEC2"])),
            ("line_item_unblended_cost", Arc::new(Float64Array::from(vec![1.5, 2.0])) as ArrayRef),
            ("line_item_currency_code", text(&["USD", "USD"])),
            ("product_product_name", text(&["Amazon Simple Storage Service", "Amazon Elastic Compute Cloud"])),
            ("line_item_usage_account_id", text(&["111122223333", "444455556666"])),
        ];
        let schema = Arc::new(Schema::new(
            columns
                .iter()
                .map(|(name, array)| ArrowField::new(*name, array.data_type().clone(), true))
                .collect::<Vec<_>>(),
        ));
        let batch = RecordBatch::try_new(Arc::clone(&schema), columns.iter().map(|(_, a)| Arc::clone(a)).collect())
            .expect("a batch");
        let mut bytes = Vec::new();
        let mut writer = ArrowWriter::try_new(&mut bytes, schema, None).expect("a writer");
        writer.write(&batch).expect("write");
        writer.close().expect("close");

        let file = ParquetFile::open_prefetched(Bytes::from(bytes), Vec::new()).expect("opens");
        let read = file.arrow_metadata.schema();
        let kind = |name: &str| read.field_with_name(name).expect("a column").data_type().clone();
        let keys = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
        for name in ["line_item_line_item_type", "product_servicecode", "line_item_currency_code"] {
            assert_eq!(kind(name), keys, "{name}");
        }
        // Read by the costs scan only, and by the explorer only.
        assert_eq!(kind("product_product_name"), keys);
        assert_eq!(kind("line_item_usage_account_id"), keys);
        assert_eq!(kind("line_item_unblended_cost"), DataType::Float64);
    }
}
