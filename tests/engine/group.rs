//! `ducks group`: tags, cost categories and resources in every layout AWS
//! writes them, several dimensions at once, the explorer's figures, and the
//! mistakes it names.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use arrow_array::builder::{MapBuilder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use serde_json::Value;

use crate::shared;
use crate::support::{self, Scratch, Spec};
use ducks::cli::LocalFile;
use ducks::engine::query::{Query, group};
use ducks::engine::{CurFile, Dimension, Measure, UsageRule};

fn ducks(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ducks")).args(args).output().unwrap()
}

/// Runs `ducks group --json ARGS` and returns the object.
#[track_caller]
pub(crate) fn group_json(args: &[&str]) -> Value {
    let mut all = vec!["group", "--json"];
    all.extend_from_slice(args);
    let output = ducks(&all);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{all:?}: {stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "one JSON object: {stdout}");
    serde_json::from_str(&stdout).unwrap()
}

/// The groups of a `--json` answer as (keys in `by` order joined by " | ",
/// null as "∅") → cost.
pub(crate) fn groups(report: &Value) -> BTreeMap<String, f64> {
    let by: Vec<&str> = report["by"].as_array().unwrap().iter().map(|b| b.as_str().unwrap()).collect();
    report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            assert_eq!(g["keys"].as_object().unwrap().len(), by.len());
            let keys: Vec<String> =
                by.iter().map(|b| g["keys"][b].as_str().map_or_else(|| "∅".to_owned(), str::to_owned)).collect();
            (keys.join(" | "), g["cost"].as_f64().unwrap())
        })
        .collect()
}

#[track_caller]
pub(crate) fn assert_same(got: &BTreeMap<String, f64>, want: &BTreeMap<String, f64>, what: &str) {
    assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>(), "{what}");
    for (key, cost) in want {
        // To a billionth of the figure: DuckDB sums naively, ducks with compensation.
        assert!((got[key] - cost).abs() < 1e-9 * cost.abs().max(1.0), "{what} {key}: {} vs {cost}", got[key]);
    }
}

