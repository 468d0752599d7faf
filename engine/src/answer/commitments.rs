//! Whether the commitments pay: per Savings Plan and Reserved Instance, what
//! it cost for the period, how much of it was used (utilization) and what was
//! wasted, what the usage it covered would have cost on demand (savings), and
//! when it ends, with those ending within 30, 60 and 90 days of the files' last day;
//! and coverage: of the usage a commitment could cover, the share that was.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::fold::commitments::{CommitmentKind, CommitmentSums, Commitments};
use crate::fold::cube::Cube;
use crate::fold::kernel::COVERED_TYPES;
use crate::fold::sum::CompensatedSum;
use crate::vocab::dates::{NO_DAY, format_day, format_month};
use crate::vocab::dimension::{Dimension, Measure};

/// Days after the files' last day within which an end counts as soon, in steps.
pub const EXPIRY_STEPS: [i64; 3] = [30, 60, 90];

/// One commitment over the months the files hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitmentRow {
    /// A reservation or a Savings Plan.
    pub kind: CommitmentKind,
    /// Its ARN.
    pub arn: String,
    /// The currency of its amounts.
    pub currency: String,
    /// What it cost (amortized) over the months read.
    pub commitment: f64,
    /// What of it was used.
    pub used: f64,
    /// What went unused: the waste.
    pub unused: f64,
    /// `used ÷ commitment`; `None` when the files hold no fee of it.
    pub utilization: Option<f64>,
    /// The usage it covered, at its effective cost.
    pub effective: f64,
    /// The same usage at public on-demand prices.
    pub on_demand: f64,
    /// `on_demand − commitment`: what it saved against paying on demand;
    /// `None` when the files hold none of its fees (no commitment to weigh).
    pub savings: Option<f64>,
    /// `1 − commitment ÷ on_demand`; `None` without fees or priced usage.
    pub savings_rate: Option<f64>,
    /// Rows of usage it covered.
    pub covered_rows: u64,
    /// Its last day (`2019-04-24`), where the files say.
    pub ends: Option<String>,
    /// Days from the files' last day to its end (negative: already ended).
    pub ends_in_days: Option<i64>,
    /// Per month (`2018-10`): its commitment and what went unused.
    pub months: Vec<(String, f64, f64)>,
    /// Per day (`2018-10-01`): the same (a reservation's monthly fee spread
    /// over the month's days).
    pub days: Vec<(String, f64, f64)>,
    /// The resources whose usage it paid, the most (at its effective cost)
    /// first, at most [`RESOURCES_SHOWN`].
    #[serde(default)]
    pub resources: Vec<PaidResource>,
    /// How many resources it paid for in all (usage without a resource id counts as one).
    #[serde(default)]
    pub resources_count: usize,
}

/// How many of the resources a commitment paid for its row lists.
pub const RESOURCES_SHOWN: usize = 20;

/// The usage a commitment paid for one resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaidResource {
    /// The resource's id; empty for usage without one.
    pub resource: String,
    /// The account whose usage it was.
    pub account: String,
    /// At the commitment's effective cost.
    pub effective: f64,
    /// At public on-demand prices.
    pub on_demand: f64,
    /// Rows.
    pub rows: u64,
}

/// All commitments of one currency together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitmentTotal {
    /// The currency.
    pub currency: String,
    /// Summed over its commitments, as in [`CommitmentRow`].
    pub commitment: f64,
    /// Used.
    pub used: f64,
    /// Unused.
    pub unused: f64,
    /// `used ÷ commitment`.
    pub utilization: Option<f64>,
    /// Covered usage on demand.
    pub on_demand: f64,
    /// `on_demand − commitment`, over the commitments whose fees the files hold.
    pub savings: f64,
    /// `1 − commitment ÷ on_demand`, over the same.
    pub savings_rate: Option<f64>,
    /// Per day (`2018-10-01`): the commitments' cost and what went unused.
    pub days: Vec<(String, f64, f64)>,
}

