//! The browser edge in headless Chromium and Firefox: reading `Blob`s and `File`s by range
//! inside a dedicated worker, as the scan workers do.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use ducks::browser::blob_source::BlobSource;
use ducks::engine::{CurFile, Discounts, Error, RowSlice, UsageRule, cost_report};
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

/// A small CUR with `rows` rows over two row groups: S3 usage of 1.25 per row, one tax row.
fn parquet_bytes(rows: usize) -> Vec<u8> {
    let types: Vec<&str> = (0..rows).map(|i| if i == 0 { "Tax" } else { "Usage" }).collect();
    let services = vec!["AmazonS3"; rows];
    let costs = vec![1.25; rows];
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("line_item_line_item_type", Arc::new(StringArray::from(types))),
        ("product_servicecode", Arc::new(StringArray::from(services))),
        ("line_item_unblended_cost", Arc::new(Float64Array::from(costs))),
    ];
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let properties = WriterProperties::builder().set_max_row_group_row_count(Some(rows / 2 + 1)).build();
    let mut bytes = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut bytes, batch.schema(), Some(properties)).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    bytes
}

fn blob(bytes: &[u8]) -> web_sys::Blob {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap()
}

fn file(bytes: &[u8], name: &str) -> web_sys::File {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    web_sys::File::new_with_u8_array_sequence(&parts, name).unwrap()
}

fn scan_all(file: &CurFile<BlobSource>) -> ducks::engine::Tally {
    let mut tally = ducks::engine::Tally::default();
    for (row_group, group) in file.outline().row_groups.iter().enumerate() {
        let slice = RowSlice { row_group, first_row: 0, rows: group.rows };
        tally.merge(&file.scan(slice, &mut |_| {}).unwrap());
    }
    tally
}

#[wasm_bindgen_test]
fn reads_a_blob_by_ranges() {
    let source = BlobSource::new(blob(&parquet_bytes(1_001))).unwrap();
    let file = CurFile::open(source).unwrap();
    assert_eq!(file.outline().row_groups.len(), 2);
    let tally = scan_all(&file);
    let report = cost_report(&tally, 1, &Discounts::default(), &UsageRule::default());
    assert_eq!(report.rows, 1_001);
    assert_eq!(report.usage_rows, 1_000);
    let total = report.total.unwrap();
    assert_eq!((total.currency.as_str(), total.undiscounted), ("USD", 1_250.0));
    assert_eq!(total.discounted, 1_250.0 * 0.88);
}

#[wasm_bindgen_test]
fn reads_a_file_like_the_file_input_gives() {
    let input = file(&parquet_bytes(10), "cur-2024-01.parquet");
    assert_eq!(input.name(), "cur-2024-01.parquet");
    let file = CurFile::open(BlobSource::new(input.into()).unwrap()).unwrap();
    let tally = scan_all(&file);
    assert_eq!(tally.rows, 10);
}

#[wasm_bindgen_test]
fn a_slice_of_a_row_group_reads_only_its_rows() {
    let file = CurFile::open(BlobSource::new(blob(&parquet_bytes(4_000))).unwrap()).unwrap();
    let tally = file.scan(RowSlice { row_group: 0, first_row: 100, rows: 50 }, &mut |_| {}).unwrap();
    assert_eq!(tally.rows, 50);
}

#[wasm_bindgen_test]
fn a_cut_blob_is_refused_with_a_clear_error() {
    let bytes = parquet_bytes(100);
    let error = CurFile::open(BlobSource::new(blob(&bytes[..bytes.len() - 3])).unwrap()).err().unwrap();
    assert!(matches!(error, Error::Truncated { .. }), "{error}");
    let error = CurFile::open(BlobSource::new(blob(b"")).unwrap()).err().unwrap();
    assert_eq!(error, Error::Empty);
}

/// The browser build has no Brotli decoder (see `check_codec` in the engine): such
/// a file is refused at open, by name, not with the decoder's own message.
#[wasm_bindgen_test]
fn brotli_is_refused_by_name() {
    let source = BlobSource::new(blob(include_bytes!("fixtures/brotli.parquet"))).unwrap();
    let error = CurFile::open(source).err().expect("a Brotli file is refused in the browser");
    assert!(matches!(error, Error::Codec { codec: "Brotli", .. }), "{error}");
    assert!(error.to_string().contains("the ducks command line reads it"), "{error}");
}

