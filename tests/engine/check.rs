//! `ducks check`: for each rule of the check, one file made to break that
//! rule and only that one; files that break none; the real samples' findings
//! as DuckDB counts them.

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

use crate::shared;
use crate::support::Scratch;

/// A FOCUS 1.0 file with every mandatory column and valid values.
const FOCUS_HEADER: &str = "BilledCost,BillingAccountId,BillingAccountName,BillingCurrency,BillingPeriodEnd,\
BillingPeriodStart,ChargeCategory,ChargeClass,ChargeDescription,ChargePeriodEnd,ChargePeriodStart,ContractedCost,\
EffectiveCost,InvoiceIssuerName,ListCost,PricingQuantity,PricingUnit,ProviderName,PublisherName,ServiceCategory,\
ServiceName,ChargeFrequency,PricingCategory,CommitmentDiscountId,CommitmentDiscountStatus,CommitmentDiscountCategory,Tags";

/// A row, as (column, value).
type Row = Vec<(&'static str, String)>;

/// One valid FOCUS row.
fn focus_row() -> Row {
    let values = [
        "10",
        "1",
        "a",
        "USD",
        "2024-02-01T00:00:00Z",
        "2024-01-01T00:00:00Z",
        "Usage",
        "",
        "x",
        "2024-01-05T01:00:00Z",
        "2024-01-05T00:00:00Z",
        "10",
        "10",
        "AWS",
        "10",
        "1",
        "Hours",
        "AWS",
        "AWS",
        "Compute",
        "EC2",
        "Usage-Based",
        "Standard",
        "",
        "",
        "",
        "\"{\"\"team\"\":\"\"a\"\"}\"",
    ];
    FOCUS_HEADER.split(',').zip(values.map(str::to_owned)).collect()
}

/// A legacy CUR file's header and one valid usage row.
const CUR_HEADER: &str = "line_item_line_item_type,product_servicecode,line_item_product_code,line_item_unblended_cost,\
line_item_currency_code,line_item_usage_start_date,line_item_usage_end_date,bill_billing_period_start_date,\
bill_billing_period_end_date,savings_plan_used_commitment,savings_plan_total_commitment_to_date,\
reservation_start_time,reservation_end_time";
const CUR_ROW: [&str; 13] = [
    "Usage",
    "AmazonEC2",
    "AmazonEC2",
    "10",
    "USD",
    "2024-01-05T00:00:00Z",
    "2024-01-05T01:00:00Z",
    "2024-01-01T00:00:00Z",
    "2024-02-01T00:00:00Z",
    "",
    "",
    "",
    "",
];

/// Writes a CSV of `rows` (each (column, value) in the header's order) and runs `ducks check --json` on it.
fn check(scratch: &Scratch, name: &str, rows: &[Row]) -> Value {
    // The last row's columns: the others are written in them (a column dropped, or one more, empty).
    let header: Vec<&str> = rows.last().unwrap().iter().map(|(c, _)| *c).collect();
    let mut text = header.join(",") + "\n";
    for row in rows {
        let value = |column: &str| row.iter().find(|(c, _)| *c == column).map_or("", |(_, v)| v.as_str());
        text += &(header.iter().map(|c| value(c)).collect::<Vec<_>>().join(",") + "\n");
    }
    let path = scratch.path(name);
    std::fs::write(&path, text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ducks")).args(["check", "--json"]).arg(&path).output().unwrap();
    assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    json["files"][0].clone()
}

fn rules(file: &Value) -> BTreeSet<String> {
    file["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_owned()).collect()
}

/// Row `at` of `row` with `column` set to `value` (or the column dropped, for `None`).
fn with(row: &[(&'static str, String)], column: &str, value: Option<&str>) -> Row {
    assert!(row.iter().any(|(c, _)| *c == column), "{column}");
    row.iter()
        .filter(|(c, _)| *c != column || value.is_some())
        .map(|(c, v)| (*c, if *c == column { value.unwrap().to_owned() } else { v.clone() }))
        .collect()
}

#[test]
fn each_rule_is_found_alone_in_a_file_made_to_break_it() {
    let scratch = Scratch::new("check-rules");
    let good = focus_row();
    let clean = check(&scratch, "good.csv", &[good.clone(), good.clone()]);
    assert_eq!(rules(&clean), BTreeSet::new(), "{clean}");
    assert_eq!(clean["layout"], "FOCUS 1.0");

    let purchase = with(&with(&good, "ChargeCategory", Some("Purchase")), "CommitmentDiscountId", Some("sp-1"));
    let mut mixed = good.clone();
    mixed.push(("ContractApplied", "\"{}\"".to_owned()));
    let cases: Vec<(&str, Row, usize)> = vec![
        ("mandatory-column-missing", with(&good, "ChargeDescription", None), 0),
        ("versions-mixed", mixed, 0),
        ("null-not-allowed", with(&good, "BillingCurrency", Some("")), 2),
        ("value-not-allowed", with(&good, "ChargeFrequency", Some("Monthly")), 2),
        ("currency-not-iso-4217", with(&good, "BillingCurrency", Some("$")), 2),
        ("charge-period-reversed", with(&good, "ChargePeriodEnd", Some("2024-01-03T00:00:00Z")), 2),
        (
            "outside-billing-period",
            with(
                &with(&good, "ChargePeriodStart", Some("2024-02-03T00:00:00Z")),
                "ChargePeriodEnd",
                Some("2024-02-03T01:00:00Z"),
            ),
            2,
        ),
        ("purchase-with-effective-cost", purchase, 2),
        ("json-unreadable", with(&good, "Tags", Some("team=a")), 2),
    ];
    for (rule, bad, row) in cases {
        // The bad row second, after a good one.
        let file = check(&scratch, &format!("{rule}.csv"), &[good.clone(), bad]);
        assert_eq!(rules(&file), BTreeSet::from([rule.to_owned()]), "{rule}: {file}");
        let finding = &file["findings"][0];
        if row > 0 {
            assert_eq!((finding["count"].as_u64(), finding["rows"][0].as_u64()), (Some(1), Some(row as u64)), "{rule}");
        }
        assert!(!finding["message"].as_str().unwrap().is_empty() && !finding["source"].as_str().unwrap().is_empty());
    }

    let cur: Row = CUR_HEADER.split(',').zip(CUR_ROW.map(str::to_owned)).collect();
    let clean = check(&scratch, "cur.csv", &[cur.clone(), cur.clone()]);
    assert_eq!((rules(&clean), clean["layout"].as_str()), (BTreeSet::new(), Some("legacy CUR")));
    let no_service = with(&with(&cur, "product_servicecode", Some("")), "line_item_product_code", Some(""));
    for (rule, bad) in [
        ("unknown-line-item-type", with(&cur, "line_item_line_item_type", Some("Usagee"))),
        ("usage-without-service", no_service),
        ("outside-billing-period", with(&cur, "line_item_usage_start_date", Some("2023-12-31T00:00:00Z"))),
        ("commitment-used-above-total", {
            let fee = with(&cur, "line_item_line_item_type", Some("SavingsPlanRecurringFee"));
            with(
                &with(&fee, "savings_plan_used_commitment", Some("12")),
                "savings_plan_total_commitment_to_date",
                Some("10"),
            )
        }),
        ("commitment-ends-before-start", {
            let fee = with(&cur, "line_item_line_item_type", Some("RIFee"));
            let started = with(&fee, "reservation_start_time", Some("2024-01-01T00:00:00Z"));
            with(&started, "reservation_end_time", Some("2023-01-01T00:00:00Z"))
        }),
    ] {
        let file = check(&scratch, &format!("cur-{rule}.csv"), &[cur.clone(), bad]);
        assert_eq!(rules(&file), BTreeSet::from([rule.to_owned()]), "{rule}: {file}");
        assert_eq!(file["findings"][0]["rows"][0], 2, "{rule}");
    }
}

/// The real samples: FOCUS 1.2 and 1.3 of three clouds pass; the FOCUS 1.0
/// sample writes `Usage-based` for `Usage-Based` on 7 rows and dates one
/// charge of 30 September in October's billing period, as DuckDB finds them.
#[test]
fn the_real_samples_findings() {
    let Some(root) = shared::real_cur("the_real_samples_findings") else { return };
    let samples = root.join("focus-samples/guymano");
    for version in ["FOCUS-1.2", "FOCUS-1.3"] {
        for cloud in ["aws", "azure", "gcp"] {
            let path = samples.join(version).join(format!("focus_sample_costandusage_{cloud}_1000.csv"));
            let output =
                Command::new(env!("CARGO_BIN_EXE_ducks")).args(["check", "--json"]).arg(&path).output().unwrap();
            let json: Value = serde_json::from_slice(&output.stdout).unwrap();
            let file = &json["files"][0];
            assert_eq!(rules(file), BTreeSet::new(), "{}: {file}", path.display());
            assert_eq!(file["layout"].as_str(), Some(&*format!("FOCUS {}", &version[6..])));
        }
    }
    let sample = root.join("focus-1.0-sample/focus_sample.csv");
    let output = Command::new(env!("CARGO_BIN_EXE_ducks")).args(["check", "--json"]).arg(&sample).output().unwrap();
    assert!(output.status.success());
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let findings = json["files"][0]["findings"].as_array().unwrap().clone();
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert_eq!(
        (findings[0]["rule"].as_str(), findings[0]["column"].as_str()),
        (Some("value-not-allowed"), Some("ChargeFrequency"))
    );
    assert_eq!((findings[0]["count"].as_u64(), findings[0]["example"].as_str()), (Some(7), Some("Usage-based")));
    assert_eq!(findings[1]["rule"], "outside-billing-period");
    assert_eq!(findings[1]["rows"], serde_json::json!([945]));
    // A file it cannot read is exit status 1; findings are not.
    let output = Command::new(env!("CARGO_BIN_EXE_ducks")).args(["check", "/nonexistent.parquet"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
}