/// The commitments report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CommitmentReport {
    /// The first and last day of the files' usage (`2018-10-01`).
    pub span: Option<(String, String)>,
    /// Every commitment, the largest commitment first.
    pub commitments: Vec<CommitmentRow>,
    /// One total per currency, the largest first.
    pub totals: Vec<CommitmentTotal>,
}

impl CommitmentReport {
    /// What to say of commitments that paid for usage in the files with no
    /// fee row of theirs there: their use and savings cannot be known. Said
    /// by the tab and by `ducks commitments` alike; `None` when there is none.
    pub fn without_fee(&self) -> Option<String> {
        let count = self.commitments.iter().filter(|c| c.utilization.is_none() && c.covered_rows > 0).count();
        let (them, have, it) = match count {
            0 => return None,
            1 => ("1 commitment".to_owned(), "has", "it"),
            n => (format!("{n} commitments"), "have", "they"),
        };
        Some(format!(
            "{them} paid for usage in these files but {have} no fee row in them (RIFee, SavingsPlanRecurringFee; \
             FOCUS Unused rows), so what {it} used and saved is unknown: add the month whose bill holds the fee"
        ))
    }

    /// The commitments ending within `days` of the files' last day (and not before it).
    pub fn ending_within(&self, days: i64) -> impl Iterator<Item = &CommitmentRow> {
        self.commitments.iter().filter(move |c| c.ends_in_days.is_some_and(|d| (0..=days).contains(&d)))
    }
}

