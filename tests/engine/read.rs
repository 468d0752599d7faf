use std::path::PathBuf;

use ducks::cli::LocalFile;
use ducks::engine::{CostReport, CurFile, Discounts, Error, RowSlice, Tally, UsageRule, cost_report, plan};
use parquet::basic::{BrotliLevel, Compression, ZstdLevel};

use crate::support::{self, CostType, Names, Row, Scratch, Spec};

/// Opens, plans for `workers`, scans and merges, as the page and the CLI do.
fn analyse(paths: &[PathBuf], workers: usize) -> Result<(Tally, CostReport), Error> {
    let files: Vec<CurFile<LocalFile>> =
        paths.iter().map(|path| CurFile::open(LocalFile::open(path).unwrap())).collect::<Result<_, _>>()?;
    let outlines: Vec<_> = files.iter().enumerate().map(|(i, f)| (i, f.outline())).collect();
    let mut tally = Tally::default();
    for piece in plan(&outlines, workers) {
        tally.merge(&files[piece.file].scan(piece.slice, &mut |_| {})?);
    }
    let report = cost_report(&tally, files.len(), &Discounts::default(), &UsageRule::default());
    Ok((tally, report))
}

/// Checks the report of the files against the rows that were written, with one
/// worker and with several (so row groups are cut into slices).
#[track_caller]
fn check_report(paths: &[PathBuf], rows: &[Row], tolerance: f64) {
    let expected = support::exact_usage_micros(rows);
    for workers in [1, 3] {
        let (tally, report) = analyse(paths, workers).unwrap();
        assert_eq!(tally.rows, rows.len() as u64);
        let usage: Vec<&Row> = rows.iter().filter(|r| r.line_item_type.as_deref() == Some("Usage")).collect();
        assert_eq!(report.usage_rows, usage.len() as u64);
        assert_eq!(report.null_costs, usage.iter().filter(|r| r.micros.is_none()).count() as u64);
        let got: Vec<(&str, f64)> = report.services.iter().map(|s| (s.service.as_str(), s.undiscounted)).collect();
        assert_eq!(got.len(), expected.len(), "services: {got:?}");
        for (service, micros) in &expected {
            let exact = *micros as f64 / 1e6;
            let (_, sum) = got.iter().find(|(name, _)| name == service).unwrap();
            assert!(
                (sum - exact).abs() <= tolerance * exact.abs().max(1.0),
                "{service}: {sum} vs {exact} ({workers} workers)"
            );
        }
    }
}

#[test]
fn every_codec_dictionary_and_plain_many_row_groups_and_pages() {
    let scratch = Scratch::new("codecs");
    let rows = support::rows(30_000, 1, true);
    for (i, compression) in support::codecs().into_iter().enumerate() {
        for dictionary in [true, false] {
            let path = scratch.path(&format!("{i}-{dictionary}.parquet"));
            let spec = Spec { compression, dictionary, row_group_rows: 7_000, page_rows: 1_000, ..Spec::default() };
            support::write(&path, &rows, &spec);
            check_report(&[path], &rows, 1e-12);
        }
    }
}

/// Natively Brotli reads like any other codec; the browser build refuses it by
/// name, which `tests/web.rs` checks on the committed fixture this writes.
#[test]
fn brotli_is_read_natively_and_the_browser_fixture_is_current() {
    let scratch = Scratch::new("brotli");
    let rows = support::rows(300, 3, false);
    let path = scratch.path("brotli.parquet");
    let spec = Spec { compression: Compression::BROTLI(BrotliLevel::default()), ..Spec::default() };
    support::write(&path, &rows, &spec);
    check_report(std::slice::from_ref(&path), &rows, 1e-12);
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/brotli.parquet");
    assert!(std::fs::read(&fixture).unwrap() == std::fs::read(&path).unwrap(), "{} is out of date", fixture.display());
}

#[test]
fn data_page_v2_pages_with_nulls_give_exact_sums() {
    let scratch = Scratch::new("v2");
    let rows = support::rows(20_000, 2, true);
    let path = scratch.path("v2.parquet");
    let spec = Spec {
        compression: Compression::ZSTD(ZstdLevel::default()),
        data_page_v2: true,
        row_group_rows: 6_000,
        page_rows: 500,
        ..Spec::default()
    };
    support::write(&path, &rows, &spec);
    check_report(&[path], &rows, 1e-12);
}

