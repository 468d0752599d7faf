//! Writes realistic, wide, deterministic legacy CUR Parquet files: the demo data
//! in `public/demo/` and the benchmark files.
//!
//! ```text
//! cargo run --release --example gen_cur -- --rows 1000000 --months 1 --row-group-rows 0 OUT_DIR
//! ```
//!
//! Each month is one file, `cur-YYYY-MM.parquet`, with 110+ columns named as AWS
//! names them for Athena, realistic cardinalities (tens of services and regions,
//! hundreds of usage types, unique line item and resource ids), every line item
//! type, and a column set that changes a little from month to month as real
//! exports do. `--row-group-rows 0` writes one row group per file (common in CUR
//! exports); the costs are exact to 1e-8, like CUR's. `--columns` keeps only the
//! named columns (how `src/browser/warmup.parquet` is made).

#[path = "../tests/engine/random.rs"]
mod random;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, StringBuilder, TimestampMillisecondBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use random::Random;

/// (service code, product name, weight, usage types, operation)
const SERVICES: &[(&str, &str, u32, &[&str], &str)] = &[
    (
        "AmazonEC2",
        "Amazon Elastic Compute Cloud",
        300,
        &[
            "BoxUsage:m5.large",
            "BoxUsage:c5.xlarge",
            "BoxUsage:r6g.2xlarge",
            "EBS:VolumeUsage.gp3",
            "EBS:SnapshotUsage",
            "SpotUsage:m5.xlarge",
            "NatGateway-Hours",
        ],
        "RunInstances",
    ),
    (
        "AmazonS3",
        "Amazon Simple Storage Service",
        180,
        &[
            "TimedStorage-ByteHrs",
            "Requests-Tier1",
            "Requests-Tier2",
            "TimedStorage-INT-FA-ByteHrs",
            "DataTransfer-Out-Bytes",
        ],
        "PutObject",
    ),
    (
        "AWSDataTransfer",
        "AWS Data Transfer",
        120,
        &["DataTransfer-Out-Bytes", "DataTransfer-Regional-Bytes", "DataTransfer-In-Bytes", "CloudFront-Out-Bytes"],
        "InterZone-In",
    ),
    (
        "AmazonRDS",
        "Amazon Relational Database Service",
        90,
        &["InstanceUsage:db.r5.large", "RDS:GP2-Storage", "Multi-AZUsage:db.m5.xlarge", "RDS:ChargedBackupUsage"],
        "CreateDBInstance",
    ),
    ("AWSLambda", "AWS Lambda", 70, &["Lambda-GB-Second", "Request", "Lambda-GB-Second-ARM"], "Invoke"),
    (
        "AmazonCloudWatch",
        "AmazonCloudWatch",
        60,
        &["CW:MetricMonitorUsage", "DataProcessing-Bytes", "TimedStorage-ByteHrs", "CW:Requests"],
        "MetricStorage",
    ),
    ("AWSGlue", "AWS Glue", 40, &["Crawler-DPU-Hour", "ETL-DPU-Hour", "Catalog-Storage"], "Jobrun"),
    (
        "AmazonGuardDuty",
        "Amazon GuardDuty",
        30,
        &["PaidEventsAnalyzed", "PaidS3DataEventsAnalyzed", "PaidFlowLogsAnalyzed"],
        "CloudTrailAnalysis",
    ),
    (
        "AmazonDynamoDB",
        "Amazon DynamoDB",
        45,
        &["ReadCapacityUnit-Hrs", "WriteCapacityUnit-Hrs", "TimedStorage-ByteHrs"],
        "CommittedThroughput",
    ),
    (
        "AmazonVPC",
        "Amazon Virtual Private Cloud",
        40,
        &["VpcEndpoint-Hours", "PublicIPv4:InUseAddress", "VpcEndpoint-Bytes"],
        "CreateVpcEndpoint",
    ),
    (
        "AmazonEKS",
        "Amazon Elastic Container Service for Kubernetes",
        25,
        &["AmazonEKS-Hours:perCluster"],
        "CreateOperation",
    ),
    (
        "AmazonECS",
        "Amazon Elastic Container Service",
        20,
        &["Fargate-vCPU-Hours:perCPU", "Fargate-GB-Hours"],
        "FargateTask",
    ),
    (
        "AmazonCloudFront",
        "Amazon CloudFront",
        35,
        &["DataTransfer-Out-Bytes", "Requests-Tier1", "Invalidations"],
        "GET",
    ),
    ("AmazonRoute53", "Amazon Route 53", 15, &["HostedZone", "DNS-Queries", "Health-Check-AWS"], "Route53"),
    (
        "AmazonElastiCache",
        "Amazon ElastiCache",
        20,
        &["NodeUsage:cache.r6g.large", "NodeUsage:cache.t3.medium"],
        "CreateCacheCluster:0002",
    ),
    ("AmazonRedshift", "Amazon Redshift", 15, &["Node:ra3.4xlarge", "RMS:Storage"], "RunComputeNode:0001"),
    ("AmazonSNS", "Amazon Simple Notification Service", 10, &["Requests-Tier1", "DeliveryAttempts-HTTP"], "Publish"),
    ("AWSQueueService", "Amazon Simple Queue Service", 12, &["Requests-RBP", "Requests-FIFO"], "ReceiveMessage"),
    ("AmazonKinesis", "Amazon Kinesis", 10, &["Storage-ShardHour", "PutRequestPayloadUnits"], "PutRecord"),
    ("AmazonAthena", "Amazon Athena", 12, &["DataScannedInTB"], "StartQueryExecution"),
    ("AWSKMS", "AWS Key Management Service", 10, &["KMS-Requests", "KMS-Keys"], "Decrypt"),
    (
        "AWSSecretsManager",
        "AWS Secrets Manager",
        6,
        &["AWSSecretsManager-Secrets", "AWSSecretsManager-APIRequest"],
        "GetSecretValue",
    ),
    ("AmazonECR", "Amazon EC2 Container Registry (ECR)", 8, &["TimedStorage-ByteHrs"], "PutImage"),
    ("AmazonEFS", "Amazon Elastic File System", 8, &["TimedStorage-ByteHrs", "IATimedStorage-ByteHrs"], "Storage"),
    ("AWSCloudTrail", "AWS CloudTrail", 6, &["PaidEventsRecorded", "DataEventsRecorded"], "None"),
    ("AWSConfig", "AWS Config", 6, &["ConfigurationItemRecorded", "ConfigRuleEvaluations"], "None"),
    (
        "AmazonSageMaker",
        "Amazon SageMaker",
        10,
        &["Notebk:ml.t3.medium", "Train:ml.p3.2xlarge", "Host:ml.m5.large"],
        "RunInstance",
    ),
    (
        "AmazonOpenSearchService",
        "Amazon OpenSearch Service",
        8,
        &["ESInstance:r6g.large", "ES:GP3-Storage"],
        "ESDomain",
    ),
    ("AWSBackup", "AWS Backup", 6, &["WarmStorage-ByteHrs-EBS", "Restore-ByteHrs"], "Storage"),
    ("AmazonSES", "Amazon Simple Email Service", 4, &["Recipients", "AttachmentsSize-Bytes"], "SendEmail"),
    ("AWSStepFunctions", "AWS Step Functions", 4, &["StateTransition"], "StartExecution"),
    ("AmazonApiGateway", "Amazon API Gateway", 8, &["ApiGatewayRequest", "ApiGatewayHttpRequest"], "ApiGatewayRequest"),
    ("AWSShield", "AWS Shield", 3, &["Shield-Monthly-Fee"], "None"),
    ("AWSWAF", "AWS WAF", 4, &["WebACL", "Rule", "Request"], "None"),
    (
        "AmazonMSK",
        "Amazon Managed Streaming for Apache Kafka",
        5,
        &["Kafka.m5.large", "Kafka.Storage.GP2"],
        "RunBroker",
    ),
    ("AWSCostExplorer", "AWS Cost Explorer", 2, &["APIRequest"], "GetCostAndUsage"),
    ("AWSSupportBusiness", "AWS Support (Business)", 2, &["Dollar"], "None"),
    ("AmazonQuickSight", "Amazon QuickSight", 2, &["QS-User-Enterprise-Month"], "None"),
];