/// The report of what the files' commitments did.
pub fn commitment_report(commitments: &Commitments) -> CommitmentReport {
    let mut rows: Vec<CommitmentRow> = Vec::new();
    let last = commitments.span.map(|(_, last)| last);
    let mut current: Option<(CommitmentKind, String, String)> = None;
    let mut sums = CommitmentSums::default();
    let mut per_month: Vec<(String, f64, f64)> = Vec::new();
    let mut per_day: Vec<(String, f64, f64)> = Vec::new();
    // Per currency and day, over every commitment: (commitment, unused).
    let mut daily: BTreeMap<(String, i32), (CompensatedSum, CompensatedSum)> = BTreeMap::new();
    let mut flush = |key: &Option<(CommitmentKind, String, String)>,
                     sums: &CommitmentSums,
                     per_month: &mut Vec<(String, f64, f64)>,
                     per_day: &mut Vec<(String, f64, f64)>| {
        let Some((kind, arn, currency)) = key.clone() else { return };
        let commitment = sums.commitment.value();
        let unused = sums.unused.value();
        let on_demand = sums.on_demand.value();
        let has_fee = sums.commitment != CompensatedSum::default();
        rows.push(CommitmentRow {
            kind,
            arn,
            currency,
            commitment,
            used: commitment - unused,
            unused,
            utilization: (has_fee && commitment != 0.0).then(|| (commitment - unused) / commitment),
            effective: sums.effective.value(),
            on_demand,
            savings: has_fee.then_some(on_demand - commitment),
            savings_rate: (has_fee && on_demand != 0.0).then(|| 1.0 - commitment / on_demand),
            covered_rows: sums.covered_rows,
            ends: sums.ends.map(format_day),
            ends_in_days: sums.ends.zip(last).map(|(end, last)| i64::from(end) - i64::from(last)),
            months: std::mem::take(per_month),
            days: std::mem::take(per_day),
            resources: Vec::new(),
            resources_count: 0,
        });
    };
    // The cells come in key order: a commitment's days one after another.
    for ((kind, arn, currency, day), cell) in &commitments.cells {
        let key = Some((*kind, arn.clone(), currency.clone()));
        if key != current {
            flush(&current, &sums, &mut per_month, &mut per_day);
            current = key;
            sums = CommitmentSums::default();
        }
        sums.commitment.merge(&cell.commitment);
        sums.unused.merge(&cell.unused);
        sums.effective.merge(&cell.effective);
        sums.on_demand.merge(&cell.on_demand);
        sums.covered_rows += cell.covered_rows;
        sums.ends = sums.ends.max(cell.ends);
        let (commitment, unused) = (cell.commitment.value(), cell.unused.value());
        let month = if *day == NO_DAY { String::new() } else { format_month(*day) };
        match per_month.last_mut() {
            Some((last, c, u)) if *last == month => {
                *c += commitment;
                *u += unused;
            }
            _ => per_month.push((month, commitment, unused)),
        }
        if *day != NO_DAY {
            per_day.push((format_day(*day), commitment, unused));
            let total = daily.entry((currency.clone(), *day)).or_default();
            total.0.merge(&cell.commitment);
            total.1.merge(&cell.unused);
        }
    }
    flush(&current, &sums, &mut per_month, &mut per_day);
    // What each paid, per resource: the covered cells come in key order, one commitment's together.
    let mut paid: BTreeMap<(CommitmentKind, &str, &str), Vec<PaidResource>> = BTreeMap::new();
    for ((kind, arn, currency, resource, account), sums) in &commitments.covered {
        paid.entry((*kind, arn, currency)).or_default().push(PaidResource {
            resource: resource.clone(),
            account: account.clone(),
            effective: sums.effective.value(),
            on_demand: sums.on_demand.value(),
            rows: sums.rows,
        });
    }
    for row in &mut rows {
        if let Some(mut resources) = paid.remove(&(row.kind, row.arn.as_str(), row.currency.as_str())) {
            resources.sort_by(|a, b| b.effective.total_cmp(&a.effective).then_with(|| a.resource.cmp(&b.resource)));
            row.resources_count = resources.len();
            resources.truncate(RESOURCES_SHOWN);
            row.resources = resources;
        }
    }
    rows.sort_by(|a, b| b.commitment.total_cmp(&a.commitment).then_with(|| a.arn.cmp(&b.arn)));

    let mut currencies: Vec<&str> = rows.iter().map(|r| r.currency.as_str()).collect();
    currencies.sort_unstable();
    currencies.dedup();
    let mut totals: Vec<CommitmentTotal> = currencies
        .into_iter()
        .map(|currency| {
            let of = |f: fn(&CommitmentRow) -> f64| {
                rows.iter().filter(|r| r.currency == currency).map(f).collect::<CompensatedSum>().value()
            };
            let (commitment, unused, on_demand) = (of(|r| r.commitment), of(|r| r.unused), of(|r| r.on_demand));
            let weighed = of(|r| if r.savings.is_some() { r.on_demand } else { 0.0 });
            CommitmentTotal {
                currency: currency.to_owned(),
                commitment,
                used: commitment - unused,
                unused,
                utilization: (commitment != 0.0).then(|| (commitment - unused) / commitment),
                on_demand,
                savings: weighed - commitment,
                savings_rate: (weighed != 0.0).then(|| 1.0 - commitment / weighed),
                days: daily
                    .range((currency.to_owned(), i32::MIN)..=(currency.to_owned(), i32::MAX))
                    .map(|((_, day), (c, u))| (format_day(*day), c.value(), u.value()))
                    .collect(),
            }
        })
        .collect();
    totals.sort_by(|a, b| b.commitment.total_cmp(&a.commitment));
    CommitmentReport {
        span: commitments.span.map(|(first, last)| (format_day(first), format_day(last))),
        commitments: rows,
        totals,
    }
}

/// The services a Savings Plan or a reservation can cover.
const ELIGIBLE_SERVICES: [&str; 11] = [
    "AmazonEC2",
    "AWSLambda",
    "AmazonECS",
    "AmazonEKS",
    "AmazonRDS",
    "AmazonElastiCache",
    "AmazonRedshift",
    "AmazonES",
    "AmazonOpenSearchService",
    "AmazonSageMaker",
    "AmazonMemoryDB",
];

/// The usage types of compute time, which commitments cover (instance hours,
/// Fargate, Lambda duration, SageMaker instances); Spot usage is not covered.
const COMPUTE_USAGE: [&str; 9] = [
    "BoxUsage",
    "DedicatedUsage",
    "HostUsage",
    "InstanceUsage",
    "Multi-AZUsage",
    "NodeUsage",
    "Fargate",
    "Lambda-GB-Second",
    "ml.",
];

