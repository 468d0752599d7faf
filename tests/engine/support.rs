use std::path::Path;
use std::sync::Arc;

use arrow_array::Array;
use arrow_array::builder::{Decimal128Builder, Float32Builder, Float64Builder, StringBuilder, StringDictionaryBuilder};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, GzipLevel, ZstdLevel};
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};

pub use crate::random::Random;

/// One line item: type, service, cost in micro-dollars (`None` is a null cost).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line_item_type: Option<String>,
    pub service: Option<String>,
    pub micros: Option<i64>,
}

/// How the cost column is stored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CostType {
    Float64,
    Float32,
    /// decimal(18, 8): FIXED_LEN_BYTE_ARRAY as written by arrow.
    Decimal,
    /// Numeric text, as some exports carry it.
    Text,
}

/// Column naming conventions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Names {
    Athena,
    Csv,
    Focus,
}

impl Names {
    pub fn columns(self) -> [&'static str; 3] {
        match self {
            Names::Athena => ["line_item_line_item_type", "product_servicecode", "line_item_unblended_cost"],
            Names::Csv => ["lineItem/LineItemType", "product/servicecode", "lineItem/UnblendedCost"],
            Names::Focus => ["ChargeCategory", "x_ServiceCode", "BilledCost"],
        }
    }
}

/// Everything about a file to write.
#[derive(Debug, Clone)]
pub struct Spec {
    pub names: Names,
    pub cost: CostType,
    pub compression: Compression,
    pub dictionary: bool,
    pub row_group_rows: usize,
    /// Rows per data page (small values make many pages).
    pub page_rows: usize,
    pub data_page_v2: bool,
    /// Extra string columns, written before the needed ones (so indices differ from names).
    pub extra_columns: Vec<String>,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            names: Names::Athena,
            cost: CostType::Float64,
            compression: Compression::SNAPPY,
            dictionary: true,
            row_group_rows: 1 << 20,
            page_rows: 20_000,
            data_page_v2: false,
            extra_columns: vec!["identity_line_item_id".into(), "line_item_usage_account_id".into()],
        }
    }
}

pub const SERVICES: [&str; 8] =
    ["AmazonS3", "AmazonEC2", "AWSDataTransfer", "AWSGlue", "AmazonGuardDuty", "AWSLambda", "AmazonRDS", ""];
pub const TYPES: [&str; 6] = ["Usage", "Usage", "Usage", "DiscountedUsage", "Tax", "Credit"];

/// `count` rows over the usual services and types; a few null costs when `nulls`.
pub fn rows(count: usize, seed: u64, nulls: bool) -> Vec<Row> {
    let mut random = Random::new(seed);
    (0..count)
        .map(|_| {
            let line_item_type = TYPES[random.below(TYPES.len() as u64) as usize];
            let service = SERVICES[random.below(SERVICES.len() as u64) as usize];
            // Up to $5,000.00 in micro-dollars; credits are negative.
            let mut micros = random.below(5_000_000_000) as i64;
            if line_item_type == "Credit" {
                micros = -micros;
            }
            let null = nulls && random.below(50) == 0;
            Row {
                line_item_type: Some(line_item_type.into()),
                service: Some(service.into()),
                micros: (!null).then_some(micros),
            }
        })
        .collect()
}

/// The exact expected figures of `rows`: usage rows per service, in micro-dollars.
pub fn exact_usage_micros(rows: &[Row]) -> std::collections::BTreeMap<String, i128> {
    let mut sums = std::collections::BTreeMap::new();
    for row in rows.iter().filter(|r| r.line_item_type.as_deref() == Some("Usage")) {
        *sums.entry(row.service.clone().unwrap_or_default()).or_insert(0) += i128::from(row.micros.unwrap_or(0));
    }
    sums
}

