//! From merged tallies to the figures people read: per-service undiscounted and
//! discounted cost, and the blended discount rate.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::fold::cube::Cube;
use crate::fold::kernel::COVERED_TYPES;
use crate::fold::sum::CompensatedSum;
use crate::fold::tally::{CellKey, Tally};
use crate::schema::catalogue::ASSUMED_CURRENCY;
use crate::settings::discounts::Discounts;
use crate::settings::usage::UsageRule;
use crate::vocab::dimension::{Dimension, Measure};

/// The figures of the costs page and of `ducks costs --json`.
///
/// Amounts in different currencies are never added: each service row is of one
/// currency, and each currency has its own [`Total`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostReport {
    /// Files read.
    pub files: usize,
    /// Rows read, of every line item type.
    pub rows: u64,
    /// Rows that count as usage.
    pub usage_rows: u64,
    /// Usage rows whose cost was null (counted as 0).
    pub null_costs: u64,
    /// The currency of every amount, or `None` when the files mix currencies.
    pub currency: Option<String>,
    /// Per (service, currency) with usage rows: by currency (the one with the
    /// largest total first), then undiscounted cost (highest first), then name.
    pub services: Vec<ServiceCost>,
    /// The totals over all services, when there is one currency (`None` when the
    /// files mix currencies: see `totals`).
    pub total: Option<Total>,
    /// One total per currency, the largest first.
    pub totals: Vec<Total>,
    /// Per currency, the usage a commitment paid (Reserved Instances'
    /// `DiscountedUsage`, Savings Plans' `SavingsPlanCoveredUsage`): 0 unblended,
    /// so left out of "undiscounted" unless counted at its on-demand price.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub covered: Vec<Covered>,
    /// Per currency, the counted rows whose service code was empty and whose
    /// service is their product code (EC2 Spot usage, for one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fell_back: Vec<FellBack>,
}

/// Usage paid by a commitment, in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Covered {
    /// The currency.
    pub currency: String,
    /// Its rows.
    pub rows: u64,
    /// What they would have cost at public on-demand prices (of the rows with a price).
    pub on_demand: f64,
    /// Rows with no on-demand price (the files lack the column, or leave it blank).
    pub unpriced: u64,
    /// Whether the costs page counts them (at their on-demand price).
    pub counted: bool,
    /// Whether their on-demand price was looked for (the costs scan alone does
    /// not read it: the explorer's cube does, and the command line's covered scan).
    #[serde(default)]
    pub priced: bool,
}

/// Counted rows named by their product code, in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FellBack {
    /// The currency.
    pub currency: String,
    /// Their rows.
    pub rows: u64,
    /// Their cost.
    pub cost: f64,
    /// The product codes they were counted under, most cost first.
    pub services: Vec<String>,
    /// Whether they are counted as "(none)" instead (the original service's rule).
    pub as_none: bool,
}

/// One service's figures in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceCost {
    /// The service as written in the files ("" when the files leave it empty).
    pub service: String,
    /// The currency of its amounts.
    pub currency: String,
    /// Its display name (`Amazon Elastic Compute Cloud`), where the files carry one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Sum of the cost of its usage rows.
    pub undiscounted: f64,
    /// Its discount multiplier.
    pub multiplier: f64,
    /// `undiscounted × multiplier`.
    pub discounted: f64,
    /// `discounted / undiscounted`, which is the multiplier; kept as the multiplier
    /// itself so it carries no rounding noise and exists when nothing was spent.
    pub rate: f64,
}

/// Totals over every service of one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Total {
    /// The currency.
    pub currency: String,
    /// Sum of the services' undiscounted costs.
    pub undiscounted: f64,
    /// Sum of the services' discounted costs.
    pub discounted: f64,
    /// `discounted / undiscounted`, or `None` when nothing was spent.
    pub blended_rate: Option<f64>,
}

impl Covered {
    /// What a person should know about these rows, amounts written by `money`.
    pub fn sentence(&self, money: impl Fn(f64, &str) -> String) -> String {
        let rows = crate::vocab::format::count(self.rows);
        let unpriced = match self.unpriced {
            0 => String::new(),
            n if n == self.rows => " (the files give them no on-demand price)".to_owned(),
            n => format!(" ({} of them have no on-demand price)", crate::vocab::format::count(n)),
        };
        if !self.priced {
            return format!(
                "{rows} usage rows paid by Reserved Instances or Savings Plans carry no unblended cost and are not in “undiscounted”."
            );
        }
        if self.counted {
            format!(
                "{rows} usage rows paid by Reserved Instances or Savings Plans are counted at their public on-demand price, {}{unpriced}.",
                money(self.on_demand, &self.currency)
            )
        } else {
            format!(
                "{rows} usage rows paid by Reserved Instances or Savings Plans carry no unblended cost and are not in “undiscounted”: at public on-demand prices they cost {}{unpriced}.",
                money(self.on_demand, &self.currency)
            )
        }
    }
}

