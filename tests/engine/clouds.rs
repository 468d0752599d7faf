//! Every cloud in one view: each FOCUS sample's costs per provider and
//! currency as DuckDB sums them, CUR as AWS's, and the files of several clouds
//! dropped together grouped by provider without adding currencies.

use std::collections::BTreeMap;
use std::path::Path;

use crate::group::{assert_same, duckdb_groups, group_json, groups};
use crate::shared;

const SAMPLES: &str = "focus-samples/guymano";

/// The cost-and-usage samples (not the ContractCommitment ones), FOCUS 1.2 and 1.3.
fn samples(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for version in ["FOCUS-1.2", "FOCUS-1.3"] {
        for cloud in ["aws", "azure", "gcp"] {
            let path = root.join(SAMPLES).join(version).join(format!("focus_sample_costandusage_{cloud}_1000.csv"));
            found.push(path.to_string_lossy().into_owned());
        }
    }
    found
}

/// Whether the CSV file at `path` has the column `name`.
fn has(path: &str, name: &str) -> bool {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().next().unwrap().split(',').any(|c| c == name)
}

#[test]
fn each_focus_sample_by_provider_and_currency_is_duckdbs() {
    const TEST: &str = "each_focus_sample_by_provider_and_currency_is_duckdbs";
    let Some(root) = shared::real_cur(TEST) else { return };
    for path in samples(&root) {
        let got = groups(&group_json(&["--by", "provider,currency,service", "--usage", "all", &path]));
        // FOCUS 1.3's ServiceProviderName, before it ProviderName; AWS's service code where there is one.
        let provider = if has(&path, "ServiceProviderName") { "ServiceProviderName" } else { "ProviderName" };
        let service = if has(&path, "x_ServiceCode") { "coalesce(x_ServiceCode, ServiceName)" } else { "ServiceName" };
        let sql = format!(
            "SELECT {provider}, BillingCurrency, {service}, sum(BilledCost) \
             FROM read_csv('{path}', nullstr = ['', 'NULL']) GROUP BY ALL"
        );
        let Some(want) = duckdb_groups(TEST, &sql) else { return };
        assert_same(&got, &want.into_iter().collect(), &path);
        // Which currency is summed is said where the file prices in another.
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_ducks")).args(["costs", &path]).output().unwrap();
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(said.contains("Amounts are in the billing currency (BillingCurrency)"), "{path}: {said}");
    }
}

#[test]
fn several_clouds_dropped_together_are_grouped_by_provider() {
    const TEST: &str = "several_clouds_dropped_together_are_grouped_by_provider";
    let Some(root) = shared::real_cur(TEST) else { return };
    let october = root.join("cur-legacy-wal/WorkshopCUR/year=2018/month=10");
    let files = samples(&root);
    // The FOCUS 1.2 samples of three clouds and a month of AWS's legacy CUR.
    let mut args = vec!["--by", "provider,currency", "--usage", "all"];
    args.extend(files[..3].iter().map(String::as_str));
    args.push(october.to_str().unwrap());
    let got = groups(&group_json(&args));
    let mut want: BTreeMap<String, f64> = BTreeMap::new();
    for path in &files[..3] {
        let sql = format!(
            "SELECT ProviderName, BillingCurrency, sum(BilledCost) FROM read_csv('{path}', nullstr = ['', 'NULL']) GROUP BY ALL"
        );
        let Some(rows) = duckdb_groups(TEST, &sql) else { return };
        for (key, cost) in rows {
            *want.entry(key).or_default() += cost;
        }
    }
    let sql = format!(
        "SELECT 'AWS', line_item_currency_code, sum(line_item_unblended_cost) FROM '{}/*.parquet' GROUP BY ALL",
        october.display()
    );
    let Some(rows) = duckdb_groups(TEST, &sql) else { return };
    for (key, cost) in rows {
        *want.entry(key).or_default() += cost;
    }
    assert_same(&got, &want, "three clouds and a CUR");
    assert_eq!(
        got.keys().map(|k| k.split(" | ").next().unwrap()).collect::<std::collections::BTreeSet<_>>().len(),
        3,
        "AWS (FOCUS and CUR as one), Microsoft Azure, Google Cloud: {got:?}"
    );
}

