//! The explorer's scan and queries, on the demo CUR (three months, 120+ columns,
//! every line item type), checked against the costs page and against a plain
//! row-by-row reading of the same files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{Array, RecordBatch};
use ducks::cli::LocalFile;
use ducks::engine::query::{Filter, Grain, Query, coverage, group, over_time};
use ducks::engine::{
    Cube, CurFile, Dates, DetailScan, Dimension, Discounts, Measure, RowSlice, ScanKind, Tally, UsagePreset, UsageRule,
    cost_report, plan,
};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::support;

fn demo() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("public/demo");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

/// The cube and tally of `paths`, read in slices as the workers do.
fn scan(paths: &[PathBuf], workers: usize) -> (Cube, Tally) {
    let files: Vec<_> = paths.iter().map(|p| CurFile::open(LocalFile::open(p).unwrap()).unwrap()).collect();
    let outlines: Vec<_> = files.iter().enumerate().map(|(i, f)| (i, f.outline())).collect();
    let (mut cube, mut tally) = (Cube::default(), Tally::default());
    for piece in plan(&outlines, workers) {
        let file = &files[piece.file];
        assert!(!file.prefetch_ranges(piece.slice, ScanKind::Explore).is_empty());
        cube.merge(&file.explore_prefetched(piece.slice, Vec::new(), &mut |_| {}, usize::MAX, &mut |_| {}).unwrap().0);
        tally.merge(&file.scan(piece.slice, &mut |_| {}).unwrap());
    }
    (cube, tally)
}

/// The cube by day (with every label) of `paths`, as the page reads it on demand.
fn read_days(paths: &[PathBuf]) -> Cube {
    let files: Vec<_> = paths.iter().map(|p| CurFile::open(LocalFile::open(p).unwrap()).unwrap()).collect();
    let outlines: Vec<_> = files.iter().enumerate().map(|(i, f)| (i, f.outline())).collect();
    let scan = DetailScan { dates: Dates::Days, ..DetailScan::explorer() };
    let mut cube = Cube::default();
    for piece in plan(&outlines, 2) {
        let read = files[piece.file].explore_detail(piece.slice, None, &scan, &mut |_| {}, usize::MAX, &mut |_| {});
        cube.merge(&read.unwrap());
    }
    cube
}

#[test]
fn every_grouping_sums_to_the_costs_page_total() {
    let (cube, tally) = scan(&demo(), 3);
    for preset in UsagePreset::ALL {
        let usage = preset.rule();
        let report = cost_report(&tally, 3, &Discounts::default(), &usage);
        for dimension in Dimension::ALL {
            let grouped = group(&cube, &Query { group_by: dimension, ..Query::default() }, &usage);
            assert!(
                (grouped.total().unwrap() - report.total.as_ref().unwrap().undiscounted).abs() < 1e-6,
                "{preset:?} by {dimension:?}: {:?} vs {:?}",
                grouped.total(),
                report.total
            );
            assert_eq!(grouped.rows, report.usage_rows, "{preset:?} by {dimension:?}");
        }
        let by_service = group(&cube, &Query::default(), &usage);
        for service in &report.services {
            let group = by_service.groups.iter().find(|g| g.key == service.service).unwrap();
            assert!((group.cost - service.undiscounted).abs() < 1e-9, "{}", service.service);
        }
    }
}

