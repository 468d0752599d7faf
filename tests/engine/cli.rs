use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::support::{self, Scratch, Spec};

fn ducks(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ducks")).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `ducks costs --json` and returns the parsed object and its text.
fn costs_json_text(args: &[&str]) -> (Value, String) {
    let mut all = vec!["costs", "--json"];
    all.extend_from_slice(args);
    let output = ducks(&all);
    assert!(output.status.success(), "stderr: {}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "exactly one JSON object: {stdout}");
    (serde_json::from_str(&stdout).unwrap(), stdout)
}

fn costs_json(args: &[&str]) -> Value {
    costs_json_text(args).0
}

/// The keys of a JSON object in the order the text gives them.
#[track_caller]
fn assert_key_order(text: &str, keys: &[&str]) {
    let positions: Vec<usize> =
        keys.iter().map(|key| text.find(&format!("\"{key}\":")).unwrap_or_else(|| panic!("{key} in {text}"))).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{keys:?} in order in {text}");
}

#[test]
fn json_has_the_documented_shape() {
    let scratch = Scratch::new("cli-json");
    let rows = support::rows(2_000, 20, true);
    let path = scratch.path("a.parquet");
    support::write(&path, &rows, &Spec::default());
    let (report, raw) = costs_json_text(&[path.to_str().unwrap()]);
    // `covered` and `fell_back` come only where the files have such rows (these have usage paid by commitments).
    let keys: Vec<&str> = report.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 9, "{keys:?}");
    assert_key_order(
        &raw,
        &["files", "rows", "usage_rows", "null_costs", "currency", "services", "total", "totals", "covered"],
    );
    assert_key_order(
        &raw[raw.find("\"covered\"").unwrap()..],
        &["currency", "rows", "on_demand", "unpriced", "counted"],
    );
    let services_text = &raw[raw.find("\"services\"").unwrap()..];
    assert_key_order(services_text, &["service", "currency", "undiscounted", "multiplier", "discounted", "rate"]);
    assert_key_order(
        &raw[raw.find("\"total\"").unwrap()..],
        &["currency", "undiscounted", "discounted", "blended_rate"],
    );
    assert_eq!(report["currency"], "USD", "a file without a currency column is taken to be in USD");
    assert_eq!(report["totals"].as_array().unwrap(), &[report["total"].clone()]);
    assert_eq!(report["files"], 1);
    assert_eq!(report["rows"], 2_000);
    let services = report["services"].as_array().unwrap();
    for service in services {
        assert_eq!(service.as_object().unwrap().len(), 6);
        let (undiscounted, multiplier) =
            (service["undiscounted"].as_f64().unwrap(), service["multiplier"].as_f64().unwrap());
        assert_eq!(service["discounted"].as_f64().unwrap(), undiscounted * multiplier);
    }
    let costs: Vec<f64> = services.iter().map(|s| s["undiscounted"].as_f64().unwrap()).collect();
    assert!(costs.windows(2).all(|w| w[0] >= w[1]), "sorted by cost: {costs:?}");
    assert!(services.iter().any(|s| s["service"] == ""), "an empty service code stays \"\"");
    assert_eq!(report["total"].as_object().unwrap().len(), 4);
    let expected = support::exact_usage_micros(&rows);
    for (service, micros) in expected {
        let got = services.iter().find(|s| s["service"] == service.as_str()).unwrap()["undiscounted"].as_f64().unwrap();
        assert!((got - micros as f64 / 1e6).abs() < 1e-6, "{service}");
    }
}

#[test]
fn directories_are_searched_recursively_and_files_counted() {
    let scratch = Scratch::new("cli-dirs");
    let months = scratch.path("report/year=2024");
    for (month, seed) in [("month=1", 21), ("month=2", 22)] {
        std::fs::create_dir_all(months.join(month)).unwrap();
        support::write(
            &months.join(month).join("cur-00001.snappy.parquet"),
            &support::rows(500, seed, false),
            &Spec::default(),
        );
    }
    std::fs::write(months.join("month=1/cost_and_usage_data_status.csv"), "not parquet").unwrap();
    let report = costs_json(&[scratch.path("report").to_str().unwrap()]);
    assert_eq!(report["files"], 2);
    assert_eq!(report["rows"], 1_000);
}

/// A legacy report folder that keeps versions: two deliveries of March (the
/// newer restates it with other figures), April, the period's manifest naming
/// the newer delivery's files, and the helpers AWS writes. March counts once.
#[test]
fn report_folders_count_each_period_once_and_say_what_they_skip() {
    let scratch = Scratch::new("cli-delivery");
    let report = scratch.path("cur/report");
    let csv = |rows: &[(&str, f64)]| {
        let mut text = String::from("lineItem/LineItemType,product/servicecode,lineItem/UnblendedCost\n");
        for (service, cost) in rows {
            text.push_str(&format!("Usage,{service},{cost}\n"));
        }
        support::gzip(text.as_bytes())
    };
    let put = |path: &str, bytes: &[u8]| {
        let path = report.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    put("20240301-20240401/old-assembly/report-1.csv.gz", &csv(&[("AmazonS3", 100.0)]));
    put("20240301-20240401/new-assembly/report-1.csv.gz", &csv(&[("AmazonS3", 10.0)]));
    put("20240301-20240401/new-assembly/report-2.csv.gz", &csv(&[("AmazonEC2", 20.0)]));
    let manifest = r#"{"assemblyId":"new-assembly","reportKeys":["p/report/20240301-20240401/new-assembly/report-1.csv.gz","p/report/20240301-20240401/new-assembly/report-2.csv.gz"]}"#;
    put("20240301-20240401/report-Manifest.json", manifest.as_bytes());
    put("20240401-20240501/only-assembly/report-1.csv.gz", &csv(&[("AWSGlue", 40.0)]));
    put("report-create-table.sql", b"CREATE TABLE ...");
    put("crawler-cfn.yml", b"AWSTemplateFormatVersion: 2010-09-09");
    let output = ducks(&["costs", "--json", scratch.path("cur").to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report_json: Value = serde_json::from_str(&text(&output.stdout)).unwrap();
    assert_eq!(report_json["files"], 3, "the old delivery of March is left out");
    assert_eq!(report_json["total"]["undiscounted"], 70.0);
    let stderr = text(&output.stderr);
    let skipped: Vec<&str> = stderr.lines().filter(|l| l.starts_with("ducks: note: skipped ")).collect();
    assert_eq!(skipped.len(), 4, "{stderr}");
    assert!(
        skipped.iter().any(|l| l.contains("old-assembly/report-1.csv.gz: not in")
            && l.contains("newest manifest of period 20240301-20240401")),
        "{stderr}"
    );
    assert!(skipped.iter().any(|l| l.contains("report-create-table.sql: an SQL helper")), "{stderr}");
    assert!(skipped.iter().any(|l| l.contains("report-Manifest.json: a delivery manifest")), "{stderr}");
}

/// EUR and JPY files together: per (service, currency) rows, no one total, one
/// total per currency, and the table prints each in its own money.
#[test]
fn currencies_are_reported_apart() {
    let scratch = Scratch::new("cli-currencies");
    let file = |name: &str, rows: &str| {
        let path = scratch.path(name);
        std::fs::write(
            &path,
            format!(
                "line_item_line_item_type,product_servicecode,line_item_unblended_cost,line_item_currency_code\n{rows}"
            ),
        )
        .unwrap();
        path
    };
    let euros = file("eur.csv", "Usage,AmazonS3,1843.27,EUR\nUsage,AmazonEC2,10,EUR\n");
    let yen = file("jpy.csv", "Usage,AmazonEC2,243054,JPY\n");
    let (euros, yen) = (euros.to_str().unwrap(), yen.to_str().unwrap());
    let report = costs_json(&[euros, yen]);
    assert_eq!(report["currency"], Value::Null);
    assert_eq!(report["total"], Value::Null);
    let totals: Vec<(&str, f64)> = report["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["currency"].as_str().unwrap(), t["undiscounted"].as_f64().unwrap()))
        .collect();
    assert_eq!(totals, [("JPY", 243_054.0), ("EUR", 1_853.27)]);
    let rows: Vec<(&str, &str)> = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["service"].as_str().unwrap(), s["currency"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, [("AmazonEC2", "JPY"), ("AmazonS3", "EUR"), ("AmazonEC2", "EUR")]);
    let one = costs_json(&[euros]);
    assert_eq!((one["currency"].as_str(), one["total"]["currency"].as_str()), (Some("EUR"), Some("EUR")));
    let table = text(&ducks(&["costs", euros, yen]).stdout);
    assert!(table.contains("€1,843.27") && table.contains("¥243,054") && !table.contains("¥243,054.00"), "{table}");
}

#[test]
fn discounts_file_replaces_the_default_table() {
    let scratch = Scratch::new("cli-discounts");
    let path = scratch.path("a.parquet");
    support::write(&path, &support::rows(1_000, 23, false), &Spec::default());
    let table = scratch.path("discounts.json");
    std::fs::write(&table, r#"{"AWSLambda": 0.5}"#).unwrap();
    let report = costs_json(&["--discounts", table.to_str().unwrap(), path.to_str().unwrap()]);
    for service in report["services"].as_array().unwrap() {
        let expected = if service["service"] == "AWSLambda" { 0.5 } else { 1.0 };
        assert_eq!(service["multiplier"], expected, "{}", service["service"]);
    }
}

/// Bad input: exit status 1 and one line on stderr naming the file.
#[track_caller]
fn assert_refused(args: &[&str], path: &Path, message: &str) {
    let output = ducks(args);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = text(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let prefix = format!("ducks: {}: ", path.display());
    assert!(stderr.starts_with(&prefix) && stderr.contains(message), "{stderr}");
}

#[test]
fn bad_inputs_end_with_one_line_naming_the_file() {
    let scratch = Scratch::new("cli-bad");
    let good = scratch.path("good.parquet");
    support::write(&good, &support::rows(100, 24, false), &Spec::default());
    let csv = scratch.path("export.parquet");
    std::fs::write(&csv, "identity/LineItemId,lineItem/UnblendedCost\nabc,1.0\n").unwrap();
    let (good_arg, csv_arg) = (good.to_str().unwrap(), csv.to_str().unwrap());
    assert_refused(&["costs", good_arg, csv_arg], &csv, "This file is not Parquet: it is CSV text");

    let truncated = scratch.path("cut.parquet");
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    assert_refused(&["costs", "--json", truncated.to_str().unwrap()], &truncated, "incomplete");

    let missing = scratch.path("nowhere.parquet");
    assert_refused(&["costs", missing.to_str().unwrap()], &missing, "no such file or directory");

    let empty_dir = scratch.path("empty");
    std::fs::create_dir_all(&empty_dir).unwrap();
    assert_refused(&["costs", empty_dir.to_str().unwrap()], &empty_dir, "holds no Parquet or CSV data files");

    let table = scratch.path("discounts.json");
    std::fs::write(&table, r#"{"AmazonS3": "cheap"}"#).unwrap();
    assert_refused(&["costs", "--discounts", table.to_str().unwrap(), good_arg], &table, "not usable");
}

#[test]
fn usage_mistakes_exit_2_with_help() {
    let output = ducks(&["costs"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("Usage: ducks costs"));
    let output = ducks(&["--help"]);
    assert!(output.status.success());
    assert!(text(&output.stdout).contains("--discounts FILE"));
}

#[test]
fn table_output_is_aligned_and_totalled() {
    let scratch = Scratch::new("cli-table");
    let path = scratch.path("a.parquet");
    support::write(&path, &support::rows(1_000, 25, false), &Spec::default());
    let output = ducks(&["costs", path.to_str().unwrap()]);
    assert!(output.status.success());
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("Service") && lines[0].ends_with("Rate"), "{stdout}");
    assert!(stdout.contains("\nTotal "), "{stdout}");
    assert!(stdout.contains("(none)"), "{stdout}");
    assert!(stdout.contains("1 file, 1,000 rows"), "{stdout}");
    // Every money cell is to the cent.
    assert!(lines[1].split_whitespace().nth(1).unwrap().starts_with('$'));
}