/// The files' total per invoice and month (every line item, billed cost), to
/// tie to each invoice: FOCUS `InvoiceId` and CUR `bill_invoice_id`, as DuckDB
/// sums them.
#[test]
fn totals_per_invoice_and_month_are_duckdbs() {
    const TEST: &str = "totals_per_invoice_and_month_are_duckdbs";
    let Some(root) = shared::real_cur(TEST) else { return };
    for path in samples(&root) {
        let got = groups(&group_json(&["--by", "invoice,month", "--usage", "all", &path]));
        let sql = format!(
            "SELECT InvoiceId, strftime(ChargePeriodStart::TIMESTAMP, '%Y-%m'), sum(BilledCost) \
             FROM read_csv('{path}', nullstr = ['', 'NULL']) GROUP BY ALL"
        );
        let Some(want) = duckdb_groups(TEST, &sql) else { return };
        assert!(want.len() >= 2, "{path}: {want:?}");
        assert_same(&got, &want.into_iter().collect(), &path);
    }
    let october = root.join("cur-legacy-wal/WorkshopCUR/year=2018/month=10");
    let got = groups(&group_json(&["--by", "invoice,month", "--usage", "all", october.to_str().unwrap()]));
    let sql = format!(
        "SELECT bill_invoice_id, strftime(line_item_usage_start_date, '%Y-%m'), sum(line_item_unblended_cost) \
         FROM '{}/*.parquet' GROUP BY ALL",
        october.display()
    );
    let Some(want) = duckdb_groups(TEST, &sql) else { return };
    assert_same(&got, &want.into_iter().collect(), "WorkshopCUR October");
}

/// FOCUS 1.3's ContractCommitment dataset is told apart from cost data, with
/// a sentence saying which file to read instead.
#[test]
fn the_contract_commitment_dataset_is_named_not_misread() {
    let Some(root) = shared::real_cur("the_contract_commitment_dataset_is_named_not_misread") else { return };
    for cloud in ["aws", "azure", "gcp"] {
        let path = root.join(SAMPLES).join(format!("FOCUS-1.3/focus_sample_contractcommitment_{cloud}.csv"));
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_ducks")).arg("costs").arg(&path).output().unwrap();
        assert_eq!(output.status.code(), Some(1));
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(said.contains("is a FOCUS 1.3 ContractCommitment dataset"), "{said}");
        assert!(said.contains("ducks reads the cost and usage dataset delivered beside it"), "{said}");
    }
}

/// FOCUS 1.3's other columns about who provides and bills, its corrections
/// and its split costs, grouped on demand as DuckDB groups them; a file with
/// splits says so.
#[test]
fn issuer_host_provider_publisher_charge_class_and_splits_are_duckdbs() {
    const TEST: &str = "issuer_host_provider_publisher_charge_class_and_splits_are_duckdbs";
    let Some(root) = shared::real_cur(TEST) else { return };
    for path in &samples(&root)[3..] {
        for (by, column) in [
            ("invoice-issuer", "InvoiceIssuerName"),
            ("host-provider", "HostProviderName"),
            ("publisher", "PublisherName"),
            ("charge-class", "ChargeClass"),
            ("allocation-method", "AllocatedMethodId"),
            ("allocated-resource", "AllocatedResourceId"),
        ] {
            let got = groups(&group_json(&["--by", by, "--usage", "all", path]));
            let sql = format!(
                "SELECT {column}, sum(BilledCost) FROM read_csv('{path}', nullstr = ['', 'NULL']) GROUP BY ALL"
            );
            let Some(want) = duckdb_groups(TEST, &sql) else { return };
            assert_same(&got, &want.into_iter().collect(), &format!("{path} by {by}"));
        }
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_ducks")).args(["costs", path]).output().unwrap();
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(said.contains("Some costs may be split (AllocatedMethodId)"), "{said}");
    }
}