/// (type, weight): every line item type a CUR holds, Usage most of all.
const LINE_ITEM_TYPES: &[(&str, u32)] = &[
    ("Usage", 8000),
    ("DiscountedUsage", 500),
    ("SavingsPlanCoveredUsage", 500),
    ("SavingsPlanNegation", 200),
    ("Tax", 200),
    ("EdpDiscount", 200),
    ("Credit", 100),
    ("Fee", 50),
    ("RIFee", 50),
    ("SavingsPlanRecurringFee", 50),
    ("BundledDiscount", 50),
    ("Refund", 20),
    ("SavingsPlanUpfrontFee", 10),
    ("PrivateRateDiscount", 10),
    ("Discount", 10),
];

const REGIONS: &[(&str, &str, &str)] = &[
    ("us-east-1", "USE1", "US East (N. Virginia)"),
    ("us-east-2", "USE2", "US East (Ohio)"),
    ("us-west-2", "USW2", "US West (Oregon)"),
    ("eu-west-1", "EU", "EU (Ireland)"),
    ("eu-central-1", "EUC1", "EU (Frankfurt)"),
    ("eu-west-2", "EUW2", "EU (London)"),
    ("ap-southeast-1", "APS1", "Asia Pacific (Singapore)"),
    ("ap-southeast-2", "APS2", "Asia Pacific (Sydney)"),
    ("ap-northeast-1", "APN1", "Asia Pacific (Tokyo)"),
    ("ap-south-1", "APS3", "Asia Pacific (Mumbai)"),
    ("ca-central-1", "CAN1", "Canada (Central)"),
    ("sa-east-1", "SAE1", "South America (Sao Paulo)"),
    ("eu-north-1", "EUN1", "EU (Stockholm)"),
    ("us-west-1", "USW1", "US West (N. California)"),
    ("global", "", "Global"),
];