/// Writes `rows` to `path` as `spec` says.
pub fn write(path: &Path, rows: &[Row], spec: &Spec) {
    let [type_name, service_name, cost_name] = spec.names.columns();
    let mut fields = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for (i, name) in spec.extra_columns.iter().enumerate() {
        let mut builder = StringBuilder::new();
        for row in 0..rows.len() {
            builder.append_value(format!("{name}-{}", (row * 7 + i) % 1000));
        }
        fields.push(Field::new(name, DataType::Utf8, true));
        columns.push(Arc::new(builder.finish()));
    }
    for (name, values) in [
        (type_name, rows.iter().map(|r| r.line_item_type.as_deref()).collect::<Vec<_>>()),
        (service_name, rows.iter().map(|r| r.service.as_deref()).collect()),
    ] {
        if spec.dictionary {
            let mut builder = StringDictionaryBuilder::<Int32Type>::new();
            values.iter().for_each(|v| builder.append_option(*v));
            let array = builder.finish();
            fields.push(Field::new(name, array.data_type().clone(), true));
            columns.push(Arc::new(array));
        } else {
            let mut builder = StringBuilder::new();
            values.iter().for_each(|v| builder.append_option(*v));
            fields.push(Field::new(name, DataType::Utf8, true));
            columns.push(Arc::new(builder.finish()));
        }
    }
    let micros = rows.iter().map(|r| r.micros);
    let cost: ArrayRef = match spec.cost {
        CostType::Float64 => {
            let mut builder = Float64Builder::new();
            micros.for_each(|m| builder.append_option(m.map(|m| m as f64 / 1e6)));
            Arc::new(builder.finish())
        }
        CostType::Float32 => {
            let mut builder = Float32Builder::new();
            micros.for_each(|m| builder.append_option(m.map(|m| (m as f64 / 1e6) as f32)));
            Arc::new(builder.finish())
        }
        CostType::Decimal => {
            let mut builder = Decimal128Builder::new().with_precision_and_scale(18, 8).unwrap();
            micros.for_each(|m| builder.append_option(m.map(|m| i128::from(m) * 100)));
            Arc::new(builder.finish())
        }
        CostType::Text => {
            let mut builder = StringBuilder::new();
            micros.for_each(|m| builder.append_option(m.map(|m| format!("{}", m as f64 / 1e6))));
            Arc::new(builder.finish())
        }
    };
    fields.push(Field::new(cost_name, cost.data_type().clone(), true));
    columns.push(cost);

    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema, columns).unwrap();
    let properties = WriterProperties::builder()
        .set_compression(spec.compression)
        .set_dictionary_enabled(spec.dictionary)
        .set_max_row_group_row_count(Some(spec.row_group_rows))
        .set_data_page_row_count_limit(spec.page_rows)
        .set_write_batch_size(spec.page_rows.min(1024))
        .set_statistics_enabled(EnabledStatistics::Page)
        .set_writer_version(if spec.data_page_v2 { WriterVersion::PARQUET_2_0 } else { WriterVersion::PARQUET_1_0 })
        .build();
    write_batch(path, &batch, properties);
}

/// Writes one batch with the given writer settings.
pub fn write_batch(path: &Path, batch: &RecordBatch, properties: WriterProperties) {
    let file = std::fs::File::create(path).unwrap();
    let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(properties)).unwrap();
    writer.write(batch).unwrap();
    writer.close().unwrap();
}

/// A batch of text columns, for files the row model cannot express.
pub fn text_batch(columns: &[(&str, &[Option<&str>])]) -> RecordBatch {
    let fields: Vec<Field> = columns.iter().map(|(name, _)| Field::new(*name, DataType::Utf8, true)).collect();
    let arrays: Vec<ArrayRef> = columns
        .iter()
        .map(|(_, values)| {
            let mut builder = StringBuilder::new();
            values.iter().for_each(|v| builder.append_option(*v));
            Arc::new(builder.finish()) as ArrayRef
        })
        .collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).unwrap()
}

/// Every codec the engine must read.
pub fn codecs() -> [Compression; 4] {
    [
        Compression::UNCOMPRESSED,
        Compression::SNAPPY,
        Compression::GZIP(GzipLevel::default()),
        Compression::ZSTD(ZstdLevel::default()),
    ]
}

/// A fresh scratch directory under the target directory, removed on drop.
pub struct Scratch(pub std::path::PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Self {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    pub fn path(&self, name: &str) -> std::path::PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `bytes` gzip'd, as AWS delivers a `.csv.gz`.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}