/// Whether usage of `service` and `usage_type` is of a kind a commitment can
/// cover: compute time of the services that Savings Plans (Compute: EC2,
/// Fargate, Lambda; SageMaker) and reservations (EC2, RDS, ElastiCache,
/// Redshift, OpenSearch, MemoryDB) apply to. Which commitment applies to which
/// instance (family, region, platform) is AWS's matching, not checked here.
pub fn eligible(service: &str, usage_type: &str) -> bool {
    ELIGIBLE_SERVICES.contains(&service)
        && COMPUTE_USAGE.iter().any(|kind| usage_type.contains(kind))
        && !usage_type.contains("SpotUsage")
}

/// The instance family of a usage type: `BoxUsage:m5.large` is `m5`,
/// `InstanceUsage:db.r5.large` is `db.r5`; one without an instance is its
/// usage less the region's prefix (`USE1-Lambda-GB-Second` is `Lambda-GB-Second`).
pub fn family(usage_type: &str) -> &str {
    let region_prefix =
        |region: &str| region.len() <= 5 && region.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    match usage_type.split_once(':') {
        Some((_, instance)) => instance.rsplit_once('.').map_or(instance, |(family, _)| family),
        None => {
            usage_type.split_once('-').filter(|(region, _)| region_prefix(region)).map_or(usage_type, |(_, rest)| rest)
        }
    }
}

/// How coverage is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CoverageBy {
    /// By service.
    Service,
    /// By region.
    Region,
    /// By account.
    Account,
    /// By instance family (from the usage type).
    Family,
}

impl CoverageBy {
    /// Every grouping, in the order a picker offers them.
    pub const ALL: [CoverageBy; 4] = [CoverageBy::Service, CoverageBy::Region, CoverageBy::Account, CoverageBy::Family];

    /// A short stable name, for the command line and the picker.
    pub fn key(self) -> &'static str {
        match self {
            CoverageBy::Service => "service",
            CoverageBy::Region => "region",
            CoverageBy::Account => "account",
            CoverageBy::Family => "family",
        }
    }

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            CoverageBy::Service => "Service",
            CoverageBy::Region => "Region",
            CoverageBy::Account => "Account",
            CoverageBy::Family => "Instance family",
        }
    }

    /// The grouping with this [`key`](Self::key).
    pub fn from_key(key: &str) -> Option<CoverageBy> {
        CoverageBy::ALL.into_iter().find(|by| by.key() == key)
    }
}

/// One group's coverage, at on-demand prices, in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageRow {
    /// The group ("" where the files leave it blank; "" for a currency's total).
    pub key: String,
    /// The currency.
    pub currency: String,
    /// Usage commitments covered, at its public on-demand price.
    pub covered: f64,
    /// Eligible usage paid on demand (its unblended cost).
    pub uncovered: f64,
    /// `covered ÷ (covered + uncovered)`.
    pub coverage: Option<f64>,
}

/// Coverage per group (the largest eligible spend first) and per currency.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// Per group and currency.
    pub groups: Vec<CoverageRow>,
    /// Per currency.
    pub totals: Vec<CoverageRow>,
}