/// Corrections (FOCUS `ChargeClass = 'Correction'`, as Oracle writes them for
/// an earlier period) are kept in the totals and can be shown apart.
#[test]
fn corrections_are_kept_and_shown_apart() {
    let scratch = crate::support::Scratch::new("corrections");
    let path = scratch.path("oracle.csv");
    std::fs::write(
        &path,
        "BilledCost,ChargeCategory,ChargeClass,ServiceName,BillingCurrency,ChargePeriodStart\n\
         10,Usage,,Compute,USD,2024-01-05T00:00:00Z\n\
         -2.5,Usage,Correction,Compute,USD,2024-01-06T00:00:00Z\n\
         4,Usage,,Storage,USD,2024-01-06T00:00:00Z\n",
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let got = groups(&group_json(&["--by", "charge-class,service", path]));
    let want = BTreeMap::from([
        ("∅ | Compute".to_owned(), 10.0),
        ("Correction | Compute".to_owned(), -2.5),
        ("∅ | Storage".to_owned(), 4.0),
    ]);
    assert_same(&got, &want, "by charge class");
    let total = group_json(&["--by", "service", path])["total"].as_f64().unwrap();
    assert!((total - 11.5).abs() < 1e-12, "corrections count in the total: {total}");
}

/// A folder of three clouds as each delivers: AWS's CUR in Parquet, an Azure
/// FOCUS CSV with a byte-order mark and 28-digit costs billed in EUR, and
/// Oracle-style `.csv.gz` parts of one period with a correction row; read as
/// one folder, each provider in its currency is DuckDB's sum of its files.
#[test]
fn a_multi_cloud_folder_gives_duckdbs_figures_per_provider() {
    use std::io::Write;
    const TEST: &str = "a_multi_cloud_folder_gives_duckdbs_figures_per_provider";
    let scratch = crate::support::Scratch::new("multi-cloud");
    let root = scratch.path("bills");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("public/demo/cur-2024-01.parquet");
    std::fs::create_dir_all(root.join("aws")).unwrap();
    std::fs::copy(&demo, root.join("aws/cur-2024-01.parquet")).unwrap();

    let header = "BilledCost,ChargeCategory,ChargeClass,ServiceName,BillingCurrency,ProviderName,ChargePeriodStart\n";
    std::fs::create_dir_all(root.join("azure")).unwrap();
    let mut azure = String::from("\u{feff}") + header;
    for (i, service) in ["Virtual Machines", "Storage", "Virtual Machines"].iter().enumerate() {
        azure +=
            &format!("12.34567890123456789012345{i}7,Usage,,{service},EUR,Microsoft,2024-01-0{}T00:00:00Z\n", i + 1);
    }
    std::fs::write(root.join("azure/focus-cost.csv"), azure).unwrap();

    let oracle = root.join("oracle/FOCUS Reports/2024/01/05");
    std::fs::create_dir_all(&oracle).unwrap();
    let parts = [
        "3.25,Usage,,Compute,USD,Oracle,2024-01-05T00:00:00Z\n1.5,Usage,,Block Storage,USD,Oracle,2024-01-05T06:00:00Z\n",
        "-0.75,Usage,Correction,Compute,USD,Oracle,2024-01-05T12:00:00Z\n2,Tax,,Compute,USD,Oracle,2024-01-05T12:00:00Z\n",
    ];
    for (i, rows) in parts.iter().enumerate() {
        let file = std::fs::File::create(oracle.join(format!("0001000000123456-0000{}.csv.gz", i + 1))).unwrap();
        let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
        gz.write_all((header.to_owned() + rows).as_bytes()).unwrap();
        gz.finish().unwrap();
    }

    let dir = root.to_str().unwrap();
    let report = group_json(&["--by", "provider,currency", "--usage", "all", dir]);
    assert_eq!(report["files"], 4, "every part of Oracle's period counts: {report}");
    let got = groups(&report);
    let sql = format!(
        "SELECT 'AWS', line_item_currency_code, sum(line_item_unblended_cost) FROM '{dir}/aws/*.parquet' GROUP BY ALL \
         UNION ALL SELECT ProviderName, BillingCurrency, sum(BilledCost) FROM read_csv('{dir}/azure/*.csv') GROUP BY ALL \
         UNION ALL SELECT ProviderName, BillingCurrency, sum(BilledCost) \
         FROM read_csv('{dir}/oracle/*/*/*/*/*.csv.gz', nullstr = '') GROUP BY ALL"
    );
    let Some(want) = duckdb_groups(TEST, &sql) else { return };
    let want: BTreeMap<String, f64> = want.into_iter().collect();
    assert_eq!(want.len(), 3, "{want:?}");
    assert_same(&got, &want, "three clouds in one folder");
    assert!((got["Oracle | USD"] - 6.0).abs() < 1e-12, "the correction and the tax count: {got:?}");
}

/// The same rows with FOCUS 1.0's, 1.2's and 1.3's column sets (DuckDB drops
/// the later versions' columns from the 1.3 sample) give the same figures,
/// and the check names each version.
#[test]
fn the_same_rows_in_three_focus_versions_give_the_same_figures() {
    const TEST: &str = "the_same_rows_in_three_focus_versions_give_the_same_figures";
    let Some(root) = shared::real_cur(TEST) else { return };
    let scratch = crate::support::Scratch::new("focus-versions");
    let source = root.join(SAMPLES).join("FOCUS-1.3/focus_sample_costandusage_azure_1000.csv");
    let since_1_3 = "ServiceProviderName, HostProviderName, ContractApplied, AllocatedMethodId, AllocatedMethodDetails, \
                     AllocatedResourceId, AllocatedResourceName, AllocatedTags";
    let since_1_1 = "InvoiceId, PricingCurrency, PricingCurrencyContractedUnitPrice, PricingCurrencyEffectiveCost, \
                     PricingCurrencyListUnitPrice, BillingAccountType, SubAccountType, ServiceSubcategory, \
                     CommitmentDiscountQuantity, CommitmentDiscountUnit, SkuMeter, SkuPriceDetails, \
                     CapacityReservationId, CapacityReservationStatus";
    let mut figures = Vec::new();
    for (version, dropped) in
        [("1.3", String::new()), ("1.2", since_1_3.to_owned()), ("1.0", format!("{since_1_3}, {since_1_1}"))]
    {
        let path = scratch.path(&format!("focus-{version}.csv"));
        let exclude = if dropped.is_empty() { String::new() } else { format!(" EXCLUDE ({dropped})") };
        let sql = format!(
            "COPY (SELECT *{exclude} FROM read_csv('{}', all_varchar = true)) TO '{}' (HEADER); SELECT 'ok', 1",
            source.display(),
            path.display()
        );
        if duckdb_groups(TEST, &sql).is_none() {
            return;
        }
        let path = path.to_str().unwrap().to_owned();
        let output =
            std::process::Command::new(env!("CARGO_BIN_EXE_ducks")).args(["check", "--json", &path]).output().unwrap();
        let check: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(check["files"][0]["layout"], format!("FOCUS {version}"), "{check}");
        figures.push(groups(&group_json(&["--by", "provider,currency,service", "--usage", "all", &path])));
    }
    assert_same(&figures[1], &figures[0], "1.2 as 1.3");
    assert_same(&figures[2], &figures[0], "1.0 as 1.3");
}

/// The pricing currency as a measure: FOCUS 1.2's `PricingCurrencyEffectiveCost`
/// summed in its own `PricingCurrency` (rows without one: their amortized
/// cost in their billing currency), as DuckDB sums them; the billing
/// currency's figures are unchanged beside it.
#[test]
fn the_pricing_currency_is_a_measure_in_its_own_currency() {
    const TEST: &str = "the_pricing_currency_is_a_measure_in_its_own_currency";
    let Some(root) = shared::real_cur(TEST) else { return };
    for path in samples(&root) {
        let got = groups(&group_json(&["--by", "provider,currency", "--measure", "pricing", "--usage", "all", &path]));
        let provider = if has(&path, "ServiceProviderName") { "ServiceProviderName" } else { "ProviderName" };
        let sql = format!(
            "SELECT {provider}, CASE WHEN PricingCurrencyEffectiveCost IS NOT NULL AND coalesce(PricingCurrency, '') <> '' \
             THEN PricingCurrency ELSE BillingCurrency END, sum(coalesce(PricingCurrencyEffectiveCost, EffectiveCost)) \
             FROM read_csv('{path}', nullstr = ['', 'NULL']) GROUP BY ALL"
        );
        let Some(want) = duckdb_groups(TEST, &sql) else { return };
        let want: BTreeMap<String, f64> = want.into_iter().collect();
        assert!(want.keys().any(|k| k.ends_with("| EUR")), "{path}: the samples price some rows in EUR: {want:?}");
        assert_same(&got, &want, &path);
        // Billed in one currency: the amortized measure is all USD.
        let billed =
            groups(&group_json(&["--by", "provider,currency", "--measure", "amortized", "--usage", "all", &path]));
        assert_eq!(billed.len(), 1, "{billed:?}");
    }
}

/// `ducks invoices`: the files' total per invoice with its issuer, billing
/// period and currency, as DuckDB sums them, three clouds' FOCUS and a CUR
/// month (whose 2018 columns name no issuer) together.
#[test]
fn the_total_per_invoice_with_its_issuer_is_duckdbs() {
    const TEST: &str = "the_total_per_invoice_with_its_issuer_is_duckdbs";
    let Some(root) = shared::real_cur(TEST) else { return };
    let files = samples(&root);
    let october = root.join("cur-legacy-wal/WorkshopCUR/year=2018/month=10");
    let mut args: Vec<&str> = vec!["invoices", "--json"];
    args.extend(files[..3].iter().map(String::as_str));
    args.push(october.to_str().unwrap());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ducks")).args(&args).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let got: BTreeMap<String, f64> = json["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let key =
                ["invoice", "issuer", "period", "currency"].map(|k| r[k].as_str().unwrap().to_owned()).join(" | ");
            (key, r["cost"].as_f64().unwrap())
        })
        .collect();
    let mut want: BTreeMap<String, f64> = BTreeMap::new();
    for path in &files[..3] {
        let sql = format!(
            "SELECT InvoiceId, InvoiceIssuerName, strftime(BillingPeriodStart::TIMESTAMP, '%Y-%m'), BillingCurrency, \
             sum(BilledCost) FROM read_csv('{path}', nullstr = ['', 'NULL']) GROUP BY ALL"
        );
        let Some(rows) = duckdb_groups(TEST, &sql) else { return };
        want.extend(rows);
    }
    let sql = format!(
        "SELECT bill_invoice_id, '', strftime(bill_billing_period_start_date, '%Y-%m'), line_item_currency_code, \
         sum(line_item_unblended_cost) FROM '{}/*.parquet' GROUP BY ALL",
        october.display()
    );
    let Some(rows) = duckdb_groups(TEST, &sql) else { return };
    want.extend(rows);
    assert_eq!(want.len(), 7, "{want:?}");
    assert_same(&got, &want, "per invoice");
}

/// FOCUS 1.3's split rows carry the tags of the resource their cost went to
/// (`AllocatedTags`): grouped by one as DuckDB groups them, the rows without a
/// split as "(not allocated)"; a key no split row has is named with those it has.
#[test]
fn allocated_tags_are_a_dimension() {
    const TEST: &str = "allocated_tags_are_a_dimension";
    let Some(root) = shared::real_cur(TEST) else { return };
    for path in &samples(&root)[3..] {
        let got = groups(&group_json(&["--by", "allocated-tag:workload", "--usage", "all", path]));
        let sql = format!(
            "SELECT json_extract_string(AllocatedTags, '$.workload'), sum(BilledCost) \
             FROM read_csv('{path}', nullstr = ['', 'NULL']) GROUP BY ALL"
        );
        let Some(want) = duckdb_groups(TEST, &sql) else { return };
        let want: BTreeMap<String, f64> = want.into_iter().collect();
        assert!(want.len() > 2, "{path}: {want:?}");
        assert_same(&got, &want, path);
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_ducks"))
            .args(["group", "--by", "allocated-tag:nope", path])
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1));
        assert!(said.contains("no allocated tag \"nope\"; the ones they have:") && said.contains("workload"), "{said}");
    }
}