const TEAMS: &[&str] = &["platform", "data", "web", "mobile", "ml", "security", "finance", ""];
const ENVIRONMENTS: &[&str] = &["prod", "staging", "dev", "sandbox", ""];

/// The columns every month has, in CUR's order. Each is filled by `value`.
const BASE_COLUMNS: &[&str] = &[
    "identity_line_item_id",
    "identity_time_interval",
    "bill_invoice_id",
    "bill_invoicing_entity",
    "bill_billing_entity",
    "bill_bill_type",
    "bill_payer_account_id",
    "bill_billing_period_start_date",
    "bill_billing_period_end_date",
    "line_item_usage_account_id",
    "line_item_line_item_type",
    "line_item_usage_start_date",
    "line_item_usage_end_date",
    "line_item_product_code",
    "line_item_usage_type",
    "line_item_operation",
    "line_item_availability_zone",
    "line_item_resource_id",
    "line_item_usage_amount",
    "line_item_normalization_factor",
    "line_item_normalized_usage_amount",
    "line_item_currency_code",
    "line_item_unblended_rate",
    "line_item_unblended_cost",
    "line_item_blended_rate",
    "line_item_blended_cost",
    "line_item_line_item_description",
    "line_item_tax_type",
    "line_item_legal_entity",
    "line_item_net_unblended_rate",
    "line_item_net_unblended_cost",
    "product_product_name",
    "product_availability",
    "product_capacitystatus",
    "product_clock_speed",
    "product_current_generation",
    "product_database_engine",
    "product_dedicated_ebs_throughput",
    "product_deployment_option",
    "product_description",
    "product_durability",
    "product_ecu",
    "product_enhanced_networking_supported",
    "product_from_location",
    "product_from_location_type",
    "product_group",
    "product_group_description",
    "product_instance_family",
    "product_instance_type",
    "product_instance_type_family",
    "product_intel_avx2_available",
    "product_licensing_model",
    "product_location",
    "product_location_type",
    "product_marketoption",
    "product_max_iops_burst_performance",
    "product_max_iopsvolume",
    "product_max_throughputvolume",
    "product_memory",
    "product_network_performance",
    "product_normalization_size_factor",
    "product_operating_system",
    "product_operation",
    "product_physical_processor",
    "product_pre_installed_sw",
    "product_processor_architecture",
    "product_processor_features",
    "product_product_family",
    "product_region",
    "product_region_code",
    "product_servicecode",
    "product_servicename",
    "product_sku",
    "product_storage",
    "product_storage_class",
    "product_storage_media",
    "product_tenancy",
    "product_to_location",
    "product_to_location_type",
    "product_transfer_type",
    "product_usagetype",
    "product_vcpu",
    "product_version",
    "product_volume_api_name",
    "product_volume_type",
    "pricing_lease_contract_length",
    "pricing_offering_class",
    "pricing_purchase_option",
    "pricing_rate_code",
    "pricing_rate_id",
    "pricing_currency",
    "pricing_public_on_demand_cost",
    "pricing_public_on_demand_rate",
    "pricing_term",
    "pricing_unit",
    "reservation_amortized_upfront_cost_for_usage",
    "reservation_amortized_upfront_fee_for_billing_period",
    "reservation_effective_cost",
    "reservation_end_time",
    "reservation_modification_status",
    "reservation_normalized_units_per_reservation",
    "reservation_number_of_reservations",
    "reservation_recurring_fee_for_usage",
    "reservation_reservation_a_r_n",
    "reservation_start_time",
    "reservation_subscription_id",
    "reservation_total_reserved_normalized_units",
    "reservation_total_reserved_units",
    "reservation_units_per_reservation",
    "reservation_unused_amortized_upfront_fee_for_billing_period",
    "reservation_unused_normalized_unit_quantity",
    "reservation_unused_quantity",
    "reservation_unused_recurring_fee",
    "reservation_upfront_value",
    "savings_plan_total_commitment_to_date",
    "savings_plan_savings_plan_a_r_n",
    "savings_plan_savings_plan_rate",
    "savings_plan_used_commitment",
    "savings_plan_savings_plan_effective_cost",
    "savings_plan_amortized_upfront_commitment_for_billing_period",
    "savings_plan_recurring_commitment_for_billing_period",
    "resource_tags_user_team",
    "resource_tags_user_environment",
];

