//! CSV deliveries: plain, gzip'd and zipped; both header spellings; RFC 4180
//! text; numbers as AWS writes them; the files that are not CSV; and the real
//! exports, CSV against the same data as Parquet.

use std::io::Write;
use std::path::{Path, PathBuf};

use ducks::cli::LocalFile;
use ducks::engine::query::{Query, group};
use ducks::engine::{
    CostReport, Cube, CurFile, Delivery, Dimension, Discounts, Error, RowSlice, Tally, UsageRule, cost_report, plan,
};

use crate::shared;
use crate::support::{Scratch, gzip};

/// The costs report and the explorer's cube of `paths`, read as the CLI and the
/// page read them (every piece of the plan, merged).
fn read(paths: &[PathBuf]) -> Result<(CostReport, Cube, Tally), Error> {
    let files: Vec<CurFile<LocalFile>> = paths
        .iter()
        .map(|path| CurFile::open_named(LocalFile::open(path).unwrap(), &path.to_string_lossy()))
        .collect::<Result<_, _>>()?;
    let outlines: Vec<_> = files.iter().enumerate().map(|(i, f)| (i, f.outline())).collect();
    let (mut tally, mut cube) = (Tally::default(), Cube::default());
    let mut work = 0;
    for piece in plan(&outlines, 2) {
        let file = &files[piece.file];
        let mut done = 0;
        tally.merge(&file.scan(piece.slice, &mut |n| done += n)?);
        assert_eq!(done, piece.work, "progress adds up to the piece's work");
        work += done;
        let (part, _) =
            file.explore_prefetched(piece.slice, Vec::new(), &mut |_| {}, 1_000, &mut |p| cube.merge(&p))?;
        cube.merge(&part);
    }
    assert!(work > 0 || files.iter().all(|f| f.outline().bytes == 0));
    Ok((cost_report(&tally, files.len(), &Discounts::default(), &UsageRule::default()), cube, tally))
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
}

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    zip_as(entries, zip::CompressionMethod::Deflated)
}

