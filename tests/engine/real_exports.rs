//! The real public exports in `../shared/real-cur/` (see its README for sources
//! and licences), read as a user would read them, against the figures DuckDB
//! 2.0.1 gives for the same files (`sum(...) filter (where <usage>)`, per file,
//! grouped by `coalesce(nullif(product_servicecode, ''), line_item_product_code)`:
//! rows of no service code, EC2 Spot usage for one, take their product code).

use std::path::{Path, PathBuf};

use ducks::cli::{CostsOptions, LocalFile, analyse};
use ducks::engine::query::{Query, group};
use ducks::engine::{Cube, CurFile, Dimension, Discounts, Tally, UsageRule, cost_report, priced_by};

use crate::shared;

/// What DuckDB says about one file: rows, usage rows, their cost, and the
/// largest service with its cost.
struct Expected {
    path: &'static str,
    rows: u64,
    usage_rows: u64,
    usage_cost: f64,
    services: usize,
    top: (&'static str, f64),
}

const PARQUET: [Expected; 5] = [
    Expected {
        path: "cur-legacy-wal/WorkshopCUR/year=2018/month=10/Oct2018-WorkshopCUR-00001.snappy.parquet",
        rows: 119_307,
        usage_rows: 110_953,
        usage_cost: 3914.707752536397,
        services: 16,
        top: ("AWSGlue", 2389.3281275712066),
    },
    Expected {
        path: "cur-legacy-wal/WorkshopCUR/year=2018/month=11/Nov2018-WorkshopCUR-00001.snappy.parquet",
        rows: 124_340,
        usage_rows: 117_129,
        usage_cost: 3357.94296812745,
        services: 16,
        top: ("AWSGlue", 2005.382931200022),
    },
    Expected {
        path: "cur-legacy-wal/WorkshopCUR/year=2018/month=12/Dec2018-WorkshopCUR-00001.snappy.parquet",
        rows: 91_264,
        usage_rows: 84_488,
        usage_cost: 256.07919243542017,
        services: 16,
        top: ("AmazonEC2", 212.3947250225417),
    },
    Expected {
        path: "derived/focus-converters-aws-cur-athena-names.snappy.parquet",
        rows: 1_281,
        usage_rows: 1_269,
        usage_cost: 1.6023086974000027,
        services: 12,
        top: ("AmazonS3", 1.370497674400002),
    },
    Expected {
        path: "derived/focus_sample.snappy.parquet",
        rows: 1_000,
        usage_rows: 997,
        usage_cost: 22.861926728990014,
        services: 0,
        top: ("", 0.0),
    },
];

#[track_caller]
fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "{what}: {got} vs DuckDB's {want}");
}

fn check(root: &Path, expected: &Expected) {
    let path = root.join(expected.path);
    let options = CostsOptions { json: false, discounts: None, paths: vec![path.clone()], usage: UsageRule::default() };
    let analysis = analyse(&options).unwrap_or_else(|failure| panic!("{failure}"));
    let report = analysis.report;
    let what = expected.path;
    assert_eq!((report.rows, report.usage_rows), (expected.rows, expected.usage_rows), "{what}");
    let total = report.total.as_ref().unwrap_or_else(|| panic!("{what}: one currency"));
    assert_eq!(total.currency, "USD", "{what}");
    close(total.undiscounted, expected.usage_cost, what);
    if expected.services > 0 {
        assert_eq!(report.services.len(), expected.services, "{what}");
        let top = &report.services[0];
        assert_eq!(top.service, expected.top.0, "{what}");
        close(top.undiscounted, expected.top.1, what);
    }
}

#[test]
fn parquet_exports_give_duckdbs_figures() {
    let Some(root) = shared::real_cur("parquet_exports_give_duckdbs_figures") else { return };
    for expected in &PARQUET {
        check(&root, expected);
    }
}