#[test]
fn decimal_float32_and_text_costs() {
    let scratch = Scratch::new("cost-types");
    let rows = support::rows(5_000, 3, true);
    for (cost, tolerance) in [(CostType::Decimal, 1e-12), (CostType::Text, 1e-12), (CostType::Float32, 1e-6)] {
        let path = scratch.path(&format!("{cost:?}.parquet"));
        support::write(&path, &rows, &Spec { cost, ..Spec::default() });
        check_report(&[path], &rows, tolerance);
    }
}

#[test]
fn csv_style_focus_and_title_case_names() {
    let scratch = Scratch::new("names");
    let rows = support::rows(3_000, 4, false);
    for names in [Names::Csv, Names::Focus] {
        let path = scratch.path(&format!("{names:?}.parquet"));
        support::write(&path, &rows, &Spec { names, ..Spec::default() });
        check_report(&[path], &rows, 1e-12);
    }
    let path = scratch.path("title.parquet");
    let spec = Spec { extra_columns: vec!["Identity_Line_Item_Id".into()], ..Spec::default() };
    support::write(&path, &rows, &spec);
    check_report(&[path], &rows, 1e-12);
}

#[test]
fn months_with_different_columns_are_read_by_name() {
    let scratch = Scratch::new("months");
    let january = support::rows(4_000, 5, false);
    let february = support::rows(6_000, 6, true);
    let a = scratch.path("2024-01.parquet");
    let b = scratch.path("2024-02.parquet");
    support::write(&a, &january, &Spec::default());
    let more_columns = Spec {
        extra_columns: vec!["resource_tags_user_team".into(), "identity_line_item_id".into(), "pricing_term".into()],
        compression: Compression::UNCOMPRESSED,
        dictionary: false,
        ..Spec::default()
    };
    support::write(&b, &february, &more_columns);
    let all: Vec<Row> = january.into_iter().chain(february).collect();
    check_report(&[a, b], &all, 1e-12);
}

#[test]
fn nulls_in_type_and_service() {
    let scratch = Scratch::new("null-labels");
    let mut rows = support::rows(1_000, 7, true);
    rows[0] = Row { line_item_type: None, service: Some("AmazonS3".into()), micros: Some(5_000_000) };
    rows[1] = Row { line_item_type: Some("Usage".into()), service: None, micros: Some(7_000_000) };
    let path = scratch.path("nulls.parquet");
    support::write(&path, &rows, &Spec::default());
    // A null service reads as the empty service, a null type is not usage.
    let mut expected_rows = rows.clone();
    expected_rows[1].service = Some(String::new());
    check_report(&[path], &expected_rows, 1e-12);
}

#[test]
fn zero_rows() {
    let scratch = Scratch::new("empty");
    let path = scratch.path("empty.parquet");
    support::write(&path, &[], &Spec::default());
    let (tally, report) = analyse(&[path], 2).unwrap();
    assert_eq!(tally.rows, 0);
    assert!(report.services.is_empty());
    assert_eq!(report.total.unwrap().blended_rate, None);
}

/// The reference rows (Usage S3 10, EC2 20, AWSDataTransfer 30, Glue 40, GuardDuty
/// 50, and S3 60 of another type), through a real Parquet file.
#[test]
fn usage_rows_give_150_then_90_3_at_a_blended_rate_of_0_602() {
    let scratch = Scratch::new("reference");
    let row = |t: &str, s: &str, dollars: i64| Row {
        line_item_type: Some(t.into()),
        service: Some(s.into()),
        micros: Some(dollars * 1_000_000),
    };
    let rows = [
        row("Usage", "AmazonS3", 10),
        row("Usage", "AmazonEC2", 20),
        row("Usage", "AWSDataTransfer", 30),
        row("Usage", "AWSGlue", 40),
        row("Usage", "AmazonGuardDuty", 50),
        row("NotUsage", "AmazonS3", 60),
    ];
    let path = scratch.path("reference.parquet");
    support::write(&path, &rows, &Spec::default());
    let (_, report) = analyse(&[path], 1).unwrap();
    let total = report.total.unwrap();
    assert_eq!((total.currency.as_str(), total.undiscounted), ("USD", 150.0));
    assert!((total.discounted - 90.3).abs() < 1e-12);
    assert!((total.blended_rate.unwrap() - 0.602).abs() < 1e-12);
    let s3 = report.services.iter().find(|s| s.service == "AmazonS3").unwrap();
    assert_eq!((s3.undiscounted, s3.discounted), (10.0, 10.0 * 0.88));
}