/// Month-to-month schema drift, as in real legacy CUR exports: columns that
/// appear from a month on, and one that disappears.
const ADDED_IN_MONTH: &[(usize, &str)] = &[
    (1, "resource_tags_user_cost_center"),
    (1, "resource_tags_aws_created_by"),
    (2, "discount_bundled_discount"),
    (2, "discount_total_discount"),
];
const DROPPED_IN_MONTH: &[(usize, &str)] = &[(2, "product_servicename")];

/// One generated line item; columns derive their values from it.
struct LineItem {
    id: u64,
    service: usize,
    usage_type: usize,
    line_item_type: &'static str,
    account: u64,
    region: usize,
    hour: i64,
    amount: f64,
    cost: f64,
    resource: u64,
    team: usize,
    /// The team tag's value ("" when untagged).
    team_name: &'static str,
    environment: usize,
}

struct Options {
    rows: usize,
    months: usize,
    row_group_rows: usize,
    seed: u64,
    /// Only these columns, when given (the scan workers' warm-up file).
    columns: Option<Vec<String>>,
    /// The dictionary page's limit in bytes, past which a column chunk falls back
    /// to plain pages (the warm-up file has both kinds, as AWS's files do).
    dictionary_page_bytes: Option<usize>,
    /// A fleet of this many resources (0: none): each row belongs to one
    /// resource with a fixed account, region, service, usage types and tags.
    fleet: u64,
    /// Accounts of the fleet.
    accounts: u64,
    out: PathBuf,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        rows: 10_000,
        months: 3,
        row_group_rows: 0,
        seed: 1,
        columns: None,
        dictionary_page_bytes: None,
        fleet: 0,
        accounts: 150,
        out: PathBuf::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            args.next().and_then(|v| v.replace('_', "").parse().ok()).ok_or(format!("{name} needs a number"))
        };
        match arg.as_str() {
            "--rows" => options.rows = number("--rows")? as usize,
            "--months" => options.months = number("--months")?.clamp(1, 12) as usize,
            "--row-group-rows" => options.row_group_rows = number("--row-group-rows")? as usize,
            "--seed" => options.seed = number("--seed")?,
            "--fleet" => options.fleet = number("--fleet")?,
            "--accounts" => options.accounts = number("--accounts")?.max(1),
            "--dictionary-page-bytes" => {
                options.dictionary_page_bytes = Some(number("--dictionary-page-bytes")? as usize)
            }
            "--columns" => {
                let list = args.next().ok_or("--columns needs a comma-separated list")?;
                options.columns = Some(list.split(',').map(str::to_owned).collect());
            }
            _ if arg.starts_with('-') => return Err(format!("unknown option {arg}")),
            _ => options.out = PathBuf::from(arg),
        }
    }
    if options.out.as_os_str().is_empty() {
        return Err("usage: gen_cur [--rows N] [--months M] [--row-group-rows R] [--seed S] [--columns A,B] \
             [--dictionary-page-bytes B] [--fleet N [--accounts A]] OUT_DIR"
            .into());
    }
    Ok(options)
}

fn main() {
    let options = parse_options().unwrap_or_else(|message| {
        eprintln!("{message}");
        std::process::exit(2)
    });
    std::fs::create_dir_all(&options.out).expect("create the output directory");
    for month in 0..options.months {
        let path = options.out.join(format!("cur-2024-{:02}.parquet", month + 1));
        write_month(&path, month, &options);
        println!("{} ({} bytes)", path.display(), std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0));
    }
}

fn columns_of(month: usize) -> Vec<&'static str> {
    let mut columns: Vec<&str> = BASE_COLUMNS
        .iter()
        .copied()
        .filter(|c| !DROPPED_IN_MONTH.iter().any(|&(m, d)| month >= m && d == *c))
        .collect();
    columns.extend(ADDED_IN_MONTH.iter().filter(|&&(m, _)| month >= m).map(|&(_, c)| c));
    columns
}

const BATCH_ROWS: usize = 64 * 1024;