/// Of the usage a commitment could cover ([`eligible`]), the share that was
/// covered (DiscountedUsage, SavingsPlanCoveredUsage, at their on-demand price)
/// and what ran on demand, per `by`, from the explorer's cube.
pub fn coverage(cube: &Cube, by: CoverageBy) -> Coverage {
    let slot = |dimension: Dimension| dimension.slot().unwrap_or_default();
    let (kind, service, usage_type, currency) = (
        slot(Dimension::LineItemType),
        slot(Dimension::Service),
        slot(Dimension::UsageType),
        slot(Dimension::Currency),
    );
    let group_slot = match by {
        CoverageBy::Service => service,
        CoverageBy::Region => slot(Dimension::Region),
        CoverageBy::Account => slot(Dimension::Account),
        CoverageBy::Family => usage_type,
    };
    let mut sums: BTreeMap<(String, String), (CompensatedSum, CompensatedSum)> = BTreeMap::new();
    for i in 0..cube.len() {
        let cell = cube.at(i);
        let label = |slot: usize| cube.labels(slot)[cell.labels[slot] as usize].as_str();
        let line_item_type = label(kind);
        let covered = COVERED_TYPES.contains(&line_item_type);
        let on_demand = line_item_type == "Usage" && eligible(label(service), label(usage_type));
        if !covered && !on_demand {
            continue;
        }
        let key = match by {
            CoverageBy::Family => family(label(usage_type)).to_owned(),
            _ => label(group_slot).to_owned(),
        };
        let sum = sums.entry((key, label(currency).to_owned())).or_default();
        if covered {
            sum.0.merge(cube.sum(i, Measure::List));
        } else {
            sum.1.merge(cube.sum(i, Measure::Unblended));
        }
    }
    let row = |key: String, currency: String, covered: f64, uncovered: f64| CoverageRow {
        key,
        currency,
        covered,
        uncovered,
        coverage: (covered + uncovered != 0.0).then(|| covered / (covered + uncovered)),
    };
    let mut per_currency: BTreeMap<String, (CompensatedSum, CompensatedSum)> = BTreeMap::new();
    let mut groups: Vec<CoverageRow> = sums
        .into_iter()
        .map(|((key, currency), (covered, uncovered))| {
            let total = per_currency.entry(currency.clone()).or_default();
            total.0.merge(&covered);
            total.1.merge(&uncovered);
            row(key, currency, covered.value(), uncovered.value())
        })
        .collect();
    let spend = |r: &CoverageRow| r.covered + r.uncovered;
    groups.sort_by(|a, b| spend(b).total_cmp(&spend(a)).then_with(|| a.key.cmp(&b.key)));
    let mut totals: Vec<CoverageRow> = per_currency
        .into_iter()
        .map(|(currency, (covered, uncovered))| row(String::new(), currency, covered.value(), uncovered.value()))
        .collect();
    totals.sort_by(|a, b| spend(b).total_cmp(&spend(a)));
    Coverage { groups, totals }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::dates::day_of;

    fn sums(commitment: f64, unused: f64, on_demand: f64, ends: Option<i32>) -> CommitmentSums {
        let mut sums = CommitmentSums { ends, ..CommitmentSums::default() };
        sums.commitment.add(commitment);
        sums.unused.add(unused);
        sums.on_demand.add(on_demand);
        sums.effective.add(commitment - unused);
        sums.covered_rows = 10;
        sums
    }

    #[test]
    fn a_commitment_without_its_fee_is_said() {
        let mut commitments = Commitments::default();
        let day = day_of(2018, 10, 1);
        let key = |arn: &str| (CommitmentKind::Reservation, arn.to_owned(), "USD".to_owned(), day);
        commitments.cells.insert(key("arn:with-fee"), sums(100.0, 20.0, 150.0, None));
        assert_eq!(commitment_report(&commitments).without_fee(), None);
        // Usage it paid, and no fee row: its use is unknown, and said once.
        commitments.cells.insert(key("arn:no-fee"), sums(0.0, 0.0, 30.0, None));
        commitments.cells.get_mut(&key("arn:no-fee")).unwrap().commitment = CompensatedSum::default();
        let report = commitment_report(&commitments);
        let said = report.without_fee().unwrap();
        assert!(said.starts_with("1 commitment paid for usage in these files but has no fee row"), "{said}");
        assert_eq!(report.commitments.iter().find(|c| c.arn == "arn:no-fee").unwrap().utilization, None);
    }

    #[test]
    fn utilization_savings_and_what_ends_soon() {
        let mut commitments =
            Commitments { span: Some((day_of(2018, 10, 1), day_of(2018, 11, 30))), ..Commitments::default() };
        let (oct, nov) = (day_of(2018, 10, 1), day_of(2018, 11, 1));
        let ri = |month| (CommitmentKind::Reservation, "arn:ri".to_owned(), "USD".to_owned(), month);
        commitments.cells.insert(ri(oct), sums(100.0, 20.0, 150.0, Some(day_of(2018, 12, 20))));
        commitments.cells.insert(ri(nov), sums(100.0, 0.0, 150.0, Some(day_of(2018, 12, 20))));
        let plan = (CommitmentKind::SavingsPlan, "arn:sp".to_owned(), "USD".to_owned(), nov);
        commitments.cells.insert(plan, sums(50.0, 25.0, 40.0, Some(day_of(2021, 1, 1))));
        let copy: Commitments = serde_json::from_str(&serde_json::to_string(&commitments).unwrap()).unwrap();
        assert_eq!(copy, commitments, "it travels between workers and the page");

        let report = commitment_report(&commitments);
        let ri = &report.commitments[0];
        assert_eq!((ri.arn.as_str(), ri.commitment, ri.used, ri.unused), ("arn:ri", 200.0, 180.0, 20.0));
        assert_eq!(ri.utilization, Some(0.9));
        assert_eq!((ri.on_demand, ri.savings), (300.0, Some(100.0)));
        assert!((ri.savings_rate.unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!((ri.ends.as_deref(), ri.ends_in_days), (Some("2018-12-20"), Some(20)));
        assert_eq!(ri.months, [("2018-10".to_owned(), 100.0, 20.0), ("2018-11".to_owned(), 100.0, 0.0)]);
        assert_eq!(ri.days.len(), 2, "one cell a day");
        let plan = &report.commitments[1];
        assert_eq!(
            (plan.utilization, plan.savings),
            (Some(0.5), Some(-10.0)),
            "a plan half used costs more than on demand"
        );
        let mut unpaid = commitments.clone();
        let usage_only = (CommitmentKind::SavingsPlan, "arn:free".to_owned(), "USD".to_owned(), nov);
        unpaid
            .cells
            .insert(usage_only, CommitmentSums { on_demand: [5.0].into_iter().collect(), ..CommitmentSums::default() });
        let free = commitment_report(&unpaid);
        let row = free.commitments.iter().find(|c| c.arn == "arn:free").unwrap();
        assert_eq!((row.savings, row.utilization), (None, None), "no fee in the files: nothing to weigh");
        assert_eq!(free.totals[0].savings, 90.0, "and it does not count as saved");
        assert_eq!(report.ending_within(30).map(|c| c.arn.as_str()).collect::<Vec<_>>(), ["arn:ri"]);
        assert_eq!(report.ending_within(90).count(), 1);
        let total = &report.totals[0];
        assert_eq!((total.commitment, total.unused, total.on_demand, total.savings), (250.0, 45.0, 340.0, 90.0));
        assert_eq!(report.span, Some(("2018-10-01".to_owned(), "2018-11-30".to_owned())));
    }

    #[test]
    fn what_commitments_can_cover_and_families() {
        assert!(eligible("AmazonEC2", "USE1-BoxUsage:m5.large"));
        assert!(eligible("AmazonRDS", "InstanceUsage:db.r5.large"));
        assert!(eligible("AWSLambda", "USE1-Lambda-GB-Second"));
        assert!(!eligible("AmazonEC2", "USE1-SpotUsage:m5.large"), "Spot is not covered");
        assert!(!eligible("AmazonEC2", "USE1-EBS:VolumeUsage.gp2"), "storage is not compute");
        assert!(!eligible("AmazonS3", "TimedStorage-ByteHrs"));
        assert_eq!(family("USE1-BoxUsage:m5.large"), "m5");
        assert_eq!(family("InstanceUsage:db.r5.large"), "db.r5");
        assert_eq!(family("USE1-Lambda-GB-Second"), "Lambda-GB-Second");
        assert_eq!(family("Lambda-GB-Second"), "Lambda-GB-Second");
    }
}