/// Costs of very different sizes and both signs, in two row orders: both sums
/// stay within 1e-9 of the exact sum (here far closer: compensated summation).
#[test]
fn sums_are_exact_whatever_the_row_order() {
    let scratch = Scratch::new("accuracy");
    let mut random = support::Random::new(8);
    let mut rows: Vec<Row> = (0..200_000)
        .map(|i| {
            let magnitude = 10_i64.pow((random.below(12)) as u32);
            let micros = (random.below(1000) as i64) * magnitude * if i % 3 == 0 { -1 } else { 1 };
            Row { line_item_type: Some("Usage".into()), service: Some("AmazonEC2".into()), micros: Some(micros) }
        })
        .collect();
    let forward = scratch.path("forward.parquet");
    support::write(&forward, &rows, &Spec { row_group_rows: 50_000, ..Spec::default() });
    rows.reverse();
    let backward = scratch.path("backward.parquet");
    support::write(&backward, &rows, &Spec { row_group_rows: 30_000, ..Spec::default() });
    let exact = support::exact_usage_micros(&rows)["AmazonEC2"] as f64 / 1e6;
    let (_, a) = analyse(&[forward], 2).unwrap();
    let (_, b) = analyse(&[backward], 3).unwrap();
    for report in [&a, &b] {
        let sum = report.services[0].undiscounted;
        assert!(((sum - exact) / exact).abs() < 1e-13, "{sum} vs {exact}");
    }
}

/// Any cut of a row group into slices gives the same tally as the whole: the
/// same rows, nulls and costs in every cell.
#[test]
fn slices_add_up_to_the_row_group() {
    let scratch = Scratch::new("slices");
    let rows = support::rows(50_000, 9, true);
    let path = scratch.path("slices.parquet");
    support::write(&path, &rows, &Spec { page_rows: 777, ..Spec::default() });
    let file = CurFile::open(LocalFile::open(&path).unwrap()).unwrap();
    let whole = file.scan(RowSlice { row_group: 0, first_row: 0, rows: 50_000 }, &mut |_| {}).unwrap();
    let mut parts = Tally::default();
    let cuts = [0, 1, 776, 777, 778, 20_000, 49_999, 50_000];
    for pair in cuts.windows(2) {
        let slice = RowSlice { row_group: 0, first_row: pair[0], rows: pair[1] - pair[0] };
        parts.merge(&file.scan(slice, &mut |_| {}).unwrap());
    }
    let totals = |t: &Tally| {
        let mut cells: Vec<_> = t
            .cells()
            .map(|(k, c)| (k.line_item_type.to_owned(), k.service.to_owned(), c.rows, c.null_costs, c.cost.value()))
            .collect();
        cells.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
        cells
    };
    let (parts_cells, whole_cells) = (totals(&parts), totals(&whole));
    assert_eq!(parts_cells.len(), whole_cells.len());
    for (part, all) in parts_cells.iter().zip(&whole_cells) {
        assert_eq!((&part.0, &part.1, part.2, part.3), (&all.0, &all.1, all.2, all.3));
        assert!((part.4 - all.4).abs() <= 1e-9 * all.4.abs().max(1.0), "{part:?} vs {all:?}");
    }
    assert!(whole_cells.iter().any(|cell| cell.4 != 0.0), "the file has costs to compare");
    assert_eq!(parts.rows, whole.rows);
}

#[test]
fn progress_reports_every_row_once() {
    let scratch = Scratch::new("progress");
    let rows = support::rows(200_000, 10, false);
    let path = scratch.path("progress.parquet");
    support::write(&path, &rows, &Spec::default());
    let file = CurFile::open(LocalFile::open(&path).unwrap()).unwrap();
    let mut seen = 0;
    let mut calls = 0;
    file.scan(RowSlice { row_group: 0, first_row: 0, rows: 200_000 }, &mut |rows| {
        seen += rows;
        calls += 1;
    })
    .unwrap();
    assert_eq!(seen, 200_000);
    assert!(calls > 1, "progress comes batch by batch");
}