fn write_month(path: &Path, month: usize, options: &Options) {
    let mut names = columns_of(month);
    if let Some(keep) = &options.columns {
        names.retain(|name| keep.iter().any(|k| k == name));
    }
    let fields: Vec<Field> = names.iter().map(|name| Field::new(*name, data_type(name), true)).collect();
    let schema = Arc::new(Schema::new(fields));
    let row_group_rows = if options.row_group_rows == 0 { usize::MAX } else { options.row_group_rows };
    let mut properties = WriterProperties::builder();
    if let Some(bytes) = options.dictionary_page_bytes {
        properties = properties.set_dictionary_page_size_limit(bytes);
    }
    let properties = properties
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(row_group_rows))
        .set_max_row_group_bytes(None)
        .set_created_by("ducks gen_cur (synthetic CUR)".into())
        .build();
    let file = std::fs::File::create(path).expect("create the file");
    let mut writer = ArrowWriter::try_new(file, Arc::clone(&schema), Some(properties)).expect("a writer");
    let mut random = Random::new(options.seed.wrapping_mul(1000).wrapping_add(month as u64));
    let weights: u32 = SERVICES.iter().map(|s| s.2).sum();
    let type_weights: u32 = LINE_ITEM_TYPES.iter().map(|t| t.1).sum();
    let mut done = 0;
    while done < options.rows {
        let count = BATCH_ROWS.min(options.rows - done);
        let items: Vec<LineItem> = (0..count)
            .map(|i| {
                let mut item = line_item(&mut random, (done + i) as u64, weights, type_weights);
                if options.fleet > 0 {
                    of_fleet(&mut item, &mut random, options, weights);
                }
                item
            })
            .collect();
        let arrays: Vec<ArrayRef> = names.iter().map(|name| column(name, &items, month)).collect();
        writer.write(&RecordBatch::try_new(Arc::clone(&schema), arrays).expect("a batch")).expect("write");
        done += count;
    }
    writer.close().expect("finish the file");
}

fn pick_weighted<T>(random: &mut Random, items: &[T], total: u32, weight: impl Fn(&T) -> u32) -> usize {
    let mut ticket = random.below(u64::from(total)) as u32;
    for (index, item) in items.iter().enumerate() {
        let w = weight(item);
        if ticket < w {
            return index;
        }
        ticket -= w;
    }
    items.len() - 1
}

fn line_item(random: &mut Random, id: u64, weights: u32, type_weights: u32) -> LineItem {
    let service = pick_weighted(random, SERVICES, weights, |s| s.2);
    let usage_type = random.below(SERVICES[service].3.len() as u64) as usize;
    let line_item_type = LINE_ITEM_TYPES[pick_weighted(random, LINE_ITEM_TYPES, type_weights, |t| t.1)].0;
    let amount = (random.unit() * 100.0 * 1e6).round() / 1e6;
    // Costs in whole 1e-8 dollars, as CUR writes them: most rows are cents, some are dollars.
    let scale = [1e-4, 1e-2, 1.0, 10.0][random.below(4) as usize];
    let mut cost = (random.unit() * scale * 1e8).round() / 1e8;
    if matches!(
        line_item_type,
        "Credit"
            | "Refund"
            | "EdpDiscount"
            | "SavingsPlanNegation"
            | "BundledDiscount"
            | "PrivateRateDiscount"
            | "Discount"
    ) {
        cost = -cost;
    }
    if matches!(line_item_type, "DiscountedUsage" | "SavingsPlanCoveredUsage") {
        cost = 0.0;
    }
    let mut item = LineItem {
        id,
        service,
        usage_type,
        line_item_type,
        account: 100_000_000_000 + random.below(12) * 7_919,
        region: random.below(REGIONS.len() as u64) as usize,
        hour: random.below(28 * 24) as i64,
        amount,
        cost,
        resource: random.below(50_000),
        team: random.below(TEAMS.len() as u64) as usize,
        team_name: "",
        environment: random.below(ENVIRONMENTS.len() as u64) as usize,
    };
    item.team_name = TEAMS[item.team];
    item
}

/// The teams of a fleet.
const FLEET_TEAMS: [&str; 24] = [
    "payments",
    "search",
    "checkout",
    "identity",
    "platform",
    "data",
    "ml",
    "web",
    "mobile",
    "security",
    "finance",
    "growth",
    "ads",
    "catalog",
    "shipping",
    "support",
    "analytics",
    "infra",
    "media",
    "messaging",
    "risk",
    "pricing",
    "partners",
    "research",
];