/// Services carry their display names where the file has exactly one for them:
/// not AWSDataTransfer, whose rows name the service that moved the data.
#[test]
fn services_carry_their_display_names() {
    let Some(root) = shared::real_cur("services_carry_their_display_names") else { return };
    let options = CostsOptions {
        json: false,
        discounts: None,
        paths: vec![root.join(PARQUET[0].path)],
        usage: UsageRule::default(),
    };
    let report = analyse(&options).unwrap_or_else(|failure| panic!("{failure}")).report;
    let name = |service: &str| report.services.iter().find(|s| s.service == service).and_then(|s| s.name.as_deref());
    assert_eq!(name("AmazonEC2"), Some("Amazon Elastic Compute Cloud"));
    assert_eq!(name("AmazonS3"), Some("Amazon Simple Storage Service"));
    assert_eq!(name("awskms"), Some("AWS Key Management Service"));
    assert_eq!(name("AWSDataTransfer"), None);
}

/// WorkshopCUR's EC2 Spot usage has no service code: it counts under AmazonEC2
/// (with EC2's multiplier), is said, and is "(none)" under the original
/// service's rule; the usage reservations paid ($0 unblended) is said with its
/// on-demand price, and counted at it when asked.
#[test]
fn spot_usage_and_reserved_usage_on_workshop_cur() {
    let Some(root) = shared::real_cur("spot_usage_and_reserved_usage_on_workshop_cur") else { return };
    let mut tally = Tally::default();
    for month in &PARQUET[..3] {
        let file = CurFile::open(LocalFile::open(&root.join(month.path)).unwrap()).unwrap();
        // The costs scan leaves the list cost out; the page prices it from the
        // explorer's cube, the command line with a second pass: both the same.
        let lean = file.scan_all(2).unwrap();
        let priced = file.scan_all_covered(2).unwrap();
        let from_cube = priced_by(&lean, &file.explore_all(2).unwrap());
        let on_demand = |tally: &Tally| cost_report(tally, 1, &Discounts::default(), &UsageRule::default()).covered;
        assert!(!on_demand(&lean)[0].priced);
        let (a, b) = (&on_demand(&priced)[0], &on_demand(&from_cube)[0]);
        assert!((a.on_demand - b.on_demand).abs() < 1e-6 && a.unpriced == b.unpriced, "{a:?} {b:?}");
        tally.merge(&priced);
    }
    let report = cost_report(&tally, 3, &Discounts::default(), &UsageRule::default());
    assert!(report.services.iter().all(|s| !s.service.is_empty()), "no (none) row");
    let [fell] = report.fell_back.as_slice() else { panic!("{:?}", report.fell_back) };
    assert_eq!((fell.rows, fell.services[0].as_str(), fell.as_none), (1_406 + 2_465 + 896, "AmazonEC2", false));
    assert!((fell.cost - 96.28).abs() < 0.01, "{}", fell.cost);
    let [covered] = report.covered.as_slice() else { panic!("{:?}", report.covered) };
    assert_eq!((covered.rows, covered.unpriced, covered.counted), (8_345 + 7_202 + 6_767, 0, false));
    assert!((covered.on_demand - 1010.46).abs() < 0.01, "{}", covered.on_demand);

    let original = cost_report(&tally, 3, &Discounts::default(), &UsageRule::default().with_service_code_only(true));
    let none = original.services.iter().find(|s| s.service.is_empty()).unwrap();
    assert!((none.undiscounted - fell.cost).abs() < 1e-9);
    assert_eq!(none.multiplier, 1.0);
    close(original.total.unwrap().undiscounted, report.total.clone().unwrap().undiscounted, "same total");

    let at_list = cost_report(&tally, 3, &Discounts::default(), &UsageRule::default().with_covered_at_list(true));
    close(
        at_list.total.unwrap().undiscounted,
        report.total.unwrap().undiscounted + covered.on_demand,
        "counted at on-demand prices",
    );
}

/// The three WAL months together: their columns differ, their figures add.
#[test]
fn months_with_differing_columns_add_up() {
    let Some(root) = shared::real_cur("months_with_differing_columns_add_up") else { return };
    let months = &PARQUET[..3];
    let options = CostsOptions {
        json: false,
        discounts: None,
        paths: vec![root.join("cur-legacy-wal")],
        usage: UsageRule::default(),
    };
    let report = analyse(&options).unwrap_or_else(|failure| panic!("{failure}")).report;
    assert_eq!(report.files, 3);
    assert_eq!(report.rows, months.iter().map(|m| m.rows).sum::<u64>());
    close(report.total.unwrap().undiscounted, months.iter().map(|m| m.usage_cost).sum(), "three months");
}