#[test]
fn text_cost_that_is_not_a_number_is_refused() {
    let scratch = Scratch::new("bad-text");
    let path = scratch.path("text.parquet");
    let batch = support::text_batch(&[
        ("line_item_line_item_type", &[Some("Usage"), Some("Usage"), Some("Usage")]),
        ("product_servicecode", &[Some("AmazonS3"), Some("AmazonS3"), Some("AmazonS3")]),
        ("line_item_unblended_cost", &[Some("1.5"), Some(" "), Some("12,50 €")]),
    ]);
    support::write_batch(&path, &batch, Default::default());
    let error = analyse(&[path], 1).unwrap_err();
    assert_eq!(error.to_string(), "The cost column line_item_unblended_cost holds \"12,50 €\", which is not a number");
}

#[test]
fn missing_cost_column_says_what_was_looked_for() {
    let scratch = Scratch::new("missing");
    let path = scratch.path("missing.parquet");
    let batch = support::text_batch(&[
        ("line_item_line_item_type", &[Some("Usage")]),
        ("product_servicecode", &[Some("AmazonS3")]),
        ("line_item_blended_cost", &[Some("1.5")]),
    ]);
    support::write_batch(&path, &batch, Default::default());
    let error = analyse(&[path], 1).unwrap_err();
    assert_eq!(
        error.to_string(),
        "No cost column found; looked for line_item_unblended_cost (lineItem/UnblendedCost) in CUR, BilledCost in FOCUS. \
         The file has 3 columns: line_item_blended_cost, line_item_line_item_type, product_servicecode. \
         ducks reads AWS Cost and Usage Reports (legacy CUR, or a CUR 2.0 or FOCUS 1.0 export from Billing \
         and Cost Management → Data Exports), as Parquet or CSV"
    );
}

#[test]
fn not_parquet_says_what_it_is() {
    let error = CurFile::open(bytes::Bytes::from_static(b"PAR1")).err().unwrap();
    assert_eq!(
        error.to_string(),
        "This Parquet file is incomplete: it is only 4 bytes long, too short to hold a footer"
    );
    // CSV named .parquet claims to be what it is not; unnamed, it is read as CSV.
    let csv = || bytes::Bytes::from_static(b"a,b,c\n1,2,3\n4,5,6\n");
    let error = CurFile::open_named(csv(), "costs.parquet").err().unwrap();
    assert!(
        error.to_string().starts_with("This file is not Parquet: it is CSV text starting with \"a,b,c\""),
        "{error}"
    );
    let error = CurFile::open(csv()).err().unwrap();
    assert!(error.to_string().starts_with("No line item type column found"), "{error}");
    let error = CurFile::open(bytes::Bytes::from_static(b"\x00\x01\x02\x03 binary")).err().unwrap();
    assert!(error.to_string().starts_with("This file is not Parquet: it starts with the bytes 00 01 02 03"), "{error}");
    let error = CurFile::open(bytes::Bytes::new()).err().unwrap();
    assert_eq!(error, Error::Empty);
}

/// Bytes that count the reads made of them, by start offset.
struct Counted(bytes::Bytes, std::sync::Arc<std::sync::Mutex<Vec<u64>>>);

impl parquet::file::reader::Length for Counted {
    fn len(&self) -> u64 {
        self.0.len() as u64
    }
}

impl parquet::file::reader::ChunkReader for Counted {
    type T = <bytes::Bytes as parquet::file::reader::ChunkReader>::T;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        self.1.lock().unwrap().push(start);
        self.0.get_read(start)
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<bytes::Bytes> {
        self.1.lock().unwrap().push(start);
        self.0.get_bytes(start, length)
    }
}

