//! Tying the page's figure to the invoice: every line item type (FOCUS: charge
//! category) with its rows and cost over all rows, which of them the usage rule
//! counts, and the files' grand total beside the counted part, per currency.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::fold::sum::CompensatedSum;
use crate::fold::tally::Tally;
use crate::settings::usage::UsageRule;

/// One line item type in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeLine {
    /// The line item type, as the files spell it ("" when they leave it blank).
    pub line_item_type: String,
    /// The currency of `cost`.
    pub currency: String,
    /// Rows of this type.
    pub rows: u64,
    /// Their unblended cost (credits and discounts are negative).
    pub cost: f64,
    /// Whether the usage rule counts them.
    pub counted: bool,
}

/// The grand total of one currency, split by what the usage rule counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Balance {
    /// The currency.
    pub currency: String,
    /// Every row's cost: what the files add up to.
    pub all: f64,
    /// The rows the usage rule counts: the costs page's undiscounted total.
    pub counted: f64,
    /// The rest.
    pub left_out: f64,
}

/// Every line item type, and the balance of each currency.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reconciliation {
    /// By currency, then counted types first, then by the size of their cost.
    pub lines: Vec<TypeLine>,
    /// One per currency, in currency order.
    pub balances: Vec<Balance>,
}

/// The [`Reconciliation`] of `tally` under `usage`.
pub fn reconcile(tally: &Tally, usage: &UsageRule) -> Reconciliation {
    let mut by_type: BTreeMap<(&str, &str), (u64, CompensatedSum)> = BTreeMap::new();
    for (key, cell) in tally.cells() {
        let entry = by_type.entry((key.currency, key.line_item_type)).or_default();
        entry.0 += cell.rows;
        entry.1.merge(&cell.cost);
    }
    let mut sums: BTreeMap<&str, [CompensatedSum; 2]> = BTreeMap::new();
    let mut lines: Vec<TypeLine> = by_type
        .into_iter()
        .map(|((currency, line_item_type), (rows, cost))| {
            let counted = usage.counts(line_item_type);
            let balance = sums.entry(currency).or_default();
            balance[0].merge(&cost);
            if counted {
                balance[1].merge(&cost);
            }
            TypeLine {
                line_item_type: line_item_type.to_owned(),
                currency: currency.to_owned(),
                rows,
                cost: cost.value(),
                counted,
            }
        })
        .collect();
    lines.sort_by(|a, b| {
        a.currency
            .cmp(&b.currency)
            .then(b.counted.cmp(&a.counted))
            .then(b.cost.abs().total_cmp(&a.cost.abs()))
            .then_with(|| a.line_item_type.cmp(&b.line_item_type))
    });
    let balances = sums
        .into_iter()
        .map(|(currency, [all, counted])| {
            let (all, counted) = (all.value(), counted.value());
            Balance { currency: currency.to_owned(), all, counted, left_out: all - counted }
        })
        .collect();
    Reconciliation { lines, balances }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::tally::{CellKey, CellTotals};

    fn tally(cells: &[(&str, &str, &str, f64)]) -> Tally {
        let mut tally = Tally::new(cells.len() as u64);
        for &(line_item_type, service, currency, cost) in cells {
            let mut totals = CellTotals { rows: 1, ..CellTotals::default() };
            totals.cost.add(cost);
            tally.add(CellKey { line_item_type, service, currency }, &totals);
        }
        tally
    }

    #[test]
    fn every_type_is_listed_and_the_balance_adds_up() {
        let tally = tally(&[
            ("Usage", "AmazonS3", "USD", 10.0),
            ("Usage", "AmazonEC2", "USD", 20.0),
            ("Tax", "AmazonEC2", "USD", 3.0),
            ("Credit", "AmazonEC2", "USD", -5.0),
            ("Usage", "AmazonS3", "EUR", 7.0),
        ]);
        let found = reconcile(&tally, &UsageRule::default());
        let usd: Vec<(&str, u64, f64, bool)> = found
            .lines
            .iter()
            .filter(|l| l.currency == "USD")
            .map(|l| (l.line_item_type.as_str(), l.rows, l.cost, l.counted))
            .collect();
        assert_eq!(usd, [("Usage", 2, 30.0, true), ("Credit", 1, -5.0, false), ("Tax", 1, 3.0, false)]);
        assert_eq!(
            found.balances,
            [
                Balance { currency: "EUR".into(), all: 7.0, counted: 7.0, left_out: 0.0 },
                Balance { currency: "USD".into(), all: 28.0, counted: 30.0, left_out: -2.0 },
            ]
        );
        let everything = reconcile(&tally, &UsageRule::everything());
        assert!(everything.lines.iter().all(|l| l.counted));
        assert!(everything.balances.iter().all(|b| b.left_out == 0.0));
    }
}
