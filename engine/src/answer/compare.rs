//! Two sets of files of the same period side by side (a month as first
//! delivered and as restated, or two exports that should agree): what changed,
//! service by service.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::answer::report::CostReport;

/// One service's undiscounted cost in both sets, in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceChange {
    /// The service.
    pub service: String,
    /// The currency of the amounts.
    pub currency: String,
    /// Its cost in the files in use.
    pub current: f64,
    /// Its cost in the other files.
    pub other: f64,
    /// `current - other`.
    pub change: f64,
}

/// Both sets' totals per currency, and the services that differ.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Every service with a cost in either set whose cost differs, the largest
    /// difference (up or down) first.
    pub changed: Vec<ServiceChange>,
    /// How many services have the same cost in both (to the last bit).
    pub unchanged: usize,
    /// Per currency: (currency, current total, other total).
    pub totals: Vec<(String, f64, f64)>,
}

/// The services of `current` against those of `other` (both under the same
/// usage rule and discounts; only the undiscounted cost is compared).
pub fn compare(current: &CostReport, other: &CostReport) -> Comparison {
    let mut costs: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
    for (report, slot) in [(current, 0), (other, 1)] {
        for service in &report.services {
            let entry = costs.entry((service.service.clone(), service.currency.clone())).or_default();
            if slot == 0 {
                entry.0 += service.undiscounted;
            } else {
                entry.1 += service.undiscounted;
            }
        }
    }
    let mut unchanged = 0;
    let mut changed: Vec<ServiceChange> = Vec::new();
    for ((service, currency), (now, before)) in costs {
        if now == before {
            unchanged += 1;
        } else {
            changed.push(ServiceChange { service, currency, current: now, other: before, change: now - before });
        }
    }
    changed.sort_by(|a, b| b.change.abs().total_cmp(&a.change.abs()).then_with(|| a.service.cmp(&b.service)));
    let mut totals: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for total in &current.totals {
        totals.entry(total.currency.clone()).or_default().0 = total.undiscounted;
    }
    for total in &other.totals {
        totals.entry(total.currency.clone()).or_default().1 = total.undiscounted;
    }
    Comparison { changed, unchanged, totals: totals.into_iter().map(|(c, (a, b))| (c, a, b)).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::report::cost_report;
    use crate::fold::tally::{CellKey, CellTotals, Tally};
    use crate::settings::discounts::Discounts;
    use crate::settings::usage::UsageRule;

    fn report(cells: &[(&str, f64)]) -> CostReport {
        let mut tally = Tally::new(cells.len() as u64);
        for &(service, cost) in cells {
            let mut totals = CellTotals { rows: 1, ..CellTotals::default() };
            totals.cost.add(cost);
            tally.add(CellKey { line_item_type: "Usage", service, currency: "USD" }, &totals);
        }
        cost_report(&tally, 1, &Discounts::default(), &UsageRule::default())
    }

    #[test]
    fn a_restated_month_shows_what_changed() {
        let first = report(&[("AmazonEC2", 10.0), ("AmazonS3", 4.0), ("AWSGlue", 1.0)]);
        let restated = report(&[("AmazonEC2", 10.0), ("AmazonS3", 4.5), ("AmazonGuardDuty", 2.0)]);
        let found = compare(&restated, &first);
        let rows: Vec<(&str, f64, f64)> =
            found.changed.iter().map(|c| (c.service.as_str(), c.current, c.other)).collect();
        assert_eq!(rows, [("AmazonGuardDuty", 2.0, 0.0), ("AWSGlue", 0.0, 1.0), ("AmazonS3", 4.5, 4.0)]);
        assert_eq!(found.unchanged, 1);
        assert_eq!(found.totals, [("USD".to_owned(), 16.5, 15.0)]);
        assert_eq!(compare(&first, &first).changed, []);
    }
}