/// The cube and tally of one file, in the pieces two workers would get.
fn explore(path: &Path) -> (Cube, Tally) {
    let file = CurFile::open(LocalFile::open(path).unwrap()).unwrap();
    (file.explore_all(2).unwrap(), file.scan_all(2).unwrap())
}

/// The explorer's total, grouped any way, is the costs page's total: on FOCUS
/// (whose cost and net cost are one column) and on legacy CUR.
#[test]
fn explorer_totals_are_the_costs_totals() {
    let Some(root) = shared::real_cur("explorer_totals_are_the_costs_totals") else { return };
    let files: [PathBuf; 3] = [
        root.join("derived/focus_sample.snappy.parquet"),
        root.join("derived/focus-converters-aws-cur-athena-names.snappy.parquet"),
        root.join(PARQUET[2].path),
    ];
    for path in &files {
        let (cube, tally) = explore(path);
        let usage = UsageRule::default();
        let report = cost_report(&tally, 1, &Discounts::default(), &usage);
        let want = report.total.as_ref().unwrap().undiscounted;
        assert!(want > 0.0, "{}", path.display());
        for dimension in Dimension::ALL {
            let grouped = group(&cube, &Query { group_by: dimension, ..Query::default() }, &usage);
            let got = grouped.total().unwrap();
            assert!((got - want).abs() <= 1e-9 * want, "{} by {dimension:?}: {got} vs {want}", path.display());
            assert_eq!(grouped.rows, report.usage_rows, "{} by {dimension:?}", path.display());
        }
    }
}