/// Per service and unit, every measure (in `Measure::ALL` order) over every row, the plain way.
fn row_by_row(paths: &[PathBuf]) -> BTreeMap<(String, String), [f64; 6]> {
    let mut sums: BTreeMap<(String, String), [f64; 6]> = BTreeMap::new();
    for path in paths {
        let reader =
            ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path).unwrap()).unwrap().build().unwrap();
        for batch in reader {
            let batch: RecordBatch = batch.unwrap();
            let text = |name: &str| batch.column_by_name(name).map(|c| c.as_string::<i32>().clone());
            let number = |name: &str| batch.column_by_name(name).map(|c| c.as_primitive::<Float64Type>().clone());
            let (types, services, arns) = (
                text("line_item_line_item_type").unwrap(),
                text("product_servicecode").unwrap(),
                text("reservation_reservation_a_r_n"),
            );
            let (units, list, amount) = (
                text("pricing_unit").unwrap(),
                number("pricing_public_on_demand_cost"),
                number("line_item_usage_amount"),
            );
            assert!(list.is_some() && amount.is_some(), "the demo has list costs and usage amounts");
            let (cost, net) =
                (number("line_item_unblended_cost").unwrap(), number("line_item_net_unblended_cost").unwrap());
            let value = |column: &Option<arrow_array::Float64Array>, row: usize| {
                column.as_ref().filter(|c| c.is_valid(row)).map_or(0.0, |c| c.value(row))
            };
            let (sp_effective, sp_total, sp_used, ri_effective, ri_upfront, ri_recurring) = (
                number("savings_plan_savings_plan_effective_cost"),
                number("savings_plan_total_commitment_to_date"),
                number("savings_plan_used_commitment"),
                number("reservation_effective_cost"),
                number("reservation_unused_amortized_upfront_fee_for_billing_period"),
                number("reservation_unused_recurring_fee"),
            );
            for row in 0..batch.num_rows() {
                let unblended = cost.value(row);
                let arn_empty = arns.as_ref().is_none_or(|a| a.is_null(row) || a.value(row).is_empty());
                let amortized = match types.value(row) {
                    "SavingsPlanCoveredUsage" => value(&sp_effective, row),
                    "SavingsPlanRecurringFee" => value(&sp_total, row) - value(&sp_used, row),
                    "SavingsPlanNegation" | "SavingsPlanUpfrontFee" => 0.0,
                    "DiscountedUsage" => value(&ri_effective, row),
                    "RIFee" => value(&ri_upfront, row) + value(&ri_recurring, row),
                    "Fee" if !arn_empty => 0.0,
                    _ => unblended,
                };
                let unit = if units.is_valid(row) { units.value(row) } else { "" };
                let entry = sums.entry((services.value(row).to_owned(), unit.to_owned())).or_default();
                entry[0] += unblended;
                entry[1] += net.value(row);
                entry[2] += amortized;
                entry[3] += value(&list, row);
                entry[4] += value(&amount, row);
                // A CUR has no pricing currency: its amortized cost, in its billing currency.
                entry[5] += amortized;
            }
        }
    }
    sums
}

#[test]
fn measures_match_a_row_by_row_reading() {
    let files = demo();
    let (cube, _) = scan(&files, 2);
    let expected = row_by_row(&files);
    let everything = UsagePreset::Everything.rule();
    for (m, measure) in Measure::ALL.into_iter().enumerate() {
        let grouped = group(&cube, &Query { measure, ..Query::default() }, &everything);
        // Costs are in the demo's one currency; quantities are per unit.
        let mut wanted: BTreeMap<(String, String), f64> = BTreeMap::new();
        for ((service, unit), sums) in &expected {
            let denomination = if measure.is_money() { "USD" } else { unit };
            *wanted.entry((service.clone(), denomination.to_owned())).or_default() += sums[m];
        }
        assert_eq!(grouped.groups.len(), wanted.len(), "{measure:?}");
        for g in &grouped.groups {
            let want = wanted[&(g.key.clone(), g.currency.clone())];
            assert!((g.cost - want).abs() < 1e-6 * want.abs().max(1.0), "{measure:?} {}: {} vs {want}", g.key, g.cost);
        }
    }
    let amortized =
        group(&cube, &Query { measure: Measure::Amortized, ..Query::default() }, &everything).total().unwrap();
    let unblended = group(&cube, &Query::default(), &everything).total().unwrap();
    assert!(amortized != unblended, "the demo's reservations and Savings Plans make them differ");
}

/// The costs page's context: the demo's three months, in order, adding up to the
/// usage total, its accounts, and its first and last day.
#[test]
fn coverage_of_the_demo() {
    let (cube, tally) = scan(&demo(), 2);
    let usage = UsageRule::default();
    let covered = coverage(&cube, &usage);
    assert_eq!(covered.months.iter().map(|m| m.key.as_str()).collect::<Vec<_>>(), ["2024-01", "2024-02", "2024-03"]);
    let total = cost_report(&tally, 3, &Discounts::default(), &usage).total.unwrap().undiscounted;
    assert!((covered.months.iter().map(|m| m.cost).sum::<f64>() - total).abs() < 1e-6);
    let accounts = group(&cube, &Query { group_by: Dimension::Account, ..Query::default() }, &usage).groups.len();
    assert_eq!(covered.accounts, accounts);
    assert!(covered.accounts > 1);
    let (first, last) = covered.span.unwrap();
    assert_eq!(
        (ducks::engine::dates::format_day(first).as_str(), &ducks::engine::dates::format_day(last)[..7]),
        ("2024-01-01", "2024-03")
    );
}