fn zip_as(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

const LEGACY: &str = "\u{feff}identity/LineItemId,lineItem/LineItemType,product/servicecode,lineItem/UnblendedCost,\
lineItem/UsageAccountId,product/region,lineItem/UsageStartDate,lineItem/CurrencyCode\r\n\
1,Usage,AmazonS3,10,111,us-east-1,2024-03-01T00:00:00Z,USD\r\n\
2,Usage,AmazonEC2,2E1,111,us-east-1,2024-03-01T01:00:00Z,USD\r\n\
3,Usage,AWSDataTransfer,30.0,222,eu-west-1,2024-03-02T00:00:00Z,USD\r\n\
\"4, with a comma\",Usage,AWSGlue,\"40\",222,\"eu-west-1\",2024-03-02T00:00:00Z,USD\r\n\
\"5 \"\"quoted\"\"\nand a newline\",Usage,AmazonGuardDuty,5.0E+1,333,,2024-03-03T00:00:00Z,\r\n\
6,Fee,AmazonS3,60,333,,2024-03-03T00:00:00Z,USD\r\n\
7,Usage,AmazonS3,,111,us-east-1,2024-03-04T00:00:00Z,USD\r\n";

/// The reference case, in every container, with quoting, a BOM, CRLF, scientific
/// notation, a blank currency and a null cost.
#[test]
fn the_reference_case_in_every_container() {
    let scratch = Scratch::new("csv-reference");
    let plain = scratch.path("cur.csv");
    write(&plain, LEGACY.as_bytes());
    let gz = scratch.path("cur.csv.gz");
    write(&gz, &gzip(LEGACY.as_bytes()));
    let zipped = scratch.path("cur.csv.zip");
    write(&zipped, &zip(&[("cur.csv", LEGACY.as_bytes())]));
    // Some tools write gzip as several members; AWS's readers take them whole.
    let members = scratch.path("members.gz");
    let (first, second) = LEGACY.split_at(LEGACY.find("3,Usage").unwrap());
    write(&members, &[gzip(first.as_bytes()), gzip(second.as_bytes())].concat());
    for path in [&plain, &gz, &zipped, &members] {
        let (report, cube, _) = read(std::slice::from_ref(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let total = report.total.as_ref().unwrap();
        assert_eq!((report.rows, report.usage_rows, report.null_costs), (7, 6, 1), "{}", path.display());
        assert_eq!(total.currency, "USD", "a blank currency is USD");
        assert!((total.undiscounted - 150.0).abs() < 1e-12, "{}: {}", path.display(), total.undiscounted);
        assert!((total.discounted - 90.3).abs() < 1e-12);
        assert!((total.blended_rate.unwrap() - 0.602).abs() < 1e-12);
        let by_region = group(&cube, &Query { group_by: Dimension::Region, ..Query::default() }, &UsageRule::default());
        assert_eq!(by_region.total(), Some(150.0), "{}", path.display());
        let keys: Vec<&str> = by_region.groups.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, ["eu-west-1", "", "us-east-1"]);
    }
    let outline = CurFile::open(LocalFile::open(&gz).unwrap()).unwrap().outline().clone();
    assert_eq!(outline.delivery.label(), "gzip'd CSV");
    assert!(matches!(outline.delivery, Delivery::Csv(_)));
}

#[test]
fn bad_numbers_and_bad_text_are_named_by_line_and_column() {
    let scratch = Scratch::new("csv-bad");
    let cases: [(&str, &str, &str); 4] = [
        (
            "cost.csv",
            "line_item_line_item_type,line_item_product_code,line_item_unblended_cost\nUsage,AmazonS3,1\nUsage,AmazonS3,1.2.3\n",
            "The line_item_unblended_cost column holds \"1.2.3\" at line 3, which is not a number",
        ),
        (
            "fields.csv",
            "line_item_line_item_type,line_item_product_code,line_item_unblended_cost\nUsage,AmazonS3,1\nUsage,AmazonS3\n",
            "This CSV file is malformed at line 3: it has 2 fields where the header has 3",
        ),
        (
            "manifest.json",
            "{\"assemblyId\":\"x\",\"reportKeys\":[]}",
            "This file is the manifest of an AWS report delivery",
        ),
        ("notes.txt", "just some notes\nabout costs\n", "This file is text whose first line has no commas"),
    ];
    for (name, text, message) in cases {
        let path = scratch.path(name);
        write(&path, text.as_bytes());
        let error = read(&[path]).err().unwrap_or_else(|| panic!("{name} is refused")).to_string();
        assert!(error.starts_with(message), "{name}: {error}");
    }
    // A cut-off gzip stream is damaged data, said so, never a partial total.
    let cut = scratch.path("cut.csv.gz");
    let (header, rows) = LEGACY.split_at(LEGACY.find("\r\n").unwrap() + 2);
    let whole = gzip(format!("{header}{}", rows.repeat(200)).as_bytes());
    write(&cut, &whole[..whole.len() / 2]);
    let error = read(&[cut]).err().unwrap().to_string();
    assert!(error.starts_with("This file's gzip compression is damaged or cut short"), "{error}");
    // A ZIP of two reports is refused, naming them.
    let two = scratch.path("two.zip");
    write(&two, &zip(&[("a.csv", LEGACY.as_bytes()), ("b.csv", LEGACY.as_bytes())]));
    let error = read(&[two]).err().unwrap().to_string();
    assert!(error.contains("holds 2 files (a.csv, b.csv)"), "{error}");
    // A CSV renamed .parquet claims to be what it is not.
    let renamed = scratch.path("renamed.parquet");
    write(&renamed, LEGACY.as_bytes());
    let error = read(&[renamed]).err().unwrap().to_string();
    assert!(error.starts_with("This file is not Parquet: it is CSV text"), "{error}");
}

/// A file far larger than a batch and a chunk, read in bounded pieces, gives the
/// sum of what was written, and its progress reaches the file's size.
#[test]
fn large_gzip_files_stream_in_batches() {
    let scratch = Scratch::new("csv-large");
    let mut text = String::from("line_item_line_item_type,product_servicecode,line_item_unblended_cost,filler\n");
    let mut micros: i64 = 0;
    for row in 0..300_000i64 {
        let cost = (row % 977) * 13;
        micros += cost;
        text.push_str(&format!(
            "Usage,Service{},{}.{:06},{:040}\n",
            row % 7,
            cost / 1_000_000,
            cost % 1_000_000,
            (row * 7_919) % 1_000_003
        ));
    }
    let path = scratch.path("large.csv.gz");
    write(&path, &gzip(text.as_bytes()));
    // Zipped too: its directory at the end is read as well, and progress still ends at the file's size.
    let zipped = scratch.path("large.csv.zip");
    write(&zipped, &zip_as(&[("large.csv", text.as_bytes())], zip::CompressionMethod::Stored));
    assert!(std::fs::metadata(&zipped).unwrap().len() > 4 << 20, "more than one chunk");
    for path in [path, zipped] {
        let (report, _, _) = read(std::slice::from_ref(&path)).unwrap();
        assert_eq!(report.rows, 300_000, "{}", path.display());
        assert!((report.total.unwrap().undiscounted - micros as f64 / 1e6).abs() < 1e-6);
    }
}

#[test]
fn a_whole_file_slice_is_the_only_slice_of_a_csv() {
    let scratch = Scratch::new("csv-slice");
    let path = scratch.path("cur.csv");
    write(&path, LEGACY.as_bytes());
    let file = CurFile::open(LocalFile::open(&path).unwrap()).unwrap();
    let error = file.scan(RowSlice { row_group: 0, first_row: 1, rows: 2 }, &mut |_| {}).err().unwrap();
    assert!(matches!(error, Error::Internal(_)), "{error}");
}

/// The real exports: each CSV gives the figures of the same data as Parquet (or
/// as gzip), service by service, to 1e-9.
#[test]
fn real_csv_exports_match_their_parquet_twins() {
    let Some(root) = shared::real_cur("real_csv_exports_match_their_parquet_twins") else { return };
    let pairs = [
        (
            "cur-legacy-csv-focus-converters/sample-anonymous-aws-export-dataset.csv",
            "derived/focus-converters-aws-cur-athena-names.snappy.parquet",
        ),
        ("focus-1.0-sample/focus_sample.csv", "derived/focus_sample.snappy.parquet"),
        ("more/cur2-csv-ola-raji/ha-project-CUR-daily-1-00001.csv", "more/derived/ha-project-CUR-daily-1-00001.csv.gz"),
    ];
    for (csv, twin) in pairs {
        let (a, cube, _) = read(&[root.join(csv)]).unwrap_or_else(|e| panic!("{csv}: {e}"));
        let (b, _, _) = read(&[root.join(twin)]).unwrap_or_else(|e| panic!("{twin}: {e}"));
        assert_eq!((a.rows, a.usage_rows), (b.rows, b.usage_rows), "{csv}");
        assert_eq!(a.services.len(), b.services.len(), "{csv}");
        for (x, y) in a.services.iter().zip(&b.services) {
            assert_eq!((&x.service, &x.currency), (&y.service, &y.currency), "{csv}");
            assert!(
                (x.undiscounted - y.undiscounted).abs() <= 1e-9 * y.undiscounted.abs().max(1.0),
                "{csv}: {x:?} {y:?}"
            );
        }
        // The explorer on the CSV is the costs page's total, by any dimension.
        let want = a.total.as_ref().unwrap().undiscounted;
        for dimension in Dimension::ALL {
            let got = group(&cube, &Query { group_by: dimension, ..Query::default() }, &UsageRule::default());
            assert!((got.total().unwrap() - want).abs() <= 1e-9 * want.max(1.0), "{csv} by {dimension:?}");
        }
    }
    // CUR 2.0 as CSV, against DuckDB 2.0.1's `read_csv(..., all_varchar = true)`.
    let (cur2, _, _) = read(&[root.join(pairs[2].0)]).unwrap();
    assert_eq!((cur2.rows, cur2.usage_rows, cur2.services.len()), (1_882, 1_511, 13));
    let total = cur2.total.unwrap().undiscounted;
    assert!((total - 47.681693832199805).abs() < 1e-9, "{total}");
    assert_eq!(cur2.services[0].service, "AmazonEC2");
    assert!((cur2.services[0].undiscounted - 24.73645754529998).abs() < 1e-9);
    // CUR 2.0 keeps the display name in its `product` column, JSON text in CSV.
    assert_eq!(cur2.services[0].name.as_deref(), Some("Amazon Elastic Compute Cloud"));
    let named = cur2.services.iter().filter(|s| s.name.is_some()).count();
    assert!(named >= 10, "{named} of {} services named", cur2.services.len());
}

#[test]
fn files_that_are_not_cost_data_say_what_they_are() {
    let Some(root) = shared::real_cur("files_that_are_not_cost_data_say_what_they_are") else { return };
    let cases = [
        ("more/wal-workload-efficiency-hive-text/Step1CUR.gz", "This file is Athena's text output (Hive format"),
        (
            "more/cur2-csv-ola-raji/ha-project-CUR-daily-1-Manifest.json",
            "This file is the manifest of an AWS report delivery",
        ),
    ];
    for (path, start) in cases {
        let error = read(&[root.join(path)]).err().unwrap_or_else(|| panic!("{path} is refused")).to_string();
        assert!(error.starts_with(start), "{path}: {error}");
    }
}