/// The costs SQL the page exports, run in DuckDB (Python's, as the end-to-end
/// tests run it) on real legacy CUR, CUR 2.0 and FOCUS files: the same figures
/// per service and currency as the page, discounts included (FOCUS files of
/// display names are matched by the same rule), under the default rule and with
/// commitment-paid usage at its on-demand price.
#[test]
fn exported_costs_sql_gives_the_pages_figures_in_duckdb() {
    use ducks::engine::sql::{Dialect, costs_sql};
    const TEST: &str = "exported_costs_sql_gives_the_pages_figures_in_duckdb";
    let Some(root) = shared::real_cur(TEST) else { return };
    let probe = std::process::Command::new("python3").args(["-c", "import duckdb"]).output();
    if !probe.is_ok_and(|out| out.status.success()) {
        assert!(std::env::var_os("CI").is_none(), "{TEST}: Python's duckdb is missing; CI is set, so this fails");
        eprintln!("skipped {TEST}: Python's duckdb is missing (scripts/setup.sh test installs it)");
        return;
    }
    let files = [
        PARQUET[0].path,
        "derived/focus_sample.snappy.parquet",
        "derived/focus-converters-aws-cur-athena-names.snappy.parquet",
        "more/cur2-csv-ola-raji/ha-project-CUR-daily-1-00001.csv",
        "focus-samples/guymano/FOCUS-1.2/focus_sample_costandusage_aws_1000.csv",
    ];
    let rules = [UsageRule::default(), UsageRule::default().with_covered_at_list(true)];
    for (path, rule) in files.iter().flat_map(|path| rules.iter().map(move |rule| (path, rule))) {
        let path = root.join(path);
        let file = CurFile::open(LocalFile::open(&path).unwrap()).unwrap();
        let report = cost_report(&file.scan_all_covered(2).unwrap(), 1, &Discounts::default(), rule);
        let sql = costs_sql(file.outline(), rule, &Discounts::default(), Dialect::DuckDb)
            .replace("'cur/**/*.parquet'", &format!("'{}'", path.display()))
            .replace("'cur/**/*.csv*'", &format!("'{}'", path.display()));
        let out = std::process::Command::new("python3")
            .args([
                "-c",
                "import duckdb, json, sys; print(json.dumps([[r[0], r[1], float(r[2] or 0), float(r[3] or 0)] for r in duckdb.sql(sys.argv[1]).fetchall()]))",
                &sql,
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}: {}\n{sql}", path.display(), String::from_utf8_lossy(&out.stderr));
        let rows: Vec<(Option<String>, String, f64, f64)> = serde_json::from_slice(&out.stdout).unwrap();
        let what = format!("{} ({rule:?})", path.display());
        assert_eq!(rows.len(), report.services.len(), "{what}: {rows:?}\n{sql}");
        for service in &report.services {
            let row = rows
                .iter()
                .find(|r| r.0.as_deref().unwrap_or("") == service.service && r.1 == service.currency)
                .unwrap_or_else(|| panic!("{what}: {} not in {rows:?}", service.service));
            close(row.2, service.undiscounted, &format!("{what} {} undiscounted", service.service));
            close(row.3, service.discounted, &format!("{what} {} discounted", service.service));
        }
    }
}

/// WorkshopCUR's reservations in October, as DuckDB sums their line items:
/// nine reservations whose fees come to $281.25 for the month (recurring fees
/// $149.78 and amortized upfront $131.47), $49.00 of it unused, the rest the
/// effective cost of the $338.02 (on demand) of usage they covered.
#[test]
fn workshop_cur_reservations_their_use_savings_and_ends() {
    use ducks::engine::CommitmentKind;
    use ducks::engine::commitments::commitment_report;
    let Some(root) = shared::real_cur("workshop_cur_reservations_their_use_savings_and_ends") else { return };
    let file = CurFile::open(LocalFile::open(&root.join(PARQUET[0].path)).unwrap()).unwrap();
    let report = commitment_report(&file.scan_all_commitments(2).unwrap());
    assert_eq!(report.commitments.len(), 9);
    assert!(report.commitments.iter().all(|c| c.kind == CommitmentKind::Reservation && c.currency == "USD"));
    let [total] = report.totals.as_slice() else { panic!("{:?}", report.totals) };
    let near = |got: f64, want: f64| (got - want).abs() < 0.005;
    assert!(near(total.commitment, 149.775379 + 131.4739726), "{total:?}");
    assert!(near(total.unused, 48.99556079) && near(total.on_demand, 338.02060645), "{total:?}");
    let effective: f64 = report.commitments.iter().map(|c| c.effective).sum();
    assert!(near(effective, total.used), "what was used is the covered usage's effective cost: {effective}");
    // The reservation with no usage at all: every cent of its fee wasted.
    let idle = report.commitments.iter().find(|c| c.arn.ends_with("3a2944f2-fbdc-4f9a-86f7-4b83dc6e058a")).unwrap();
    assert_eq!((idle.utilization, idle.covered_rows), (Some(0.0), 0));
    assert_eq!(idle.ends.as_deref(), Some("2019-04-24"));
    assert_eq!(report.span, Some(("2018-10-01".to_owned(), "2018-10-31".to_owned())));
    assert_eq!(report.ending_within(90).count(), 0, "the first ends in April 2019");
    // Per day: each reservation's monthly fee spread over October's 31 days.
    assert_eq!(total.days.len(), 31);
    let daily: f64 = total.days.iter().map(|(_, commitment, _)| commitment).sum();
    assert!(near(daily, total.commitment), "{daily}");
    assert!(report.commitments.iter().all(|c| c.days.len() == 31 && c.months.len() == 1), "one month, 31 days each");
    let (first, last) = (&total.days[0].0, &total.days[30].0);
    assert_eq!((first.as_str(), last.as_str()), ("2018-10-01", "2018-10-31"));
}

/// `ducks commitments` on WorkshopCUR's October: the table and its total, as
/// the engine's report gives them, and the page's tab shows them.
#[test]
fn ducks_commitments_prints_the_reservations() {
    let Some(root) = shared::real_cur("ducks_commitments_prints_the_reservations") else { return };
    let path = root.join(PARQUET[0].path).to_string_lossy().into_owned();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = ducks::cli::main(vec!["commitments".into(), path.clone()], &mut out, &mut err);
    let text = String::from_utf8_lossy(&out);
    assert_eq!(code, std::process::ExitCode::SUCCESS, "{}", String::from_utf8_lossy(&err));
    let total = text.lines().find(|line| line.starts_with("Total USD")).unwrap_or_else(|| panic!("{text}"));
    for figure in ["$281.25", "82.6%", "$49.00", "$338.02", "$56.77"] {
        assert!(total.contains(figure), "{figure} in {total}");
    }
    assert!(text.contains("Ending within 90 days of 2018-10-31: none"), "{text}");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    ducks::cli::main(vec!["commitments".into(), "--json".into(), path], &mut out, &mut err);
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json["commitments"].as_array().unwrap().len(), 9);
    assert_eq!(json["totals"][0]["currency"], "USD");
}