#[test]
fn months_days_and_drill_down() {
    let (cube, _) = scan(&demo(), 1);
    let usage = UsageRule::default();
    let months = group(&cube, &Query { group_by: Dimension::Month, ..Query::default() }, &usage);
    assert_eq!(months.groups.iter().map(|g| g.key.as_str()).collect::<Vec<_>>(), ["2024-01", "2024-02", "2024-03"]);
    // The explorer's own cube is by month; days are read on demand, and agree.
    let own_days = group(&cube, &Query { group_by: Dimension::Day, ..Query::default() }, &usage);
    assert_eq!(
        own_days.groups.iter().map(|g| g.key.as_str()).collect::<Vec<_>>(),
        ["2024-01-01", "2024-02-01", "2024-03-01"]
    );
    let by_day = read_days(&demo());
    let days = group(&by_day, &Query { group_by: Dimension::Day, ..Query::default() }, &usage);
    assert!(days.groups.len() >= 80 && days.groups.len() <= 91, "{}", days.groups.len());
    assert!((days.total().unwrap() - months.total().unwrap()).abs() < 1e-6);
    let months_of_days = group(&by_day, &Query { group_by: Dimension::Month, ..Query::default() }, &usage);
    for (a, b) in months_of_days.groups.iter().zip(&months.groups) {
        assert_eq!(a.key, b.key);
        assert!((a.cost - b.cost).abs() < 1e-9, "{}", a.key);
    }
    // The month cube keeps the span of its rows' days, the same as the day cube's cells give.
    let cells = (0..by_day.len()).map(|i| by_day.at(i).day);
    assert_eq!(cube.day_span(), ducks::engine::dates::span_of(cells));
    assert_ne!(cube.day_span().unwrap().1, cube.at(0).day);

    // Drill: EC2, then its usage types; the usage types sum to EC2's cost.
    let ec2 = Filter::default().with_labels(Dimension::Service, vec!["AmazonEC2".into()]);
    let ec2_total = group(&cube, &Query { filter: ec2.clone(), ..Query::default() }, &usage).total().unwrap();
    let usage_types =
        group(&cube, &Query { group_by: Dimension::UsageType, filter: ec2.clone(), ..Query::default() }, &usage);
    assert!(usage_types.groups.iter().all(|g| g.key.contains("BoxUsage")
        || g.key.contains("EBS")
        || g.key.contains("Spot")
        || g.key.contains("Nat")));
    assert!((usage_types.total().unwrap() - ec2_total).abs() < 1e-9);

    let over = over_time(&cube, &Query { group_by: Dimension::Region, ..Query::default() }, &usage, Grain::Month, 3);
    assert_eq!(over.periods.len(), 3);
    assert_eq!(over.series.len(), 4, "three regions and the rest");
    let stacked: f64 = over.series.iter().flat_map(|s| &s.values).sum();
    assert!((stacked - months.total().unwrap()).abs() < 1e-6);
}

/// A slice scanned in small parts (bounded memory in a worker) merges to the cube
/// of one pass, under every grouping and measure.
#[test]
fn parts_merge_to_the_cube_of_one_pass() {
    // Parts are cut between batches, so the slice spans several.
    let scratch = support::Scratch::new("explore-parts");
    let path = scratch.path("big.parquet");
    let spec = support::Spec { row_group_rows: 300_000, ..support::Spec::default() };
    support::write(&path, &support::rows(300_000, 9, true), &spec);
    let file = CurFile::open(LocalFile::open(&path).unwrap()).unwrap();
    let slice = RowSlice { row_group: 0, first_row: 0, rows: 300_000 };
    let (whole, _) = file.explore_prefetched(slice, Vec::new(), &mut |_| {}, usize::MAX, &mut |_| {}).unwrap();
    let mut parts = Vec::new();
    let (last, _) = file.explore_prefetched(slice, Vec::new(), &mut |_| {}, 10, &mut |part| parts.push(part)).unwrap();
    assert!(parts.len() >= 3, "{} parts", parts.len());
    assert!(parts.iter().all(|part| part.len() >= 10));
    // A part carries the labels its cells carry, not all the scan met before it.
    for part in parts.iter().chain([&last]) {
        for slot in Dimension::LABELS.iter().filter_map(|d| d.slot()) {
            assert_eq!(part.labels(slot).len(), part.labels_in_use(slot), "slot {slot}");
        }
    }
    let mut merged = Cube::default();
    for part in parts.iter().chain([&last]) {
        merged.merge(part);
    }
    assert_eq!(merged.len(), whole.len());
    assert_eq!(merged.day_span(), whole.day_span());
    let usage = UsageRule::everything();
    for measure in Measure::ALL {
        for dimension in Dimension::ALL {
            let query = Query { group_by: dimension, measure, ..Query::default() };
            let (a, b) = (group(&whole, &query, &usage), group(&merged, &query, &usage));
            assert_eq!(a.rows, b.rows, "{dimension:?}");
            assert_eq!(a.groups.len(), b.groups.len(), "{dimension:?}");
            for (x, y) in a.groups.iter().zip(&b.groups) {
                assert_eq!(x.key, y.key, "{dimension:?}");
                assert!((x.cost - y.cost).abs() <= 1e-9 * x.cost.abs().max(1.0), "{dimension:?} {}", x.key);
            }
        }
    }
}