impl FellBack {
    /// What a person should know about these rows, amounts written by `money`.
    pub fn sentence(&self, money: impl Fn(f64, &str) -> String) -> String {
        let rows = crate::vocab::format::count(self.rows);
        let cost = money(self.cost, &self.currency);
        let codes = self.services.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
        let codes = if self.services.len() > 3 { format!("{codes}, …") } else { codes };
        if self.as_none {
            format!(
                "{rows} usage rows ({cost}) have no service code and are counted as “(none)”, as the original service did; their product code names them {codes}."
            )
        } else {
            format!(
                "{rows} usage rows ({cost}) have no service code (AWS leaves it empty on EC2 Spot usage, for one) and are counted under their product code: {codes}. The original service counted them as “(none)”."
            )
        }
    }
}

impl CostReport {
    /// The total of `currency`, if the report has amounts in it.
    pub fn total_in(&self, currency: &str) -> Option<&Total> {
        self.totals.iter().find(|total| total.currency == currency)
    }
}

/// `tally` with the list cost of usage a commitment paid taken from the
/// explorer's `cube`, which reads it (the costs scan does not: it made the
/// costs page's first figures slower for a note beside them). A cell whose
/// list cost adds up to 0 has no price.
pub fn priced_by(tally: &Tally, cube: &Cube) -> Tally {
    let slot = |dimension: Dimension| dimension.slot().unwrap_or_default();
    let (kind, service, currency) =
        (slot(Dimension::LineItemType), slot(Dimension::Service), slot(Dimension::Currency));
    let mut sums: BTreeMap<[&str; 3], (u64, CompensatedSum)> = BTreeMap::new();
    for i in 0..cube.len() {
        let cell = cube.at(i);
        let label = |slot: usize| cube.labels(slot)[cell.labels[slot] as usize].as_str();
        if !COVERED_TYPES.contains(&label(kind)) {
            continue;
        }
        let sum = sums.entry([label(kind), label(service), label(currency)]).or_default();
        sum.0 += cell.rows;
        sum.1.merge(cube.sum(i, Measure::List));
    }
    let mut priced = tally.clone();
    for ([line_item_type, service, currency], (rows, sum)) in sums {
        if sum.value() != 0.0 {
            priced.set_list(CellKey { line_item_type, service, currency }, rows, sum);
        }
    }
    priced.priced = true;
    priced
}