/// Coverage on WorkshopCUR's October, from the explorer's cube, as DuckDB sums
/// the same rule: $338.02 (on demand) of usage covered by reservations, and
/// $1,205.44 of eligible compute usage (EC2, RDS… instance hours, Lambda
/// duration; not Spot) paid on demand.
#[test]
fn workshop_cur_coverage_of_eligible_usage() {
    use ducks::engine::commitments::{CoverageBy, coverage};
    let Some(root) = shared::real_cur("workshop_cur_coverage_of_eligible_usage") else { return };
    let file = CurFile::open(LocalFile::open(&root.join(PARQUET[0].path)).unwrap()).unwrap();
    let cube = file.explore_all(2).unwrap();
    let by_service = coverage(&cube, CoverageBy::Service);
    let [total] = by_service.totals.as_slice() else { panic!("{:?}", by_service.totals) };
    assert!((total.covered - 338.02060645).abs() < 1e-6 && (total.uncovered - 1205.44384885).abs() < 1e-6, "{total:?}");
    assert!((total.coverage.unwrap() - 338.02060645 / (338.02060645 + 1205.44384885)).abs() < 1e-9);
    let ec2 = by_service.groups.iter().find(|g| g.key == "AmazonEC2").unwrap();
    assert!(ec2.covered > 0.0 && ec2.uncovered > 0.0, "{ec2:?}");
    for by in [CoverageBy::Region, CoverageBy::Account, CoverageBy::Family] {
        let grouped = coverage(&cube, by);
        let sum: f64 = grouped.groups.iter().map(|g| g.covered + g.uncovered).sum();
        assert!((sum - (total.covered + total.uncovered)).abs() < 1e-6, "{by:?} adds up");
    }
    assert!(coverage(&cube, CoverageBy::Family).groups.iter().all(|g| !g.key.contains(':')));
}

/// FOCUS's commitments, in its own columns: the AWS and Azure FOCUS 1.2
/// samples, as DuckDB sums their Used and Unused rows (each commitment's
/// Purchase rows say the same again and are not added).
#[test]
fn focus_commitments_from_their_used_and_unused_rows() {
    use ducks::engine::CommitmentKind;
    use ducks::engine::commitments::commitment_report;
    let Some(root) = shared::real_cur("focus_commitments_from_their_used_and_unused_rows") else { return };
    // (file, kind, commitments, committed, unused, on demand)
    let expected = [
        ("aws", CommitmentKind::Reservation, 8, 2209.104, 480.24, 2592.0),
        ("aws", CommitmentKind::SavingsPlan, 12, 3585.792, 704.352, 4320.0),
        ("azure", CommitmentKind::Reservation, 9, 5314.656, 1408.704, 5856.0),
        ("azure", CommitmentKind::SavingsPlan, 9, 5058.528, 1024.512, 6048.0),
    ];
    for (cloud, kind, count, committed, unused, on_demand) in expected {
        let path = root.join(format!("focus-samples/guymano/FOCUS-1.2/focus_sample_costandusage_{cloud}_1000.csv"));
        let file = CurFile::open(LocalFile::open(&path).unwrap()).unwrap();
        let report = commitment_report(&file.scan_all_commitments(2).unwrap());
        let of_kind: Vec<_> = report.commitments.iter().filter(|c| c.kind == kind).collect();
        let sum = |f: fn(&&ducks::engine::commitments::CommitmentRow) -> f64| of_kind.iter().map(f).sum::<f64>();
        let what = format!("{cloud} {kind:?}");
        assert_eq!(of_kind.len(), count, "{what}");
        assert!((sum(|c| c.commitment) - committed).abs() < 1e-6, "{what}: {}", sum(|c| c.commitment));
        assert!((sum(|c| c.unused) - unused).abs() < 1e-6, "{what}: {}", sum(|c| c.unused));
        assert!((sum(|c| c.on_demand) - on_demand).abs() < 1e-6, "{what}: {}", sum(|c| c.on_demand));
    }
}