/// Opening reads the head and the tail once each: telling Parquet from CSV
/// looks at the head the envelope check reads, and the footer is parsed from
/// the tail already read. With both read ahead (as the page's workers do),
/// opening reads nothing more.
#[test]
fn opening_reads_the_head_and_the_tail_once() {
    let scratch = Scratch::new("head-once");
    let path = scratch.path("a.parquet");
    // Larger than the tail read at open, so the head is a read of its own.
    support::write(&path, &support::rows(200_000, 3, false), &Spec::default());
    let bytes = bytes::Bytes::from(std::fs::read(&path).unwrap());
    assert!(bytes.len() > 1 << 20);
    let reads = std::sync::Arc::default();
    CurFile::open(Counted(bytes.clone(), std::sync::Arc::clone(&reads))).unwrap();
    let made = reads.lock().unwrap().clone();
    assert_eq!((made.len(), made[0]), (2, 0), "the head and the tail: {made:?}");

    let ahead = ducks::engine::footer_ranges(bytes.len() as u64)
        .map(|(start, length)| (start, bytes.slice(start as usize..(start + length) as usize)))
        .to_vec();
    let reads = std::sync::Arc::default();
    CurFile::open_prefetched(Counted(bytes.clone(), std::sync::Arc::clone(&reads)), Some("a.parquet"), ahead).unwrap();
    assert_eq!(reads.lock().unwrap().as_slice(), &[] as &[u64]);
}

/// CUR 2.0 keeps the service's display name inside its `product` column: JSON
/// text (as CSV and some conversions carry it) is read by key; a Parquet map is
/// left out with a note, never failing the costs.
#[test]
fn cur2_product_names_come_from_the_product_column() {
    use std::sync::Arc;

    use arrow_array::builder::{MapBuilder, StringBuilder};
    use arrow_array::{ArrayRef, RecordBatch};

    let scratch = Scratch::new("cur2-product");
    let json = scratch.path("json.parquet");
    let product = [Some(r#"{"product_name":"Amazon Simple Storage Service","region":"us-east-1"}"#), Some("{}")];
    let batch = support::text_batch(&[
        ("bill_payer_account_name", &[Some("payer"), Some("payer")]),
        ("line_item_line_item_type", &[Some("Usage"), Some("Usage")]),
        ("product_servicecode", &[Some("AmazonS3"), Some("AmazonEC2")]),
        ("line_item_unblended_cost", &[Some("1.5"), Some("2")]),
        ("product", &product),
    ]);
    support::write_batch(&json, &batch, Default::default());
    let (_, report) = analyse(&[json], 1).unwrap();
    let name = |service: &str| report.services.iter().find(|s| s.service == service).unwrap().name.clone();
    assert_eq!(name("AmazonS3").as_deref(), Some("Amazon Simple Storage Service"));
    assert_eq!(name("AmazonEC2"), None, "an object without the key names nothing");

    let map = scratch.path("map.parquet");
    let mut products = MapBuilder::new(None, StringBuilder::new(), StringBuilder::new());
    for name in ["Amazon Simple Storage Service", "Amazon Elastic Compute Cloud"] {
        products.keys().append_value("product_name");
        products.values().append_value(name);
        products.append(true).unwrap();
    }
    let text = support::text_batch(&[
        ("bill_payer_account_name", &[Some("payer"), Some("payer")]),
        ("line_item_line_item_type", &[Some("Usage"), Some("Usage")]),
        ("product_servicecode", &[Some("AmazonS3"), Some("AmazonEC2")]),
        ("line_item_unblended_cost", &[Some("1.5"), Some("2")]),
    ]);
    let mut fields: Vec<_> = text.schema().fields().iter().cloned().collect();
    let products: ArrayRef = Arc::new(products.finish());
    fields.push(Arc::new(arrow_schema::Field::new("product", products.data_type().clone(), true)));
    let mut columns = text.columns().to_vec();
    columns.push(products);
    let batch = RecordBatch::try_new(Arc::new(arrow_schema::Schema::new(fields)), columns).unwrap();
    support::write_batch(&map, &batch, Default::default());
    let file = CurFile::open(LocalFile::open(&map).unwrap()).unwrap();
    assert!(
        file.outline().notes.iter().any(|n| n.starts_with("product['product_name'] is left out")),
        "{:?}",
        file.outline().notes
    );
    let (tally, report) = analyse(&[map], 1).unwrap();
    assert_eq!((tally.rows, report.total.unwrap().undiscounted), (2, 3.5));
}