/// One number in `[0, 1)` from a resource and a purpose: a resource's facts are
/// fixed whichever of its rows is being written.
fn fact(resource: u64, purpose: u64) -> f64 {
    let mut random = random::Random::new(resource.wrapping_mul(0x2545_f491_4f6c_dd1d) ^ purpose);
    random.unit()
}

/// Makes `item` a line item of one resource of the fleet, as a real
/// organisation's bill is: the resource has one account (a few accounts hold
/// most), one region (mostly two), one service and a few usage types, its cost
/// scale, and its tags, where the team mostly follows the account and 15% of
/// resources are untagged. Every resource has a row when the rows outnumber
/// them; beyond that, a few resources have most rows (hourly instances), the
/// rest fewer (daily storage, sporadic requests).
fn of_fleet(item: &mut LineItem, random: &mut Random, options: &Options, weights: u32) {
    let fleet = options.fleet;
    let resource = if item.id < fleet { item.id } else { (fleet as f64 * random.unit().powi(2)) as u64 };
    let account = (options.accounts as f64 * fact(resource, 1).powi(2)) as u64;
    item.resource = resource;
    item.account = 100_000_000_000 + account * 7_919;
    item.region = [0, 0, 0, 3, 3, 1, 2, 4, 6, 8][(fact(resource, 2) * 10.0) as usize];
    let mut ticket = fact(resource, 3);
    let mut service = SERVICES.len() - 1;
    for (index, s) in SERVICES.iter().enumerate() {
        let share = f64::from(s.2) / f64::from(weights);
        if ticket < share {
            service = index;
            break;
        }
        ticket -= share;
    }
    item.service = service;
    let types = SERVICES[service].3.len() as u64;
    item.usage_type = ((fact(resource, 4) * types as f64) as u64 + random.below(2)) as usize % types as usize;
    let team = if fact(resource, 5) < 0.15 {
        None
    } else if fact(resource, 6) < 0.85 {
        Some(account as usize % FLEET_TEAMS.len())
    } else {
        Some((fact(resource, 7) * FLEET_TEAMS.len() as f64) as usize)
    };
    item.team = team.unwrap_or(FLEET_TEAMS.len());
    item.team_name = team.map_or("", |t| FLEET_TEAMS[t]);
    item.environment = (fact(resource, 8) * ENVIRONMENTS.len() as f64) as usize;
    // Hourly for compute, daily (at midnight) for the rest.
    if service != 0 {
        item.hour -= item.hour % 24;
    }
    // A resource's hourly cost: from a tenth of a cent to tens of dollars.
    let scale = 10f64.powf(-3.0 + 4.5 * fact(resource, 9));
    if item.cost != 0.0 {
        item.cost = (item.cost.signum() * scale * (0.8 + 0.4 * random.unit()) * 1e8).round() / 1e8;
    }
}

fn data_type(name: &str) -> DataType {
    match name {
        // An amount that ends like a date: `savings_plan_total_commitment_to_date`.
        n if n.ends_with("_to_date") => DataType::Float64,
        n if n.ends_with("_date") || n.ends_with("_time") => DataType::Timestamp(TimeUnit::Millisecond, None),
        n if n.ends_with("_cost")
            || n.ends_with("_rate")
            || n.ends_with("_amount")
            || n.ends_with("_factor")
            || n.ends_with("_fee")
            || n.ends_with("_units")
            || n.ends_with("_quantity")
            || n.ends_with("_discount")
            || n.ends_with("_commitment")
            || n.ends_with("_for_usage")
            || n.ends_with("_billing_period")
            || n.ends_with("_value") =>
        {
            DataType::Float64
        }
        _ => DataType::Utf8,
    }
}

/// 2024-01-01T00:00:00Z in milliseconds.
const YEAR_START_MS: i64 = 1_704_067_200_000;
const HOUR_MS: i64 = 3_600_000;