/// One row: (line item type, service, cost, team tag, cost category).
type Row = (&'static str, &'static str, &'static str, Option<&'static str>, Option<&'static str>);

const ROWS: [Row; 6] = [
    ("Usage", "AmazonEC2", "10.25", Some("payments"), Some("Prod")),
    ("Usage", "AmazonEC2", "4.5", Some("search"), None),
    ("Usage", "AmazonS3", "2.125", Some("payments"), Some("Prod")),
    ("Usage", "AmazonS3", "1", None, None),
    ("Tax", "AmazonS3", "0.75", Some("payments"), Some("Prod")),
    ("Usage", "AWSGlue", "3", Some(""), Some("Dev")),
];

fn column<T>(pick: impl Fn(&Row) -> T) -> Vec<T> {
    ROWS.iter().map(pick).collect()
}

/// A JSON object of one pair, or `{}`.
fn pairs(key: &str, value: Option<&str>) -> String {
    value.map_or_else(|| "{}".to_owned(), |v| format!("{{\"{key}\":\"{v}\"}}"))
}

fn csv(path: &Path, header: &[&str], rows: Vec<Vec<String>>) {
    let quote = |field: &str| format!("\"{}\"", field.replace('"', "\"\""));
    let mut text = header.iter().map(|h| quote(h)).collect::<Vec<_>>().join(",") + "\n";
    for row in rows {
        text += &(row.iter().map(|f| quote(f)).collect::<Vec<_>>().join(",") + "\n");
    }
    std::fs::write(path, text).unwrap();
}

/// The same rows in every layout: legacy Parquet and CSV (a column per tag),
/// CUR 2.0 Parquet (maps) and CSV (JSON text), FOCUS CSV (JSON, `user:` keys).
fn every_layout(scratch: &Scratch) -> Vec<(&'static str, std::path::PathBuf)> {
    let types = column(|r| Some(r.0));
    let services = column(|r| Some(r.1));
    let costs = column(|r| Some(r.2));
    let teams = column(|r| r.3);
    let categories = column(|r| r.4);

    let legacy = scratch.path("legacy.parquet");
    let batch = support::text_batch(&[
        ("line_item_line_item_type", &types),
        ("product_servicecode", &services),
        ("line_item_unblended_cost", &costs),
        ("resource_tags_user_team", &teams),
        ("cost_category_cost_centre", &categories),
    ]);
    support::write_batch(&legacy, &batch, Default::default());

    let legacy_csv = scratch.path("legacy.csv");
    csv(
        &legacy_csv,
        &[
            "lineItem/LineItemType",
            "product/servicecode",
            "lineItem/UnblendedCost",
            "resourceTags/user:team",
            "costCategory/Cost Centre",
        ],
        ROWS.iter()
            .map(|r| vec![r.0.into(), r.1.into(), r.2.into(), r.3.unwrap_or("").into(), r.4.unwrap_or("").into()])
            .collect(),
    );

    let cur2 = scratch.path("cur2.parquet");
    let map = |key: &str, values: &[Option<&str>]| -> ArrayRef {
        let mut builder = MapBuilder::new(None, StringBuilder::new(), StringBuilder::new());
        for value in values {
            if let Some(value) = value {
                builder.keys().append_value(key);
                builder.values().append_value(value);
            }
            builder.keys().append_value("aws_createdBy");
            builder.values().append_value("someone");
            builder.append(true).unwrap();
        }
        Arc::new(builder.finish())
    };
    let text = support::text_batch(&[
        ("bill_payer_account_name", &column(|_| Some("payer"))),
        ("line_item_line_item_type", &types),
        ("product_servicecode", &services),
        ("line_item_unblended_cost", &costs),
    ]);
    let mut fields: Vec<_> = text.schema().fields().iter().cloned().collect();
    let mut columns = text.columns().to_vec();
    for (name, array) in
        [("resource_tags", map("user_team", &teams)), ("cost_category", map("Cost Centre", &categories))]
    {
        fields.push(Arc::new(arrow_schema::Field::new(name, array.data_type().clone(), true)));
        columns.push(array);
    }
    let batch = RecordBatch::try_new(Arc::new(arrow_schema::Schema::new(fields)), columns).unwrap();
    support::write_batch(&cur2, &batch, Default::default());

    let cur2_csv = scratch.path("cur2.csv");
    csv(
        &cur2_csv,
        &[
            "bill_payer_account_name",
            "line_item_line_item_type",
            "product_servicecode",
            "line_item_unblended_cost",
            "resource_tags",
            "cost_category",
        ],
        ROWS.iter()
            .map(|r| {
                vec![
                    "payer".into(),
                    r.0.into(),
                    r.1.into(),
                    r.2.into(),
                    pairs("user_team", r.3),
                    pairs("Cost Centre", r.4),
                ]
            })
            .collect(),
    );

    let focus = scratch.path("focus.csv");
    csv(
        &focus,
        &["ChargeCategory", "ServiceName", "BilledCost", "Tags", "x_CostCategories"],
        ROWS.iter()
            .map(|r| {
                let category = if r.0 == "Tax" { "Tax" } else { "Usage" };
                vec![category.into(), r.1.into(), r.2.into(), pairs("user:team", r.3), pairs("Cost Centre", r.4)]
            })
            .collect(),
    );
    vec![
        ("legacy Parquet", legacy),
        ("legacy CSV", legacy_csv),
        ("CUR 2.0 Parquet", cur2),
        ("CUR 2.0 CSV", cur2_csv),
        ("FOCUS CSV", focus),
    ]
}

/// What the rows say, summed by hand: usage rows by `key`.
fn expected(key: impl Fn(usize) -> String) -> BTreeMap<String, f64> {
    let mut sums = BTreeMap::new();
    for (index, row) in ROWS.iter().enumerate().filter(|(_, r)| r.0 == "Usage") {
        *sums.entry(key(index)).or_insert(0.0) += row.2.parse::<f64>().unwrap();
    }
    sums
}

/// A blank value is no value.
fn or_null(value: Option<&str>) -> String {
    value.filter(|v| !v.is_empty()).unwrap_or("∅").to_owned()
}

#[test]
fn a_tag_and_a_cost_category_group_alike_in_every_layout() {
    let scratch = Scratch::new("group-layouts");
    let by_team = expected(|i| or_null(ROWS[i].3));
    let by_category_and_service = expected(|i| format!("{} | {}", or_null(ROWS[i].4), ROWS[i].1));
    for (layout, path) in every_layout(&scratch) {
        let path = path.to_str().unwrap();
        let report = group_json(&["--by", "tag:team", path]);
        assert_same(&groups(&report), &by_team, layout);
        assert_eq!(report["by"], serde_json::json!(["tag:team"]));
        assert_eq!(report["total"].as_f64().unwrap(), 20.875, "{layout}");
        let costs: Vec<f64> =
            report["groups"].as_array().unwrap().iter().map(|g| g["cost"].as_f64().unwrap()).collect();
        assert!(costs.windows(2).all(|w| w[0] >= w[1]), "{layout}: highest first");

        let report = group_json(&["--by", "cost-category:Cost Centre,service", path]);
        assert_same(&groups(&report), &by_category_and_service, layout);

        // Filters: the untagged rows of one service; every line item type.
        let report = group_json(&["--by", "service", "--where", "tag:team=", "--where", "service=AmazonS3", path]);
        assert_same(&groups(&report), &BTreeMap::from([("AmazonS3".to_owned(), 1.0)]), layout);
        let report = group_json(&["--by", "tag:team", "--usage", "all", "--top", "1", path]);
        assert_eq!(groups(&report).into_iter().collect::<Vec<_>>(), [("payments".to_owned(), 13.125)], "{layout}");
        assert_eq!((report["left_out"].as_u64(), report["total"].as_f64()), (Some(2), Some(21.625)), "{layout}");
    }
}

#[test]
fn a_tag_the_files_lack_is_named_with_the_ones_they_have() {
    let scratch = Scratch::new("group-missing");
    for (layout, path) in every_layout(&scratch) {
        let output = ducks(&["group", "--by", "tag:owner", path.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{layout}");
        assert_eq!(stderr.lines().count(), 1, "{layout}: {stderr}");
        assert_eq!(stderr.trim_end(), "ducks: the files have no tag \"owner\"; the ones they have: team", "{layout}");
    }
    let output = ducks(&["group", "--by", "colour", "x.parquet"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("ducks: unknown dimension \"colour\"; use one of"));
    let output = ducks(&["group", "--by", "resource", every_layout(&scratch)[0].1.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no resource id column"));
}

#[test]
fn groups_are_the_explorers_figures_for_every_measure() {
    let scratch = Scratch::new("group-explorer");
    let path = scratch.path("a.parquet");
    support::write(&path, &support::rows(20_000, 31, true), &Spec::default());
    let cube = CurFile::open(LocalFile::open(&path).unwrap()).unwrap().explore_all(3).unwrap();
    for measure in [Measure::Unblended, Measure::NetUnblended, Measure::Amortized] {
        for dimension in [Dimension::Service, Dimension::Account, Dimension::Month] {
            let query = Query { group_by: dimension, measure, ..Query::default() };
            let want: BTreeMap<String, f64> =
                group(&cube, &query, &UsageRule::default()).groups.into_iter().map(|g| (g.key, g.cost)).collect();
            let report = group_json(&["--by", dimension.key(), "--measure", measure.key(), path.to_str().unwrap()]);
            let mut got = groups(&report);
            if let Some(cost) = got.remove("∅") {
                got.insert(ducks::engine::query::NO_DATE.to_owned(), cost);
            }
            assert_same(&got, &want, &format!("{measure:?} by {dimension:?}"));
        }
    }
}

#[test]
fn real_exports_give_duckdbs_tag_figures() {
    let Some(root) = shared::real_cur("real_exports_give_duckdbs_tag_figures") else { return };
    // DuckDB 2.0.1 over the same files: usage rows' unblended cost by the tag.
    let october = root.join("cur-legacy-wal/WorkshopCUR/year=2018/month=10");
    let report = group_json(&["--by", "tag:cost_center", october.to_str().unwrap()]);
    let want = BTreeMap::from([
        ("∅".to_owned(), 3533.195517850961),
        ("Cost001".to_owned(), 174.80490568591395),
        ("Cost002".to_owned(), 149.38739816140438),
        ("Cost004".to_owned(), 5.93435060839996),
        ("Cost005".to_owned(), 14.149582000500294),
        ("Cost006".to_owned(), 37.23599822979999),
    ]);
    assert_same(&groups(&report), &want, "WorkshopCUR October");

    let cur2 = root.join("more/cur2-csv-ola-raji/ha-project-CUR-daily-1-00001.csv");
    let report = group_json(&["--by", "tag:project,service", "--top", "2", cur2.to_str().unwrap()]);
    let want = BTreeMap::from([
        ("∅ | AmazonEC2".to_owned(), 12.884628810199974),
        ("ha-web-portal | AmazonEC2".to_owned(), 11.85182873509999),
    ]);
    assert_same(&groups(&report), &want, "CUR 2.0 CSV");

    let focus = root.join("focus-1.0-sample/focus_sample.csv");
    let report = group_json(&["--by", "tag:environment", "--usage", "all", focus.to_str().unwrap()]);
    let want = BTreeMap::from([
        ("dev".to_owned(), 18.20324140013001),
        ("prod".to_owned(), 2.0428208421999985),
        ("∅".to_owned(), 0.2741644866599972),
    ]);
    assert_same(&groups(&report), &want, "FOCUS sample");
}

/// From a commitment to the accounts whose usage it paid: WorkshopCUR's
/// reservations by account, at their amortized (effective) cost, as DuckDB
/// sums the same rows, and each reservation's sum is what the Commitments
/// tab counts as its covered usage.
#[test]
fn a_reservation_drills_to_the_accounts_whose_usage_it_paid() {
    use ducks::engine::commitments::commitment_report;
    const TEST: &str = "a_reservation_drills_to_the_accounts_whose_usage_it_paid";
    let Some(root) = shared::real_cur(TEST) else { return };
    let october = root.join("cur-legacy-wal/WorkshopCUR/year=2018/month=10/Oct2018-WorkshopCUR-00001.snappy.parquet");
    let path = october.to_str().unwrap();
    let report = group_json(&["--by", "reservation,account", "--measure", "amortized", "--usage", "running", path]);
    let got = groups(&report);
    let sql = format!(
        "SELECT nullif(reservation_reservation_a_r_n, ''), line_item_usage_account_id, \
         sum(CASE line_item_line_item_type WHEN 'DiscountedUsage' THEN reservation_effective_cost \
         ELSE line_item_unblended_cost END) FROM '{path}' \
         WHERE line_item_line_item_type IN ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage') GROUP BY ALL"
    );
    let Some(want) = duckdb_groups(TEST, &sql) else { return };
    let want: BTreeMap<String, f64> = want.into_iter().collect();
    assert_same(&got, &want, "by reservation and account");
    assert!(got.keys().filter(|k| k.ends_with("| 011254002932") && !k.starts_with('∅')).count() >= 3);

    let file = CurFile::open(LocalFile::open(&october).unwrap()).unwrap();
    let commitments = commitment_report(&file.scan_all_commitments(2).unwrap());
    for row in &commitments.commitments {
        let one = group_json(&[
            "--by",
            "account",
            "--where",
            &format!("reservation={}", row.arn),
            "--measure",
            "amortized",
            "--usage",
            "running",
            path,
        ]);
        let paid: f64 = groups(&one).values().sum();
        assert!((paid - row.effective).abs() < 1e-9, "{}: {paid} vs {}", row.arn, row.effective);
    }
}

/// From a commitment to the resources it paid: each WorkshopCUR reservation's
/// resources (with their accounts) at its effective cost, as DuckDB sums the
/// `DiscountedUsage` rows, the most first, and how many there are.
#[test]
fn a_reservation_names_the_resources_it_paid() {
    use ducks::engine::Paying;
    use ducks::engine::commitments::{RESOURCES_SHOWN, commitment_report};
    const TEST: &str = "a_reservation_names_the_resources_it_paid";
    let Some(root) = shared::real_cur(TEST) else { return };
    let october = root.join("cur-legacy-wal/WorkshopCUR/year=2018/month=10/Oct2018-WorkshopCUR-00001.snappy.parquet");
    let sql = format!(
        "SELECT reservation_reservation_a_r_n || ' | ' || coalesce(line_item_resource_id, '') || ' | ' || \
         line_item_usage_account_id, sum(reservation_effective_cost) FROM '{}' \
         WHERE line_item_line_item_type = 'DiscountedUsage' GROUP BY ALL",
        october.display()
    );
    let Some(want) = duckdb_groups(TEST, &sql) else { return };
    let want: BTreeMap<String, f64> = want.into_iter().collect();
    let file = CurFile::open(LocalFile::open(&october).unwrap()).unwrap();
    let report = commitment_report(&file.scan_all_commitment_resources(2, &Paying::All).unwrap());
    assert_eq!(
        commitment_report(&file.scan_all_commitments(2).unwrap()).commitments[0].resources_count,
        0,
        "asked for"
    );
    let mut counted = 0;
    for row in &report.commitments {
        let of_it = want.keys().filter(|k| k.starts_with(&format!("{} | ", row.arn))).count();
        assert_eq!(row.resources_count, of_it, "{}", row.arn);
        counted += of_it;
        assert!(row.resources.len() <= RESOURCES_SHOWN);
        assert!(row.resources.windows(2).all(|w| w[0].effective >= w[1].effective), "the most first");
        for paid in &row.resources {
            let key = format!("{} | {} | {}", row.arn, paid.resource, paid.account);
            assert!((paid.effective - want[&key]).abs() < 1e-9, "{key}: {} vs {}", paid.effective, want[&key]);
        }
        if row.resources_count <= RESOURCES_SHOWN {
            let sum: f64 = row.resources.iter().map(|p| p.effective).sum();
            assert!((sum - row.effective).abs() < 1e-9, "{}: its resources add up to what it paid", row.arn);
        }
    }
    assert_eq!(counted, want.len(), "every resource a reservation paid is under it");
    // One commitment's alone, as the page asks for them: the same list.
    let one = &report.commitments[1];
    let alone = commitment_report(&file.scan_all_commitment_resources(2, &Paying::One(one.arn.clone())).unwrap());
    for row in &alone.commitments {
        let expected = if row.arn == one.arn { &one.resources[..] } else { &[] };
        assert_eq!(row.resources, expected, "{}", row.arn);
    }
    assert!(report.commitments.iter().any(|r| r.resources_count > 1));
}

/// Python's DuckDB over `sql`: each row as (its key columns joined by " | ",
/// null as "∅") → its last column.
pub(crate) fn duckdb_groups(test: &str, sql: &str) -> Option<Vec<(String, f64)>> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import duckdb, json, sys; print(json.dumps([[' | '.join('∅' if v is None else str(v) for v in r[:-1]), float(r[-1])] for r in duckdb.sql(sys.argv[1]).fetchall()]))",
            sql,
        ])
        .output();
    match out {
        Ok(out) if out.status.success() => Some(serde_json::from_slice(&out.stdout).unwrap()),
        Ok(out) if !String::from_utf8_lossy(&out.stderr).contains("No module named 'duckdb'") => {
            panic!("{test}: DuckDB failed: {}\n{sql}", String::from_utf8_lossy(&out.stderr))
        }
        _ => {
            assert!(std::env::var_os("CI").is_none(), "{test}: Python's duckdb is missing; CI is set, so this fails");
            eprintln!("skipped {test}: Python's duckdb is missing (scripts/setup.sh test installs it)");
            None
        }
    }
}

/// Each question of a big bill, asked of a bill shaped like an organisation's
/// (`gen_cur --fleet`: resources with fixed accounts, regions, services and
/// tags, the team mostly following the account), gives DuckDB's groups: by
/// team, by account and day, the top resources (with the total of them all),
/// a filtered one, and one counting every line item type.
#[test]
fn questions_on_a_correlated_bill_give_duckdbs_answers() {
    const TEST: &str = "questions_on_a_correlated_bill_give_duckdbs_answers";
    // `cargo test` builds the examples beside the tests.
    let generator = std::env::current_exe().unwrap().parent().unwrap().parent().unwrap().join("examples/gen_cur");
    if !generator.exists() {
        assert!(std::env::var_os("CI").is_none(), "{TEST}: {} was not built", generator.display());
        eprintln!("skipped {TEST}: {} was not built (cargo test builds it)", generator.display());
        return;
    }
    let scratch = Scratch::new(TEST);
    let out = Command::new(&generator)
        .args(["--rows", "30000", "--months", "1", "--row-group-rows", "7000", "--fleet", "12000", "--accounts", "40"])
        .arg(&scratch.0)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let file = scratch.path("cur-2024-01.parquet");
    let path = file.to_str().unwrap();
    let from = format!("FROM read_parquet('{path}')");
    let usage = "line_item_line_item_type = 'Usage'";
    let questions: [(&[&str], String); 5] = [
        (
            &["--by", "tag:team"],
            format!("SELECT resource_tags_user_team, sum(line_item_unblended_cost) {from} WHERE {usage} GROUP BY 1"),
        ),
        (
            &["--by", "account,day"],
            format!(
                "SELECT line_item_usage_account_id, strftime(line_item_usage_start_date, '%Y-%m-%d'), \
                 sum(line_item_unblended_cost) {from} WHERE {usage} GROUP BY 1, 2"
            ),
        ),
        (
            &["--by", "resource", "--top", "20"],
            format!(
                "SELECT line_item_resource_id, sum(line_item_unblended_cost) s {from} WHERE {usage} \
                 GROUP BY 1 ORDER BY s DESC LIMIT 20"
            ),
        ),
        (
            &["--by", "region", "--where", "service=AmazonEC2", "--where", "tag:team=payments"],
            format!(
                "SELECT product_region, sum(line_item_unblended_cost) {from} WHERE {usage} \
                 AND product_servicecode = 'AmazonEC2' AND resource_tags_user_team = 'payments' GROUP BY 1"
            ),
        ),
        (
            &["--by", "account", "--usage", "all"],
            format!("SELECT line_item_usage_account_id, sum(line_item_unblended_cost) {from} GROUP BY 1"),
        ),
    ];
    for (args, sql) in questions {
        let Some(want) = duckdb_groups(TEST, &sql) else { return };
        let mut all = args.to_vec();
        all.push(path);
        let report = group_json(&all);
        let got = groups(&report);
        assert!(want.len() > 3, "{args:?}: a question with groups to compare: {want:?}");
        assert_same(&got, &want.into_iter().collect(), &format!("{args:?}"));
    }
    // The resources: the total is of every one, as DuckDB's.
    let report = group_json(&["--by", "resource", "--top", "20", path]);
    let total = duckdb_groups(TEST, &format!("SELECT sum(line_item_unblended_cost) {from} WHERE {usage}")).unwrap();
    let ours = report["totals"][0]["cost"].as_f64().unwrap();
    assert!((ours - total[0].1).abs() < 1e-6, "total {ours} vs {}", total[0].1);
    let groups =
        duckdb_groups(TEST, &format!("SELECT count(DISTINCT line_item_resource_id) {from} WHERE {usage}")).unwrap();
    assert_eq!(report["left_out"].as_f64().unwrap() + 20.0, groups[0].1, "every resource counted");
}