/// Computes the report of `files` files whose tallies were merged into `tally`.
pub fn cost_report(tally: &Tally, files: usize, discounts: &Discounts, usage: &UsageRule) -> CostReport {
    // Per (currency, service): the sum and the rows in it.
    let mut per_service: BTreeMap<(&str, &str), (CompensatedSum, u64)> = BTreeMap::new();
    let (mut usage_rows, mut null_costs) = (0, 0);
    let mut covered: BTreeMap<&str, Covered> = BTreeMap::new();
    for (key, cell) in tally.cells() {
        let is_covered = COVERED_TYPES.contains(&key.line_item_type);
        if is_covered {
            let entry = covered.entry(key.currency).or_insert_with(|| Covered {
                currency: key.currency.to_owned(),
                rows: 0,
                on_demand: 0.0,
                unpriced: 0,
                counted: usage.covered_at_list(),
                priced: tally.priced,
            });
            entry.rows += cell.rows;
            entry.on_demand += cell.list_cost.value();
            entry.unpriced += cell.rows - cell.list_rows.min(cell.rows);
        }
        if is_covered && usage.covered_at_list() {
            let entry = per_service.entry((key.currency, key.service)).or_default();
            entry.0.merge(&cell.list_cost);
            entry.1 += cell.rows;
            usage_rows += cell.rows;
        } else if usage.counts(key.line_item_type) {
            let entry = per_service.entry((key.currency, key.service)).or_default();
            entry.0.merge(&cell.cost);
            entry.1 += cell.rows;
            usage_rows += cell.rows;
            null_costs += cell.null_costs;
        }
    }
    let fell_back = fell_back(tally, usage, &mut per_service);
    let mut services: Vec<ServiceCost> = per_service
        .into_iter()
        .filter(|(_, (_, rows))| *rows > 0)
        .map(|((currency, service), (sum, _))| {
            let undiscounted = sum.value();
            let multiplier = discounts.multiplier(service);
            let discounted = undiscounted * multiplier;
            ServiceCost {
                service: service.to_owned(),
                currency: currency.to_owned(),
                name: tally.name_of(service).map(str::to_owned),
                undiscounted,
                multiplier,
                discounted,
                rate: multiplier,
            }
        })
        .collect();

    let mut totals: Vec<Total> = Vec::new();
    for currency in services.iter().map(|s| s.currency.clone()).collect::<std::collections::BTreeSet<_>>() {
        let of = || services.iter().filter(|s| s.currency == currency);
        let undiscounted = of().map(|s| s.undiscounted).collect::<CompensatedSum>().value();
        let discounted = of().map(|s| s.discounted).collect::<CompensatedSum>().value();
        let blended_rate = (undiscounted != 0.0).then(|| discounted / undiscounted);
        totals.push(Total { currency, undiscounted, discounted, blended_rate });
    }
    totals.sort_by(|a, b| b.undiscounted.total_cmp(&a.undiscounted).then_with(|| a.currency.cmp(&b.currency)));
    let rank = |currency: &str| totals.iter().position(|t| t.currency == currency);
    services.sort_by(|a, b| {
        rank(&a.currency)
            .cmp(&rank(&b.currency))
            .then_with(|| b.undiscounted.total_cmp(&a.undiscounted))
            .then_with(|| a.service.cmp(&b.service))
    });
    let (currency, total) = match totals.as_slice() {
        [one] => (Some(one.currency.clone()), Some(one.clone())),
        // Nothing counted as usage: a zero total, in the files' currency if they have one.
        [] => {
            let currency = match tally.currencies().as_slice() {
                [one] => (*one).to_owned(),
                _ => ASSUMED_CURRENCY.to_owned(),
            };
            (Some(currency.clone()), Some(Total { currency, undiscounted: 0.0, discounted: 0.0, blended_rate: None }))
        }
        _ => (None, None),
    };
    CostReport {
        files,
        rows: tally.rows,
        usage_rows,
        null_costs,
        currency,
        services,
        total,
        totals,
        covered: covered.into_values().collect(),
        fell_back,
    }
}