/// A gzip'd CSV `File`, as a `.csv.gz` delivery is chosen: read as a stream
/// through `FileReaderSync` in chunks, more than one of them (the file is over
/// the reader's 4 MB chunk), with the figures of the rows written.
#[wasm_bindgen_test]
fn reads_a_gzipped_csv_file_as_a_stream() {
    use std::io::Write;
    let mut text = String::from("lineItem/LineItemType,product/servicecode,lineItem/UnblendedCost,filler\n");
    let rows = 150_000;
    for i in 0..rows {
        text.push_str(if i == 0 { "Tax,AmazonS3,1.25," } else { "Usage,AmazonS3,1.25," });
        text.push_str(&format!("{:040}\n", i * 7919 % 1_000_003));
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::none());
    encoder.write_all(text.as_bytes()).unwrap();
    let bytes = encoder.finish().unwrap();
    assert!(bytes.len() > 4 << 20, "more than one chunk: {}", bytes.len());
    let source = BlobSource::new(file(&bytes, "cur-00001.csv.gz").into()).unwrap();
    let file = CurFile::open_named(source, "cur-00001.csv.gz").unwrap();
    let mut progress = 0;
    let tally = file.scan(RowSlice::WHOLE, &mut |n| progress += n).unwrap();
    assert_eq!(progress, bytes.len() as u64, "progress counts the file's bytes");
    let report = cost_report(&tally, 1, &Discounts::default(), &UsageRule::default());
    assert_eq!((report.rows, report.usage_rows), (rows as u64, rows as u64 - 1));
    assert_eq!(report.total.unwrap().undiscounted, (rows - 1) as f64 * 1.25);
}

/// The messages between the page and a worker, encoded and decoded as both
/// sides do: a request with its file, a tally, and a cube whose numbers travel
/// as typed arrays (moved, not copied), all coming back as they went.
#[wasm_bindgen_test]
fn the_protocol_round_trips() {
    use ducks::browser::protocol::{Reply, Request, decode_reply, decode_request, encode_reply, encode_request};
    use ducks::engine::ScanKind;

    let bytes = parquet_bytes(100);
    let request = Request::Scan(RowSlice { row_group: 1, first_row: 5, rows: 20 }, ScanKind::Explore);
    let message = encode_request(7, 3, &blob(&bytes), &request);
    let (key, file, decoded) = decode_request(&message).unwrap();
    assert_eq!(key, 3);
    assert_eq!(file.size() as usize, bytes.len());
    assert_eq!(serde_json::to_string(&decoded).unwrap(), serde_json::to_string(&request).unwrap());

    let opened = CurFile::open(BlobSource::new(blob(&bytes)).unwrap()).unwrap();
    let tally = scan_all(&opened);
    let (message, transfer) = encode_reply(8, Reply::Tally(tally.clone()), 1024.0, Some(5.0));
    assert_eq!(transfer.length(), 0, "a tally is JSON only");
    let received = decode_reply(&message);
    assert_eq!((received.id, received.memory, received.elapsed), (8, 1024.0, 5.0));
    assert!(matches!(received.reply, Reply::Tally(back) if back == tally));

    let cube = opened.explore_all(2).unwrap().to_columns();
    let (message, transfer) = encode_reply(9, Reply::Cube(Box::new(cube.clone())), 0.0, None);
    assert_eq!(transfer.length(), 5, "the cube's five numeric columns move as buffers");
    let received = decode_reply(&message);
    assert!(matches!(received.reply, Reply::Cube(back) if *back == cube));

    // A message that is not understood is a failure of that request, not a crash.
    let junk = js_sys::Object::new();
    js_sys::Reflect::set(&junk, &"id".into(), &4.into()).unwrap();
    js_sys::Reflect::set(&junk, &"body".into(), &"{not json".into()).unwrap();
    assert!(matches!(decode_reply(&junk).reply, Reply::Failed(text) if text.contains("not understood")));
}