fn month_start(month: usize) -> i64 {
    const DAYS: [i64; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    YEAR_START_MS + DAYS[..month].iter().sum::<i64>() * 24 * HOUR_MS
}

fn column(name: &str, items: &[LineItem], month: usize) -> ArrayRef {
    match data_type(name) {
        DataType::Timestamp(..) => {
            let mut builder = TimestampMillisecondBuilder::new();
            for item in items {
                builder.append_option(timestamp(name, item, month));
            }
            Arc::new(builder.finish())
        }
        DataType::Float64 => {
            let mut builder = Float64Builder::new();
            for item in items {
                builder.append_option(number(name, item));
            }
            Arc::new(builder.finish())
        }
        _ => {
            let mut builder = StringBuilder::new();
            for item in items {
                builder.append_option(text(name, item, month).as_deref());
            }
            Arc::new(builder.finish())
        }
    }
}

fn timestamp(name: &str, item: &LineItem, month: usize) -> Option<i64> {
    let start = month_start(month);
    match name {
        "bill_billing_period_start_date" => Some(start),
        "bill_billing_period_end_date" => Some(month_start(month + 1).min(start + 31 * 24 * HOUR_MS)),
        "line_item_usage_start_date" => Some(start + item.hour * HOUR_MS),
        "line_item_usage_end_date" => Some(start + (item.hour + 1) * HOUR_MS),
        _ => None,
    }
}

fn number(name: &str, item: &LineItem) -> Option<f64> {
    let usage_like = matches!(item.line_item_type, "Usage" | "DiscountedUsage" | "SavingsPlanCoveredUsage");
    match name {
        "line_item_unblended_cost" | "line_item_blended_cost" => Some(item.cost),
        "line_item_net_unblended_cost" => Some((item.cost * 0.97 * 1e8).round() / 1e8),
        "line_item_usage_amount" => Some(item.amount),
        "line_item_unblended_rate" | "line_item_blended_rate" | "line_item_net_unblended_rate" => {
            (item.amount > 0.0).then(|| item.cost / item.amount)
        }
        "line_item_normalization_factor" => Some(if item.service == 0 { 4.0 } else { 0.0 }),
        "line_item_normalized_usage_amount" => Some(if item.service == 0 { item.amount * 4.0 } else { 0.0 }),
        // Usage a commitment paid carries 0 unblended, but AWS still writes its
        // on-demand price: the usage at the public rate.
        "pricing_public_on_demand_cost" => match item.line_item_type {
            "DiscountedUsage" | "SavingsPlanCoveredUsage" => Some((item.amount * 0.096 * 1e8).round() / 1e8),
            _ => usage_like.then_some((item.cost.abs() * 1.1 * 1e8).round() / 1e8),
        },
        "pricing_public_on_demand_rate" => usage_like.then_some(0.096),
        "reservation_effective_cost" => (item.line_item_type == "DiscountedUsage").then_some(item.amount * 0.062),
        "savings_plan_savings_plan_effective_cost" => {
            (item.line_item_type == "SavingsPlanCoveredUsage").then_some(item.amount * 0.071)
        }
        "savings_plan_savings_plan_rate" => (item.line_item_type == "SavingsPlanCoveredUsage").then_some(0.071),
        // A recurring fee's commitment, four fifths of it used: the rest is what amortizing charges.
        "savings_plan_total_commitment_to_date" => {
            (item.line_item_type == "SavingsPlanRecurringFee").then_some(item.cost)
        }
        "savings_plan_used_commitment" => {
            (item.line_item_type == "SavingsPlanRecurringFee").then_some((item.cost * 0.8 * 1e8).round() / 1e8)
        }
        // The unused part of a reservation's fee.
        "reservation_unused_amortized_upfront_fee_for_billing_period" => {
            (item.line_item_type == "RIFee").then_some((item.cost * 0.1 * 1e8).round() / 1e8)
        }
        "reservation_unused_recurring_fee" => {
            (item.line_item_type == "RIFee").then_some((item.cost * 0.15 * 1e8).round() / 1e8)
        }
        _ => None,
    }
}

fn text(name: &str, item: &LineItem, month: usize) -> Option<String> {
    let (code, product, _, usage_types, operation) = SERVICES[item.service];
    let (region, region_prefix, location) = REGIONS[item.region];
    let usage_type = usage_types[item.usage_type];
    let prefixed =
        if region_prefix.is_empty() { usage_type.to_owned() } else { format!("{region_prefix}-{usage_type}") };
    let is_ec2 = code == "AmazonEC2";
    let value: String = match name {
        "identity_line_item_id" => format!("{:016x}{:036x}", item.id.wrapping_mul(0x9e37_79b9_7f4a_7c15), item.id),
        "identity_time_interval" => format!("2024-{:02}-01T00:00:00Z/2024-{:02}-01T00:00:00Z", month + 1, month + 2),
        "bill_invoice_id" => format!("{}", 2_000_000_000 + month),
        "bill_billing_entity" => "AWS".into(),
        "bill_invoicing_entity" | "line_item_legal_entity" => "Amazon Web Services, Inc.".into(),
        "bill_bill_type" => "Anniversary".into(),
        "bill_payer_account_id" => "100000000000".into(),
        "line_item_usage_account_id" => item.account.to_string(),
        "line_item_line_item_type" => item.line_item_type.into(),
        "line_item_product_code" | "product_servicecode" => code.into(),
        "line_item_usage_type" | "product_usagetype" => prefixed,
        "line_item_operation" | "product_operation" => operation.into(),
        "line_item_availability_zone" if region != "global" => {
            format!("{region}{}", ["a", "b", "c"][item.resource as usize % 3])
        }
        "line_item_resource_id" if is_ec2 => format!("i-{:017x}", item.resource),
        "line_item_resource_id" => {
            format!("arn:aws:{}:{region}:{}:resource/{}", code.to_lowercase(), item.account, item.resource)
        }
        "line_item_currency_code" | "pricing_currency" => "USD".into(),
        "line_item_line_item_description" => match item.line_item_type {
            "Tax" => format!("Tax for product code {code}"),
            "Credit" => "AWS Promotional Credit".into(),
            "EdpDiscount" => "Enterprise Discount Program Discount".into(),
            "SavingsPlanNegation" => "SavingsPlanNegation used by AccountId".into(),
            _ => format!("$0.096 per {usage_type} in {location}"),
        },
        "line_item_tax_type" if item.line_item_type == "Tax" => "VAT".into(),
        "product_product_name" | "product_servicename" => product.into(),
        "product_region" | "product_region_code" => region.into(),
        "product_location" => location.into(),
        "product_location_type" if region == "global" => "Other".into(),
        "product_location_type" => "AWS Region".into(),
        "product_sku" => format!(
            "{:X}",
            (item.service * 1_000_003 + item.usage_type * 7_919 + item.region * 104_729) as u64 * 2_654_435_761
        ),
        "product_product_family" => ["Compute Instance", "Storage", "Data Transfer", "API Request", "Storage Snapshot"]
            [item.usage_type % 5]
            .into(),
        "product_instance_type" | "product_instance_type_family" | "product_instance_family" if is_ec2 => {
            usage_type.split(':').nth(1).unwrap_or("m5.large").into()
        }
        "product_vcpu" if is_ec2 => ["2", "4", "8"][item.usage_type % 3].into(),
        "product_memory" if is_ec2 => ["8 GiB", "16 GiB", "64 GiB"][item.usage_type % 3].into(),
        "product_operating_system" if is_ec2 => "Linux".into(),
        "product_tenancy" if is_ec2 => "Shared".into(),
        "product_storage_class" if code == "AmazonS3" => "General Purpose".into(),
        "pricing_term" if item.line_item_type == "DiscountedUsage" => "Reserved".into(),
        "pricing_term" => "OnDemand".into(),
        "pricing_unit" => ["Hrs", "GB-Mo", "GB", "Requests", "Lambda-GB-Second"][item.usage_type % 5].into(),
        "pricing_rate_code" => format!("{:X}.JRTCKXETXF.6YS6EN2CT7", item.service * 31 + item.usage_type),
        "pricing_rate_id" => format!("{}", 30_000_000_000u64 + (item.service * 97 + item.usage_type) as u64),
        "pricing_offering_class" if item.line_item_type == "DiscountedUsage" => "standard".into(),
        "pricing_purchase_option" if item.line_item_type == "DiscountedUsage" => "No Upfront".into(),
        "pricing_lease_contract_length" if item.line_item_type == "DiscountedUsage" => "1yr".into(),
        "reservation_reservation_a_r_n" | "reservation_subscription_id"
            if matches!(item.line_item_type, "DiscountedUsage" | "RIFee")
                || item.line_item_type == "Fee" && item.resource.is_multiple_of(2) =>
        {
            // A few reservations and plans bought by the payer, as an organisation
            // holds them: their fees and the usage they cover share one ARN.
            format!("arn:aws:ec2:us-east-1:111111111111:reserved-instances/{:08x}", item.resource % 4)
        }
        "savings_plan_savings_plan_a_r_n" if item.line_item_type.starts_with("SavingsPlan") => {
            format!("arn:aws:savingsplans::111111111111:savingsplan/{:08x}", item.resource % 3)
        }
        "resource_tags_user_team" if !item.team_name.is_empty() => item.team_name.into(),
        "resource_tags_user_environment" if !ENVIRONMENTS[item.environment].is_empty() => {
            ENVIRONMENTS[item.environment].into()
        }
        "resource_tags_user_cost_center" => format!("CC-{}", 100 + item.team * 10),
        "resource_tags_aws_created_by" => format!("AssumedRole:AROA{:012X}:ci", item.account % 4),
        "product_from_location" if code == "AWSDataTransfer" => location.into(),
        "product_to_location" if code == "AWSDataTransfer" => "External".into(),
        "product_transfer_type" if code == "AWSDataTransfer" => "AWS Outbound".into(),
        _ => return None,
    };
    Some(value)
}