/// The counted rows that took their product code for a service, per currency;
/// under the original service's rule they are moved to the empty service.
fn fell_back<'a>(
    tally: &'a Tally,
    usage: &UsageRule,
    per_service: &mut BTreeMap<(&'a str, &'a str), (CompensatedSum, u64)>,
) -> Vec<FellBack> {
    let mut found: BTreeMap<&str, (u64, CompensatedSum, BTreeMap<&str, f64>)> = BTreeMap::new();
    for (key, cell) in tally.fell_back() {
        let at_list = usage.covered_at_list() && COVERED_TYPES.contains(&key.line_item_type);
        if !(at_list || usage.counts(key.line_item_type)) {
            continue;
        }
        let amount = if at_list { cell.list_cost } else { cell.cost };
        let (rows, cost, services) = found.entry(key.currency).or_default();
        *rows += cell.rows;
        cost.merge(&amount);
        *services.entry(key.service).or_default() += amount.value();
        if usage.service_code_only() {
            let [sum, compensation] = amount.parts();
            let named = per_service.entry((key.currency, key.service)).or_default();
            named.0.merge(&CompensatedSum::from_parts(-sum, -compensation));
            named.1 -= cell.rows.min(named.1);
            let none = per_service.entry((key.currency, "")).or_default();
            none.0.merge(&amount);
            none.1 += cell.rows;
        }
    }
    found
        .into_iter()
        .map(|(currency, (rows, cost, services))| {
            let mut services: Vec<(&str, f64)> = services.into_iter().collect();
            services.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then_with(|| a.0.cmp(b.0)));
            FellBack {
                currency: currency.to_owned(),
                rows,
                cost: cost.value(),
                services: services.into_iter().map(|(s, _)| s.to_owned()).collect(),
                as_none: usage.service_code_only(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::tally::{CellKey, CellTotals};

    fn tally(rows: &[(&str, &str, f64)]) -> Tally {
        priced(&rows.iter().map(|&(t, s, c)| (t, s, "USD", c)).collect::<Vec<_>>())
    }

    fn priced(rows: &[(&str, &str, &str, f64)]) -> Tally {
        let mut tally = Tally::new(rows.len() as u64);
        for &(line_item_type, service, currency, cost) in rows {
            let mut totals = CellTotals { rows: 1, ..CellTotals::default() };
            totals.cost.add(cost);
            tally.add(CellKey { line_item_type, service, currency }, &totals);
        }
        tally
    }

    /// The reference rows of the original service's test. With the default
    /// multipliers its usage rows discount to 10·0.88 + 20·0.5 + 30·0.7 + 40·0.95 +
    /// 50·0.25 = 90.3, a blended rate of 90.3 / 150 = 0.602 (the original's test
    /// asserts 0.5375, which its own query does not produce).
    #[test]
    fn reference_case_gives_150_undiscounted_90_3_discounted_and_a_rate_of_0_602() {
        let tally = tally(&[
            ("Usage", "AmazonS3", 10.0),
            ("Usage", "AmazonEC2", 20.0),
            ("Usage", "AWSDataTransfer", 30.0),
            ("Usage", "AWSGlue", 40.0),
            ("Usage", "AmazonGuardDuty", 50.0),
            ("Tax", "AmazonS3", 60.0),
        ]);
        let report = cost_report(&tally, 1, &Discounts::default(), &UsageRule::default());
        let total = report.total.as_ref().unwrap();
        assert_eq!(total.undiscounted, 150.0);
        assert!((total.discounted - 90.3).abs() < 1e-12, "{}", total.discounted);
        assert!((total.blended_rate.unwrap() - 0.602).abs() < 1e-12);
        assert_eq!(report.currency.as_deref(), Some("USD"));
        assert_eq!((report.rows, report.usage_rows), (6, 5));
        let order: Vec<&str> = report.services.iter().map(|s| s.service.as_str()).collect();
        assert_eq!(order, ["AmazonGuardDuty", "AWSGlue", "AWSDataTransfer", "AmazonEC2", "AmazonS3"]);
        let s3 = &report.services[4];
        assert_eq!((s3.undiscounted, s3.multiplier, s3.discounted, s3.rate), (10.0, 0.88, 8.8, 0.88));
    }

    #[test]
    fn ties_sort_by_name_and_empty_service_is_kept() {
        let report = cost_report(
            &tally(&[("Usage", "b", 1.0), ("Usage", "a", 1.0), ("Usage", "", 1.0)]),
            1,
            &Discounts::none(),
            &UsageRule::default(),
        );
        let order: Vec<&str> = report.services.iter().map(|s| s.service.as_str()).collect();
        assert_eq!(order, ["", "a", "b"]);
    }

    #[test]
    fn nothing_spent_has_no_blended_rate() {
        let report = cost_report(&tally(&[("Tax", "AmazonS3", 5.0)]), 1, &Discounts::default(), &UsageRule::default());
        assert!(report.services.is_empty());
        assert_eq!(report.total.unwrap().blended_rate, None);
        let report =
            cost_report(&tally(&[("Usage", "AmazonS3", 0.0)]), 1, &Discounts::default(), &UsageRule::default());
        assert_eq!(report.services[0].rate, 0.88);
    }

    #[test]
    fn currencies_are_never_added() {
        let tally = priced(&[
            ("Usage", "AmazonS3", "EUR", 100.0),
            ("Usage", "AmazonEC2", "USD", 50.0),
            ("Usage", "AmazonS3", "USD", 10.0),
            ("Usage", "AmazonEC2", "JPY", 20_000.0),
        ]);
        let report = cost_report(&tally, 3, &Discounts::default(), &UsageRule::default());
        assert_eq!(report.currency, None);
        assert_eq!(report.total, None, "no total adds euros to yen");
        let totals: Vec<(&str, f64)> = report.totals.iter().map(|t| (t.currency.as_str(), t.undiscounted)).collect();
        assert_eq!(totals, [("JPY", 20_000.0), ("EUR", 100.0), ("USD", 60.0)]);
        assert_eq!(report.total_in("USD").unwrap().discounted, 50.0 * 0.5 + 10.0 * 0.88);
        let rows: Vec<(&str, &str)> =
            report.services.iter().map(|s| (s.service.as_str(), s.currency.as_str())).collect();
        assert_eq!(rows, [("AmazonEC2", "JPY"), ("AmazonS3", "EUR"), ("AmazonEC2", "USD"), ("AmazonS3", "USD")]);
    }

    /// Rows with no service code count under their product code, or as "(none)"
    /// under the original service's rule, and the report says how many.
    #[test]
    fn rows_without_a_service_code_take_their_product_code_or_stay_none() {
        let mut tally = tally(&[("Usage", "AmazonEC2", 20.0), ("Usage", "AmazonS3", 10.0)]);
        let mut spot = CellTotals { rows: 3, ..CellTotals::default() };
        spot.cost.add(6.0);
        let key = CellKey { line_item_type: "Usage", service: "AmazonEC2", currency: "USD" };
        tally.add(key, &spot);
        tally.add_fell_back(key, &spot);
        let fees = CellKey { line_item_type: "RIFee", service: "AmazonRDS", currency: "USD" };
        tally.add(fees, &spot);
        tally.add_fell_back(fees, &spot);
        let tally: Tally = serde_json::from_str(&serde_json::to_string(&tally).unwrap()).unwrap();

        let report = cost_report(&tally, 1, &Discounts::default(), &UsageRule::default());
        let ec2 = report.services.iter().find(|s| s.service == "AmazonEC2").unwrap();
        assert_eq!((ec2.undiscounted, ec2.discounted), (26.0, 13.0), "Spot usage gets EC2's multiplier");
        assert!(report.services.iter().all(|s| !s.service.is_empty()));
        let note = &report.fell_back[0];
        assert_eq!(
            (note.rows, note.cost, note.services.as_slice(), note.as_none),
            (3, 6.0, &["AmazonEC2".to_owned()][..], false)
        );
        assert!(note.sentence(crate::vocab::format::money).starts_with("3 usage rows ($6.00) have no service code"));

        let original = UsageRule::default().with_service_code_only(true);
        let report = cost_report(&tally, 1, &Discounts::default(), &original);
        let figures: Vec<(&str, f64)> = report.services.iter().map(|s| (s.service.as_str(), s.undiscounted)).collect();
        assert_eq!(figures, [("AmazonEC2", 20.0), ("AmazonS3", 10.0), ("", 6.0)]);
        assert!(report.fell_back[0].as_none);
        assert_eq!(report.total.unwrap().undiscounted, 36.0);

        // Every line item: the fees fell back too, and are "(none)" only by the original rule.
        let every = cost_report(&tally, 1, &Discounts::none(), &UsageRule::everything().with_service_code_only(true));
        let none = every.services.iter().find(|s| s.service.is_empty()).unwrap();
        assert_eq!(none.undiscounted, 12.0);
        assert!(every.services.iter().all(|s| s.service != "AmazonRDS"), "RDS had only fees of no service code");
    }

    /// Usage a commitment paid is counted nowhere by default, and said; counted
    /// at its on-demand price when asked.
    #[test]
    fn usage_paid_by_commitments_is_said_and_can_count_at_its_on_demand_price() {
        let mut tally = tally(&[("Usage", "AmazonEC2", 20.0)]);
        let mut covered = CellTotals { rows: 4, list_rows: 3, ..CellTotals::default() };
        covered.list_cost.add(30.0);
        tally.add(CellKey { line_item_type: "DiscountedUsage", service: "AmazonEC2", currency: "USD" }, &covered);
        let unpriced = cost_report(&tally, 1, &Discounts::default(), &UsageRule::default());
        assert!(!unpriced.covered[0].priced);
        assert!(unpriced.covered[0].sentence(crate::vocab::format::money).ends_with("are not in “undiscounted”."));
        tally.priced = true;
        let tally: Tally = serde_json::from_str(&serde_json::to_string(&tally).unwrap()).unwrap();
        assert!(tally.priced, "it travels");

        let report = cost_report(&tally, 1, &Discounts::default(), &UsageRule::default());
        assert_eq!(report.total.as_ref().unwrap().undiscounted, 20.0, "the brief's rule stays the default");
        let note = &report.covered[0];
        assert_eq!((note.rows, note.on_demand, note.unpriced, note.counted), (4, 30.0, 1, false));
        assert!(
            note.sentence(crate::vocab::format::money).contains("they cost $30.00 (1 of them have no on-demand price)")
        );

        let report = cost_report(&tally, 1, &Discounts::default(), &UsageRule::default().with_covered_at_list(true));
        assert_eq!(report.total.as_ref().unwrap().undiscounted, 50.0);
        assert_eq!(report.usage_rows, 5);
        assert!(report.covered[0].counted);
    }
}
